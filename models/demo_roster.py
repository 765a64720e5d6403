"""A realistic, deterministic demo roster for a county bureau (沂源县).

About 3,000 units, 60 inspectors, 15 回避 pairs.
"""
from __future__ import annotations

import random
from dataclasses import asdict

from sqlalchemy import update

from models import audit
from models.base import now
from models.credit_code import make_code
from models.roster import Inspector
from models.roster_bulk import Checkpoints, plan_rows, write_plan, write_recusals
from models.roster_service import InspectorData, ObjectData

COUNTY = "沂源县"
REGION = "370323"
BADGE_PREFIX = "371323"
# 派出所 and the streets/towns they cover.
JURISDICTIONS = {
    "城关派出所": "历山街道", "南麻派出所": "南麻街道", "鲁村派出所": "鲁村镇", "燕崖派出所": "燕崖镇",
    "中庄派出所": "中庄镇", "张家坡派出所": "张家坡镇", "西里派出所": "西里镇", "东里派出所": "东里镇",
    "悦庄派出所": "悦庄镇", "石桥派出所": "石桥镇",
}
# Busy town centres hold most units.
JURISDICTION_WEIGHTS = (30, 26, 8, 5, 6, 5, 5, 5, 6, 4)
ROADS = ("振兴路", "胜利路", "人民路", "沂河路", "鲁山路", "荆山路", "瑞阳路", "螳螂河路", "新城路", "池上路",
         "儒林路", "仁和路", "健康路", "历山路", "博沂路", "文化路")
ROOTS = ("鑫源", "顺达", "恒泰", "金盛", "华联", "永安", "宏昌", "嘉禾", "润丰", "泰和", "瑞祥", "福临", "东方",
         "盛世", "兴隆", "聚源", "天成", "鲁信", "沂蒙", "鸿运", "和美", "安泰", "德润", "富源", "新月", "金鼎",
         "佳和", "康宁", "祥瑞", "银河", "海川", "九州", "昌盛", "君悦", "如家", "万通", "博远", "信达", "朝阳", "锦程")

# (type, count, name suffixes, licence prefix or None, individual-business share, high-risk bias)
TYPES = (
    ("旅馆", 740, ("宾馆", "酒店", "快捷酒店", "大酒店", "旅馆", "商务宾馆"), "鲁公特旅字", 0.5, 0),
    ("网吧", 300, ("网吧", "网咖", "网络会所"), "网文", 0.6, 0),
    ("娱乐场所", 300, ("KTV", "量贩式KTV", "娱乐会所", "歌舞厅", "音乐会所"), "娱经", 0.3, 1),
    ("加油站", 250, ("加油站",), "危化经", 0.0, 1),
    ("机动车修理业", 250, ("汽车维修服务中心", "汽修厂", "汽车美容维修店"), None, 0.6, 0),
    ("寄递物流企业", 200, ("快递服务部", "物流有限公司", "速运营业部"), "邮政快递", 0.3, 0),
    ("废旧金属收购", 180, ("废旧物资回收站", "再生资源回收有限公司"), "鲁公特废字", 0.6, 0),
    ("金融机构营业场所", 150, ("营业所", "分理处", "支行营业部"), None, 0.0, 1),
    ("互联网联网单位", 120, ("网络科技有限公司", "信息技术有限公司"), None, 0.0, 0),
    ("危险化学品单位", 80, ("化工科技有限公司", "化工有限公司"), "危化经", 0.0, 2),
    ("烟花爆竹经营单位", 80, ("烟花爆竹经营部", "烟花爆竹零售点"), "烟花零", 0.5, 1),
    ("公章刻制", 60, ("刻章店", "印章刻制部"), "鲁公特章字", 0.7, 0),
    ("保安服务公司", 60, ("保安服务有限公司",), "鲁公保服", 0.0, 0),
    ("典当行", 40, ("典当有限公司", "典当行"), "鲁公特典字", 0.0, 1),
    ("易制毒化学品企业", 40, ("化工原料有限公司", "精细化工有限公司"), "易制毒备", 0.0, 2),
    ("重点信息系统运营单位", 40, ("数据服务有限公司", "信息系统运营中心"), None, 0.0, 1),
    ("大型群众性活动承办单位", 40, ("文化传媒有限公司", "会展服务有限公司"), None, 0.0, 1),
    ("机动车驾驶人培训机构", 30, ("驾驶员培训学校", "驾校"), None, 0.0, 0),
    ("二手车交易市场", 15, ("二手车交易市场有限公司",), None, 0.0, 0),
    ("爆破作业单位", 12, ("爆破工程有限公司", "民爆器材有限公司"), "鲁公爆", 0.0, 3),
    ("民用枪支弹药单位", 8, ("射击运动俱乐部", "狩猎场"), "鲁公枪", 0.0, 3),
    ("工业大麻种植加工单位", 5, ("生物科技有限公司",), "鲁公麻", 0.0, 2),
)
BANKS = ("中国农业银行", "中国工商银行", "中国建设银行", "中国银行", "中国邮政储蓄银行", "沂源农村商业银行",
         "齐商银行", "恒丰银行")
