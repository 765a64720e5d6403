"""待办 for 综合查一次: a joint task waiting for its visit is one line, not one per grouped item, and a task still
待检查 after its period has ended is named as late."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.joint import JointTask
from models.joint_queries import PERIOD_LABELS, TODO_STATUS, task_detail
from models.workdays import format_cn_date

__all__ = ["JOINT_DUE", "JOINT_OVERDUE", "merge_joint_reminders"]

JOINT_DUE = "联合检查待检查"
JOINT_OVERDUE = "联合检查逾期"
REMIND_DAYS = 14  # as a drawn object's reminder: from two weeks before the period closes


def _period_end(year: int, period: str) -> date:
    from models.joint_service import period_bounds

    return period_bounds(year, period)[1]


def merge_joint_reminders(session: Session, today: date, entries: list, *, make) -> list:
    """``entries`` with the per-pick reminders of a task waiting for its visit folded into one line per task.

    ``make(kind, label, due, overdue, unit, pick_id)`` builds a line; a task's line opens its first pick.
    """
    tasks = list(session.scalars(select(JointTask).where(JointTask.status == TODO_STATUS)))
    if not tasks:
        return entries
    details = {t.id: task_detail(session, t.id) for t in tasks}
    task_of = {p.pick_id: tid for tid, d in details.items() for p in d.live_picks}
    folded: dict[int, list] = {}
    kept = []
    for e in entries:
        tid = task_of.get(getattr(e, "pick_id", None)) if getattr(e, "inspection_id", None) is None else None
        if tid is None:
            kept.append(e)
        else:
            folded.setdefault(tid, []).append(e)
    for tid, d in details.items():
        if not d.live_picks:
            continue
        end = _period_end(d.year, d.period)
        due = min([end] + [e.due for e in folded.get(tid, []) if e.due])
        late = today > due
        if not folded.get(tid) and not late and (end - today).days > REMIND_DAYS:
            continue
        items = "、".join(p.item_number for p in d.live_picks)
        head = f"联合检查任务 #{d.task_id}（事项 {items}，{d.year}年{PERIOD_LABELS[d.period]}）"
        label = (f"{head}：应于{format_cn_date(due)}前检查，已逾期{(today - due).days}天，尚未录入检查结果" if late
                 else f"{head}：请于{format_cn_date(due)}前由联合检查组一次检查")
        kept.append(make(JOINT_OVERDUE if late else JOINT_DUE, label, due, late, d.object_name,
                         d.live_picks[0].pick_id))
    return kept
