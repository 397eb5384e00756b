"""第三条第1项: properties of the amount (amounts are in the cases)."""

from __future__ import annotations

import json
from decimal import Decimal

from browsing import type_each, visit, wait_ready
from hypothesis import given
from test_growth import assert_answers_at_extremes
from test_properties import SETTINGS, amount, increments, valid_inputs

from calculators import evaluate, form
from calculators.adapters import bridge
from calculators.engine.inputs import MONEY_MESSAGE
from calculators.views.chart import svg

RD = {"qualifications": ["specialized_sme"], "revenue_last_year": "100000", "rd_last_year": "5000"}


@SETTINGS
@given(valid_inputs("rd_support"), increments)
def test_rd_support_grows_with_increment(inputs: dict, more: Decimal) -> None:
    bigger = {**inputs, "rd_last_year": Decimal(str(inputs["rd_last_year"])) + more}
    assert amount("rd_support", bigger) >= amount("rd_support", inputs)
    before = Decimal(str(inputs["rd_year_before"]))
    smaller_base = {**inputs, "rd_year_before": max(Decimal(0), before - more)}
    assert amount("rd_support", smaller_base) >= amount("rd_support", inputs)


def test_the_chart_draws_pythons_points() -> None:
    """The polyline coordinates are the curve's points mapped into the viewBox, in order."""
    r = evaluate("rd_support", {"qualifications": ["specialized_sme"], "revenue_last_year": "10亿",
                                "rd_last_year": "3500万", "rd_year_before": "1000万",
                                "as_of": "2025-06-01"})
    (c,) = r["curves"]
    lines = [e["attrs"]["points"] for e in svg(c)["elements"] if e["tag"] == "polyline"]
    # 0–1 亿元 on 78–616, 0–2500 万元 on 292–64 (viewBox 640 × 340)
    assert lines == ["78.0,292.0 293.2,292.0", "293.2,209.9 490.5,109.6 616.0,109.6"]
    ends = [(e["attrs"]["class"], e["attrs"]["cx"], e["attrs"]["cy"])
            for e in svg(c)["elements"] if e["tag"] == "circle"]
    assert ends == [
        ("fs-chart__end fs-chart__end--open", "293.2", "292.0"),
        ("fs-chart__end fs-chart__end--closed", "293.2", "209.9"),
        ("fs-chart__you", "266.3", "292.0"),
    ]
    assert [e["text"] for e in svg(c)["elements"] if e["attrs"]["class"] == "fs-chart__note"] \
        == ["每年上限 2000 万元", "强度 4%", "达到上限"]


def test_answers_at_extremes() -> None:
    assert_answers_at_extremes("rd_support", {
        "qualifications": ["specialized_sme"], "revenue_last_year": "0.01",
        "rd_last_year": "100000000000000", "rd_year_before": "0"})
    assert_answers_at_extremes("rd_support", {
        "qualifications": ["specialized_sme"], "revenue_last_year": "100000000000000",
        "rd_last_year": "0", "rd_year_before": "100000000000000"})


def test_the_issues_table() -> None:
    """rd_support, revenue 100000 万元, R&D 5000 万元; 前一年度研发投入 typed as below."""
    answer = form("rd_support", {**RD, "rd_year_before": ".5", "as_of": "2025-06-01"}, True)
    assert answer["view"]["amount_max"] == "14998500.00"
    for typed in ("1,0", "12,34", "1_000"):
        answer = form("rd_support", {**RD, "rd_year_before": typed}, compute=True)
        assert answer["errors"] == [["rd_year_before", MONEY_MESSAGE]]
        assert answer["summary"] == "有 1 项需要更正：前一年度研发投入。"
        assert "view" not in answer


def test_tiny_revenue_with_huge_rd_is_a_field_error() -> None:
    inputs = {"qualifications": ["specialized_sme"], "revenue_last_year": "0." + "0" * 76 + "1",
              "rd_last_year": 1e14, "rd_year_before": 0}
    answer = json.loads(bridge.handle(json.dumps({"op": "evaluate", "measure": "rd_support",
                                                  "inputs": inputs})))
    assert answer == {"ok": False, "errors": {"revenue_last_year": "数值过小（小数位过多）"}}


def test_the_issues_table_in_the_browser(calc_page, site_server: str) -> None:
    """rd_support, revenue 100000 万元, R&D 5000 万元: what the year before's R&D field shows for
    each text of issue 10's table (the page once read ".5" as 0.5 元 and "12,34" as 1234)."""
    page = calc_page
    query = "?qualifications=specialized_sme&revenue_last_year=1000000000&rd_last_year=50000000"
    visit(page, site_server, "calculators/rd_support/" + query + "&rd_year_before=0")
    wait_ready(page)
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    got = {c["typed"]: c["state"] for c in type_each(page, "rd_year_before",
                                                       [".5", "1,0", "12,34", "1_000"])}
    assert got[".5"]["amount"] == "14998500.00"
    for typed in ("1,0", "12,34", "1_000"):
        assert got[typed]["errors"] == {"rd_year_before": MONEY_MESSAGE}, typed
        assert got[typed]["amount"] is None, typed
