"""输入校验 — input descriptions and the parsing of what people type.

Each input is described once, as a frozen `Field`; the same object drives validation here,
`describe()` for the browser forms, and the command line. Parsing is lenient about *form*
(numeric strings, full-width digits １２３, thousands separators 1,000 / 1，000, 万/亿 in money) and
strict about *meaning*: every bad field is named at once in `InputError.errors`, in Chinese.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .money import plain_number

__all__ = [
    "ENTRY_SCALE",
    "MISSING_MESSAGE",
    "MONEY_MESSAGE",
    "Choice",
    "Field",
    "FieldType",
    "InputError",
    "LabelledEnum",
    "parse_fields",
    "read_entry",
    "read_money_text",
]

MISSING_MESSAGE = "请填写此项"


class InputError(ValueError):
    """Bad input. `errors` maps each bad field to a Chinese message: {field: 中文说明}."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__("；".join(f"{k}：{v}" for k, v in self.errors.items()))


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a Chinese label: `X = "value", "中文"`."""

    label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj


class FieldType(enum.StrEnum):
    MONEY = "money"  # 金额，API 中以元计
    NUMBER = "number"
    INTEGER = "integer"
    BOOL = "bool"
    ENUM = "enum"
    ENUM_LIST = "enum_list"
    DATE = "date"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One input of a measure, described once for validation, forms and docs."""

    key: str
    label: str
    type: FieldType
    clause: str
    help: str
    unit: str = ""
    entry_unit: str | None = None  # hint for the browser: people think in 万元
    required: bool = True
    default: object = None
    min: Decimal | None = None
    max: Decimal | None = None
    min_exclusive: bool = False
    enum: type[LabelledEnum] | None = None
    show_if: tuple[tuple[str, tuple[object, ...]], ...] = ()
    # A presentation hint: forms keep the field in a 更多选项 disclosure (prior awards, the
    # common inputs), since most people leave it at its default.
    advanced: bool = False

    @property
    def choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(m.value, m.label) for m in self.enum) if self.enum else ()

    def describe(self) -> dict[str, object]:
        """The JSON-serialisable description the browser forms are generated from."""
        out: dict[str, object] = {
            "key": self.key,
            "label": self.label,
            "type": self.type.value,
            "unit": self.unit,
            "required": self.required,
            "default": _json_value(self.default),
            "clause": self.clause,
            "help": self.help,
        }
        if self.entry_unit:
            out["entry_unit"] = self.entry_unit
        if self.min is not None:
            out["min"] = _json_value(self.min)
            out["min_exclusive"] = self.min_exclusive
        if self.max is not None:
            out["max"] = _json_value(self.max)
        if self.enum is not None:
            out["choices"] = [{"value": c.value, "label": c.label} for c in self.choices]
        if self.advanced:
            out["advanced"] = True
        if self.show_if:
            out["show_if"] = {k: [_json_value(v) for v in vs] for k, vs in self.show_if}
        return out


def _json_value(v: object) -> object:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, tuple | frozenset):
        return [_json_value(x) for x in v]
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


# --- parsing ------------------------------------------------------------------------------------


class _Bad(Exception):
    """One field's problem, carrying its Chinese message."""


_MAX_TEXT = 80  # longer strings are not numbers anyone typed
# 5000. is a number (a trailing dot), as are .5 and 1,000; a lone dot or sign is not
_NUMBER_RE = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)")
_NAN_WORDS = {"nan", "inf", "infinity", "+inf", "-inf", "+infinity", "-infinity", "+nan", "-nan"}
_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否", "不是"}
_LIST_SPLIT = re.compile(r"[,;、\s]+")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _normalise(text: str) -> str:
    """NFKC folds full-width forms (１２３，４５６．７ → 123,456.7); spaces are dropped."""
    text = unicodedata.normalize("NFKC", text).replace("。", ".").replace("−", "-")
    return re.sub(r"\s+", "", text)


def _shown(raw: object) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return text if len(text) <= 30 else text[:30] + "…"


_LARGEST = Decimal(10) ** 30
_SMALLEST = Decimal(10) ** -20


def _sane(value: Decimal) -> Decimal:
    """Keep figures where 34-digit arithmetic stays exact and in range: a ratio of 1e-77 元 of
    revenue once overflowed it (InvalidOperation escaped). No real figure is this large or small."""
    if abs(value) > _LARGEST:
        raise _Bad("数值过大")
    if value and abs(value) < _SMALLEST:
        raise _Bad("数值过小（小数位过多）")
    return value


