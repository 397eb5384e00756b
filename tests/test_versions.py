"""The policy over time: versions, their status, the revision record, and publishing a revision
or an extension in a copy of the repository exactly as the README says.

The slow test makes the README's “Publishing a revision” edits in a copy (as tests/test_registry
does for a measure): a new version folder with a new 文号, one changed amount, one changed clause
text and a new window; builds; checks the current pages, the old version's pages, the status
labels, the revision record, search, a calculator on a date in each window (CPython and the
shipped Pyodide), a permalink made before the revision and the open data. Then, in the same
second build, it removes the revision (no trace left) and makes the “Extending the trial” edit
(only the end date moves; every notice and result note follows).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_registry import _answers, _build, _copy_repo, _env, _texts

import calculators
from calculators.engine import dates, versions
from sitebuild import sitedata

V1 = "2025-14"
V2 = "2026-09"
TODAY = calculators.today()

# --- the status by date, and the home page's notice ---------------------------------------------


def test_the_first_version_is_the_data_of_the_document() -> None:
    v = versions.versions()[0]
    assert (v.id, v.doc_number, v.start, v.end) == (
        V1, "房经信局文〔2025〕14号", dt.date(2025, 4, 28), dt.date(2026, 4, 27))
    assert calculators.policy(dt.date(2025, 6, 1))["doc_number"] == v.doc_number
    assert versions.version_at(dt.date(2020, 1, 1)) is v  # before any: the first


def test_status_steps_are_the_state_on_each_day() -> None:
    v = versions.versions()[0]
    steps = versions.status_steps(v)
    assert steps == [["", "before", "尚未施行"], ["2025-04-28", "in_force", "试行中"],
                     ["2026-04-28", "ended", "试行期满"]]
    for day in (dt.date(2025, 4, 27), dt.date(2025, 4, 28), dt.date(2026, 4, 27),
                dt.date(2026, 4, 28)):
        picked = [s for s in steps if s[0] <= day.isoformat()][-1]  # as site.js picks
        assert picked[1] == versions.state(v, day)


def test_the_home_notice_is_one_sentence_per_state() -> None:
    steps = sitedata.notice_steps()
    assert [s[:2] for s in steps] == [["", "before"], ["2025-04-28", "in_force"],
                                      ["2026-04-28", "ended"]]
    assert steps[1][2] == dates.trial_notice(dt.date(2026, 4, 27))
    assert steps[2][2].startswith("试行期已于2026年4月27日届满")


def test_the_home_page_carries_no_table_of_days(built_site: Path) -> None:
    home = (built_site / "index.html").read_text("utf-8")
    assert "data-notices" not in home and "2025-06-01" not in home
    assert len(home.encode()) < 40_000  # was ~101 kB with one notice per day


def test_every_policy_page_shows_its_document_and_status(built_site: Path) -> None:
    for page in ("notice", "measures", "contacts"):
        for path in (f"{page}/index.html", f"versions/{V1}/{page}/index.html"):
            html = (built_site / path).read_text("utf-8")
            assert "房经信局文〔2025〕14号" in html and "施行日期" in html, path
            label = versions.STATUS[versions.state(versions.versions()[0], TODAY)]
            assert re.search(rf"data-fs-status data-steps=\"[^\"]+\">{label}<", html), path


# --- publishing a revision, removing it, extending the trial -------------------------------------

REVISION_NOTICE = """---
title: 关于印发《房山区促进高精尖产业发展扶持措施（修订）》的通知
description: 房经信局文〔2026〕9号 通知全文
---

# 关于印发《房山区促进高精尖产业发展扶持措施（修订）》的通知 {#notice}

各有关单位：现将修订后的《房山区促进高精尖产业发展扶持措施》印发给你们，请遵照执行。

附件：1\\.[扶持措施](measures.md) 2\\.[政策咨询联系人](contacts.md)
"""


def _version_toml(end: dt.date) -> str:
    return f"""doc_number = "房经信局文〔2026〕9号"
title = "房山区促进高精尖产业发展扶持措施（修订）"
notice_title = "关于印发《房山区促进高精尖产业发展扶持措施（修订）》的通知"
issuers = ["北京市房山区经济和信息化局", "北京市房山区发展和改革委员会"]
issued = 2026-04-20
start = 2026-04-28
end = {end.isoformat()}

