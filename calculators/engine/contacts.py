"""附件2 政策咨询联系人 — each measure's contacts, read from calculators/data/contacts.toml."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .params import load_toml

__all__ = ["Contact", "contacts_for"]


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


@functools.cache
def _directions() -> tuple[_Direction, ...]:
    out = []
    for dept in load_toml("contacts")["departments"]:
        people = tuple(Contact(c["unit"], c["name"], tuple(c["phones"])) for c in dept["contacts"])
        for d in dept["directions"]:
            out.append(_Direction(d["clause"], tuple(d.get("industries", ())), people))
    return tuple(out)


def contacts_for(clause: str, industry: str | None = None) -> tuple[Contact, ...]:
    """Contacts of `clause`, in the table's order, without repeats.

    A direction names either the clause itself or its article ("art5" covers art5.1 and art5.2).
    `industry` narrows art1.2 to the row of that industry; without it, every row of the clause.
    """
    article = clause.split(".")[0]
    found: list[Contact] = []
    for d in _directions():
        if d.clause not in (clause, article):
            continue
        if industry is not None and d.industries and industry not in d.industries:
            continue
        found.extend(c for c in d.contacts if c not in found)
    return tuple(found)
