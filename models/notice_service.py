"""责令限期整改治安隐患通知书: gapless per-year numbers, issuing, voiding and reissuing, and the follow-up steps.

A number is consumed only when its notice row commits: the number is read and the row
written in one write-locked transaction, and the .docx is rendered inside it, so a
template error rolls the number back. A voided notice keeps its number on record.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models import settings as app_settings
from models.calendar_service import deadline_warnings, load_calendar
from models.db import Database
from models.deadlines import check_rectify_deadline, serve_due
from models.inspection import Inspection, RectificationNotice
from models.notice_common import (  # noqa: F401 - re-exported: the notice API lives here
    RULE_PRESETS, NoticeError, bureau_name_for, default_deadline, default_out_dir, describe_rule, get_notice,
    plan_item_of, rectify_rule_for, safe_filename, set_rectify_rule, with_retry, write_transaction,
)
from models.workdays import format_cn_date
from reports.notice_docs import DEFAULT_LEGAL_BASIS, NOTICE_TEMPLATE, find_template, notice_context, render_notice

__all__ = [
    "NoticeError", "NoticeResult", "RULE_PRESETS", "DEFAULT_LEGAL_BASIS", "issue_notice", "void_notice",
    "reissue_notice", "render_existing", "next_seq", "numbering_gaps", "list_notices", "valid_notice_of",
    "rectify_rule_for", "set_rectify_rule", "describe_rule", "default_deadline", "suggested_deadline",
    "record_served", "extend_deadline", "report_completion", "record_reinspection", "notice_detail",
    "NoticeDetail", "ReviewResult", "render_existing_review",
]


@dataclass
class NoticeResult:
    """A notice just issued: its id, 文号, the written file and warnings for the clerk (e.g. unknown holidays)."""

    notice_id: int
    doc_number: str
    path: Path
    warnings: list[str] = field(default_factory=list)


def next_seq(session: Session, year: int) -> int:
    """The next sequence number of ``year``: voided notices count, so numbers are never reused."""
    return (session.scalar(select(func.max(RectificationNotice.seq)).where(RectificationNotice.year == year)) or 0) + 1


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


def _context(session: Session, notice: RectificationNotice, insp: Inspection, bureau: str) -> dict:
    obj = insp.inspected_object
    return notice_context(
        bureau_name=bureau, doc_number=notice.doc_number, unit_name=obj.name, unit_address=obj.address or "",
        inspect_date=insp.date_from, hazards=[(h.text, h.clause) for h in insp.hazards],
        deadline=notice.extended_deadline or notice.deadline, issue_date=notice.issue_date,
        legal_basis=notice.legal_basis, served=notice.served_date)


def _render(session: Session, notice: RectificationNotice, insp: Inspection, bureau: str, out: Path) -> Path:
    template = find_template(NOTICE_TEMPLATE, app_settings.template_dir(session))
    return render_notice(template, _context(session, notice, insp, bureau), out)


def _issue_in(session: Session, inspection_id: int, *, deadline: date, issue_date: date, legal_basis: str,
              actor: str, out_dir: str | os.PathLike | None, out_path: str | os.PathLike | None,
              replaces: RectificationNotice | None = None) -> NoticeResult:
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NoticeError(f"没有编号为 {inspection_id} 的检查记录")
    unit = insp.inspected_object.name
    if not insp.hazards:
        raise NoticeError(f"“{unit}”的检查记录中没有治安隐患，无需制作整改通知书")
    existing = valid_notice_of(session, insp.id)
    if existing is not None:
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

    out = Path(out_path) if out_path else Path(out_dir or default_out_dir("整改通知书", year)) / safe_filename(
        doc_number, unit)
    existed = out.exists()
    path = _render(session, notice, insp, bureau, out)
    notice.file_path = str(path)
    due = serve_due(insp.date_to, cal)
    warnings = deadline_warnings(cal, [due, deadline])
    if issue_date > due:
        warnings.append(f"已超过送达期限：应于{format_cn_date(due)}前（检查结束后3个工作日内）送达")
    audit.append(session, user=actor, action="重新制作整改通知书" if replaces else "制作整改通知书",
                 entity="notice", entity_id=notice.id, detail={
                     "文号": doc_number, "检查对象": unit, "隐患数": len(insp.hazards),
                     "整改期限": deadline.isoformat(), "签发日期": issue_date.isoformat(),
                     "替代": replaces.doc_number if replaces else None})
    try:
        session.flush()
    except Exception:
        if not existed:
            path.unlink(missing_ok=True)
        raise
    return NoticeResult(notice.id, doc_number, path, warnings)


def issue_notice(db: Database, inspection_id: int, *, deadline: date, issue_date: date,
                 legal_basis: str = DEFAULT_LEGAL_BASIS, actor: str, out_dir: str | os.PathLike | None = None,
                 out_path: str | os.PathLike | None = None) -> NoticeResult:
    """Give the inspection's notice the next number of the issue year and write its .docx.

    Raises NoticeError (Chinese) when there are no hazards, a valid notice exists, or the
    deadline breaks the item's rule. The file goes to ``out_path``, or into ``out_dir``
    (default: the data folder) named after the 文号 and the unit.
    """
    def attempt() -> NoticeResult:
        with write_transaction(db) as s:
            return _issue_in(s, inspection_id, deadline=deadline, issue_date=issue_date, legal_basis=legal_basis,
                             actor=actor, out_dir=out_dir, out_path=out_path)
    return with_retry(attempt)


def _void_in(session: Session, notice_id: int, reason: str, actor: str) -> RectificationNotice:
    notice = get_notice(session, notice_id)
    reason = (reason or "").strip()
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
        _void_in(s, notice_id, reason, actor)


def reissue_notice(db: Database, notice_id: int, reason: str, actor: str, *, deadline: date | None = None,
                   issue_date: date | None = None, legal_basis: str | None = None,
                   out_dir: str | os.PathLike | None = None) -> NoticeResult:
    """Void a notice and issue its replacement under a new number, both or neither (one transaction)."""
    def attempt() -> NoticeResult:
        with write_transaction(db) as s:
            old = _void_in(s, notice_id, reason, actor)
            return _issue_in(s, old.inspection_id, deadline=deadline or old.deadline,
                             issue_date=issue_date or date.today(),
                             legal_basis=legal_basis if legal_basis is not None else old.legal_basis,
                             actor=actor, out_dir=out_dir, out_path=None, replaces=old)
    return with_retry(attempt)


def render_existing(db: Database, notice_id: int, out_path: str | os.PathLike | None = None) -> Path:
    """Write an issued notice again (a reprint, e.g. with the served date now filled); same number."""
    with db.session() as s:
        notice = get_notice(s, notice_id)
        insp = notice.inspection
        bureau = bureau_name_for(s, plan_item_of(s, insp))
        out = Path(out_path) if out_path else Path(notice.file_path or default_out_dir(
            "整改通知书", notice.year) / safe_filename(notice.doc_number, insp.inspected_object.name))
        path = _render(s, notice, insp, bureau, out)
        if not out_path:
            notice.file_path = str(path)
        return path


def list_notices(session: Session, year: int | None = None, today: date | None = None) -> list[tuple]:
    """Every notice (voided ones too), newest first.

    Row: (notice id, 文号, unit, issue date, served date, deadline in force, status label,
    overdue, voided, file path, inspection id).
    """
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
        rows.append((n.id, n.doc_number, n.inspection.inspected_object.name, n.issue_date, n.served_date,
                     n.extended_deadline or n.deadline, label, overdue, n.voided, n.file_path, n.inspection_id))
    return rows


# The follow-up steps live in their own module; they are part of this service's API.
from models.notice_followup import (  # noqa: E402
    NoticeDetail, ReviewResult, extend_deadline, notice_detail, record_reinspection, record_served,
    render_existing_review, report_completion,
)
