"""导出表格 — a result, a 政策匹配 answer or a comparison, written as CSV and as JSON.

The page sends the saved scenarios' typed text (one scenario for a single result), as for 方案对比;
the file's text is written here and the page only hands it to the browser as a download. CSV is
UTF-8 with a byte-order mark, so that Excel and WPS read the Chinese text as UTF-8; one column per
scenario. Both carry the inputs with their labels and units, the verdicts, the amounts in 元 and
万元, the reasons with their clauses, the date computed for and the document it rests on (the
version in force on that date, per scenario).

Shipped in the on-demand extras archive (sitebuild/pyodide_extras.py), not with a first result.
The CSV is written by hand (`_csv_line`): the `csv` module would be one more standard-library
module for the browser to download, for four lines of quoting.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..engine.inputs import FieldType, InputError
from ..engine.links import canonical
from ..engine.money import fixed_context
from ..engine.params import clauses
from ..engine.registry import lookup
from .compare import _STATUS, Scenario, error_words, read_scenarios
from .form import fields_of
from .words import wan_amount

BOM = "\ufeff"
FORMATS = {"csv": "text/csv;charset=utf-8", "json": "application/json;charset=utf-8"}


def _csv_line(cells: list[str]) -> str:
    """One CSV record (RFC 4180): every cell quoted, quotes doubled, CRLF."""
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n"


def _wan_number(amount: str) -> str:
    return wan_amount(amount).removesuffix(" 万元")


def _clause(clause: str) -> str:
    known = clauses().get(clause)
    return known.label if known else clause


def _inputs_of(target: str, s: Scenario) -> list[dict[str, str]]:
    """Each input filled in: key, label, unit and value (money as a number of 元, which a
    spreadsheet can add up; options by their labels, as the print record shows them)."""
    shown = dict(s.record)
    out = []
    for f in fields_of(target):
        if f.key not in s.values:
            continue
        raw = s.values[f.key]
        if f.type is FieldType.MONEY:
            unit, value = "元", canonical(raw)  # type: ignore[arg-type]
        elif isinstance(raw, Decimal | int) and not isinstance(raw, bool):
            unit, value = f.unit or "", canonical(Decimal(raw))  # no digit grouping: a number
        else:
            unit, value = f.unit or "", shown[f.label].removesuffix(f" {f.unit}" if f.unit else "")
        out.append({"key": f.key, "label": f.label, "unit": unit, "value": value})
    return out


def _amounts(amount: str) -> dict[str, str]:
    return {"元": amount, "万元": _wan_number(amount)}


def _answer(target: str, r: dict) -> dict[str, object]:
    """What a scenario's answer says, for the files: verdict, amounts, reasons with clauses."""
    if target != "match":
        return {
            "measure": r["measure"], "title": r["title"], "clause": _clause(r["clause"]),
            "eligible": r["eligible"], "verdict": "符合条件" if r["eligible"] else "暂不符合条件",
            "amount_max": _amounts(r["amount_max"]), "amount_net": _amounts(r["amount_net"]),
            "reasons": [{"clause": _clause(x["clause"]), "text": x["text"]} for x in r["reasons"]],
            "notes": r["notes"],
        }
    return {
        "grant_total_max": _amounts(r["grant_total_max"]),
        "equity_max": _amounts(r["equity_max"]),
        "measures": [
            {"measure": x["measure"], "title": x["title"], "clause": _clause(x["clause"]),
             "status": x["status"], "verdict": _STATUS[x["status"]], "missing": x["missing"],
             "amount_max": _amounts(x["result"]["amount_max"]) if x["result"] else None,
             "reasons": [{"clause": _clause(y["clause"]), "text": y["text"]}
                         for y in (x["result"] or {}).get("reasons", [])]}
            for x in r["results"]
        ],
    }


