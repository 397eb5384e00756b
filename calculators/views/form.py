"""表单 — the calculator forms' side of the engine: typed text in, everything the page shows out.

The browser's form sends what the reader typed, field by field, untouched (and the options they
checked); these functions read it with each field's entry unit, validate, compute and word the
answer: field errors, live hints, the result as a tree of elements the page builds without
reading it, the permalink and the print record. The page keeps no rule of its own
(docs/assets/calc/*.mjs only move text), the build and the CLI call the same functions.

A view is plain JSON: a node is `{"tag", "cls"?, "attrs"?, "css"?, "children"}`, a child a node
or a text. `attrs` holds only names the page allows (view.mjs); an `href` is relative to the
site root (or a tel: link). New sections are more nodes: the next steps and the growth path are
lists and links, a curve is a figure whose SVG (`svg`, `path`, `polyline`, `circle`, `text`)
`_growth` laid out in viewBox units, so the one builder in view.mjs makes them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from ..engine.dates import cn_date
from ..engine.evaluate import evaluate
from ..engine.inputs import (
    ENTRY_SCALE,
    Field,
    FieldType,
    InputError,
    _Bad,
    _decimal,
    _parse_one,
    parse_fields,
    read_entry,
)
from ..engine.links import canonical, permalink_query, query_pairs
from ..engine.match import match, profile_fields
from ..engine.measure import COMMON_FIELDS, unmet_text
from ..engine.money import FEN, ZERO, fixed_context, plain_number, yuan
from ..engine.params import at, clauses, policy
from ..engine.registry import MEASURES, lookup

__all__ = [
    "amount_in_words",
    "entry_inputs",
    "error_summary",
    "fields_of",
    "form",
    "money_hint",
    "open_link",
    "permalink_query",
    "wan_amount",
]

_WAN = ENTRY_SCALE["万元"]
_YI = ENTRY_SCALE["亿元"]
_ONE = Decimal(1)
_SHORT = 40  # characters of a value from a link quoted in a notice

Typed = Mapping[str, object]  # key → text typed, or the list of values checked


# --- words for amounts --------------------------------------------------------------------------


def wan_amount(amount: str | Decimal) -> str:
    """An API amount (元) in 万元, as results show it: "365000.00" → "36.5 万元"."""
    return f"{plain_number(Decimal(amount) / _WAN).replace(',', '')} 万元"


def amount_in_words(amount: Decimal) -> str:
    """A sum in the largest unit it reaches, to at most two decimals (half up): the live hint's
    words. 120000000 → "1.2 亿元"; 60000000 → "6,000 万元"; 365.5 → "365.5 元"."""
    unit, scale = ("元", _ONE)
    if amount >= _YI:
        unit, scale = "亿元", _YI
    elif amount >= _WAN:
        unit, scale = "万元", _WAN
    return f"{plain_number((amount / scale).quantize(FEN, rounding=ROUND_HALF_UP))} {unit}"


def _short(text: object) -> str:
    s = str(text)
    return s if len(s) <= _SHORT else s[:_SHORT] + "…"


# --- the form's fields --------------------------------------------------------------------------


def fields_of(target: str) -> tuple[Field, ...]:
    """The fields of a form: a measure's (with the common ones), or 政策匹配's profile."""
    if target == "match":
        return profile_fields()
    measure = lookup(target)
    return measure.fields + COMMON_FIELDS


def _blank(raw: object) -> bool:
    if isinstance(raw, list | tuple):
        return not raw
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _value_of(f: Field, raw: object) -> object:
    """The field's value from typed text, its default when blank or unreadable."""
    if _blank(raw):
        return f.default
    try:
        return read_entry(f, raw) if isinstance(raw, str) else _parse_one(f, raw)
    except (InputError, _Bad):
        return f.default


def hidden_keys(fields: Iterable[Field], typed: Typed) -> list[str]:
    """The fields that do not apply to what is filled in (show_if)."""
    fields = tuple(fields)
    by_key = {f.key: f for f in fields}
    hidden = []
    for f in fields:
        for key, allowed in f.show_if:
            if _value_of(by_key[key], typed.get(key)) not in allowed:
                hidden.append(f.key)
                break
    return hidden


def money_hint(f: Field, text: str) -> str:
    """The live hint under a money field: "= 2 亿元" for what it reads, "" if it reads nothing."""
    try:
        value = read_entry(f, text)
    except InputError:
        return ""
    assert isinstance(value, Decimal)
    return f"= {amount_in_words(value)}"


