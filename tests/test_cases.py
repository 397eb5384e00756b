"""Runs every worked case in tests/cases/ (hand-checked literals, never re-derived)."""

from __future__ import annotations

import json

import pytest

from calculators import MEASURES, InputError, evaluate, match
from sitebuild.casedata import Case, load_cases

CASES = load_cases()


def _check_errors(case: Case, call) -> None:
    with pytest.raises(InputError) as info:
        call()
    assert set(info.value.errors) == set(case.expected["error_fields"])
    assert all(isinstance(m, str) and m for m in info.value.errors.values())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    exp = case.expected
    if case.target == "match":
        if "error_fields" in exp:
            _check_errors(case, lambda: match(case.inputs))
            return
        out = match(case.inputs)
        json.dumps(out)
        by_id = {r["measure"]: r for r in out["results"]}
        assert out["grant_total_max"] == exp["grant_total_max"]
        assert out["equity_max"] == exp["equity_max"]
        assert out["in_force"] is exp["in_force"]
        for mid, status in exp.get("status", {}).items():
            assert by_id[mid]["status"] == status, mid
        for mid, missing in exp.get("missing", {}).items():
            assert by_id[mid]["missing"] == missing, mid
        for mid, amount in exp.get("amounts", {}).items():
            assert by_id[mid]["result"]["amount_max"] == amount, mid
        if "growth_path" in exp:
            got = [[s["measure"], s["gain"], s["inputs"]] for s in out["growth_path"]["steps"]]
            assert got == exp["growth_path"]
        return

    if "error_fields" in exp:
        _check_errors(case, lambda: evaluate(case.target, case.inputs))
        return
    r = evaluate(case.target, case.inputs)
    json.dumps(r)
    assert r["measure"] == case.target
    assert r["eligible"] is exp["eligible"]
    assert r["amount_max"] == exp["amount_max"]
    assert r["amount_net"] == exp.get("amount_net", exp["amount_max"])
    assert r["in_force"] is exp["in_force"]
    if "kind" in exp:
        assert r["kind"] == exp["kind"]
    if "reason_clauses" in exp:
        assert sorted({x["clause"] for x in r["reasons"]}) == sorted(exp["reason_clauses"])
    if "contact_names" in exp:
        assert [c["name"] for c in r["contacts"]] == exp["contact_names"]
    _check_growth(r, exp)


def _check_growth(r: dict, exp: dict) -> None:
    """下一步与金额曲线, when the case states them: each stated step's keys, in order; each stated
    curve's runs (points, open/closed ends) and the x of its labelled marks."""
    if "next_steps" in exp:
        got = [{k: s[k] for k in want} for s, want in
               zip(r["next_steps"]["steps"], exp["next_steps"], strict=False)]
        assert got == exp["next_steps"]
        assert len(r["next_steps"]["steps"]) == len(exp["next_steps"])
    if "step_notes" in exp:
        assert r["next_steps"]["notes"] == exp["step_notes"]
    if "curves" in exp:
        by_key = {c["key"]: c for c in r["curves"]}
        assert sorted(by_key) == sorted(exp["curves"])
        for key, want in exp["curves"].items():
            c = by_key[key]
            runs = [{"points": [[p["x"], p["y"]] for p in run["points"]],
                     "start": run["start"], "end": run["end"]} for run in c["runs"]]
            assert runs == want["runs"], key
            if "marks" in want:
                assert [m["x"] for m in c["marks"]] == want["marks"], key
            if "reader" in want:
                assert [c["reader"]["x"], c["reader"]["y"]] == want["reader"], key


def test_every_measure_has_enough_cases() -> None:
    for mid in MEASURES:
        cases = load_cases(mid)
        assert len(cases) >= 8, mid
        assert len({c.name for c in cases}) == len(cases), f"{mid}: case names must be unique"
        assert all("as_of" in c.inputs for c in cases), f"{mid}: every case fixes as_of"
    assert load_cases("match")


def test_every_ineligible_case_states_an_unmet_condition() -> None:
    """不符合 is explained by the reasons a measure flags unmet (政策匹配, CLI), never by
    whichever reason came last: every ineligible worked case has one; eligible ones none."""
    for mid in MEASURES:
        for case in load_cases(mid):
            if "error_fields" in case.expected:
                continue
            r = evaluate(mid, case.inputs)
            unmet = [x for x in r["reasons"] if x.get("unmet")]
            if case.expected["eligible"]:
                assert not unmet, case.id
            else:
                assert unmet, case.id
                assert all(x["unmet"] is True for x in unmet), case.id