def _decimal(raw: object, *, money: bool, bare: Decimal = Decimal(1)) -> Decimal:
    """A number from JSON or from text, within `_sane` bounds. `bare`: what a money text without
    元/万/亿 counts in (1 in the API, which is in 元; 10,000 for a 万元 form field)."""
    return _sane(_number(raw, money=money, bare=bare))


def _number(raw: object, *, money: bool, bare: Decimal) -> Decimal:
    if isinstance(raw, bool):
        raise _Bad("请输入数字（不能是“是/否”）")
    if isinstance(raw, int):
        if abs(raw) > 10**30:  # also keeps str(int) away from its digit limit
            raise _Bad("数值过大")
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _Bad("不是有效数字（NaN 或无穷大）")
        return Decimal(str(raw))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _Bad("不是有效数字（NaN 或无穷大）")
        return raw
    if not isinstance(raw, str):
        raise _Bad(MONEY_MESSAGE if money else "请输入数字")
    text = _normalise(raw)
    if text.lower() in _NAN_WORDS:
        raise _Bad("不是有效数字（NaN 或无穷大）")
    if len(text) > _MAX_TEXT:
        raise _Bad(MONEY_MESSAGE if money else "请输入数字")
    if money:
        return read_money_text(text, bare)
    if not _NUMBER_RE.fullmatch(text):
        raise _Bad("请输入数字")
    return Decimal(text.replace(",", ""))


# --- 金额的写法: money as people write it ------------------------------------------------------
# One exact reader of our own, not the cn2an library: `import cn2an` (0.5.24) loads ~34 kB of
# source (cn2an, an2cn, transform, conf) and its dependency `proces` into the browser's archive,
# and reads colloquial forms (一千二 = 1200) that an amount field must refuse as ambiguous. This
# one is ~100 lines of the standard library.

MONEY_MESSAGE = "请输入金额，如 1200、1200万 或 0.5亿"
_YUAN_SIGN = "¥"  # NFKC folds the full-width ￥ into it: ￥5000 is 5000 元
_FOLD = str.maketrans("萬億拾佰仟〇", "万亿十百千零")  # traditional and 大写 forms of the units
_DIGITS = dict(zip("零一二三四五六七八九", range(10), strict=True))
_DIGITS.update(dict(zip("壹贰叁肆伍陆柒捌玖", range(1, 10), strict=True)), 两=2)  # 大写 digits
_SMALL = {"十": 10, "百": 100, "千": 1000}  # 十百千: units inside a 万 section
_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_TOKEN = re.compile(r"\d[\d,]*|.")
_SCALED = re.compile(r"(.+?)(万亿|万|亿)")  # 3000万, 0.5亿, 1万亿: a number with one unit word


def read_money_text(text: str, bare: Decimal) -> Decimal:
    """An amount in yuan from normalised typed text (see `_normalise`). `bare`: what a number
    without 元/万/亿 counts in (1 in the API; 10,000 in a 万元 form field).

    Reads `1200`, `5000.`, `1,000`, `3000万`, `0.5亿`, `3千万`, `1亿2000万`, `2万5千`, `两千万`,
    `一千二百万`, `100万元整`, `￥5000` (元) and `￥5000万`. Refuses, with MONEY_MESSAGE, what
    could be read two ways (`2万5`, `一千二`: spoken Chinese means 25,000 and 1,200) and what is no
    amount (`1,0`, `1.2.3`, hex, markup)."""
    yuan = text.startswith(_YUAN_SIGN)
    text = text.removeprefix(_YUAN_SIGN)
    if text.endswith("元整"):
        text = text[:-1]
    if text.endswith("元"):
        text, yuan = text[:-1], True
    text = text.translate(_FOLD)
    if _NUMBER_RE.fullmatch(text):
        return Decimal(text.replace(",", "")) * (Decimal(1) if yuan else bare)
    scaled = _SCALED.fullmatch(text)
    if scaled and _NUMBER_RE.fullmatch(scaled[1]):
        return Decimal(scaled[1].replace(",", "")) * _unit_scale(scaled[2])
    try:
        value = _numeral(text)
    except (_Bad, KeyError, ValueError):
        raise _Bad(MONEY_MESSAGE) from None
    has_unit = "万" in text or "亿" in text
    return value * (Decimal(1) if yuan or has_unit else bare)


