"""第一条第1项 支持创新型中小企业争创名优 — the one-time award for a first 名优 recognition.

首次获评、有效期满首次通过复核或新引进落地并首次通过复核的专精特新中小企业（最高 20 万元）、
国家专精特新“小巨人”企业（最高 50 万元）；首次获评、有效期满首次通过复核或新引进落地的
隐形冠军企业、独角兽企业（最高 50 万元）。
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..engine.growth import Change, Offer
from ..engine.inputs import Field, FieldType, LabelledEnum
from ..engine.measure import Kind, Measure, Trace, Verdict
from ..engine.money import wan, yuan
from ..engine.params import ParamView

CLAUSE = "art1.1"


class Honor(LabelledEnum):
    SPECIALIZED_SME = "specialized_sme", "专精特新中小企业"
    LITTLE_GIANT = "little_giant", "国家专精特新“小巨人”企业"
    HIDDEN_CHAMPION = "hidden_champion", "隐形冠军企业"
    UNICORN = "unicorn", "独角兽企业"


class HonorEvent(LabelledEnum):
    FIRST_RECOGNITION = "first_recognition", "首次获评"
    FIRST_RENEWAL = "first_renewal", "有效期满首次通过复核"
    RELOCATED_REVIEWED = "relocated_reviewed", "新引进落地并首次通过复核"
    RELOCATED = "relocated", "新引进落地（尚未复核）"


# 新引进落地 without a review counts only for these two (“…或新引进落地的隐形冠军企业、独角兽企业”)
_RELOCATION_ENOUGH = frozenset({Honor.HIDDEN_CHAMPION, Honor.UNICORN})


@dataclass(frozen=True)
class Inputs:
    honor: Honor
    honor_event: HonorEvent


FIELDS = (
    Field(
        "honor",
        "获得的荣誉",
        FieldType.ENUM,
        CLAUSE,
        "第一条第1项：本次申请奖励所依据的荣誉；同时获得多项的，请分别计算。",
        enum=Honor,
    ),
    Field(
        "honor_event",
        "获得荣誉的情形",
        FieldType.ENUM,
        CLAUSE,
        "第一条第1项：首次获评、有效期满首次通过复核，或新引进落地（是否已首次通过复核）。",
        enum=HonorEvent,
    ),
)


def _ceiling(p: ParamView, honor: Honor) -> Decimal:
    return p[f"sme_honor_award.ceiling.{honor.value}"]


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    # 资格
    if x.honor_event is HonorEvent.RELOCATED and x.honor not in _RELOCATION_ENOUGH:
        t.unmet(
            CLAUSE,
            f"{x.honor.label}新引进落地后须“首次通过复核”才可获奖励（仅隐形冠军企业、独角兽企业"
            "新引进落地即可）；尚未复核的暂不符合，通过复核后可再申请。",
        )
        return Verdict.no()
    t.reason(
        CLAUSE,
        f"{x.honor_event.label.removesuffix('（尚未复核）')}的{x.honor.label}，"
        "符合第一条第1项的奖励情形。",
    )
    # 金额
    ceiling = _ceiling(p, x.honor)
    t.reason(CLAUSE, f"{x.honor.label}一次性奖励最高 {wan(ceiling)}，即 {yuan(ceiling)}。")
    t.note("一次性奖励：同一荣誉只奖励一次。")
    return Verdict(True, ceiling)


def steps(x: Inputs, p: ParamView) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """下一步：新引进落地后首次通过复核；专精特新中小企业获评“小巨人”（另一项荣誉，另行奖励）。
    同一荣誉不再奖励第二次。"""
    offers = []
    if x.honor_event is HonorEvent.RELOCATED and x.honor not in _RELOCATION_ENOUGH:
        event = HonorEvent.RELOCATED_REVIEWED
        change = Change(
            "honor_event",
            event,
            condition=f"新引进落地的{x.honor.label}须首次通过复核",
            now="现为新引进落地、尚未复核",
            needed="新引进落地后首次通过复核",
        )
        offers.append(Offer((change,), replace(x, honor_event=event), "符合奖励情形"))
    if x.honor is Honor.SPECIALIZED_SME:
        target = Honor.LITTLE_GIANT
        changed = replace(x, honor=target, honor_event=HonorEvent.FIRST_RECOGNITION)
        offers.append(
            Offer(
                (
                    Change(
                        "honor",
                        target,
                        condition=f"首次获评的{target.label}一次性奖励最高 "
                        f"{wan(_ceiling(p, target))}",
                        now=f"现为{x.honor.label}",
                        needed=f"获评{target.label}",
                    ),
                    Change("honor_event", HonorEvent.FIRST_RECOGNITION, "", "", ""),
                ),
                changed,
                "另可获一次性奖励",
                separate=True,
            )
        )
    return tuple(offers), ()


def cap(p: ParamView) -> Decimal:
    return max(_ceiling(p, h) for h in Honor)


def summary(p: ParamView) -> str:
    return (
        f"首次获评、期满首次通过复核或新引进落地的专精特新中小企业最高奖励 "
        f"{wan(_ceiling(p, Honor.SPECIALIZED_SME))}，“小巨人”、隐形冠军、独角兽企业最高 "
        f"{wan(_ceiling(p, Honor.LITTLE_GIANT))}。"
    )


MEASURE = Measure(
    id="sme_honor_award",
    clause=CLAUSE,
    title="支持创新型中小企业争创名优",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    steps=steps,
    cap=cap,
    summary=summary,
    short_title="争创名优奖励",
    intro=lambda _: (
        "专精特新中小企业、国家专精特新“小巨人”企业、隐形冠军企业、独角兽企业首次获评、期满复核或"
        "新引进落地的一次性奖励。"
    ),
    action="测算本项奖励",
)
