"""Recording a joint visit (综合查一次): one date and one team, a result per grouped item.

Each grouped pick gets (or keeps) its own Inspection through models.inspection_service, so each item's publicity
row keeps its own result and checklist; all of them are linked by Inspection.joint_task_id. The hazards of all
of them go on one notice (usecases.joint_docs), issued on the task's first inspection with hazards.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import audit
from models.inspection import Hazard, Inspection, RectificationNotice
from models.inspection_service import (
    CheckInput, HazardInput, InspectionData, InspectionError, InspectionForm, InspectorChoice, inspection_form,
    save_inspection,
)
from models.joint import JointTask
from models.joint_queries import (
    CANCELLED_STATUS, DONE_STATUS, MIN_POLICE, JointError, JointTaskDetail, get_task, police_units, task_detail,
)
from models.roster import Inspector

__all__ = [
    "JointItemResult", "JointVisitData", "JointVisitForm", "joint_visit_form", "record_joint_visit",
    "task_inspections", "joint_hazards", "notice_inspection", "sibling_notice", "covered_by_joint_notice",
]


@dataclass
class JointItemResult:
    """One grouped item's result: its 检查结果, each verdict of its checklist and its hazards."""

    pick_id: int
    result_category: str
    checks: list[CheckInput] = field(default_factory=list)
    hazards: list[HazardInput] = field(default_factory=list)
    result_subkind: str = ""
    follow_up: str = ""
    note: str = ""


@dataclass
class JointVisitData:
    """What the clerk enters once for the visit, and a result per item."""

    task_id: int
    date_from: date
    date_to: date
    inspector_ids: list[int]
    items: list[JointItemResult]
    change_reason: str = ""
    method: str = "实地检查"
    executing_unit: str = ""
    signed_refused: bool = False
    finished: bool = False
    finished_date: date | None = None


@dataclass
class JointVisitForm:
    detail: JointTaskDetail
    forms: list[InspectionForm]        # one per grouped pick, in item order
    team_ids: list[int]                # the task's team (the default 检查人员)
    inspectors: list[InspectorChoice]
    existing: JointVisitData | None = None


def task_inspections(session: Session, task_id: int) -> list[Inspection]:
    """The inspections recorded for a task, in its items' order."""
    detail = task_detail(session, task_id)
    order = {p.pick_id: n for n, p in enumerate(detail.picks)}
    rows = list(session.scalars(select(Inspection).where(Inspection.joint_task_id == task_id)))
    return sorted(rows, key=lambda i: (order.get(i.pick_id, len(order)), i.id))


def joint_visit_form(session: Session, task_id: int) -> JointVisitForm:
    detail = task_detail(session, task_id)
    if not detail.picks:
        raise JointError(f"联合检查任务 #{task_id} 已撤销，没有要检查的事项")
    if not detail.live_picks:
        raise JointError(f"联合检查任务 #{task_id} 的抽取结果已全部被重抽或替补替代，请撤销本任务")
    detail.picks = detail.live_picks
    forms = [inspection_form(session, p.pick_id) for p in detail.picks]
    form = JointVisitForm(detail, forms, [m.inspector_id for m in detail.team], forms[0].inspectors)
    stored = [f for f in forms if f.existing is not None]
    if stored:
        first = stored[0].existing
        form.existing = JointVisitData(
            task_id, first.date_from, first.date_to, list(first.inspector_ids),
            [JointItemResult(f.pick_id, f.existing.result_category, list(f.existing.checks),
                             list(f.existing.hazards), f.existing.result_subkind, f.existing.follow_up,
                             f.existing.note) for f in stored],
            change_reason=first.change_reason, method=first.method, executing_unit=first.executing_unit,
            signed_refused=first.signed_refused, finished=first.finished, finished_date=first.finished_date)
    return form


def _default_reason(task: JointTask) -> str:
    return f"综合查一次：联合检查任务 #{task.id} 由联合检查组一次检查"


