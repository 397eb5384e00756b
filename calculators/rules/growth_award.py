"""第一条第2项 支持企业做大做强 — the one-time award when revenue first breaks a tier (晋档补差).

收入首次突破 2000 万元的先进制造业、软件和信息服务业企业或首次突破 1000 万元的科技服务业企业，
最高 20 万元；首次突破 1 亿元的先进制造业企业或首次突破 5000 万元的软件和信息服务业、科技服务业
企业，最高 30 万元。“突破”不含本数（>）。同一企业晋档补差：本档上限减去已获本项奖励。
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from ..engine.contacts import Contact, contacts_for
from ..engine.growth import Change, CurveSpec, Mark, Offer, gap_text, yuan_above
from ..engine.inputs import Field, FieldType, LabelledEnum
from ..engine.measure import REVENUE_LAST_YEAR, Kind, Measure, Trace, Verdict, money_field
from ..engine.money import ZERO, wan, yuan
from ..engine.params import ParamView

CLAUSE = "art1.2"


class Industry(LabelledEnum):
    ADVANCED_MANUFACTURING = "advanced_manufacturing", "先进制造业"
    SOFTWARE_IT = "software_it", "软件和信息服务业"
    TECH_SERVICES = "tech_services", "科技服务业"


@dataclass(frozen=True)
class Inputs:
    industry: Industry
    revenue_last_year: Decimal
    previous_peak_revenue: Decimal
    growth_prior_award: Decimal


FIELDS = (
    Field(
        "industry",
        "所属行业",
        FieldType.ENUM,
        CLAUSE,
        "第一条第2项：不同行业的收入门槛不同；软件和信息服务业由大数据局受理。",
        enum=Industry,
    ),
    REVENUE_LAST_YEAR,
    money_field(
        "previous_peak_revenue",
        "以前年度最高年收入",
        CLAUSE,
        "第一条第2项：上年度之前各年中最高的年收入，用于判断是否“首次突破”；没有则留空。",
        required=False,
        default=ZERO,
    ),
    money_field(
        "growth_prior_award",
        "已获本项奖励金额",
        CLAUSE,
        "第一条第2项：此前已按本项获得的奖励；同一企业晋档补差，按差额支持。没有则留空。",
        required=False,
        default=ZERO,
        advanced=True,
    ),
)


@dataclass(frozen=True)
class Tier:
    number: int
    threshold: Decimal  # 突破：收入 > threshold
    ceiling: Decimal


def tiers(p: ParamView, industry: Industry) -> tuple[Tier, ...]:
    base = f"growth_award.{industry.value}"
    return tuple(
        Tier(n, p[f"{base}.tier{n}_threshold"], p[f"{base}.tier{n}_ceiling"]) for n in (1, 2)
    )


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    # 资格：“首次突破” — 上年度收入 > 门槛 ≥ 以前年度最高收入
    revenue, peak = x.revenue_last_year, x.previous_peak_revenue
    reached = [tier for tier in tiers(p, x.industry) if revenue > tier.threshold]
    if not reached:
        lowest = tiers(p, x.industry)[0]
        t.unmet(
            CLAUSE,
            f"{x.industry.label}企业上年度收入 {yuan(revenue)} 未突破 {wan(lowest.threshold)}"
            "（“突破”不含本数），未达到奖励门槛。",
        )
        return Verdict.no()
    first = [tier for tier in reached if tier.threshold >= peak]
    if not first:
        top = reached[-1]
        t.unmet(
            CLAUSE,
            f"上年度收入 {yuan(revenue)} 突破了 {wan(top.threshold)}，但以前年度最高收入 "
            f"{yuan(peak)} 已突破该门槛，不属于“首次突破”。",
        )
        return Verdict.no()
    tier = first[-1]  # 取首次突破的最高一档
    t.reason(
        CLAUSE,
        f"{x.industry.label}企业上年度收入 {yuan(revenue)} 首次突破 {wan(tier.threshold)}"
        f"（以前年度最高收入 {yuan(peak)}），适用第{'一二'[tier.number - 1]}档，"
        f"一次性奖励最高 {wan(tier.ceiling)}。",
    )
    # 晋档补差
    amount = max(ZERO, tier.ceiling - x.growth_prior_award)
    if x.growth_prior_award > 0:
        if amount == 0:
            t.unmet(
                CLAUSE,
                f"晋档补差：已获本项奖励 {yuan(x.growth_prior_award)}，不低于本档最高 "
                f"{yuan(tier.ceiling)}，没有差额可补，本次不再奖励。",
            )
            return Verdict.no()
        t.reason(
            CLAUSE,
            f"晋档补差：本档最高 {yuan(tier.ceiling)} − 已获本项奖励 "
            f"{yuan(x.growth_prior_award)} = {yuan(amount)}。",
        )
    else:
        t.reason(CLAUSE, f"此前未获本项奖励，晋档补差后仍为 {yuan(amount)}。")
    t.note("一次性奖励；同一企业升档时按晋档补差支持，只补足与已获奖励的差额。")
    return Verdict(True, amount)


def cap(p: ParamView) -> Decimal:
    return max(tier.ceiling for industry in Industry for tier in tiers(p, industry))


def summary(p: ParamView) -> str:
    am = tiers(p, Industry.ADVANCED_MANUFACTURING)
    ts = tiers(p, Industry.TECH_SERVICES)
    return (
        f"企业收入首次突破所属行业门槛（如先进制造业 {wan(am[0].threshold)}、科技服务业 "
        f"{wan(ts[0].threshold)}）的，一次性奖励最高 {wan(am[0].ceiling)}，升至更高一档最高 "
        f"{wan(am[1].ceiling)}，晋档补差。"
    )


def steps(x: Inputs, p: ParamView) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """下一步：收入首次突破尚未突破、且以前年度也未突破的每一档（晋档补差）。"""
    offers = []
    revenue = x.revenue_last_year
    for tier in tiers(p, x.industry):
        if revenue > tier.threshold or tier.threshold < x.previous_peak_revenue:
            continue  # already broken, or no longer a first breakthrough
        needed = yuan_above(tier.threshold)
        change = Change(
            "revenue_last_year",
            needed,
            condition=f"{x.industry.label}企业收入首次突破 {wan(tier.threshold)}（不含本数）",
            now=f"现为 {wan(revenue)}",
            needed=f"上年度营业收入超过 {wan(tier.threshold)}",
            gap=gap_text(revenue, tier.threshold, exclusive=True),
            gap_amount=tier.threshold - revenue,
        )
        offers.append(
            Offer(
                (change,),
                replace(x, revenue_last_year=needed),
                f"首次突破 {wan(tier.threshold)}，适用{x.industry.label}第"
                f"{'一二'[tier.number - 1]}档",
                top_up=True,
            )
        )
    return tuple(offers), ()


def curves(x: Inputs, p: ParamView) -> tuple[CurveSpec, ...]:
    ts = tiers(p, x.industry)
    return (
        CurveSpec(
            "revenue_last_year",
            tuple(
                Mark(
                    t.threshold,
                    f"第{'一二'[t.number - 1]}档：突破 {wan(t.threshold)}（不含本数）",
                    f"突破 {wan(t.threshold)}",
                )
                for t in ts
            )
            + (
                (Mark(x.previous_peak_revenue, "以前年度最高收入", "以前最高"),)
                if x.previous_peak_revenue > 0
                else ()
            ),
            tuple((t.ceiling, f"第{'一二'[t.number - 1]}档上限") for t in ts),
        ),
    )


def contacts(x: Inputs, as_of: dt.date) -> tuple[Contact, ...]:
    # 软件和信息服务业企业找大数据局，其他行业找服务工作组
    return contacts_for(CLAUSE, industry=x.industry.value, as_of=as_of)


MEASURE = Measure(
    id="growth_award",
    clause=CLAUSE,
    title="支持企业做大做强",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    steps=steps,
    curves=curves,
    cap=cap,
    summary=summary,
    short_title="做大做强奖励",
    intro=lambda _: (
        "先进制造业、软件和信息服务业、科技服务业企业收入首次突破门槛的一次性奖励，"
        "晋档补差。"
    ),
    action="测算本项奖励",
    contacts=contacts,
)
