"""金额 — Decimal arithmetic, half-up rounding to the fen, and Chinese number formatting."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import (
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import ParamSpec, TypeVar

FEN = Decimal("0.01")
ZERO = Decimal(0)
_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)

# The arithmetic runs in this context whatever the caller's thread context is: every input is
# bounded (≤ 10^14 元), so 34 digits keep each product exact before the final rounding.
_CONTEXT = Context(
    prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow]
)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def fixed_context(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(_CONTEXT):
            return fn(*args, **kwargs)

    return wrapper


def round_fen(amount: Decimal) -> Decimal:
    """Round half-up to the fen (四舍五入到分); -0.00 becomes 0.00."""
    rounded = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else ZERO.quantize(FEN)


def money_str(amount: Decimal) -> str:
    """The API form of an amount: yuan with exactly two decimals, e.g. "365000.00"."""
    return f"{round_fen(amount):f}"


def plain_number(value: Decimal | int) -> str:
    """1000 → "1,000"; 1234.50 → "1,234.5" (no exponent, no trailing zeros)."""
    d = Decimal(value)
    text = f"{d:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def yuan(amount: Decimal) -> str:
    """A computed amount for reasons: "365,000.00 元"."""
    return f"{round_fen(amount):,.2f} 元"


def wan(amount: Decimal) -> str:
    """A policy amount as the text states it: 2000 万元, 1 亿元, 20 万元 (else in yuan)."""
    if amount >= _YI and amount % _YI == 0:
        return f"{plain_number(amount / _YI).replace(',', '')} 亿元"
    if amount >= _WAN and amount % (_WAN / 100) == 0:
        return f"{plain_number(amount / _WAN).replace(',', '')} 万元"
    return f"{plain_number(amount)} 元"


def pct(rate: Decimal) -> str:
    """0.5 → "50%"; 0.3 → "30%"."""
    return plain_number(rate * 100) + "%"


_PCT_SHOWN_MAX = Decimal(1_000_000)  # %: beyond it, the digits say nothing a reader needs


def pct_floor(ratio: Decimal) -> str:
    """A ratio shown to two decimals, truncated so that it never looks better than it is.

    A tiny divisor makes the ratio astronomically large (quantizing it would exceed the context's
    34 digits): above 1,000,000 % it reads as a bound.
    """
    percent = ratio * 100
    if percent > _PCT_SHOWN_MAX:
        return f"超过 {plain_number(_PCT_SHOWN_MAX)}%"
    return f"{percent.quantize(FEN, rounding=ROUND_DOWN):f}%"
