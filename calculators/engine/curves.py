"""金额曲线 — how a measure's ceiling grows with one input, traced through the rule itself.

A measure names the input varied and every x where its rule may bend or jump (`CurveSpec`, from
its parameters). The curve is traced through the measure's own `compute`: its value at every
breakpoint and, on each interval between two (where the rule is linear), its two one-sided
limits, so the pieces, the jumps and their open or closed ends are the rule's, not samples.

What comes out is data (`Curve`: runs, marks, caps, the reader's point and round axis ends) and
its words (the breakpoints as a table, a caption). Drawing it is the presentation's job
(`calculators.views.chart`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal, InvalidOperation, Overflow
from typing import TYPE_CHECKING, Any

from .growth import CurveSpec, Mark
from .inputs import FieldType
from .measure import Trace
from .money import FEN, ZERO, money_str, plain_number, round_fen, wan, yuan
from .params import ParamView

if TYPE_CHECKING:  # pragma: no cover
    from .inputs import Field
    from .measure import Measure

_WAN = Decimal(10_000)
_ONE = Decimal(1)


@dataclass(frozen=True)
class Run:
    """A continuous piece of a curve: a polyline, and whether its two ends are included."""

    points: list[tuple[Decimal, Decimal]]
    start_closed: bool
    end_closed: bool


@dataclass(frozen=True)
class Curve:
    """One traced curve: everything its table, caption and chart are made of."""

    field: Field
    runs: list[Run]
    marks: list[Mark]  # only where the curve bends or jumps
    caps: list[tuple[Decimal, str]]  # the ceilings the curve reaches
    reader: tuple[Decimal, Decimal]  # the reader's input and its amount
    x_end: Decimal  # round axis ends and tick steps, in API units
    x_step: Decimal
    y_end: Decimal
    y_step: Decimal
    places: int  # x as the API writes it: to the fen, or finer on a short axis

    @property
    def money(self) -> bool:
        return self.field.type is FieldType.MONEY

    @property
    def scale(self) -> Decimal:  # one shown unit of x, in API units
        return _WAN if self.money else _ONE

    @property
    def unit(self) -> str:  # the unit x is shown in
        return "万元" if self.money else self.field.unit

    @property
    def jumps(self) -> set[Decimal]:
        return {run.points[0][0] for run in self.runs[1:]}

    def x_api(self, v: Decimal) -> str:
        return money_str(v) if self.money else f"{v.quantize(_ONE.scaleb(self.places)):f}"

    def x_text(self, v: Decimal) -> str:
        if self.money:
            if v % 100 == 0:
                return wan(v) if v > 0 else "0 元"
            return f"{plain_number((v / _WAN).quantize(FEN))} 万元"
        return f"{plain_number(v.quantize(FEN))} {self.field.unit}"


def y_text(y: Decimal) -> str:
    return wan(y) if y % 100 == 0 else yuan(y)


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


def _straighten(run: Run) -> None:
    """Drop the points of a run where nothing bends (off the line by less than a fen)."""
    kept = [run.points[0]]
    for (x0, y0), (x1, y1), (x2, y2) in zip(
        run.points, run.points[1:], run.points[2:], strict=False
    ):
        if round_fen(y0 + (y2 - y0) * ((x1 - x0) / (x2 - x0))) != y1:
            kept.append((x1, y1))
    kept.append(run.points[-1])
    run.points[:] = kept


def trace_runs(f, xs: Sequence[Decimal]) -> list[Run]:
    """The runs of a piecewise-linear f whose only possible bends and jumps are at xs."""
    at = [round_fen(f(x)) for x in xs]
    pieces = []
    for a, b in itertools.pairwise(xs):
        q1, q2 = a + (b - a) / 4, a + (b - a) / 2
        y1, y2 = f(q1), f(q2)  # f is linear on (a, b): extrapolate to both one-sided limits
        pieces.append((round_fen(2 * y1 - y2), round_fen(y2 + 2 * (y2 - y1))))
    runs: list[Run] = []
    for i, (left, right) in enumerate(pieces):
        a, b = xs[i], xs[i + 1]
        start_closed, end_closed = at[i] == left, at[i + 1] == right
        prev = runs[-1] if runs else None
        if prev is not None and prev.end_closed and start_closed:
            prev.points.append((b, right))
            runs[-1] = Run(prev.points, prev.start_closed, end_closed)
        else:
            runs.append(Run([(a, left), (b, right)], start_closed, end_closed))
    for run in runs:
        _straighten(run)
    return runs


def amount_of_exact(measure: Measure, x: Any, p: ParamView) -> Decimal:
    """The measure's ceiling for typed inputs `x`, unrounded: the tracer needs the rule's exact
    linear values."""
    verdict = measure.compute(x, p, Trace())
    return verdict.amount if verdict.eligible else ZERO


def _merge_close(runs: list[Run], x_api) -> list[Run]:
    """Two bends closer than the API writes x are one place on the chart: keep the later."""
    for run in runs:
        kept: list[tuple[Decimal, Decimal]] = []
        for pt in run.points:
            if len(kept) > 1 and x_api(kept[-1][0]) == x_api(pt[0]):
                kept[-1] = pt
            elif not kept or x_api(kept[-1][0]) != x_api(pt[0]):
                kept.append(pt)
        run.points[:] = kept
    return [run for run in runs if len(run.points) > 1]


def trace(measure: Measure, spec: CurveSpec, x: Any, p: ParamView) -> Curve | None:
    """The curve of the ceiling against `spec.key`, other inputs as in `x`; None when flat 0."""
    field = next(f for f in measure.fields if f.key == spec.key)
    scale = _WAN if field.type is FieldType.MONEY else _ONE
    reader_x = getattr(x, spec.key)

    def f(v: Decimal) -> Decimal:
        return amount_of_exact(measure, replace(x, **{spec.key: v}), p)

    inside = [m.x for m in spec.marks if m.x > 0]
    x_end, x_step = _axis(max([reader_x, *inside]) * Decimal("1.2"), scale)
    xs = sorted({ZERO, x_end, *(v for v in inside if v < x_end)})
    places = -2 if field.type is FieldType.MONEY else min(-2, x_step.adjusted() - 1)
    draft = Curve(field, [], [], [], (reader_x, ZERO), x_end, x_step, ZERO, ZERO, places)
    runs = _merge_close(trace_runs(f, xs), draft.x_api)
    if all(y == 0 for run in runs for _, y in run.points):
        return None
    vertices = {px for run in runs for px, _ in run.points}
    marks: list[Mark] = []
    for m in spec.marks:  # only where the curve bends or jumps; one label for each place
        if m.x in vertices and 0 < m.x < x_end and all(m.x != k.x for k in marks):
            marks.append(m)
    top = max(y for run in runs for _, y in run.points)
    y_end, y_step = _axis(top * Decimal("1.15"), _WAN)
    return replace(
        draft, runs=runs, marks=marks, caps=[(y, t) for y, t in spec.caps if y == top],
        reader=(reader_x, round_fen(f(reader_x))), y_end=y_end, y_step=y_step,
    )


# --- its words ---------------------------------------------------------------------------------


def _end_word(at_jump: bool, closed: bool | None) -> str:
    if not at_jump or closed is None:
        return ""
    return "（含）" if closed else "（不含）"


def table(c: Curve) -> dict[str, object]:
    """The breakpoints as a table: one row per straight piece; the ends at a jump say whether
    they are included."""
    jumps = c.jumps
    rows = []
    for run in c.runs:
        last = len(run.points) - 2
        for j, ((x0, y0), (x1, y1)) in enumerate(itertools.pairwise(run.points)):
            lo = c.x_text(x0) + _end_word(x0 in jumps, run.start_closed if j == 0 else None)
            hi = c.x_text(x1) + _end_word(x1 in jumps, run.end_closed if j == last else None)
            span = f"{lo}以上" if x1 == c.x_end else f"{lo} 至 {hi}"
            if y1 == y0:
                value = "不符合条件（0 元）" if y0 == 0 else f"最高 {y_text(y0)}"
            else:
                slope = (y1 - y0) / (x1 - x0) * c.scale
                value = (f"由 {y_text(y0)} 增至 {y_text(y1)}"
                         f"（每增加 1 {c.unit}，增加 {yuan(slope)}）")
            rows.append([span, value])
    return {"head": [f"{c.field.label}（其他输入按所填）", "最高金额"], "rows": rows}


def caption(c: Curve) -> str:
    label = c.field.label
    mark_text = "；".join(
        m.label if c.x_text(m.x) in m.label else f"{m.label}：{label} {c.x_text(m.x)}"
        for m in c.marks
    )
    reader_x, reader_y = c.reader
    amount = f"最高 {y_text(reader_y)}" if reader_y > 0 else "不符合条件（0 元）"
    return (
        f"图：最高金额随{label}的变化（其他输入按所填不变）。您填写的{label}为 "
        f"{c.x_text(reader_x)}，对应{amount}。"
        + (f"门槛与拐点：{mark_text}。" if mark_text else "")
        + "".join(f"{text}：{y_text(y)}。" for y, text in c.caps)
    )


def curve_data(measure: Measure, c: Curve) -> dict[str, object]:
    """A traced curve as an evaluate result gives it (`curves`): strings in API units."""

    def point(a: Decimal, b: Decimal) -> dict[str, str]:
        return {"x": c.x_api(a), "y": money_str(b)}

    return {
        "id": f"fs-chart-{measure.id}-{c.field.key}",
        "key": c.field.key,
        "label": c.field.label,
        "unit": c.unit,
        "api_unit": c.field.unit,
        "runs": [
            {"points": [point(a, b) for a, b in run.points],
             "start": "closed" if run.start_closed else "open",
             "end": "closed" if run.end_closed else "open"}
            for run in c.runs
        ],
        "reader": {**point(*c.reader), "text": f"您：{y_text(c.reader[1])}"},
        "marks": [{"x": c.x_api(m.x), "label": m.label, "short": m.short, "x_text": c.x_text(m.x)}
                  for m in c.marks],
        "caps": [{"y": money_str(y), "label": text, "y_text": y_text(y)} for y, text in c.caps],
        # round axis ends and tick steps, exact (a step may be finer than a fen)
        "axes": {k: f"{v.normalize():f}" for k, v in (
            ("x_end", c.x_end), ("x_step", c.x_step), ("x_scale", c.scale),
            ("y_end", c.y_end), ("y_step", c.y_step))},
        "caption": caption(c),
        "table": table(c),
    }


def curves(measure: Measure, x: Any, p: ParamView) -> list[dict[str, object]]:
    """The `curves` of an evaluate result, one for each of the measure's `CurveSpec`s that is not
    flat 0."""
    specs = measure.curves(x, p) if measure.curves else ()
    out = []
    for spec in specs:
        try:
            found = trace(measure, spec, x, p)
        except (InvalidOperation, Overflow):
            # Guard: inputs at the fields' extremes (10^7 m² at 10^4 元, two bends a hair apart)
            # can need more digits than the 34 the arithmetic keeps; such a chart is left out
            # rather than letting anything but InputError escape evaluate.
            found = None
        if found is not None:
            out.append(curve_data(measure, found))
    return out