def _unit_scale(units: str) -> Decimal:
    return math.prod((_UNIT[u] for u in units), start=Decimal(1))


_UNIT = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _numeral(text: str, units: str = "亿万") -> Decimal:
    """Integers written with unit words, Chinese order: [… 亿][… 万][千百十 section]. ``units``:
    the unit words still allowed, largest first."""
    if not units:
        return _section(text)
    unit, smaller = units[0], units[1:]
    high, sep, low = text.partition(unit)
    if not sep:
        return _numeral(text, smaller)
    if not high or unit in low:
        raise _Bad(MONEY_MESSAGE)
    return _numeral(high, smaller) * _UNIT[unit] + _below(low, unit, smaller)


def _below(text: str, unit: str, smaller: str) -> Decimal:
    """What follows 亿 or 万: less than one of it, written with the ``smaller`` units. A lone
    digit after the unit (2万5, 1亿2) is refused: spoken Chinese means 2.5 万 by it, an exact
    reading 20,005."""
    if not text:
        return Decimal(0)
    zero = text.startswith("零")
    text = text.removeprefix("零")
    value = _numeral(text, smaller)
    if value >= _UNIT[unit] or (not zero and _lone_digit(text)):
        raise _Bad(MONEY_MESSAGE)
    return value


def _lone_digit(text: str) -> bool:
    return len(text) == 1 and (text in _DIGITS or text.isdigit())


def _section(text: str) -> Decimal:
    """A number below 万 with 千/百/十 (3千, 一千二百, 十五, 3千500), or a plain one (1200, 五)."""
    value, last, pending, zero = 0, 10_000, None, False
    for tok in _TOKEN.findall(text):
        if tok in _SMALL:
            unit = _SMALL[tok]
            if pending is None and not (unit == 10 and value == 0 and not zero):
                raise _Bad(MONEY_MESSAGE)  # 十五 = 15, but 百 and 千 need a digit before them
            coef = 1 if pending is None else pending
            if not 1 <= coef <= 9 or unit >= last:
                raise _Bad(MONEY_MESSAGE)
            value, last, pending, zero = value + coef * unit, unit, None, False
        elif tok == "零" and pending is None and value:
            zero = True
        elif pending is None and (tok in _DIGITS or _ARABIC.fullmatch(tok)):
            pending = _DIGITS[tok] if tok in _DIGITS else int(tok.replace(",", ""))
        else:
            raise _Bad(MONEY_MESSAGE)
    if pending is None:
        if not value:
            raise _Bad(MONEY_MESSAGE)
        return Decimal(value)
    if value and (pending >= last or (last > 10 and not zero and pending < 10)):
        raise _Bad(MONEY_MESSAGE)  # 一千二 is 1,200 spoken: write 一千二百 or 一千零二
    return Decimal(value + pending)


ENTRY_SCALE = {"元": Decimal(1), "万元": _UNIT["万"], "亿元": _UNIT["亿"]}


def read_entry(f: Field, text: str) -> object:
    """What a person typed into `f`'s form field, as the value the API takes.

    The one reading of typed text, for the browser form, the CLI and the tests: a bare number in a
    money field counts in the field's entry unit (万元), `5000元`, `0.3亿`, `3000万` mean what
    they say; every other field reads as the API reads it. Raises InputError({key: 中文}).
    """
    try:
        if f.type is FieldType.MONEY:
            bare = ENTRY_SCALE[f.entry_unit or "元"]
            return _bounded(f, _decimal(text, money=True, bare=bare))
        if f.type is FieldType.BOOL:
            return _yes_no(text)
        return _parse_one(f, text)
    except _Bad as bad:
        raise InputError({f.key: str(bad)}) from None


def _yes_no(text: object) -> bool:
    """A yes/no typed as a word (是/否, true/false, yes/no, 1/0): the form's and the command
    line's reading; the JSON API takes only true and false."""
    if isinstance(text, bool):
        return text
    if isinstance(text, str):
        word = _normalise(text).lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _Bad("请选择“是”或“否”")


