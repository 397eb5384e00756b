"""Hostile and odd input, in a real browser, on every form: typed into each field, and in links.

Differential: what the page shows for each typed text (the amount, or the error at each field, and
the live hint) must be what CPython's own `calculators.form` gives for the *same text* as the
reader sees it in the form — not for what the page sent. Every case ends in a result or a
Chinese error at the right field, with focus on the first field to correct. No script runs (a
dialog fails the test), nothing is injected into the page, the page keeps answering, and the form
keeps what the person typed. All forms share one warm page (conftest `calc_page`).
"""

from __future__ import annotations

import time
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from browsing import (
    ANSWER_TIMEOUT,
    FORMS,
    cpython_form,
    foreign,
    form_state,
    press_compute,
    type_each,
    visit,
    wait_ready,
)

import calculators
from calculators import permalink_query
from calculators.engine.measure import REVENUE_LAST_YEAR
from sitebuild.casedata import load_cases

# One list for this test and for the trimmed runtime's profile (sitebuild/profile_requests.py).
from sitebuild.profile_requests import BAD_NUMBERS, DATES, MONEY, SAME_NUMBER, TYPED, XSS

# Fields that are the same Field on several forms get the full list once (on the registry's first
# measure, and 营业收入 on 政策匹配), a short one elsewhere: every form still meets every kind of
# value.
COMMON = ("other_policy_amount", "as_of")
FULL_COMMON = next(iter(calculators.MEASURES))
SHORT = ["１２３４", "", " ", "-1", "1e400", "NaN", XSS]


def values_for(form: str, key: str, kind: str) -> list[str]:
    if (key in COMMON and form != FULL_COMMON) or (form == "match" and
                                                      key != "revenue_last_year"):
        return SHORT
    return [*TYPED, *(DATES if kind == "date" else []), *(MONEY if kind == "money" else [])]


def base_case(form: str):
    """A worked case with a result, to fill the form before one field is spoiled."""
    for case in load_cases(form):
        exp = case.expected
        if "error_fields" in exp:
            continue
        if form == "match" and exp.get("grant_total_max", "0.00") == "0.00":
            continue
        if form != "match" and exp.get("eligible") is not True:
            continue
        return case
    raise AssertionError(f"no worked case with a result for {form}")


def text_fields(page) -> list[tuple[str, str]]:
    """(key, type) of every text input of the form, in form order."""
    return page.eval_on_selector_all(
        ".fs-calc .fs-field:has(input[type=text])",
        "els => els.filter(e => !e.hidden).map(e => [e.dataset.key, e.dataset.type])",
    )


def check_answer(form: str, state: dict, label: str) -> tuple:
    """The page shows CPython's answer to the form as the reader sees it; returns an outcome."""
    assert not state["busy"], label
    answer = cpython_form(form, state["typed"])
    hints = {k: v for k, v in answer["hints"].items() if k in state["hints"]}
    assert {k: v for k, v in state["hints"].items() if v} == {k: v for k, v in hints.items() if v}
    assert state["query"] == answer["query"], label
    shown = [f for f in state["typed"] if f not in answer["hidden"]]
    errors = {k: v for k, v in answer.get("errors", []) if k in shown}
    if answer.get("errors"):
        assert state["errors"] == errors, f"{label}: {state['errors']} != {errors}"
        assert state["amount"] is None, f"{label}: a stale result is shown beside errors"
        first = next(iter(state["errors"]))  # FORM_STATE lists errors in form order
        assert state["focused"] == first, f"{label}: focus on {state['focused']}, not {first}"
        assert state["formError"], label
        return ("errors", tuple(sorted(errors.items())))
    assert state["errors"] == {}, f"{label}: {state['errors']}"
    assert state["amount"] == answer["view"]["amount_max"], label
    assert state["announced"].startswith(("计算完成", "匹配完成")), label
    return ("result", state["amount"])


def assert_safe(page, state: dict, scripts: int, label: str) -> None:
    assert page.dialogs == [], f"{label}: a script ran: {page.dialogs}"
    assert state["injected"] == 0, f"{label}: markup from the input became elements"
    assert state["scripts"] == scripts, f"{label}: script elements added"
    assert state["xss"] is None, label


@pytest.mark.parametrize("form", FORMS)
def test_typed_hostile_input(calc_page, site_server: str, form: str) -> None:
    page = calc_page
    case = base_case(form)
    path = f"calculators/{form}/"
    visit(page, site_server, path + permalink_query(case.inputs))
    wait_ready(page)
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    more = page.locator(".fs-calc__more")
    if more.count() and not more.evaluate("d => d.open"):
        page.locator(".fs-calc__more summary").click()
    scripts = page.evaluate("document.scripts.length")
    fields = text_fields(page)
    assert fields, form
    for key, kind in fields:
        field = page.locator(f'.fs-calc .fs-field[data-key="{key}"] input')
        original = field.input_value()
        before = form_state(page)["values"]
        values = values_for(form, key, kind)
        outcomes = {}
        for case in type_each(page, key, values):
            typed, state = case["typed"], case["state"]
            label = f"{form}.{key} = {typed[:40]!r}"
            assert case["ms"] < 3000, f"{label}: the page took {case['ms']:.0f} ms to answer"
            assert state["values"] == {**before, key: typed}, f"{label}: the form lost input"
            outcomes[typed] = check_answer(form, state, label)
            assert_safe(page, state, scripts, label)
        same = {outcomes[v] for v in [*SAME_NUMBER, *MONEY] if v in outcomes}
        assert len(same) == 1, f"{form}.{key}: one number written several ways: {outcomes}"
        field.fill(original)
    assert page.console_errors == []
    assert foreign(site_server, page.requests) == []


