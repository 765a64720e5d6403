"""What the 联合检查现场检查记录 of one joint task prints: the unit, the lead and partner departments, the joint team
and each grouped item as its own section with its checklist (and its result once the visit is recorded).

Nothing here writes the database; reports.joint_record renders it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.inspection import Inspection, InspectionInspector
from models.joint_service import PERIOD_LABELS, JointError, task_detail
from models.plan import ChecklistEntry, PlanItem
from models.record_sheets import Officer, _bureau
from models.roster import InspectedObject, Inspector

__all__ = ["JointSection", "JointRecordSheet", "joint_record_sheet", "record_number", "RESULT_BOXES"]

RESULT_BOXES = "☐未发现问题　☐发现问题已责令改正　☐发现问题待后续处理　☐其他＿＿＿＿"
_NUMERALS = "一二三四五六七八九十"


@dataclass
class JointSection:
    heading: str                  # "（一）2024年度抽查事项 1．对旅馆业的治安管理检查"
    source: str                   # which draw picked the unit for it
    checklist: list[str]
    result_text: str              # the recorded result, or boxes to tick
    verdicts: list[str] = field(default_factory=list)  # per entry: 符合/不符合/不适用 once recorded, else ""


@dataclass
class JointRecordSheet:
    bureau: str
    unit_name: str
    credit_code: str
    address: str
    legal_rep: str
    phone: str
    source_text: str
    lead_unit: str
    units: list[str]
    items_text: str
    inspect_date: date | None
    record_number: str
    officers: list[Officer] = field(default_factory=list)
    sections: list[JointSection] = field(default_factory=list)


def record_number(year: int, period: str, task_id: int) -> str:
    return f"联检{year}{period}-{task_id:03d}"


def _numeral(n: int) -> str:
    return _NUMERALS[n - 1] if n <= len(_NUMERALS) else str(n)


def joint_record_sheet(session: Session, task_id: int, inspect_date: date | None = None) -> JointRecordSheet:
    """The record of one task: before the visit (boxes to tick, the task's team) or after it (results, who went)."""
    detail = task_detail(session, task_id)
    detail.picks = detail.live_picks
    if not detail.picks:
        raise JointError(f"联合检查任务 #{task_id} 已撤销，没有可打印的检查记录")
    items = {i.id: i for i in session.scalars(select(PlanItem).where(
        PlanItem.id.in_([p.item_id for p in detail.picks])))}
    bureau = _bureau(session, items[detail.picks[0].item_id])
    obj = session.get(InspectedObject, detail.object_id)
    inspections = {i.pick_id: i for i in session.scalars(select(Inspection).where(
        Inspection.pick_id.in_([p.pick_id for p in detail.picks])))}
    sections = []
    for n, pick in enumerate(detail.picks, start=1):
        entries = session.execute(select(ChecklistEntry.id, ChecklistEntry.text)
                                  .where(ChecklistEntry.plan_item_id == pick.item_id)
                                  .order_by(ChecklistEntry.seq, ChecklistEntry.id)).all()
        insp = inspections.get(pick.pick_id)
        result = RESULT_BOXES
        recorded: dict[int, str] = {}
        if insp is not None and insp.result_category:
            result = insp.result_category + (f"（治安隐患 {len(insp.hazards)} 项）" if insp.hazards else "")
            recorded = {c.entry_id: c.verdict for c in insp.checks}
        sections.append(JointSection(f"（{_numeral(n)}）{detail.year}年度抽查事项 {pick.label}",
                                     f"抽取记录 #{pick.draw_id}", [t for _i, t in entries], result,
                                     [recorded.get(i, "") for i, _t in entries]))
    visited = [i for i in inspections.values() if i.joint_task_id == detail.task_id]
    if visited:
        ids = [r.inspector_id for r in session.scalars(select(InspectionInspector).where(
            InspectionInspector.inspection_id == visited[0].id).order_by(InspectionInspector.id))]
    else:
        ids = [m.inspector_id for m in detail.team]
    people = {i.id: i for i in session.scalars(select(Inspector).where(Inspector.id.in_(ids)))}
    officers = [Officer(people[i].name, people[i].cert_no or "", people[i].badge_no, people[i].unit or "")
                for i in ids if i in people]
    day = inspect_date or (visited[0].date_from if visited else detail.visit_date)
    units = list(dict.fromkeys([u for u in [detail.lead_unit, *(o.unit for o in officers)] if u]))
    return JointRecordSheet(
        bureau=bureau, unit_name=obj.name, credit_code=obj.credit_code or "", address=obj.address or "",
        legal_rep=obj.legal_rep or "", phone=obj.phone or "",
        source_text=(f"双随机抽查（综合查一次）联合检查任务 #{detail.task_id}，"
                     f"{detail.year}年{PERIOD_LABELS[detail.period]}"),
        lead_unit=detail.lead_unit, units=units, items_text="、".join(p.label for p in detail.picks),
        inspect_date=day, record_number=record_number(detail.year, detail.period, detail.task_id),
        officers=officers, sections=sections)
