"""The Python that words what the page shows (calculators/_form.py, _dates.py): typed text read
with the field's entry unit, hints, permalinks both ways, errors, the result views, the print
record and the one "today". The browser tests check that the page shows exactly this."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import calculators
from calculators import form, money_hint, open_link, permalink_query
from calculators.engine import dates as _dates
from calculators.engine.inputs import InputError, read_entry
from calculators.engine.measure import OTHER_POLICY_AMOUNT, REVENUE_LAST_YEAR
from calculators.views.form import amount_in_words, error_summary, fields_of, wan_amount
from sitebuild.casedata import load_cases


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
        ("1,0", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("12,34", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("1_000", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("1e5", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("9" * 81, "请输入金额，如 1200、1200万 或 0.5亿"),
        ("<b>1</b>", "请输入金额，如 1200、1200万 或 0.5亿"),
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


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c.id)
def test_a_permalink_opens_to_the_same_answer(case) -> None:
    """Every worked case: its link opened in the form (money in 万元) and computed gives the
    case's own answer, and the form writes the same link back."""
    query = permalink_query(case.inputs)
    opened = open_link(case.target, query)
    answer = form(case.target, opened["typed"], compute=True)
    if case.expected.get("form_reads"):  # the API refuses "是" or 1 for a boolean; the form
        assert opened["notice"] == "" and "errors" not in answer  # reads its own words
        return
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
    """On a measure with a field shown only when a yes/no field says yes (show_if)."""
    measure = next(m for m in calculators.MEASURES.values() if any(f.show_if for f in m.fields))
    shown_if = [f for f in measure.fields if f.show_if]
    ((key, allowed),) = shown_if[0].show_if
    assert allowed == (True,)  # a yes/no field: the only kind of condition the forms have
    assert form(measure.id, {})["hidden"] == [f.key for f in shown_if]
    assert form(measure.id, {key: "true"})["hidden"] == []
    typed = {key: "false", **{f.key: "bogus" for f in shown_if}}
    answer = form(measure.id, typed, compute=True)
    assert "view" in answer  # a hidden field's value is not sent


def test_error_summary_names_shown_fields_and_others() -> None:
    fields = fields_of(next(m.id for m in calculators.MEASURES.values()
                            if REVENUE_LAST_YEAR in m.fields))
    errors = {"revenue_last_year": "请输入数字", "typo": "未知字段：typo"}
    assert error_summary(fields, errors, []) == (
        "有 1 项需要更正：上年度营业收入。 请检查：typo：未知字段：typo。")


def test_one_today_in_beijing(monkeypatch) -> None:
    """At 2026-04-27 17:00 UTC it is already 04-28 in Beijing: the trial period is over there."""
    moment = dt.datetime(2026, 4, 27, 17, 0, tzinfo=dt.UTC)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz)

    monkeypatch.setattr(_dates.dt, "datetime", Clock)
    assert _dates.today() == dt.date(2026, 4, 28)
    for case in load_cases():  # every worked case with an answer, its date left out
        if case.target == "match" or "error_fields" in case.expected:
            continue
        undated = {k: v for k, v in case.inputs.items() if k != "as_of"}
        r = calculators.evaluate(case.target, undated)
        assert r["as_of"] == "2026-04-28" and r["validity"] == "ended", case.id


def test_trial_notice_words() -> None:
    assert _dates.trial_notice(dt.date(2025, 4, 27)) == "本措施将于2025年4月28日起实施。"
    # One sentence per state, no count of days: the page picks it by the reader's date.
    assert _dates.trial_notice(dt.date(2025, 4, 28)) == _dates.trial_notice(dt.date(2026, 4, 27))
    assert _dates.trial_notice(dt.date(2026, 4, 27)).endswith("试行期至2026年4月27日（含）。")
    assert _dates.trial_notice(dt.date(2026, 4, 28)).startswith("试行期已于2026年4月27日届满")
    assert _dates.announcement(dt.date(2026, 4, 27)) == ""
    assert "届满" in _dates.announcement(dt.date(2026, 4, 28))
