"""图 — a traced curve (an evaluate result's `curves`) drawn as inline SVG, and its figure.

The geometry is laid out here in viewBox units, every attribute a string, so that the page only
creates the elements and sets what it is given. The points, marks, caps and axis ends are the
curve's own (`calculators.engine.curves`); nothing is traced or computed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..engine.money import ZERO, plain_number
from .nodes import node

_WAN = Decimal(10_000)
# Chart geometry, in viewBox units.
_W, _H = Decimal(640), Decimal(340)
_LEFT, _RIGHT, _TOP, _BOTTOM = Decimal(78), Decimal(24), Decimal(64), Decimal(48)
_PLOT_W, _PLOT_H = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

Curve = Mapping[str, object]  # one of an evaluate result's `curves`


def _num(v: Decimal) -> str:
    return f"{v.quantize(Decimal('0.1')):f}"


class _Layout:
    """The curve's axes mapped into the plot area, and the elements drawn so far."""

    def __init__(self, c: Curve) -> None:
        axes = c["axes"]
        self.x_end, self.x_step = Decimal(axes["x_end"]), Decimal(axes["x_step"])
        self.y_end, self.y_step = Decimal(axes["y_end"]), Decimal(axes["y_step"])
        self.x_scale = Decimal(axes["x_scale"])
        self.els: list[dict[str, object]] = []

    def px(self, v: Decimal) -> Decimal:
        return _LEFT + v / self.x_end * _PLOT_W

    def py(self, v: Decimal) -> Decimal:
        return _TOP + _PLOT_H - v / self.y_end * _PLOT_H

    def el(self, tag: str, cls: str, text: str | None = None, **attrs: str) -> None:
        item: dict[str, object] = {
            "tag": tag,
            "attrs": {"class": cls, **{k.replace("_", "-"): v for k, v in attrs.items()}},
        }
        if text is not None:
            item["text"] = text
        self.els.append(item)


def _axes(g: _Layout, c: Curve) -> None:
    """Grid lines and ticks (万元 up, the input's shown unit across), the axes and their titles."""
    bottom, right = _num(g.py(ZERO)), _num(g.px(g.x_end))
    for i in range(int((g.y_end / g.y_step).to_integral_value()) + 1):
        v = g.y_step * i
        y = _num(g.py(v))
        g.el("path", "fs-chart__grid", d=f"M{_num(_LEFT)} {y}H{right}")
        g.el("text", "fs-chart__tick", plain_number(v / _WAN), x=_num(_LEFT - 6), y=y,
             text_anchor="end", dominant_baseline="middle")
    for i in range(int((g.x_end / g.x_step).to_integral_value()) + 1):
        v = g.x_step * i
        x_px = _num(g.px(v))
        g.el("path", "fs-chart__tickmark", d=f"M{x_px} {bottom}v5")
        g.el("text", "fs-chart__tick", plain_number(v / g.x_scale), x=x_px,
             y=_num(g.py(ZERO) + 18), text_anchor="middle")
    g.el("path", "fs-chart__axis", d=f"M{_num(_LEFT)} {_num(_TOP - 8)}V{bottom}H{right}")
    g.el("text", "fs-chart__title", f"{c['label']}（{c['unit']}）", x=right, y=_num(_H - 6),
         text_anchor="end")
    g.el("text", "fs-chart__title", "最高金额（万元）", x=_num(_LEFT - 6), y="14",
         text_anchor="start")


def _notes(g: _Layout, c: Curve) -> None:
    """The caps reached and the marks (thresholds, kinks), labelled."""
    right, bottom = _num(g.px(g.x_end)), _num(g.py(ZERO))
    for cap in c["caps"]:
        y = Decimal(cap["y"])
        g.el("path", "fs-chart__cap", d=f"M{_num(_LEFT)} {_num(g.py(y))}H{right}")
        g.el("text", "fs-chart__note", f"{cap['label']} {cap['y_text']}", x=right,
             y=_num(g.py(y) - 6), text_anchor="end")
    for i, m in enumerate(c["marks"]):
        x_px = g.px(Decimal(m["x"]))
        row = _TOP - 28 + 14 * (i % 2)  # alternate two rows so neighbours do not overlap
        g.el("path", "fs-chart__mark", d=f"M{_num(x_px)} {_num(row + 4)}V{bottom}")
        anchor = "end" if x_px > _W - _RIGHT - 80 else "start" if x_px < _LEFT + 80 else "middle"
        g.el("text", "fs-chart__note", m["short"], x=_num(x_px), y=_num(row), text_anchor=anchor)


def _lines(g: _Layout, c: Curve) -> None:
    """The runs as polylines; their ends at a jump filled when included, hollow when not; the
    reader's point."""
    runs = c["runs"]
    jumps = {run["points"][0]["x"] for run in runs[1:]}
    for run in runs:
        g.el("polyline", "fs-chart__line", points=" ".join(
            f"{_num(g.px(Decimal(p['x'])))},{_num(g.py(Decimal(p['y'])))}"
            for p in run["points"]))
    for run in runs:
        for point, closed in ((run["points"][0], run["start"]), (run["points"][-1], run["end"])):
            if point["x"] in jumps:
                g.el("circle", f"fs-chart__end fs-chart__end--{closed}",
                     cx=_num(g.px(Decimal(point["x"]))), cy=_num(g.py(Decimal(point["y"]))),
                     r="4")
    reader = c["reader"]
    rx, ry = g.px(Decimal(reader["x"])), g.py(Decimal(reader["y"]))
    g.el("circle", "fs-chart__you", cx=_num(rx), cy=_num(ry), r="6")
    anchor = "end" if rx > _W - _RIGHT - 120 else "start"
    dx = Decimal(-10) if anchor == "end" else Decimal(10)
    g.el("text", "fs-chart__you-label", reader["text"], x=_num(rx + dx),
         y=_num(ry - 10 if ry > _TOP + 20 else ry + 18), text_anchor=anchor)


def svg(c: Curve) -> dict[str, object]:
    """The chart of one curve: its viewBox, its label and its elements (strings only)."""
    g = _Layout(c)
    _axes(g, c)
    _notes(g, c)
    _lines(g, c)
    return {
        "xmlns": "http://www.w3.org/2000/svg",
        "view_box": f"0 0 {_W} {_H}",
        "label": f"最高金额随{c['label']}变化的图，数据见下表",
        "elements": g.els,
    }


def chart_node(c: Curve) -> dict[str, object]:
    """One curve as a figure: its SVG (an image the caption describes), the caption, and the
    breakpoints as a table (what a screen reader or a printout reads)."""
    drawn = svg(c)
    shapes = [
        {"tag": e["tag"], "cls": e["attrs"]["class"],
         "attrs": {k: v for k, v in e["attrs"].items() if k != "class"},
         "children": [e["text"]] if "text" in e else []}
        for e in drawn["elements"]
    ]
    table = c["table"]
    return node(
        "figure",
        {"tag": "svg", "cls": "fs-chart__svg", "children": shapes,
         "attrs": {"viewBox": drawn["view_box"], "role": "img", "aria-label": drawn["label"],
                   "aria-describedby": c["id"], "focusable": "false"}},
        node("figcaption", c["caption"], cls="fs-chart__caption", id=c["id"]),
        node("div", node(
            "table",
            node("thead", node("tr", *(node("th", h, scope="col") for h in table["head"]))),
            node("tbody", *(node("tr", node("th", span, scope="row"), node("td", value))
                            for span, value in table["rows"])),
        ), cls="fs-chart__table"),
        cls="fs-chart",
    )
