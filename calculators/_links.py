"""链接 — the calculators' permalinks, written in one place.

A permalink's query carries API keys and units (元), lists comma-separated, booleans true/false;
`_form.open_link` reads it back. A link in an answer is relative to the site root (the page
resolves it against the site's base URL), so it is the same on every page that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from urllib.parse import urlencode

__all__ = ["calculator_href", "canonical", "permalink_query"]


def canonical(value: Decimal) -> str:
    """A yuan amount for a link: "50000000", "1234.5" (no exponent, no trailing zeros)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def permalink_query(inputs: Mapping[str, object]) -> str:
    """API inputs as a calculator permalink's query ("?key=value&…", "" for none). The form, the
    build's 示例 links, next steps, the growth path and the CLI write links with it."""

    def text(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list | tuple):
            return ",".join(str(x) for x in v)
        if isinstance(v, Decimal):
            return canonical(v)
        return str(v)

    pairs = {k: text(v) for k, v in inputs.items() if v is not None}
    return "?" + urlencode(pairs) if pairs else ""


def calculator_href(target: str, inputs: Mapping[str, object]) -> str:
    """A calculator page with these inputs filled in, relative to the site root."""
    return f"calculators/{target}/{permalink_query(inputs)}"
