"""政策参数 — loads calculators/data/parameters.toml once and picks each value in force at a date.

OpenFisca style: a parameter keeps every dated value it has had (`values = [{since, value}]`);
`at(as_of)` gives the entry with the latest `since` ≤ as_of (the first entry before any). A later
version's changes (its version.toml `[parameters]`) are added as entries dated at its start.
The file is checked as it is read: every fault is a one-line DataError naming the key.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

from .datafiles import DataError, data_path, load_toml, only_keys, require
from .dates import today
from .versions import version_at, versions

__all__ = [
    "Clause", "DataError", "Param", "ParamView", "at", "clauses", "load_toml", "parameters",
    "policy", "validity",
]

_RESERVED = ("clauses",)


@dataclass(frozen=True)
class Clause:
    id: str
    label: str  # 第二条
    title: str
    anchor: str
    also_relevant: str = ""  # a clause without an amount, in one sentence (政策匹配: 另可关注)


@dataclass(frozen=True)
class Dated:
    since: dt.date
    value: Decimal


@dataclass(frozen=True)
class Parameter:
    key: str
    clause: str
    label: str
    unit: str
    history: tuple[Dated, ...]

    def at(self, as_of: dt.date) -> Dated:
        chosen = self.history[0]
        for entry in self.history:
            if entry.since <= as_of:
                chosen = entry
        return chosen


@dataclass(frozen=True)
class Param:
    """One parameter's value at a date, with where it comes from."""

    key: str
    value: Decimal
    clause: str
    label: str
    unit: str
    since: dt.date


_UNITS = ("元", "比例", "元/平方米·天", "年")
_PARAM_KEYS = ("clause", "label", "unit", "values")
_CLAUSE_KEYS = ("label", "title", "anchor", "also_relevant")
SOURCE = data_path("parameters.toml")


