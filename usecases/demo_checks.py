"""Demo checks that were not drawn: 城关派出所's monthly hotel round (日常巡查) and a complaint (举报投诉) that found a
hazard, with its notice — so a new user sees the 来源 column, the 检查台账 and a complaint waiting for its reply."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from models.calendar_service import load_calendar
from models.check_service import CheckData, check_form, record_check
from models.db import Database
from models.inspection import Inspection
from models.inspection_service import CheckInput, HazardInput
from models.plan import Plan, PlanItem
from models.roster import InspectedObject, Inspector, ObjectType
from usecases.demo_inspections import DEMO_ITEM, FIRE_CLAUSE
from usecases.notice_issue import issue_notice

__all__ = ["load_demo_checks", "ROUND_UNIT", "COMPLAINT_REF"]

ROUND_UNIT = "城关派出所"
ROUND_HOTELS = 6            # hotels of the 辖区 visited so far this month
COMPLAINT_REF = "城关举〔{year}〕7号"


def _officers(session, unit: str) -> list[int]:
    ids = list(session.scalars(select(Inspector.id).where(Inspector.unit == unit, Inspector.active.is_(True))
                               .order_by(Inspector.badge_no)))
    if len(ids) < 2:
        ids += list(session.scalars(select(Inspector.id).where(Inspector.unit == "治安大队", Inspector.active.is_(True))
                                    .order_by(Inspector.badge_no)))
    return ids[:2]


def load_demo_checks(db: Database, actor: str = "演示数据", progress: Callable[[int, int], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> dict:
    """Record the round and the complaint (a second run adds nothing); returns counts."""
    today = date.today()
    with db.session() as s:
        if s.scalar(select(Inspection.id).where(Inspection.pick_id.is_(None)).limit(1)) is not None:
            return {"checks": 0, "rounds": 0, "complaints": 0, "notices": 0}
        cal = load_calendar(s)
        hotels = list(s.scalars(select(InspectedObject.id).join(ObjectType).where(
            ObjectType.name == "旅馆", InspectedObject.jurisdiction == ROUND_UNIT, InspectedObject.active.is_(True),
            InspectedObject.status == "在营").order_by(InspectedObject.id).limit(ROUND_HOTELS + 1)))
        officers = _officers(s, ROUND_UNIT)
        item_id = s.scalar(select(PlanItem.id).join(Plan).where(Plan.year == today.year, PlanItem.number == DEMO_ITEM))
    if len(hotels) < 2 or len(officers) < 2:
        return {"checks": 0, "rounds": 0, "complaints": 0, "notices": 0}
    counts = {"checks": 0, "rounds": 0, "complaints": 0, "notices": 0}
    total = len(hotels)
    # The round: the month's first working days, two or three hotels a day, nothing found.
    days = [cal.add_workdays(today, -n) for n in (4, 4, 3, 3, 2, 2)]
    for n, (object_id, day) in enumerate(zip(hotels[:-1], days), start=1):
        if cancelled is not None and cancelled():
            return counts
        with db.session() as s:
            record_check(s, CheckData(
                object_id=object_id, source="日常巡查", date_from=day, date_to=day, inspector_ids=officers,
                result_category="未发现问题", executing_unit=ROUND_UNIT, finished=True, finished_date=day,
                note="旅馆业每月监督检查"), actor)
        counts["checks"] += 1
        counts["rounds"] += 1
        if progress is not None:
            progress(n, total)
    # The complaint: a guest reported blocked fire exits; checked the next day with the hotel item's checklist.
    received = cal.add_workdays(today, -6)
    checked = cal.add_workdays(received, 1)
    with db.session() as s:
        form = check_form(s, hotels[-1], item_id)
        checks = [CheckInput(e, "不符合" if "消防" in text else "符合") for e, _seq, text in form.checklist]
        inspection_id = record_check(s, CheckData(
            object_id=hotels[-1], source="举报投诉", source_ref=COMPLAINT_REF.format(year=today.year),
            source_date=received, plan_item_id=item_id, date_from=checked, date_to=checked, inspector_ids=officers,
            result_category="发现问题待后续处理", result_subkind="违反公安部门相关规定", checks=checks,
            hazards=[HazardInput("安全出口被杂物堵塞", FIRE_CLAUSE)], executing_unit=ROUND_UNIT,
            follow_up="责令限期整改"), actor)
    counts["checks"] += 1
    counts["complaints"] += 1
    issued = cal.add_workdays(checked, 1)
    issue_notice(db, inspection_id, deadline=cal.add_workdays(issued, 10), issue_date=issued, actor=actor)
    counts["notices"] += 1
    if progress is not None:
        progress(total, total)
    return counts
