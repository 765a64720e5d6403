"""The notice documents: issuing, reissuing and reprinting 整改通知书, and writing each 复查意见书.

The domain rules live in models.notice_service and models.notice_followup; this module holds
their write-locked transaction open while it renders the .docx, so a number is consumed only
when the row and its document are both done (a template error rolls the number back).

The document is rendered to a hidden ".<name>.part" beside its final name and moved there only
after the commit: a kill never leaves a finished document whose number the database lacks. A
kill between the commit and the move leaves a committed number without its document;
rewrite_missing_documents writes it again (the batch does so at its start).
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import settings as app_settings
from models.db import Database
from models.inspection import REINSPECTION_RESULTS, Inspection, RectificationNotice, Reinspection
from models.notice_service import (
    DEFAULT_LEGAL_BASIS, NoticeError, NoticeResult, ReviewResult, begin_issue, begin_reinspection, bureau_name_for,
    default_out_dir, finish_issue, finish_reinspection, get_notice, plan_item_of, safe_filename, void_in,
    with_retry, write_transaction,
)
from reports.atomic import publish, staged_path
from reports.notice_docs import (
    NOTICE_TEMPLATE, REVIEW_TEMPLATE, find_template, notice_context, render_notice, render_review, review_context,
)

__all__ = [
    "NoticeResult", "ReviewResult", "issue_notice", "reissue_notice", "render_existing", "record_reinspection",
    "render_existing_review", "rewrite_missing_documents",
]


def _context(session: Session, notice: RectificationNotice, insp: Inspection, bureau: str) -> dict:
    from models.joint_visit import joint_hazards  # a joint visit's notice lists the hazards of all its items

    obj = insp.inspected_object
    return notice_context(
        bureau_name=bureau, doc_number=notice.doc_number, unit_name=obj.name, unit_address=obj.address or "",
        inspect_date=insp.date_from, hazards=joint_hazards(session, insp),
        deadline=notice.extended_deadline or notice.deadline, issue_date=notice.issue_date,
        legal_basis=notice.legal_basis, served=notice.served_date)


def _render(session: Session, notice: RectificationNotice, insp: Inspection, bureau: str, out: Path) -> Path:
    template = find_template(NOTICE_TEMPLATE, app_settings.template_dir(session))
    return render_notice(template, _context(session, notice, insp, bureau), out)


def _issue_in(session: Session, staged: list[Path], inspection_id: int, *, deadline: date, issue_date: date,
              legal_basis: str,
              actor: str, out_dir: str | os.PathLike | None, out_path: str | os.PathLike | None,
              replaces: RectificationNotice | None = None, follows: RectificationNotice | None = None) -> NoticeResult:
    draft = begin_issue(session, inspection_id, deadline=deadline, issue_date=issue_date, legal_basis=legal_basis,
                        actor=actor, replaces=replaces, follows=follows)
    notice = draft.notice
    out = Path(out_path) if out_path else Path(out_dir or default_out_dir("整改通知书", notice.year)) / safe_filename(
        notice.doc_number, draft.unit)
    staged.append(staged_path(out))
    _render(session, notice, draft.inspection, draft.bureau, staged[-1])
    result = finish_issue(session, draft, out, actor)
    session.flush()
    return result


def _committed_then_published(db: Database, work) -> NoticeResult | ReviewResult:
    """Run ``work(session, staged)`` in a write transaction; move its staged document into place after the commit."""
    staged: list[Path] = []

    def attempt():
        staged.clear()
        try:
            with write_transaction(db) as s:
                return work(s, staged)
        except BaseException:
            for f in staged:
                f.unlink(missing_ok=True)
            raise

    result = with_retry(attempt)
    try:
        publish(staged[-1], result.path)
    except OSError as e:
        staged[-1].unlink(missing_ok=True)
        raise NoticeError(f"{result.doc_number} 已登记（文号已占用），但文件无法保存到 {result.path}："
                        f"{e.strerror or e}。请处理后重新打印；下次批量制作时也会自动补写。") from e
    return result


def issue_notice(db: Database, inspection_id: int, *, deadline: date, issue_date: date,
                 legal_basis: str = DEFAULT_LEGAL_BASIS, actor: str, out_dir: str | os.PathLike | None = None,
                 out_path: str | os.PathLike | None = None) -> NoticeResult:
    """Give the inspection's notice the next number of the issue year and write its .docx.

    Raises NoticeError (Chinese) when there are no hazards, a valid notice exists, or the
    deadline breaks the item's rule. The file goes to ``out_path``, or into ``out_dir``
    (default: the data folder) named after the 文号 and the unit.
    """
    return _committed_then_published(db, lambda s, staged: _issue_in(
        s, staged, inspection_id, deadline=deadline, issue_date=issue_date, legal_basis=legal_basis, actor=actor,
        out_dir=out_dir, out_path=out_path))


def reissue_notice(db: Database, notice_id: int, reason: str, actor: str, *, deadline: date | None = None,
                   issue_date: date | None = None, legal_basis: str | None = None,
                   out_dir: str | os.PathLike | None = None) -> NoticeResult:
    """Void a notice and issue its replacement under a new number, both or neither (one transaction)."""
    def work(s: Session, staged: list[Path]) -> NoticeResult:
        old = void_in(s, notice_id, reason, actor)
        return _issue_in(s, staged, old.inspection_id, deadline=deadline or old.deadline,
                         issue_date=issue_date or date.today(),
                         legal_basis=legal_basis if legal_basis is not None else old.legal_basis,
                         actor=actor, out_dir=out_dir, out_path=None, replaces=old)
    return _committed_then_published(db, work)


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


def _render_review(session: Session, row: Reinspection, out: Path, inspectors: list[str] | None = None) -> Path:
    from models.joint_visit import joint_hazards

    notice = row.notice
    insp = notice.inspection
    rectified = row.result == REINSPECTION_RESULTS[0]
    ctx = review_context(
        bureau_name=bureau_name_for(session, plan_item_of(session, insp)), doc_number=row.doc_number,
        notice_number=notice.doc_number, unit_name=insp.inspected_object.name,
        notice_date=notice.served_date or notice.issue_date, review_date=row.date,
        inspectors=inspectors or [i.inspector.name for i in insp.inspectors],
        hazards=[(text, rectified) for text, _clause in joint_hazards(session, insp)], issue_date=row.date)
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
    def work(s: Session, staged: list[Path]) -> ReviewResult:
        row = begin_reinspection(s, notice_id, review_date, result, note, actor)
        unit = row.notice.inspection.inspected_object.name
        out = Path(out_dir or default_out_dir("复查意见书", review_date.year)) / safe_filename(row.doc_number, unit)
        staged.append(staged_path(out))
        _render_review(s, row, staged[-1], inspectors)
        done = finish_reinspection(s, row, out, actor)
        s.flush()
        return done
    return _committed_then_published(db, work)


def rewrite_missing_documents(db: Database, folder: str | os.PathLike) -> list[tuple[str, Path]]:
    """Write again every valid notice recorded in *folder* whose document is not there (same number).

    A run killed between committing a number and moving its document into place leaves exactly
    this; the next run repairs it. Returns (文号, file) for each document written.
    """
    folder = Path(folder).resolve()
    with db.session() as s:
        missing = [(n.id, n.doc_number, Path(n.file_path)) for n in s.scalars(
            select(RectificationNotice).where(RectificationNotice.voided.is_(False),
                                              RectificationNotice.file_path != ""))
                   if Path(n.file_path).parent.resolve() == folder and not Path(n.file_path).exists()]
    return [(number, render_existing(db, notice_id)) for notice_id, number, _ in missing]
