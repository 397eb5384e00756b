"""结果 — an answer as the page shows it: the result of one measure, 政策匹配's table, the next
steps and growth path, the contacts and the print record, as view nodes.

A view is plain JSON: a node is `{"tag", "cls"?, "attrs"?, "css"?, "children"}`, a child a node
or a text. `attrs` holds only names the page allows (view.mjs); an `href` is relative to the
site root (or a tel: link). New sections are more nodes: the next steps and the growth path are
lists and links, a curve is a figure whose SVG `chart` lays out in viewBox units, so the one
builder in view.mjs makes them all.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from ..engine.dates import cn_date
from ..engine.inputs import Field, FieldType
from ..engine.measure import unmet_text
from ..engine.money import FEN, ZERO, plain_number, yuan
from ..engine.params import at, clauses
from ..engine.registry import MEASURES, lookup
from .chart import chart_node
from .nodes import node as _node
from .words import verdict_words, wan_amount


def _clause_link(clause: str, doc: dict) -> dict[str, object]:
    """A clause, linked to its text in the document the answer was computed under (its stable
    address, versions/<id>/measures/: a permalink's links keep their meaning after a revision)."""
    known = clauses().get(clause)
    label = known.label if known else clause
    anchor = known.anchor if known else ""
    return _node("a", label, cls="fs-clause", href=f"versions/{doc['id']}/measures/#{anchor}")


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


def record(fields, inputs, values) -> list[tuple[str, str]]:
    """填写的信息: each field filled in, as the print record lists it."""
    return [(f.label, _shown_value(f, values[f.key])) for f in fields if f.key in inputs]


def record_nodes(record: list[tuple[str, str]], r: dict) -> list[dict[str, object]]:
    """The print record: what was entered, and the date and document the answer rests on (依据:
    the version in force on the calculation's `as_of`, linked to its text), so the record and
    the result agree."""
    doc = r["document"]
    day = cn_date(_iso(r["as_of"]))
    return [
        _node("h3", "填写的信息", cls="fs-print-only"),
        _node(
            "dl",
            *(_node("div", _node("dt", k), _node("dd", v)) for k, v in record),
            cls="fs-result__inputs",
        ),
        _node(
            "p",
            f"计算日期：{day}。依据：",
            _node("a", f"{doc['doc_number']}《{doc['title']}》", href=doc["href"]),
            "。结果为按所填信息测算的上限，以主管部门审核为准。",
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
        _node("h3", found["heading"], cls="fs-steps__heading", id=found["id"]),
        _node("ol", *items, cls="fs-steps__list") if items else None,
        _node("p", found["empty"], cls="fs-steps__empty") if found["empty"] else None,
        _node("ul", *(_node("li", n) for n in notes), cls="fs-steps__notes") if notes else None,
        cls="fs-steps",
        aria_labelledby=found["id"],
    )


def result_view(r: dict, record: list[tuple[str, str]]) -> dict[str, object]:
    """One measure's answer as the page shows it (and the sentence screen readers hear)."""
    yes = bool(r["eligible"])
    kind = "股权投资" if r["kind"] == "equity" else "支持"
    net = r["amount_net"] != r["amount_max"]
    max_words, net_words = wan_amount(r["amount_max"]), wan_amount(r["amount_net"])
    blocks: list[object] = [
        _node("h2", f"计算结果：{r['title']}", cls="fs-result__title"),
        _node("p", verdict_words(yes),
              cls=f"fs-result__verdict fs-result__verdict--{'yes' if yes else 'no'}"),
        _node("p", f"{'最高可获' if yes else '可获'}{kind} ", _node("strong", max_words),
              f" （{yuan(Decimal(r['amount_max']))}）", cls="fs-result__amount"),
        _node("p", "按“就高不重复”扣除其他政策已享受金额后：", _node("strong", net_words),
              f" （{yuan(Decimal(r['amount_net']))}）", cls="fs-result__net") if net else None,
        _bar(r),
        None if r["in_force"] else _node("p", r["notes"][-1],
                                         cls="fs-result__validity admonition warning"),
        _node("h3", "计算过程"),
        _node("ol", *(_node("li", _clause_link(x["clause"], r["document"]), " ", x["text"])
                for x in r["reasons"]),
              cls="fs-result__reasons"),
        _node("h3", "注意事项") if r["notes"] else None,
        _node("ul", *(_node("li", n) for n in r["notes"]), cls="fs-result__notes")
        if r["notes"] else None,
        steps_nodes(r["next_steps"]),
        _node("h3", "金额曲线", cls="fs-charts__heading") if r["curves"] else None,
        *(chart_node(c) for c in r["curves"]),
        _node("h3", "咨询联系人"),
        _node("ul", *(_node("li", *_contacts([c])) for c in r["contacts"]),
              cls="fs-result__contacts"),
        *record_nodes(record, r),
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


def _match_row(item: dict, doc: dict) -> dict[str, object]:
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
              " ", _clause_link(item["clause"], doc), cls="fs-match__measure"),
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
        _node("li", _clause_link(a["clause"], m["document"]), " ", _node("strong", a["title"]),
              f"：{a['summary']}" if a["summary"] else None,
              _node("span", "（", *_contacts(a["contacts"]), "）", cls="fs-also__contacts")
              if a["contacts"] else None)
        for a in m["also_relevant"]
    ]
    blocks = [
        _node("h2", "政策匹配结果", cls="fs-result__title"),
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
                           _node("tbody", *(_match_row(x, m["document"]) for x in m["results"])),
                           cls="fs-match"),
              cls="fs-match__wrap"),
        steps_nodes(m["growth_path"], with_title=True),
        _node("h3", "其他可关注的支持"),
        _node("ul", *also, cls="fs-result__also"),
        *record_nodes(record, m),
    ]
    return {
        "eligible": count["eligible"] > 0,
        "amount_max": m["grant_total_max"],
        "validity": m["validity"],
        "announce": f"匹配完成：符合 {count['eligible']} 项措施，资金支持合计最高 {total}；"
        f"另有 {count['needs_input']} 项待补充信息。结果表格见下方。",
        "node": _node("section", *blocks, cls="fs-result", aria_label="匹配结果"),
    }
