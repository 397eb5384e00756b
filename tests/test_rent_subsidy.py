"""第二条 房屋租金补贴: the arithmetic a reader sees (amounts themselves are in the cases)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from urllib.parse import urlencode

from browsing import form_state, press_compute, visit, wait_ready
from hypothesis import given
from hypothesis import strategies as st
from test_growth import assert_answers_at_extremes
from test_properties import SETTINGS, amount, increments, valid_inputs
from test_widget_hostile import XSS, assert_safe, base_case

from calculators import evaluate, form, permalink_query

BASE = {
    "rent_entry": "new",
    "qualifications": ["high_tech"],
    "rent_area_m2": 1000,
    "rent_per_m2_day": 3,
    "as_of": "2025-06-01",
}


def texts(inputs: dict) -> list[str]:
    return [r["text"] for r in evaluate("rent_subsidy", inputs)["reasons"]]


def test_reason_shows_the_capped_price_and_the_product() -> None:
    assert (
        "实付租金 3 元/平方米·天 高于上限，按 2 元/平方米·天 封顶计 × 50% × 1,000 平方米 × 365 天 "
        "= 365,000.00 元。"
    ) in texts(BASE)


def test_reason_shows_the_annual_cap_when_it_binds() -> None:
    t = texts({**BASE, "qualifications": ["unicorn"], "rent_area_m2": 100000})
    assert "超过年度租金补贴总额上限 3000 万元，按 30,000,000.00 元计。" in t


def test_notes_say_the_cap_is_per_enterprise_per_year_and_validity() -> None:
    notes = evaluate("rent_subsidy", BASE)["notes"]
    assert any("每家企业每个年度" in n for n in notes)
    assert any("最高额度" in n for n in notes)
    late = evaluate("rent_subsidy", {**BASE, "as_of": "2026-05-01"})["notes"]
    assert any("试行期已结束" in n and "确认是否延续" in n for n in late)


def test_all_ineligibility_reasons_are_given_together() -> None:
    t = texts({**BASE, "qualifications": [], "rent_year_index": 4, "rd_or_production_use": False})
    assert len(t) == 3


def test_rounding_stage_is_explained_and_half_up() -> None:
    tiny = {**BASE, "rent_area_m2": "0.01", "rent_per_m2_day": 1, "rent_days": 1}
    r = evaluate("rent_subsidy", tiny)
    assert r["amount_max"] == "0.01"
    assert r["reasons"][-1]["text"] == "四舍五入到分：0.005 元 → 0.01 元。"


def test_independent_of_the_callers_decimal_context() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        ctx.traps[decimal.Inexact] = True
        r = evaluate("rent_subsidy", {**BASE, "rent_area_m2": 333.33, "rent_per_m2_day": 1.23})
    assert r["amount_max"] == "74824.25"


@SETTINGS
@given(valid_inputs("rent_subsidy"), increments)
def test_rent_grows_with_area(inputs: dict, more: Decimal) -> None:
    bigger = {**inputs, "rent_area_m2": min(Decimal(inputs["rent_area_m2"]) + more, 10**7)}
    assert amount("rent_subsidy", bigger) >= amount("rent_subsidy", inputs)


@SETTINGS
@given(
    valid_inputs("rent_subsidy"),
    st.decimals(min_value=Decimal("0.01"), max_value=2, places=2),
    st.decimals(min_value=0, max_value=2, places=2),
)
def test_rent_grows_with_price_below_cap(inputs: dict, low: Decimal, extra: Decimal) -> None:
    high = min(low + extra, Decimal(2))
    assert amount("rent_subsidy", {**inputs, "rent_per_m2_day": high}) >= amount(
        "rent_subsidy", {**inputs, "rent_per_m2_day": low}
    )


def test_answers_at_extremes() -> None:
    for inputs in (
        {"rent_entry": "expansion", "rent_area_m2": "10000000", "rent_per_m2_day": "10000",
         "qualifications": ["unicorn"]},
        {"rent_entry": "expansion", "rent_area_m2": "0.01", "rent_per_m2_day": "0.01"},
        {"rent_entry": "expansion", "rent_area_m2": "9999999.99", "rent_per_m2_day": "9999.99",
         "rent_days": 1},
    ):
        assert_answers_at_extremes("rent_subsidy", inputs)


def test_no_step_after_the_validity_window() -> None:
    """A date outside the validity window is never offered as a step."""
    late = evaluate("rent_subsidy", {**BASE, "as_of": "2027-01-01"})
    assert all("as_of" not in s["inputs"] for s in late["next_steps"]["steps"])


def _node_texts(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    return [t for child in node["children"] for t in _node_texts(child)]


def test_result_view_and_print_record_agree_on_the_date() -> None:
    typed = {"rent_entry": "new", "qualifications": ["high_tech"], "rent_area_m2": "1000",
             "rent_per_m2_day": "3", "as_of": "2025-06-01"}
    view = form("rent_subsidy", typed, compute=True)["view"]
    text = "".join(_node_texts(view["node"]))
    assert "计算日期：2025年6月1日。" in text
    assert "计算日期2025-06-01" in text  # the record's own row
    assert view["validity"] == "in_force"
    assert view["announce"].startswith("计算完成：符合条件，最高可获支持 ")
    ended = form("rent_subsidy", {**typed, "as_of": "2026-05-01"}, compute=True)["view"]
    assert ended["validity"] == "ended"
    assert "试行期已结束" in "".join(_node_texts(ended["node"]))


def test_link_with_unknown_keys_still_computes_and_says_so(calc_page, site_server: str) -> None:
    page = calc_page
    case = base_case("rent_subsidy")
    query = permalink_query(case.inputs) + "&" + urlencode({"rent_aera": "1", XSS: "2"})
    visit(page, site_server, "calculators/rent_subsidy/" + query)
    wait_ready(page)
    page.wait_for_selector(".fs-calc__result[data-amount-max]")
    state = form_state(page)
    assert state["amount"] == evaluate("rent_subsidy", case.inputs)["amount_max"]
    # The notice outlives the answer (it used to be wiped when the result came).
    assert "链接中有无法识别的参数，已忽略：" in state["formError"]
    assert "rent_aera" in state["formError"] and XSS in state["formError"]
    assert_safe(page, state, page.evaluate("document.scripts.length"), "unknown keys")
    # The permalink the page writes back drops them.
    assert "rent_aera" not in state["query"]
    # Once the person edits the form, the link's notice goes.
    page.locator('.fs-field[data-key="rent_area_m2"] input').fill("800")
    press_compute(page)
    assert form_state(page)["formError"] == ""
