"""第五条第一款: equity, discretionary (“可给予”)."""

from __future__ import annotations

from calculators import evaluate


def test_equity_is_marked_discretionary() -> None:
    r = evaluate("fund_investment", {"municipal_fund_invested": True, "as_of": "2025-06-01"})
    assert r["kind"] == "equity"
    assert any("可给予" in n and "并非必然" in n for n in r["notes"])
