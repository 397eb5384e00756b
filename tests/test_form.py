"""The Python that words what the page shows (calculators/_form.py, _dates.py): typed text read
with the field's entry unit, hints, permalinks both ways, errors, the result views, the print
record and the one "today". The browser tests check that the page shows exactly this."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import calculators
from calculators import _dates, bridge, form, money_hint, open_link, permalink_query
from calculators._form import amount_in_words, error_summary, fields_of, wan_amount
from calculators._inputs import InputError, read_entry
from calculators._measure import OTHER_POLICY_AMOUNT, REVENUE_LAST_YEAR
from sitebuild.casedata import load_cases

RD = {"qualifications": ["specialized_sme"], "revenue_last_year": "100000", "rd_last_year": "5000"}


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("5000", Decimal("50000000")),  # a bare number in a 万元 field is 万元
        (".5", Decimal("5000")),
        ("5000元", Decimal("5000")),
        ("0.3亿", Decimal("30000000")),
        ("3000万", Decimal("30000000")),
        ("3000万元", Decimal("30000000")),
        ("１，２３４", Decimal("12340000")),
        (" 1 000 ", Decimal("10000000")),
        ("+12", Decimal("120000")),
    ],
)
def test_read_entry_money_in_its_entry_unit(typed: str, yuan: Decimal) -> None:
    assert read_entry(REVENUE_LAST_YEAR, typed) == yuan


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,0", "请输入数字"),
        ("12,34", "请输入数字"),
        ("1_000", "请输入数字"),
        ("5.", "请输入数字"),
        ("1e5", "请输入数字"),
        ("9" * 81, "请输入数字"),
        ("<b>1</b>", "请输入数字"),
        ("-5", "不能为负数"),
        ("0", "须大于 0"),
        ("0." + "0" * 76 + "1", "数值过小（小数位过多）"),
    ],
)
def test_read_entry_rejects_what_the_parser_rejects(typed: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        read_entry(REVENUE_LAST_YEAR, typed)
    assert err.value.errors == {"revenue_last_year": message}


def test_words_for_amounts() -> None:
    assert amount_in_words(Decimal("120000000")) == "1.2 亿元"
    assert amount_in_words(Decimal("200000000")) == "2 亿元"
    assert amount_in_words(Decimal("60000000")) == "6,000 万元"
    assert amount_in_words(Decimal("123456789012")) == "1,234.57 亿元"
    assert amount_in_words(Decimal("365.555")) == "365.56 元"
    assert wan_amount("365000.00") == "36.5 万元"
    assert wan_amount("20000000.00") == "2000 万元"
    assert wan_amount("0.00") == "0 万元"
    assert money_hint(REVENUE_LAST_YEAR, "2亿") == "= 2 亿元"
    assert money_hint(REVENUE_LAST_YEAR, "abc") == ""
    assert money_hint(OTHER_POLICY_AMOUNT, "0") == "= 0 元"


def test_the_issues_table() -> None:
    """rd_support, revenue 100000 万元, R&D 5000 万元; 前一年度研发投入 typed as below."""
    answer = form("rd_support", {**RD, "rd_year_before": ".5", "as_of": "2025-06-01"}, True)
    assert answer["view"]["amount_max"] == "14998500.00"
    for typed in ("1,0", "12,34", "1_000"):
        answer = form("rd_support", {**RD, "rd_year_before": typed}, compute=True)
        assert answer["errors"] == [["rd_year_before", "请输入数字"]]
        assert answer["summary"] == "有 1 项需要更正：前一年度研发投入。"
        assert "view" not in answer


def test_tiny_revenue_with_huge_rd_is_a_field_error() -> None:
    inputs = {"qualifications": ["specialized_sme"], "revenue_last_year": "0." + "0" * 76 + "1",
              "rd_last_year": 1e14, "rd_year_before": 0}
    answer = json.loads(bridge.handle(json.dumps({"op": "evaluate", "measure": "rd_support",
                                                  "inputs": inputs})))
    assert answer == {"ok": False, "errors": {"revenue_last_year": "数值过小（小数位过多）"}}


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c.id)
def test_a_permalink_opens_to_the_same_answer(case) -> None:
    """Every worked case: its link opened in the form (money in 万元) and computed gives the
    case's own answer, and the form writes the same link back."""
    query = permalink_query(case.inputs)
    opened = open_link(case.target, query)
    answer = form(case.target, opened["typed"], compute=True)
    if "error_fields" in case.expected:  # unknown keys and non-options: named in the notice
        named = {k for k, _ in answer.get("errors", [])}
        labels = {f.key: f.label for f in fields_of(case.target)}
        for key in case.expected["error_fields"]:
            assert key in named or labels.get(key, key) in opened["notice"], (key, opened)
        return
    assert opened["notice"] == ""
    direct = calculators.match(case.inputs) if case.target == "match" else \
        calculators.evaluate(case.target, case.inputs)
    key = "grant_total_max" if case.target == "match" else "amount_max"
    assert answer["view"]["amount_max"] == direct[key]
    shown = {k: v for k, v in opened["typed"].items() if k not in answer["hidden"]}
    assert open_link(case.target, answer["query"])["typed"] == shown