def record_joint_visit(session: Session, data: JointVisitData, actor: str) -> list[int]:
    """Record (or correct) the visit: one inspection per grouped pick, same date and team; returns their ids."""
    task = get_task(session, data.task_id)
    if task.status == CANCELLED_STATUS:
        raise JointError(f"联合检查任务 #{task.id} 已撤销，不能录入检查结果")
    detail = task_detail(session, task.id)
    detail.picks = detail.live_picks  # a re-drawn or substituted pick is no longer visited
    by_pick = {r.pick_id: r for r in data.items}
    for pick in detail.picks:
        if pick.pick_id not in by_pick:
            raise JointError(f"抽查事项 {pick.label}：请录入本事项的检查结果（联合检查的每个事项各有其结果）")
    extra = [pid for pid in by_pick if pid not in {p.pick_id for p in detail.picks}]
    if extra:
        raise JointError(f"编号为 {extra[0]} 的抽取结果不属于联合检查任务 #{task.id}")
    ids = list(dict.fromkeys(data.inspector_ids))
    police = police_units(session)
    units = dict(session.execute(select(Inspector.id, Inspector.unit).where(Inspector.id.in_(ids))).all())
    police = sum(1 for i in ids if units.get(i, "") in police)
    if ids and all(i in units for i in ids) and police < MIN_POLICE:
        raise JointError(f"检查人员：联合检查组中公安民警只有 {police} 名，检查民警不得少于 {MIN_POLICE} 人，"
                         "请补充实际参加检查的民警")
    reason = (data.change_reason or "").strip() or _default_reason(task)
    saved = []
    for pick in detail.picks:
        item = by_pick[pick.pick_id]
        one = InspectionData(
            pick_id=pick.pick_id, date_from=data.date_from, date_to=data.date_to, inspector_ids=ids,
            result_category=item.result_category, checks=list(item.checks), hazards=list(item.hazards),
            change_reason=reason, result_subkind=item.result_subkind, method=data.method,
            follow_up=item.follow_up, finished=data.finished, finished_date=data.finished_date,
            executing_unit=(data.executing_unit or "").strip() or task.lead_unit,
            signed_refused=data.signed_refused, note=item.note)
        try:
            insp_id = save_inspection(session, one, actor, joint_task_id=task.id)
        except InspectionError as e:  # name the item it is about; UnsetChoice keeps its entry_id
            e.args = (f"抽查事项 {pick.label}：{e.args[0] if e.args else e}",) + e.args[1:]
            raise
        insp = session.get(Inspection, insp_id)
        insp.joint_task_id = task.id
        saved.append(insp_id)
    task.visit_date = data.date_from
    task.status = DONE_STATUS
    session.flush()
    audit.append(session, user=actor, action="录入联合检查结果", entity="joint_task", entity_id=task.id, detail={
        "检查对象": detail.object_name, "检查日期": f"{data.date_from}—{data.date_to}", "检查人员": ids,
        "检查记录": saved, "结果": {p.item_number: by_pick[p.pick_id].result_category for p in detail.picks}})
    return saved


def joint_hazards(session: Session, insp: Inspection) -> list[tuple[str, str]]:
    """The hazards a notice on ``insp`` lists: of every inspection of its joint task, else its own."""
    if not insp.joint_task_id:
        return [(h.text, h.clause) for h in insp.hazards]
    return [(h.text, h.clause) for i in task_inspections(session, insp.joint_task_id) for h in i.hazards]


def notice_inspection(session: Session, task_id: int) -> int:
    """The inspection a task's one notice is issued on: its first with hazards."""
    task = get_task(session, task_id)
    for insp in task_inspections(session, task.id):
        if insp.hazards:
            return insp.id
    if not task_inspections(session, task.id):
        raise JointError(f"联合检查任务 #{task.id} 尚未录入检查结果，不能制作整改通知书")
    raise JointError(f"联合检查任务 #{task.id}（{task.inspected_object.name}）的检查中没有治安隐患，无需制作整改通知书")


def sibling_notice(session: Session, insp: Inspection) -> RectificationNotice | None:
    """A valid notice already issued on another inspection of the same joint task."""
    if not insp.joint_task_id:
        return None
    return session.scalar(select(RectificationNotice)
                          .join(Inspection, Inspection.id == RectificationNotice.inspection_id)
                          .where(Inspection.joint_task_id == insp.joint_task_id, Inspection.id != insp.id,
                                 RectificationNotice.voided.is_(False)).limit(1))


def covered_by_joint_notice(session: Session) -> set[int]:
    """Inspections with hazards that need no notice of their own: another inspection of their joint task has
    (or, before it is made, is the one to carry) the task's one notice."""
    rows = session.execute(select(Inspection.id, Inspection.joint_task_id)
                           .where(Inspection.joint_task_id.is_not(None),
                                  Inspection.id.in_(select(Hazard.inspection_id)))
                           .order_by(Inspection.joint_task_id, Inspection.id)).all()
    with_notice = set(session.scalars(select(RectificationNotice.inspection_id)
                                      .where(RectificationNotice.voided.is_(False),
                                             RectificationNotice.inspection_id.in_([r[0] for r in rows]))))
    by_task: dict[int, list[int]] = {}
    for iid, tid in rows:
        by_task.setdefault(tid, []).append(iid)
    covered: set[int] = set()
    for ids in by_task.values():
        carrier = next((i for i in ids if i in with_notice), ids[0])
        covered |= {i for i in ids if i != carrier}
    return covered
