"""第三条第2项: properties of the amount (amounts are in the cases)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from test_growth import assert_answers_at_extremes
from test_properties import SETTINGS, amount, increments, valid_inputs


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
