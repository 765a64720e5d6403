"""After a notice is issued: serving it, extending the deadline, the unit's report and the 复查 record.

The 复查意见书 itself is written by usecases.notice_issue, inside the transaction begun here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from models import audit
from models import settings as app_settings
from models.calendar_service import deadline_warnings, load_calendar
from models.db import Database
from models.deadlines import (
    RectifyRule, TodoState, check_extension, max_extended_deadline, max_rectify_deadline, reinspect_due,
    reinspect_trigger, serve_due, todo_state,
)
from models.inspection import REINSPECTION_RESULTS, RectificationNotice, Reinspection
from models.notice_common import NoticeError, get_notice, plan_item_of, rectify_rule_for
from models.text import REASON_MAX, limited
from models.workdays import WorkCalendar, format_cn_date

__all__ = [
    "record_served", "extend_deadline", "report_completion", "begin_reinspection", "finish_reinspection",
    "ReviewResult", "NoticeDetail", "notice_detail", "state_of",
]


def _usable(notice: RectificationNotice) -> None:
    if notice.voided:
        raise NoticeError(f"通知书 {notice.doc_number} 已作废，不能再办理")


def _not_future(d: date, what: str) -> None:
    if not isinstance(d, date):
        raise NoticeError(f"{what}无效：请按 YYYY-MM-DD 填写")
    if d > date.today():
        raise NoticeError(f"{what}（{format_cn_date(d)}）晚于今天")


def _served(notice: RectificationNotice) -> date:
    if notice.served_date is None:
        raise NoticeError(f"通知书 {notice.doc_number} 尚未送达，请先登记送达")
    return notice.served_date


def record_served(db: Database, notice_id: int, served: date, actor: str) -> list[str]:
    """Record the day the notice was served; returns warnings (served late, unknown holidays)."""
    with db.session() as s:
        notice = get_notice(s, notice_id)
        _usable(notice)
        _not_future(served, "送达日期")
        if served < notice.issue_date:
            raise NoticeError(f"送达日期（{format_cn_date(served)}）"
                              f"早于签发日期（{format_cn_date(notice.issue_date)}）")
        deadline = notice.extended_deadline or notice.deadline
        if deadline <= served:
            raise NoticeError(f"整改期限（{format_cn_date(deadline)}）不晚于送达日期，通知书已无意义；"
                              "请作废后重新制作")
        cal = load_calendar(s)
        due = serve_due(notice.inspection.date_to, cal)
        warnings = deadline_warnings(cal, [due])
        if served > due:
            warnings.append(f"送达逾期：应于{format_cn_date(due)}前送达，实际{format_cn_date(served)}送达")
        old = notice.served_date
        notice.served_date = served
        s.flush()
        audit.append(s, user=actor, action="登记送达", entity="notice", entity_id=notice.id,
                     detail={"文号": notice.doc_number, "送达日期": served.isoformat(),
                             "原送达日期": old.isoformat() if old else None})
        return warnings


def extend_deadline(db: Database, notice_id: int, new_deadline: date, reason: str, actor: str) -> list[str]:
    """Extend the rectification deadline as the item's rule allows (e.g. once, to 30 days); returns warnings."""
    with db.session() as s:
        notice = get_notice(s, notice_id)
        _usable(notice)
        served = _served(notice)
        reason = limited(reason, "延长整改期限的原因", REASON_MAX, error=NoticeError)
        if not reason:
            raise NoticeError("延长整改期限必须填写原因（例如：单位书面申请，经负责人批准）")
        if notice.reinspections:
            raise NoticeError(f"通知书 {notice.doc_number} 已经复查，不能再延长整改期限")
        item = plan_item_of(s, notice.inspection)
        rule = rectify_rule_for(s, item.id if item else None)
        cal = load_calendar(s)
        problem = check_extension(served, new_deadline, rule,
                                  current_deadline=notice.extended_deadline or notice.deadline,
                                  extensions_used=1 if notice.extended_deadline else 0, cal=cal)
        if problem:
            raise NoticeError(problem)
        old = notice.extended_deadline or notice.deadline
        notice.extended_deadline = new_deadline
        s.flush()
        audit.append(s, user=actor, action="延长整改期限", entity="notice", entity_id=notice.id,
                     detail={"文号": notice.doc_number, "原期限": old.isoformat(),
                             "新期限": new_deadline.isoformat(), "原因": reason})
        return deadline_warnings(cal, [new_deadline, reinspect_due(new_deadline, cal)])


