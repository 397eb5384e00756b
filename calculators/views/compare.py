"""方案对比 — up to four saved scenarios side by side, from the text the reader typed.

The page keeps each saved scenario as it was typed (name and the form's text, in the reader's
browser only) and sends them back; here each one is read by the form's own reading
(`views.form`), computed by `evaluate`/`match`, and laid out as one table: a column per scenario,
a row per input, the verdict and the amount (for 政策匹配 every measure), the rows that differ
marked, and each scenario's link. Nothing is computed or worded in JavaScript. `export` writes
the same scenarios as CSV and JSON.

Shipped in the on-demand extras archive (sitebuild/pyodide_extras.py), not with a first result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..engine.evaluate import evaluate
from ..engine.inputs import InputError, parse_fields
from ..engine.links import calculator_href
from ..engine.match import match
from ..engine.money import fixed_context, yuan
from .form import _inputs, fields_of, hidden_keys
from .nodes import node as _node
from .result import record
from .words import verdict_words, wan_amount

MAX_SCENARIOS = 4  # columns that still fit a desk screen and an A4 page
_NAME_CHARS = 40  # a name is the reader's own text: kept short, shown as text
_STATUS = {"eligible": "符合", "ineligible": "不符合", "needs_input": "待补充信息"}


@dataclass
class Scenario:
    """One saved scenario read and computed: its name, what it entered (label → shown value),
    its link, and the result (or the errors of what it typed)."""

    id: str
    name: str
    record: list[tuple[str, str]] = field(default_factory=list)
    href: str = ""
    result: dict | None = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)  # key → value read, of those entered


def _name(raw: object, index: int) -> str:
    text = " ".join(str(raw or "").split())[:_NAME_CHARS]
    return text or f"方案 {index + 1}"  # 方案 1, 方案 2 … until the reader renames it


def read_scenarios(target: str, scenarios: object) -> list[Scenario]:
    """Each saved scenario ({"id", "name", "typed"}) read as the form reads it and computed."""
    fields_of(target)  # an unknown measure is an InputError naming `measure`
    if not isinstance(scenarios, list) or not scenarios:
        raise InputError({"scenarios": "请先保存至少一个方案"})
    if len(scenarios) > MAX_SCENARIOS:
        raise InputError({"scenarios": f"最多对比 {MAX_SCENARIOS} 个方案"})
    out = []
    for i, s in enumerate(scenarios):
        if not isinstance(s, Mapping) or not isinstance(s.get("typed"), Mapping):
            raise InputError({"scenarios": f"第 {i + 1} 个方案格式无效"})
        out.append(_computed(target, str(s.get("id") or i), _name(s.get("name"), i), s["typed"]))
    return out


def _computed(target: str, sid: str, name: str, typed: Mapping[str, object]) -> Scenario:
    fields = fields_of(target)
    inputs, errors, link = _inputs(fields, typed, hidden_keys(fields, typed))
    s = Scenario(sid, name, href=calculator_href(target, link))
    if errors:
        s.errors = errors
        return s
    try:
        s.result = match(inputs) if target == "match" else evaluate(target, inputs)
    except InputError as e:
        s.errors = e.errors
        return s
    values, _, _ = parse_fields(fields, inputs)
    s.record = record(fields, inputs, values)
    s.values = {k: v for k, v in values.items() if k in inputs}
    return s


def outcome_rows(target: str, scenarios: list[Scenario]) -> list[tuple[str, list[str]]]:
    """(label, one text per scenario) for the answer: verdict and amounts, or for 政策匹配 the
    totals and every measure. Shared by the table and the exports' wording."""
    ok = [s.result for s in scenarios]

    def each(get) -> list[str]:
        return [get(r) if r is not None else "—" for r in ok]

    if target != "match":
        rows = [
            ("结论", each(lambda r: verdict_words(bool(r["eligible"])))),
            ("最高金额", each(lambda r: _both(r["amount_max"]))),
        ]
        if any(r is not None and r["amount_net"] != r["amount_max"] for r in ok):
            rows.append(("扣除其他政策后", each(lambda r: _both(r["amount_net"]))))
        return rows
    rows = [
        ("资金支持合计最高", each(lambda r: wan_amount(r["grant_total_max"]))),
        ("股权投资最高", each(lambda r: wan_amount(r["equity_max"]))),
    ]
    first = next((r for r in ok if r is not None), None)
    for i, item in enumerate(first["results"] if first else []):
        rows.append((item["title"], each(lambda r, i=i: _match_cell(r["results"][i]))))
    return rows


