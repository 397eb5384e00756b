"""Property tests: for any input only InputError escapes; results are sane and monotone."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import MEASURES, InputError, clauses, describe, evaluate, form, match, open_link

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ALL_KEYS = sorted({f["key"] for m in MEASURES for f in describe(m)["inputs"]})
KNOWN_CLAUSES = set(clauses())

# --- anything at all ----------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "1e400",
            "NaN",
            "-inf",
            "１２３，４５６．７",
            "1,000",
            "1，000",
            "200万",
            "3亿元",
            "-0",
            " 12 ",
            "2025-02-30",
            "2025-06-01",
            "是",
            "否",
            "true",
            "0",
            ",",
            ".",
            "+",
            "万",
            "1,0",
        ]
    ),
    st.dates().map(dt.date.isoformat),
    st.decimals(allow_nan=True, allow_infinity=True),
)
# Decimal extremes: 80-digit numbers, exponents, 1e-400, the tiny revenue that once met huge R&D
# (pct_floor's InvalidOperation escaped evaluate). Given to every numeric field of every measure.
extremes = st.one_of(
    st.sampled_from(
        [
            "0." + "0" * 76 + "1",
            "9" * 80,
            "1" + "0" * 79,
            "1e-400",
            "1E+400",
            "1e14",
            "-0.0",
            "0.00000001",
            str(10**14),
            str(10**14 + 1),
            "100000000000000.01",
            "0.3亿",
            "3000万",
            "5000元",
            ".5",
        ]
    ),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**80), max_value=10**80),
    st.builds("{}e{}".format, st.integers(-(10**20), 10**20), st.integers(-500, 500)),
)
scalars = st.one_of(scalars, extremes)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
keys = st.one_of(st.sampled_from([*ALL_KEYS, "other_policy_amount", "as_of"]), st.text(max_size=8))
input_dicts = st.dictionaries(keys, anything, max_size=8)


def _check_result(r: dict) -> None:
    json.dumps(r)
    assert Decimal(0) <= Decimal(r["amount_net"]) <= Decimal(r["amount_max"])
    for reason in r["reasons"]:
        assert reason["clause"] in KNOWN_CLAUSES


@SETTINGS
@given(st.one_of(st.sampled_from(list(MEASURES)), st.text(max_size=8)), input_dicts)
def test_evaluate_raises_only_input_error(measure: str, inputs: dict) -> None:
    try:
        r = evaluate(measure, inputs)
    except InputError as e:
        assert e.errors and all(
            isinstance(k, str) and isinstance(v, str) for k, v in e.errors.items()
        )
        json.dumps(e.errors)
    else:
        _check_result(r)


@SETTINGS
@given(st.one_of(input_dicts, anything))
def test_match_raises_only_input_error(profile: object) -> None:
    try:
        out = match(profile)  # type: ignore[arg-type]
    except InputError as e:
        assert e.errors
    else:
        json.dumps(out)


# --- valid inputs, generated from describe() ------------------------------------------------------

money = st.one_of(
    st.integers(min_value=0, max_value=10**10),
    st.decimals(min_value=0, max_value=10**9, places=2).map(str),
    st.sampled_from([10_000_000, 20_000_000, 30_000_000, 50_000_000, 100_000_000, 300_000_000]),
)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


def value_for(field: dict) -> st.SearchStrategy:
    kind = field["type"]
    if kind == "money":
        s = money
    elif kind == "number":
        s = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(field["max"]), places=2)
    elif kind == "integer":
        s = st.integers(min_value=field["min"], max_value=field["max"])
    elif kind == "bool":
        s = st.booleans()
    elif kind == "enum":
        s = st.sampled_from([c["value"] for c in field["choices"]])
    elif kind == "enum_list":
        s = st.lists(st.sampled_from([c["value"] for c in field["choices"]]), max_size=4)
    else:
        s = dates.map(dt.date.isoformat)
    if field.get("min_exclusive") and kind == "money":
        s = s.filter(lambda v: Decimal(str(v)) > 0)
    return s


@st.composite
def valid_inputs(draw: st.DrawFn, measure: str) -> dict:
    out = {}
    for f in describe(measure)["inputs"]:
        if f["required"] or draw(st.booleans()):
            out[f["key"]] = draw(value_for(f))
    out["as_of"] = draw(dates).isoformat()
    return out


@st.composite
def measure_and_inputs(draw: st.DrawFn) -> tuple[str, dict]:
    measure = draw(st.sampled_from(list(MEASURES)))
    return measure, draw(valid_inputs(measure))


@SETTINGS
@given(measure_and_inputs())
def test_amounts_within_cap(case: tuple[str, dict]) -> None:
    measure, inputs = case
    r = evaluate(measure, inputs)
    _check_result(r)
    cap = Decimal(describe(measure, dt.date.fromisoformat(inputs["as_of"]))["cap"])
    assert Decimal(r["amount_max"]) <= cap
    if not r["eligible"]:
        assert r["amount_max"] == "0.00"
    assert r["contacts"]


def amount(measure: str, inputs: dict) -> Decimal:
    """The highest amount for `inputs` (the measures' own tests check it grows as it should)."""
    return Decimal(evaluate(measure, inputs)["amount_max"])


increments = st.decimals(min_value=Decimal("0.01"), max_value=10**8, places=2)


@SETTINGS
@given(measure_and_inputs(), money)
def test_other_policy_amount_only_lowers_net(case: tuple[str, dict], other: object) -> None:
    measure, inputs = case
    base = evaluate(measure, {**inputs, "other_policy_amount": 0})
    net = evaluate(measure, {**inputs, "other_policy_amount": other})
    assert net["amount_max"] == base["amount_max"]
    expected = max(Decimal(0), Decimal(base["amount_max"]) - Decimal(str(other)))
    assert Decimal(net["amount_net"]) == expected.quantize(Decimal("0.01"))


NUMERIC = ("money", "number", "integer")


@SETTINGS
@given(measure_and_inputs(), st.data())
def test_decimal_extremes_in_any_numeric_field(case: tuple[str, dict], data: st.DataObject) -> None:
    """Every numeric field of every measure, alone or together, at decimal extremes: a result or
    InputError, never another exception (also through the form, where text has entry units)."""
    measure, inputs = case
    numeric = [f for f in describe(measure)["inputs"] if f["type"] in NUMERIC]
    chosen = data.draw(st.lists(st.sampled_from(numeric), min_size=1, unique_by=lambda f: f["key"]))
    spoiled = {**inputs, **{f["key"]: data.draw(extremes) for f in chosen}}
    try:
        _check_result(evaluate(measure, spoiled))
    except InputError as e:
        assert set(e.errors) <= {f["key"] for f in chosen}
    typed = {k: v if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
             for k, v in spoiled.items()}
    answer = form(measure, typed, compute=True)
    json.dumps(answer)
    assert ("view" in answer) != ("errors" in answer)
    profile = {k: v for k, v in spoiled.items() if k != "other_policy_amount"}
    try:
        json.dumps(match(profile))
    except InputError as e:
        assert e.errors


BAD_VALUE = {
    "money": "abc",
    "number": -1,
    "integer": 0.5,
    "bool": "maybe",
    "enum": "zzz",
    "enum_list": ["zzz"],
    "date": "2025/01/01",
}


@SETTINGS
@given(measure_and_inputs(), st.data())
def test_a_bad_field_among_good_ones_is_named(case: tuple[str, dict], data: st.DataObject) -> None:
    measure, inputs = case
    field = data.draw(st.sampled_from(describe(measure)["inputs"]))
    bad = {**inputs, field["key"]: BAD_VALUE[field["type"]]}
    try:
        evaluate(measure, bad)
    except InputError as e:
        assert list(e.errors) == [field["key"]]
    else:
        raise AssertionError(f"{field['key']} accepted {BAD_VALUE[field['type']]!r}")


forms = st.sampled_from([*MEASURES, "match"])
typed_values = st.one_of(st.text(max_size=12), extremes.map(str),
                         st.lists(st.text(max_size=8), max_size=3))


@SETTINGS
@given(forms, st.dictionaries(keys, typed_values, max_size=8), st.booleans(), st.text(max_size=60))
def test_form_and_links_answer_anything(target: str, typed: dict, compute: bool, query: str):
    """Whatever is typed, and whatever a link holds: an answer (JSON), never an exception."""
    answer = form(target, typed, compute=compute)
    json.dumps(answer)
    assert not compute or ("view" in answer) != ("errors" in answer)
    opened = open_link(target, query)
    json.dumps(opened)
    json.dumps(form(target, opened["typed"], compute=True))