def report_completion(db: Database, notice_id: int, reported: date, actor: str) -> list[str]:
    """Record the unit's report that it has rectified; re-inspection is due from that day."""
    with db.session() as s:
        notice = get_notice(s, notice_id)
        _usable(notice)
        served = _served(notice)
        _not_future(reported, "报告整改完毕日期")
        if reported < served:
            raise NoticeError(f"报告整改完毕日期（{format_cn_date(reported)}）早于送达日期（{format_cn_date(served)}）")
        notice.completion_reported = reported
        s.flush()
        audit.append(s, user=actor, action="登记整改完毕报告", entity="notice", entity_id=notice.id,
                     detail={"文号": notice.doc_number, "报告日期": reported.isoformat()})
        cal = load_calendar(s)
        deadline = notice.extended_deadline or notice.deadline
        return deadline_warnings(cal, [reinspect_due(reinspect_trigger(deadline, reported), cal)])


@dataclass
class ReviewResult:
    """A re-inspection just recorded: its id, the 复查意见书 number and file, and warnings."""

    reinspection_id: int
    doc_number: str
    path: Path
    warnings: list[str] = field(default_factory=list)


def _next_review_number(session: Session, year: int) -> str:
    # Reinspections are never deleted, so counting the year's rows gives a gapless sequence;
    # the write lock held by the caller keeps two clerks from counting at once.
    seq = (session.scalar(select(func.count(Reinspection.id)).where(extract("year", Reinspection.date) == year))
           or 0) + 1
    from models.doc_numbers import issued_floor  # numbers issued before a restore stay used

    seq = max(seq, issued_floor(session, "review", year) + 1)
    while True:
        number = app_settings.doc_number(session, "review", year, seq)
        if session.scalar(select(Reinspection.id).where(Reinspection.doc_number == number)) is None:
            return number
        seq += 1


def begin_reinspection(session: Session, notice_id: int, review_date: date, result: str, note: str,
                       actor: str) -> Reinspection:
    """Check the 复查 may be recorded, then add its row under the next 复查意见书 number.

    Runs in the caller's write transaction.
    """
    notice = get_notice(session, notice_id)
    _usable(notice)
    served = _served(notice)
    _not_future(review_date, "复查日期")
    if result not in REINSPECTION_RESULTS:
        raise NoticeError(f"复查结果应为{'、'.join(REINSPECTION_RESULTS)}之一，收到“{result}”")
    if review_date < served:
        raise NoticeError(f"复查日期（{format_cn_date(review_date)}）早于送达日期（{format_cn_date(served)}）")
    if any(r.result == REINSPECTION_RESULTS[0] for r in notice.reinspections):
        raise NoticeError(f"通知书 {notice.doc_number} 已复查为“已整改”，无需再次复查")
    number = _next_review_number(session, review_date.year)
    row = Reinspection(notice_id=notice.id, date=review_date, result=result, note=(note or "").strip(),
                       doc_number=number, created_by=actor or "")
    session.add(row)
    session.flush()
    return row


