"""Demo 综合查一次: this year's three 网安 items on 互联网联网单位 form one 综合查一次 group; their draws pick a few
units for two or more items, which are grouped into joint tasks automatically. One of them has been visited
once by the joint team (a hazard under one item), with its one notice; the others wait for their visit."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from models.calendar_service import load_calendar
from models.db import Database
from models.draw_history import effective_picks
from models.draw_service import draw_sealed, prepare_draw
from models.inspection_service import CheckInput, HazardInput
from models.joint import JointTask
from models.joint_service import group_automatically, list_tasks
from models.joint_visit import JointItemResult, JointVisitData, joint_visit_form, record_joint_visit
from models.plan import Plan, PlanItem
from models.seal_service import seal
from usecases.demo_inspections import DEMO_ENTROPY, DEMO_WITNESSES

__all__ = ["load_demo_joint", "JOINT_ITEMS", "JOINT_GROUP"]

JOINT_ITEMS = ("8", "9", "10")   # 计算机信息系统安全保护 / 国际联网安全保护 / 网络安全风险隐患 — all on 互联网联网单位
JOINT_GROUP = "网安综合查一次"
# The 网安大队 checks a third of the year's units per item this year (beyond the plan's 5%), so a few units are
# drawn for two or three items: those are the ones visited once.
JOINT_SIZE = 15
DRAW_WORKDAYS_AGO = 30
VISIT_WORKDAYS_AGO = 20
HAZARD = ("未按规定留存网络日志不少于六十日", "《中华人民共和国网络安全法》第二十一条")


def _draw(db: Database, year: int, number: str, drawn: datetime, actor: str) -> None:
    with db.session() as s:
        prep = prepare_draw(s, year, number, size_override=JOINT_SIZE)
    if prep.problems:
        return  # a roster without enough 网安 officers or units: the demo simply has no joint tasks
    ann = seal(db, prep, entropy_source="见证人在网安大队会议室现场报数并掷骰子", operator=actor,
               clock=lambda: drawn - timedelta(hours=1))
    draw_sealed(db, ann.year, ann.number, entropy=DEMO_ENTROPY, witnesses=DEMO_WITNESSES, place="网安大队会议室",
                operator=actor, clock=lambda: drawn)


def load_demo_joint(db: Database, actor: str = "演示数据", progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> dict:
    """Mark the group, draw its items, group automatically, record one visit and its notice; a second run adds
    nothing. Returns {"tasks": n, "visited": n}."""
    from usecases.joint_notice import issue_joint_notice

    today = date.today()
    year = today.year
    with db.session() as s:
        items = list(s.scalars(select(PlanItem).join(Plan, Plan.id == PlanItem.plan_id)
                               .where(Plan.year == year, PlanItem.number.in_(JOINT_ITEMS))))
        if len(items) < len(JOINT_ITEMS) or s.scalar(select(JointTask.id).limit(1)) is not None:
            return {"tasks": 0, "visited": 0}
        for item in items:
            item.joint_group = JOINT_GROUP
        drawn_items = {p.item_number for p in effective_picks(s, year, with_inspectors=False)}
        cal = load_calendar(s)
    drawn = datetime.combine(cal.add_workdays(today, -DRAW_WORKDAYS_AGO), time(9, 30))
    for n, number in enumerate(JOINT_ITEMS, start=1):
        if cancelled is not None and cancelled():
            return {"tasks": 0, "visited": 0}
        if number not in drawn_items:
            _draw(db, year, number, drawn + timedelta(minutes=20 * n), actor)
        if progress is not None:
            progress(n, len(JOINT_ITEMS) + 1)
    with db.session() as s:  # the draws grouped them as they were made (models.draw_service); anything left now
        group_automatically(s, year, actor)
        created = [t.task_id for t in sorted(list_tasks(s, year), key=lambda t: t.task_id)]
    visited = 0
    if created:
        day = cal.add_workdays(today, -VISIT_WORKDAYS_AGO)
        with db.session() as s:
            form = joint_visit_form(s, created[0])
        results = []
        for n, one in enumerate(form.forms):
            bad = n == 0
            results.append(JointItemResult(
                one.pick_id, "发现问题已责令改正" if bad else "未发现问题",
                checks=[CheckInput(e, "不符合" if bad and k == 0 else "符合") for k, (e, _q, _t) in
                        enumerate(one.checklist)],
                hazards=[HazardInput(*HAZARD)] if bad else [], result_subkind="违反公安部门相关规定" if bad else "",
                follow_up="责令限期整改" if bad else ""))
        with db.session() as s:
            record_joint_visit(s, JointVisitData(created[0], day, day, list(form.team_ids), results,
                                                 executing_unit=form.detail.lead_unit), actor)
        issue_joint_notice(db, created[0], issue_date=cal.add_workdays(day, 1), actor=actor)
        visited = 1
    if progress is not None:
        progress(len(JOINT_ITEMS) + 1, len(JOINT_ITEMS) + 1)
    return {"tasks": len(created), "visited": visited}
