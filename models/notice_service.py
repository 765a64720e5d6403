"""责令限期整改治安隐患通知书, the domain rules.

Gapless per-year numbers, issue checks, voiding and the follow-up steps.

A number is consumed only when its notice row commits: begin_issue reads the number and
writes the row inside a write-locked transaction that usecases.notice_issue holds open while
it renders the .docx, then finish_issue completes the row, so a template error rolls the
number back. A voided notice keeps its number on record.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models import settings as app_settings
from models.calendar_service import deadline_warnings, load_calendar
from models.db import Database
from models.deadlines import SERVE_WORKDAYS, check_rectify_deadline, serve_due
from models.inspection import Inspection, RectificationNotice
from models.notice_common import (  # noqa: F401 - re-exported: the notice API lives here
    DEFAULT_LEGAL_BASIS, RULE_PRESETS, NoticeError, bureau_name_for, default_deadline, default_out_dir, describe_rule,
    get_notice, plan_item_of, rectify_rule_for, safe_filename, set_rectify_rule, with_retry, write_transaction,
)
from models.workdays import WorkCalendar, format_cn_date

__all__ = [
    "NoticeError", "NoticeResult", "IssueDraft", "RULE_PRESETS", "DEFAULT_LEGAL_BASIS", "begin_issue",
    "finish_issue", "void_in", "void_notice", "next_seq", "numbering_gaps", "list_notices", "valid_notice_of",
    "rectify_rule_for", "set_rectify_rule", "describe_rule", "default_deadline", "suggested_deadline",
    "record_served", "extend_deadline", "report_completion", "begin_reinspection", "finish_reinspection",
    "notice_detail", "NoticeDetail", "ReviewResult", "NoticeRow",
]


class NoticeRow(NamedTuple):
    """责令限期整改治安隐患通知书 — one notice in the list, voided ones too."""

    notice_id: int
    doc_number: str
    unit_name: str
    issue_date: date
    served_date: date | None
    deadline: date                # the deadline in force (extended, if it was)
    status_label: str
    overdue: bool
    voided: bool
    file_path: str
    inspection_id: int


@dataclass
class NoticeResult:
    """A notice just issued: its id, 文号, the written file and warnings for the clerk (e.g. unknown holidays)."""

    notice_id: int
    doc_number: str
    path: Path
    warnings: list[str] = field(default_factory=list)


def next_seq(session: Session, year: int) -> int:
    """The next sequence number of ``year``: voided notices count, so numbers are never reused,
    and numbers issued before a restore (models.doc_numbers.issued_floor) are not issued again."""
    from models.doc_numbers import issued_floor

    highest = session.scalar(select(func.max(RectificationNotice.seq)).where(RectificationNotice.year == year)) or 0
    return max(highest, issued_floor(session, "notice", year)) + 1


def numbering_gaps(session: Session, year: int) -> list[int]:
    """Sequence numbers of ``year`` missing between 1 and the highest one (should always be empty)."""
    seqs = set(session.scalars(select(RectificationNotice.seq).where(RectificationNotice.year == year)))
    return [n for n in range(1, max(seqs, default=0) + 1) if n not in seqs]


def valid_notice_of(session: Session, inspection_id: int) -> RectificationNotice | None:
    """The inspection's notice that is not voided, if any."""
    return session.scalar(select(RectificationNotice).where(
        RectificationNotice.inspection_id == inspection_id, RectificationNotice.voided.is_(False))
        .order_by(RectificationNotice.id.desc()).limit(1))


def suggested_deadline(session: Session, inspection_id: int, issue_date: date) -> date:
    """The deadline the form proposes for an inspection's notice issued on ``issue_date``."""
    insp = session.get(Inspection, inspection_id)
    item = plan_item_of(session, insp) if insp else None
    return default_deadline(issue_date, rectify_rule_for(session, item.id if item else None),
                            load_calendar(session))


def _followed_by(session: Session, notice: RectificationNotice) -> RectificationNotice | None:
    """The notice whose failed 复查 ``notice`` was issued after (a 再次责令限期整改, models.enforcement), if any."""
    from models.supervision import EnforcementStep

    earlier = session.scalar(select(EnforcementStep.notice_id).where(EnforcementStep.new_notice_id == notice.id))
    return session.get(RectificationNotice, earlier) if earlier else None


@dataclass
class IssueDraft:
    """A notice row just numbered and flushed, waiting for its document (see usecases.notice_issue)."""

    notice: RectificationNotice
    inspection: Inspection
    unit: str
    bureau: str
    cal: WorkCalendar
    replaces: RectificationNotice | None = None


