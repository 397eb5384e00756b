"""链接 — the calculators' permalinks, written in one place.

A permalink's query carries API keys and units (元), lists comma-separated, booleans true/false;
`_form.open_link` reads it back. A link in an answer is relative to the site root (the page
resolves it against the site's base URL), so it is the same on every page that shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

__all__ = ["calculator_href", "canonical", "permalink_query", "query_pairs", "query_string"]

# A query is written and read here, not by urllib.parse: that module (and ipaddress, which it
# imports) would be 31 kB more of the browser's download (Brotli) for these two functions.
# tests/test_links.py checks both against urllib.parse's urlencode and parse_qsl.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_HEX = frozenset(bytes([b]) for b in b"0123456789abcdefABCDEF")  # one-byte slices


def _quote(text: str) -> str:
    """As urllib.parse.quote_plus(text, safe=""): UTF-8, spaces as "+"."""
    return "".join(
        chr(b) if b in _UNRESERVED else "+" if b == 0x20 else f"%{b:02X}"
        for b in text.encode("utf-8")
    )


def _unquote(text: str) -> str:
    """As urllib.parse.unquote_plus: "+" is a space, %XX a byte, bad UTF-8 replaced."""
    raw = text.replace("+", " ").encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 0x25 and raw[i + 1 : i + 2] in _HEX and raw[i + 2 : i + 3] in _HEX:
            out.append(int(raw[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "replace")



def query_string(pairs: Mapping[str, str]) -> str:
    """As urllib.parse.urlencode(pairs): "key=value&…"."""
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs.items())


def query_pairs(query: str) -> Iterable[tuple[str, str]]:
    """As urllib.parse.parse_qsl(query, keep_blank_values=True): (key, value) in order."""
    for part in query.split("&"):
        if part:
            key, _, value = part.partition("=")
            yield _unquote(key), _unquote(value)


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
    return "?" + query_string(pairs) if pairs else ""


def calculator_href(target: str, inputs: Mapping[str, object]) -> str:
    """A calculator page with these inputs filled in, relative to the site root."""
    return f"calculators/{target}/{permalink_query(inputs)}"
