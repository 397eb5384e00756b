"""第三条第2项: properties of the amount (amounts are in the cases)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from test_properties import SETTINGS, amount, increments, valid_inputs


@SETTINGS
@given(valid_inputs("upgrade_support"), increments)
def test_upgrade_grows_with_investment(inputs: dict, more: Decimal) -> None:
    bigger = {
        **inputs,
        "fixed_asset_investment": Decimal(str(inputs["fixed_asset_investment"])) + more,
    }
    assert amount("upgrade_support", bigger) >= amount("upgrade_support", inputs)
