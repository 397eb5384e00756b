"""Validation: accept what people type, name every bad field at once, in Chinese."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from calculators import InputError, evaluate
from calculators.engine.inputs import Field, FieldType, parse_fields, read_entry
from calculators.engine.measure import MONEY_MAX, QUALIFICATIONS
from calculators.rules.rent_subsidy import FIELDS as RENT_FIELDS

MONEY = Field("x", "金额", FieldType.MONEY, "general", "", unit="元", min=Decimal(0), max=MONEY_MAX)
POSITIVE = Field("x", "面积", FieldType.NUMBER, "art2", "", min=Decimal(0), min_exclusive=True)
DAYS = next(f for f in RENT_FIELDS if f.key == "rent_days")
FLAG = Field("x", "是否", FieldType.BOOL, "art4", "")
DATE = Field("x", "日期", FieldType.DATE, "general", "")


def parse(field: Field, raw: object) -> object:
    values, _, errors = parse_fields([field], {"x": raw} if field.key == "x" else {field.key: raw})
    if errors:
        raise InputError(errors)
    return values[field.key]


def error(field: Field, raw: object) -> str:
    with pytest.raises(InputError) as info:
        parse(field, raw)
    return info.value.errors[field.key]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1000, "1000"),
        (1000.5, "1000.5"),
        ("1000", "1000"),
        (" 1 000 ", "1000"),
        ("1,000", "1000"),
        ("1，000", "1000"),
        ("１２３，４５６．７", "123456.7"),
        ("1,234,567.89", "1234567.89"),
        ("200万", "2000000"),
        ("200万元", "2000000"),
        ("1.5亿", "150000000"),
        ("３，０００万元", "30000000"),
        ("365000元", "365000"),
        (".5", "0.5"),
        ("-0", "0"),
        (Decimal("12.30"), "12.30"),
    ],
)
def test_money_accepts_what_people_type(raw: object, expected: str) -> None:
    assert parse(MONEY, raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (True, "请输入数字（不能是“是/否”）"),
        (math.nan, "不是有效数字（NaN 或无穷大）"),
        (math.inf, "不是有效数字（NaN 或无穷大）"),
        ("NaN", "不是有效数字（NaN 或无穷大）"),
        ("Infinity", "不是有效数字（NaN 或无穷大）"),
        ("1e400", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("1,0", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("12,34", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("abc", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("万", "请输入金额，如 1200、1200万 或 0.5亿"),
        ("+", "请输入金额，如 1200、1200万 或 0.5亿"),
        ([1], "请输入金额，如 1200、1200万 或 0.5亿"),
        (-1, "不能为负数"),
        ("-0.01", "不能为负数"),
        (10**15, "不能超过 100,000,000,000,000 元"),
        (10**400, "数值过大"),
    ],
)
def test_money_rejects_with_a_message(raw: object, message: str) -> None:
    assert error(MONEY, raw) == message


def test_money_suffixes_only_for_money() -> None:
    assert error(POSITIVE, "2万") == "请输入数字"


def test_exclusive_minimum() -> None:
    assert error(POSITIVE, 0) == "须大于 0"
    assert parse(POSITIVE, "0.01") == Decimal("0.01")


@pytest.mark.parametrize(("raw", "expected"), [(365, 365), ("366", 366), ("１", 1), (30.0, 30)])
def test_integers(raw: object, expected: int) -> None:
    assert parse(DAYS, raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [(367, "不能超过 366 天"), (0, "不能小于 1"), (30.5, "请输入整数"), ("30.5", "请输入整数")],
)
def test_integer_errors(raw: object, message: str) -> None:
    assert error(DAYS, raw) == message


@pytest.mark.parametrize("raw", [True, False])
def test_the_api_takes_json_booleans(raw: bool) -> None:
    assert parse(FLAG, raw) is raw


@pytest.mark.parametrize("raw", ["true", "False", "是", "否", "1", "0", 1, 0, 1.0, "maybe", 2, []])
def test_the_api_refuses_anything_else_for_a_boolean(raw: object) -> None:
    """The spec: booleans are JSON booleans; "true", "yes", 1 or "否" are an InputError."""
    assert error(FLAG, raw) == "应为 true 或 false（JSON 布尔值，不带引号）"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("true", True), ("False", False), ("是", True), ("否", False), ("1", True), ("0", False),
     ("ＹＥＳ", True), ("不是", False)],
)
def test_the_form_reads_yes_no_words(typed: str, expected: bool) -> None:
    assert read_entry(FLAG, typed) is expected


@pytest.mark.parametrize("typed", ["maybe", "也许", "2", ""])
def test_the_form_refuses_other_words(typed: str) -> None:
    with pytest.raises(InputError) as info:
        read_entry(FLAG, typed)
    assert info.value.errors == {"x": "请选择“是”或“否”"}


def test_enum_list_accepts_lists_and_text_and_drops_duplicates() -> None:
    as_list = parse(QUALIFICATIONS, ["unicorn", "high_tech", "unicorn"])
    as_text = parse(QUALIFICATIONS, "unicorn，high_tech、unicorn")
    assert [q.value for q in as_list] == ["high_tech", "unicorn"]
    assert as_text == as_list
    assert parse(QUALIFICATIONS, "独角兽企业") == parse(QUALIFICATIONS, ["unicorn"])
    assert error(QUALIFICATIONS, ["unicorn", "bogus", 3]) == "不是可选项：bogus、3"
    assert error(QUALIFICATIONS, 5) == "应为可选项的列表"


def test_blank_optional_takes_default() -> None:
    assert parse(QUALIFICATIONS, "") == ()
    assert parse(DAYS, None) == 365


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-04-28", dt.date(2025, 4, 28)),
        ("２０２５－０４－２８", dt.date(2025, 4, 28)),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    ],
)
def test_dates(raw: object, expected: dt.date) -> None:
    assert parse(DATE, raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2025/04/28", "日期格式应为 YYYY-MM-DD"),
        ("20250428", "日期格式应为 YYYY-MM-DD"),
        ("2025-02-30", "不是有效日期：2025-02-30"),
        (20250428, "日期格式应为 YYYY-MM-DD"),
        (dt.datetime(2025, 4, 28), "日期格式应为 YYYY-MM-DD"),
    ],
)
def test_date_errors(raw: object, message: str) -> None:
    assert error(DATE, raw) == message


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InputError) as info:
        evaluate(
            "rent_subsidy",
            {
                "rent_entry": "old",
                "rent_area_m2": "abc",
                "rent_days": 0,
                "rent_are": 1,
                "as_of": "tomorrow",
                "other_policy_amount": -1,
            },
        )
    assert info.value.errors == {
        "rent_entry": "不是可选项：old",
        "rent_area_m2": "请输入数字",
        "rent_days": "不能小于 1",
        "rent_are": "未知字段：rent_are（请检查拼写；是否指 rent_area_m2？）",
        "as_of": "日期格式应为 YYYY-MM-DD",
        "other_policy_amount": "不能为负数",
        "rent_per_m2_day": "请填写此项",
    }
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("measure", ["nope", None, 3, ["rent_subsidy"]])
def test_unknown_measure(measure: object) -> None:
    with pytest.raises(InputError) as info:
        evaluate(measure, {})  # type: ignore[arg-type]
    assert list(info.value.errors) == ["measure"]


@pytest.mark.parametrize("inputs", [None, [], "x=1", 3])
def test_inputs_must_be_a_dict(inputs: object) -> None:
    with pytest.raises(InputError) as info:
        evaluate("fund_investment", inputs)  # type: ignore[arg-type]
    assert list(info.value.errors) == ["inputs"]


def test_non_string_keys_are_unknown_fields() -> None:
    with pytest.raises(InputError) as info:
        evaluate("fund_investment", {"municipal_fund_invested": True, 1: 2})
    assert info.value.errors == {"1": "未知字段：1（请检查拼写）"}