[files]
notice = "notice.md"
measures = "measures.md"

[parameters]
"rent_subsidy.standard.annual_cap" = 20_000_000
"""


# Big enough for the annual cap to bind: 0.5 × 2 元 × 365 天 × 100000 m² = 3650 万元.
RENT = {"rent_entry": "new", "qualifications": ["high_tech"], "rent_area_m2": 100000,
        "rent_per_m2_day": 2}
IN_V1, IN_V2 = "2025-06-01", "2026-06-01"


def _requests(link: str) -> list[str]:
    """Evaluate on a date in each window, and open the permalink made before the revision."""
    out = [json.dumps({"op": "evaluate", "measure": "rent_subsidy",
                       "inputs": {**RENT, "as_of": day}}, ensure_ascii=False)
           for day in (IN_V1, IN_V2)]
    out.append(json.dumps({"op": "open", "measure": "rent_subsidy", "query": link},
                          ensure_ascii=False))
    return out


BRIDGE = """
import json, sys
from calculators.adapters import bridge
print(json.dumps([json.loads(bridge.handle(r)) for r in json.load(sys.stdin)]))
"""


def _cpython(repo: Path, requests: list[str]) -> list[dict]:
    proc = subprocess.run([sys.executable, "-c", BRIDGE], cwd=repo, env=_env(repo), check=True,
                          input=json.dumps(requests), capture_output=True, text=True, timeout=120)
    return json.loads(proc.stdout)


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def _check_revision(site: Path, repo: Path, link: str, tmp_path: Path) -> None:
    # The main pages: the revised text, its document and status.
    measures = _page(site, "measures")
    assert "年度租金补贴总额不超过 2000 万元" in measures and "房经信局文〔2026〕9号" in measures
    assert ">试行中<" in measures and "关于印发《房山区促进高精尖产业发展扶持措施（修订）》" in (
        _page(site, "notice"))
    # The old version: full text, anchors, contacts, marked superseded, linking its successor.
    old = _page(site, f"versions/{V1}/measures")
    assert "年度租金补贴总额不超过 1500 万元" in old and 'id="art2"' in old
    assert "本文件已修订" in old and f'href="../../{V2}/measures/"' in old and ">已修订<" in old
    assert "路萍" in _page(site, f"versions/{V1}/contacts")
    assert "特此通知" in _page(site, f"versions/{V1}/notice")
    # The revision record: the changed amount (old → new, with its clause) and clause text.
    record = _page(site, "versions")
    row = re.search(r'<tr data-param="rent_subsidy.standard.annual_cap">(.*?)</tr>', record)[1]
    assert "第二条" in row and "1500 万元" in row and "2000 万元" in row
    assert re.findall(r'<tr data-param="([^"]+)"', record) == ["rent_subsidy.standard.annual_cap"]
    assert re.findall(r'<li data-anchor="([^"]+)"', record) == ["art2"]
    assert f'href="{V1}/measures/#art2"' in record and f'href="{V2}/measures/#art2"' in record
    # Search: the current text is indexed as the main pages; the old one ranked low.
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    locations = {d["location"].split("#")[0] for d in index}
    assert "measures/" in locations and f"versions/{V2}/measures/" not in locations
    old_docs = [d for d in index if d["location"].startswith(f"versions/{V1}/")]
    assert old_docs and all(d.get("boost", 1) < 1 for d in old_docs)
    # The open data carries both versions.
    published = json.loads((site / "data" / "versions.json").read_text("utf-8"))
    assert published["current"] == V2 and [v["id"] for v in published["versions"]] == [V1, V2]
    assert published["versions"][1]["changes"] == {"rent_subsidy.standard.annual_cap": 20000000}
    # A calculator on a date in each window, and the permalink made before the revision: CPython
    # (the copy's calculators) and the shipped Pyodide answer alike.
    requests = _requests(link)
    typed = _cpython(repo, requests[-1:])[0]["result"]["typed"]  # the link, as the form shows it
    requests.append(json.dumps({"op": "form", "measure": "rent_subsidy", "typed": typed,
                                "compute": True}, ensure_ascii=False))
    cpython = _cpython(repo, requests)
    from test_widget_parity import run_in_pyodide

    assert [json.loads(a) for a in run_in_pyodide(site, requests, tmp_path)] == cpython
    first, second, _, computed = (a["result"] for a in cpython)
    assert (first["amount_max"], first["document"]["id"]) == ("15000000.00", V1)
    assert (second["amount_max"], second["document"]["id"]) == ("20000000.00", V2)
    assert second["document"]["doc_number"] == "房经信局文〔2026〕9号" and second["in_force"]
    shown = json.dumps(computed, ensure_ascii=False)  # the page's view of the old permalink
    assert "依据：" in shown and "房经信局文〔2025〕14号" in shown and "1500 万元" in shown
    assert f"versions/{V1}/measures/#art2" in shown and "2000 万元" not in shown


def _check_extension(site: Path, repo: Path, end: dt.date, tmp_path: Path) -> None:
    text = _texts(site)
    # No trace of the revision.
    assert V2 not in text and "〔2026〕9号" not in text and "（修订）" not in text
    # Only the end date moved: every notice and result note follows it. (The worked cases
    # that test the old window's edges still name it: those are the tests' data, README.)
    for path in ("", "rules", "notice", "measures", "contacts", "versions",
                 f"versions/{V1}/measures"):
        assert "2026年4月27日" not in _page(site, path) and "2026-04-27" not in _page(site, path)
    for name in ("versions", "parameters"):
        assert "2026-04-27" not in (site / "data" / f"{name}.json").read_text("utf-8")
    assert sitedata.cn_date(end) in _page(site, "") and ">试行中<" in _page(site, "measures")
    assert f'content="2025-04-28/{end.isoformat()}"' in _page(site, "")  # the announcement bar
    request = [json.dumps({"op": "evaluate", "measure": "rent_subsidy",
                           "inputs": {**RENT, "as_of": IN_V2}})]
    (answer,) = _cpython(repo, request)
    from test_widget_parity import run_in_pyodide

    assert [json.loads(a) for a in run_in_pyodide(site, request, tmp_path)] == [answer]
    result = answer["result"]
    assert result["in_force"] is True and result["validity"] == "in_force"
    assert f"至 {end.isoformat()}）" in result["notes"][-1] and "在试行期内" in result["notes"][-1]


def test_publishing_a_revision_then_removing_it_and_extending_the_trial(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repo(repo)
    # A permalink made before the revision (the form writes as_of into it).
    link = calculators.permalink_query({**RENT, "as_of": IN_V1})
    data = repo / "calculators" / "data" / "versions"

    # Publish the revision: a new folder with its version.toml, its notice, its measures (the
    # old text with one clause changed); the contacts stay the first version's.
    folder = data / V2
    folder.mkdir()
    end = TODAY + dt.timedelta(days=365)  # in force today, whenever this runs
    (folder / "version.toml").write_text(_version_toml(end), "utf-8")
    (folder / "notice.md").write_text(REVISION_NOTICE, "utf-8")
    old = (data / V1 / "measures.md").read_text("utf-8")
    changed = old.replace("年度租金补贴总额不超过 1500 万元", "年度租金补贴总额不超过 2000 万元")
    assert changed.count("2000 万元") == old.count("2000 万元") + 1
    (folder / "measures.md").write_text(changed, "utf-8")
    site = _build(repo)
    _check_revision(site, repo, link, tmp_path)
    assert _answers(repo)["replayed"] > 0  # the compile step replayed the cases in Pyodide

    # Remove it, and extend the trial: one line of the first version's version.toml.
    shutil.rmtree(folder)
    shutil.rmtree(site)
    new_end = TODAY + dt.timedelta(days=200)
    version = data / V1 / "version.toml"
    version.write_text(version.read_text("utf-8").replace(
        "end = 2026-04-27", f"end = {new_end.isoformat()}"), "utf-8")
    site = _build(repo)
    _check_extension(site, repo, new_end, tmp_path)


@pytest.mark.parametrize("day", ["2025-04-27", "2025-04-28", "2026-04-27", "2026-04-28"])
def test_results_name_the_document_of_their_date(day: str) -> None:
    r = calculators.evaluate("rent_subsidy", {**RENT, "as_of": day})
    assert r["document"] == {"id": V1, "doc_number": "房经信局文〔2025〕14号",
                             "title": "房山区促进高精尖产业发展扶持措施（试行）",
                             "href": f"versions/{V1}/notice/"}
    assert r["in_force"] is (day in ("2025-04-28", "2026-04-27"))
