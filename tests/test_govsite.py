"""sitebuild/govsite.py: the government-page settings of mkdocs.yml (extra.government) become meta
tags and footer lines only when set; a bad setting is one line naming the file and the key."""

from __future__ import annotations

import pytest

import calculators
from sitebuild import govsite

SET = {"government": {"site_domain": "fs.example.gov.cn", "site_id_code": "1101110001",
                      "icp": "京ICP备00000000号", "icp_url": "https://beian.example/",
                      "party_mark_url": "https://mark.example/", "official_url": "https://x/doc",
                      "column_types": {"通知": "政策文件"}}}


def test_empty_settings_write_nothing() -> None:
    s = govsite.settings({"government": {"site_id_code": "", "icp": None}}, "站名")
    tags = dict(govsite.meta_tags(s, title="通知", column="通知", description=""))
    assert "SiteIDCode" not in tags and "SiteDomain" not in tags and "ColumnType" not in tags
    assert "ColumnDescription" not in tags
    assert tags["SiteName"] == "站名"
    footer = govsite.footer(s)
    assert footer["marks"] == [] and footer["party_mark"] is None and not footer["official_url"]


def test_set_settings_are_written() -> None:
    s = govsite.settings(SET, "站名")
    tags = govsite.meta_tags(s, title="通知", column="通知", description="说明", keywords="k")
    assert [n for n, _ in tags] == [
        "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription",
        "ColumnKeywords", "ColumnType", "ArticleTitle", "PubDate", "ContentSource"]
    assert dict(tags)["SiteIDCode"] == "1101110001" and dict(tags)["ColumnType"] == "政策文件"
    footer = govsite.footer(s)
    assert footer["sponsors"] == calculators.policy()["issuers"]
    assert [m["text"] for m in footer["marks"]] == ["1101110001", "京ICP备00000000号"]
    assert footer["party_mark"] == {"url": "https://mark.example/", "image": ""}
    # 附件2 row 6: two people share one number, one unit line each
    assert [(c["unit"], c["names"], c["phones"]) for c in footer["contacts"]] == [
        ("区经信局产业科", "任会敏、王铂淳", ["81312975"]),
        ("区发改委产业科", "王世熙", ["69379368"])]


@pytest.mark.parametrize(("gov", "message"), [
    ({"site_id_code": 1101110001}, "mkdocs.yml: extra.government.site_id_code: should be text"),
    ({"site_id_code": "11-0111"}, "mkdocs.yml: extra.government.site_id_code: 网站标识码 is 10"),
    ({"icp_number": "x"}, "mkdocs.yml: extra.government.icp_number: unknown setting"),
    ({"party_mark_image": "https://other.host/m.png"},
     "mkdocs.yml: extra.government.party_mark_image: a file of this site"),
    ({"column_types": ["x"]}, "mkdocs.yml: extra.government.column_types: should map"),
])
def test_a_bad_setting_is_one_line(gov: dict, message: str) -> None:
    with pytest.raises(govsite.SettingsError) as info:
        govsite.settings({"government": gov}, "站名")
    assert str(info.value).startswith(message) and "\n" not in str(info.value)
