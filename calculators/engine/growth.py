"""下一步与金额曲线 — what would change the answer, and how the ceiling grows with one input.

Each measure module offers, from its own parameters and conditions, the changes within an
enterprise's reach (`steps(x, p)` → `Offer`s: revenue, R&D, investment, qualifications, honours)
and the breakpoints of its ceiling against its main continuous input (`curves(x, p)` →
`CurveSpec`s). Everything else is here and generic:

* an offer's amount is never computed twice: the measure's own `compute` runs on the changed
  inputs, so a step promises exactly what `evaluate` gives for its `inputs`;
* a curve is traced through the same `compute`: its value at every breakpoint and, on each
  interval between two breakpoints (where the rule is linear), its two one-sided limits — so the
  pieces, jumps and open/closed ends are the rule's, not samples;
* the wording (Chinese) and the chart geometry (SVG viewBox units, as strings) are made here, so
  that the page only creates elements and sets the attributes it is given.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation, Overflow
from typing import TYPE_CHECKING, Any

from .inputs import FieldType
from .links import calculator_href
from .money import FEN, ZERO, money_str, plain_number, round_fen, wan, yuan
from .params import ParamView, clauses

if TYPE_CHECKING:  # pragma: no cover
    from .measure import Measure

_WAN = Decimal(10_000)
_ONE = Decimal(1)


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


def next_steps(
    measure: Measure, x: Any, p: ParamView, values: Mapping[str, object]
) -> dict[str, object]:
    """The `next_steps` of an evaluate result: the offers that unlock more, worded, best first."""
    offers, notes = measure.steps(x, p) if measure.steps else ((), ())
    current = amount_of(measure, x, p)
    label = clauses()[measure.clause].label
    field_of = {f.key: f for f in measure.fields}
    base = api_inputs(measure, x, values)
    steps: list[dict[str, object]] = []
    for offer in offers:
        amount = amount_of(measure, offer.inputs, p)
        gain = amount if offer.separate else amount - current
        if amount <= 0 or gain <= 0:
            continue  # nothing more to unlock (e.g. 晋档补差 leaves nothing)
        changed = {
            c.key: api_value(field_of[c.key].type, getattr(offer.inputs, c.key))
            for c in offer.changes
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
        all_inputs = {**base, **changed}
        steps.append(
            {
                "measure": measure.id,
                "title": measure.title,
                "clause": measure.clause,
                "clause_label": label,
                "changes": [
                    {
                        "key": c.key,
                        "label": field_of[c.key].label,
                        "condition": c.condition,
                        "now": c.now,
                        "needed": c.needed,
                        "gap": c.gap,
                        "gap_amount": None if c.gap_amount is None else money_str(c.gap_amount),
                    }
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
                "text": (
                    f"{label}：{needed}（{situation}），{offer.result}：{_amount_text(amount)}"
                    + (
                        f"，{gain_text}。"
                        if current > 0 and not offer.separate
                        else f"（{gain_text}）。"
                    )
                ),
            }
        )
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


# --- curves ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """A continuous piece of a curve: a polyline, and whether its two ends are included."""

    points: list[tuple[Decimal, Decimal]]
    start_closed: bool
    end_closed: bool


def _nice_step(raw: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ raw (> 0)."""
    k = raw.adjusted()
    for _ in range(3):
        power = Decimal(10) ** k
        for m in ("1", "2", "2.5", "5"):
            step = Decimal(m) * power
            if step >= raw:
                return step
        k += 1
    return Decimal(10) ** (k + 1)  # pragma: no cover


def _axis(top: Decimal, unit_scale: Decimal) -> tuple[Decimal, Decimal]:
    """A round axis end ≥ top (in API units) and its tick step, ticks round in the shown unit."""
    shown = top / unit_scale
    if shown <= 0:
        shown = _ONE
    step = _nice_step(shown / 5)
    end = (shown / step).to_integral_value(rounding=ROUND_CEILING) * step
    return end * unit_scale, step * unit_scale


