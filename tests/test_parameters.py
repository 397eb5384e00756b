"""Parameters as dated data, clause ids, and the contact directory as the calculators read it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calculators import MEASURES, InputError, clauses, evaluate, match, parameters, policy
from calculators.engine.contacts import Contact, contacts_for
from calculators.engine.params import Dated, Parameter, at
from sitebuild.casedata import load_cases

CLAUSE_IDS = [
    "art1.1",
    "art1.2",
    "art2",
    "art3.1",
    "art3.2",
    "art4",
    "art5.1",
    "art5.2",
    "art6",
    "art7",
    "general",
]


def test_clause_ids_are_the_specs() -> None:
    assert list(clauses()) == CLAUSE_IDS
    assert all(c.anchor == c.id.replace(".", "-") for c in clauses().values())


def test_every_parameter_cites_a_clause_and_is_dated() -> None:
    assert len(parameters()) >= 30
    for p in parameters().values():
        assert p.clause in clauses()
        assert p.history and p.history[0].since == policy()["issued"]


def test_policy_table_is_kept() -> None:
    pol = policy()
    assert pol["doc_number"] == "房经信局文〔2025〕14号"
    assert pol["validity"] == {
        "clause": "general",
        "start": dt.date(2025, 4, 28),
        "end": dt.date(2026, 4, 27),
    }


def test_value_in_force_at_a_date() -> None:
    p = Parameter(
        "x",
        "art2",
        "x",
        "元",
        (Dated(dt.date(2025, 4, 28), Decimal(1)), Dated(dt.date(2026, 1, 1), Decimal(2))),
    )
    assert p.at(dt.date(2025, 1, 1)).value == 1  # before the first entry: the first entry
    assert p.at(dt.date(2025, 12, 31)).value == 1
    assert p.at(dt.date(2026, 1, 1)).value == 2
    assert at(dt.date(2025, 6, 1)).param("rent_subsidy.price_cap").clause == "art2"


def _cited(result: dict) -> set[str]:
    return {r["clause"] for r in result["reasons"]}


def test_every_cited_clause_exists_in_the_parameters_file() -> None:
    cited: set[str] = set()
    for case in load_cases():
        try:
            if case.target == "match":
                out = match(case.inputs)
                for item in out["results"]:
                    if item["result"]:
                        cited |= _cited(item["result"])
                cited |= {a["clause"] for a in out["also_relevant"]}
            else:
                cited |= _cited(evaluate(case.target, case.inputs))
        except InputError:
            continue
    cited |= {m.clause for m in MEASURES.values()}
    assert cited <= set(clauses())
    assert {"general", "art2", "art5.1"} <= cited


@pytest.mark.parametrize(
    ("clause", "industry", "names"),
    [
        ("art1.1", None, ["路萍"]),
        ("art1.2", "software_it", ["张瑜"]),
        ("art1.2", "tech_services", ["李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"]),
        ("art1.2", None, ["张瑜", "李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"]),
        ("art3.2", None, ["任会敏", "王铂淳"]),
        ("art5.1", None, ["李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"]),
        ("art5.2", None, ["李奕响", "孟祥冬", "王杨", "梅金双", "徐璐璐"]),
        ("art7", None, ["张迪"]),
        ("general", None, ["任会敏", "王铂淳", "王世熙"]),
    ],
)
def test_contacts_by_clause(clause: str, industry: str | None, names: list[str]) -> None:
    assert [c.name for c in contacts_for(clause, industry)] == names


def test_contact_phones_joined() -> None:
    c = Contact("燕山经济和信息化分局", "李冉", ("81337573", "15810245960"))
    assert c.to_dict()["phone"] == "81337573 / 15810245960"
    assert contacts_for("art1.1")[0].to_dict() == {
        "unit": "区经信局中小科",
        "name": "路萍",
        "phone": "81312751",
        "phones": ["81312751"],
    }
