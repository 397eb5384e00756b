"""二维码 — a QR code of a calculation's permalink, as an SVG the page builds like the charts.

The matrix comes from `segno` (a maintained, pure-Python QR encoder); here it becomes view nodes:
one `path` for the dark modules (a run of modules on a row is one rectangle), on a light square
with the quiet zone the standard asks for, labelled for screen readers (二维码：<address>) and
captioned with the address as text, for readers who type it.

Imported only for a QR request (`adapters.bridge`), and shipped in the on-demand extras archive
(sitebuild/pyodide_extras.py) with segno: a first result downloads none of it.
"""

from __future__ import annotations

import segno

from ..engine.inputs import InputError
from .nodes import node as _node

QUIET_ZONE = 4  # modules of light margin around the code (ISO/IEC 18004)
_MAX_CHARS = 2000  # far above any permalink; a QR code of more is hard to scan from a screen


def _runs(row) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in one row."""
    runs, start = [], None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            runs.append((start, x - start))
            start = None
    return runs


def qr_view(text: object) -> dict[str, object]:
    """The QR code of `text` (the permalink's full address) as a figure of view nodes."""
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_CHARS:
        raise InputError({"text": "二维码的内容应为本页的链接地址"})
    code = segno.make_qr(text, error="m")
    rows = list(code.matrix_iter(scale=1, border=QUIET_ZONE))
    size = len(rows)
    dark = "".join(f"M{x} {y}h{n}v1h-{n}z" for y, row in enumerate(rows) for x, n in _runs(row))
    svg = _node(
        "svg",
        _node("path", cls="fs-qr__light", d=f"M0 0h{size}v{size}h-{size}z"),
        _node("path", cls="fs-qr__dark", d=dark),
        cls="fs-qr__code", viewBox=f"0 0 {size} {size}", role="img",
        aria_label=f"二维码：{text}", focusable="false",
    )
    caption = _node("figcaption", "扫码打开此计算，或输入地址：",
                    _node("span", text, cls="fs-qr__url"), cls="fs-qr__caption")
    return {"version": code.version, "modules": size,
            "node": _node("figure", svg, caption, cls="fs-qr")}
