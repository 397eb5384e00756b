"""下一步 — what would change the answer: the steps within an enterprise's reach.

Each measure module offers, from its own parameters and conditions, the changes within an
enterprise's reach (`steps(x, p)` → `Offer`s: revenue, R&D, investment, qualifications, honours)
and the breakpoints of its ceiling against its main continuous input (`curves(x, p)` →
`CurveSpec`s). Everything else is here and generic:

* an offer's amount is never computed twice: the measure's own `compute` runs on the changed
  inputs, so a step promises exactly what `evaluate` gives for its `inputs`;
* each step is worded here (Chinese), with its permalink.

A `CurveSpec` is traced by `curves`; the chart is drawn by `calculators.views.chart`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from .inputs import FieldType
from .links import calculator_href
from .money import FEN, ZERO, money_str, plain_number, round_fen, wan
from .params import ParamView, clauses

if TYPE_CHECKING:  # pragma: no cover
    from .measure import Measure


# --- what a measure module provides ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One input to change: the condition it meets, where the enterprise stands, what is needed."""

    key: str
    value: object  # the typed value (as in the measure's Inputs)
    condition: str  # the rule's condition, worded
    now: str  # 现状
    needed: str  # 需要达到
    gap: str = ""  # 差距 (worded; empty for a qualification or honour)
    gap_amount: Decimal | None = None  # the gap in the input's API unit


@dataclass(frozen=True)
class Offer:
    """A change within reach and the typed inputs it leads to (the measure's `Inputs`)."""

    changes: tuple[Change, ...]
    inputs: Any
    result: str  # what the change achieves, before the amount: “达到第二档”
    separate: bool = False  # a further award beside today's one (another honour), not a recount
    top_up: bool = False  # the gain is paid by 晋档补差 (only the difference)


@dataclass(frozen=True)
class Mark:
    """A threshold or kink on a curve's input axis."""

    x: Decimal
    label: str  # full, for the table and caption: “研发投入强度达到 4%（含本数）”
    short: str  # on the chart: “强度 4%”


@dataclass(frozen=True)
class CurveSpec:
    key: str  # the input varied
    marks: tuple[Mark, ...]  # every x where the rule may bend or jump
    caps: tuple[tuple[Decimal, str], ...] = ()  # (ceiling, label) shown when the curve reaches it


# --- API values and links ----------------------------------------------------------------------