def _to_decimal(value: object, where: str, unit: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = {"比例": "a fraction, e.g. 0.5 for 50%", "元": "in 元, e.g. 200_000"}.get(
            unit, f"in {unit}, e.g. 2")
        raise DataError(f"{where}: expected a number ({shown}), got {value!r}")
    number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    if not number.is_finite() or number < 0:
        raise DataError(f"{where}: expected a number ≥ 0, got {value!r}")
    if unit == "比例" and number > 1:
        raise DataError(f"{where}: a 比例 is a fraction (0.5 = 50%), got {value!r}")
    return number


def _history(table: Mapping, key: str, unit: str) -> tuple[Dated, ...]:
    where = f"{SOURCE}: {key}.values"
    entries = table["values"]
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{where}: expected a list of {{ since = 2025-04-28, value = … }}")
    history = []
    for n, entry in enumerate(entries):
        at_n = f"{where}[{n}]"
        if not isinstance(entry, Mapping):
            raise DataError(f"{at_n}: expected {{ since = 2025-04-28, value = … }}, got {entry!r}")
        only_keys(entry, ("since", "value"), at_n)
        since = entry.get("since")
        if not isinstance(since, dt.date) or isinstance(since, dt.datetime):
            raise DataError(f"{at_n}.since: expected a date such as 2025-04-28 (unquoted), "
                            f"got {since!r}")
        if "value" not in entry:
            raise DataError(f"{at_n}.value: missing")
        history.append(Dated(since, _to_decimal(entry["value"], f"{at_n}.value", unit)))
    dates = [h.since for h in history]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise DataError(f"{where}: dates must differ and go oldest first, got "
                        f"{', '.join(d.isoformat() for d in dates)}")
    return tuple(history)


def _parameter(table: Mapping, key: str, known: Mapping) -> Parameter:
    only_keys(table, _PARAM_KEYS, f"{SOURCE}: {key}")
    for name in ("clause", "label", "unit"):
        require(table, name, str, f"{SOURCE}: {key}")
    if table["clause"] not in known:
        raise DataError(f"{SOURCE}: {key}.clause: unknown clause {table['clause']!r} "
                        f"(expected one of [clauses]: {', '.join(known)})")
    if table["unit"] not in _UNITS:
        raise DataError(f"{SOURCE}: {key}.unit: expected one of {', '.join(_UNITS)}, "
                        f"got {table['unit']!r}")
    return Parameter(key, table["clause"], table["label"], table["unit"],
                     _history(table, key, table["unit"]))


def _walk(table: Mapping, prefix: str, out: dict[str, Parameter], known: Mapping) -> None:
    if "values" in table:
        out[prefix] = _parameter(table, prefix, known)
        return
    for name, sub in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if not isinstance(sub, Mapping):
            raise DataError(f"{SOURCE}: {key}: unknown key (a parameter is a table with "
                            f"{', '.join(_PARAM_KEYS)})")
        _walk(sub, key, out, known)


def _clauses(raw: Mapping) -> dict[str, Clause]:
    table = require(dict(raw), "clauses", dict, SOURCE)
    out = {}
    for cid, c in table.items():
        where = f"{SOURCE}: clauses.{cid}"
        if not isinstance(c, Mapping):
            raise DataError(f"{where}: expected a table with label, title, anchor")
        only_keys(c, _CLAUSE_KEYS, where)
        out[cid] = Clause(cid, *(str(require(dict(c), k, str, where)) for k in _CLAUSE_KEYS[:3]),
                          c.get("also_relevant", ""))
    return out


def _revise(params: dict[str, Parameter]) -> None:
    """Each later version's changed values become dated entries at its start (OpenFisca: a
    revision adds a value, never overwrites one), so `at(as_of)` picks the version's value."""
    for v in versions():
        for key, value in v.parameters.items():
            p = params.get(key)
            where = f"{v.source}: parameters.\"{key}\""
            if p is None:
                raise DataError(f"{where}: no such parameter in {SOURCE}")
            value = _to_decimal(value, where, p.unit)
            if p.history[-1].since >= v.start:
                raise DataError(f"{where}: {SOURCE} already dates a value "
                                f"{p.history[-1].since}, on or after this version's start")
            params[key] = replace(p, history=(*p.history, Dated(v.start, value)))


@functools.cache
def _data() -> tuple[Mapping[str, Clause], Mapping[str, Parameter]]:
    raw = load_toml("parameters")
    known = _clauses(raw)
    params: dict[str, Parameter] = {}
    _walk({k: v for k, v in raw.items() if k not in _RESERVED}, "", params, known)
    _revise(params)
    return MappingProxyType(known), MappingProxyType(params)


def clauses() -> Mapping[str, Clause]:
    """Every clause id the parameters file knows, in the file's order."""
    return _data()[0]


def parameters() -> Mapping[str, Parameter]:
    """Every parameter with its dated values (later versions' changes included)."""
    return _data()[1]


def policy(day: dt.date | None = None) -> Mapping[str, object]:
    """The document in force on `day` (default: today in Beijing), or the nearest earlier one:
    id, doc_number, title, notice_title, issuers, issued, validity {clause, start, end}."""
    return MappingProxyType(version_at(day or today()).policy())


def validity(day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The window of the version in force on `day` (default today), both ends inclusive."""
    v = version_at(day or today())
    return v.start, v.end


class ParamView:
    """The parameters as they stood on `as_of`."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of

    def param(self, key: str) -> Param:
        p = parameters().get(key)
        if p is None:  # the rules read a key the file does not have (misspelt or removed)
            raise DataError(f"{SOURCE}: [{key}]: missing (the rules read it; expected a table "
                            "with clause, label, unit, values)")
        entry = p.at(self.as_of)
        return Param(key, entry.value, p.clause, p.label, p.unit, entry.since)

    def __getitem__(self, key: str) -> Decimal:
        return self.param(key).value


def at(as_of: dt.date) -> ParamView:
    return ParamView(as_of)