def _trace(f, xs: Sequence[Decimal]) -> list[_Run]:
    """The runs of a piecewise-linear f whose only possible bends and jumps are at xs."""
    at = [round_fen(f(x)) for x in xs]
    pieces = []
    for a, b in itertools.pairwise(xs):
        q1, q2 = a + (b - a) / 4, a + (b - a) / 2
        y1, y2 = f(q1), f(q2)  # f is linear on (a, b): extrapolate to both one-sided limits
        pieces.append((round_fen(2 * y1 - y2), round_fen(y2 + 2 * (y2 - y1))))
    runs: list[_Run] = []
    for i, (left, right) in enumerate(pieces):
        a, b = xs[i], xs[i + 1]
        start_closed = at[i] == left
        end_closed = at[i + 1] == right
        prev = runs[-1] if runs else None
        if prev is not None and prev.end_closed and start_closed:
            prev.points.append((b, right))
            runs[-1] = _Run(prev.points, prev.start_closed, end_closed)
        else:
            runs.append(_Run([(a, left), (b, right)], start_closed, end_closed))
    for run in runs:  # drop the points where nothing bends
        kept = [run.points[0]]
        for (x0, y0), (x1, y1), (x2, y2) in zip(
            run.points, run.points[1:], run.points[2:], strict=False
        ):
            # a bend: the middle point is off the straight line through its neighbours (by a fen)
            if round_fen(y0 + (y2 - y0) * ((x1 - x0) / (x2 - x0))) != y1:
                kept.append((x1, y1))
        kept.append(run.points[-1])
        run.points[:] = kept
    return runs


def _x_text(ftype: FieldType, unit: str, x: Decimal) -> str:
    if ftype is FieldType.MONEY:
        if x % 100 == 0:
            return wan(x) if x > 0 else "0 元"
        return f"{plain_number((x / _WAN).quantize(FEN))} 万元"
    return f"{plain_number(x.quantize(FEN))} {unit}"


def _end_word(at_jump: bool, closed: bool | None) -> str:
    if not at_jump or closed is None:
        return ""
    return "（含）" if closed else "（不含）"


def _y_text(y: Decimal) -> str:
    return wan(y) if y % 100 == 0 else yuan(y)


# Chart geometry, in viewBox units.
_W, _H = Decimal(640), Decimal(340)
_LEFT, _RIGHT, _TOP, _BOTTOM = Decimal(78), Decimal(24), Decimal(64), Decimal(48)


def _num(v: Decimal) -> str:
    return f"{v.quantize(Decimal('0.1')):f}"


