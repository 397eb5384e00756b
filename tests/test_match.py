"""match(): every measure at once from one profile (cases live in tests/cases/match.toml)."""

from __future__ import annotations

import pytest

from calculators import MEASURES, InputError, match

PROFILE = {"as_of": "2025-06-01"}


def test_shape() -> None:
    out = match(PROFILE)
    assert [r["measure"] for r in out["results"]] == list(MEASURES)
    assert all(r["status"] == "needs_input" and r["result"] is None for r in out["results"])
    assert [a["clause"] for a in out["also_relevant"]] == ["art5.2", "art6", "art7"]
    for a in out["also_relevant"]:
        assert a["title"] and a["summary"] and a["contacts"]
    assert out["also_relevant"][2]["contacts"][0]["name"] == "张迪"


def test_other_policy_amount_is_refused_with_a_reason() -> None:
    with pytest.raises(InputError) as info:
        match({**PROFILE, "other_policy_amount": 0})
    assert "单项计算器" in info.value.errors["other_policy_amount"]


def test_errors_across_measures_at_once() -> None:
    with pytest.raises(InputError) as info:
        match({"honor": "x", "rent_days": 0, "rd_last_year": "abc", "municipal_fund_invested": 3})
    assert set(info.value.errors) == {
        "honor",
        "rent_days",
        "rd_last_year",
        "municipal_fund_invested",
    }


def test_amount_net_equals_max_in_match() -> None:
    out = match({**PROFILE, "tech_transfer_implemented": True})
    result = out["results"][5]["result"]
    assert result["amount_net"] == result["amount_max"] == "5000000.00"
