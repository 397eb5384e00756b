"""命令行 — a thin adapter over evaluate()/match()/describe().

    python -m calculators rent_subsidy rent_entry=new qualifications=high_tech \
        rent_area_m2=1000 rent_per_m2_day=3 as_of=2025-06-01
    python -m calculators match industry=software_it revenue_last_year=6000万 --json
    python -m calculators rd_support --form revenue_last_year=100000 rd_last_year=5000 ...
    python -m calculators describe rent_subsidy      # the input description, as JSON
    python -m calculators list

Values are in API units (money in 元, "6000万" and "1.2亿" also read); with --form they are read
as typed into the web form, by the same function (money in the field's entry unit, 万元). Prints
the result in Chinese (or JSON with --json) and the web calculator's permalink. Bad input prints
each field's problem and exits with status 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from ..engine.evaluate import describe, evaluate
from ..engine.inputs import InputError
from ..engine.links import calculator_href
from ..engine.match import describe_profile, match
from ..engine.measure import unmet_text
from ..engine.money import yuan
from ..engine.params import clauses
from ..engine.registry import MEASURES
from ..views.form import entry_inputs, text_inputs

USAGE = """\
用法：
  python -m calculators <措施> 键=值 ... [--json] [--form]   计算一项措施（--form：按网页表单的
                                                    单位读取，金额以万元计）
  python -m calculators match 键=值 ... [--json]     政策匹配（全部措施）
  python -m calculators describe <措施|profile>      输入项说明（JSON）
  python -m calculators list                          列出措施
措施：""" + "、".join(MEASURES)


def _label(clause: str) -> str:
    known = clauses().get(clause)
    return known.label if known else clause


def _format_result(r: dict) -> list[str]:
    lines = [f"{r['title']}（{_label(r['clause'])}）"]
    if r["eligible"]:
        lines.append(f"结论：符合条件，最高 {yuan_str(r['amount_max'])}")
        if r["amount_net"] != r["amount_max"]:
            lines.append(f"就高不重复后：最高 {yuan_str(r['amount_net'])}")
        if r["kind"] == "equity":
            lines.append("性质：股权投资（可给予）")
    else:
        lines.append("结论：不符合条件")
    lines.append(f"试行期内：{'是' if r['in_force'] else '否'}（计算日期 {r['as_of']}）")
    lines.append(f"依据：{r['document']['doc_number']}《{r['document']['title']}》")
    lines.append("理由：")
    lines += [f"  {i}. [{_label(x['clause'])}] {x['text']}" for i, x in enumerate(r["reasons"], 1)]
    lines.append("说明：")
    lines += [f"  - {n}" for n in r["notes"]]
    lines.append("咨询联系人：")
    lines += [f"  - {c['unit']} {c['name']} {c['phone']}" for c in r["contacts"]]
    return lines + _format_growth(r)


def _format_growth(r: dict) -> list[str]:
    """怎样可以获得更多 and 金额曲线: the same worded lines and breakpoints the page shows."""
    found = r["next_steps"]
    lines = [f"{found['heading']}："]
    for s in found["steps"]:
        lines += [f"  → {s['text']}", f"    按此计算：{s['href']}"]
    lines += [f"  - {n}" for n in found["notes"]]
    if found["empty"]:
        lines.append(f"  {found['empty']}")
    for c in r["curves"]:
        lines.append(c["caption"])
        lines += [f"  {row[0]}：{row[1]}" for row in c["table"]["rows"]]
    return lines


def yuan_str(amount: str) -> str:
    from decimal import Decimal

    return yuan(Decimal(amount))


def _format_match(m: dict) -> list[str]:
    lines = [f"政策匹配（计算日期 {m['as_of']}）"]
    for item in m["results"]:
        head = f"{item['title']}（{_label(item['clause'])}）"
        if item["status"] == "needs_input":
            labels = {f["key"]: f["label"] for f in describe(item["measure"])["inputs"]}
            missing = "、".join(f"{labels[k]}（{k}）" for k in item["missing"])
            lines.append(f"  ? {head}：需补充 {missing}")
        elif item["status"] == "eligible":
            lines.append(f"  ✓ {head}：最高 {yuan_str(item['result']['amount_max'])}")
        else:
            why = unmet_text(item["result"])
            lines.append(f"  ✗ {head}：不符合。{why}")
    lines.append(f"资金支持合计（最高）：{yuan_str(m['grant_total_max'])}")
    lines.append(f"股权投资（最高，可给予）：{yuan_str(m['equity_max'])}")
    lines.append("另可关注：")
    for a in m["also_relevant"]:
        phones = "；".join(f"{c['unit']} {c['name']} {c['phone']}" for c in a["contacts"])
        lines.append(f"  - {a['title']}（{a['clause_label']}）：{a['summary']} 联系：{phones}")
    path = m["growth_path"]
    lines.append(f"{path['heading']}：")
    for s in path["steps"]:
        lines += [f"  → {s['title']}：{s['text']}", f"    按此计算：{s['href']}"]
    if path["empty"]:
        lines.append(f"  {path['empty']}")
    lines.append("说明：")
    lines += [f"  - {n}" for n in m["notes"]]
    return lines


def _pairs(args: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    bad = [a for a in args if "=" not in a]
    if bad:
        raise InputError({a: "参数应写成 键=值" for a in bad})
    for arg in args:
        key, _, value = arg.partition("=")
        out[key.strip()] = value
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    as_form = "--form" in args
    args = [a for a in args if a not in ("--json", "--form")]
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    try:
        if command == "list":
            for mid, m in MEASURES.items():
                print(f"{mid}\t{_label(m.clause)}\t{m.title}")
            return 0
        if command == "describe":
            target = rest[0] if rest else ""
            data = describe_profile() if target == "profile" else describe(target)
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return 0
        inputs: dict[str, object] = dict(_pairs(rest))
        inputs = entry_inputs(command, inputs) if as_form else text_inputs(command, inputs)
        if command == "match":
            result = match(inputs)
            lines = _format_match(result)
        else:
            result = evaluate(command, inputs)
            lines = _format_result(result)
        lines.append(f"网页计算器链接：{calculator_href(command, inputs)}")
    except InputError as e:
        if as_json:
            print(json.dumps({"errors": e.errors}, ensure_ascii=False, indent=2))
        else:
            print("输入有误：", file=sys.stderr)
            for key, message in e.errors.items():
                print(f"  {key}：{message}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2) if as_json else "\n".join(lines))
    return 0