def finish_reinspection(session: Session, row: Reinspection, path: Path, actor: str) -> ReviewResult:
    """Record the written 复查意见书 on the row, close the inspection when rectified, audit, and warn if late."""
    notice = row.notice
    insp = notice.inspection
    review_date = row.date
    row.file_path = str(path)
    if row.result == REINSPECTION_RESULTS[0]:
        insp.finished = True
        insp.finished_date = review_date
    session.flush()
    audit.append(session, user=actor, action="登记复查", entity="notice", entity_id=notice.id,
                 detail={"文号": notice.doc_number, "复查文号": row.doc_number, "复查日期": review_date.isoformat(),
                         "结果": row.result, "说明": row.note, "文件": str(path)})
    cal = load_calendar(session)
    due = reinspect_due(reinspect_trigger(notice.extended_deadline or notice.deadline,
                                          notice.completion_reported), cal)
    warnings = []
    if review_date > due:
        warnings.append(f"复查逾期：应于{format_cn_date(due)}前复查")
    return ReviewResult(row.id, row.doc_number, path, warnings)


def state_of(notice: RectificationNotice, today: date, cal: WorkCalendar) -> TodoState:
    """The to-do state of a (not voided) notice on ``today``."""
    if notice.reinspections and notice.reinspections[-1].result == REINSPECTION_RESULTS[1]:
        from models.enforcement import unrectified_state  # a failed 复查 does not close the matter

        return unrectified_state(notice, today)
    last = notice.reinspections[-1].date if notice.reinspections else None
    return todo_state(today, cal, inspection_end=notice.inspection.date_to, served=notice.served_date,
                      deadline=notice.extended_deadline or notice.deadline, reported=notice.completion_reported,
                      reinspected=last)


class ReinspectionRow(NamedTuple):
    """复查 — one re-inspection of a notice, with its 复查意见书."""

    date: date
    result: str
    note: str
    doc_number: str
    id: int
    file_path: str


@dataclass
class NoticeDetail:
    """One notice with every date that follows from it, for the record screen."""

    id: int
    doc_number: str
    unit_name: str
    inspection_id: int
    inspection_end: date
    issue_date: date
    served_date: date | None
    deadline: date
    extended_deadline: date | None
    completion_reported: date | None
    legal_basis: str
    voided: bool
    void_reason: str
    file_path: str
    hazards: list[tuple[str, str]]
    rule: RectifyRule
    rule_text: str
    serve_due: date
    max_deadline: date | None          # from the served (or issue) date
    max_extension: date | None
    reinspect_due: date | None
    state: TodoState | None
    reinspections: list[ReinspectionRow]
    warnings: list[str]


def notice_detail(session: Session, notice_id: int, today: date | None = None) -> NoticeDetail:
    """Everything the notice screen shows, with the computed deadlines and calendar warnings."""
    from models.notice_common import describe_rule

    today = today or date.today()
    notice = get_notice(session, notice_id)
    insp = notice.inspection
    item = plan_item_of(session, insp)
    rule = rectify_rule_for(session, item.id if item else None)
    cal = load_calendar(session)
    start = notice.served_date or notice.issue_date
    deadline = notice.extended_deadline or notice.deadline
    due_review = reinspect_due(reinspect_trigger(deadline, notice.completion_reported), cal)
    s_due = serve_due(insp.date_to, cal)
    return NoticeDetail(
        id=notice.id, doc_number=notice.doc_number, unit_name=insp.inspected_object.name, inspection_id=insp.id,
        inspection_end=insp.date_to, issue_date=notice.issue_date, served_date=notice.served_date,
        deadline=notice.deadline, extended_deadline=notice.extended_deadline,
        completion_reported=notice.completion_reported, legal_basis=notice.legal_basis, voided=notice.voided,
        void_reason=notice.void_reason, file_path=notice.file_path,
        hazards=[(h.text, h.clause) for h in insp.hazards], rule=rule, rule_text=describe_rule(rule),
        serve_due=s_due, max_deadline=max_rectify_deadline(start, rule, cal),
        max_extension=max_extended_deadline(start, rule, cal), reinspect_due=due_review,
        state=None if notice.voided else state_of(notice, today, cal),
        reinspections=[ReinspectionRow(r.date, r.result, r.note, r.doc_number, r.id, r.file_path)
                       for r in notice.reinspections],
        warnings=deadline_warnings(cal, [s_due, deadline, due_review]))
