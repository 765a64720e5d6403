"""Issuing (or reissuing) a notice together with a new 整改期限规则 for its plan item, both or neither.

The notice dialog lets the clerk change the item's rule (seed 003: traffic hazards 15 days,
extendable once to 30) while making the notice. Rule and notice are written in one write
transaction, so a notice that cannot be issued (a deadline the rule refuses, a template error)
leaves the rule as it was.
"""
from __future__ import annotations

import os
from datetime import date

from sqlalchemy.orm import Session

from models.db import Database
from models.deadlines import RectifyRule
from models.inspection import Inspection
from models.notice_service import (
    DEFAULT_LEGAL_BASIS, NoticeError, NoticeResult, plan_item_of, rectify_rule_for, set_rectify_rule, void_in,
)
from usecases.notice_issue import _committed_then_published, _issue_in

__all__ = ["issue_with_rule"]


def _set_rule(session: Session, inspection_id: int, rule: RectifyRule, actor: str) -> None:
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise NoticeError(f"没有编号为 {inspection_id} 的检查记录")
    item = plan_item_of(session, insp)
    if item is None:
        raise NoticeError("该检查不属于任何抽查事项，不能设置整改期限规则")
    if rectify_rule_for(session, item.id) != rule:
        set_rectify_rule(session, item.id, rule, actor)


def issue_with_rule(db: Database, inspection_id: int, *, deadline: date, issue_date: date, actor: str,
                    rule: RectifyRule | None = None, legal_basis: str = DEFAULT_LEGAL_BASIS,
                    replaces: int | None = None, reason: str = "",
                    out_dir: str | os.PathLike | None = None) -> NoticeResult:
    """Set the item's rule to *rule* (None: keep it) and issue the inspection's notice, in one transaction.

    With *replaces* (a notice id) the old notice is voided with *reason* and the new one takes the
    next number, as usecases.notice_issue.reissue_notice does. The deadline is checked against the
    new rule. Raises NoticeError (Chinese) and changes nothing when any step is refused.
    """
    def work(s: Session, staged: list) -> NoticeResult:
        old = void_in(s, replaces, reason, actor) if replaces is not None else None
        target = old.inspection_id if old is not None else inspection_id
        if rule is not None:
            _set_rule(s, target, rule, actor)
        return _issue_in(s, staged, target, deadline=deadline, issue_date=issue_date, legal_basis=legal_basis,
                         actor=actor, out_dir=out_dir, out_path=None, replaces=old)
    # The document reaches its name only after the commit (see usecases.notice_issue).
    return _committed_then_published(db, work)
