"""The 辖区 world of the routine-duty stories made ready to print a round's 现场检查记录: a bureau name, officers with
执法证号, the 2023 and 2024 plans' hotel checklists and the monthly hotel duty stated as seed 003 says it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import settings
from models.duties import DutyData, add_duty
from models.plan import ChecklistEntry, Plan, PlanItem
from models.roster import InspectedObject, Inspector, ObjectType
from tests.models.duty_fixtures import duty_world

CITY = "城关派出所"
BASIS = "旅馆业要求每月对辖区所有旅馆进行1次监督检查"
OLD_CHECKLIST = ["（2023年）是否登记旅客"]
CHECKLIST = ["是否按规定登记旅客身份信息", "视频监控录像是否保存30日以上", "消防通道是否畅通"]
MAY_20 = date(2024, 5, 20)


def hotel_plan(db, year: int, checklist: list[str]) -> None:
    with db.session() as s:
        hotel = s.scalar(select(ObjectType).where(ObjectType.name == "旅馆"))
        plan = Plan(year=year, bureau="沂源县公安局")
        item = PlanItem(number="1", item="对旅馆业的检查", object_types=[hotel])
        item.checklist = [ChecklistEntry(seq=n, text=t) for n, t in enumerate(checklist, start=1)]
        plan.items = [item]
        s.add(plan)


def round_world(db) -> dict:
    """The 辖区 world, a bureau name, officers with 执法证号, the 2023 and 2024 plans' hotel checklists, and the
    monthly hotel duty stated as the seed says it."""
    w = duty_world(db)
    with db.session() as s:
        settings.set(s, "bureau_name", "沂源县公安局", "内勤")
        for inspector in s.scalars(select(Inspector)):
            inspector.cert_no = f"鲁公执字{inspector.badge_no}"
        for obj in s.scalars(select(InspectedObject)):
            obj.address, obj.legal_rep = f"城关镇{obj.id}号", f"负责人{obj.id}"
        w["monthly"] = add_duty(s, DutyData("旅馆", "每月", basis=BASIS), "治安大队")
    hotel_plan(db, 2023, OLD_CHECKLIST)
    hotel_plan(db, 2024, CHECKLIST)
    return w


