"""Demo inspections: a real draw of this year's hotel item, finished inspections, hazards and notices at every stage."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from models.calendar_service import load_calendar
from models.db import Database
from models.draw_service import draw_sealed, effective_picks, prepare_draw
from models.seal_service import seal
from models.inspection import Inspection
from models.inspection_service import CheckInput, HazardInput, InspectionData, inspection_form, record_inspection
from models.notice_service import record_served, report_completion
from usecases.notice_issue import issue_notice, record_reinspection

__all__ = ["load_demo_inspections", "DEMO_ITEM", "DEMO_ENTROPY", "DEMO_WITNESSES"]

DEMO_ITEM = "1"  # 对宾馆、旅店取得许可证及治安安全情况的检查 in the demo plan
DEMO_ENTROPY = ["演示 17 42 08", "骰子 3 5 6 1"]
DEMO_WITNESSES = ["王建国（纪检监督员）", "李秀英（群众代表）"]
DEMO_PARTNER_GAP = "住房城乡建设部门本次未派员，经分管局领导同意由治安大队先行检查"
CLAUSE = "《旅馆业治安管理办法》第六条"
FIRE_CLAUSE = "《中华人民共和国消防法》第二十八条"

# (working days before today the inspection ended, hazards, what happens to the notice)
# Notices are issued in date order so their numbers run with the calendar, as on paper.
PLAN = [
    (35, [("消防通道堆放杂物", FIRE_CLAUSE)], "reinspected"),
    (30, [("监控录像保存不足30日", CLAUSE)], "served"),
    (8, [("未按规定登记旅客身份信息", CLAUSE)], "unserved"),
    (1, [("监控录像保存不足30日", CLAUSE), ("未按规定登记旅客身份信息", CLAUSE)], "none"),
    (12, [], ""), (11, [], ""), (9, [], ""), (6, [], ""),
]

DRAW_WORKDAYS_AGO = 40  # before the earliest demo inspection (35 working days ago)


def _picks(db: Database, year: int, actor: str):
    """This year's hotel-item picks, and whether this call drew them."""
    with db.session() as s:
        picks = effective_picks(s, year)
    picks = [p for p in picks if p.item_number == DEMO_ITEM]
    if picks:
        return picks, False
    with db.session() as s:
        # The hotel item is 部门联合 with "住房城乡建设等相关部门", who have no officers on the demo roster: the
        # draw records why it went police-only (sealed, and shown in the 抽查任务公示).
        prep = prepare_draw(s, year, DEMO_ITEM, partner_gap_reason=DEMO_PARTNER_GAP)
        cal = load_calendar(s)
    # The demo's inspections lie weeks back, so its draw must come before them.
    drawn = datetime.combine(cal.add_workdays(date.today(), -DRAW_WORKDAYS_AGO), time(9, 30))
    # Sealed an hour before the draw, as a bureau posts the 抽取公告 before the witnesses arrive.
    ann = seal(db, prep, entropy_source="见证人在治安大队会议室现场报数并掷骰子", operator=actor,
               clock=lambda: drawn - timedelta(hours=1))
    draw_sealed(db, ann.year, ann.number, entropy=DEMO_ENTROPY, witnesses=DEMO_WITNESSES, place="治安大队会议室",
                operator=actor, clock=lambda: drawn)
    with db.session() as s:
        return [p for p in effective_picks(s, year) if p.item_number == DEMO_ITEM], True


def _data(db: Database, pick_id: int, ended: date, hazards: list[tuple[str, str]]) -> InspectionData:
    with db.session() as s:
        form = inspection_form(s, pick_id)
    bad = "不符合" if hazards else "符合"
    checks = [CheckInput(entry_id, bad if n == 0 else "符合", "见隐患清单" if hazards and n == 0 else "")
              for n, (entry_id, _seq, _text) in enumerate(form.checklist)]
    return InspectionData(
        pick_id=pick_id, date_from=ended, date_to=ended, inspector_ids=[i for i, _n, _u in form.drawn],
        result_category="发现问题待后续处理" if hazards else "未发现问题",
        result_subkind="违反公安部门相关规定" if hazards else "", checks=checks,
        hazards=[HazardInput(t, c) for t, c in hazards], method="实地检查",
        follow_up="责令限期整改" if hazards else "", finished=not hazards,
        finished_date=None if hazards else ended, executing_unit="治安大队")


def load_demo_inspections(db: Database, actor: str = "演示数据",
                          progress: Callable[[int, int], None] | None = None,
                          cancelled: Callable[[], bool] | None = None) -> dict:
    """Draw this year's hotel item and record inspections whose notices are at every stage of follow-up.

    One notice is served and rectifying, one is late for serving, one has been re-inspected,
    and one inspection with hazards still waits for its notice, so a new user sees a to-do
    list and can produce a notice at once. Returns counts; a second run adds nothing.
    """
    today = date.today()
    picks, drew = _picks(db, today.year, actor)
    with db.session() as s:
        cal = load_calendar(s)
        done_picks = set(s.scalars(select(Inspection.pick_id)))
    counts = {"draws": int(drew), "picks": len(picks) if drew else 0, "inspections": 0, "notices": 0,
              "served": 0, "reinspections": 0}
    steps = list(zip(picks, PLAN))
    for n, (pick, (ago, hazards, fate)) in enumerate(steps, start=1):
        if cancelled is not None and cancelled():
            break
        if pick.pick_id in done_picks:
            continue
        ended = cal.add_workdays(today, -ago)
        with db.session() as s:
            inspection_id = record_inspection(s, _data(db, pick.pick_id, ended, hazards), actor)
        counts["inspections"] += 1
        if fate in ("served", "unserved", "reinspected"):
            issued = cal.add_workdays(ended, 1)
            deadline = today + timedelta(days=5) if fate == "served" else issued + timedelta(days=15)
            notice = issue_notice(db, inspection_id, deadline=deadline, issue_date=issued, actor=actor)
            counts["notices"] += 1
            if fate != "unserved":
                served = cal.add_workdays(ended, 2)
                record_served(db, notice.notice_id, served, actor)
                counts["served"] += 1
            if fate == "reinspected":
                reported = served + timedelta(days=10)
                report_completion(db, notice.notice_id, reported, actor)
                record_reinspection(db, notice.notice_id, cal.add_workdays(reported, 2), "已整改",
                                    "杂物已清理，消防通道畅通", actor)
                counts["reinspections"] += 1
        if progress is not None:
            progress(n, len(steps))
    return counts
