"""方案对比 and 导出表格 in CPython: the comparison view and the CSV/JSON files, read back and
checked against `evaluate`/`match` on the same typed inputs (the worked cases, as the form
would send them: `open_link` writes each case's permalink back into the form's text)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

import calculators
from calculators.adapters import bridge
from calculators.views.compare import MAX_SCENARIOS, compare
from calculators.views.export import export
from sitebuild.casedata import load_cases

BASE = "https://example.invalid/"


def typed_of(case) -> dict:
    return calculators.open_link(case.target, calculators.permalink_query(case.inputs))["typed"]


def scenarios_of(target: str, n: int = 3) -> list[dict]:
    cases = [c for c in load_cases(target)][:n]
    return [{"id": f"s{i}", "name": c.name[:20].strip(), "typed": typed_of(c)}
            for i, c in enumerate(cases)]


def answer(target: str, inputs: dict) -> dict:
    return calculators.match(inputs) if target == "match" else calculators.evaluate(target, inputs)


def text_of(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(text_of(c) for c in node.get("children", []))


def body_of(view: dict) -> dict:
    """The comparison table's tbody node."""
    wrap = next(c for c in view["node"]["children"] if c.get("cls") == "fs-compare__wrap")
    return next(c for c in wrap["children"][0]["children"] if c["tag"] == "tbody")


def rows_of(view: dict) -> dict[str, list[str]]:
    """The comparison table as {row label: cell texts}."""
    body = body_of(view)
    return {text_of(tr["children"][0]).removesuffix("（不同）"): [text_of(td) for td in
            tr["children"][1:]] for tr in body["children"]}


@pytest.mark.parametrize("target", [*calculators.MEASURES, "match"])
def test_compare_shows_each_scenarios_amount(target):
    scenarios = scenarios_of(target)
    view = compare(target, scenarios)
    rows = rows_of(view)
    for i, s in enumerate(scenarios):
        r = answer(target, calculators.views.form.entry_inputs(target, s["typed"]))
        if target == "match":
            assert calculators.wan_amount(r["grant_total_max"]) in rows["资金支持合计最高"][i]
            for item in r["results"]:  # every measure, with its status
                cell = rows[item["title"]][i]
                assert cell.startswith({"eligible": "符合", "ineligible": "不符合",
                                        "needs_input": "待补充信息"}[item["status"]])
        else:
            assert rows["最高金额"][i].startswith(calculators.wan_amount(r["amount_max"]))
            assert rows["结论"][i].endswith("符合条件")
    heads = json.dumps(view["node"], ensure_ascii=False)
    assert heads.count('"data-action": "rename"') == len(scenarios)
    assert heads.count('"data-action": "delete"') == len(scenarios)


def test_compare_marks_differences_and_links():
    typed = typed_of(load_cases("rent_subsidy")[0])
    more = {**typed, "rent_area_m2": "2000"}
    view = compare("rent_subsidy", [{"id": "a", "typed": typed},
                                    {"id": "b", "name": "  大  ", "typed": more}])
    nodes = json.dumps(view["node"], ensure_ascii=False)
    rows = rows_of(view)
    assert rows["最高金额"] == ["36.5 万元（365,000.00 元）", "73 万元（730,000.00 元）"]
    assert "方案 1" in nodes and '"大"' in nodes  # unnamed → 方案 N; names trimmed
    diff = [tr for tr in body_of(view)["children"] if "fs-compare__row--diff" in tr["cls"]]
    assert [text_of(tr["children"][0]) for tr in diff] == ["租用面积（不同）", "最高金额（不同）"]
    assert "calculators/rent_subsidy/?rent_entry=new&qualifications=high_tech&rent_area_m2=2000" \
        in nodes


def test_compare_refuses_bad_requests():
    with pytest.raises(calculators.InputError) as e:
        compare("rent_subsidy", [])
    assert "scenarios" in e.value.errors
    with pytest.raises(calculators.InputError):
        compare("rent_subsidy", [{"typed": {}}] * (MAX_SCENARIOS + 1))
    with pytest.raises(calculators.InputError) as e:
        compare("nope", [{"typed": {}}])
    assert "measure" in e.value.errors
    # A scenario that cannot be read is named in the view, at its field's label; nothing crashes.
    view = compare("rent_subsidy", [{"typed": {"rent_area_m2": "abc"}}])
    assert "租用面积：" in text_of(view["node"])
    answer_ = json.loads(bridge.handle(json.dumps({"op": "compare", "measure": "rent_subsidy",
                                                    "scenarios": "x"})))
    assert answer_["ok"] is False and "scenarios" in answer_["errors"]


