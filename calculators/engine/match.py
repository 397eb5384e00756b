"""政策匹配 — every measure at once from one flat enterprise profile.

Decisions (documented for the site):
* `as_of` applies to every measure.
* `other_policy_amount` is refused in a profile: 就高不重复 concerns "同一事项", so the amount
  belongs to one measure, not to all; the single-measure calculators take it. In `match`,
  amount_net therefore equals amount_max.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .contacts import contacts_for
from .dates import validity_state
from .evaluate import document, in_force, run, today, validity_note
from .growth import growth_path
from .inputs import Field, InputError, parse_fields
from .measure import AS_OF, QUALIFICATIONS, REVENUE_LAST_YEAR, Kind
from .money import ZERO, fixed_context, money_str
from .params import clauses
from .registry import MEASURES

OTHER_POLICY_REFUSED = (
    "政策匹配不接受此项：“就高不重复”按同一事项计算，请在单项计算器中填写已享受的其他政策金额"
)

def profile_fields() -> tuple[Field, ...]:
    """The union of the measures' inputs: shared facts first, then by measure, then as_of."""
    fields: dict[str, Field] = {f.key: f for f in (QUALIFICATIONS, REVENUE_LAST_YEAR)}
    for measure in MEASURES.values():
        for f in measure.fields:
            if fields.setdefault(f.key, f) is not f:  # pragma: no cover - guarded by a test
                raise AssertionError(f"input {f.key!r} is described twice")
    fields[AS_OF.key] = AS_OF
    return tuple(fields.values())


def describe_profile() -> dict[str, object]:
    """The 政策匹配 form: every input once, each with the measures that use it."""
    users: dict[str, list[str]] = {}
    for measure in MEASURES.values():
        for key in measure.keys:
            users.setdefault(key, []).append(measure.id)
    inputs = []
    for f in profile_fields():
        d = f.describe()
        d["measures"] = users.get(f.key, list(MEASURES))
        d["required"] = False  # a profile may leave anything out: measures then need input
        inputs.append(d)
    return {
        "inputs": inputs,
        "measures": [
            {
                "measure": m.id,
                "title": m.title,
                "clause": m.clause,
                "required": [f.key for f in m.fields if f.required],
            }
            for m in MEASURES.values()
        ],
        "notes": [
            "每项措施在其必填项都已填写时计算，否则列为“需补充信息”。",
            "“就高不重复”按同一事项计算：已享受其他政策的金额请在单项计算器中填写。",
        ],
    }


def _also_relevant(as_of: dt.date) -> list[dict[str, object]]:
    """Clauses without an amount (第五条第二款、第六条、第七条): parameters.toml [clauses]."""
    return [
        {
            "clause": c.id,
            "clause_label": c.label,
            "title": c.title,
            "summary": c.also_relevant,
            "contacts": [x.to_dict() for x in contacts_for(c.id, as_of=as_of)],
        }
        for c in clauses().values()
        if c.also_relevant
    ]


@fixed_context
def match(profile: dict[str, object]) -> dict[str, object]:
    """Evaluate every measure whose required inputs are in `profile`; list the others."""
    fields = profile_fields()
    values, present, errors = parse_fields(
        fields, profile, rejected={"other_policy_amount": OTHER_POLICY_REFUSED}
    )
    if errors:
        raise InputError(errors)
    as_of = values.get("as_of") or today()
    assert isinstance(as_of, dt.date)
    results: list[dict[str, object]] = []
    grant_total = ZERO
    equity_total = ZERO
    for measure in MEASURES.values():
        missing = [f.key for f in measure.fields if f.required and f.key not in present]
        if missing:
            results.append(
                {
                    "measure": measure.id,
                    "title": measure.title,
                    "clause": measure.clause,
                    "status": "needs_input",
                    "missing": missing,
                    "result": None,
                }
            )
            continue
        # No curves: the charts belong to the single-measure pages (and tracing them is the
        # costliest part of a result).
        values_of = {**{k: values[k] for k in measure.keys}, "as_of": as_of}
        result = run(measure, values_of, with_curves=False)
        eligible = bool(result["eligible"])
        if eligible:
            amount = Decimal(str(result["amount_max"]))
            if measure.kind is Kind.EQUITY:
                equity_total += amount
            else:
                grant_total += amount
        results.append(
            {
                "measure": measure.id,
                "title": measure.title,
                "clause": measure.clause,
                "status": "eligible" if eligible else "ineligible",
                "missing": [],
                "result": result,
            }
        )
    return {
        "results": results,
        "grant_total_max": money_str(grant_total),
        "equity_max": money_str(equity_total),
        "also_relevant": _also_relevant(as_of),
        "growth_path": growth_path(results),
        "notes": [
            "合计为各项措施最高额度之和，不是承诺金额；各项分别申请、分别审核。",
            "同一企业、同一事项同时符合本区其他扶持政策的，按“就高不重复”原则支持。",
            "股权投资（第五条）是投资而非补贴，单独列示，不计入资金支持合计。",
            validity_note(as_of),
        ],
        "in_force": in_force(as_of),
        "validity": validity_state(as_of),
        "as_of": as_of.isoformat(),
        "document": document(as_of),
    }
