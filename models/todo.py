"""The clerk's to-do list (待办): notices to make or serve, deadlines coming up, re-inspections due, late ones first."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.calendar_service import deadline_warnings, load_calendar
from models.deadlines import SOON_DAYS, Status, serve_due
from models.inspection import Hazard, Inspection, RectificationNotice
from models.notice_followup import state_of
from models.workdays import format_cn_date

__all__ = ["TO_ISSUE", "TodoEntry", "todo_list", "todo_warnings"]

# Not a notice state: an inspection with hazards whose notice has not been made yet.
TO_ISSUE = "待制作通知书"
# What a clerk has to act on; 整改期内 and 已完结 need nothing.
_ACTIONABLE = {Status.TO_SERVE, Status.SERVE_OVERDUE, Status.DEADLINE_SOON, Status.TO_REINSPECT,
               Status.REINSPECT_OVERDUE}

# Same due day: make the notice before serving it, serve before re-inspecting.
_RANK = {TO_ISSUE: 0, Status.SERVE_OVERDUE.value: 1, Status.TO_SERVE.value: 2, Status.REINSPECT_OVERDUE.value: 3,
         Status.TO_REINSPECT.value: 4, Status.DEADLINE_SOON.value: 5}


@dataclass(frozen=True)
class TodoEntry:
    """One line of the to-do list; ``notice_id`` / ``inspection_id`` open the record."""

    kind: str            # a Status value, or TO_ISSUE
    label: str
    due: date | None
    overdue: bool
    unit_name: str
    doc_number: str
    notice_id: int | None
    inspection_id: int | None  # None: a drawn object not inspected yet (``pick_id`` says which)
    pick_id: int | None = None
    duty_id: int | None = None   # a routine duty falling due (opens its coverage)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "due": self.due.isoformat() if self.due else None,
                "overdue": self.overdue, "unit": self.unit_name, "doc_number": self.doc_number,
                "notice_id": self.notice_id, "inspection_id": self.inspection_id, "pick_id": self.pick_id,
                "duty_id": self.duty_id}


def _pending_issue(session: Session, today: date, cal) -> list[TodoEntry]:
    with_valid = select(RectificationNotice.inspection_id).where(RectificationNotice.voided.is_(False))
    rows = session.scalars(select(Inspection).where(
        Inspection.id.in_(select(Hazard.inspection_id)), Inspection.id.not_in(with_valid))
        .options(selectinload(Inspection.hazards)))
    entries = []
    from models.joint_visit import covered_by_joint_notice  # a joint visit needs one notice, not one per item

    covered = covered_by_joint_notice(session)
    for insp in rows:
        if insp.id in covered:
            continue
        due = serve_due(insp.date_to, cal)
        late = today > due
        label = (f"{TO_ISSUE}：发现{len(insp.hazards)}项隐患，"
                 + (f"应于{format_cn_date(due)}前送达，已逾期{(today - due).days}天" if late
                    else f"请于{format_cn_date(due)}前制作并送达"))
        entries.append(TodoEntry(TO_ISSUE, label, due, late, insp.inspected_object.name, "", None, insp.id))
    return entries


def todo_list(session: Session, today: date | None = None, soon_days: int = SOON_DAYS) -> list[TodoEntry]:
    """Everything due on ``today``: overdue first, then by due date.

    Covers inspections with hazards and no notice yet, notices to serve (and late
    serving), deadlines within ``soon_days`` days, and re-inspections due or late.
    """
    today = today or date.today()
    cal = load_calendar(session)
    entries = _pending_issue(session, today, cal)
    notices = session.scalars(select(RectificationNotice).where(RectificationNotice.voided.is_(False))
                              .options(selectinload(RectificationNotice.reinspections)))
    for notice in notices:
        if notice.reinspections:
            continue
        state = state_of(notice, today, cal)
        if state.status == Status.DEADLINE_SOON and (state.due - today).days > soon_days:
            continue
        if state.status not in _ACTIONABLE:
            continue
        entries.append(TodoEntry(state.status.value, state.label, state.due, state.overdue,
                                 notice.inspection.inspected_object.name, notice.doc_number, notice.id,
                                 notice.inspection_id))
    from models.enforcement_todo import enforcement_entries  # a failed 复查 stays until its next step is done

    entries += enforcement_entries(session, today)
    from models.check_reminders import reminder_entries  # drawn objects to inspect, complaints to answer

    entries += reminder_entries(session, today, soon_days, make=lambda kind, label, due, late, unit, iid, pid:
                                TodoEntry(kind, label, due, late, unit, "", None, iid, pid))
    from models.joint_todo import merge_joint_reminders  # 综合查一次: one line per joint task, not per item

    entries = merge_joint_reminders(session, today, entries, make=lambda kind, label, due, late, unit, pid:
                                    TodoEntry(kind, label, due, late, unit, "", None, None, pid))
    from models.duty_coverage import DUTY_DUE, due_this_week, due_label  # routine duties falling due this week

    entries += [TodoEntry(DUTY_DUE, due_label(g), g.end, False, g.group, "", None, None, duty_id=g.duty_id)
                for g in due_this_week(session, today)]
    entries.sort(key=lambda e: (not e.overdue, e.due or date.max, _RANK.get(e.kind, 9), e.unit_name))
    return entries


def todo_warnings(session: Session, entries: list[TodoEntry]) -> list[str]:
    """Calendar warnings for the due dates on the list (years without holiday data)."""
    return deadline_warnings(load_calendar(session), [e.due for e in entries])
