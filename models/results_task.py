"""A task's objects as the team's result sheet lists them: a draw's effective picks, their drawn officers,
the plan item's checklist and any inspection already recorded (so a re-exported sheet shows it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.draw import DrawPick, DrawRecord
from models.draw_announcement import announcement_number
from models.draw_history import DrawGraph, effective_picks
from models.inspection import Inspection
from models.inspection_service import InspectionData, InspectionError, get_inspection_data
from models.plan import ChecklistEntry, Plan, PlanItem
from models.roster import Inspector
from models.seal import DrawAnnouncement

__all__ = ["TASK_DRAW", "TaskEntry", "TaskOfficer", "TaskRow", "ResultsTask", "draw_task", "inspectors_by_badge"]

TASK_DRAW = "draw"


@dataclass(frozen=True)
class TaskEntry:
    """检查内容 — one checklist entry of the plan item, a verdict column on the sheet."""

    entry_id: int
    seq: int
    text: str


@dataclass(frozen=True)
class TaskOfficer:
    """A drawn officer as the sheet names him: 警号 and 执法证号."""

    inspector_id: int
    name: str
    badge_no: str
    cert_no: str

    def label(self) -> str:
        cert = f" 执法证{self.cert_no}" if self.cert_no else ""
        return f"{self.name} 警号{self.badge_no}{cert}"


@dataclass
class TaskRow:
    """One object of the task: what the sheet prints in its fixed columns, and the stored inspection if any."""

    seq: int
    pick_id: int
    object_id: int
    draw_id: int
    draw_label: str                  # "记录 12（公告 2024-003）"
    object_name: str
    credit_code: str
    address: str
    officers: list[TaskOfficer]
    inspection_id: int | None = None
    existing: InspectionData | None = None


@dataclass
class ResultsTask:
    """The objects a team goes out to check, with what every row of their result sheet needs."""

    kind: str
    draw_id: int
    year: int
    item_id: int
    item_label: str                  # "1 对旅馆业的检查"
    responsible_unit: str
    drawn_on: date
    checklist: list[TaskEntry] = field(default_factory=list)
    rows: list[TaskRow] = field(default_factory=list)
    badges: dict[int, str] = field(default_factory=dict)   # 警号 of every officer of a stored inspection

    @property
    def title(self) -> str:
        return f"{self.year}年 抽查事项{self.item_label} — 抽取记录 {self.draw_id} 检查结果填报表"


def _record_label(session: Session, record: DrawRecord) -> str:
    label = f"记录 {record.id}"
    if record.announcement_id is not None:
        ann = session.get(DrawAnnouncement, record.announcement_id)
        if ann is not None:
            label += f"（公告 {announcement_number(ann.year, ann.number)}）"
    return label


def draw_task(session: Session, draw_id: int) -> ResultsTask:
    """The effective picks of draw record ``draw_id`` (with the substitutes made within it), in draw order."""
    record = session.get(DrawRecord, draw_id)
    if record is None:
        raise InspectionError(f"没有编号为 {draw_id} 的抽取记录")
    graph = DrawGraph.load(session)
    if not graph.effective(draw_id):
        newer = graph.redrawn_by.get(draw_id)
        hint = f"（已由重抽记录 {newer} 替代）" if newer else ""
        raise InspectionError(f"抽取记录 {draw_id} 已被重抽替代{hint}，请导出仍然有效的抽取记录")
    item = session.get(PlanItem, record.plan_item_id)
    year = session.scalar(select(Plan.year).where(Plan.id == item.plan_id))
    records = graph.descendants(draw_id)
    picks = [p for p in effective_picks(session, year, item.id, with_inspectors=False) if p.draw_id in records]
    task = ResultsTask(kind=TASK_DRAW, draw_id=draw_id, year=year, item_id=item.id,
                       item_label=f"{item.number} {item.item}", responsible_unit=item.responsible_unit or "",
                       drawn_on=record.created_at.date())
    task.checklist = [TaskEntry(e.id, e.seq, e.text) for e in session.scalars(
        select(ChecklistEntry).where(ChecklistEntry.plan_item_id == item.id).order_by(ChecklistEntry.seq))]
    labels = {rid: _record_label(session, session.get(DrawRecord, rid)) for rid in {p.draw_id for p in picks}}
    inspections = dict(session.execute(select(Inspection.pick_id, Inspection.id).where(
        Inspection.pick_id.in_([p.pick_id for p in picks]))).all()) if picks else {}
    for n, p in enumerate(picks, start=1):
        pick = session.get(DrawPick, p.pick_id)
        obj = pick.inspected_object
        officers = [TaskOfficer(a.inspector.id, a.inspector.name, a.inspector.badge_no, a.inspector.cert_no or "")
                    for a in pick.assignments]
        row = TaskRow(seq=n, pick_id=p.pick_id, object_id=obj.id, draw_id=p.draw_id, draw_label=labels[p.draw_id],
                      object_name=obj.name, credit_code=obj.credit_code, address=obj.address or "",
                      officers=officers)
        if (insp_id := inspections.get(p.pick_id)) is not None:
            row.inspection_id = insp_id
            row.existing = get_inspection_data(session, insp_id)
        task.rows.append(row)
    ids = {i for r in task.rows if r.existing for i in r.existing.inspector_ids}
    if ids:
        task.badges = dict(session.execute(select(Inspector.id, Inspector.badge_no).where(Inspector.id.in_(ids))).all())
    return task


def inspectors_by_badge(session: Session, badges: set[str]) -> dict[str, tuple[int, str]]:
    """警号 → (inspector id, name) for the given badges found on the roster."""
    if not badges:
        return {}
    return {badge: (iid, name) for badge, iid, name in session.execute(
        select(Inspector.badge_no, Inspector.id, Inspector.name).where(Inspector.badge_no.in_(sorted(badges))))}
