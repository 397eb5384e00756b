"""The calculator widgets in a real headless Chromium, against the built site on 127.0.0.1.

A person's steps: open the page, fill the form, press 计算, read the result. What the page shows
is compared with CPython's `evaluate`/`match` on the same inputs.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from browsing import visit

import calculators
from calculators import permalink_query
from sitebuild.casedata import load_cases

RESULT = ".fs-calc__result[data-amount-max]"
TIMEOUT = 60_000  # ms; a cold start takes seconds, a hang must still fail the test


def first_case(target: str, *, eligible: bool = True):
    """The first worked case of `target` with a result of the given eligibility (no errors)."""
    for case in load_cases(target):
        if case.expected.get("eligible") is eligible and "error_fields" not in case.expected:
            return case
    raise AssertionError(f"no {'eligible' if eligible else 'ineligible'} case for {target}")


def fill(page, key: str, value: object) -> None:
    """Enter one API value into its field as a person would (万元 fields take 万元)."""
    field = page.locator(f'.fs-field[data-key="{key}"]')
    assert field.count() == 1, f"no single field for {key}"
    if not field.is_visible():  # in the 更多选项 disclosure
        page.locator(".fs-calc__more summary").click()
    kind = field.get_attribute("data-type")
    if kind == "enum_list":
        wanted = set(value)
        for box in field.locator("input[type=checkbox]").all():
            box.set_checked(box.get_attribute("value") in wanted)
    elif kind in ("enum", "bool"):
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        field.locator(f'input[value="{text}"]').check()
    else:
        text = str(value)
        if field.get_attribute("data-entry-unit") == "万元" and text.replace(".", "").isdigit():
            text = f"{Decimal(text) / 10_000:f}"  # else typed as is, e.g. "6000万"
        field.locator("input").fill(text)


def open_calculator(page, base: str, measure: str, query: str = "") -> None:
    page.goto(f"{base}calculators/{measure}/{query}")
    page.wait_for_selector(".fs-calc__status[data-state]")


def open_warm(page, base: str, measure: str, query: str = "") -> None:
    """A fresh form on the warm page (conftest `calc_page`): by instant navigation, from another
    page, so no earlier test's values or result remain and the engine need not start again."""
    visit(page, base, "")
    visit(page, base, f"calculators/{measure}/{query}")


def shown_result(page) -> dict:
    result = page.locator(RESULT)
    result.wait_for(timeout=TIMEOUT)
    return {
        "eligible": result.get_attribute("data-eligible") == "true",
        "amount_max": result.get_attribute("data-amount-max"),
        "reasons": page.locator(".fs-result__reasons li").count(),
        "text": result.inner_text(),
    }


def assert_clean(page, base: str) -> None:
    host = urlsplit(base).netloc
    foreign = [u for u in page.requests if urlsplit(u).scheme in ("http", "https")
               and urlsplit(u).netloc != host]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not page.console_errors, page.console_errors


@pytest.mark.parametrize("measure", list(calculators.MEASURES))
def test_filled_form_shows_cpython_result(calc_page, site_server: str, measure: str) -> None:
    page = calc_page
    case = first_case(measure)
    open_warm(page, site_server, measure)
    for key, value in case.inputs.items():
        fill(page, key, value)
    page.get_by_role("button", name="计算", exact=True).click()
    shown = shown_result(page)
    expected = calculators.evaluate(measure, case.inputs)
    assert shown["eligible"] == expected["eligible"]
    assert shown["amount_max"] == expected["amount_max"]
    assert shown["reasons"] == len(expected["reasons"])
    for reason in expected["reasons"]:
        assert reason["text"] in shown["text"]
    for contact in expected["contacts"]:
        assert contact["name"] in shown["text"]
    assert "?" in page.url and urlsplit(page.url).query  # mirrored into a permalink
    assert_clean(page, site_server)


def test_match_form_lists_every_measure(calc_page, site_server: str) -> None:
    page = calc_page
    case = next(c for c in load_cases("match")
                if c.expected.get("grant_total_max", "0.00") != "0.00")
    open_warm(page, site_server, "match")
    for key, value in case.inputs.items():
        fill(page, key, value)
    page.get_by_role("button", name="计算", exact=True).click()
    shown = shown_result(page)
    expected = calculators.match(case.inputs)
    assert shown["amount_max"] == expected["grant_total_max"]
    rows = page.locator("table.fs-match tbody tr")
    assert rows.count() == len(calculators.MEASURES)
    for item in expected["results"]:
        row = page.locator(f'table.fs-match tr[data-measure="{item["measure"]}"]')
        assert row.get_attribute("data-status") == item["status"]
    assert_clean(page, site_server)


def test_permalink_computes_on_load(calc_page, site_server: str) -> None:
    page = calc_page
    case = first_case("rent_subsidy")
    open_warm(page, site_server, "rent_subsidy", permalink_query(case.inputs))
    shown = shown_result(page)
    assert shown["amount_max"] == calculators.evaluate("rent_subsidy", case.inputs)["amount_max"]
    # and the form shows what the link said
    area = page.locator('.fs-field[data-key="rent_area_m2"] input').input_value()
    assert Decimal(area) == Decimal(str(case.inputs["rent_area_m2"]))
    assert_clean(page, site_server)