def begin_issue(session: Session, inspection_id: int, *, deadline: date, issue_date: date, legal_basis: str,
                actor: str, replaces: RectificationNotice | None = None,
                follows: RectificationNotice | None = None) -> IssueDraft:
    """Check the notice may be issued, then add its row under the next number of the issue year.

    Runs inside the caller's write transaction; raises NoticeError (Chinese) when there are
    no hazards, a valid notice exists, or the deadline breaks the item's rule. ``follows``: the
    notice whose 复查 found 未整改, which a 再次责令限期整改 notice follows (models.enforcement).
    """
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NoticeError(f"没有编号为 {inspection_id} 的检查记录")
    unit = insp.inspected_object.name
    from models.joint_visit import joint_hazards, sibling_notice  # 综合查一次: one notice for the whole visit

    if not joint_hazards(session, insp):
        raise NoticeError(f"“{unit}”的检查记录中没有治安隐患，无需制作整改通知书")
    existing = valid_notice_of(session, insp.id) or sibling_notice(session, insp)
    if follows is None and replaces is not None:
        follows = _followed_by(session, replaces)  # reissuing a 再次责令 notice: the failed one stays on record
    if existing is not None and (follows is None or existing.id != follows.id):
        raise NoticeError(f"“{unit}”已有有效的整改通知书（{existing.doc_number}）；"
                          "如需重新制作，请使用“重新制作”或先将原通知书作废")
    if not isinstance(issue_date, date) or not isinstance(deadline, date):
        raise NoticeError("请填写签发日期和整改期限")
    if issue_date < insp.date_to:
        raise NoticeError(f"签发日期（{format_cn_date(issue_date)}）早于检查结束日期（{format_cn_date(insp.date_to)}）")
    item = plan_item_of(session, insp)
    rule = rectify_rule_for(session, item.id if item else None)
    cal = load_calendar(session)
    # Serving is at the earliest on the issue date, so a deadline lawful from issue stays lawful once served.
    problem = check_rectify_deadline(issue_date, deadline, rule, cal)
    if problem:
        raise NoticeError(problem)
    bureau = bureau_name_for(session, item)

    year = issue_date.year
    seq = next_seq(session, year)
    doc_number = app_settings.doc_number(session, "notice", year, seq)
    notice = RectificationNotice(
        inspection_id=insp.id, year=year, seq=seq, doc_number=doc_number, issue_date=issue_date,
        deadline=deadline, legal_basis=(legal_basis or DEFAULT_LEGAL_BASIS).strip(), created_by=actor or "")
    session.add(notice)
    session.flush()  # a duplicate (year, seq) fails here, before any file is written
    return IssueDraft(notice, insp, unit, bureau, cal, replaces)


def finish_issue(session: Session, draft: IssueDraft, path: Path, actor: str) -> NoticeResult:
    """Record the rendered document on the drafted row, audit the issue and collect the clerk's warnings.

    The caller flushes afterwards (and removes the file it wrote if that flush fails).
    """
    notice, insp, replaces = draft.notice, draft.inspection, draft.replaces
    notice.file_path = str(path)
    cal = draft.cal
    due = serve_due(insp.date_to, cal)
    warnings = deadline_warnings(cal, [due, notice.deadline])
    if notice.issue_date > due:
        warnings.append(f"已超过送达期限：应于{format_cn_date(due)}前（检查结束后{SERVE_WORKDAYS}个工作日内）送达")
    audit.append(session, user=actor, action="重新制作整改通知书" if replaces else "制作整改通知书",
                 entity="notice", entity_id=notice.id, detail={
                     "文号": notice.doc_number, "检查对象": draft.unit, "隐患数": len(insp.hazards),
                     "整改期限": notice.deadline.isoformat(), "签发日期": notice.issue_date.isoformat(),
                     "替代": replaces.doc_number if replaces else None})
    return NoticeResult(notice.id, notice.doc_number, path, warnings)


def void_in(session: Session, notice_id: int, reason: str, actor: str) -> RectificationNotice:
    from models.text import REASON_MAX, limited

    notice = get_notice(session, notice_id)
    reason = limited(reason, "作废原因", REASON_MAX, error=NoticeError)
    if not reason:
        raise NoticeError("作废通知书必须填写原因")
    if notice.voided:
        raise NoticeError(f"通知书 {notice.doc_number} 已经作废")
    if notice.reinspections:
        raise NoticeError(f"通知书 {notice.doc_number} 已经复查，不能作废")
    notice.voided = True
    notice.void_reason = reason
    session.flush()
    audit.append(session, user=actor, action="作废整改通知书", entity="notice", entity_id=notice.id,
                 detail={"文号": notice.doc_number, "原因": reason})
    return notice


def void_notice(db: Database, notice_id: int, reason: str, actor: str) -> None:
    """Void a spoiled notice; it keeps its number on record, and the number is never given out again."""
    with db.session() as s:
        void_in(s, notice_id, reason, actor)


def list_notices(session: Session, year: int | None = None, today: date | None = None) -> list[NoticeRow]:
    """Every notice (voided ones too), newest first."""
    from models.notice_followup import state_of

    today = today or date.today()
    cal = load_calendar(session)
    stmt = select(RectificationNotice).order_by(RectificationNotice.year.desc(), RectificationNotice.seq.desc())
    if year is not None:
        stmt = stmt.where(RectificationNotice.year == year)
    rows = []
    for n in session.scalars(stmt):
        if n.voided:
            label, overdue = f"已作废：{n.void_reason}", False
        else:
            state = state_of(n, today, cal)
            label, overdue = state.label, state.overdue
        rows.append(NoticeRow(n.id, n.doc_number, n.inspection.inspected_object.name, n.issue_date, n.served_date,
                              n.extended_deadline or n.deadline, label, overdue, n.voided, n.file_path,
                              n.inspection_id))
    return rows


# The follow-up steps live in their own module; they are part of this service's API.
from models.notice_followup import (  # noqa: E402
    NoticeDetail, ReviewResult, begin_reinspection, extend_deadline, finish_reinspection, notice_detail,
    record_served, report_completion,
)
