"""evaluate() and describe(): the edge where plain dicts meet the typed measures."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import sys
import zipimport
from collections.abc import Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

from . import _dates
from ._contacts import contacts_for
from ._growth import extend
from ._inputs import MISSING_MESSAGE, InputError, parse_fields
from ._measure import AS_OF, COMMON_FIELDS, OTHER_POLICY_AMOUNT, Measure, Trace
from ._money import ZERO, fixed_context, money_str, plain_number, round_fen, yuan
from ._params import at, clauses, validity

GENERAL = "general"


def _files() -> list[str]:
    """The file names in this package's directory: on disk, or in the zip archive the browser
    imports it from. Not importlib.resources (nor pkgutil.iter_modules, which imports inspect):
    they would bring zipfile, shutil, tempfile, inspect … into the browser's standard library
    (~0.1 MB with Brotli). For a zip, zipimport's own table of the archive, read as the standard
    library's pkgutil reads it (`_zip_directory_cache`)."""
    (directory,) = sys.modules[__package__].__path__
    if os.path.isdir(directory):
        return os.listdir(directory)
    importer = zipimport.zipimporter(directory)
    table = zipimport._zip_directory_cache[importer.archive]
    return [name[len(importer.prefix):] for name in table
            if name.startswith(importer.prefix) and "/" not in name[len(importer.prefix):]]


@functools.cache
def _discover() -> Mapping[str, Measure]:
    """The registry: every public module of this package (no leading underscore) that defines
    `MEASURE`, in the order of the policy (its clause's place in parameters.toml's [clauses]).

    Adding a measure is adding its module: nothing else lists it.
    """
    names = sorted({
        name.partition(".")[0]
        for name in _files()
        if name.endswith((".py", ".pyc")) and not name.startswith("_")
    })
    found: list[Measure] = []
    for name in names:
        measure = getattr(importlib.import_module(f"{__package__}.{name}"), "MEASURE", None)
        if isinstance(measure, Measure):
            if measure.id != name:
                raise ValueError(f"calculators/{name}.py: MEASURE.id is {measure.id!r}")
            if measure.clause not in clauses():
                raise ValueError(f"calculators/{name}.py: clause {measure.clause!r} is not in "
                                 "parameters.toml [clauses]")
            found.append(measure)
    order = list(clauses())
    found.sort(key=lambda m: order.index(m.clause))  # stable: same clause → by module name
    return MappingProxyType({m.id: m for m in found})


class _Registry(Mapping[str, Measure]):
    """`MEASURES`, read on first use: the measure modules import this package, so they can only
    be imported once it has loaded."""

    def __getitem__(self, measure_id: str) -> Measure:
        return _discover()[measure_id]

    def __iter__(self) -> Iterator[str]:
        return iter(_discover())

    def __len__(self) -> int:
        return len(_discover())

    def __repr__(self) -> str:
        return f"MEASURES({', '.join(self)})"


#: The measures in the policy's order: id → Measure (its metadata, inputs and rules).
MEASURES: Mapping[str, Measure] = _Registry()


def lookup(measure_id: object) -> Measure:
    if isinstance(measure_id, str) and measure_id in MEASURES:
        return MEASURES[measure_id]
    shown = measure_id if isinstance(measure_id, str) else repr(measure_id)
    raise InputError({"measure": f"未知措施：{shown[:40]}（可选：{'、'.join(MEASURES)}）"})


def today() -> dt.date:
    """The default `as_of`: today in Beijing (see _dates)."""
    return _dates.today()


def in_force(as_of: dt.date) -> bool:
    return _dates.validity_state(as_of) == "in_force"


def validity_note(as_of: dt.date) -> str:
    start, end = validity()
    window = f"{start.isoformat()} 至 {end.isoformat()}"
    if as_of < start:
        return (
            f"计算日期 {as_of.isoformat()} 早于本措施施行日期（试行期 {window}），试行尚未开始；"
            "结果仅供参考。"
        )
    if as_of > end:
        return (
            f"本措施试行一年（{window}），计算日期 {as_of.isoformat()} 时试行期已结束；"
            "请向主管部门确认是否延续或已有新的政策。"
        )
    return (
        f"本措施自发布之日起实施，试行一年（{window}），计算日期 {as_of.isoformat()} 在试行期内。"
    )


