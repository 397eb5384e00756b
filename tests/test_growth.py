"""下一步与金额曲线: every next step offered gives, through `evaluate`, exactly what it promised;
every curve is the rule (its breakpoints, open/closed ends and straight pieces are what `evaluate`
computes); the chart geometry is strings only. Literal values are in tests/cases/*.toml."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS, valid_inputs

from calculators import MEASURES, describe, evaluate, match

CURVED = ("growth_award", "rent_subsidy", "rd_support", "upgrade_support")


@st.composite
def any_measure_inputs(draw: st.DrawFn) -> tuple[str, dict]:
    measure = draw(st.sampled_from(list(MEASURES)))
    return measure, draw(valid_inputs(measure))


@SETTINGS
@given(any_measure_inputs())
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


# Mostly inputs that qualify apart from the curve's own input, so that most examples draw a curve.
_LIKELY = {
    "rd_support": {"qualifications": ["specialized_sme"]},
    "upgrade_support": {"project_completed_last_year": True},
    "rent_subsidy": {"qualifications": ["high_tech"], "rent_year_index": 1,
                     "rd_or_production_use": True},
    "growth_award": {},
}


@SETTINGS
@given(st.sampled_from(CURVED).flatmap(lambda m: st.tuples(st.just(m), valid_inputs(m))),
       st.booleans())
def test_curves_are_the_rule(case: tuple[str, dict], likely: bool) -> None:
    measure, inputs = case
    if likely:
        inputs = {**inputs, **_LIKELY[measure]}
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
        for el in c["svg"]["elements"]:
            assert el["tag"] in {"path", "polyline", "circle", "text"}
            assert all(isinstance(v, str) for v in el["attrs"].values())
        assert len(c["table"]["rows"]) == sum(len(run["points"]) - 1 for run in c["runs"])


def test_the_chart_draws_pythons_points() -> None:
    """The polyline coordinates are the runs' points mapped into the viewBox, in order."""
    r = evaluate("rd_support", {"qualifications": ["specialized_sme"], "revenue_last_year": "10亿",
                                "rd_last_year": "3500万", "rd_year_before": "1000万",
                                "as_of": "2025-06-01"})
    (c,) = r["curves"]
    lines = [e["attrs"]["points"] for e in c["svg"]["elements"] if e["tag"] == "polyline"]
    # 0–1 亿元 on 78–616, 0–2500 万元 on 292–64 (viewBox 640 × 340)
    assert lines == ["78.0,292.0 293.2,292.0", "293.2,209.9 490.5,109.6 616.0,109.6"]
    ends = [(e["attrs"]["class"], e["attrs"]["cx"], e["attrs"]["cy"])
            for e in c["svg"]["elements"] if e["tag"] == "circle"]
    assert ends == [
        ("fs-chart__end fs-chart__end--open", "293.2", "292.0"),
        ("fs-chart__end fs-chart__end--closed", "293.2", "209.9"),
        ("fs-chart__you", "266.3", "292.0"),
    ]
    assert [e["text"] for e in c["svg"]["elements"] if e["attrs"]["class"] == "fs-chart__note"] \
        == ["每年上限 2000 万元", "强度 4%", "达到上限"]


def test_no_step_for_what_the_text_rules_out() -> None:
    base = {"rent_entry": "new", "qualifications": ["high_tech"], "rent_area_m2": 1000,
            "rent_per_m2_day": 3, "as_of": "2025-06-01"}
    assert evaluate("rent_subsidy", {**base, "rent_year_index": 4})["next_steps"]["steps"] == []
    transfer = {"tech_transfer_implemented": True, "tech_transfer_awarded_before": True,
                "as_of": "2025-06-01"}
    assert evaluate("tech_transfer_award", transfer)["next_steps"]["steps"] == []
    late = evaluate("rent_subsidy", {**base, "as_of": "2027-01-01"})
    assert all("as_of" not in s["inputs"] for s in late["next_steps"]["steps"])


def test_growth_path_links_are_calculator_permalinks() -> None:
    out = match({"industry": "advanced_manufacturing", "revenue_last_year": "6000万",
                 "project_completed_last_year": True, "fixed_asset_investment": "2500万",
                 "as_of": "2025-06-01"})
    hrefs = [s["href"] for s in out["growth_path"]["steps"]]
    assert hrefs == [
        "../upgrade_support/?project_completed_last_year=true&fixed_asset_investment=30000000.00"
        "&upgrade_prior_support=0.00&as_of=2025-06-01",
        "../growth_award/?industry=advanced_manufacturing&revenue_last_year=100000001.00"
        "&previous_peak_revenue=0.00&growth_prior_award=0.00&as_of=2025-06-01",
    ]
    assert all("curves" not in r["result"] for r in out["results"] if r["result"])
    assert not any(re.search(r"\d\.\d{3}", h) for h in hrefs)


EXTREMES = [
    ("rent_subsidy", {"rent_entry": "expansion", "rent_area_m2": "10000000",
                      "rent_per_m2_day": "10000", "qualifications": ["unicorn"]}),
    ("rent_subsidy", {"rent_entry": "expansion", "rent_area_m2": "0.01",
                      "rent_per_m2_day": "0.01"}),
    ("rent_subsidy", {"rent_entry": "expansion", "rent_area_m2": "9999999.99",
                      "rent_per_m2_day": "9999.99", "rent_days": 1}),
    ("rd_support", {"qualifications": ["specialized_sme"], "revenue_last_year": "0.01",
                    "rd_last_year": "100000000000000", "rd_year_before": "0"}),
    ("rd_support", {"qualifications": ["specialized_sme"], "revenue_last_year": "100000000000000",
                    "rd_last_year": "0", "rd_year_before": "100000000000000"}),
    ("upgrade_support", {"project_completed_last_year": True,
                         "fixed_asset_investment": "100000000000000",
                         "upgrade_prior_support": "0.01"}),
    ("growth_award", {"industry": "tech_services", "revenue_last_year": "0.01",
                      "previous_peak_revenue": "100000000000000"}),
    ("growth_award", {"industry": "software_it", "revenue_last_year": "100000000000000"}),
]


def test_extreme_inputs_still_answer() -> None:
    """At the fields' limits the answer, its steps and its charts still come (or a chart is left
    out); nothing but InputError may escape evaluate."""
    for measure, inputs in EXTREMES:
        r = evaluate(measure, {**inputs, "as_of": "2025-06-01"})
        json.dumps(r)
        for step in r["next_steps"]["steps"]:
            assert evaluate(measure, step["all_inputs"])["amount_max"] == step["amount_max"]
