"""综合查一次 (issue 19 item 1): proposing, creating, listing and cancelling joint tasks.

A joint task groups, for one object and one period, the effective picks of several plan items into one visit
by one team. It only refers to draw picks (joint_task_picks) and never changes a draw record, pick or
assignment: grouping is a scheduling layer on top of verified draws. A pick is in at most one task that is not
cancelled; cancelling frees its picks (the audit entry keeps which they were).

A pick's period is the half-year or quarter of its draw's date within the plan year (a draw made before the
year counts in its first period, one made after it in its last).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import audit
from models.draw_history import EffectivePick, effective_picks
from models.inspection import Inspection
from models.joint import JointTask, JointTaskMember, JointTaskPick
from models.joint_queries import (
    CANCELLED_STATUS, DONE_STATUS, MIN_POLICE, PERIOD_LABELS, TODO_STATUS, JointError, JointPick, JointTaskDetail,
    JointTaskRow, TeamMember, get_task, is_partner_unit, list_tasks, parse_period, police_units, task_detail,
)
from models.plan import PlanItem
from models.roster import InspectedObject, Inspector
from models.workdays import format_cn_date

__all__ = [
    "JointError", "PERIOD_LABELS", "TODO_STATUS", "DONE_STATUS", "CANCELLED_STATUS", "JointProposal",
    "JointPick", "JointTaskRow", "TeamMember", "JointTaskDetail", "CreateResult", "parse_period",
    "period_of", "period_bounds", "propose", "create_tasks", "group_automatically", "cancel_task", "list_tasks",
    "task_detail", "is_partner_unit", "MIN_POLICE", "set_joint_group", "group_after_draw",
]


@dataclass
class JointProposal:
    """An object drawn for two or more items in the period, with its picks not yet in a task."""

    object_id: int
    object_name: str
    credit_code: str
    picks: list[JointPick]
    auto: bool = False        # every item shares one 综合查一次 group

    @property
    def items_label(self) -> str:
        return "、".join(p.item_number for p in self.picks)


@dataclass
class CreateResult:
    task_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def period_of(day: date, year: int, period: str) -> bool:
    """Whether ``day`` (a draw's date) falls in ``period`` of plan ``year``."""
    if period == "Y":
        return True
    month = 1 if day.year < year else 12 if day.year > year else day.month
    if period in ("H1", "H2"):
        return (month <= 6) == (period == "H1")
    return (month - 1) // 3 + 1 == int(period[1])


def period_bounds(year: int, period: str) -> tuple[date, date]:
    """First and last day of ``period`` of ``year``."""
    if period == "Y":
        return date(year, 1, 1), date(year, 12, 31)
    months = 6 if period[0] == "H" else 3
    first = (int(period[1]) - 1) * months + 1
    last = first + months - 1
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), date.fromordinal(end.toordinal() - 1)


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise JointError(f"年度“{year}”无效，请写成四位年份，例如 2024")
    return year


def _taken_picks(session: Session) -> set[int]:
    return set(session.scalars(select(JointTaskPick.pick_id)))


def _inspected_picks(session: Session, pick_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(pick_ids), 900):
        found |= set(session.scalars(select(Inspection.pick_id).where(
            Inspection.pick_id.in_(pick_ids[start:start + 900]))))
    return found


def _free_picks(session: Session, year: int, period: str) -> list[EffectivePick]:
    """The period's effective picks not in a task and not inspected on their own."""
    picks = [p for p in effective_picks(session, year, with_inspectors=False)
             if period_of(p.drawn_at.date(), year, period)]
    taken = _taken_picks(session) | _inspected_picks(session, [p.pick_id for p in picks])
    return [p for p in picks if p.pick_id not in taken]


def _items(session: Session, ids) -> dict[int, PlanItem]:
    return {i.id: i for i in session.scalars(select(PlanItem).where(PlanItem.id.in_(set(ids))))}


