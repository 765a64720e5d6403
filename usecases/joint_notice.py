"""The one 责令限期整改治安隐患通知书 of a joint visit (综合查一次): one number, one document listing every hazard
found under any of the task's items.

The notice row belongs to the task's first inspection with hazards; models.notice_service refuses a second
notice on any other inspection of the task, and usecases.notice_issue lists the hazards of all of them.
"""
from __future__ import annotations

import os
from datetime import date

from models.db import Database
from models.joint_visit import notice_inspection
from models.notice_service import DEFAULT_LEGAL_BASIS, NoticeResult, suggested_deadline, valid_notice_of
from usecases.notice_issue import issue_notice

__all__ = ["issue_joint_notice", "joint_notice_target"]


def joint_notice_target(db: Database, task_id: int) -> tuple[int, str | None]:
    """(the inspection the notice goes on, the 文号 of its valid notice if already issued)."""
    with db.read_session() as s:
        inspection_id = notice_inspection(s, task_id)
        notice = valid_notice_of(s, inspection_id)
        return inspection_id, notice.doc_number if notice else None


def issue_joint_notice(db: Database, task_id: int, *, issue_date: date, deadline: date | None = None,
                       legal_basis: str = DEFAULT_LEGAL_BASIS, actor: str,
                       out_dir: str | os.PathLike | None = None,
                       out_path: str | os.PathLike | None = None) -> NoticeResult:
    """Number and write the task's one notice (deadline: the item's rule from ``issue_date`` when not given)."""
    inspection_id, _existing = joint_notice_target(db, task_id)
    if deadline is None:
        with db.read_session() as s:
            deadline = suggested_deadline(s, inspection_id, issue_date)
    return issue_notice(db, inspection_id, deadline=deadline, issue_date=issue_date, legal_basis=legal_basis,
                        actor=actor, out_dir=out_dir, out_path=out_path)