def api_value(ftype: FieldType, value: object) -> object:
    """A typed input value written back as the API takes it (money in yuan, two decimals)."""
    if value is None:
        return None
    if ftype is FieldType.MONEY:
        assert isinstance(value, Decimal)
        return money_str(value)
    if ftype is FieldType.NUMBER:
        assert isinstance(value, Decimal)
        return plain_number(value).replace(",", "")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [api_value(ftype, v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def api_inputs(measure: Measure, x: Any, values: Mapping[str, object]) -> dict[str, object]:
    """The measure's typed inputs `x` (plus as_of / other_policy_amount) as API inputs."""
    out: dict[str, object] = {f.key: api_value(f.type, getattr(x, f.key)) for f in measure.fields}
    other = values.get("other_policy_amount")
    if isinstance(other, Decimal) and other > 0:
        out["other_policy_amount"] = money_str(other)
    as_of = values.get("as_of")
    if isinstance(as_of, dt.date):
        out["as_of"] = as_of.isoformat()
    return out


# --- next steps --------------------------------------------------------------------------------


def amount_of(measure: Measure, x: Any, p: ParamView) -> Decimal:
    """The measure's ceiling for typed inputs `x`, as `run` reports it in `amount_max`."""
    from .measure import Trace  # here: _measure imports this module's types

    verdict = measure.compute(x, p, Trace())
    return round_fen(verdict.amount) if verdict.eligible else round_fen(ZERO)


def _amount_text(amount: Decimal) -> str:
    return f"最高 {wan(amount)}"


def _step(measure: Measure, offer: Offer, amount: Decimal, current: Decimal,
          base: Mapping[str, object]) -> dict[str, object]:
    """One offer as a worded step of `next_steps`, with the link that computes it."""
    label = clauses()[measure.clause].label
    field_of = {f.key: f for f in measure.fields}
    gain = amount if offer.separate else amount - current
    changed = {
        c.key: api_value(field_of[c.key].type, getattr(offer.inputs, c.key)) for c in offer.changes
    }
    if offer.separate:
        gain_text = "另一项荣誉，与现有奖励分别计算"
    elif current > 0:
        gain_text = f"比现在多 {wan(gain)}" + ("（晋档补差）" if offer.top_up else "")
    else:
        gain_text = "现在不符合条件"
    shown = [c for c in offer.changes if c.needed]  # a change that only follows is not worded
    needed = "，".join(c.needed for c in shown)
    situation = "；".join(f"{c.now}，{c.gap}" if c.gap else c.now for c in shown)
    after = f"，{gain_text}。" if current > 0 and not offer.separate else f"（{gain_text}）。"
    all_inputs = {**base, **changed}
    return {
        "measure": measure.id,
        "title": measure.title,
        "clause": measure.clause,
        "clause_label": label,
        "changes": [
            {"key": c.key, "label": field_of[c.key].label, "condition": c.condition,
             "now": c.now, "needed": c.needed, "gap": c.gap,
             "gap_amount": None if c.gap_amount is None else money_str(c.gap_amount)}
            for c in offer.changes
        ],
        "condition": "；".join(c.condition for c in shown),
        "now": "；".join(c.now for c in shown),
        "needed": needed,
        "gap": "；".join(c.gap for c in offer.changes if c.gap),
        "result": offer.result,
        "amount_max": money_str(amount),
        "amount_text": _amount_text(amount),
        "gain": money_str(gain),
        "gain_text": gain_text,
        "separate": offer.separate,
        "inputs": changed,
        "all_inputs": all_inputs,
        "href": calculator_href(measure.id, all_inputs),
        "link_text": f"按此计算：{measure.title}",
        "text": f"{label}：{needed}（{situation}），{offer.result}：{_amount_text(amount)}{after}",
    }


def next_steps(
    measure: Measure, x: Any, p: ParamView, values: Mapping[str, object]
) -> dict[str, object]:
    """The `next_steps` of an evaluate result: the offers that unlock more, worded, best first."""
    offers, notes = measure.steps(x, p) if measure.steps else ((), ())
    current = amount_of(measure, x, p)
    base = api_inputs(measure, x, values)
    steps: list[dict[str, object]] = []
    for offer in offers:
        amount = amount_of(measure, offer.inputs, p)
        gain = amount if offer.separate else amount - current
        if amount > 0 and gain > 0:  # else nothing more to unlock (e.g. 晋档补差 leaves nothing)
            steps.append(_step(measure, offer, amount, current, base))
    steps.sort(key=lambda s: -Decimal(str(s["gain"])))
    return {
        "id": f"fs-steps-{measure.id}",
        "heading": "怎样可以获得更多",
        "steps": steps,
        "notes": list(notes),
        "empty": "按所填情况，本项没有可以通过增加收入、研发投入、投资、面积或取得资质、荣誉"
        "而获得更多支持的下一步。"
        if not steps
        else "",
    }


# --- helpers the measure modules use -----------------------------------------------------------


def yuan_above(threshold: Decimal) -> Decimal:
    """The smallest whole-yuan amount above a “突破” (exclusive) threshold: 1 亿 → 1 亿零 1 元."""
    return threshold.to_integral_value(rounding=ROUND_FLOOR) + 1


def fen_at_least(amount: Decimal) -> Decimal:
    """The smallest amount in fen that is ≥ amount (an inclusive threshold, 达到)."""
    return amount.quantize(FEN, rounding=ROUND_CEILING)


def gap_text(now: Decimal, needed: Decimal, exclusive: bool) -> str:
    """The gap to a threshold: “需再增加 500 万元”, or “超过” for a “突破” threshold."""
    gap = needed - now
    if exclusive:
        return "恰为门槛本数，须超过" if gap == 0 else f"需再增加超过 {wan(gap)}"
    return f"需再增加 {wan(gap)}"


__all__ = [
    "Change",
    "CurveSpec",
    "Mark",
    "Offer",
    "api_inputs",
    "growth_path",
    "next_steps",
]


def growth_path(results: Sequence[Mapping[str, object]]) -> dict[str, object]:
    """政策匹配的增长路径: every measure's next steps, the largest gain first (policy order on a
    tie), each with its calculator link and the changed inputs filled in."""
    steps = []
    for order, item in enumerate(results):
        result = item.get("result")
        if isinstance(result, Mapping):
            found = result.get("next_steps")
            assert isinstance(found, Mapping)
            steps += [(order, s) for s in found["steps"]]  # type: ignore[union-attr]
    steps.sort(key=lambda pair: (-Decimal(str(pair[1]["gain"])), pair[0]))
    return {
        "id": "fs-growth-path",
        "heading": "增长路径：怎样可以获得更多",
        "steps": [s for _, s in steps],
        "empty": ""
        if steps
        else "按所填画像，没有可以通过增加收入、研发投入、投资或取得资质、荣誉而获得更多支持的"
        "下一步；补充信息后再看。",
    }
