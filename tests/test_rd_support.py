"""第三条第1项: properties of the amount (amounts are in the cases)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from test_properties import SETTINGS, amount, increments, valid_inputs


@SETTINGS
@given(valid_inputs("rd_support"), increments)
def test_rd_support_grows_with_increment(inputs: dict, more: Decimal) -> None:
    bigger = {**inputs, "rd_last_year": Decimal(str(inputs["rd_last_year"])) + more}
    assert amount("rd_support", bigger) >= amount("rd_support", inputs)
    before = Decimal(str(inputs["rd_year_before"]))
    smaller_base = {**inputs, "rd_year_before": max(Decimal(0), before - more)}
    assert amount("rd_support", smaller_base) >= amount("rd_support", inputs)
