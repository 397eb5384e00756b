"""政策参数 — loads calculators/data/parameters.toml once and picks each value in force at a date.

OpenFisca style: a parameter keeps every dated value it has had (`values = [{since, value}]`);
`at(as_of)` gives the entry with the latest `since` ≤ as_of (the first entry before any).
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pkgutil import get_data
from types import MappingProxyType

__all__ = ["Clause", "Param", "ParamView", "at", "clauses", "load_toml", "parameters", "policy"]

_RESERVED = ("policy", "clauses")


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


def load_toml(name: str) -> dict:
    """Read calculators/data/<name>.toml through the package's own loader: from a directory, a
    wheel or the browser's zip alike. (Not importlib.resources, which would bring zipfile, shutil,
    tempfile, random and threading into the browser's standard library: ~0.1 MB with Brotli.)"""
    data = get_data("calculators", f"data/{name}.toml")
    if data is None:
        raise FileNotFoundError(f"calculators/data/{name}.toml")
    return tomllib.loads(data.decode("utf-8"))


def _to_decimal(value: object, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"parameters.toml: {key}: value must be a number, got {value!r}")
    return Decimal(value) if isinstance(value, int) else Decimal(str(value))


def _walk(table: Mapping, prefix: str, out: dict[str, Parameter], known: Mapping) -> None:
    if "values" in table:
        key = prefix
        if table.get("clause") not in known:
            raise ValueError(f"parameters.toml: {key}: unknown clause {table.get('clause')!r}")
        history = tuple(
            Dated(entry["since"], _to_decimal(entry["value"], key)) for entry in table["values"]
        )
        dates = [h.since for h in history]
        if not history or dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError(f"parameters.toml: {key}: values must be dated, oldest first")
        out[key] = Parameter(key, table["clause"], table["label"], table["unit"], history)
        return
    for name, sub in table.items():
        if isinstance(sub, Mapping):
            _walk(sub, f"{prefix}.{name}" if prefix else name, out, known)


@functools.cache
def _data() -> tuple[Mapping[str, Clause], Mapping[str, Parameter], Mapping[str, object]]:
    raw = load_toml("parameters")
    known = {
        cid: Clause(cid, c["label"], c["title"], c["anchor"], c.get("also_relevant", ""))
        for cid, c in raw["clauses"].items()
    }
    params: dict[str, Parameter] = {}
    _walk({k: v for k, v in raw.items() if k not in _RESERVED}, "", params, known)
    return MappingProxyType(known), MappingProxyType(params), MappingProxyType(raw["policy"])


def clauses() -> Mapping[str, Clause]:
    """Every clause id the parameters file knows, in the file's order."""
    return _data()[0]


def parameters() -> Mapping[str, Parameter]:
    return _data()[1]


def policy() -> Mapping[str, object]:
    """The [policy] table: doc_number, title, issuers, issued, validity {clause, start, end}."""
    return _data()[2]


def validity() -> tuple[dt.date, dt.date]:
    """The trial period, both ends inclusive (试行一年)."""
    window = policy()["validity"]
    assert isinstance(window, Mapping)
    return window["start"], window["end"]


class ParamView:
    """The parameters as they stood on `as_of`."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of

    def param(self, key: str) -> Param:
        p = parameters()[key]
        entry = p.at(self.as_of)
        return Param(key, entry.value, p.clause, p.label, p.unit, entry.since)

    def __getitem__(self, key: str) -> Decimal:
        return self.param(key).value


def at(as_of: dt.date) -> ParamView:
    return ParamView(as_of)