def test_bad_value_shows_chinese_error_at_field(calc_page, site_server: str) -> None:
    page = calc_page
    case = first_case("rent_subsidy")
    open_warm(page, site_server, "rent_subsidy")
    for key, value in case.inputs.items():
        fill(page, key, value)
    page.locator('.fs-field[data-key="rent_area_m2"] input').fill("一千")
    page.get_by_role("button", name="计算", exact=True).click()
    error = page.locator('.fs-field[data-key="rent_area_m2"] .fs-field__error')
    page.wait_for_function(
        # A function, not an expression: Playwright evals an expression in the page, which the
        # site's CSP refuses ('unsafe-eval').
        "() => document.querySelector('.fs-field[data-key=rent_area_m2] .fs-field__error')"
        ".textContent",
        timeout=TIMEOUT,
    )
    with pytest.raises(calculators.InputError) as err:
        calculators.evaluate("rent_subsidy", {**case.inputs, "rent_area_m2": "一千"})
    assert error.inner_text() == err.value.errors["rent_area_m2"]
    assert page.locator(RESULT).count() == 0
    assert page.locator('.fs-field[data-key="rent_area_m2"] input').input_value() == "一千"
    assert_clean(page, site_server)


def test_instant_navigation_reuses_the_engine(page, site_server: str) -> None:
    open_calculator(page, site_server, "rent_subsidy")
    page.wait_for_selector('.fs-calc__status[data-state="ready"]', timeout=TIMEOUT)
    page.evaluate("window.__firstWorker = window.fsCalcEngine.worker")
    # Material's instant navigation: follow the nav link, no full page load.
    page.locator('.md-nav a[href$="growth_award/"]').first.click()
    page.wait_for_selector(
        '.fs-calc[data-measure="growth_award"] .fs-calc__status[data-state="ready"]',
        timeout=TIMEOUT,
    )
    assert page.evaluate("window.fsCalcEngine.worker === window.__firstWorker")
    assert sum(u.endswith("pyodide.asm.wasm") for u in page.requests) == 1
    case = first_case("growth_award")
    for key, value in case.inputs.items():
        fill(page, key, value)
    page.get_by_role("button", name="计算", exact=True).click()
    expected = calculators.evaluate("growth_award", case.inputs)
    assert shown_result(page)["amount_max"] == expected["amount_max"]
    assert_clean(page, site_server)


@pytest.mark.parametrize("path", ["", "measures/", "contacts/", "notice/", "rules/"])
def test_policy_pages_load_no_pyodide(page, site_server: str, path: str) -> None:
    page.goto(site_server + path)
    page.wait_for_load_state("networkidle")
    loaded = [u for u in page.requests if "/assets/pyodide/" in u or ("/assets/calc/" in u and
              not u.endswith(("form.mjs", "engine.mjs", "view.mjs", "calc.css")))]
    assert not loaded, loaded
    assert_clean(page, site_server)


def test_printed_result_is_a_one_page_record(page, site_server: str) -> None:
    """打印: the rule, the result, reasons, next steps, charts, contacts, what was entered, the
    date and the 文号, with no form controls."""
    case = first_case("rent_subsidy")
    open_calculator(page, site_server, "rent_subsidy", permalink_query(case.inputs))
    shown_result(page)
    page.emulate_media(media="print")
    assert not page.locator(".fs-calc__form").is_visible()
    assert page.locator(".fs-result__inputs").is_visible()
    stamp = page.locator(".fs-result__stamp").inner_text()
    assert calculators.policy()["doc_number"] in stamp and "计算日期" in stamp
    # The record's date is the calculation's as_of (2025-06-01 in the case), not the browser's
    # today; the table of inputs says the same day.
    assert case.inputs["as_of"] == "2025-06-01"
    assert "计算日期：2025年6月1日。" in stamp
    assert "2025-06-01" in page.locator(".fs-result__inputs").inner_text()
    # This result carries two charts (金额曲线) with their tables: the record takes two pages, and
    # the charts are on it; a result without charts is one page (below).
    assert page.locator(".fs-result figure.fs-chart svg").first.is_visible()
    assert page.locator(".fs-result .fs-chart__table").first.is_visible()
    assert _pages(page) == 2


def _pages(page) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))


def test_printed_result_without_charts_is_one_page(page, site_server: str) -> None:
    """A measure without curves: its record (with its next steps) fits one A4 page."""
    target = next(m for m, measure in calculators.MEASURES.items() if not measure.curves)
    case = first_case(target)
    open_calculator(page, site_server, target, permalink_query(case.inputs))
    shown_result(page)
    page.emulate_media(media="print")
    assert page.locator(".fs-result__stamp").is_visible()
    assert not page.locator(".fs-result figure").count()
    assert _pages(page) == 1
