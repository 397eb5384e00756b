"""The shape every measure module fills in, and the inputs several measures share.

A measure module defines its typed `Inputs` (a frozen dataclass whose fields are exactly its
`FIELDS` keys), `compute(inputs, params, trace) -> Verdict` (eligibility first, each failed
condition recorded with `trace.unmet`; then the amount in named stages, each leaving a reason in
`trace`), `cap(params)` (its absolute ceiling) and
`summary(params)` (one Chinese sentence), and ends with `MEASURE = Measure(...)`: its entry in the
registry (`calculators.MEASURES`, which finds every module defining one).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .contacts import Contact
from .inputs import Field, FieldType, LabelledEnum
from .money import ZERO
from .params import ParamView

MONEY_MAX = Decimal(10**14)  # 100 万亿元: far above any real figure, keeps arithmetic exact


class Kind(enum.StrEnum):
    GRANT = "grant"  # 资金支持、奖励、补贴
    EQUITY = "equity"  # 股权投资


class Qualification(LabelledEnum):
    """企业资质 — shared by 第二条 and 第三条第1项."""

    HIGH_TECH = "high_tech", "国家高新技术企业"
    SPECIALIZED_SME = "specialized_sme", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "国家专精特新“小巨人”企业"
    HIDDEN_CHAMPION = "hidden_champion", "隐形冠军企业"
    UNICORN = "unicorn", "独角兽企业"
    CHAIN_LEADER = "chain_leader", "产业链链主企业"
    TALENT_FOUNDED = "talent_founded", "高层次人才创办企业"
    FUND_INVESTED = "fund_invested", "获得过重点产业基金投资的高科技企业"


def money_field(key: str, label: str, clause: str, help: str, **kw: Any) -> Field:
    """A yuan amount ≥ 0 (people enter it in 万元 in the browser)."""
    kw.setdefault("min", ZERO)
    kw.setdefault("max", MONEY_MAX)
    kw.setdefault("entry_unit", "万元")
    return Field(key, label, FieldType.MONEY, clause, help, unit="元", **kw)


# --- inputs shared on purpose: one description each ----------------------------------------------

QUALIFICATIONS = Field(
    "qualifications",
    "企业已获得的资质",
    FieldType.ENUM_LIST,
    "art2",
    "第二条、第三条第1项：企业目前具有的资质或认定，可多选；没有则不选。",
    required=False,
    default=(),
    enum=Qualification,
)

REVENUE_LAST_YEAR = money_field(
    "revenue_last_year",
    "上年度营业收入",
    "art1.2",
    "第一条第2项、第三条第1项：企业上一年度的全年收入。",
    min_exclusive=True,
)

# --- inputs every measure accepts -----------------------------------------------------------

OTHER_POLICY_AMOUNT = money_field(
    "other_policy_amount",
    "同一事项已享受的本区其他政策金额",
    "general",
    "通用规定：同一企业、同一事项同时符合本区其他扶持政策的，按“就高不重复”原则支持；"
    "填写已享受的金额，结果按差额计算。没有则留空。",
    required=False,
    default=ZERO,
    advanced=True,
)

AS_OF = Field(
    "as_of",
    "计算日期",
    FieldType.DATE,
    "general",
    "通用规定：按此日期判断措施是否在试行期内、适用哪一版参数；默认今天。",
    required=False,
    default=None,
    advanced=True,
)

COMMON_FIELDS = (OTHER_POLICY_AMOUNT, AS_OF)


# --- what compute() works with ------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    clause: str
    text: str
    # 未满足的条件: this reason states a condition the case fails (政策匹配 and the CLI explain a
    # 不符合 row with these, not with whichever reason came last).
    unmet: bool = False

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"clause": self.clause, "text": self.text}
        if self.unmet:  # only when flagged, so every other answer keeps its shape
            d["unmet"] = True
        return d


def unmet_text(result: dict) -> str:
    """Why an answer is 不符合, in one line: every unmet condition (they are all checked and
    stated at once), joined — each reason is a whole sentence ending in “。”."""
    return "".join(x["text"] for x in result["reasons"] if x.get("unmet"))


@dataclass
class Trace:
    """Reasons and notes collected while one measure is computed."""

    reasons: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reason(self, clause: str, text: str) -> None:
        self.reasons.append(Reason(clause, text))

    def unmet(self, clause: str, text: str) -> None:
        """A reason stating a condition that is not met (未满足的条件)."""
        self.reasons.append(Reason(clause, text, unmet=True))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    amount: Decimal = ZERO  # after base → cap → 晋档补差; before rounding and 就高不重复

    @classmethod
    def no(cls) -> Verdict:
        return cls(False, ZERO)


@dataclass(frozen=True)
class Measure:
    id: str
    clause: str
    title: str
    kind: Kind
    fields: tuple[Field, ...]
    inputs: type  # the module's frozen `Inputs` dataclass
    compute: Callable[[Any, ParamView, Trace], Verdict]
    cap: Callable[[ParamView], Decimal]
    summary: Callable[[ParamView], str]  # one sentence: who, how much (一图读懂, 政策匹配)
    # What its page says (the build makes the page from these): the nav entry, the sentence under
    # the page title, and the button under its clause on the measures page.
    short_title: str
    intro: Callable[[ParamView], str]
    action: str  # 测算本项奖励
    contacts: Callable[[Any, dt.date], tuple[Contact, ...]] | None = None  # (inputs, as_of)
    # 下一步与金额曲线 (calculators/_growth.py): steps(x, p) → (offers, notes) of changes within
    # reach; curves(x, p) → the CurveSpecs of the ceiling against a continuous input.
    steps: Callable[[Any, ParamView], tuple[Any, Any]] | None = None
    curves: Callable[[Any, ParamView], Any] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)
