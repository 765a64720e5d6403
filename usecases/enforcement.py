"""Recording what follows a failed 复查, with its documents: the new notice of a 再次责令限期整改, and the 抄告函.

The rules live in models.enforcement. As in usecases.notice_issue, every number is taken inside the
notices' write-locked transaction while the document renders to a hidden ".part" file, which is moved
to its name only after the commit: a template error rolls the number back, a kill never leaves a
document whose number the database lacks.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models import settings as app_settings
from models.db import Database
from models.enforcement import (
    DEFAULT_REQUEST, INFORM, REORDER, EnforcementError, begin_letter, begin_step, complete_step,
    finish_letter, reorder_issued,
)
from models.inspection import RectificationNotice, Reinspection
from models.notice_service import bureau_name_for, default_out_dir, get_notice, plan_item_of, safe_filename
from models.supervision import EnforcementStep
from reports.atomic import publish, staged_path
from reports.letter_docs import LETTER_TEMPLATE, letter_context, render_letter
from reports.notice_docs import find_template
from models.notice_common import with_retry, write_transaction
from usecases.notice_issue import _issue_in

__all__ = ["StepResult", "record_step", "finish_step", "render_existing_letter"]


@dataclass
class StepResult:
    """A step just recorded or completed: its id and kind, and the document it wrote (new notice or 抄告函)."""

    step_id: int
    kind: str
    doc_number: str = ""          # the new notice's or the 抄告函's 文号
    path: Path | None = None
    done: bool = False
    warnings: list[str] = field(default_factory=list)
    new_notice_id: int | None = None


def _letter_ctx(session: Session, step: EnforcementStep) -> dict:
    notice = get_notice(session, step.notice_id)
    insp = notice.inspection
    obj = insp.inspected_object
    review = session.get(Reinspection, step.reinspection_id) if step.reinspection_id else notice.reinspections[-1]
    return letter_context(
        bureau_name=bureau_name_for(session, plan_item_of(session, insp)), doc_number=step.reference,
        department=step.department, unit_name=obj.name, unit_address=obj.address or "", inspect_date=insp.date_from,
        hazards=[(h.text, h.clause) for h in insp.hazards], notice_number=notice.doc_number,
        notice_date=notice.served_date or notice.issue_date, deadline=notice.extended_deadline or notice.deadline,
        review_date=review.date, review_number=review.doc_number, review_note=review.note,
        request=step.note or DEFAULT_REQUEST, issue_date=step.done_date)


def _letter_out(notice: RectificationNotice, step: EnforcementStep, out_dir, out_path) -> Path:
    if out_path:
        return Path(out_path)
    folder = Path(out_dir or default_out_dir("抄告函", step.done_date.year))
    return folder / safe_filename(step.reference, notice.inspection.inspected_object.name, step.department)


def _letter_in(session: Session, staged: list[Path], step_id: int, letter_date: date, actor: str,
               out_dir, out_path) -> StepResult:
    step = begin_letter(session, step_id, letter_date, actor)
    out = _letter_out(get_notice(session, step.notice_id), step, out_dir, out_path)
    staged.append(staged_path(out))
    render_letter(find_template(LETTER_TEMPLATE, app_settings.template_dir(session)), _letter_ctx(session, step),
                  staged[-1])
    finish_letter(session, step, out, actor)
    return StepResult(step.id, step.kind, step.reference, out, True)


def record_step(db: Database, notice_id: int, kind: str, *, actor: str, step_date: date | None = None,
                deadline: date | None = None, department: str = "", reference: str = "", note: str = "",
                make_letter: bool = True, out_dir: str | os.PathLike | None = None,
                out_path: str | os.PathLike | None = None) -> StepResult:
    """Record the next step for a notice whose latest 复查 is 未整改, with what it brings along.

    再次责令限期整改 issues the new notice (next 文号, ``deadline``) in the same transaction; 通报抄告
    issues its 抄告函 at once unless ``make_letter`` is False (then it waits on the to-do list);
    立案查处 / 行政处罚 are done when ``reference`` (case / decision number) is given, else wait for it.
    The note of a 通报抄告 is what the letter asks of the department (blank: DEFAULT_REQUEST).
    """
    step_date = step_date or date.today()

    def work(s: Session, staged: list[Path]) -> StepResult:
        step = begin_step(s, notice_id, kind, step_date=step_date, actor=actor, reference=reference,
                          department=department, deadline=deadline, note=note)
        if kind == REORDER:
            old = get_notice(s, notice_id)
            issued = _issue_in(s, staged, old.inspection_id, deadline=deadline, issue_date=step_date,
                               legal_basis=old.legal_basis, actor=actor, out_dir=out_dir, out_path=out_path,
                               follows=old)
            reorder_issued(s, step, get_notice(s, issued.notice_id), actor)
            return StepResult(step.id, kind, issued.doc_number, issued.path, True, issued.warnings, issued.notice_id)
        if kind == INFORM and make_letter:
            return _letter_in(s, staged, step.id, step_date, actor, out_dir, out_path)
        return StepResult(step.id, kind, step.reference, None, step.done_date is not None)

    return _run(db, work)


def finish_step(db: Database, step_id: int, *, actor: str, reference: str = "", done_date: date | None = None,
                out_dir: str | os.PathLike | None = None, out_path: str | os.PathLike | None = None) -> StepResult:
    """Close an open step: enter the case / decision number (立案查处 / 行政处罚) or issue the 抄告函 (通报抄告)."""
    done_date = done_date or date.today()

    def work(s: Session, staged: list[Path]) -> StepResult:
        step = s.get(EnforcementStep, step_id)
        if step is not None and step.kind == INFORM and step.done_date is None:
            if reference:
                raise EnforcementError("抄告函的文号在制作时自动编号，不需填写 --ref")
            return _letter_in(s, staged, step_id, done_date, actor, out_dir, out_path)
        step = complete_step(s, step_id, reference=reference, done_date=done_date, actor=actor)
        return StepResult(step.id, step.kind, step.reference, None, True)

    return _run(db, work)


def _run(db: Database, work) -> StepResult:
    """``work(session, staged)`` in the notices' write-locked transaction; its document (if it staged one) is
    moved into place only after the commit, as usecases.notice_issue does."""
    staged: list[Path] = []

    def attempt() -> StepResult:
        staged.clear()
        try:
            with write_transaction(db) as s:
                return work(s, staged)
        except BaseException:
            for f in staged:
                f.unlink(missing_ok=True)
            raise

    result = with_retry(attempt)
    if staged:
        try:
            publish(staged[-1], result.path)
        except OSError as e:
            staged[-1].unlink(missing_ok=True)
            raise EnforcementError(f"{result.doc_number} 已登记（文号已占用），但文件无法保存到 {result.path}："
                                   f"{e.strerror or e}。请在“通知书”页重新打开以补写该文件。") from e
    return result


def render_existing_letter(db: Database, step_id: int) -> Path:
    """The 抄告函 of a done 通报抄告 step: its stored file, or written again (same 文号) when it was moved."""
    with db.session() as s:
        step = s.get(EnforcementStep, step_id)
        if step is None or step.kind != INFORM or step.done_date is None:
            raise EnforcementError(f"后续处理 {step_id} 没有已制作的抄告函")
        if step.file_path and Path(step.file_path).is_file():
            return Path(step.file_path)
        out = Path(step.file_path) if step.file_path else _letter_out(get_notice(s, step.notice_id), step, None, None)
        path = render_letter(find_template(LETTER_TEMPLATE, app_settings.template_dir(s)), _letter_ctx(s, step), out)
        step.file_path = str(path)
        return path

