"""版本 — the policy as a dated sequence of versions (文号, dates, window, text, parameters).

Each version is a folder, calculators/data/versions/<id>/, holding `version.toml` (its 文号,
title, issuers, dates, validity window, the Markdown files of its text, its contact directory and
the parameter values it changes) beside those files. The id is the folder's name and the
version's stable address on the site (versions/<id>/). Versions are ordered by their start;
their windows may not overlap.

A result is computed under the version in force on its `as_of` (spec reading rule 7): the one
whose window holds the date, else the nearest earlier one, else the first. The same rule picks
the version the site's main pages show on the build's date.

States of a version on a day (`state`; the labels are the site's 试行中 / 试行期满 / 已修订 /
已废止): before its start, in force, ended, revised (a later version has started), repealed
(from the date its folder says). The site gets them as steps by date (`status_steps`), so that
the page only compares the reader's date with the boundaries Python wrote.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .datafiles import DataError, data_path, list_dir, load_toml, only_keys, require

__all__ = [
    "PAGES",
    "STATUS",
    "Version",
    "notice_steps",
    "state",
    "status_steps",
    "successor",
    "version",
    "version_at",
    "versions",
]

VERSIONS = "versions"  # calculators/data/versions/<id>/version.toml
PAGES = ("notice", "measures", "contacts")  # the text: 通知、附件1、附件2 (Markdown)
FILES = (*PAGES, "directory")  # directory: the contact directory (附件2) as data
_KEYS = ("doc_number", "title", "notice_title", "issuers", "issued", "start", "end",
         "repealed", "repealed_by", "files", "parameters")

#: 状态 — what the site writes for each state of a version.
STATUS = MappingProxyType({
    "before": "尚未施行",
    "in_force": "试行中",
    "ended": "试行期满",
    "revised": "已修订",
    "repealed": "已废止",
})


@dataclass(frozen=True)
class Version:
    id: str  # its folder, and its address on the site: versions/<id>/
    doc_number: str  # 发文字号
    title: str
    notice_title: str
    issuers: tuple[str, ...]  # 发文机关
    issued: dt.date  # 成文日期
    start: dt.date  # 施行日期
    end: dt.date  # 有效期至（含）
    repealed: dt.date | None  # 废止日期
    repealed_by: str  # the 文号 that repeals it
    files: Mapping[str, str]  # notice/measures/contacts/directory → path under calculators/data/
    parameters: Mapping[str, object]  # what this version changes, from its start (as written)
    source: str  # its version.toml, as messages name it

    @property
    def index(self) -> int:
        return [v.id for v in versions()].index(self.id)

    def policy(self) -> dict[str, object]:
        """The [policy] mapping the site has always read, for this version."""
        return {
            "id": self.id,
            "doc_number": self.doc_number,
            "title": self.title,
            "notice_title": self.notice_title,
            "issuers": list(self.issuers),
            "issued": self.issued,
            "validity": {"clause": "general", "start": self.start, "end": self.end},
            **({"repealed": self.repealed} if self.repealed else {}),
        }


def _files(raw: dict, folder: str, inherited: Mapping[str, str] | None, where: str) -> dict:
    table = raw.get("files", {})
    if not isinstance(table, dict):
        raise DataError(f"{where}: files: expected a table of {', '.join(FILES)}")
    only_keys(table, FILES, f"{where}: files")
    out = dict(inherited or {})
    for name in FILES:
        if name in table:
            rel = require(table, name, str, f"{where}: files")
            out[name] = posixpath.normpath(posixpath.join(folder, rel))
        elif name not in out:
            raise DataError(f"{where}: files.{name}: missing (the first version names all of "
                            f"{', '.join(FILES)}; later ones only what they change)")
    return out


def _parameters(raw: dict, where: str) -> dict[str, object]:
    """The values this version changes, as written (params checks each against its unit)."""
    table = raw.get("parameters", {})
    if not isinstance(table, dict):
        raise DataError(f"{where}: parameters: expected a table of \"key\" = value")
    return dict(table)


def _read(vid: str, inherited: Mapping[str, str] | None) -> Version:
    folder = f"{VERSIONS}/{vid}"
    source = data_path(f"{folder}/version.toml")
    raw = load_toml(f"{folder}/version.toml")
    only_keys(raw, _KEYS, source)
    issuers = require(raw, "issuers", list, source)
    if not issuers or not all(isinstance(i, str) and i for i in issuers):
        raise DataError(f"{source}: issuers: expected a list of the issuing bodies' names")
    dates = {k: require(raw, k, dt.date, source) for k in ("issued", "start", "end")}
    if dates["end"] < dates["start"]:
        raise DataError(f"{source}: end: {dates['end']} is before start {dates['start']}")
    repealed = require(raw, "repealed", dt.date, source) if "repealed" in raw else None
    return Version(
        id=vid,
        doc_number=require(raw, "doc_number", str, source),
        title=require(raw, "title", str, source),
        notice_title=require(raw, "notice_title", str, source),
        issuers=tuple(issuers),
        issued=dates["issued"],
        start=dates["start"],
        end=dates["end"],
        repealed=repealed,
        repealed_by=str(require(raw, "repealed_by", str, source)) if "repealed_by" in raw else "",
        files=MappingProxyType(_files(raw, folder, inherited, source)),
        parameters=MappingProxyType(_parameters(raw, source)),
        source=source,
    )


@functools.cache
def versions() -> tuple[Version, ...]:
    """Every version, oldest first (by start). Windows may not overlap."""
    ids = list_dir(VERSIONS)
    if not ids:
        raise DataError(f"{data_path(VERSIONS)}/: no version folder (each holds a version.toml)")
    starts = []
    for vid in ids:
        raw = load_toml(f"{VERSIONS}/{vid}/version.toml")
        starts.append((require(raw, "start", dt.date, data_path(f"{VERSIONS}/{vid}/version.toml")),
                       vid))
    out: list[Version] = []
    for _, vid in sorted(starts):
        v = _read(vid, out[-1].files if out else None)
        if out and v.start <= out[-1].end:
            prev = out[-1]
            raise DataError(f"{v.source}: start: {v.start} falls inside the window of versions/"
                            f"{prev.id} ({prev.start} to {prev.end}): windows must not overlap")
        out.append(v)
    return tuple(out)


def version(vid: str) -> Version:
    for v in versions():
        if v.id == vid:
            return v
    raise KeyError(vid)


def version_at(day: dt.date) -> Version:
    """The version in force on `day`; outside every window the nearest earlier one (or the first,
    before any). Also the version the site's main pages show on the build's date."""
    chosen = versions()[0]
    for v in versions():
        if v.start <= day:
            chosen = v
    return chosen


def successor(v: Version) -> Version | None:
    later = versions()[v.index + 1:]
    return later[0] if later else None


def state(v: Version, day: dt.date) -> str:
    """before / in_force / ended / revised / repealed: `v` on `day` (STATUS words them)."""
    if v.repealed is not None and day >= v.repealed:
        return "repealed"
    nxt = successor(v)
    if nxt is not None and day >= nxt.start:
        return "revised"
    if day < v.start:
        return "before"
    return "ended" if day > v.end else "in_force"


def _boundaries(vs: tuple[Version, ...]) -> list[dt.date]:
    days = set()
    for v in vs:
        days |= {v.start, v.end + dt.timedelta(days=1)}
        if v.repealed is not None:
            days.add(v.repealed)
    return sorted(days)


def _steps(days: list[dt.date], at_day) -> list[list[str]]:
    """[[first day (ISO, "" for always), *what at_day gives]] wherever it changes."""
    first = days[0] - dt.timedelta(days=1)
    out = [["", *at_day(first)]]
    for day in days:
        now = at_day(day)
        if now != out[-1][1:]:
            out.append([day.isoformat(), *now])
    return out


def status_steps(v: Version) -> list[list[str]]:
    """`v`'s status by date: [[from (ISO, "" first), state, label], …]. The page shows the last
    step whose date is not after the reader's Beijing date (an ISO string comparison)."""
    return _steps(_boundaries(versions()),
                  lambda day: [state(v, day), STATUS[state(v, day)]])


def notice_steps(word) -> list[list[str]]:
    """The policy's own status by date (the home page's notice): [[from, state, text], …], each
    text worded by `word(version, state)` — once per state, not once per day."""

    def at_day(day: dt.date) -> list[str]:
        v = version_at(day)
        s = state(v, day)
        return [s, word(v, s)]

    return _steps(_boundaries(versions()), at_day)
