"""附件2 政策咨询联系人 — each measure's contacts, from the contact directory of the version in
force (calculators/data/versions/<id>/contacts.toml, or the file its version.toml names)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from .datafiles import DataError, data_path, load_toml, require
from .dates import today
from .versions import version, version_at

__all__ = ["Contact", "contacts_for", "directory"]


@dataclass(frozen=True)
class Contact:
    unit: str
    name: str
    phones: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "name": self.name,
            "phone": " / ".join(self.phones),
            "phones": list(self.phones),
        }


@dataclass(frozen=True)
class _Direction:
    clause: str
    industries: tuple[str, ...]  # empty: the whole clause
    contacts: tuple[Contact, ...]


def directory(vid: str | None = None) -> dict:
    """A version's contact directory (附件2) as its file holds it: version `vid`, or the one in
    force today (calculators.policy()'s)."""
    return _directory(vid or version_at(today()).id)


@functools.cache
def _directory(vid: str) -> dict:
    return load_toml(version(vid).files["directory"])


def _person(c: object, where: str) -> Contact:
    if not isinstance(c, dict):
        raise DataError(f"{where}: expected {{ unit = …, name = …, phones = [\"…\"] }}")
    phones = require(c, "phones", list, where)
    if not phones or not all(isinstance(p, str) and p for p in phones):
        raise DataError(f"{where}.phones: expected a list of numbers as text, e.g. [\"81312751\"]")
    return Contact(str(require(c, "unit", str, where)), str(require(c, "name", str, where)),
                   tuple(phones))


@functools.cache
def _directions(vid: str) -> tuple[_Direction, ...]:
    name = version(vid).files["directory"]
    raw = directory(vid)
    out = []
    for n, dept in enumerate(require(raw, "departments", list, data_path(name))):
        where = f"{data_path(name)}: departments[{n}]"
        people = tuple(_person(c, f"{where}.contacts[{i}]")
                       for i, c in enumerate(require(dept, "contacts", list, where)))
        for i, d in enumerate(require(dept, "directions", list, where)):
            clause = require(d, "clause", str, f"{where}.directions[{i}]")
            out.append(_Direction(str(clause), tuple(d.get("industries", ())), people))
    return tuple(out)


def contacts_for(
    clause: str, industry: str | None = None, as_of: dt.date | None = None
) -> tuple[Contact, ...]:
    """Contacts of `clause` under the version in force on `as_of` (default today), in the
    table's order, without repeats.

    A direction names either the clause itself or its article ("art5" covers art5.1 and art5.2).
    `industry` narrows art1.2 to the row of that industry; without it, every row of the clause.
    """
    article = clause.split(".")[0]
    found: list[Contact] = []
    for d in _directions(version_at(as_of or today()).id):
        if d.clause not in (clause, article):
            continue
        if industry is not None and d.industries and industry not in d.industries:
            continue
        found.extend(c for c in d.contacts if c not in found)
    return tuple(found)
