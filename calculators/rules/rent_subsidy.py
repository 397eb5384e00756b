"""第二条 房屋租金补贴支持 — the yearly rent subsidy for R&D and production space.

新引进的国家高新技术企业、专精特新中小企业、高层次人才创办企业或获得过重点产业基金投资的高科技
企业租用产业用房用于研发、生产等实体化经营的，以及区内企业新增租用产业用房的：不超过实付租金价格
（最高 2 元/平方米·天）的 50%，年度总额不超过 1500 万元；产业链链主、“小巨人”、隐形冠军、独角兽
企业最高 100%，年度总额不超过 3000 万元。补贴期限不超过三年。
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..engine.growth import Change, CurveSpec, Mark, Offer
from ..engine.inputs import Field, FieldType, LabelledEnum
from ..engine.measure import QUALIFICATIONS, Kind, Measure, Qualification, Trace, Verdict
from ..engine.money import ZERO, pct, plain_number, wan, yuan
from ..engine.params import ParamView

CLAUSE = "art2"


class RentEntry(LabelledEnum):
    NEW = "new", "新引进企业"
    EXPANSION = "expansion", "区内企业新增租用"


# 新引进企业须具备其一（“…的国家高新技术企业、专精特新中小企业、高层次人才创办企业或获得过重点
# 产业基金投资的高科技企业”）；高一档的四类企业当然也在其列。
_NEW_ENTRY = frozenset(Qualification)
# 高一档（100%、3000 万元）：产业链链主、小巨人、隐形冠军、独角兽
PREMIUM = frozenset(
    {
        Qualification.CHAIN_LEADER,
        Qualification.LITTLE_GIANT,
        Qualification.HIDDEN_CHAMPION,
        Qualification.UNICORN,
    }
)


@dataclass(frozen=True)
class Inputs:
    rent_entry: RentEntry
    qualifications: tuple[Qualification, ...]
    rent_area_m2: Decimal
    rent_per_m2_day: Decimal
    rent_days: int
    rent_year_index: int
    rd_or_production_use: bool


FIELDS = (
    Field(
        "rent_entry",
        "租用情形",
        FieldType.ENUM,
        CLAUSE,
        "第二条：新引进企业租用产业用房，或区内企业扩大经营面积、新增租用产业用房。",
        enum=RentEntry,
    ),
    QUALIFICATIONS,
    Field(
        "rent_area_m2",
        "租用面积",
        FieldType.NUMBER,
        CLAUSE,
        "第二条：租用的产业用房面积；区内企业新增租用的，只填新增部分。",
        unit="平方米",
        min=ZERO,
        min_exclusive=True,
        max=Decimal(10_000_000),
    ),
    Field(
        "rent_per_m2_day",
        "实付租金单价",
        FieldType.NUMBER,
        CLAUSE,
        "第二条：实际支付的租金价格；计算时按政策规定的最高价格封顶。",
        unit="元/平方米·天",
        min=ZERO,
        min_exclusive=True,
        max=Decimal(10_000),
    ),
    Field(
        "rent_days",
        "本补贴年度计租天数",
        FieldType.INTEGER,
        CLAUSE,
        "第二条：本补贴年度内实际租用的天数，整年填 365（闰年 366）。",
        unit="天",
        required=False,
        default=365,
        min=Decimal(1),
        max=Decimal(366),
    ),
    Field(
        "rent_year_index",
        "第几个补贴年度",
        FieldType.INTEGER,
        CLAUSE,
        "第二条：补贴期限不超过三年；首次申请填 1。",
        unit="年",
        required=False,
        default=1,
        min=Decimal(1),
        max=Decimal(99),
    ),
    Field(
        "rd_or_production_use",
        "用于研发、生产等实体化经营",
        FieldType.BOOL,
        CLAUSE,
        "第二条：产业用房用于关键技术及产品自主研发、生产等实体化经营。",
        required=False,
        default=True,
    ),
)


def compute(x: Inputs, p: ParamView, t: Trace) -> Verdict:
    quals = frozenset(x.qualifications)
    # 资格
    ok = True
    if not x.rd_or_production_use:
        t.unmet(
            CLAUSE, "租用的产业用房须用于关键技术及产品自主研发、生产等实体化经营，本项不符合。"
        )
        ok = False
    max_years = int(p["rent_subsidy.max_years"])
    if x.rent_year_index > max_years:
        t.unmet(
            CLAUSE,
            f"补贴期限不超过 {max_years} 年，第 {x.rent_year_index} 个补贴年度已超出期限。",
        )
        ok = False
    if x.rent_entry is RentEntry.NEW:
        held = [q.label for q in Qualification if q in quals & _NEW_ENTRY]
        if held:
            t.reason(CLAUSE, f"新引进企业，具有{'、'.join(held)}资质，属于第二条支持的企业。")
        else:
            t.unmet(
                CLAUSE,
                "新引进企业须为国家高新技术企业、专精特新中小企业、高层次人才创办企业或获得过重点"
                "产业基金投资的高科技企业（或产业链链主、“小巨人”、隐形冠军、独角兽企业），"
                "未选择任何资质，不符合。",
            )
            ok = False
    else:
        t.reason(CLAUSE, "区内企业扩大经营面积、新增租用产业用房，按新增面积计算。")
    if not ok:
        return Verdict.no()
    if x.rd_or_production_use:
        t.reason(
            CLAUSE,
            f"用于研发、生产等实体化经营，第 {x.rent_year_index} 个补贴年度（不超过"
            f" {max_years} 年），符合申请条件。",
        )
    # 档次
    premium = [q.label for q in Qualification if q in quals & PREMIUM]
    tier = "premium" if premium else "standard"
    rate = p[f"rent_subsidy.{tier}.rate"]
    annual_cap = p[f"rent_subsidy.{tier}.annual_cap"]
    if premium:
        t.reason(
            CLAUSE,
            f"{'、'.join(premium)}最高按实付租金的 {pct(rate)} 补贴，"
            f"年度总额不超过 {wan(annual_cap)}。",
        )
    else:
        t.reason(CLAUSE, f"按不超过实付租金的 {pct(rate)} 补贴，年度总额不超过 {wan(annual_cap)}。")
    # 基数：价格封顶（最高 2 元/平方米·天）
    price_cap = p["rent_subsidy.price_cap"]
    price = min(x.rent_per_m2_day, price_cap)
    unit = "元/平方米·天"
    if x.rent_per_m2_day > price_cap:
        price_text = (
            f"实付租金 {plain_number(x.rent_per_m2_day)} {unit} 高于上限，"
            f"按 {plain_number(price_cap)} {unit} 封顶计"
        )
    else:
        price_text = f"按实付租金 {plain_number(price)} {unit}"
    base = price * rate * x.rent_area_m2 * x.rent_days
    t.reason(
        CLAUSE,
        f"{price_text} × {pct(rate)} × {plain_number(x.rent_area_m2)} 平方米 × "
        f"{x.rent_days} 天 = {yuan(base)}。",
    )
    # 年度上限
    amount = min(base, annual_cap)
    if base > annual_cap:
        t.reason(CLAUSE, f"超过年度租金补贴总额上限 {wan(annual_cap)}，按 {yuan(annual_cap)}计。")
    else:
        t.reason(CLAUSE, f"未超过年度租金补贴总额上限 {wan(annual_cap)}。")
    t.note("年度租金补贴总额上限按每家企业每个年度计算：同一年度多处租用的，合计不超过该上限。")
    t.note("补贴比例为上限，具体比例“依据企业综合情况”确定。")
    if x.rent_entry is RentEntry.EXPANSION:
        t.note("区内企业新增租用的，只对新增租用的面积给予补贴。")
    return Verdict(True, amount)


_PREMIUM_WORDS = "产业链链主、“小巨人”、隐形冠军或独角兽企业"


def steps(x: Inputs, p: ParamView) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    """下一步：取得资质（新引进企业）、成为高一档企业。不提第四个补贴年度，也不提租金单价。"""
    notes = []
    price_cap = p["rent_subsidy.price_cap"]
    unit = "元/平方米·天"
    if x.rent_per_m2_day > price_cap:
        notes.append(
            f"实付租金 {plain_number(x.rent_per_m2_day)} {unit} 高于计算上限 "
            f"{plain_number(price_cap)} {unit}，超出部分不计入补贴：提高租金不会增加补贴。"
        )
    if x.rent_year_index > p["rent_subsidy.max_years"] or not x.rd_or_production_use:
        return (), tuple(notes)  # 补贴期限、用途：原文排除，不是可以争取的下一步
    quals = frozenset(x.qualifications)
    held = [q.label for q in Qualification if q in quals]
    now = f"现有资质：{'、'.join(held)}" if held else "现未选择资质"
    offers = []
    if x.rent_entry is RentEntry.NEW and not quals & _NEW_ENTRY:
        change = Change(
            "qualifications",
            (Qualification.HIGH_TECH,),
            condition="新引进企业须为国家高新技术企业、专精特新中小企业、高层次人才创办企业或获得"
            "过重点产业基金投资的高科技企业",
            now=now,
            needed="取得国家高新技术企业或专精特新中小企业等认定",
        )
        rate = p["rent_subsidy.standard.rate"]
        offers.append(
            Offer((change,), replace(x, qualifications=change.value), f"按 {pct(rate)} 补贴")
        )
    if not quals & PREMIUM:
        value = tuple(q for q in Qualification if q in quals | {Qualification.LITTLE_GIANT})
        rate = p["rent_subsidy.premium.rate"]
        annual_cap = p["rent_subsidy.premium.annual_cap"]
        change = Change(
            "qualifications",
            value,
            condition=f"{_PREMIUM_WORDS.replace('或', '、')}最高按 {pct(rate)} 补贴，年度总额"
            f"不超过 {wan(annual_cap)}",
            now=now,
            needed=f"成为{_PREMIUM_WORDS}",
        )
        offers.append(
            Offer(
                (change,),
                replace(x, qualifications=value),
                f"补贴比例最高 {pct(rate)}、年度上限 {wan(annual_cap)}",
            )
        )
    return tuple(offers), tuple(notes)


def _tier(x: Inputs, p: ParamView) -> tuple[Decimal, Decimal]:
    tier = "premium" if frozenset(x.qualifications) & PREMIUM else "standard"
    return p[f"rent_subsidy.{tier}.rate"], p[f"rent_subsidy.{tier}.annual_cap"]


def curves(x: Inputs, p: ParamView) -> tuple[CurveSpec, ...]:
    """面积（达到年度上限处封顶）与实付租金单价（2 元/平方米·天 封顶，或年度上限先到）。"""
    rate, annual_cap = _tier(x, p)
    price_cap = p["rent_subsidy.price_cap"]
    price = min(x.rent_per_m2_day, price_cap)
    cap_label = f"年度上限 {wan(annual_cap)}"
    caps = ((annual_cap, "年度上限"),)
    area_full = annual_cap / (price * rate * x.rent_days)
    price_full = annual_cap / (rate * x.rent_area_m2 * x.rent_days)
    # Along the price axis the ceiling stops growing at 2 元, or earlier where the annual cap binds.
    price_mark = (
        Mark(price_full, f"达到{cap_label}的单价", "达到年度上限")
        if price_full < price_cap
        else Mark(
            price_cap,
            f"租金按最高 {plain_number(price_cap)} 元/平方米·天 计，超出部分不计",
            f"封顶 {plain_number(price_cap)} 元",
        )
    )
    return (
        CurveSpec(
            "rent_area_m2", (Mark(area_full, f"达到{cap_label}的面积", "达到年度上限"),), caps
        ),
        CurveSpec("rent_per_m2_day", (price_mark,), caps),
    )


def cap(p: ParamView) -> Decimal:
    return max(p["rent_subsidy.standard.annual_cap"], p["rent_subsidy.premium.annual_cap"])


def summary(p: ParamView) -> str:
    return (
        f"新引进的高新技术、专精特新等企业或区内新增租用产业用房的企业，按实付租金（最高 "
        f"{plain_number(p['rent_subsidy.price_cap'])} 元/平方米·天）的 "
        f"{pct(p['rent_subsidy.standard.rate'])} 补贴，年度最高 "
        f"{wan(p['rent_subsidy.standard.annual_cap'])}；链主、“小巨人”、隐形冠军、独角兽企业最高 "
        f"{pct(p['rent_subsidy.premium.rate'])}、{wan(p['rent_subsidy.premium.annual_cap'])}；"
        f"最长 {plain_number(p['rent_subsidy.max_years'])} 年。"
    )


def intro(p: ParamView) -> str:
    return (
        "新引进企业或区内企业新增租用产业用房的租金补贴，按实付租金（封顶 "
        f"{plain_number(p['rent_subsidy.price_cap'])} 元/平方米·天）的比例计算。"
    )


MEASURE = Measure(
    id="rent_subsidy",
    clause=CLAUSE,
    title="房屋租金补贴",
    kind=Kind.GRANT,
    fields=FIELDS,
    inputs=Inputs,
    compute=compute,
    steps=steps,
    curves=curves,
    cap=cap,
    summary=summary,
    short_title="房屋租金补贴",
    intro=intro,
    action="测算租金补贴",
)
