"""第三条第1项 支持关键核心技术研发 — funding of up to 30% of the R&D increment.

上年度研发投入强度达到 4%（含）且投入金额较前一年度增长 1000 万元（含）以上的专精特新企业或产业链
链主企业，按审定的研发投入增量总额给予最高 30% 的资金支持，每年最高不超过 2000 万元。
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..engine.growth import Change, CurveSpec, Mark, Offer, fen_at_least, gap_text
from ..engine.inputs import Field, FieldType, LabelledEnum
from ..engine.measure import (
    MONEY_MAX,
    QUALIFICATIONS,
    REVENUE_LAST_YEAR,
    Kind,
    Measure,
    Qualification,
    Trace,
    Verdict,
    money_field,
)
from ..engine.money import pct, pct_floor, wan, yuan
from ..engine.params import ParamView

CLAUSE = "art3.1"

# “专精特新企业或产业链链主企业”：专精特新中小企业与“小巨人”企业都是专精特新企业
QUALIFYING = (
    Qualification.SPECIALIZED_SME,
    Qualification.LITTLE_GIANT,
    Qualification.CHAIN_LEADER,
)


class IndustryFocus(LabelledEnum):
    GREEN_ENERGY = "green_energy", "绿色能源"
    NEW_MATERIALS = "new_materials", "新材料"
    SMART_MANUFACTURING = "smart_manufacturing", "智能制造"
    SMART_MEDICAL = "smart_medical", "智慧医工"
    SAFETY_EMERGENCY = "safety_emergency", "安全应急"
    OTHER = "other", "其他方向"


@dataclass(frozen=True)
class Inputs:
    qualifications: tuple[Qualification, ...]
    revenue_last_year: Decimal
    rd_last_year: Decimal
    rd_year_before: Decimal
    industry_focus: IndustryFocus


FIELDS = (
    QUALIFICATIONS,
    REVENUE_LAST_YEAR,
    money_field(
        "rd_last_year",
        "上年度研发投入",
        CLAUSE,
        "第三条第1项：上年度研发投入金额，用于计算研发投入强度和增长额。",
    ),
    money_field(
        "rd_year_before",
        "前一年度研发投入",
        CLAUSE,
        "第三条第1项：上年度之前一年的研发投入金额。",
    ),
    Field(
        "industry_focus",
        "所属重点产业方向",
        FieldType.ENUM,
        CLAUSE,
        "第三条第1项：本项聚焦绿色能源、新材料、智能制造、智慧医工和安全应急等方向。",
        required=False,
        default=IndustryFocus.OTHER,
        enum=IndustryFocus,
    ),
)


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    min_intensity = p["rd_support.min_intensity"]
    min_increment = p["rd_support.min_increment"]
    increment = x.rd_last_year - x.rd_year_before
    # 资格（三项都看，一次说清）
    ok = True
    held = [q.label for q in QUALIFYING if q in x.qualifications]
    if held:
        t.reason(CLAUSE, f"具有{'、'.join(held)}资质，属于专精特新企业或产业链链主企业。")
    else:
        t.unmet(
            CLAUSE,
            "本项支持专精特新企业（专精特新中小企业、“小巨人”企业）或产业链链主企业，"
            "未选择相应资质，不符合。",
        )
        ok = False
    intensity = x.rd_last_year / x.revenue_last_year
    shown = (
        f"研发投入强度 = {yuan(x.rd_last_year)} ÷ {yuan(x.revenue_last_year)} "
        f"≈ {pct_floor(intensity)}"
    )
    if x.rd_last_year >= min_intensity * x.revenue_last_year:  # “达到”：含本数
        t.reason(CLAUSE, f"{shown}，达到 {pct(min_intensity)}。")
    else:
        t.unmet(CLAUSE, f"{shown}，未达到 {pct(min_intensity)}。")
        ok = False
    shown = (
        f"研发投入增长额 = {yuan(x.rd_last_year)} − {yuan(x.rd_year_before)} = {yuan(increment)}"
    )
    if increment >= min_increment:  # “超过 1000 万元（含）以上”：含本数
        t.reason(CLAUSE, f"{shown}，达到 {wan(min_increment)}（含）。")
    else:
        t.unmet(CLAUSE, f"{shown}，未达到 {wan(min_increment)}（含）。")
        ok = False
    if x.industry_focus is IndustryFocus.OTHER:
        t.note(
            "本项聚焦绿色能源、新材料、智能制造、智慧医工和安全应急等重点产业方向；"
            "其他方向不当然排除，请向服务工作组咨询。"
        )
    if not ok:
        return Verdict.no()
    # 基数
    rate = p["rd_support.rate"]
    annual_cap = p["rd_support.annual_cap"]
    base = rate * increment
    t.reason(CLAUSE, f"研发投入增量 {yuan(increment)} × {pct(rate)} = {yuan(base)}。")
    # 年度上限
    amount = min(base, annual_cap)
    if base > annual_cap:
        t.reason(CLAUSE, f"超过每年最高 {wan(annual_cap)}，按 {yuan(annual_cap)}计。")
    else:
        t.reason(CLAUSE, f"未超过每年最高 {wan(annual_cap)}。")
    t.note("按“审定的”研发投入增量总额、“依据实施效果”给予支持：所填金额以审定数为准。")
    return Verdict(True, amount)


def steps(x: Inputs, p: ParamView) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """下一步：取得专精特新认定，和/或把上年度研发投入提高到两项门槛都达到（含本数）。"""
    min_intensity = p["rd_support.min_intensity"]
    min_increment = p["rd_support.min_increment"]
    changes = []
    value = x.qualifications
    if not any(q in x.qualifications for q in QUALIFYING):
        value = tuple(
            q for q in Qualification if q in {*x.qualifications, Qualification.SPECIALIZED_SME}
        )
        changes.append(
            Change(
                "qualifications",
                value,
                condition="本项支持专精特新企业（专精特新中小企业、“小巨人”企业）或产业链链主企业",
                now=(
                    "现有资质：" + "、".join(q.label for q in x.qualifications)
                    if x.qualifications
                    else "现未选择资质"
                ),
                needed="取得专精特新中小企业认定或成为“小巨人”、产业链链主企业",
            )
        )
    by_intensity = fen_at_least(min_intensity * x.revenue_last_year)
    by_increment = x.rd_year_before + min_increment
    rd = max(x.rd_last_year, by_intensity, by_increment)
    if rd > MONEY_MAX:
        return (), ()
    if rd > x.rd_last_year:
        why = []
        if x.rd_last_year < by_intensity:
            why.append(f"研发投入强度达到 {pct(min_intensity)}（含本数）")
        if x.rd_last_year < by_increment:
            why.append(f"较前一年度增长 {wan(min_increment)}（含本数）")
        changes.append(
            Change(
                "rd_last_year",
                rd,
                condition="上年度研发投入强度达到 "
                f"{pct(min_intensity)}、投入金额较前一年度增长 {wan(min_increment)}（含）以上",
                now=f"现为 {wan(x.rd_last_year)}",
                needed=f"上年度研发投入达到 {wan(rd)}",
                gap=gap_text(x.rd_last_year, rd, exclusive=False),
                gap_amount=rd - x.rd_last_year,
            )
        )
        result = f"{'、'.join(why)}，增量为 {wan(rd - x.rd_year_before)}"
    else:
        result = "符合条件"
    if not changes:
        return (), ()
    changed = replace(x, qualifications=value, rd_last_year=rd)
    return (Offer(tuple(changes), changed, result),), ()


def curves(x: Inputs, p: ParamView) -> tuple[CurveSpec, ...]:
    """上年度研发投入：强度门槛、增长门槛（均含本数，跳升），到每年上限处封顶。"""
    min_intensity = p["rd_support.min_intensity"]
    min_increment = p["rd_support.min_increment"]
    annual_cap = p["rd_support.annual_cap"]
    return (
        CurveSpec(
            "rd_last_year",
            (
                Mark(
                    min_intensity * x.revenue_last_year,
                    f"研发投入强度达到 {pct(min_intensity)}（含本数）",
                    f"强度 {pct(min_intensity)}",
                ),
                Mark(
                    x.rd_year_before + min_increment,
                    f"较前一年度增长 {wan(min_increment)}（含本数）",
                    f"增长 {wan(min_increment)}",
                ),
                Mark(
                    x.rd_year_before + annual_cap / p["rd_support.rate"],
                    f"达到每年上限 {wan(annual_cap)}",
                    "达到上限",
                ),
            ),
            ((annual_cap, "每年上限"),),
        ),
    )


def cap(p: ParamView) -> Decimal:
    return p["rd_support.annual_cap"]


def summary(p: ParamView) -> str:
    return (
        f"研发投入强度达到 {pct(p['rd_support.min_intensity'])}、研发投入增长 "
        f"{wan(p['rd_support.min_increment'])}（含）以上的专精特新企业或产业链链主企业，按研发投入"
        f"增量最高 {pct(p['rd_support.rate'])} 支持，每年最高 {wan(p['rd_support.annual_cap'])}。"
    )


MEASURE = Measure(
    id="rd_support",
    clause=CLAUSE,
    title="支持关键核心技术研发",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    steps=steps,
    curves=curves,
    cap=cap,
    summary=summary,
    short_title="关键核心技术研发",
    intro=lambda _: "专精特新企业、产业链链主企业研发投入强度与增量达到门槛的资金支持。",
    action="测算本项支持",
)
