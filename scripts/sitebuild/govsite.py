"""政府网站规范 — what a Chinese government policy page carries (《政府网站发展指引》, its
网页设计规范): the meta tags every page writes for site checks (SiteName … ContentSource), the
footer's 主办单位 and 综合解释咨询 contacts, the official numbers a maintainer configures
(网站标识码, ICP 备案, 公安备案, 党政机关标识), and the statement that the official document
prevails.

The settings live in one place, `extra.government` in mkdocs.yml. An empty setting writes nothing:
an official number is never invented here. The policy's own metadata (title, 文号, issuers, dates)
is read only through `calculators.policy()` and the contacts module, so it follows the data files
whatever their layout. Plain Python, no MkDocs import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import calculators
from calculators.engine.contacts import contacts_for

__all__ = ["Settings", "SettingsError", "footer", "meta_tags", "settings"]


class SettingsError(ValueError):
    """A maintainer's bad setting: one line naming the file and the key."""


_TEXT_KEYS = (
    "site_name",  # SiteName; blank: the site_name of mkdocs.yml
    "site_domain",  # SiteDomain: the public host name, e.g. the district's own domain
    "site_id_code",  # SiteIDCode 网站标识码 (assigned to a registered government website)
    "icp",  # ICP 备案号, as issued
    "icp_url",  # its record's address
    "police",  # 公安机关备案号, as issued
    "police_url",
    "party_mark_url",  # 党政机关标识: the link its issuer gives the site
    "party_mark_image",  # the mark's image, a file of this site under docs/ (never another host's)
    "official_url",  # the official original of the document, on the issuing office's site
    "keywords",  # ColumnKeywords of pages without their own `keywords`
)
_MAP_KEYS = ("column_types",)  # ColumnType by column (top-level nav entry) name
_ID_CODE = re.compile(r"[0-9a-z]{10}")  # e.g. 1101110001; ministries' start with bm
_WHERE = "mkdocs.yml: extra.government"


@dataclass(frozen=True)
class Settings:
    text: dict[str, str]
    column_types: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.text.get(key, "")


def settings(extra: Mapping[str, object], site_name: str) -> Settings:
    """The `extra.government` settings, checked: raises SettingsError naming the bad key."""
    raw = extra.get("government") or {}
    if not isinstance(raw, Mapping):
        raise SettingsError(f"{_WHERE}: should be a table of settings")
    text: dict[str, str] = {}
    columns: dict[str, str] = {}
    for key, value in raw.items():
        if key in _MAP_KEYS:
            if not isinstance(value, Mapping) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
                raise SettingsError(f"{_WHERE}.{key}: should map column names to text")
            columns = dict(value)
        elif key in _TEXT_KEYS:
            if value is not None and not isinstance(value, str):
                raise SettingsError(f"{_WHERE}.{key}: should be text (quote it), not {value!r}")
            text[key] = (value or "").strip()
        else:
            raise SettingsError(f"{_WHERE}.{key}: unknown setting (known: "
                                f"{', '.join(_TEXT_KEYS + _MAP_KEYS)})")
    if text.get("site_id_code") and not _ID_CODE.fullmatch(text["site_id_code"]):
        raise SettingsError(f"{_WHERE}.site_id_code: 网站标识码 is 10 digits or letters, "
                            f"as assigned; got {text['site_id_code']!r}")
    if text.get("party_mark_image") and "//" in text["party_mark_image"]:
        raise SettingsError(f"{_WHERE}.party_mark_image: a file of this site (under docs/), "
                            "never another host's")
    text["site_name"] = text.get("site_name") or site_name
    return Settings(text, columns)


def _content_source() -> str:
    return "、".join(calculators.policy()["issuers"])


def meta_tags(s: Settings, *, title: str, column: str, description: str,
              keywords: str = "") -> list[tuple[str, str]]:
    """The page's government-site meta tags, in the order of the 网页设计规范; empty ones dropped.
    PubDate is the document's issue date: every page presents that one document."""
    pol = calculators.policy()
    tags = [
        ("SiteName", s["site_name"]),
        ("SiteDomain", s["site_domain"]),
        ("SiteIDCode", s["site_id_code"]),
        ("ColumnName", column),
        ("ColumnDescription", description),
        ("ColumnKeywords", keywords or s["keywords"]),
        ("ColumnType", s.column_types.get(column, "")),
        ("ArticleTitle", title),
        ("PubDate", f"{pol['issued'].isoformat()} 00:00"),
        ("ContentSource", _content_source()),
    ]
    return [(name, " ".join(value.split())) for name, value in tags if value and value.strip()]


def _interpretation_contacts() -> list[dict[str, object]]:
    """综合解释咨询 (附件2, row 6), one entry per unit and number: 任会敏、王铂淳 share 81312975."""
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for c in contacts_for("general"):
        grouped.setdefault((c.unit, c.phones), []).append(c.name)
    return [{"unit": unit, "names": "、".join(names), "phones": list(phones)}
            for (unit, phones), names in grouped.items()]


def footer(s: Settings) -> dict[str, object]:
    """What the footer shows: 主办单位, the contacts, the statement, and the configured marks."""
    pol = calculators.policy()
    marks = [
        {"label": "网站标识码", "text": s["site_id_code"], "url": ""},
        {"label": "", "text": s["icp"], "url": s["icp_url"]},
        {"label": "", "text": s["police"], "url": s["police_url"]},
    ]
    return {
        "sponsors": list(pol["issuers"]),
        "contacts": _interpretation_contacts(),
        "title": pol["title"],
        "doc_number": pol["doc_number"],
        "official_url": s["official_url"],
        "marks": [m for m in marks if m["text"]],
        "party_mark": {"url": s["party_mark_url"], "image": s["party_mark_image"]}
        if s["party_mark_url"] else None,
    }
