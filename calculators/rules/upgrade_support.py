"""第三条第2项 支持产业智能化、绿色化升级 — up to 20% of a project's fixed-asset investment.

上年度建成投产、固定资产投资总额（不含土地购置和房屋建设）3000 万元（含）以上的高精尖产业化项目，
依据实施效果分阶段按审定的固定资产投资总额给予最高 20% 的资金支持，累计不超过 6000 万元。
同一项目晋档补差：扣除该项目已获本项支持。
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..engine.growth import Change, CurveSpec, Mark, Offer, gap_text
from ..engine.inputs import Field, FieldType
from ..engine.measure import Kind, Measure, Trace, Verdict, money_field
from ..engine.money import ZERO, pct, wan, yuan
from ..engine.params import ParamView

CLAUSE = "art3.2"


@dataclass(frozen=True)
class Inputs:
    project_completed_last_year: bool
    fixed_asset_investment: Decimal
    upgrade_prior_support: Decimal


FIELDS = (
    Field(
        "project_completed_last_year",
        "项目上年度建成投产",
        FieldType.BOOL,
        CLAUSE,
        "第三条第2项：支持上年度建成投产的高精尖产业化项目。",
    ),
    money_field(
        "fixed_asset_investment",
        "项目固定资产投资总额",
        CLAUSE,
        "第三条第2项：不含土地购置和房屋建设。",
    ),
    money_field(
        "upgrade_prior_support",
        "该项目已获本项支持金额",
        CLAUSE,
        "第三条第2项：同一项目晋档补差，累计支持不超过上限；此前未获支持则留空。",
        required=False,
        default=ZERO,
        advanced=True,
    ),
)


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    min_investment = p["upgrade_support.min_investment"]
    # 资格
    ok = True
    if x.project_completed_last_year:
        t.reason(CLAUSE, "项目上年度建成投产。")
    else:
        t.unmet(CLAUSE, "本项支持上年度建成投产的项目，本项目不符合。")
        ok = False
    if x.fixed_asset_investment >= min_investment:  # “超过 3000 万元（含）以上”：含本数
        t.reason(
            CLAUSE,
            f"固定资产投资总额 {yuan(x.fixed_asset_investment)}（不含土地购置和房屋"
            f"建设），达到 {wan(min_investment)}（含）。",
        )
    else:
        t.unmet(
            CLAUSE,
            f"固定资产投资总额 {yuan(x.fixed_asset_investment)}（不含土地购置和房屋"
            f"建设），未达到 {wan(min_investment)}（含）。",
        )
        ok = False
    if not ok:
        return Verdict.no()
    # 基数
    rate = p["upgrade_support.rate"]
    cumulative_cap = p["upgrade_support.cumulative_cap"]
    base = rate * x.fixed_asset_investment
    t.reason(
        CLAUSE, f"固定资产投资总额 {yuan(x.fixed_asset_investment)} × {pct(rate)} = {yuan(base)}。"
    )
    # 累计上限
    capped = min(base, cumulative_cap)
    if base > cumulative_cap:
        t.reason(CLAUSE, f"超过累计上限 {wan(cumulative_cap)}，按 {yuan(cumulative_cap)}计。")
    else:
        t.reason(CLAUSE, f"未超过累计上限 {wan(cumulative_cap)}。")
    # 晋档补差
    amount = max(ZERO, capped - x.upgrade_prior_support)
    if x.upgrade_prior_support > 0:
        if amount == 0:  # reading rule 3: as 第一条第2项 does, nothing left is not eligible
            t.unmet(
                CLAUSE,
                f"晋档补差：该项目已获本项支持 {yuan(x.upgrade_prior_support)}，不低于可支持的 "
                f"{yuan(capped)}，已获得本项最高支持，没有差额可补，本次不再支持。",
            )
            return Verdict.no()
        t.reason(
            CLAUSE,
            f"晋档补差：{yuan(capped)} − 该项目已获本项支持 "
            f"{yuan(x.upgrade_prior_support)} = {yuan(amount)}。",
        )
    else:
        t.reason(CLAUSE, f"该项目此前未获本项支持，晋档补差后仍为 {yuan(amount)}。")
    t.note("依据实施效果分阶段支持：按审定的固定资产投资总额，分阶段拨付，累计不超过上限。")
    return Verdict(True, amount)


def steps(x: Inputs, p: ParamView) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """下一步：固定资产投资达到门槛（含本数）。建成投产的年份不是可以争取的。"""
    min_investment = p["upgrade_support.min_investment"]
    if not x.project_completed_last_year or x.fixed_asset_investment >= min_investment:
        return (), ()
    change = Change(
        "fixed_asset_investment",
        min_investment,
        condition=f"项目固定资产投资总额（不含土地购置和房屋建设）{wan(min_investment)}（含）以上",
        now=f"现为 {wan(x.fixed_asset_investment)}",
        needed=f"项目固定资产投资总额达到 {wan(min_investment)}",
        gap=gap_text(x.fixed_asset_investment, min_investment, exclusive=False),
        gap_amount=min_investment - x.fixed_asset_investment,
    )
    return (Offer((change,), replace(x, fixed_asset_investment=min_investment), "符合条件"),), ()


def curves(x: Inputs, p: ParamView) -> tuple[CurveSpec, ...]:
    """投资总额：3000 万元门槛（含本数，跳升），20% 增长，到累计上限 6000 万元处封顶。"""
    rate = p["upgrade_support.rate"]
    cumulative_cap = p["upgrade_support.cumulative_cap"]
    min_investment = p["upgrade_support.min_investment"]
    marks = [
        Mark(min_investment, f"投资达到 {wan(min_investment)}（含本数）", f"{wan(min_investment)}"),
        Mark(cumulative_cap / rate, f"达到累计上限 {wan(cumulative_cap)}", "达到上限"),
    ]
    if x.upgrade_prior_support > 0:
        marks.append(Mark(x.upgrade_prior_support / rate, "晋档补差后开始有差额可补", "补差起点"))
    prior = x.upgrade_prior_support
    cap_label = "累计上限（扣除已获支持）" if prior > 0 else "累计上限"
    caps = ((max(cumulative_cap - prior, rate * min_investment - prior), cap_label),)
    return (CurveSpec("fixed_asset_investment", tuple(marks), caps),)


def cap(p: ParamView) -> Decimal:
    return p["upgrade_support.cumulative_cap"]


def summary(p: ParamView) -> str:
    return (
        f"上年度建成投产、固定资产投资 {wan(p['upgrade_support.min_investment'])}（含）以上的"
        f"高精尖产业化项目，按投资总额最高 {pct(p['upgrade_support.rate'])} 分阶段支持，累计最高 "
        f"{wan(p['upgrade_support.cumulative_cap'])}，晋档补差。"
    )


MEASURE = Measure(
    id="upgrade_support",
    clause=CLAUSE,
    title="支持产业智能化、绿色化升级",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    steps=steps,
    curves=curves,
    cap=cap,
    summary=summary,
    short_title="智能化绿色化升级",
    intro=lambda _: (
        "上年度建成投产的高精尖产业化项目，"
        "按固定资产投资总额的资金支持，分阶段、晋档补差。"
    ),
    action="测算本项支持",
)