def link_with_everything_wrong(page, form: str) -> dict[str, str]:
    """Every field of the form given a wrong value, plus keys the form does not know."""
    fields = page.eval_on_selector_all(
        ".fs-calc .fs-field", "els => els.map(e => [e.dataset.key, e.dataset.type])")
    bad_numbers = BAD_NUMBERS
    query: dict[str, str] = {}
    for i, (key, kind) in enumerate(fields):
        if kind == "enum":
            query[key] = "<script>alert(1)</script>"
        elif kind == "enum_list":
            query[key] = f"{XSS},high_tech"
        elif kind == "bool":
            query[key] = "<b>也许</b>"
        elif kind == "date":
            query[key] = "2025-13-45"
        else:
            query[key] = bad_numbers[i % len(bad_numbers)]
    query["<svg/onload=alert(3)>"] = "1"
    query["rent_aera_m2"] = "100"
    return query


@pytest.mark.parametrize("form", FORMS)
def test_link_with_every_field_wrong(calc_page, site_server: str, form: str) -> None:
    page = calc_page
    visit(page, site_server, f"calculators/{form}/")
    scripts = page.evaluate("document.scripts.length")
    query = link_with_everything_wrong(page, form)
    visit(page, site_server, f"calculators/{form}/?" + urlencode(query))
    wait_ready(page)
    page.wait_for_function("() => document.querySelector('.fs-calc__form-error').textContent"
                           " && !document.querySelector('.fs-calc').hasAttribute('aria-busy')")
    state = form_state(page)
    label = f"{form} link"
    assert_safe(page, state, scripts, label)
    # The unknown keys and the values that are no option are named, as text.
    assert "<svg/onload=alert(3)>" in state["formError"], state["formError"]
    assert "rent_aera_m2" in state["formError"], state["formError"]
    assert "链接中有不是可选项的值，已忽略" in state["formError"], state["formError"]
    # The text fields show what the link said (a link's money is in 元, the field in 万元), and
    # each error sits at its field.
    money = page.eval_on_selector_all(".fs-calc .fs-field[data-entry-unit='万元']",
                                      "els => els.map(e => e.dataset.key)")
    for key, value in state["values"].items():
        if key in money and query[key].lstrip("-").isdigit():
            assert Decimal(value) * 10_000 == Decimal(query[key]), (key, value)
        else:
            assert value == query[key], (key, value)
    answer = cpython_form(form, state["typed"])
    assert "view" not in answer and answer["errors"], "every field is wrong: no result"
    errors = {k: v for k, v in answer["errors"] if k not in answer["hidden"]}
    assert state["errors"] == errors
    assert state["focused"] == next(iter(state["errors"]))
    assert state["amount"] is None
    assert page.console_errors == []


def test_huge_paste_does_not_freeze_the_page(calc_page, site_server: str) -> None:
    """100 000 digits in a 万元 field: the live hint used a quadratic regex and froze the tab."""
    page = calc_page
    visit(page, site_server, "calculators/growth_award/")
    field = page.locator('.fs-field[data-key="revenue_last_year"] input')
    started = time.monotonic()
    field.fill("9" * 100_000)
    page.evaluate("1")  # the main thread answers
    assert time.monotonic() - started < 3
    wait_ready(page)
    page.locator('.fs-field[data-key="industry"] input[value="software_it"]').check()
    press_compute(page)
    state = form_state(page)
    assert state["errors"]["revenue_last_year"] == "请输入金额，如 1200、1200万 或 0.5亿"
    assert len(state["values"]["revenue_last_year"]) == 100_000


def test_live_hint_reads_what_was_typed(calc_page, site_server: str) -> None:
    """The hint under a 万元 field is Python's reading of the text; a text it cannot read (or a
    value out of bounds) has none. Good and bad alternate, so each answer is seen to arrive."""
    page = calc_page
    visit(page, site_server, "calculators/growth_award/")
    wait_ready(page)
    field = page.locator('.fs-field[data-key="revenue_last_year"] input')
    hint = ".fs-field[data-key=revenue_last_year] .fs-field__hint"
    for typed, shown in [
        ("６０００", "= 6,000 万元"),
        ("1,0", ""),
        ("1.2亿", "= 1.2 亿元"),
        (XSS, ""),
        ("12,345,678", "= 1,234.57 亿元"),
        ("1e400", ""),
        (".5", "= 5,000 元"),
        ("9" * 41, ""),
        ("5000元", "= 5,000 元"),
        ("12345678901234567890", ""),  # over the maximum: Python names the error on 计算
        ("0.3亿", "= 3,000 万元"),
        ("12,34", ""),
        ("3千万", "= 3,000 万元"),  # money as people write it (engine.inputs.read_money_text)
        ("2万5", ""),  # two readings: refused
        ("￥5000", "= 5,000 元"),
    ]:
        field.fill(typed)
        page.wait_for_function("([sel, text]) => document.querySelector(sel).textContent === text",
                               arg=[hint, shown], timeout=ANSWER_TIMEOUT)
        assert calculators.money_hint(REVENUE_LAST_YEAR, typed) == shown, typed