@pytest.mark.parametrize("target", [*calculators.MEASURES, "match"])
def test_csv_export_reads_back(target):
    scenarios = scenarios_of(target)
    out = export(target, scenarios, "csv", BASE)
    assert out["mime"] == "text/csv;charset=utf-8" and out["filename"].endswith(".csv")
    assert out["text"].startswith("\ufeff")  # the BOM, for Excel and WPS
    table = list(csv.reader(io.StringIO(out["text"].removeprefix("\ufeff"), newline="")))
    assert table[0] == ["项目", "单位", *(s["name"] for s in scenarios)]
    assert all(len(row) == len(table[0]) for row in table[:-1])
    by = {(row[0], row[1]): row[2:] for row in table[1:]}
    pol = calculators.policy()
    assert by[("依据文件", "")][0] == f"{pol['doc_number']}《{pol['title']}》"
    for i, s in enumerate(scenarios):
        inputs = calculators.views.form.entry_inputs(target, s["typed"])
        r = answer(target, inputs)
        assert by[("计算日期", "")][i] == r["as_of"]
        assert by[("链接", "")][i] == BASE + calculators.calculator_href(target, inputs)
        key = "grant_total_max" if target == "match" else "amount_max"
        label = "资金支持合计最高" if target == "match" else "最高金额"
        assert by[(label, "元")][i] == r[key]
        assert Decimal(by[(label, "万元")][i]) * 10000 == Decimal(r[key])
        if target != "match":
            reasons = [v[i] for (k, _), v in by.items() if k.startswith("计算过程") and v[i]]
            assert len(reasons) == len(r["reasons"])
            assert reasons[-1].endswith(r["reasons"][-1]["text"])
        for f in calculators.describe_profile()["inputs"] if target == "match" else \
                calculators.describe(target)["inputs"]:
            if f["type"] == "money" and f["key"] in inputs:
                assert Decimal(by[(f["label"], "元")][i]) == Decimal(str(inputs[f["key"]]))


@pytest.mark.parametrize("target", ["rent_subsidy", "match"])
def test_json_export_reads_back(target):
    scenarios = scenarios_of(target, 2)
    out = export(target, scenarios, "json", BASE)
    doc = json.loads(out["text"])
    assert {s["document"]["doc_number"] for s in doc["scenarios"]} == {
        calculators.policy()["doc_number"]}
    for s, got in zip(scenarios, doc["scenarios"], strict=True):
        r = answer(target, calculators.views.form.entry_inputs(target, s["typed"]))
        assert got["as_of"] == r["as_of"]
        if target == "match":
            assert got["answer"]["grant_total_max"]["元"] == r["grant_total_max"]
            assert [m["status"] for m in got["answer"]["measures"]] == \
                [x["status"] for x in r["results"]]
        else:
            assert got["answer"]["amount_max"]["元"] == r["amount_max"]
            assert got["answer"]["reasons"][-1]["text"] == r["reasons"][-1]["text"]
            assert {i["label"] for i in got["inputs"]} >= {"租用面积"}


def test_export_errors_are_named():
    for request, key in (
        ({"op": "export", "measure": "rent_subsidy", "scenarios": [{"typed": {}}], "format": "xls"},
         "format"),
        ({"op": "export", "measure": "rent_subsidy", "format": "csv",
          "scenarios": [{"typed": {"rent_area_m2": "x"}}]}, "scenarios"),
        ({"op": "qr", "text": ""}, "text"),
    ):
        answer_ = json.loads(bridge.handle(json.dumps(request)))
        assert answer_["ok"] is False and key in answer_["errors"], answer_


def test_qr_view_is_a_labelled_svg():
    url = BASE + "calculators/rent_subsidy/?rent_area_m2=1000"
    answer_ = json.loads(bridge.handle(json.dumps({"op": "qr", "text": url})))
    assert answer_["ok"]
    figure = answer_["result"]["node"]
    svg = figure["children"][0]
    assert svg["attrs"]["aria-label"] == f"二维码：{url}"
    size = answer_["result"]["modules"]
    assert svg["attrs"]["viewBox"] == f"0 0 {size} {size}"
    assert size == 17 + 4 * answer_["result"]["version"] + 8  # the quiet zone on both sides
    assert url in text_of(figure)  # the address as text beside the code