FUEL = ("中国石化销售股份有限公司山东淄博沂源", "中国石油天然气股份有限公司山东淄博沂源", "山东沂源")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
         "平", "刚", "桂英", "建华", "志强", "海燕", "红梅", "国庆", "立新", "玉兰", "文博", "子涵", "晓东", "春生",
         "德胜", "永刚", "金凤", "丽娟", "宏伟", "建国", "振华", "雪梅")
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157",
                   "158", "159", "177", "180", "182", "183", "186", "187", "188", "189")
RISK_WEIGHTS = {0: (72, 17, 8, 3), 1: (55, 25, 14, 6), 2: (35, 30, 22, 13), 3: (15, 30, 30, 25)}
RISKS = ("低风险", "中低风险", "中风险", "高风险")

# Units named in the seeds, with how many inspectors each contributes; police units get 警号.
POLICE_UNITS = (("治安大队", 12), ("禁毒大队", 5), ("网安大队", 6), ("出入境管理大队", 3), ("交管支队", 6),
                ("城关派出所", 3), ("南麻派出所", 3), ("鲁村派出所", 2), ("悦庄派出所", 2))
PARTNER_UNITS = (("市场监督管理局", "SJ", 5), ("生态环境局", "HJ", 3), ("交通运输局", "JT", 3), ("应急管理局", "YJ", 3),
                 ("网信办", "WX", 2), ("邮政管理局", "YZ", 2), ("文化和旅游局", "WL", 2))
RECUSAL_REASONS = ("亲属关系", "曾在该单位任职", "存在经济往来", "配偶在该单位工作", "与法定代表人系同学关系",
                   "近亲属持有该单位股份", "曾参与该单位行政处罚案件")


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.15:  # some units still give a landline
        return f"0533-3{rng.randrange(10**6):06d}"
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _objects(rng: random.Random) -> list[ObjectData]:
    objects: list[ObjectData] = []
    names: set[str] = set()
    places = list(JURISDICTIONS)
    seq = 0
    for type_name, count, suffixes, licence, individual, bias in TYPES:
        for n in range(count):
            seq += 1
            jurisdiction = rng.choices(places, JURISDICTION_WEIGHTS)[0]
            town = JURISDICTIONS[jurisdiction]
            name = _unit_name(rng, type_name, suffixes, town, names)
            kind = "92" if rng.random() < individual else "91"
            status = rng.choices(("在营", "停业", "注销"), (90, 6, 4))[0]
            objects.append(ObjectData(
                name=name,
                credit_code=make_code(seq, REGION, kind),
                type_name=type_name,
                address=f"{COUNTY}{town}{rng.choice(ROADS)}{rng.randint(1, 399)}号",
                jurisdiction=jurisdiction,
                legal_rep=_person(rng),
                phone=_phone(rng),
                licence_no=f"{licence}第{REGION}{n + 1:04d}号" if licence else "",
                risk_level=rng.choices(RISKS, RISK_WEIGHTS[bias])[0],
                status=status,
            ))
    return objects


