"""Read-only access to the project's data files for the site build.

The contact directory (附件2) and the policy metadata live in ``calculators/data/*.toml``;
the site renders them, it never copies them. Plain Python, no MkDocs import, so it can be
used and tested on its own.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from calculators.engine import dates as _dates

DATA_DIR = Path(__file__).resolve().parents[2] / "calculators" / "data"


@cache
def load(name: str) -> dict:
    """Parse ``calculators/data/<name>.toml`` (cached for the build)."""
    with (DATA_DIR / f"{name}.toml").open("rb") as f:
        return tomllib.load(f)


def policy() -> dict:
    """The ``[policy]`` table of parameters.toml: doc_number, title, issuers, issued, validity."""
    return load("parameters")["policy"]


def contacts() -> dict:
    """The whole contact directory (contacts.toml)."""
    return load("contacts")


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


def directions(clause: str | None = None) -> list[Direction]:
    """Every (direction, contacts) pair of the department table, in the order of the text.

    With ``clause``, only the directions covering it. Ties keep the table's order.
    """
    out = [
        Direction(dept["seq"], d["clause"], d["text"], tuple(dept["contacts"]))
        for dept in contacts()["departments"]
        for d in dept["directions"]
        if clause is None or clause_covers(d["clause"], clause)
    ]
    return sorted(out, key=lambda d: clause_order(d.clause))


cn_date = _dates.cn_date  # 2025-04-28 → 2025年4月28日: written once, in the calculators


def trial_notices() -> dict:
    """The home page's status line for every reader's date, worded by the calculators' one
    date module: {"start", "days": {ISO date: [state, text]} for each day of the trial period,
    "before": [...], "ended": [...]}. site.js only looks up the reader's Beijing date in it."""
    window = policy()["validity"]
    start, end = window["start"], window["end"]
    days = {}
    day = start
    while day <= end:
        days[day.isoformat()] = [_dates.validity_state(day), _dates.trial_notice(day)]
        day += dt.timedelta(days=1)
    before, after = start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    return {
        "start": start.isoformat(),
        "days": days,
        "before": [_dates.validity_state(before), _dates.trial_notice(before)],
        "ended": [_dates.validity_state(after), _dates.trial_notice(after)],
    }


def announcement() -> str:
    """The site-wide bar's text once the trial period has ended (calculators.engine.dates)."""
    return _dates.announcement(policy()["validity"]["end"] + dt.timedelta(days=1))
