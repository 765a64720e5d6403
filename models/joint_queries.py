"""Reading joint tasks (综合查一次): the list, one task's items and team, and which units are police.

Shared by models.joint_service (grouping), models.joint_visit (the visit) and the documents; nothing here writes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import UserError
from models.inspection import Inspection
from models.joint import JOINT_PERIODS, JOINT_STATUSES, JointTask, JointTaskMember, JointTaskPick
from models.plan import PlanItem
from models.roster import Inspector

__all__ = [
    "JointError", "PERIOD_LABELS", "TODO_STATUS", "DONE_STATUS", "CANCELLED_STATUS", "MIN_POLICE", "JointPick",
    "TeamMember", "JointTaskRow", "JointTaskDetail", "is_partner_unit", "police_units", "list_tasks",
    "task_detail", "get_task", "parse_period", "task_of_pick",
]

TODO_STATUS, DONE_STATUS, CANCELLED_STATUS = JOINT_STATUSES
PERIOD_LABELS = {"Y": "全年", "H1": "上半年", "H2": "下半年", "Q1": "第一季度", "Q2": "第二季度",
                 "Q3": "第三季度", "Q4": "第四季度"}
MIN_POLICE = 2  # seed 003: 检查民警不得少于两人, also on a joint team


class JointError(UserError, ValueError):
    """A joint task that cannot be made, changed or recorded as asked (message in Chinese, naming the field)."""


@dataclass
class JointPick:
    """One grouped (or groupable) pick: the item it was drawn for and its draw record."""

    pick_id: int
    draw_id: int
    item_id: int
    item_number: str
    item_name: str
    joint_group: str = ""
    inspection_id: int | None = None
    result: str = ""          # the inspection's 检查结果, or "" before the visit
    replaced: bool = False    # its draw was re-drawn, or a substitute replaced the unit: no longer to visit

    @property
    def label(self) -> str:
        return f"{self.item_number}．{self.item_name}"


@dataclass
class TeamMember:
    inspector_id: int
    name: str
    badge_no: str
    unit: str
    partner: bool             # a partner department's officer (not police)


@dataclass
class JointTaskRow:
    """One task in the list."""

    task_id: int
    year: int
    period: str
    object_id: int
    object_name: str
    credit_code: str
    items: str                # the item numbers, joined with 、
    team: str                 # the members' names, joined with 、
    lead_unit: str
    visit_date: date | None
    status: str
    picks: int

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS.get(self.period, self.period)


@dataclass
class JointTaskDetail:
    task_id: int
    year: int
    period: str
    object_id: int
    object_name: str
    credit_code: str
    address: str
    lead_unit: str
    visit_date: date | None
    status: str
    note: str
    picks: list[JointPick] = field(default_factory=list)
    team: list[TeamMember] = field(default_factory=list)

    @property
    def live_picks(self) -> list[JointPick]:
        """The picks still to visit (a re-drawn or substituted one drops out; its draw record says why)."""
        return [p for p in self.picks if not p.replaced]

    @property
    def units(self) -> list[str]:
        """The departments taking part: the lead first, then each member's unit once."""
        return list(dict.fromkeys([u for u in [self.lead_unit, *(m.unit for m in self.team)] if u]))


def parse_period(text: str | None) -> str:
    """"H1", "上半年", "q3" … as one of JOINT_PERIODS; refused in Chinese otherwise."""
    value = (text or "Y").strip().upper()
    for key, label in PERIOD_LABELS.items():
        if value in (key, label.upper()):
            return key
    raise JointError(f"期间“{text}”无效：应为 Y（全年）、H1/H2（上/下半年）或 Q1—Q4（季度）")


def is_partner_unit(unit: str, partners: list[str]) -> bool:
    """Whether an officer's unit is one of the items' 配合部门 (the draw's own matching of a plan wording)."""
    unit = (unit or "").strip()
    return bool(unit) and any(unit in p or p in unit for p in (x.strip() for x in partners if isinstance(x, str)) if p)


def get_task(session: Session, task_id: int) -> JointTask:
    task = session.get(JointTask, task_id) if isinstance(task_id, int) else None
    if task is None:
        raise JointError(f"没有编号为 {task_id} 的联合检查任务")
    return task