def document(target: str, scenarios: object, base: str = "") -> dict[str, object]:
    """The export as data (the JSON file): every scenario's inputs and answer, the date and the
    document. Scenarios that cannot be read are an InputError naming them."""
    read = read_scenarios(target, scenarios)
    bad = [f"{s.name}：{error_words(target, s)}" for s in read if s.errors]
    if bad:
        raise InputError({"scenarios": "；".join(bad)})
    title = "政策匹配" if target == "match" else lookup(target).title
    return {
        "calculator": {"id": target, "title": title},
        "note": "结果为按所填信息测算的上限，以主管部门审核为准。",
        "scenarios": [
            {"name": s.name, "as_of": s.result["as_of"], "link": base + s.href,
             # the version in force on the scenario's date (a revision may lie between two)
             "document": {k: s.result["document"][k] for k in ("doc_number", "title")},
             "inputs": _inputs_of(target, s), "answer": _answer(target, s.result)}
            for s in read if s.result is not None
        ],
    }


def _csv_rows(target: str, doc: dict) -> list[list[str]]:
    """One row per item, one column per scenario: 项目, 单位, then each scenario's value."""
    sc = doc["scenarios"]

    def row(label: str, unit: str, get) -> list[str]:
        return [label, unit, *(str(get(s)) for s in sc)]

    rows = [["项目", "单位", *(s["name"] for s in sc)],
            row("计算器", "", lambda s: doc["calculator"]["title"]),
            row("依据文件", "", lambda s: "{doc_number}《{title}》".format(**s["document"])),
            row("计算日期", "", lambda s: s["as_of"])]
    labels = {(i["label"], i["unit"]): None for s in sc for i in s["inputs"]}
    for label, unit in labels:
        rows.append(row(label, unit, lambda s, k=label: next(
            (i["value"] for i in s["inputs"] if i["label"] == k), "")))
    if target == "match":
        for key, label in (("grant_total_max", "资金支持合计最高"), ("equity_max", "股权投资最高")):
            for unit in ("元", "万元"):
                rows.append(row(label, unit, lambda s, k=key, u=unit: s["answer"][k][u]))
        for i, m in enumerate(sc[0]["answer"]["measures"] if sc else []):
            name = f"{m['title']}（{m['clause']}）"
            rows.append(row(f"{name} 结论", "",
                            lambda s, i=i: s["answer"]["measures"][i]["verdict"]))
            for unit in ("元", "万元"):
                rows.append(row(f"{name} 最高金额", unit, lambda s, i=i, u=unit: (
                    s["answer"]["measures"][i]["amount_max"] or {}).get(u, "")))
    else:
        rows.append(row("结论", "", lambda s: s["answer"]["verdict"]))
        for key, label in (("amount_max", "最高金额"), ("amount_net", "扣除其他政策已享受金额后")):
            for unit in ("元", "万元"):
                rows.append(row(label, unit, lambda s, k=key, u=unit: s["answer"][k][u]))
        most = max((len(s["answer"]["reasons"]) for s in sc), default=0)
        for n in range(most):
            rows.append(row(f"计算过程 {n + 1}", "", lambda s, n=n: _reason(s, n)))
    rows.append(row("链接", "", lambda s: s["link"]))
    rows.append(["说明", "", doc["note"]])
    return rows


def _reason(s: dict, n: int) -> str:
    reasons = s["answer"]["reasons"]
    return f"{reasons[n]['clause']}：{reasons[n]['text']}" if n < len(reasons) else ""


@fixed_context
def export(target: str, scenarios: object, fmt: str, base: str = "") -> dict[str, str]:
    """The file's name, type and text. `base`: the site's address, for each scenario's link."""
    if fmt not in FORMATS:
        raise InputError({"format": "导出格式应为 csv 或 json"})
    doc = document(target, scenarios, str(base or ""))
    stem = f"{doc['calculator']['title']}-{'方案对比' if len(doc['scenarios']) > 1 else '计算结果'}"
    if fmt == "json":
        text = json.dumps(doc, ensure_ascii=False, indent=1, default=_plain)
    else:
        text = BOM + "".join(_csv_line(r) for r in _csv_rows(target, doc))
    return {"filename": f"{stem}.{fmt}", "mime": FORMATS[fmt], "text": text}


def _plain(value: object) -> str:
    if isinstance(value, Decimal):
        return canonical(value)
    raise TypeError(type(value).__name__)

