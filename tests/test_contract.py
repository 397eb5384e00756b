"""The published contract: one JSON Schema (calculators/data/schema.json, the site's
data/schema.json) for every bridge request and answer and every evaluate/match result. The
suite checks each answer it produces against it (tests/contract.py, installed by conftest.py);
these tests check that the checking itself can fail, and that what is published is the schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import contract
import pytest
from browsing import press_compute, visit, wait_ready
from jsonschema import Draft202012Validator

import calculators
from calculators import permalink_query
from calculators.adapters import bridge
from sitebuild.casedata import load_cases


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(contract.schema())


def test_the_public_functions_and_the_bridge_are_checked() -> None:
    for fn in (calculators.evaluate, calculators.match, calculators.form, calculators.open_link,
               bridge.handle):
        assert getattr(fn, "__wrapped_by_contract__", False), fn


def _answers() -> dict[str, object]:
    case = next(c for c in load_cases("rd_support") if c.expected.get("curves"))
    result = calculators.evaluate("rd_support", case.inputs)
    typed = calculators.open_link("rd_support", permalink_query(case.inputs))["typed"]
    return {"evaluate_result": result,
            "match_result": calculators.match({"revenue_last_year": "6000万",
                                               "as_of": "2025-06-01"}),
            "form_answer": calculators.form("rd_support", typed, compute=True)}


@pytest.mark.parametrize(
    ("name", "path", "bad"),
    [
        ("evaluate_result", ["surprise"], 1),  # an undocumented key
        ("evaluate_result", ["amount_max"], "1,000.00"),  # money not written as the API writes it
        ("evaluate_result", ["reasons", 0, "clause"], "art9"),  # no such clause
        ("evaluate_result", ["curves", 0, "runs", 0, "start"], "half"),
        ("evaluate_result", ["next_steps", "steps", 0, "href"], "https://example.org/"),
        ("match_result", ["results", 0, "status"], "maybe"),
        ("form_answer", ["view", "node", "children", 0, "onclick"], "x"),
    ],
)
def test_a_broken_answer_is_caught(name: str, path: list, bad: object) -> None:
    answer = copy.deepcopy(_answers()[name])
    contract.check(name, answer)  # as produced: valid
    target = answer
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    with pytest.raises(AssertionError, match="breaks the schema"):
        contract.check(name, answer)


def test_a_malformed_request_still_gets_a_known_answer() -> None:
    for request in ("[]", "{", '{"op": "nope"}', '{"op": "evaluate", "measure": 7}'):
        contract.check_exchange(request, bridge.handle(request))


def test_the_site_publishes_the_schema(built_site: Path) -> None:
    published = json.loads((built_site / "data" / "schema.json").read_text("utf-8"))
    assert published == contract.schema()


def test_the_page_exchanges_are_recorded_and_checked(calc_page, site_server: str) -> None:
    """The browser's answers are checked only if they are recorded: compute one result."""
    case = next(c for c in load_cases("rent_subsidy") if "error_fields" not in c.expected)
    visit(calc_page, site_server, "calculators/rent_subsidy/" + permalink_query(case.inputs))
    wait_ready(calc_page)
    press_compute(calc_page)
    calc_page.wait_for_selector(".fs-result")
    ops = [json.loads(req)["op"] for req, _ in calc_page.exchanges]
    assert "form" in ops and "open" in ops, ops
    answered = [json.loads(ans) for req, ans in calc_page.exchanges
                if json.loads(req).get("compute")]
    assert any(a["ok"] and "view" in a["result"] for a in answered)
