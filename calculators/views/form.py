"""表单 — the calculator forms' side: typed text in, everything the page shows out.

The browser's form sends what the reader typed, field by field, untouched (and the options they
checked); these functions read it with each field's entry unit, validate, compute, and hand the
answer to the views (`result`): field errors, live hints, the result as a tree of elements the
page builds without reading it, the permalink and the print record. The page keeps no rule of
its own (docs/assets/calc/*.mjs only move text); the build and the CLI call the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

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
from ..engine.measure import COMMON_FIELDS
from ..engine.money import fixed_context
from ..engine.registry import lookup
from .result import match_view, record, result_view
from .words import amount_in_words, wan_amount

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

_SHORT = 40  # characters of a value from a link quoted in a notice

Typed = Mapping[str, object]  # key → text typed, or the list of values checked


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
        if f is not None and f.type is FieldType.BOOL and isinstance(raw, str):
            try:  # the form reads its words (是/否, true/false); the API takes a JSON boolean
                inputs[key] = read_entry(f, raw)
            except InputError as e:
                errors.update(e.errors)
            continue
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


def text_inputs(target: str, pairs: Mapping[str, str]) -> dict[str, object]:
    """API inputs from text in API units (the command line's `key=value`): yes/no fields read
    their words (是, true, 否 …) into JSON booleans; everything else goes to the API as written,
    which reads money with its unit (6000万) and lists comma-separated."""
    by_key = {f.key: f for f in fields_of(target)}
    out: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, text in pairs.items():
        f = by_key.get(key)
        if f is not None and f.type is FieldType.BOOL and not _blank(text):
            try:
                out[key] = read_entry(f, text)
            except InputError as e:
                errors.update(e.errors)
        else:
            out[key] = text
    if errors:
        raise InputError(errors)
    return out


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
    view = match_view if target == "match" else result_view
    answer["view"] = view(result, record(fields, inputs, values))
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
            parsed = read_entry(f, value)
        except InputError:
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


