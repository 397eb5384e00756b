"""字句 — amounts and verdicts in words, as the result views, the hints and the CLI write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..engine.inputs import ENTRY_SCALE
from ..engine.money import FEN, plain_number

_WAN = ENTRY_SCALE["万元"]
_YI = ENTRY_SCALE["亿元"]
_ONE = Decimal(1)


def wan_amount(amount: str | Decimal) -> str:
    """An API amount (元) in 万元, as results show it: "365000.00" → "36.5 万元"."""
    return f"{plain_number(Decimal(amount) / _WAN).replace(',', '')} 万元"


def amount_in_words(amount: Decimal) -> str:
    """A sum in the largest unit it reaches, to at most two decimals (half up): the live hint's
    words. 120000000 → "1.2 亿元"; 60000000 → "6,000 万元"; 365.5 → "365.5 元"."""
    unit, scale = ("元", _ONE)
    if amount >= _YI:
        unit, scale = "亿元", _YI
    elif amount >= _WAN:
        unit, scale = "万元", _WAN
    return f"{plain_number((amount / scale).quantize(FEN, rounding=ROUND_HALF_UP))} {unit}"


def verdict_words(eligible: bool) -> str:
    return "✓ 符合条件" if eligible else "✗ 按所填信息，暂不符合条件"