def test_open_link_writes_money_in_wan_and_names_what_it_cannot_take() -> None:
    opened = open_link("match", "?revenue_last_year=60000000&qualifications=high_tech,bogus"
                                "&industry=x&foo=1&project_completed_last_year=true"
                                "&fixed_asset_investment=-1&rd_last_year=abc")
    assert opened["typed"] == {"revenue_last_year": "6000", "qualifications": ["high_tech"],
                               "industry": "", "project_completed_last_year": "true",
                               "fixed_asset_investment": "-0.0001", "rd_last_year": "abc"}
    assert opened["notice"] == ("链接中有无法识别的参数，已忽略：foo。链接中有不是可选项的值，"
                                "已忽略：企业已获得的资质：bogus；所属行业：x")


def test_permalink_query_keeps_api_keys_and_units() -> None:
    assert permalink_query({}) == ""
    assert permalink_query({"qualifications": ["high_tech", "unicorn"], "project": True,
                            "x": Decimal("50000000.0"), "y": "3"}) == (
        "?qualifications=high_tech%2Cunicorn&project=true&x=50000000&y=3")
    # A typed amount the form cannot take stays in the link as typed, nothing lost.
    answer = form("growth_award", {"revenue_last_year": "1,0", "industry": "software_it"})
    assert answer["query"] == "?revenue_last_year=1%2C0&industry=software_it"
    assert form("growth_award", {"revenue_last_year": "-5"})["query"] == "?revenue_last_year=-50000"


def test_show_if_hides_what_does_not_apply() -> None:
    assert form("tech_transfer_award", {})["hidden"] == ["tech_transfer_form"]
    assert form("tech_transfer_award", {"tech_transfer_implemented": "true"})["hidden"] == []
    typed = {"tech_transfer_implemented": "false", "tech_transfer_form": "bogus"}
    answer = form("tech_transfer_award", typed, compute=True)
    assert "view" in answer  # a hidden field's value is not sent


def test_error_summary_names_shown_fields_and_others() -> None:
    fields = fields_of("growth_award")
    errors = {"revenue_last_year": "请输入数字", "typo": "未知字段：typo"}
    assert error_summary(fields, errors, []) == (
        "有 1 项需要更正：上年度营业收入。 请检查：typo：未知字段：typo。")


def _texts(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    return [t for child in node["children"] for t in _texts(child)]


def test_result_view_and_print_record_agree_on_the_date() -> None:
    typed = {"rent_entry": "new", "qualifications": ["high_tech"], "rent_area_m2": "1000",
             "rent_per_m2_day": "3", "as_of": "2025-06-01"}
    view = form("rent_subsidy", typed, compute=True)["view"]
    text = "".join(_texts(view["node"]))
    assert "计算日期：2025年6月1日。" in text
    assert "计算日期2025-06-01" in text  # the record's own row
    assert view["validity"] == "in_force"
    assert view["announce"].startswith("计算完成：符合条件，最高可获支持 ")
    ended = form("rent_subsidy", {**typed, "as_of": "2026-05-01"}, compute=True)["view"]
    assert ended["validity"] == "ended"
    assert "试行期已结束" in "".join(_texts(ended["node"]))


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


def test_one_today_in_beijing(monkeypatch) -> None:
    """At 2026-04-27 17:00 UTC it is already 04-28 in Beijing: the trial period is over there."""
    moment = dt.datetime(2026, 4, 27, 17, 0, tzinfo=dt.UTC)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    monkeypatch.setattr(_dates.dt, "datetime", Clock)
    assert _dates.today() == dt.date(2026, 4, 28)
    honor = {"honor": "specialized_sme", "honor_event": "first_recognition"}
    r = calculators.evaluate("sme_honor_award", honor)
    assert r["as_of"] == "2026-04-28" and r["validity"] == "ended"


def test_trial_notice_words() -> None:
    assert _dates.trial_notice(dt.date(2025, 4, 27)) == "本措施将于2025年4月28日起实施。"
    assert _dates.trial_notice(dt.date(2026, 4, 27)).endswith("距试行期满还有 0 天。")
    assert _dates.trial_notice(dt.date(2026, 4, 28)).startswith("试行期已于2026年4月27日届满")
    assert _dates.announcement(dt.date(2026, 4, 27)) == ""
    assert "届满" in _dates.announcement(dt.date(2026, 4, 28))
