"""第一条第2项: “首次突破” and 晋档补差 explained (amounts are in the cases)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from test_growth import assert_answers_at_extremes
from test_properties import SETTINGS, amount, increments, valid_inputs

from calculators import evaluate


def test_tier_two_with_prior_award_explains_the_difference() -> None:
    r = evaluate(
        "growth_award",
        {
            "industry": "advanced_manufacturing",
            "revenue_last_year": "1.2亿",
            "previous_peak_revenue": "5000万",
            "growth_prior_award": "20万",
            "as_of": "2025-06-01",
        },
    )
    texts = [x["text"] for x in r["reasons"]]
    assert any("首次突破 1 亿元" in t and "第二档" in t for t in texts)
    assert (
        "晋档补差：本档最高 300,000.00 元 − 已获本项奖励 200,000.00 元 = 100,000.00 元。" in texts
    )


def test_not_first_time_is_explained() -> None:
    r = evaluate(
        "growth_award",
        {
            "industry": "software_it",
            "revenue_last_year": 30000000,
            "previous_peak_revenue": 25000000,
            "as_of": "2025-06-01",
        },
    )
    assert "不属于“首次突破”" in r["reasons"][-1]["text"]


@SETTINGS
@given(valid_inputs("growth_award"), increments)
def test_growth_award_grows_with_revenue(inputs: dict, more: Decimal) -> None:
    bigger = {**inputs, "revenue_last_year": Decimal(str(inputs["revenue_last_year"])) + more}
    assert amount("growth_award", bigger) >= amount("growth_award", inputs)


def test_answers_at_extremes() -> None:
    assert_answers_at_extremes("growth_award", {
        "industry": "tech_services", "revenue_last_year": "0.01",
        "previous_peak_revenue": "100000000000000"})
    assert_answers_at_extremes("growth_award", {
        "industry": "software_it", "revenue_last_year": "100000000000000"})