def curve(measure: Measure, spec: CurveSpec, x: Any, p: ParamView) -> dict[str, object] | None:
    """One curve of an evaluate result: its runs, table, caption and SVG, or None when flat 0."""
    from dataclasses import replace

    field = next(f for f in measure.fields if f.key == spec.key)
    ftype = field.type
    scale = _WAN if ftype is FieldType.MONEY else _ONE
    unit = "万元" if ftype is FieldType.MONEY else field.unit
    reader_x = getattr(x, spec.key)

    def f(v: Decimal) -> Decimal:
        return amount_of_exact(measure, replace(x, **{spec.key: v}), p)

    inside = [m.x for m in spec.marks if m.x > 0]
    x_end, x_step = _axis(max([reader_x, *inside]) * Decimal("1.2"), scale)
    xs = sorted({ZERO, x_end, *(v for v in inside if v < x_end)})
    runs = _trace(f, xs)
    # x as the API writes it: to the fen, or (other units) fine enough for the axis' ticks
    places = -2 if ftype is FieldType.MONEY else min(-2, x_step.adjusted() - 1)

    def x_api(v: Decimal) -> str:
        return money_str(v) if ftype is FieldType.MONEY else f"{v.quantize(_ONE.scaleb(places)):f}"

    for run in runs:  # two bends closer than that are one place on the chart: keep the later
        kept: list[tuple[Decimal, Decimal]] = []
        for pt in run.points:
            if len(kept) > 1 and x_api(kept[-1][0]) == x_api(pt[0]):
                kept[-1] = pt
            elif not kept or x_api(kept[-1][0]) != x_api(pt[0]):
                kept.append(pt)
        run.points[:] = kept
    runs = [run for run in runs if len(run.points) > 1]
    if all(y == 0 for run in runs for _, y in run.points):
        return None
    vertices = {px for run in runs for px, _ in run.points}
    jumps = {px for i, run in enumerate(runs) if i for px in (run.points[0][0],)}
    marks: list[Mark] = []
    for m in spec.marks:  # only where the curve bends or jumps; one label for each place
        if m.x in vertices and 0 < m.x < x_end and all(m.x != k.x for k in marks):
            marks.append(m)
    top = max(y for run in runs for _, y in run.points)
    caps = [(y, label) for y, label in spec.caps if y == top]
    y_end, y_step = _axis(top * Decimal("1.15"), _WAN)
    reader_y = round_fen(f(reader_x))

    label = field.label
    # --- the table: one row per straight piece; ends at a jump say whether they are included
    rows = []
    segments = [
        (
            a,
            b,
            run.start_closed if j == 0 else None,
            run.end_closed if j == len(run.points) - 2 else None,
        )
        for run in runs
        for j, (a, b) in enumerate(itertools.pairwise(run.points))
    ]
    for (x0, y0), (x1, y1), start_closed, end_closed in segments:
        lo = _x_text(ftype, field.unit, x0) + _end_word(x0 in jumps, start_closed)
        hi = _x_text(ftype, field.unit, x1) + _end_word(x1 in jumps, end_closed)
        span = f"{lo}以上" if x1 == x_end else f"{lo} 至 {hi}"
        if y1 == y0:
            value = "不符合条件（0 元）" if y0 == 0 else f"最高 {_y_text(y0)}"
        else:
            slope = (y1 - y0) / (x1 - x0) * scale
            value = f"由 {_y_text(y0)} 增至 {_y_text(y1)}（每增加 1 {unit}，增加 {yuan(slope)}）"
        rows.append([span, value])
    table = {"head": [f"{label}（其他输入按所填）", "最高金额"], "rows": rows}

    mark_text = "；".join(
        m.label
        if _x_text(ftype, field.unit, m.x) in m.label
        else f"{m.label}：{label} {_x_text(ftype, field.unit, m.x)}"
        for m in marks
    )
    caption = (
        f"图：最高金额随{label}的变化（其他输入按所填不变）。您填写的{label}为 "
        f"{_x_text(ftype, field.unit, reader_x)}，对应{_amount_or_none(reader_y)}。"
        + (f"门槛与拐点：{mark_text}。" if mark_text else "")
        + "".join(f"{text}：{_y_text(y)}。" for y, text in caps)
    )

    # --- the chart geometry (strings only: the page sets them as they are)
    plot_w = _W - _LEFT - _RIGHT
    plot_h = _H - _TOP - _BOTTOM

    def px(v: Decimal) -> Decimal:
        return _LEFT + v / x_end * plot_w

    def py(v: Decimal) -> Decimal:
        return _TOP + plot_h - v / y_end * plot_h

    els: list[dict[str, object]] = []

    def el(tag: str, cls: str, text: str | None = None, **attrs: str) -> None:
        item: dict[str, object] = {
            "tag": tag,
            "attrs": {"class": cls, **{k.replace("_", "-"): v for k, v in attrs.items()}},
        }
        if text is not None:
            item["text"] = text
        els.append(item)

    bottom, right = _num(py(ZERO)), _num(px(x_end))
    n = int((y_end / y_step).to_integral_value())
    for i in range(n + 1):
        v = y_step * i
        y = _num(py(v))
        el("path", "fs-chart__grid", d=f"M{_num(_LEFT)} {y}H{right}")
        el(
            "text",
            "fs-chart__tick",
            plain_number(v / _WAN),
            x=_num(_LEFT - 6),
            y=y,
            text_anchor="end",
            dominant_baseline="middle",
        )
    n = int((x_end / x_step).to_integral_value())
    for i in range(n + 1):
        v = x_step * i
        x_px = _num(px(v))
        el("path", "fs-chart__tickmark", d=f"M{x_px} {bottom}v5")
        el(
            "text",
            "fs-chart__tick",
            plain_number(v / scale),
            x=x_px,
            y=_num(py(ZERO) + 18),
            text_anchor="middle",
        )
    el("path", "fs-chart__axis", d=f"M{_num(_LEFT)} {_num(_TOP - 8)}V{bottom}H{right}")
    el("text", "fs-chart__title", f"{label}（{unit}）", x=right, y=_num(_H - 6), text_anchor="end")
    el(
        "text",
        "fs-chart__title",
        "最高金额（万元）",
        x=_num(_LEFT - 6),
        y="14",
        text_anchor="start",
    )
    for y, text in caps:
        y_px = _num(py(y))
        el("path", "fs-chart__cap", d=f"M{_num(_LEFT)} {y_px}H{right}")
        el(
            "text",
            "fs-chart__note",
            f"{text} {_y_text(y)}",
            x=right,
            y=_num(py(y) - 6),
            text_anchor="end",
        )
    for i, m in enumerate(marks):
        x_px = px(m.x)
        row = _TOP - 28 + 14 * (i % 2)  # alternate two rows so neighbours do not overlap
        el("path", "fs-chart__mark", d=f"M{_num(x_px)} {_num(row + 4)}V{bottom}")
        anchor = "end" if x_px > _W - _RIGHT - 80 else "start" if x_px < _LEFT + 80 else "middle"
        el("text", "fs-chart__note", m.short, x=_num(x_px), y=_num(row), text_anchor=anchor)
    for run in runs:
        el(
            "polyline",
            "fs-chart__line",
            points=" ".join(f"{_num(px(a))},{_num(py(b))}" for a, b in run.points),
        )
    for run in runs:  # ends at a jump: filled when included, hollow when not
        for (a, b), closed, is_jump in (
            (run.points[0], run.start_closed, run.points[0][0] in jumps),
            (run.points[-1], run.end_closed, run.points[-1][0] in jumps),
        ):
            if is_jump:
                el(
                    "circle",
                    "fs-chart__end fs-chart__end--" + ("closed" if closed else "open"),
                    cx=_num(px(a)),
                    cy=_num(py(b)),
                    r="4",
                )
    rx, ry = px(reader_x), py(reader_y)
    el("circle", "fs-chart__you", cx=_num(rx), cy=_num(ry), r="6")
    anchor = "end" if rx > _W - _RIGHT - 120 else "start"
    dx = Decimal(-10) if anchor == "end" else Decimal(10)
    el(
        "text",
        "fs-chart__you-label",
        f"您：{_y_text(reader_y)}",
        x=_num(rx + dx),
        y=_num(ry - 10 if ry > _TOP + 20 else ry + 18),
        text_anchor=anchor,
    )

    def point(a: Decimal, b: Decimal) -> dict[str, str]:
        return {"x": x_api(a), "y": money_str(b)}

    return {
        "id": f"fs-chart-{measure.id}-{spec.key}",
        "key": spec.key,
        "label": label,
        "unit": unit,
        "api_unit": field.unit,
        "runs": [
            {
                "points": [point(a, b) for a, b in run.points],
                "start": "closed" if run.start_closed else "open",
                "end": "closed" if run.end_closed else "open",
            }
            for run in runs
        ],
        "reader": {**point(reader_x, reader_y), "text": f"您：{_y_text(reader_y)}"},
        "marks": [
            {
                "x": x_api(m.x),
                "label": m.label,
                "short": m.short,
                "x_text": _x_text(ftype, field.unit, m.x),
            }
            for m in marks
        ],
        "caps": [{"y": money_str(y), "label": text, "y_text": _y_text(y)} for y, text in caps],
        "caption": caption,
        "table": table,
        "svg": {
            "xmlns": "http://www.w3.org/2000/svg",
            "view_box": f"0 0 {_W} {_H}",
            "label": f"最高金额随{label}变化的图，数据见下表",
            "elements": els,
        },
    }


