"""第四条 科技成果转化支持 — the one-time award for a technology transfer realised in 房山区.

支持高校、科研院所及科研人员采取自主设立公司或与区内企业合作等多种形式推动科技成果在房山区转化落地，
对成功实施成果转化的企业给予最高不超过 500 万元的一次性奖励。
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..engine.inputs import Field, FieldType, LabelledEnum
from ..engine.measure import Kind, Measure, Trace, Verdict
from ..engine.money import wan, yuan
from ..engine.params import ParamView

CLAUSE = "art4"


class TransferForm(LabelledEnum):
    SPINOFF = "spinoff", "自主设立公司"
    COOPERATION = "cooperation", "与区内企业合作"
    OTHER = "other", "其他形式"


@dataclass(frozen=True)
class Inputs:
    tech_transfer_implemented: bool
    tech_transfer_form: TransferForm
    tech_transfer_awarded_before: bool


FIELDS = (
    Field(
        "tech_transfer_implemented",
        "科技成果已在房山区成功实施转化",
        FieldType.BOOL,
        CLAUSE,
        "第四条：对成功实施成果转化的企业给予奖励。",
    ),
    Field(
        "tech_transfer_form",
        "转化形式",
        FieldType.ENUM,
        CLAUSE,
        "第四条：自主设立公司、与区内企业合作等多种形式均可。",
        required=False,
        default=TransferForm.OTHER,
        enum=TransferForm,
        show_if=(("tech_transfer_implemented", (True,)),),
    ),
    Field(
        "tech_transfer_awarded_before",
        "已获得过本项奖励",
        FieldType.BOOL,
        CLAUSE,
        "第四条：一次性奖励，已获得过的不再奖励。",
        required=False,
        default=False,
    ),
)


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    ok = True
    if x.tech_transfer_implemented:
        t.reason(
            CLAUSE,
            f"科技成果以{x.tech_transfer_form.label}等形式在房山区成功实施转化。"
            if x.tech_transfer_form is not TransferForm.OTHER
            else "科技成果在房山区成功实施转化。",
        )
    else:
        t.unmet(CLAUSE, "本项奖励成功实施成果转化的企业；成果尚未在房山区成功实施转化，暂不符合。")
        ok = False
    if x.tech_transfer_awarded_before:
        t.unmet(CLAUSE, "本项为一次性奖励，已获得过的不再奖励。")
        ok = False
    if not ok:
        return Verdict.no()
    ceiling = p["tech_transfer_award.ceiling"]
    t.reason(CLAUSE, f"一次性奖励最高不超过 {wan(ceiling)}，即 {yuan(ceiling)}。")
    t.note("一次性奖励，只奖励一次。")
    return Verdict(True, ceiling)


def cap(p: ParamView) -> Decimal:
    return p["tech_transfer_award.ceiling"]


def summary(p: ParamView) -> str:
    return (
        "高校、科研院所及科研人员通过自主设立公司或与区内企业合作等形式在房山区成功实施科技成果"
        f"转化的企业，一次性奖励最高 {wan(cap(p))}。"
    )


MEASURE = Measure(
    id="tech_transfer_award",
    clause=CLAUSE,
    title="科技成果转化支持",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    cap=cap,
    summary=summary,
    short_title="科技成果转化奖励",
    intro=lambda _: "在房山区成功实施科技成果转化的企业的一次性奖励。",
    action="测算本项奖励",
)