def _proposals(session: Session, picks: list[EffectivePick]) -> list[JointProposal]:
    items = _items(session, {p.plan_item_id for p in picks})
    by_object: OrderedDict[int, list[EffectivePick]] = OrderedDict()
    for p in sorted(picks, key=lambda p: (p.object_name, p.object_id, items[p.plan_item_id].seq, p.draw_id)):
        by_object.setdefault(p.object_id, []).append(p)
    result = []
    for oid, group in by_object.items():
        first_per_item: OrderedDict[int, EffectivePick] = OrderedDict()
        for p in group:  # one pick per item (a second round of the same item is a visit of its own)
            first_per_item.setdefault(p.plan_item_id, p)
        if len(first_per_item) < 2:
            continue
        joint = [JointPick(p.pick_id, p.draw_id, p.plan_item_id, items[p.plan_item_id].number,
                           items[p.plan_item_id].item, (items[p.plan_item_id].joint_group or "").strip())
                 for p in first_per_item.values()]
        groups = {j.joint_group for j in joint}
        result.append(JointProposal(oid, group[0].object_name, group[0].credit_code, joint,
                                    auto=len(groups) == 1 and "" not in groups))
    return result


def propose(session: Session, year: int, period: str = "Y") -> list[JointProposal]:
    """这些单位本期被 2 个以上事项抽中: one proposal per object, from valid picks not yet in a task."""
    return _proposals(session, _free_picks(session, _check_year(year), parse_period(period)))


def _team(session: Session, pick_ids: list[int]) -> list[TeamMember]:
    from models.draw import DrawAssignment

    police = police_units(session)
    rows = session.execute(select(DrawAssignment.pick_id, Inspector.id, Inspector.name, Inspector.badge_no,
                                  Inspector.unit)
                           .join(Inspector, Inspector.id == DrawAssignment.inspector_id)
                           .where(DrawAssignment.pick_id.in_(pick_ids))
                           .order_by(DrawAssignment.pick_id, DrawAssignment.slot)).all()
    order = {pid: n for n, pid in enumerate(pick_ids)}
    members: OrderedDict[int, TeamMember] = OrderedDict()
    for _pid, iid, name, badge, unit in sorted(rows, key=lambda r: order[r[0]]):
        members.setdefault(iid, TeamMember(iid, name, badge, unit or "", (unit or "") not in police))
    # Police first, then the partner departments' officers.
    return sorted(members.values(), key=lambda m: m.partner)


def _create_one(session: Session, year: int, period: str, proposal: JointProposal, actor: str,
                lead_unit: str | None, visit_date: date | None, note: str) -> tuple[int, str | None]:
    items = _items(session, [p.item_id for p in proposal.picks])
    ordered = [items[p.item_id] for p in proposal.picks]
    lead = (lead_unit or "").strip() or next(
        (u for u in ((i.initiator or "").strip() or (i.responsible_unit or "").strip() for i in ordered) if u), "")
    task = JointTask(year=year, period=period, object_id=proposal.object_id, lead_unit=lead,
                     visit_date=visit_date, status=TODO_STATUS, note=(note or "").strip(), created_by=actor or "")
    session.add(task)
    session.flush()
    pick_ids = [p.pick_id for p in proposal.picks]
    for pid in pick_ids:
        session.add(JointTaskPick(task_id=task.id, pick_id=pid))
    team = _team(session, pick_ids)
    for m in team:
        session.add(JointTaskMember(task_id=task.id, inspector_id=m.inspector_id, unit=m.unit))
    session.flush()  # a pick grouped meanwhile by another seat fails here (unique pick_id), nothing half-made
    police = sum(not m.partner for m in team)
    warning = None
    if police < MIN_POLICE:
        warning = (f"“{proposal.object_name}”的联合检查组只有 {police} 名公安民警（至少 {MIN_POLICE} 名），"
                   "录入检查结果时请补充实际参加检查的民警")
    audit.append(session, user=actor, action="生成联合检查任务", entity="joint_task", entity_id=task.id, detail={
        "年度": year, "期间": PERIOD_LABELS[period], "检查对象": proposal.object_name,
        "抽查事项": [p.item_number for p in proposal.picks], "抽取结果": pick_ids, "牵头部门": lead,
        "检查组": [m.name for m in team], "检查日期": visit_date.isoformat() if visit_date else None})
    return task.id, warning


def _find_objects(session: Session, codes: list[str]) -> list[int]:
    ids = []
    for code in codes:
        code = (code or "").strip()
        oid = session.scalar(select(InspectedObject.id).where(
            (InspectedObject.credit_code == code.upper()) | (InspectedObject.name == code)).limit(1))
        if oid is None:
            raise JointError(f"检查对象：名录库中没有统一社会信用代码或名称为“{code}”的单位")
        ids.append(oid)
    return ids


