"""Money typed the way people write it (engine.inputs.read_money_text): one reading for the form,
the command line and `evaluate`'s unit strings, checked in CPython and through the form in
Chromium against the same table of literal, hand-checked values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from browsing import type_each, visit, wait_ready
from hypothesis import given
from hypothesis import strategies as st

from calculators import InputError, evaluate
from calculators.engine.inputs import MONEY_MESSAGE, read_entry
from calculators.engine.measure import REVENUE_LAST_YEAR
from calculators.views.form import amount_in_words, money_hint

# (typed into a 万元 field, what it means in 元, or the error it gets). A bare number is 万元.
TABLE = [
    ("1200", "12000000"),
    ("1200万", "12000000"),
    ("0.5亿", "50000000"),
    ("3千万", "30000000"),
    ("5百万", "5000000"),
    ("1亿2000万", "120000000"),
    ("1亿2千万", "120000000"),
    ("1亿零500万", "105000000"),
    ("2万5千", "25000"),
    ("两千万", "20000000"),
    ("一千二百万", "12000000"),
    ("三千万", "30000000"),
    ("壹仟万元整", "10000000"),
    ("100万元整", "1000000"),
    ("￥5000", "5000"),  # ￥ marks yuan
    ("¥5000", "5000"),
    ("￥5000万", "50000000"),
    ("5000.", "50000000"),  # a trailing dot is a number
    ("5000元", "5000"),
    ("3千", "30000000"),  # no 元/万/亿: the field's unit, 万元
    ("十二", "120000"),
    ("1,000", "10000000"),
    ("１，０００万", "10000000"),
    # refused, as before
    ("1,0", MONEY_MESSAGE),
    ("12,34", MONEY_MESSAGE),
    ("1,2345", MONEY_MESSAGE),
    ("1.2.3", MONEY_MESSAGE),
    ("0x10", MONEY_MESSAGE),
    ("1e5", MONEY_MESSAGE),
    ("<b>1</b>", MONEY_MESSAGE),
    ("Infinity", "不是有效数字（NaN 或无穷大）"),
    ("万", MONEY_MESSAGE),
    ("约3000万", MONEY_MESSAGE),
    # what could be read two ways: spoken 两万五 is 25,000, an exact reading 20,005
    ("2万5", MONEY_MESSAGE),
    ("一千二", MONEY_MESSAGE),
    ("1亿20000万", MONEY_MESSAGE),  # what follows 亿 stays below one 亿
    ("1亿0.5万", MONEY_MESSAGE),  # decimals only in a number with one unit word
    ("-5万", "不能为负数"),
]


def _read(typed: str) -> str:
    try:
        return str(Decimal(read_entry(REVENUE_LAST_YEAR, typed)).normalize().__format__("f"))
    except InputError as e:
        return e.errors[REVENUE_LAST_YEAR.key]


@pytest.mark.parametrize(("typed", "meaning"), TABLE)
def test_the_table_in_cpython(typed: str, meaning: str) -> None:
    assert _read(typed) == meaning


def test_the_message_says_what_would_be_accepted() -> None:
    assert MONEY_MESSAGE == "请输入金额，如 1200、1200万 或 0.5亿"
    assert money_hint(REVENUE_LAST_YEAR, "3千万") == "= 3,000 万元"
    assert money_hint(REVENUE_LAST_YEAR, "2万5") == ""


def test_evaluate_reads_unit_strings_the_same_way() -> None:
    """In the API a bare number is 元; a unit word or ￥ says what it says."""
    base = {"project_completed_last_year": True, "as_of": "2025-06-01"}
    for typed in ("3千万", "三千万元整", "￥30000000", "30000000."):
        result = evaluate("upgrade_support", {**base, "fixed_asset_investment": typed})
        assert result["amount_max"] == "6000000.00", typed
    with pytest.raises(InputError) as info:
        evaluate("upgrade_support", {**base, "fixed_asset_investment": "2万5"})
    assert info.value.errors == {"fixed_asset_investment": MONEY_MESSAGE}


@given(st.integers(0, 99_999), st.integers(0, 9_999))
def test_amounts_written_back_in_words_read_back(yi: int, wan: int) -> None:
    """x亿y万 (as a reader writes an amount back) reads as x·10^8 + y·10^4 元."""
    if not yi and not wan:
        return
    text = (f"{yi}亿" if yi else "") + (f"{wan}万" if wan else "")
    assert read_entry(REVENUE_LAST_YEAR, text) == yi * 10**8 + wan * 10**4


@given(st.integers(1, 10**12).map(lambda n: Decimal(n) / 100))
def test_the_live_hints_words_read_back(amount: Decimal) -> None:
    """The hint's words (“= 1,234.57 亿元”), typed back, give the amount the hint rounds to."""
    words = amount_in_words(amount)
    back = read_entry(REVENUE_LAST_YEAR, words)
    unit = Decimal(10**8) if "亿" in words else Decimal(10**4) if "万" in words else Decimal(1)
    assert abs(back - amount) <= unit / 200  # half a hundredth of the unit shown


def test_the_table_through_the_form(calc_page, site_server: str) -> None:
    """The same table typed into a 万元 field of a real page, each computed: the field shows
    Python's error, or the permalink carries Python's amount in 元."""
    page = calc_page
    visit(page, site_server, "calculators/growth_award/")
    wait_ready(page)
    page.locator('.fs-field[data-key="industry"] input[value="software_it"]').check()
    got = {c["typed"]: c["state"] for c in type_each(page, "revenue_last_year",
                                                       [t for t, _ in TABLE])}
    for typed, meaning in TABLE:
        state = got[typed]
        if meaning[0].isdigit():
            assert "revenue_last_year" not in state["errors"], (typed, state["errors"])
            assert f"revenue_last_year={meaning}&" in state["query"] + "&", (typed, state["query"])
        else:
            assert state["errors"].get("revenue_last_year") == meaning, typed