def _match_cell(item: dict) -> str:
    status = _STATUS[item["status"]]
    if item["status"] == "eligible":
        return f"{status}：{wan_amount(item['result']['amount_max'])}"
    return status


def _both(amount: str) -> str:
    return f"{wan_amount(amount)}（{yuan(Decimal(amount))}）"


def input_rows(scenarios: list[Scenario]) -> list[tuple[str, list[str]]]:
    """(label, one shown value per scenario) for every input any scenario filled in."""
    labels: list[str] = []
    for s in scenarios:
        labels += [k for k, _ in s.record if k not in labels]
    shown = [dict(s.record) for s in scenarios]
    return [(label, [v.get(label, "—") for v in shown]) for label in labels]


def error_words(target: str, s: Scenario) -> str:
    """A scenario's errors, each after its field's label."""
    labels = {f.key: f.label for f in fields_of(target)}
    return "；".join(f"{labels.get(k, k)}：{v}" for k, v in s.errors.items())


def _row(label: str, cells: list[str], group: str) -> dict[str, object]:
    differs = len(set(cells)) > 1
    mark = _node("span", "（不同）", cls="fs-compare__diff-mark") if differs else None
    return _node(
        "tr",
        _node("th", label, mark, scope="row"),
        *(_node("td", c) for c in cells),
        cls=f"fs-compare__row fs-compare__row--{group}"
        + (" fs-compare__row--diff" if differs else ""),
    )


def _head(s: Scenario) -> dict[str, object]:
    return _node(
        "th",
        _node("span", s.name, cls="fs-compare__name"),
        _node("span",
              _node("a", "打开此方案", href=s.href, cls="fs-compare__link"), " ",
              _node("button", "重命名", type="button", cls="md-button fs-compare__action",
                    data_action="rename", data_scenario=s.id, aria_label=f"重命名 {s.name}"),
              " ",
              _node("button", "删除", type="button", cls="md-button fs-compare__action",
                    data_action="delete", data_scenario=s.id, aria_label=f"删除 {s.name}"),
              cls="fs-compare__tools"),
        scope="col",
    )


def _export_buttons() -> dict[str, object]:
    labels = (("csv", "导出对比表格（CSV）"), ("json", "导出对比（JSON）"))
    return _node("p", *(_node("button", text, type="button", cls="md-button",
                              data_action="export", data_format=fmt) for fmt, text in labels),
                 cls="fs-compare__export")


@fixed_context
def compare(target: str, scenarios: object) -> dict[str, object]:
    """方案对比: the saved scenarios as one table of view nodes, and a sentence to announce."""
    read = read_scenarios(target, scenarios)
    errors = [_node("p", f"{s.name}：填写有误，请打开此方案更正（{error_words(target, s)}）",
                    cls="fs-compare__error") for s in read if s.errors]
    inputs, outcome = input_rows(read), outcome_rows(target, read)
    differ = sum(len(set(c)) > 1 for _, c in inputs + outcome)
    table = _node(
        "table",
        _node("caption", f"方案对比：{len(read)} 个方案，{differ} 项不同（标有“不同”）"),
        _node("thead", _node("tr", _node("th", "项目", scope="col"), *(_head(s) for s in read))),
        _node("tbody", *(_row(k, c, "input") for k, c in inputs),
              *(_row(k, c, "outcome") for k, c in outcome)),
        cls="fs-compare__table",
    )
    return {
        "count": len(read),
        "node": _node("section", _node("h3", "方案对比", id="fs-compare-title"), *errors,
                      _node("div", table, cls="fs-compare__wrap"), _export_buttons(),
                      cls="fs-compare", aria_labelledby="fs-compare-title"),
        "announce": f"方案对比已更新：{len(read)} 个方案，{differ} 项不同。",
    }
