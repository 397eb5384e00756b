"""第三条第2项: properties of the amount (amounts are in the cases)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from test_growth import assert_answers_at_extremes
from test_properties import SETTINGS, amount, increments, valid_inputs

import calculators


@SETTINGS
@given(valid_inputs("upgrade_support"), increments)
def test_upgrade_grows_with_investment(inputs: dict, more: Decimal) -> None:
    bigger = {
        **inputs,
        "fixed_asset_investment": Decimal(str(inputs["fixed_asset_investment"])) + more,
    }
    assert amount("upgrade_support", bigger) >= amount("upgrade_support", inputs)


def test_answers_at_extremes() -> None:
    assert_answers_at_extremes("upgrade_support", {
        "project_completed_last_year": True, "fixed_asset_investment": "100000000000000",
        "upgrade_prior_support": "0.01"})


def test_match_never_shows_eligible_with_nothing() -> None:
    """art3.2 = art1.2: when 晋档补差 leaves nothing, not eligible, 0.00, and the reason says
    the ceiling was already received; 政策匹配 shows no “符合 0 万元”."""
    inputs = {"project_completed_last_year": True, "fixed_asset_investment": 50_000_000,
              "upgrade_prior_support": 12_000_000, "as_of": "2025-06-01"}
    r = calculators.evaluate("upgrade_support", inputs)
    assert (r["eligible"], r["amount_max"]) == (False, "0.00")
    assert "已获得本项最高支持" in r["reasons"][-1]["text"]
    profile = {**inputs, "industry": "software_it", "revenue_last_year": 60_000_000,
               "previous_peak_revenue": 0, "growth_prior_award": 300_000}
    m = calculators.match(profile)
    for item in m["results"]:
        if item["status"] == "eligible":
            assert Decimal(item["result"]["amount_max"]) > 0, item["measure"]
    statuses = {x["measure"]: x["status"] for x in m["results"]}
    assert statuses["upgrade_support"] == statuses["growth_award"] == "ineligible"


def _texts(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for c in node.get("children", []) for t in _texts(c)]
    return []


def test_match_explains_ineligible_with_the_unmet_condition() -> None:
    """Not completed last year, investment 5000 万 (that condition is met): the 政策匹配 row says
    why it fails — not the last reason (the investment reaching 3000 万)."""
    typed = {"project_completed_last_year": False, "fixed_asset_investment": "5000",
             "as_of": "2025-06-01"}
    answer = calculators.form("match", typed, compute=True)
    assert "errors" not in answer, answer.get("errors")
    rows = [n for n in _walk(answer["view"]["node"])
            if n.get("tag") == "tr" and n.get("attrs", {}).get("data-measure") == "upgrade_support"]
    assert len(rows) == 1
    assert rows[0]["attrs"]["data-status"] == "ineligible"
    explain = "".join(_texts(rows[0]["children"][-1]))
    assert explain == "本项支持上年度建成投产的项目，本项目不符合。"


def _walk(node: object):
    if isinstance(node, dict):
        yield node
        for c in node.get("children", []):
            yield from _walk(c)
