"""describe() / describe_profile(): the browser forms' single source for every input."""

from __future__ import annotations

import importlib
import json
from dataclasses import fields as dataclass_fields

import pytest

from calculators import MEASURES, InputError, clauses, describe, describe_profile, evaluate

TYPES = {"money", "number", "integer", "bool", "enum", "enum_list", "date"}
COMMON = ["other_policy_amount", "as_of"]


def test_measures_in_policy_order() -> None:
    order = list(clauses())
    positions = [order.index(m.clause) for m in MEASURES.values()]
    assert positions == sorted(positions)
    assert {m.kind.value for m in MEASURES.values()} == {"grant", "equity"}


@pytest.mark.parametrize("measure", list(MEASURES))
def test_describe_is_json_and_complete(measure: str) -> None:
    d = describe(measure)
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert d["measure"] == measure
    assert d["clause"] in clauses()
    assert d["kind"] in ("grant", "equity")
    assert d["summary"].endswith("。")
    assert d["cap"].endswith(".00") and float(d["cap"]) > 0
    keys = [f["key"] for f in d["inputs"]]
    assert len(keys) == len(set(keys))
    assert keys[-2:] == COMMON
    for f in d["inputs"]:
        assert f["type"] in TYPES
        assert f["label"] and f["help"] and f["clause"] in clauses()
        assert isinstance(f["required"], bool)
        if f["type"] in ("enum", "enum_list"):
            assert all(c["value"] and c["label"] for c in f["choices"])
        if "show_if" in f:
            assert not f["required"]
            assert set(f["show_if"]) <= set(keys)


@pytest.mark.parametrize("measure", list(MEASURES))
def test_described_keys_are_exactly_the_accepted_keys(measure: str) -> None:
    d = describe(measure)
    keys = {f["key"] for f in d["inputs"]}
    module = importlib.import_module(f"calculators.rules.{measure}")
    assert {f.name for f in dataclass_fields(module.Inputs)} | set(COMMON) == keys
    # every described key is accepted (no "unknown field" for it) …
    with pytest.raises(InputError) as info:
        evaluate(measure, dict.fromkeys(keys, "✗"))
    assert not any("未知字段" in m for m in info.value.errors.values())
    # … and the required ones are exactly those reported missing on empty input
    with pytest.raises(InputError) as info:
        evaluate(measure, {})
    assert set(info.value.errors) == {f["key"] for f in d["inputs"] if f["required"]}


def test_module_docstrings_name_their_article() -> None:
    for measure, m in MEASURES.items():
        doc = importlib.import_module(f"calculators.rules.{measure}").__doc__
        assert doc and doc.startswith(clauses()[m.clause].label), measure


def test_shared_keys_have_one_description() -> None:
    seen: dict[str, dict] = {}
    for measure in MEASURES:
        for f in describe(measure)["inputs"]:
            assert seen.setdefault(f["key"], f) == f, f["key"]
    assert {"qualifications", "revenue_last_year"} <= {
        k for k in seen if sum(k in MEASURES[m].keys for m in MEASURES) > 1
    }


def test_profile_description() -> None:
    p = describe_profile()
    json.dumps(p)
    keys = [f["key"] for f in p["inputs"]]
    assert len(keys) == len(set(keys))
    assert keys[:2] == ["qualifications", "revenue_last_year"]
    assert keys[-1] == "as_of"
    assert "other_policy_amount" not in keys
    union = {k for m in MEASURES.values() for k in m.keys}
    assert set(keys) == union | {"as_of"}
    assert not any(f["required"] for f in p["inputs"])
    by_key = {f["key"]: f for f in p["inputs"]}
    users = [m.id for m in MEASURES.values() if "revenue_last_year" in m.keys]
    assert len(users) > 1 and by_key["revenue_last_year"]["measures"] == users
    assert [m["measure"] for m in p["measures"]] == list(MEASURES)


def test_describe_unknown_measure() -> None:
    with pytest.raises(InputError):
        describe("nope")