def _inputs(fields: Iterable[Field], typed: Typed, hidden: list[str]):
    """API inputs from typed text: money read with the entry unit here, the rest as typed.
    Returns (inputs, errors of reading, inputs for the link)."""
    known = {f.key: f for f in fields}
    inputs: dict[str, object] = {}
    link: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, raw in typed.items():
        f = known.get(key)
        if key in hidden or _blank(raw):
            continue
        if isinstance(raw, str):
            raw = raw.strip()
        link[key] = raw
        if f is not None and f.type is FieldType.MONEY and isinstance(raw, str):
            try:  # the link keeps the amount (in 元) even when it is out of bounds: -5 万元
                link[key] = _decimal(raw, money=True, bare=ENTRY_SCALE[f.entry_unit or "元"])
                inputs[key] = read_entry(f, raw)
            except (InputError, _Bad):
                errors.update(_entry_error(f, raw))
            continue
        inputs[key] = raw
    return inputs, errors, link


def entry_inputs(target: str, typed: Typed) -> dict[str, object]:
    """API inputs from what a person typed into the form (money in its entry unit); fields that do
    not apply are left out. Raises InputError naming each field that cannot be read."""
    fields = fields_of(target)
    inputs, errors, _ = _inputs(fields, typed, hidden_keys(fields, typed))
    if errors:
        raise InputError(errors)
    return inputs


def _entry_error(f: Field, raw: str) -> dict[str, str]:
    try:
        read_entry(f, raw)
    except InputError as e:
        return e.errors
    return {}  # pragma: no cover - only called when reading failed


def error_summary(fields: Iterable[Field], errors: Mapping[str, str], hidden: Iterable[str]) -> str:
    """The form's own error line: which fields to correct, and problems of no shown field."""
    shown = [f for f in fields if f.key in errors and f.key not in hidden]
    named = {f.key for f in shown}
    loose = [f"{k}：{v}" for k, v in errors.items() if k not in named]
    parts = []
    if shown:
        parts.append(f"有 {len(shown)} 项需要更正：{'、'.join(f.label for f in shown)}。")
    if loose:
        parts.append(f"请检查：{'；'.join(loose)}。")
    return " ".join(parts)


@fixed_context
def form(target: str, typed: Typed, compute: bool = False) -> dict[str, object]:
    """One look at a form: hints, hidden fields and the permalink; with `compute`, the answer
    (errors in form order, or the view). `target`: a measure id or "match"."""
    fields = fields_of(target)
    if not isinstance(typed, Mapping):
        raise InputError({"typed": "表单内容应为键值对"})
    hidden = hidden_keys(fields, typed)
    inputs, errors, link = _inputs(fields, typed, hidden)
    hints = {
        f.key: money_hint(f, raw)
        for f in fields
        if f.type is FieldType.MONEY and isinstance(raw := typed.get(f.key), str)
    }
    answer: dict[str, object] = {
        "hints": hints,
        "hidden": hidden,
        "query": permalink_query(link),
    }
    if not compute:
        return answer
    result = None
    try:
        result = match(inputs) if target == "match" else evaluate(target, inputs)
    except InputError as e:
        errors = {**e.errors, **errors}
    if errors:
        order = [f.key for f in fields]
        ranked = sorted(errors, key=lambda k: order.index(k) if k in order else len(order))
        answer["errors"] = [[k, errors[k]] for k in ranked]
        answer["summary"] = error_summary(fields, errors, hidden)
        return answer
    assert result is not None
    values, _, _ = parse_fields(fields, inputs)
    record = _record(fields, inputs, values)
    view = match_view if target == "match" else result_view
    answer["view"] = view(result, record)
    return answer


@fixed_context
def open_link(target: str, query: str) -> dict[str, object]:
    """A permalink's query as the form's fields: each value written in its field's entry unit
    (money in 万元), options as checked values, and a notice naming what the form cannot take."""
    fields = fields_of(target)
    by_key = {f.key: f for f in fields}
    typed: dict[str, object] = {}
    unknown: list[str] = []
    invalid: dict[str, list[str]] = {}
    for key, value in query_pairs(str(query).lstrip("?")):
        f = by_key.get(key)
        if f is None:
            unknown.append(_short(key))
            continue
        typed[key], bad = _from_link(f, value)
        if bad:
            invalid.setdefault(key, []).extend(_short(b) for b in bad)
    notes = []
    if unknown:
        notes.append(f"链接中有无法识别的参数，已忽略：{'、'.join(unknown)}")
    if invalid:
        listed = "；".join(f"{by_key[k].label}：{'、'.join(v)}" for k, v in invalid.items())
        notes.append(f"链接中有不是可选项的值，已忽略：{listed}")
    return {"typed": typed, "notice": "。".join(notes)}