def _picks_of(session: Session, task_ids: list[int]) -> dict[int, list[JointPick]]:
    from models.draw import DrawPick, DrawRecord

    result: dict[int, list[JointPick]] = {t: [] for t in task_ids}
    if not task_ids:
        return result
    rows = session.execute(
        select(JointTaskPick.task_id, DrawPick.id, DrawPick.draw_id, PlanItem.id, PlanItem.number, PlanItem.item,
               PlanItem.joint_group, Inspection.id, Inspection.result_category, DrawPick.object_id)
        .join(DrawPick, DrawPick.id == JointTaskPick.pick_id).join(DrawRecord, DrawRecord.id == DrawPick.draw_id)
        .join(PlanItem, PlanItem.id == DrawRecord.plan_item_id)
        .outerjoin(Inspection, Inspection.pick_id == DrawPick.id)
        .where(JointTaskPick.task_id.in_(task_ids)).order_by(PlanItem.seq, PlanItem.id, DrawPick.id))
    from models.draw_history import DrawGraph

    graph = DrawGraph.load(session)
    for tid, pid, did, iid, number, name, group, insp_id, result_cat, oid in rows:
        replaced = not graph.effective(did) or oid in graph.substituted.get(did, {})
        result[tid].append(JointPick(pid, did, iid, number, name, group or "", insp_id, result_cat or "", replaced))
    return result


def _members_of(session: Session, task_ids: list[int]) -> dict[int, list[TeamMember]]:
    result: dict[int, list[TeamMember]] = {t: [] for t in task_ids}
    if not task_ids:
        return result
    police = police_units(session)
    for tid, iid, name, badge, unit in session.execute(
            select(JointTaskMember.task_id, Inspector.id, Inspector.name, Inspector.badge_no, JointTaskMember.unit)
            .join(Inspector, Inspector.id == JointTaskMember.inspector_id)
            .where(JointTaskMember.task_id.in_(task_ids)).order_by(JointTaskMember.id)):
        result[tid].append(TeamMember(iid, name, badge, unit, unit not in police))
    for members in result.values():
        members.sort(key=lambda m: m.partner)  # police first, then the partner departments' officers
    return result


def police_units(session: Session) -> set[str]:
    """Units whose officers are police: a department registered as 公安, or a unit no plan item names as a
    配合部门 (and not registered as one)."""
    from models.organisation import Department

    kinds = dict(session.execute(select(Department.name, Department.kind)).all())
    partners = [p for ps in session.scalars(select(PlanItem.partners)) for p in (ps or [])]
    units = set(session.scalars(select(Inspector.unit).distinct()))
    return {u for u in units if u and (kinds[u] == "公安" if u in kinds else not is_partner_unit(u, partners))}


def list_tasks(session: Session, year: int | None = None, period: str | None = None, *,
               include_cancelled: bool = True) -> list[JointTaskRow]:
    """Joint tasks, newest period first, then by object."""
    stmt = select(JointTask).order_by(JointTask.year.desc(), JointTask.period, JointTask.id)
    if year is not None:
        stmt = stmt.where(JointTask.year == year)
    if period:
        stmt = stmt.where(JointTask.period == parse_period(period))
    if not include_cancelled:
        stmt = stmt.where(JointTask.status != CANCELLED_STATUS)
    tasks = list(session.scalars(stmt))
    ids = [t.id for t in tasks]
    picks, members = _picks_of(session, ids), _members_of(session, ids)
    return [JointTaskRow(t.id, t.year, t.period, t.object_id, t.inspected_object.name,
                         t.inspected_object.credit_code or "", "、".join(p.item_number for p in picks[t.id]),
                         "、".join(m.name for m in members[t.id]), t.lead_unit, t.visit_date, t.status,
                         len(picks[t.id])) for t in tasks]


def task_detail(session: Session, task_id: int) -> JointTaskDetail:
    task = get_task(session, task_id)
    obj = task.inspected_object
    return JointTaskDetail(task.id, task.year, task.period, obj.id, obj.name, obj.credit_code or "",
                           obj.address or "", task.lead_unit, task.visit_date, task.status, task.note,
                           _picks_of(session, [task.id])[task.id], _members_of(session, [task.id])[task.id])


assert set(PERIOD_LABELS) == set(JOINT_PERIODS)


def task_of_pick(session: Session, pick_id: int) -> int | None:
    """The standing joint task a pick is grouped into, if any (its visit is recorded through the task)."""
    return session.scalar(select(JointTask.id).join(JointTaskPick, JointTaskPick.task_id == JointTask.id)
                          .where(JointTaskPick.pick_id == pick_id, JointTask.status != CANCELLED_STATUS))
