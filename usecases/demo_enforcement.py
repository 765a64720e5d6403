"""Demo of what follows when a unit does not rectify: a hotel whose 复查 found the hazard still there, with a
立案查处 still waiting for its case number and a 抄告函 sent to the fire brigade (models.enforcement)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select

from models.calendar_service import load_calendar
from models.db import Database
from models.draw_service import effective_picks
from models.inspection import Inspection
from models.inspection_service import record_inspection
from models.notice_service import record_served
from models.supervision import EnforcementStep
from usecases.demo_inspections import DEMO_ITEM, FIRE_CLAUSE, _data
from usecases.enforcement import record_step
from usecases.notice_issue import issue_notice, record_reinspection

__all__ = ["load_demo_enforcement", "DEMO_DEPARTMENT"]

HAZARDS = [("安全出口被锁闭", FIRE_CLAUSE)]
DEMO_DEPARTMENT = "县消防救援大队"
# Working days before today: the check, the notice (after the demo's other notices, so the numbers run with
# the calendar), serving, the failed 复查, and the two next steps.
ENDED, ISSUED, SERVED, REVIEWED, STEPS = 8, 7, 6, 3, 2


def load_demo_enforcement(db: Database, actor: str = "演示数据",
                          progress: Callable[[int, int], None] | None = None,
                          cancelled: Callable[[], bool] | None = None) -> dict:
    """Inspect the next drawn hotel not yet inspected, find its fire exit locked, and follow it through a
    failed 复查 to a 立案查处 (case number not entered yet: on the to-do list) and a 抄告函 to the fire brigade.
    Returns counts; a second run adds nothing."""
    counts = {"failed_reviews": 0, "steps": 0, "letters": 0}
    today = date.today()
    with db.session() as s:
        if s.scalar(select(EnforcementStep.id).limit(1)) is not None:
            return counts
        cal = load_calendar(s)
        done = set(s.scalars(select(Inspection.pick_id)))
        pick = next((p for p in effective_picks(s, today.year)
                     if p.item_number == DEMO_ITEM and p.pick_id not in done), None)
    if pick is None or (cancelled is not None and cancelled()):
        return counts
    ended = cal.add_workdays(today, -ENDED)
    with db.session() as s:
        inspection_id = record_inspection(s, _data(db, pick.pick_id, ended, HAZARDS), actor)
    issued = cal.add_workdays(today, -ISSUED)
    notice = issue_notice(db, inspection_id, deadline=issued + timedelta(days=5), issue_date=issued, actor=actor)
    record_served(db, notice.notice_id, cal.add_workdays(today, -SERVED), actor)
    record_reinspection(db, notice.notice_id, cal.add_workdays(today, -REVIEWED), "未整改",
                        "安全出口仍上锁，值班人员称钥匙由老板保管", actor)
    counts["failed_reviews"] += 1
    if progress is not None:
        progress(1, 3)
    stepped = cal.add_workdays(today, -STEPS)
    record_step(db, notice.notice_id, "立案查处", step_date=stepped, actor=actor,
                note="拒不整改治安隐患，报请立案")
    counts["steps"] += 1
    if progress is not None:
        progress(2, 3)
    record_step(db, notice.notice_id, "通报抄告", step_date=stepped, department=DEMO_DEPARTMENT, actor=actor,
                note="请贵单位依照消防监管职责对该单位依法检查处理，并将处理情况函告我局")
    counts["steps"] += 1
    counts["letters"] += 1
    if progress is not None:
        progress(3, 3)
    return counts