def _from_link(f: Field, value: str) -> tuple[object, list[str]]:
    """(what the field shows, the parts that are no option of it) for one value of a link."""
    if f.type is FieldType.MONEY:
        try:
            amount = _decimal(value, money=True)  # a link is in API units: 元
        except _Bad:
            return value, []  # shown as it came: Python names the error on 计算
        return canonical(amount / ENTRY_SCALE[f.entry_unit or "元"]), []
    if f.type in (FieldType.BOOL, FieldType.ENUM):
        try:
            parsed = _parse_one(f, value)
        except _Bad:
            return "", [value] if value.strip() else []
        return ("true" if parsed else "false") if f.type is FieldType.BOOL else str(parsed), []
    if f.type is FieldType.ENUM_LIST:
        chosen, bad = [], []
        for part in value.replace("，", ",").replace("、", ",").split(","):
            if not part.strip():
                continue
            try:
                chosen.append(str(_parse_one(f, [part.strip()])[0]))
            except _Bad:
                bad.append(part.strip())
        return chosen, bad
    return value, []


# --- the answer as the page shows it ------------------------------------------------------------


def _node(tag: str, *children: object, cls: str = "", **attrs: object) -> dict[str, object]:
    node: dict[str, object] = {"tag": tag}
    if cls:
        node["cls"] = cls
    shown = {k.replace("_", "-"): v for k, v in attrs.items() if v is not None and k != "css"}
    if shown:
        node["attrs"] = shown
    if "css" in attrs:
        node["css"] = attrs["css"]
    node["children"] = [c for c in children if c is not None and c != ""]
    return node


def _clause_link(clause: str) -> dict[str, object]:
    known = clauses().get(clause)
    label = known.label if known else clause
    anchor = known.anchor if known else ""
    return _node("a", label, cls="fs-clause", href=f"measures/#{anchor}")


def _contacts(contacts: list[dict]) -> list[object]:
    out: list[object] = []
    for i, c in enumerate(contacts):
        if i:
            out.append("；")
        out.append(f"{c['unit']} {c['name']} ")
        for j, phone in enumerate(c["phones"]):
            if j:
                out.append(" / ")
            out.append(_node("a", phone, href=f"tel:{phone}"))
    return out


def _shown_value(f: Field, value: object) -> str:
    if f.type is FieldType.MONEY:
        assert isinstance(value, Decimal)
        return yuan(value)
    if f.type is FieldType.BOOL:
        return "是" if value else "否"
    if f.type is FieldType.ENUM:
        return getattr(value, "label", str(value))
    if f.type is FieldType.ENUM_LIST:
        return "、".join(getattr(v, "label", str(v)) for v in value) or "无"  # type: ignore[union-attr]
    if f.type is FieldType.DATE:
        return value.isoformat()  # type: ignore[union-attr]
    shown = plain_number(value) if isinstance(value, Decimal | int) else str(value)
    return f"{shown} {f.unit}" if f.unit else shown


def _record(fields, inputs, values) -> list[tuple[str, str]]:
    """填写的信息: each field filled in, as the print record lists it."""
    return [(f.label, _shown_value(f, values[f.key])) for f in fields if f.key in inputs]


def record_nodes(record: list[tuple[str, str]], as_of: str) -> list[dict[str, object]]:
    """The print record: what was entered, and the date and document the answer rests on. The
    date is the calculation's `as_of`, so the record and the result agree."""
    pol = policy()
    day = cn_date(_iso(as_of))
    return [
        _node("h4", "填写的信息", cls="fs-print-only"),
        _node(
            "dl",
            *(_node("div", _node("dt", k), _node("dd", v)) for k, v in record),
            cls="fs-result__inputs",
        ),
        _node(
            "p",
            f"计算日期：{day}。依据：{pol['doc_number']}《{pol['title']}》。"
            "结果为按所填信息测算的上限，以主管部门审核为准。",
            cls="fs-result__stamp",
        ),
    ]