def create_tasks(session: Session, year: int, period: str, actor: str, *, objects: list[str] | None = None,
                 object_ids: list[int] | None = None, lead_unit: str | None = None,
                 visit_date: date | None = None, note: str = "") -> CreateResult:
    """One joint task per proposed object (all of them, or the named ones), in one transaction."""
    year, period = _check_year(year), parse_period(period)
    if visit_date is not None:
        low, high = period_bounds(year, period)
        if not low <= visit_date <= high:
            raise JointError(f"检查日期（{format_cn_date(visit_date)}）不在{year}年{PERIOD_LABELS[period]}"
                             f"（{format_cn_date(low)}至{format_cn_date(high)}）内")
    proposals = propose(session, year, period)
    wanted = list(object_ids or []) + (_find_objects(session, objects) if objects else [])
    if wanted:
        by_object = {p.object_id: p for p in proposals}
        missing = [oid for oid in wanted if oid not in by_object]
        if missing:
            name = session.get(InspectedObject, missing[0])
            raise JointError(f"“{name.name if name else missing[0]}”在{year}年{PERIOD_LABELS[period]}没有被 2 个以上"
                             "抽查事项抽中且尚未编入联合检查任务的抽取结果，不能生成联合检查任务")
        proposals = [by_object[oid] for oid in dict.fromkeys(wanted)]
    if not proposals:
        raise JointError(f"{year}年{PERIOD_LABELS[period]}没有被 2 个以上抽查事项抽中、尚未编入联合检查任务的单位")
    result = CreateResult()
    for proposal in proposals:
        task_id, warning = _create_one(session, year, period, proposal, actor, lead_unit, visit_date, note)
        result.task_ids.append(task_id)
        if warning:
            result.warnings.append(warning)
    return result


def _group_period(items: list[PlanItem]) -> list[str]:
    """The periods an automatic group is made for: by quarter or half-year when its items recur that often."""
    rounds = max((i.rounds_min or 1) for i in items)
    return ["Q1", "Q2", "Q3", "Q4"] if rounds >= 4 else ["H1", "H2"] if rounds >= 2 else ["Y"]


def _join_open_tasks(session: Session, year: int, period: str, group: str, picks: list[EffectivePick],
                     actor: str) -> dict[int, int]:
    """Put a group item's newly drawn pick into the waiting task of its unit (the group's items are drawn one
    after another: the second draw makes the task, the third joins it). Returns {pick id: task id}."""
    from models.draw import DrawAssignment

    tasks: dict[int, tuple[JointTask, set[int], set[int], str]] = {}  # object -> task, its items, its team, name
    for task in session.scalars(select(JointTask).where(JointTask.year == year, JointTask.period == period,
                                                        JointTask.status == TODO_STATUS).order_by(JointTask.id)):
        detail = task_detail(session, task.id)
        if any(p.joint_group == group for p in detail.live_picks) and task.object_id not in tasks:
            tasks[task.object_id] = (task, {p.item_id for p in detail.live_picks},
                                     {m.inspector_id for m in detail.team}, detail.object_name)
    joined: dict[int, int] = {}
    for pick in picks:
        if pick.object_id not in tasks:
            continue
        task, items, team, name = tasks[pick.object_id]
        if pick.plan_item_id in items:
            continue  # a second round of an item the visit already covers is a visit of its own
        session.add(JointTaskPick(task_id=task.id, pick_id=pick.pick_id))
        items.add(pick.plan_item_id)
        for iid, unit in session.execute(select(Inspector.id, Inspector.unit)
                                         .join(DrawAssignment, DrawAssignment.inspector_id == Inspector.id)
                                         .where(DrawAssignment.pick_id == pick.pick_id)
                                         .order_by(DrawAssignment.slot)):
            if iid not in team:
                session.add(JointTaskMember(task_id=task.id, inspector_id=iid, unit=unit or ""))
                team.add(iid)
        session.flush()
        joined[pick.pick_id] = task.id
        audit.append(session, user=actor, action="加入联合检查任务", entity="joint_task", entity_id=task.id,
                     detail={"检查对象": name, "抽取结果": pick.pick_id, "抽查事项": pick.item_number, "分组": group})
    return joined


