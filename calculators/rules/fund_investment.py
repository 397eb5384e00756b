"""第五条第一款 科技金融支持 — the discretionary equity investment by the 房山 fund.

对推动房山区高质量发展、获得市级产业投资基金投资的项目，中关村（房山）高精尖产业投资基金可给予最高
1000 万元的股权投资。（第五条第二款 知识产权质押贷款 has no amount: see match's also_relevant.）
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..engine.inputs import Field, FieldType
from ..engine.measure import Kind, Measure, Trace, Verdict
from ..engine.money import wan, yuan
from ..engine.params import ParamView

CLAUSE = "art5.1"


@dataclass(frozen=True)
class Inputs:
    municipal_fund_invested: bool


FIELDS = (
    Field(
        "municipal_fund_invested",
        "项目已获得市级产业投资基金投资",
        FieldType.BOOL,
        CLAUSE,
        "第五条：对获得市级产业投资基金投资的项目，区基金可给予股权投资。",
    ),
)


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    if not x.municipal_fund_invested:
        t.unmet(
            CLAUSE,
            "本项面向获得市级产业投资基金投资的项目；项目尚未获得，暂不符合。"
            "可通过与市级产业投资基金的沟通推荐通道争取推荐。",
        )
        return Verdict.no()
    t.reason(CLAUSE, "项目已获得市级产业投资基金投资。")
    ceiling = p["fund_investment.ceiling"]
    t.reason(
        CLAUSE,
        f"中关村（房山）高精尖产业投资基金可给予最高 {wan(ceiling)} 的股权投资，"
        f"即 {yuan(ceiling)}。",
    )
    # 可给予：酌定
    t.note("本项是股权投资，不是补贴；原文为“可给予”，是否投资、投资多少由基金决策，并非必然获得。")
    t.note("项目还须“推动房山区高质量发展”，由基金评估。")
    return Verdict(True, ceiling)


def cap(p: ParamView) -> Decimal:
    return p["fund_investment.ceiling"]


def summary(p: ParamView) -> str:
    return (
        "获得市级产业投资基金投资、推动房山区高质量发展的项目，中关村（房山）高精尖产业投资基金"
        f"可给予最高 {wan(cap(p))} 的股权投资。"
    )


MEASURE = Measure(
    id="fund_investment",
    clause=CLAUSE,
    title="科技金融支持",
    kind=Kind.EQUITY,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    cap=cap,
    summary=summary,
    short_title="科技金融股权投资",
    intro=lambda _: (
        "获得市级产业投资基金投资的项目，"
        "中关村（房山）高精尖产业投资基金可给予的股权投资。"
    ),
    action="测算股权投资",
)