def run(
    measure: Measure, values: Mapping[str, object], *, with_curves: bool = True
) -> dict[str, object]:
    """Compute one measure from parsed values (its own keys, plus as_of / other_policy_amount).
    `with_curves=False` skips tracing the amount curves (政策匹配 shows no chart)."""
    as_of = values.get("as_of") or today()
    assert isinstance(as_of, dt.date)
    other = values.get("other_policy_amount") or ZERO
    assert isinstance(other, Decimal)
    p = at(as_of)
    args = measure.inputs(**{key: values[key] for key in measure.keys})
    trace = Trace()
    verdict = measure.compute(args, p, trace)
    eligible = verdict.eligible
    # 取整：四舍五入到分
    amount = verdict.amount if eligible else ZERO
    amount_max = round_fen(amount)
    if eligible and amount != amount_max:
        trace.reason(
            measure.clause, f"四舍五入到分：{plain_number(amount)} 元 → {yuan(amount_max)}。"
        )
    # 就高不重复
    amount_net = round_fen(max(ZERO, amount_max - other))
    if eligible and other > 0:
        if amount_net > 0:
            trace.reason(
                GENERAL,
                f"就高不重复：本项最高 {yuan(amount_max)} − 同一事项已享受本区"
                f"其他政策 {yuan(other)} = {yuan(amount_net)}。",
            )
        else:
            trace.reason(
                GENERAL,
                f"就高不重复：同一事项已享受本区其他政策 {yuan(other)}，不低于本项"
                f"最高 {yuan(amount_max)}，本项不再重复支持。",
            )
    # 说明
    notes = [
        "以上为政策规定的最高额度（原文为“最高”“不超过”），不是承诺金额；实际支持与否及金额"
        "由主管部门审核后确定。"
    ]
    notes += trace.notes
    if eligible and other == 0:
        notes.append(
            "同一企业、同一事项同时符合本区其他扶持政策的，按“就高不重复”原则支持；"
            "已享受其他政策的，请填写其金额以计算差额。"
        )
    notes.append(validity_note(as_of))
    contacts = measure.contacts(args) if measure.contacts else contacts_for(measure.clause)
    result: dict[str, object] = {
        "measure": measure.id,
        "clause": measure.clause,
        "title": measure.title,
        "eligible": eligible,
        "kind": measure.kind.value,
        "amount_max": money_str(amount_max),
        "amount_net": money_str(amount_net),
        "reasons": [r.to_dict() for r in trace.reasons],
        "notes": notes,
        "in_force": in_force(as_of),
        "validity": _dates.validity_state(as_of),
        "as_of": as_of.isoformat(),
        "contacts": [c.to_dict() for c in contacts],
    }
    # 怎样获得更多、金额曲线
    extend(result, measure, args, p, values, with_curves=with_curves)
    return result


@fixed_context
def evaluate(measure_id: str, inputs: Mapping[str, object]) -> dict[str, object]:
    """Evaluate one measure. Bad input raises InputError naming every bad field at once."""
    measure = lookup(measure_id)
    values, present, errors = parse_fields(measure.fields + COMMON_FIELDS, inputs)
    if "inputs" in errors:  # not a dict at all: nothing else to say
        raise InputError(errors)
    for f in measure.fields:
        if f.required and f.key not in present and f.key not in errors:
            errors[f.key] = MISSING_MESSAGE
    if errors:
        raise InputError(errors)
    return run(measure, values)


@fixed_context
def describe(measure_id: str, as_of: dt.date | None = None) -> dict[str, object]:
    """A measure's metadata and inputs as JSON-serialisable data (the browser forms use it)."""
    measure = lookup(measure_id)
    p = at(as_of or today())
    clause = clauses()[measure.clause]
    return {
        "measure": measure.id,
        "clause": measure.clause,
        "clause_label": clause.label,
        "anchor": clause.anchor,
        "title": measure.title,
        "short_title": measure.short_title,
        "kind": measure.kind.value,
        "summary": measure.summary(p),
        "intro": measure.intro(p),
        "action": measure.action,
        "cap": money_str(measure.cap(p)),
        "inputs": [f.describe() for f in measure.fields + COMMON_FIELDS],
    }


__all__ = [
    "AS_OF",
    "MEASURES",
    "OTHER_POLICY_AMOUNT",
    "describe",
    "evaluate",
    "in_force",
    "lookup",
    "run",
    "today",
]