def _iso(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _bar(r: dict) -> dict[str, object] | None:
    cap = lookup(r["measure"]).cap(at(_iso(r["as_of"])))
    if cap <= 0:
        return None

    def share(amount: str) -> Decimal:
        return max(ZERO, min(Decimal(100), Decimal(amount) / cap * 100)).quantize(FEN)

    top = share(r["amount_max"])
    label = (
        f"上限 {wan_amount(r['amount_max'])}，占本项最高额度 {wan_amount(cap)}的 "
        f"{top.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"
    )
    net = r["amount_net"] != r["amount_max"]
    return _node(
        "div",
        _node(
            "div",
            _node("div", cls="fs-bar__fill", css={"width": f"{top}%"}),
            _node("div", cls="fs-bar__net", css={"width": f"{share(r['amount_net'])}%"})
            if net
            else None,
            cls="fs-bar__track",
        ),
        _node("div", _node("span", "0"), _node("span", f"本项最高 {wan_amount(cap)}"),
              cls="fs-bar__scale"),
        cls="fs-bar",
        role="img",
        aria_label=label,
    )


def steps_nodes(found: dict, with_title: bool = False) -> dict[str, object]:
    """怎样可以获得更多 (an evaluate result's `next_steps`) or 政策匹配's 增长路径 (`growth_path`):
    each step worded by `_growth`, with the link that opens its calculator with the change
    filled in; then the notes (what is not a step, e.g. rent above the counted price)."""
    items = [
        _node("li", _node("strong", s["title"], cls="fs-steps__title") if with_title else None,
              _node("span", s["text"], cls="fs-steps__text"), " ",
              _node("a", s["link_text"], cls="fs-steps__link", href=s["href"],
                    data_measure=s["measure"]),
              cls="fs-steps__item")
        for s in found["steps"]
    ]
    notes = found.get("notes") or []
    return _node(
        "section",
        _node("h4", found["heading"], cls="fs-steps__heading", id=found["id"]),
        _node("ol", *items, cls="fs-steps__list") if items else None,
        _node("p", found["empty"], cls="fs-steps__empty") if found["empty"] else None,
        _node("ul", *(_node("li", n) for n in notes), cls="fs-steps__notes") if notes else None,
        cls="fs-steps",
        aria_labelledby=found["id"],
    )


def chart_node(c: dict) -> dict[str, object]:
    """One curve as a figure: the SVG `_growth` laid out (an image the caption describes), the
    caption, and the breakpoints as a table (what a screen reader or a printout reads)."""
    svg = c["svg"]
    shapes = [
        {"tag": e["tag"], "cls": e["attrs"]["class"],
         "attrs": {k: v for k, v in e["attrs"].items() if k != "class"},
         "children": [e["text"]] if "text" in e else []}
        for e in svg["elements"]
    ]
    table = c["table"]
    return _node(
        "figure",
        {"tag": "svg", "cls": "fs-chart__svg", "children": shapes,
         "attrs": {"viewBox": svg["view_box"], "role": "img", "aria-label": svg["label"],
                   "aria-describedby": c["id"], "focusable": "false"}},
        _node("figcaption", c["caption"], cls="fs-chart__caption", id=c["id"]),
        _node("div", _node(
            "table",
            _node("thead", _node("tr", *(_node("th", h, scope="col") for h in table["head"]))),
            _node("tbody", *(_node("tr", _node("th", span, scope="row"), _node("td", value))
                             for span, value in table["rows"])),
        ), cls="fs-chart__table"),
        cls="fs-chart",
    )


def verdict_words(eligible: bool) -> str:
    return "✓ 符合条件" if eligible else "✗ 按所填信息，暂不符合条件"


def result_view(r: dict, record: list[tuple[str, str]]) -> dict[str, object]:
    """One measure's answer as the page shows it (and the sentence screen readers hear)."""
    yes = bool(r["eligible"])
    kind = "股权投资" if r["kind"] == "equity" else "支持"
    net = r["amount_net"] != r["amount_max"]
    max_words, net_words = wan_amount(r["amount_max"]), wan_amount(r["amount_net"])
    blocks: list[object] = [
        _node("h3", f"计算结果：{r['title']}", cls="fs-result__title"),
        _node("p", verdict_words(yes),
              cls=f"fs-result__verdict fs-result__verdict--{'yes' if yes else 'no'}"),
        _node("p", f"{'最高可获' if yes else '可获'}{kind} ", _node("strong", max_words),
              f" （{yuan(Decimal(r['amount_max']))}）", cls="fs-result__amount"),
        _node("p", "按“就高不重复”扣除其他政策已享受金额后：", _node("strong", net_words),
              f" （{yuan(Decimal(r['amount_net']))}）", cls="fs-result__net") if net else None,
        _bar(r),
        None if r["in_force"] else _node("p", r["notes"][-1],
                                         cls="fs-result__validity admonition warning"),
        _node("h4", "计算过程"),
        _node("ol", *(_node("li", _clause_link(x["clause"]), " ", x["text"]) for x in r["reasons"]),
              cls="fs-result__reasons"),
        _node("h4", "注意事项") if r["notes"] else None,
        _node("ul", *(_node("li", n) for n in r["notes"]), cls="fs-result__notes")
        if r["notes"] else None,
        steps_nodes(r["next_steps"]),
        _node("h4", "金额曲线", cls="fs-charts__heading") if r["curves"] else None,
        *(chart_node(c) for c in r["curves"]),
        _node("h4", "咨询联系人"),
        _node("ul", *(_node("li", *_contacts([c])) for c in r["contacts"]),
              cls="fs-result__contacts"),
        *record_nodes(record, r["as_of"]),
    ]
    if yes:
        extra = f"，扣除其他政策已享受金额后 {net_words}" if net else ""
        announce = f"计算完成：符合条件，最高可获{kind} {max_words}{extra}。计算过程见下方。"
    else:
        announce = "计算完成：按所填信息，暂不符合条件。原因见下方计算过程。"
    return {
        "eligible": yes,
        "amount_max": r["amount_max"],
        "validity": r["validity"],
        "announce": announce,
        "node": _node("section", *blocks, cls=f"fs-result fs-result--{'yes' if yes else 'no'}",
                      aria_label="计算结果"),
    }


_STATUS = {"eligible": "符合", "ineligible": "不符合", "needs_input": "待补充信息"}


def _match_row(item: dict) -> dict[str, object]:
    r = item["result"]
    measure = MEASURES[item["measure"]]
    labels = {f.key: f.label for f in measure.fields}
    if item["missing"]:
        words: list[object] = ["需填写："]
        for i, key in enumerate(item["missing"]):
            words += ["、" if i else None, _node("span", labels.get(key, key), cls="fs-nowrap")]
        explain = _node("span", *words)
    elif item["status"] == "ineligible":
        explain = _node("span", unmet_text(r))  # the conditions not met, not the last reason
    else:
        explain = _node("span", r["reasons"][-1]["text"] if r and r["reasons"] else "")
    amount = wan_amount(r["amount_max"]) if r and item["status"] == "eligible" else "—"
    return _node(
        "tr",
        _node("td", _node("a", item["title"], cls="fs-match__title",
                          href=f"calculators/{item['measure']}/"),
              " ", _clause_link(item["clause"]), cls="fs-match__measure"),
        _node("td", _node("span", _STATUS[item["status"]], cls="fs-nowrap"),
              cls=f"fs-status fs-status--{item['status']}"),
        _node("td", _node("span", amount, cls="fs-nowrap"), cls="fs-num"),
        _node("td", explain, cls="fs-match__explain"),
        data_measure=item["measure"],
        data_status=item["status"],
    )


def match_view(m: dict, record: list[tuple[str, str]]) -> dict[str, object]:
    """政策匹配's answer as the page shows it: one row per measure (a block on a phone)."""
    total = wan_amount(m["grant_total_max"])
    equity = Decimal(m["equity_max"])
    count = {s: sum(x["status"] == s for x in m["results"]) for s in _STATUS}
    also = [
        _node("li", _clause_link(a["clause"]), " ", _node("strong", a["title"]),
              f"：{a['summary']}" if a["summary"] else None,
              _node("span", "（", *_contacts(a["contacts"]), "）", cls="fs-also__contacts")
              if a["contacts"] else None)
        for a in m["also_relevant"]
    ]
    blocks = [
        _node("h3", "政策匹配结果", cls="fs-result__title"),
        _node("p", "资金支持合计最高 ", _node("strong", total),
              f" （{yuan(Decimal(m['grant_total_max']))}）",
              f"；另可申请股权投资最高 {wan_amount(equity)}" if equity > 0 else None,
              cls="fs-result__amount"),
        _node("p", "各项金额均为上限，相互独立计算；同一事项不重复享受，以主管部门审核为准。",
              cls="fs-result__net"),
        None if m["in_force"] else _node("p", m["notes"][-1],
                                         cls="fs-result__validity admonition warning"),
        _node("div", _node("table",
                           _node("thead", _node("tr", *(_node("th", t) for t in
                                                        ("措施", "结论", "上限", "说明")))),
                           _node("tbody", *(_match_row(x) for x in m["results"])),
                           cls="fs-match"),
              cls="fs-match__wrap"),
        steps_nodes(m["growth_path"], with_title=True),
        _node("h4", "其他可关注的支持"),
        _node("ul", *also, cls="fs-result__also"),
        *record_nodes(record, m["as_of"]),
    ]
    return {
        "eligible": count["eligible"] > 0,
        "amount_max": m["grant_total_max"],
        "validity": m["validity"],
        "announce": f"匹配完成：符合 {count['eligible']} 项措施，资金支持合计最高 {total}；"
        f"另有 {count['needs_input']} 项待补充信息。结果表格见下方。",
        "node": _node("section", *blocks, cls="fs-result", aria_label="匹配结果"),
    }
