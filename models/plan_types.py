"""Which roster object types a plan item's 检查对象 text names, including the plans' own wordings.

Plans describe objects in their own words ("各类宾馆、旅店", "娱乐服务场所", "典当业"),
while the roster uses one short name per type ("旅馆", "娱乐场所", "典当行"). A type is
linked when its own name appears in the text, or when one of the wordings below does.

Alias table (wording found in the 检查对象 text → roster type):

============================================  ==========================
宾馆, 旅店, 酒店, 旅社, 客栈, 招待所             旅馆
网吧, 互联网上网服务营业场所, 上网服务营业场所    网吧
娱乐服务场所, 歌舞娱乐, 游艺娱乐               娱乐场所
公章刻制从业单位, 印章刻制                     公章刻制
废旧金属收购从业单位, 废旧金属                 废旧金属收购
易制毒化学品                                  易制毒化学品企业
保安服务公司, 保安公司                         保安服务公司
医药公司, 危险化学品                           危险化学品单位
典当                                         典当行
爆破作业, 民用爆炸物品, 民爆物品               爆破作业单位
金融机构, 银行, 金库                           金融机构营业场所
油气企业, 加油站, 加气站                       加油站
联网使用单位, 互联网服务提供者, 国际联网         互联网联网单位
大型群众性活动                                大型群众性活动承办单位
烟花爆竹                                      烟花爆竹经营单位
等级保护, 三级及以上信息系统                   重点信息系统运营单位
工业大麻                                      工业大麻种植加工单位
寄递, 快递, 物流                               寄递物流企业
机动车维修, 机动车修理                          机动车修理业
枪支, 枪弹                                    民用枪支弹药单位
外国人, 境外人员                               境外人员
驾驶人培训, 驾校                               机动车驾驶人培训机构
二手车                                        二手车交易市场
============================================  ==========================

An alias only links a type the roster actually has. Nothing is linked for texts such as
"自然人,企业法人…" or "排放偶发性强烈噪声单位": those items are flagged for the clerk.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.roster import ObjectType
from models.text import nonblank

TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "旅馆": ("宾馆", "旅店", "酒店", "旅社", "客栈", "招待所"),
    "网吧": ("网吧", "互联网上网服务营业场所", "上网服务营业场所"),
    "娱乐场所": ("娱乐服务场所", "歌舞娱乐", "游艺娱乐"),
    "公章刻制": ("公章刻制从业单位", "印章刻制"),
    "废旧金属收购": ("废旧金属收购从业单位", "废旧金属"),
    "易制毒化学品企业": ("易制毒化学品",),
    "保安服务公司": ("保安服务公司", "保安公司"),
    "危险化学品单位": ("医药公司", "危险化学品"),
    "典当行": ("典当",),
    "爆破作业单位": ("爆破作业", "民用爆炸物品", "民爆物品"),
    "金融机构营业场所": ("金融机构", "银行", "金库"),
    "加油站": ("油气企业", "加油站", "加气站"),
    "互联网联网单位": ("联网使用单位", "互联网服务提供者", "国际联网"),
    "大型群众性活动承办单位": ("大型群众性活动",),
    "烟花爆竹经营单位": ("烟花爆竹",),
    "重点信息系统运营单位": ("等级保护", "三级及以上信息系统"),
    "工业大麻种植加工单位": ("工业大麻",),
    "寄递物流企业": ("寄递", "快递", "物流"),
    "机动车修理业": ("机动车维修", "机动车修理"),
    "机动车驾驶人培训机构": ("驾驶人培训", "驾校"),
    "二手车交易市场": ("二手车",),
    "民用枪支弹药单位": ("枪支", "枪弹"),
    "境外人员": ("外国人", "境外人员"),
}


def _text_of(item_or_text) -> str:
    if isinstance(item_or_text, str):
        return item_or_text
    return getattr(item_or_text, "object_text", "") or ""


def auto_link_types(item_or_text, type_names: list[str] | tuple[str, ...]) -> list[str]:
    """The names, among *type_names*, that the item's 检查对象 text names directly or by an alias.

    Accepts a PlanItem (or anything with ``object_text``) or the text itself; keeps the
    order of *type_names*.
    """
    text = _text_of(item_or_text)
    if not text.strip():
        return []
    found = []
    for name in type_names:
        if not name:
            continue
        if name in text or any(alias in text for alias in TYPE_ALIASES.get(name, ())):
            found.append(name)
    return found


def resolve_types(session: Session, type_names: list[str]) -> list[ObjectType]:
    """The roster types with these names, in the given order; unknown names are refused in Chinese."""
    from models.plan_service import PlanError  # the service module imports this one

    wanted = nonblank(type_names)
    found = {t.name: t for t in session.execute(select(ObjectType).where(ObjectType.name.in_(wanted))).scalars()}
    missing = [n for n in wanted if n not in found]
    if missing:
        known = ("、".join(session.execute(select(ObjectType.name).order_by(ObjectType.id)).scalars())
                 or "（名录库中尚无对象类型）")
        raise PlanError(f"名录库中没有对象类型“{'、'.join(missing)}”。现有类型：{known}")
    seen: list[ObjectType] = []
    for n in wanted:
        if found[n] not in seen:
            seen.append(found[n])
    return seen
