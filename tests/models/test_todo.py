"""Stories about the to-do list and the calendar behind it: what is due, what is late, holidays a clerk enters."""
from __future__ import annotations

from datetime import date

import pytest

from models.calendar_service import (
    CalendarError, add_override, list_overrides, load_calendar, remove_override, year_status,
)
from models.deadlines import Status
from models.notice_service import record_served, report_completion
from usecases.notice_issue import issue_notice, record_reinspection
from models.check_reminders import KINDS as REMINDER_KINDS
from models.todo import TO_ISSUE, todo_list
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record


@pytest.fixture
def world(db, tmp_path):
    world = drawn_world(db)
    insp = [record(db, p.pick_id, hazards=HAZARDS, day=date(2024, 9, 26)) for p in world["picks"]]
    world["inspections"] = insp
    world["notices"] = [issue_notice(db, i, deadline=date(2024, 10, 31), issue_date=date(2024, 9, 27),
                                     actor="内勤", out_dir=tmp_path).notice_id for i in insp[:2]]
    return world


def kinds(entries):
    return [(e.kind, e.overdue) for e in entries]


def test_the_list_shows_notices_to_serve_and_the_one_still_to_make(db, world):
    with db.session() as s:
        entries = todo_list(s, today=date(2024, 9, 29))
    # Inspection ended Thursday 09-26; Friday, Sunday 09-29 (调休 working day) and Monday 09-30.
    assert kinds(entries) == [(TO_ISSUE, False), (Status.TO_SERVE.value, False), (Status.TO_SERVE.value, False)]
    assert all(e.due == date(2024, 9, 30) for e in entries)
    assert entries[0].notice_id is None and entries[0].inspection_id == world["inspections"][2]
    assert entries[1].notice_id in world["notices"] and entries[1].doc_number.startswith("X公(治)限改字")


def test_late_serving_is_flagged_overdue_and_sorted_first(db, world):
    record_served(db, world["notices"][0], date(2024, 9, 30), "内勤")
    with db.session() as s:
        entries = todo_list(s, today=date(2024, 10, 8))
    assert [e.overdue for e in entries] == [True, True]
    assert "已逾期" in entries[0].label
    assert {e.notice_id for e in entries} == {None, world["notices"][1]}


def test_deadline_within_seven_days_then_reinspection_due_then_done(db, world, tmp_path):
    n = world["notices"][0]
    record_served(db, n, date(2024, 9, 30), "内勤")
    with db.session() as s:
        assert n not in {e.notice_id for e in todo_list(s, today=date(2024, 10, 20))}
        soon = [e for e in todo_list(s, today=date(2024, 10, 25)) if e.notice_id == n]
        assert soon[0].kind == Status.DEADLINE_SOON.value and "还剩6天" in soon[0].label
        due = [e for e in todo_list(s, today=date(2024, 11, 1)) if e.notice_id == n]
        assert due[0].kind == Status.TO_REINSPECT.value and due[0].due == date(2024, 11, 7)
        late = [e for e in todo_list(s, today=date(2024, 11, 8)) if e.notice_id == n]
        assert late[0].kind == Status.REINSPECT_OVERDUE.value and late[0].overdue
    report_completion(db, n, date(2024, 10, 10), "内勤")
    record_reinspection(db, n, date(2024, 10, 14), "已整改", "", "内勤", out_dir=tmp_path)
    with db.session() as s:
        assert n not in {e.notice_id for e in todo_list(s, today=date(2024, 11, 8))}


def test_holidays_entered_by_the_clerk_move_the_deadlines(db, world):
    with db.session() as s:
        add_override(s, date(2024, 9, 30), False, "假想停工日", "内勤")
    with db.session() as s:
        assert not load_calendar(s).is_workday(date(2024, 9, 30))
        entries = todo_list(s, today=date(2024, 9, 29))
        assert entries[0].due == date(2024, 10, 8)  # 09-30 off, 10-01..07 National Day
        remove_override(s, date(2024, 9, 30), "内勤")
    with db.session() as s:
        assert todo_list(s, today=date(2024, 9, 29))[0].due == date(2024, 9, 30)


def test_a_year_the_package_does_not_know_is_entered_by_hand(db):
    with db.session() as s:
        assert year_status(s, 2099) == "2099年节假日数据尚未录入，期限按周一至周五计算，请在“节假日”页录入"
        add_override(s, date(2099, 1, 1), False, "元旦", "内勤")
        add_override(s, date(2099, 1, 3), True, "元旦调休", "内勤")  # a Saturday
        cal = load_calendar(s)
        assert not cal.is_workday(date(2099, 1, 1)) and cal.is_workday(date(2099, 1, 3))
        assert cal.known_year(2099)
        assert [o.kind for o in list_overrides(s, 2099)] == ["放假", "调休上班"]
        assert "手工录入的 2 天" in year_status(s, 2099)
        assert "内置" in year_status(s, 2025)
        with pytest.raises(CalendarError, match="没有录入过"):
            remove_override(s, date(2099, 5, 1), "内勤")


def test_the_demo_database_has_notices_at_every_stage(db):
    from usecases.demo import load_demo
    from models.notice_service import list_notices

    counts = load_demo(db)["inspections"]
    assert counts == {"draws": 1, "picks": counts["picks"], "inspections": 8, "notices": 3, "served": 2,
                      "reinspections": 1}
    assert counts["picks"] >= 8
    with db.session() as s:
        # (less the demo's drawn objects not inspected and its complaint, whose reminders depend on today's date)
        kinds_now = {e.kind for e in todo_list(s)} - set(REMINDER_KINDS)
        numbers = [r[1] for r in sorted(list_notices(s), key=lambda r: r[0])]
    # 后续处理: the demo's failed 复查 whose 立案查处 waits for its case number (usecases/demo_enforcement.py).
    assert kinds_now == {TO_ISSUE, Status.SERVE_OVERDUE.value, Status.DEADLINE_SOON.value, "后续处理"}
    # After the three of the draw: the failed 复查's notice, and the demo complaint's (usecases/demo_checks.py),
    # a check that was not drawn — gapless, whichever demo steps are present.
    assert len(numbers) >= 4 and [n[-5:] for n in numbers] == [f"第{i:03d}号" for i in range(1, len(numbers) + 1)]