def _bounded(f: Field, value: Decimal) -> Decimal:
    if value == 0:
        value = Decimal(0) * value.copy_abs()  # fold -0 into 0, keeping the exponent
    unit = f" {f.unit}" if f.unit else ""
    if f.min is not None:
        if f.min == 0 and value < 0:
            raise _Bad("不能为负数")
        if f.min_exclusive and value <= f.min:
            raise _Bad(f"须大于 {plain_number(f.min)}")
        if value < f.min:
            raise _Bad(f"不能小于 {plain_number(f.min)}")
    if f.max is not None and value > f.max:
        raise _Bad(f"不能超过 {plain_number(f.max)}{unit}")
    return value


def _parse_one(f: Field, raw: object) -> object:
    match f.type:
        case FieldType.MONEY | FieldType.NUMBER:
            return _bounded(f, _decimal(raw, money=f.type is FieldType.MONEY))
        case FieldType.INTEGER:
            if isinstance(raw, float) and math.isfinite(raw) and not raw.is_integer():
                raise _Bad("请输入整数")
            value = _decimal(raw, money=False)
            if value != value.to_integral_value():
                raise _Bad("请输入整数")
            return int(_bounded(f, value))
        case FieldType.BOOL:  # the API takes JSON booleans only (spec); typed words: read_entry
            if isinstance(raw, bool):
                return raw
            raise _Bad("应为 true 或 false（JSON 布尔值，不带引号）")
        case FieldType.ENUM:
            return _choice(f, raw)
        case FieldType.ENUM_LIST:
            return _choices(f, raw)
        case FieldType.DATE:
            return _date(raw)
    raise AssertionError(f.type)  # pragma: no cover


def _choice(f: Field, raw: object) -> LabelledEnum:
    assert f.enum is not None
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        for member in f.enum:
            if text in (member.value, unicodedata.normalize("NFKC", member.label)):
                return member
    raise _Bad(f"不是可选项：{_shown(raw)}")


def _choices(f: Field, raw: object) -> tuple[LabelledEnum, ...]:
    assert f.enum is not None
    if isinstance(raw, str):
        items: list[object] = [
            x for x in _LIST_SPLIT.split(unicodedata.normalize("NFKC", raw)) if x
        ]
    elif isinstance(raw, list | tuple | set | frozenset):
        items = list(raw)
    else:
        raise _Bad("应为可选项的列表")
    chosen: set[LabelledEnum] = set()
    bad: list[str] = []
    for item in items:
        try:
            chosen.add(_choice(f, item))
        except _Bad:
            bad.append(_shown(item))
    if bad:
        raise _Bad("不是可选项：" + "、".join(bad))
    return tuple(m for m in f.enum if m in chosen)  # duplicates removed, in the listed order


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        text = _normalise(raw)
        if _DATE_RE.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise _Bad(f"不是有效日期：{_shown(raw)}") from None
    raise _Bad("日期格式应为 YYYY-MM-DD")


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def unknown_key_message(key: str, known: Iterable[str] = ()) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    hint = f"；是否指 {close[0]}？" if close else ""
    return f"未知字段：{key}（请检查拼写{hint}）"


def parse_fields(
    fields: Iterable[Field],
    inputs: object,
    *,
    rejected: Mapping[str, str] | None = None,
) -> tuple[dict[str, object], set[str], dict[str, str]]:
    """Parse `inputs` against `fields`.

    Returns (values, present, errors): values for every field (defaults filled in for absent
    optional fields, required absent fields left out), the keys actually given, and one Chinese
    message per bad field. Missing required fields are not errors here: `evaluate` reports them,
    `match` turns them into "needs_input". `rejected` maps keys refused with a specific message.
    """
    if not isinstance(inputs, Mapping):
        return {}, set(), {"inputs": "输入应为键值对（字典）"}
    by_key = {f.key: f for f in fields}
    values: dict[str, object] = {}
    present: set[str] = set()
    errors: dict[str, str] = {}
    for key, raw in inputs.items():
        if not isinstance(key, str) or key not in by_key:
            name = _shown(key)
            errors[name] = (rejected or {}).get(name) or unknown_key_message(name, by_key)
            continue
        if _is_blank(raw):
            continue
        try:
            values[key] = _parse_one(by_key[key], raw)
            present.add(key)
        except _Bad as bad:
            errors[key] = str(bad)
    for f in by_key.values():
        if f.key not in present and not f.required and f.key not in errors:
            values[f.key] = f.default
    return values, present, errors
