"""After a notice is issued: serving it, extending the deadline, the unit's report, the 复查 and its 复查意见书."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

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
from models.notice_common import (
    NoticeError, bureau_name_for, default_out_dir, get_notice, plan_item_of, rectify_rule_for, safe_filename,
    with_retry, write_transaction,
)
from models.workdays import WorkCalendar, format_cn_date
from reports.notice_docs import REVIEW_TEMPLATE, find_template, render_review, review_context

__all__ = [
    "record_served", "extend_deadline", "report_completion", "record_reinspection", "ReviewResult",
    "NoticeDetail", "notice_detail", "state_of", "render_existing_review",
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
            raise NoticeError(f"送达日期（{format_cn_date(served)}）早于签发日期（{format_cn_date(notice.issue_date)}）")
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
        reason = (reason or "").strip()
        if not reason:
            raise NoticeError("延长整改期限必须填写原因（例如：单位书面申请，经负责人批准）")
        if notice.reinspections:
            raise NoticeError(f"通知书 {notice.doc_number} 已经复查，不能再延长整改期限")
        item = plan_item_of(s, notice.inspection)
        rule = rectify_rule_for(s, item.id if item else None)
        cal = load_calendar(s)
        problem = check_extension(served, new_deadline, rule, current_deadline=notice.extended_deadline or notice.deadline,
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
    while True:
        number = app_settings.doc_number(session, "review", year, seq)
        if session.scalar(select(Reinspection.id).where(Reinspection.doc_number == number)) is None:
            return number
        seq += 1


def _reinspect_in(session: Session, notice_id: int, review_date: date, result: str, note: str, actor: str,
                  inspectors: list[str] | None, out_dir) -> ReviewResult:
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
    insp = notice.inspection
    unit = insp.inspected_object.name
    number = _next_review_number(session, review_date.year)
    row = Reinspection(notice_id=notice.id, date=review_date, result=result, note=(note or "").strip(),
                       doc_number=number, created_by=actor or "")
    session.add(row)
    session.flush()
    rectified = result == REINSPECTION_RESULTS[0]
    out = Path(out_dir or default_out_dir("复查意见书", review_date.year)) / safe_filename(number, unit)
    path = _render_review(session, row, out, inspectors)
    row.file_path = str(path)
    if rectified:
        insp.finished = True
        insp.finished_date = review_date
    session.flush()
    audit.append(session, user=actor, action="登记复查", entity="notice", entity_id=notice.id,
                 detail={"文号": notice.doc_number, "复查文号": number, "复查日期": review_date.isoformat(),
                         "结果": result, "说明": row.note, "文件": str(path)})
    cal = load_calendar(session)
    due = reinspect_due(reinspect_trigger(notice.extended_deadline or notice.deadline,
                                          notice.completion_reported), cal)
    warnings = []
    if review_date > due:
        warnings.append(f"复查逾期：应于{format_cn_date(due)}前复查")
    return ReviewResult(row.id, number, path, warnings)


def _render_review(session: Session, row: Reinspection, out: Path, inspectors: list[str] | None = None) -> Path:
    notice = row.notice
    insp = notice.inspection
    rectified = row.result == REINSPECTION_RESULTS[0]
    ctx = review_context(
        bureau_name=bureau_name_for(session, plan_item_of(session, insp)), doc_number=row.doc_number,
        notice_number=notice.doc_number, unit_name=insp.inspected_object.name,
        notice_date=notice.served_date or notice.issue_date, review_date=row.date,
        inspectors=inspectors or [i.inspector.name for i in insp.inspectors],
        hazards=[(h.text, rectified) for h in insp.hazards], issue_date=row.date)
    if row.note:
        ctx["conclusion"] = f"{ctx['conclusion']}{row.note.rstrip('。')}。"
    return render_review(find_template(REVIEW_TEMPLATE, app_settings.template_dir(session)), ctx, out)


def render_existing_review(db: Database, reinspection_id: int) -> Path:
    """The 复查意见书 of a recorded 复查: its stored file, or written again (same number) when it was moved."""
    with db.session() as s:
        row = s.get(Reinspection, reinspection_id)
        if row is None:
            raise NoticeError(f"没有编号为 {reinspection_id} 的复查记录")
        if row.file_path and Path(row.file_path).is_file():
            return Path(row.file_path)
        out = Path(row.file_path) if row.file_path else default_out_dir("复查意见书", row.date.year) / safe_filename(
            row.doc_number, row.notice.inspection.inspected_object.name)
        path = _render_review(s, row, out)
        row.file_path = str(path)
        return path


def record_reinspection(db: Database, notice_id: int, review_date: date, result: str, note: str, actor: str, *,
                        inspectors: list[str] | None = None,
                        out_dir: str | os.PathLike | None = None) -> ReviewResult:
    """Record the 复查 (已整改 / 未整改) under its own 复查意见书 number and write that document."""
    def attempt() -> ReviewResult:
        with write_transaction(db) as s:
            return _reinspect_in(s, notice_id, review_date, result, note, actor, inspectors, out_dir)
    return with_retry(attempt)


def state_of(notice: RectificationNotice, today: date, cal: WorkCalendar) -> TodoState:
    """The to-do state of a (not voided) notice on ``today``."""
    last = notice.reinspections[-1].date if notice.reinspections else None
    return todo_state(today, cal, inspection_end=notice.inspection.date_to, served=notice.served_date,
                      deadline=notice.extended_deadline or notice.deadline, reported=notice.completion_reported,
                      reinspected=last)


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
    reinspections: list[tuple[date, str, str, str, int, str]]  # (date, result, note, 复查文号, id, file)
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
        reinspections=[(r.date, r.result, r.note, r.doc_number, r.id, r.file_path) for r in notice.reinspections],
        warnings=deadline_warnings(cal, [s_due, deadline, due_review]))
