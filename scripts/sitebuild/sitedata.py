"""Read-only access to the project's data files for the site build.

The versions of the policy (metadata, text, contact directory) live in
``calculators/data/versions/<id>/`` and are read through ``calculators.engine``; the site renders
them, it never copies them. A page of ``versions/<id>/`` belongs to that version; every other
page to the current one (in force on the build's date). Plain Python, no MkDocs import, so it can be
used and tested on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from calculators.engine import contacts as _contacts
from calculators.engine import dates as _dates
from calculators.engine import versions as _versions

DATA_DIR = Path(__file__).resolve().parents[2] / "calculators" / "data"


def build_date() -> dt.date:
    """The build's today (Beijing): the main pages show the version in force on it."""
    return _dates.today()


def current() -> _versions.Version:
    """The version the main pages show: in force today, else the latest started, else the first."""
    return _versions.version_at(build_date())


def version(vid: str = "") -> _versions.Version:
    """Version `vid`, or the current one for ""."""
    return _versions.version(vid) if vid else current()


def version_of(src_uri: str) -> str:
    """The version a page's source belongs to: versions/<id>/… → id; any other page: ""."""
    parts = src_uri.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "versions" else ""


def text_path(v: _versions.Version, page: str) -> Path:
    """The Markdown file of `page` (notice, measures, contacts) of version `v`."""
    return DATA_DIR / v.files[page]


def policy(vid: str = "") -> dict:
    """The version's metadata as the pages read it: doc_number, title, issuers, issued, validity."""
    return version(vid).policy()


def contacts(vid: str = "") -> dict:
    """The whole contact directory (附件2) of a version (the current one by default)."""
    return _contacts.directory(version(vid).id)


def anchor(clause: str) -> str:
    """Page anchor of a clause id: ``art3.1`` → ``art3-1``."""
    return clause.replace(".", "-")


def clause_order(clause: str) -> tuple[int, int]:
    """Sort key in the order of the text: art1.1 < art1.2 < art2 < … < art7 < general."""
    m = re.fullmatch(r"art(\d+)(?:\.(\d+))?", clause)
    if m is None:
        return (99, 0)
    return (int(m.group(1)), int(m.group(2) or 0))


def clause_covers(direction_clause: str, clause: str) -> bool:
    """Whether a 支持方向 of Attachment 2 covers ``clause``.

    A direction for a whole article covers its parts (``art5`` covers ``art5.1``), and a query
    for a whole article finds its parts (``art1`` finds ``art1.1`` and ``art1.2``).
    """
    return (
        direction_clause == clause
        or clause.startswith(direction_clause + ".")
        or direction_clause.startswith(clause + ".")
    )


def covered_options(row_clauses: list[str], options: list[str]) -> str:
    """The directory filter's options (clause ids) that a row answers for, space-separated: the
    page's filter (assets/site.js) then only checks membership, and ``clause_covers`` stays the
    one rule."""
    return " ".join(o for o in dict.fromkeys(options)
                    if any(clause_covers(c, o) for c in row_clauses))


@dataclass(frozen=True)
class Direction:
    """One 支持方向 of the department table with the people answering for it."""

    seq: int
    clause: str
    text: str
    contacts: tuple[dict, ...]


def directions(clause: str | None = None, vid: str = "") -> list[Direction]:
    """Every (direction, contacts) pair of the department table of a version (default: the
    current one), in the order of the text. With ``clause``, only the directions covering it.
    Ties keep the table's order.
    """
    out = [
        Direction(dept["seq"], d["clause"], d["text"], tuple(dept["contacts"]))
        for dept in contacts(vid)["departments"]
        for d in dept["directions"]
        if clause is None or clause_covers(d["clause"], clause)
    ]
    return sorted(out, key=lambda d: clause_order(d.clause))


cn_date = _dates.cn_date  # 2025-04-28 → 2025年4月28日: written once, in the calculators


def notice_steps() -> list[list[str]]:
    """The home page's status line by date: [[from (ISO, "" first), state, text], …], one text
    per state of each version, worded by calculators.engine.dates. site.js shows the last step
    whose date is not after the reader's Beijing date (compared as ISO strings)."""
    return _versions.notice_steps(_dates.notice_words)


def status_steps(vid: str = "") -> list[list[str]]:
    """A version's status (试行中 / 试行期满 / 已修订 / 已废止) by date, picked in the same way."""
    return _versions.status_steps(version(vid))


def status_now(vid: str = "") -> str:
    """The status on the build's date: the text a page shows without JavaScript."""
    v = version(vid)
    return _versions.STATUS[_versions.state(v, build_date())]


def announcement() -> str:
    """The site-wide bar's text once the current version's window has ended (engine.dates)."""
    return _dates.announcement(current().end + dt.timedelta(days=1))