def _unit_name(rng: random.Random, type_name: str, suffixes, town: str, taken: set[str]) -> str:
    place = town.removesuffix("街道").removesuffix("镇")
    for attempt in range(60):
        root = rng.choice(ROOTS)
        suffix = rng.choice(suffixes)
        if type_name == "金融机构营业场所":
            name = f"{rng.choice(BANKS)}沂源支行{place}{suffix}"
        elif type_name == "加油站":
            name = f"{rng.choice(FUEL)}{place}{root}加油站"
        elif attempt < 4:
            name = f"{COUNTY}{root}{suffix}"
        else:  # common brand names: registered with the town to tell them apart
            name = f"{COUNTY}{town}{root}{suffix}"
        if attempt >= 30:
            name = f"{name}（{place}{attempt - 29}店）"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("demo names exhausted")  # unreachable with the lists above


def _inspectors(rng: random.Random) -> list[InspectorData]:
    people: list[InspectorData] = []
    used_names: set[str] = set()
    badges = rng.sample(range(1, 1000), sum(n for _, n in POLICE_UNITS))

    def name() -> str:
        while True:
            candidate = _person(rng)
            if candidate not in used_names:
                used_names.add(candidate)
                return candidate

    k = 0
    for unit, count in POLICE_UNITS:
        for _ in range(count):
            badge = f"{BADGE_PREFIX}{badges[k]:03d}"
            k += 1
            people.append(InspectorData(name=name(), badge_no=badge, unit=unit, cert_no=f"鲁公执字{badge}",
                                        active=rng.random() > 0.05))
    for unit, prefix, count in PARTNER_UNITS:
        for n in range(count):
            people.append(InspectorData(name=name(), badge_no=f"{prefix}2024{n + 1:03d}", unit=unit,
                                        cert_no=f"鲁执{rng.randrange(10**10):010d}"))
    return people


def generate_roster(seed: int = 2024) -> tuple[list[ObjectData], list[InspectorData], list[tuple[str, str, str]]]:
    """The demo roster: objects, inspectors and (警号, 统一社会信用代码, reason) 回避 triples.

    Same seed, same roster.
    """
    rng = random.Random(seed)
    objects = _objects(rng)
    inspectors = _inspectors(rng)
    pairs: dict[tuple[str, str], str] = {}
    police = [p for p in inspectors if p.badge_no.startswith(BADGE_PREFIX)]
    while len(pairs) < 15:
        person = rng.choice(police)
        obj = rng.choice(objects)
        pairs.setdefault((person.badge_no, obj.credit_code), rng.choice(RECUSAL_REASONS))
    recusals = [(b, c, r) for (b, c), r in pairs.items()]
    return objects, inspectors, recusals


def load_demo_roster(db, actor: str = "演示数据", progress=None, cancelled=None) -> dict:
    """Write the demo roster through the import's bulk path, in one transaction; returns the counts."""
    objects, inspectors, recusals = generate_roster()
    total = len(objects) + len(inspectors) + len(recusals)
    with db.session() as s:
        ts = now()
        obj_plan = plan_rows(s, "objects", (asdict(o) for o in objects))
        write_plan(s, "objects", obj_plan, ts, Checkpoints(len(objects), progress, cancelled, grand_total=total))
        people = []
        for p in inspectors:
            d = asdict(p)
            d.pop("active")
            people.append(d)
        ins_plan = plan_rows(s, "inspectors", people)
        write_plan(s, "inspectors", ins_plan, ts,
                   Checkpoints(len(inspectors), progress, cancelled, offset=len(objects), grand_total=total))
        # Some officers have left: the demo shows the active flag at work.
        inactive = [p.badge_no for p in inspectors if not p.active]
        if inactive:
            s.execute(update(Inspector).where(Inspector.badge_no.in_(inactive))
                      .values(active=False, version=Inspector.version + 1))  # an edit bumps the version
        added = write_recusals(s, ({"badge_no": b, "credit_code": c, "reason": r} for b, c, r in recusals), ts,
                               Checkpoints(len(recusals), progress, cancelled,
                                           offset=len(objects) + len(inspectors), grand_total=total))
        counts = {"objects": len(obj_plan.new), "inspectors": len(ins_plan.new), "recusals": added}
        audit.append(s, user=actor, action="载入演示名录", entity="roster", detail=counts)
    return counts