def group_automatically(session: Session, year: int, actor: str) -> CreateResult:
    """Tasks for the objects drawn for two or more items of one 综合查一次 group (PlanItem.joint_group)."""
    from models.plan import Plan

    year = _check_year(year)
    items = list(session.scalars(select(PlanItem).join(Plan, Plan.id == PlanItem.plan_id)
                                 .where(Plan.year == year, PlanItem.joint_group != "")))
    groups: dict[str, list[PlanItem]] = {}
    for item in items:
        groups.setdefault(item.joint_group.strip(), []).append(item)
    result = CreateResult()
    for name, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        ids = {i.id for i in members}
        for period in _group_period(members):
            picks = [p for p in _free_picks(session, year, period) if p.plan_item_id in ids]
            joined = _join_open_tasks(session, year, period, name, picks, actor)
            result.task_ids += [t for t in dict.fromkeys(joined.values()) if t not in result.task_ids]
            picks = [p for p in picks if p.pick_id not in joined]
            for proposal in _proposals(session, picks):
                task_id, warning = _create_one(session, year, period, proposal, actor, None, None,
                                               f"综合查一次分组“{name}”自动编组")
                result.task_ids.append(task_id)
                if warning:
                    result.warnings.append(warning)
    return result


def cancel_task(session: Session, task_id: int, reason: str, actor: str) -> None:
    """已撤销: the task stays on record, its picks are freed for another task or a visit of their own."""
    from models.text import REASON_MAX, limited

    task = get_task(session, task_id)
    reason = limited(reason, "撤销原因", REASON_MAX, error=JointError)
    if not reason:
        raise JointError("撤销联合检查任务必须填写原因")
    if task.status == CANCELLED_STATUS:
        raise JointError(f"联合检查任务 #{task.id} 已经撤销")
    if session.scalar(select(Inspection.id).where(Inspection.joint_task_id == task.id).limit(1)) is not None:
        raise JointError(f"联合检查任务 #{task.id} 已录入检查结果，不能撤销；如有错误请修改检查结果")
    rows = list(session.scalars(select(JointTaskPick).where(JointTaskPick.task_id == task.id)))
    freed = [r.pick_id for r in rows]
    items = "、".join(p.item_number for p in task_detail(session, task.id).picks)
    for row in rows:
        session.delete(row)
    task.status = CANCELLED_STATUS
    cancelled = f"撤销原因：{reason}（原抽查事项 {items}）"
    task.note = f"{task.note}；{cancelled}" if task.note else cancelled
    session.flush()
    audit.append(session, user=actor, action="撤销联合检查任务", entity="joint_task", entity_id=task.id,
                 detail={"检查对象": task.inspected_object.name, "原因": reason, "释放的抽取结果": freed})




def set_joint_group(session: Session, year: int, numbers: list[str], name: str, actor: str) -> list[str]:
    """Mark plan items of ``year`` as one 综合查一次 group (``name`` empty: take them out of their group).

    Their picks of one unit and period are then grouped automatically once drawn. Returns the items' numbers."""
    from models.plan import Plan
    from models.text import limited

    year = _check_year(year)
    name = limited(name, "综合查一次分组名称", 50, error=JointError)
    wanted = list(dict.fromkeys(str(n).strip() for n in numbers if str(n).strip()))
    if name and len(wanted) < 2:
        raise JointError("综合查一次分组：请至少选择两个抽查事项")
    items = {i.number: i for i in session.scalars(select(PlanItem).join(Plan, Plan.id == PlanItem.plan_id)
                                                   .where(Plan.year == year, PlanItem.number.in_(wanted)))}
    missing = [n for n in wanted if n not in items]
    if missing:
        raise JointError(f"抽查事项：{year}年度计划中没有编号为“{missing[0]}”的事项")
    for number in wanted:
        items[number].joint_group = name
    session.flush()
    audit.append(session, user=actor, action="设置综合查一次分组" if name else "取消综合查一次分组",
                 entity="plan", entity_id=year, detail={"年度": year, "分组": name, "抽查事项": wanted})
    return wanted


def group_after_draw(db, draw_id: int, actor: str) -> list[int]:
    """After a draw committed: if its item belongs to a 综合查一次 group, group the year's picks of that group.

    A separate transaction, so grouping can never undo or hold up the draw; a refusal here only means nothing
    was grouped (the clerk can still group on the 综合查一次 tab)."""
    from sqlalchemy.exc import SQLAlchemyError

    from models.draw import DrawRecord
    from models.errors import UserError
    from models.plan import Plan

    try:
        with db.session() as s:
            row = s.execute(select(PlanItem.joint_group, Plan.year).join(DrawRecord, DrawRecord.plan_item_id
                                                                           == PlanItem.id)
                            .join(Plan, Plan.id == PlanItem.plan_id).where(DrawRecord.id == draw_id)).first()
            if row is None or not (row[0] or "").strip():
                return []
            return group_automatically(s, row[1], actor).task_ids
    except (UserError, SQLAlchemyError):
        return []
