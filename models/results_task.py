"""A task's objects as the team's result sheet lists them: a draw's effective picks, their drawn officers,
the plan item's checklist and any inspection already recorded (so a re-exported sheet shows it); or a day's
round (TASK_ROUND): the objects of a routine duty still due in one period for one 辖区, with no drawn officers
(the team writes who went) and no checklist, each filled row recorded as a 日常巡查 marked for the duty."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.duties import DutyError, DutyRow, get_duty
from models.duty_coverage import DUE, OVERDUE, UPCOMING, coverage, period_bounds, period_index, period_name
from models.draw import DrawPick, DrawRecord
from models.draw_announcement import announcement_number
from models.draw_history import DrawGraph, effective_picks
from models.inspection import Inspection
from models.inspection_service import InspectionData, InspectionError, get_inspection_data
from models.plan import ChecklistEntry, Plan, PlanItem
from models.roster import InspectedObject, Inspector
from models.workdays import format_cn_date
from models.seal import DrawAnnouncement

__all__ = ["TASK_DRAW", "TASK_ROUND", "ROUND_SOURCE", "TaskEntry", "TaskOfficer", "TaskRow", "ResultsTask",
           "draw_task", "round_task", "round_sheet_task", "inspectors_by_badge"]

TASK_DRAW = "draw"
TASK_ROUND = "round"
ROUND_SOURCE = "日常巡查"         # the source of every check a round sheet records


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
    jurisdiction: str = ""           # a round's row: the object's 辖区
    state: str = ""                  # a round's row: 待查 / 逾期 / 未开始 when exported


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
    # A round (TASK_ROUND): the duty, the 辖区 (None: all), the period and the day of the round (None: any day).
    duty: DutyRow | None = None
    jurisdiction: str | None = None
    start: date | None = None
    end: date | None = None
    day: date | None = None
    period: str = ""                 # 2024年5月

    @property
    def task_id(self) -> int:
        """What the sheet's hidden sheet names: the draw record, or the duty."""
        return self.duty.id if self.kind == TASK_ROUND else self.draw_id

    @property
    def title(self) -> str:
        if self.kind == TASK_ROUND:
            where = f"{self.jurisdiction} " if self.jurisdiction else ""
            when = format_cn_date(self.day) if self.day else self.period
            return f"{where}{when} 日常巡查（{self.duty.label}，任务 {self.duty.id}）检查结果填报表"
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
                      object_name=obj.name, credit_code=obj.credit_code or "", address=obj.address or "",
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


def _round_duty(session: Session, duty_id: int) -> DutyRow:
    try:
        duty = get_duty(session, duty_id)
    except DutyError:
        raise InspectionError(f"巡查任务：没有编号为 {duty_id} 的日常巡查任务") from None
    if not duty.active:
        raise InspectionError(f"巡查任务：“{duty.label}”（编号 {duty.id}）已停用，不能再导出它的巡查填报表")
    return duty


def round_task(session: Session, duty_id: int, *, jurisdiction: str | None = None, year: int | None = None,
               month: int | None = None, day: date | None = None, today: date | None = None) -> ResultsTask:
    """The objects of duty ``duty_id`` still to check (待查, 逾期 or 未开始) in the period containing ``day`` (or
    ``month`` of ``year``; default the current period), for one 辖区 or all; the coverage decides which."""
    today = today or date.today()
    duty = _round_duty(session, duty_id)
    if day is not None:
        year, month = day.year, day.month
    year = year or today.year
    (cov,) = coverage(session, year, month=month, today=today, duty_ids=[duty_id],
                      jurisdiction=jurisdiction or None)
    objects = [o for g in cov.groups for o in g.objects if o.state in (DUE, OVERDUE, UPCOMING)]
    where = jurisdiction or "各辖区"
    if not objects:
        raise InspectionError(f"巡查任务“{duty.label}”在{where}{cov.period_name}没有待查的对象"
                              f"（共 {cov.total} 个对象，已查 {cov.done} 个），不需要导出填报表")
    task = _round(duty, jurisdiction or None, cov.start, cov.end, day, cov.period_name)
    addresses = dict(session.execute(select(InspectedObject.id, InspectedObject.address).where(
        InspectedObject.id.in_([o.object_id for o in objects]))).all())
    objects.sort(key=lambda o: (o.jurisdiction, o.name, o.object_id))
    for n, o in enumerate(objects, start=1):
        task.rows.append(TaskRow(seq=n, pick_id=0, object_id=o.object_id, draw_id=0, draw_label="",
                                 object_name=o.name, credit_code=o.credit_code or "",
                                 address=addresses.get(o.object_id) or "", officers=[],
                                 jurisdiction=o.jurisdiction, state=o.state))
    return task


def _round(duty: DutyRow, jurisdiction: str | None, start: date, end: date, day: date | None,
           period: str) -> ResultsTask:
    return ResultsTask(kind=TASK_ROUND, draw_id=0, year=start.year, item_id=0, item_label="",
                       responsible_unit=duty.unit, drawn_on=day or start, duty=duty, jurisdiction=jurisdiction,
                       start=start, end=end, day=day, period=period)


def round_sheet_task(session: Session, duty_id: int, jurisdiction: str | None, start: date, day: date | None,
                     objects: dict[int, tuple[str, ...]]) -> ResultsTask:
    """A filled round sheet's task as the import reads it: the duty as it is now, the period the sheet was made
    for, and its objects (object id → fixed texts as exported); an object since removed from the roster is left
    out (its row is refused)."""
    duty = _round_duty(session, duty_id)
    index = period_index(duty.period, start.month)
    start, end = period_bounds(duty.period, start.year, index)
    task = _round(duty, jurisdiction, start, end, day, period_name(duty.period, start.year, index))
    found = {o.id: o for o in session.scalars(select(InspectedObject).where(InspectedObject.id.in_(list(objects))))}
    for object_id, fixed in objects.items():
        obj = found.get(object_id)
        if obj is None:
            continue
        task.rows.append(TaskRow(seq=int(fixed[0]), pick_id=0, object_id=obj.id, draw_id=0, draw_label="",
                                 object_name=obj.name, credit_code=obj.credit_code or "", address=obj.address or "",
                                 officers=[], jurisdiction=obj.jurisdiction or ""))
    return task