def _amount_or_none(y: Decimal) -> str:
    return f"最高 {_y_text(y)}" if y > 0 else "不符合条件（0 元）"


def amount_of_exact(measure: Measure, x: Any, p: ParamView) -> Decimal:
    """Like amount_of, unrounded: the curve tracer needs the rule's exact linear values."""
    from .measure import Trace

    verdict = measure.compute(x, p, Trace())
    return verdict.amount if verdict.eligible else ZERO


def curves(measure: Measure, x: Any, p: ParamView) -> list[dict[str, object]]:
    specs = measure.curves(x, p) if measure.curves else ()
    out = []
    for spec in specs:
        try:
            found = curve(measure, spec, x, p)
        except (InvalidOperation, Overflow):  # guard, see below
            # Guard: inputs at the fields' extremes (10^7 m² at 10^4 元, two bends a hair apart)
            # can need more digits than the 34 the arithmetic keeps; such a chart is left out
            # rather than letting anything but InputError escape evaluate.
            found = None
        if found is not None:
            out.append(found)
    return out


def extend(
    result: dict[str, object],
    measure: Measure,
    x: Any,
    p: ParamView,
    values: Mapping[str, object],
    *,
    with_curves: bool = True,
) -> None:
    """Add `next_steps` and (unless not wanted) `curves` to an evaluate result (`_engine.run`)."""
    result["next_steps"] = next_steps(measure, x, p, values)
    if with_curves:
        result["curves"] = curves(measure, x, p)


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
    "curves",
    "extend",
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
