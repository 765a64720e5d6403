"""The to-do lines of failed 复查: a notice waiting for its next step, and each step still open (models.enforcement)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.enforcement import PENDING_LABEL, UNRECTIFIED, missing_text
from models.inspection import RectificationNotice, Reinspection
from models.supervision import EnforcementStep
from models.todo import TodoEntry
from models.workdays import format_cn_date

__all__ = ["enforcement_entries", "PENDING_KIND", "STEP_KIND"]

PENDING_KIND = "复查未整改"   # no next step recorded yet
STEP_KIND = "后续处理"        # a recorded step that is not done


def enforcement_entries(session: Session, today: date) -> list[TodoEntry]:
    """One line per valid notice whose latest 复查 is 未整改 and that has no step yet, and one per open step.

    Both are due from the day of the 复查 that found the hazards still there.
    """
    failed = select(Reinspection.notice_id).where(Reinspection.result == UNRECTIFIED)
    notices = session.scalars(select(RectificationNotice).where(
        RectificationNotice.voided.is_(False), RectificationNotice.id.in_(failed))
        .options(selectinload(RectificationNotice.reinspections)))
    entries: list[TodoEntry] = []
    for notice in notices:
        review = notice.reinspections[-1]
        if review.result != UNRECTIFIED:
            continue  # a later 复查 found it rectified
        unit = notice.inspection.inspected_object.name
        steps = list(session.scalars(select(EnforcementStep).where(EnforcementStep.notice_id == notice.id)
                                     .order_by(EnforcementStep.id)))
        if not steps:
            entries.append(TodoEntry(PENDING_KIND, f"{PENDING_LABEL}：{format_cn_date(review.date)}复查"
                                     f"（{review.doc_number}）仍未整改，请登记后续处理", review.date, False, unit,
                                     notice.doc_number, notice.id, notice.inspection_id))
            continue
        for step in steps:
            if step.done_date is not None:
                continue
            what = f"{step.kind}（{step.department}）" if step.department else step.kind
            label = f"{what}：{missing_text(step)}（{format_cn_date(review.date)}复查未整改）"
            entries.append(TodoEntry(STEP_KIND, label, review.date, False, unit, notice.doc_number, notice.id,
                                     notice.inspection_id))
    return entries
