"""evaluate() and describe(): the edge where plain dicts meet the typed measures (the rules,
found by `registry`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from . import dates as _dates
from .contacts import contacts_for
from .curves import curves
from .growth import next_steps
from .inputs import MISSING_MESSAGE, InputError, parse_fields
from .measure import AS_OF, COMMON_FIELDS, OTHER_POLICY_AMOUNT, Measure, Trace
from .money import ZERO, fixed_context, money_str, plain_number, round_fen, yuan
from .params import at, clauses, validity
from .registry import lookup
from .versions import version_at

GENERAL = "general"


def today() -> dt.date:
    """The default `as_of`: today in Beijing (see _dates)."""
    return _dates.today()


def in_force(as_of: dt.date) -> bool:
    return _dates.validity_state(as_of) == "in_force"


def document(as_of: dt.date) -> dict[str, str]:
    """The document a result is computed under (the version in force on `as_of`), and where its
    text stays published (versions/<id>/, relative to the site root): the 依据 line cites it."""
    v = version_at(as_of)
    return {"id": v.id, "doc_number": v.doc_number, "title": v.title,
            "href": f"versions/{v.id}/notice/"}


def validity_note(as_of: dt.date) -> str:
    start, end = validity(as_of)
    window = f"{start.isoformat()} 至 {end.isoformat()}"
    if _dates.validity_state(as_of) == "repealed":
        return (f"计算日期 {as_of.isoformat()} 时本措施已废止；结果仅供参考，"
                "请向主管部门确认现行政策。")
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
    contacts = (measure.contacts(args, as_of) if measure.contacts
                else contacts_for(measure.clause, as_of=as_of))
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
        "document": document(as_of),
        "contacts": [c.to_dict() for c in contacts],
    }
    # 怎样获得更多、金额曲线
    result["next_steps"] = next_steps(measure, args, p, values)
    if with_curves:
        result["curves"] = curves(measure, args, p)
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
    "OTHER_POLICY_AMOUNT",
    "describe",
    "document",
    "evaluate",
    "in_force",
    "run",
    "today",
]
