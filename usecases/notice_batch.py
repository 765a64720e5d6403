"""Many notices at once: a 责令限期整改治安隐患通知书 for every inspection with hazards and no valid notice yet.

Each notice is its own transaction, so cancelling (or one failure) keeps the notices
already written: their numbers are committed and stay valid, and no number is skipped.
A run first repairs what a killed run left in the folder: hidden ".….docx.part" files are
removed and a committed notice whose document never reached its name is written again.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from models.db import Database
from models.inspection import Hazard, Inspection, RectificationNotice
from models.notice_service import DEFAULT_LEGAL_BASIS, NoticeError, suggested_deadline
from reports.atomic import remove_leftover_parts
from reports.docx_render import TemplateRenderError
from usecases.notice_issue import issue_notice, rewrite_missing_documents

__all__ = ["BatchResult", "pending_inspections", "render_pending_notices"]


@dataclass
class BatchResult:
    """What a batch produced: (文号, file) written, (unit, Chinese problem) skipped, and whether it was cancelled."""

    written: list[tuple[str, Path]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cancelled: bool = False
    total: int = 0
    # Documents of notices committed by an interrupted run, written again at this run's start.
    rewritten: list[tuple[str, Path]] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"已制作 {len(self.written)} 份通知书"]
        if self.rewritten:
            numbers = "、".join(n for n, _ in self.rewritten)
            parts.append(f"补写上次中断时未写出的 {len(self.rewritten)} 份（{numbers}）")
        if self.failed:
            parts.append(f"{len(self.failed)} 份未能制作")
        if self.cancelled:
            parts.append(f"已取消，剩余 {self.total - len(self.written) - len(self.failed)} 份未制作；"
                         "已制作的通知书文号有效，未跳号")
        return "，".join(parts) + "。"


def pending_inspections(db: Database, year: int | None = None) -> list[tuple[int, str]]:
    """(inspection id, unit name) of inspections with hazards and no valid notice, oldest first."""
    with db.session() as s:
        with_valid = select(RectificationNotice.inspection_id).where(RectificationNotice.voided.is_(False))
        stmt = (select(Inspection).where(Inspection.id.in_(select(Hazard.inspection_id)),
                                         Inspection.id.not_in(with_valid))
                .order_by(Inspection.date_to, Inspection.id))
        from models.joint_visit import covered_by_joint_notice  # 综合查一次: one notice per joint visit

        covered = covered_by_joint_notice(s)
        rows = [(i.id, i.inspected_object.name, i.date_to.year) for i in s.scalars(stmt) if i.id not in covered]
    return [(iid, name) for iid, name, y in rows if year is None or y == year]


def render_pending_notices(db: Database, out_dir: str | os.PathLike,
                           progress: Callable[[int, int], None] | None = None,
                           cancelled: Callable[[], bool] | None = None, *, actor: str = "",
                           issue_date: date | None = None, deadline: date | None = None,
                           legal_basis: str = DEFAULT_LEGAL_BASIS, year: int | None = None) -> BatchResult:
    """Issue and write a notice for every pending inspection into ``out_dir``.

    Without ``deadline`` each notice gets the deadline its item's rule suggests (one
    month, or 15 days for the traffic rule). A notice that cannot be made (e.g. its
    deadline breaks the rule) is listed in ``failed`` and the batch goes on.
    """
    out = Path(out_dir)
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                raise NoticeError(f"无法写入通知书到 {out}：{folder} 是一个文件，不是文件夹。")
            break
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise NoticeError(f"无法创建通知书文件夹 {out}（没有写入权限或磁盘不可写：{e.strerror or e}）。") from e
    issue_date = issue_date or date.today()
    remove_leftover_parts(out)
    todo = pending_inspections(db, year)
    result = BatchResult(total=len(todo))
    try:
        result.rewritten = rewrite_missing_documents(db, out)
    except (NoticeError, TemplateRenderError) as exc:
        result.failed.append(("（补写上次中断的通知书）", str(exc)))
    if progress is not None:
        progress(0, len(todo))
    for done, (inspection_id, unit) in enumerate(todo, start=1):
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        try:
            with db.session() as s:
                due = deadline or suggested_deadline(s, inspection_id, issue_date)
            issued = issue_notice(db, inspection_id, deadline=due, issue_date=issue_date,
                                  legal_basis=legal_basis, actor=actor, out_dir=out)
        except (NoticeError, TemplateRenderError) as exc:
            result.failed.append((unit, str(exc)))
        else:
            result.written.append((issued.doc_number, issued.path))
            result.warnings.extend(w for w in issued.warnings if w not in result.warnings)
        if progress is not None:
            progress(done, len(todo))
    return result
