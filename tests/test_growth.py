"""下一步与金额曲线: every next step offered gives, through `evaluate`, exactly what it promised;
every curve is the rule (its breakpoints, open/closed ends and straight pieces are what `evaluate`
computes); the chart geometry is strings only. Generic: the measures come from the registry;
literal values are in tests/cases/<id>.toml and a measure's own tests/test_<id>.py."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, measure_and_inputs, valid_inputs

from calculators import (
    MEASURES,
    calculator_href,
    describe,
    evaluate,
    form,
    match,
    open_link,
    permalink_query,
)
from calculators.views.chart import svg
from sitebuild.casedata import load_cases

CURVED = sorted(m for m, measure in MEASURES.items() if measure.curves)


@SETTINGS
@given(measure_and_inputs())
def test_every_next_step_gives_what_it_promises(case: tuple[str, dict]) -> None:
    measure, inputs = case
    r = evaluate(measure, inputs)
    json.dumps(r)
    current = Decimal(r["amount_max"])
    for step in r["next_steps"]["steps"]:
        assert step["measure"] == measure
        # the changed inputs applied to what was entered, as a reader following the step would
        after = evaluate(measure, {**inputs, **step["inputs"]})
        assert after["eligible"] is True
        assert after["amount_max"] == step["amount_max"], step["text"]
        # the link's complete inputs give the same
        assert evaluate(measure, step["all_inputs"])["amount_max"] == step["amount_max"]
        gain = Decimal(step["gain"])
        if step["separate"]:
            assert gain == Decimal(step["amount_max"])
        else:
            assert gain == Decimal(step["amount_max"]) - current > 0
        assert step["amount_text"] in step["text"]
        # only what an enterprise can act on; never a date, a rent year or a second award
        assert set(step["inputs"]) <= {
            "revenue_last_year", "rd_last_year", "fixed_asset_investment", "qualifications",
            "honor", "honor_event",
        }
    gains = [Decimal(s["gain"]) for s in r["next_steps"]["steps"]]
    assert gains == sorted(gains, reverse=True)


def _evaluate_at(measure: str, inputs: dict, key: str, x: str) -> Decimal | None:
    field = next(f for f in describe(measure)["inputs"] if f["key"] == key)
    value = Decimal(x)
    if value > Decimal(str(field["max"])) or (field.get("min_exclusive") and value <= 0):
        return None  # the chart's axis runs past what the field accepts
    return Decimal(evaluate(measure, {**inputs, key: x})["amount_max"])


def _likely(measure: str, inputs: dict, pick: int) -> dict:
    """A worked case that qualifies, with the curves' own inputs as generated: most such examples
    draw a curve, and its other inputs are a real enterprise's."""
    eligible = [c for c in load_cases(measure)
                if c.expected.get("eligible") and c.expected.get("curves")]
    assert eligible, f"{measure}: a worked case that qualifies should state its curves"
    case = eligible[pick % len(eligible)]
    keys = set(case.expected["curves"])
    return {**case.inputs, **{k: v for k, v in inputs.items() if k in keys}}


@SETTINGS
@given(st.sampled_from(CURVED).flatmap(lambda m: st.tuples(st.just(m), valid_inputs(m))),
       st.one_of(st.none(), st.integers(0, 20)))
def test_curves_are_the_rule(case: tuple[str, dict], likely: int | None) -> None:
    measure, inputs = case
    if likely is not None:
        inputs = _likely(measure, inputs, likely)
    r = evaluate(measure, inputs)
    for c in r["curves"]:
        key = c["key"]
        # the reader's point is the result itself
        assert c["reader"]["y"] == r["amount_max"]
        segments = [
            (Decimal(a["x"]), Decimal(a["y"]), Decimal(b["x"]), Decimal(b["y"]))
            for run in c["runs"]
            for a, b in zip(run["points"], run["points"][1:], strict=False)
        ]
        assert all(x1 > x0 for x0, _, x1, _ in segments)
        steepest = max(abs((y1 - y0) / (x1 - x0)) for x0, y0, x1, y1 in segments)
        # a bend's x is written rounded (to the fen, or finer on a short axis): allow what that
        # moves, plus a fen either way
        unit = min(Decimal(p["x"]).as_tuple().exponent for run in c["runs"] for p in run["points"])
        tolerance = Decimal("0.02") + steepest * Decimal(1).scaleb(unit)
        for x0, y0, x1, y1 in segments:  # along each piece: no bend or jump was missed
            for t in ("0.05", "0.3", "0.62", "0.95"):  # not the tracer's own ¼ and ½
                xm = (x0 + (x1 - x0) * Decimal(t)).quantize(Decimal("0.01"))
                got = _evaluate_at(measure, inputs, key, f"{xm:f}")
                if got is not None and x0 < xm < x1:
                    want = y0 + (y1 - y0) * (xm - x0) / (x1 - x0)
                    assert abs(got - want) <= tolerance, (key, xm, got, want)
        for run in c["runs"]:  # the included end of a jump is exactly the rule's value there
            for end, point in (("start", run["points"][0]), ("end", run["points"][-1])):
                if run[end] == "closed":
                    got = _evaluate_at(measure, inputs, key, point["x"])
                    if got is not None:
                        assert abs(got - Decimal(point["y"])) <= tolerance, (key, point)
                else:
                    got = _evaluate_at(measure, inputs, key, point["x"])
                    if got is not None:
                        assert got != Decimal(point["y"]), (key, point)  # not included
        # JavaScript computes nothing: every attribute and text is already a string
        for el in svg(c)["elements"]:
            assert el["tag"] in {"path", "polyline", "circle", "text"}
            assert all(isinstance(v, str) for v in el["attrs"].values())
        assert len(c["table"]["rows"]) == sum(len(run["points"]) - 1 for run in c["runs"])


def test_growth_path_links_are_calculator_permalinks() -> None:
    """Every step of every worked 政策匹配 case links its calculator with all its inputs, written
    by the one permalink function; the charts stay on the calculator pages."""
    for case in load_cases("match"):
        if "growth_path" not in case.expected:
            continue
        out = match(case.inputs)
        for s in out["growth_path"]["steps"]:
            assert s["href"] == calculator_href(s["measure"], s["all_inputs"])
            assert s["href"] == f"calculators/{s['measure']}/{permalink_query(s['all_inputs'])}"
            assert not re.search(r"\d\.\d{3}", s["href"])  # amounts to the fen at most
        assert all("curves" not in r["result"] for r in out["results"] if r["result"])


def assert_answers_at_extremes(measure: str, inputs: dict) -> None:
    """At the fields' limits the answer, its steps and its charts still come (or a chart is left
    out); nothing but InputError may escape evaluate. (Each measure's test file gives its own.)"""
    r = evaluate(measure, {**inputs, "as_of": "2025-06-01"})
    json.dumps(r)
    for step in r["next_steps"]["steps"]:
        assert evaluate(measure, step["all_inputs"])["amount_max"] == step["amount_max"]


def test_the_live_hint_traces_no_curve(monkeypatch) -> None:
    """Typing into a field asks for hints only: no evaluate, so no curve is traced."""
    import calculators.engine.evaluate as evaluating

    def traced(*args: object) -> list:
        raise AssertionError("a curve was traced")

    monkeypatch.setattr(evaluating, "curves", traced)
    for target in CURVED:
        case = next(c for c in load_cases(target) if c.expected.get("curves"))
        typed = open_link(target, permalink_query(case.inputs))["typed"]  # as the form shows it
        assert form(target, typed)["query"]
        with pytest.raises(AssertionError, match="traced"):
            form(target, typed, compute=True)  # the patch is in the path that computes
