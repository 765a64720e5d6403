"""What a 现场检查记录 (检查笔录) prints, gathered before the visit: the object, why it is checked, who goes, and
the checklist to tick on site (seed 003: "如实记录监督检查情况和处理意见，并由公安机关检查人员和被检查单位的有关负责人
签字 … 拒绝签字的 … 在检查记录上注明").

No inspection exists yet when the record is printed, so the source comes from the draw pick (双随机抽查) or from
what the clerk chooses for a check that was not drawn; the officers from the draw's assignment or by 警号.
Nothing here writes the database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import settings as app_settings
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_history import DrawGraph, effective_picks
from models.errors import UserError
from models.inspection import CHECK_SOURCES, DRAWN_SOURCE
from models.plan import ChecklistEntry, Plan, PlanItem, plan_item_types
from models.roster import InspectedObject, Inspector, Recusal
from models.seal import DrawAnnouncement

__all__ = [
    "RecordSheetError", "Officer", "RecordSheet", "ObjectSheetRequest", "sheets_for_draw", "sheet_for_object",
    "parse_item_ref", "item_choices", "MIN_OFFICERS",
]

# Seed 003: 检查民警不得少于两人 — the record always offers two officers' lines, blank ones to fill by hand.
MIN_OFFICERS = 2
_ITEM_REF = re.compile(r"^\s*(\d{4})\s*[:：]\s*(\S+)\s*$")


class RecordSheetError(UserError, ValueError):
    """A 现场检查记录 that cannot be printed as asked (message in Chinese, naming the field)."""


@dataclass
class Officer:
    """An officer who goes, as printed: name, 执法证号 (blank when the roster has none) and unit."""

    name: str
    cert_no: str = ""
    badge_no: str = ""
    unit: str = ""


@dataclass
class RecordSheet:
    """Everything one printed record shows; plain values, so the document needs no database."""

    bureau: str
    unit_name: str
    credit_code: str
    address: str = ""
    legal_rep: str = ""
    phone: str = ""
    object_type: str = ""
    source: str = DRAWN_SOURCE
    source_ref: str = ""          # 抽取公告 / record number, or a complaint's or case's reference
    item_label: str = ""          # "2024年度 1．对宾馆…的检查", or "" without a plan item
    inspect_date: date | None = None
    officers: list[Officer] = field(default_factory=list)
    checklist: list[str] = field(default_factory=list)
    checklist_from: str = ""      # where the checklist came from when no item was chosen (the object type's)
    seq: int = 1                  # the object's place in a draw's batch
    record_number: str = ""       # e.g. "2024-003-02": announcement and place, so loose pages find their record
    draw_id: int | None = None


@dataclass
class ObjectSheetRequest:
    """One object's record as the clerk asks for it (screen or `record-sheet --object`)."""

    object_code: str
    source: str
    source_ref: str = ""
    badges: list[str] = field(default_factory=list)
    item: str | int | None = None     # "YEAR:N" (command line) or a plan item id (screen)
    inspect_date: date | None = None


def _bureau(session: Session, item: PlanItem | None) -> str:
    name = (app_settings.get(session, "bureau_name") or "").strip()
    if not name and item is not None:
        name = (session.scalar(select(Plan.bureau).where(Plan.id == item.plan_id)) or "").strip()
    if not name:
        raise RecordSheetError("尚未设置单位名称：请先在“设置 → 单位与文号”中填写单位名称（印在现场检查记录的抬头）")
    return name


def _item_label(item: PlanItem, year: int) -> str:
    return f"{year}年度抽查事项 {item.number}．{item.item}"


def _checklist(session: Session, item_id: int) -> list[str]:
    return list(session.scalars(select(ChecklistEntry.text).where(ChecklistEntry.plan_item_id == item_id)
                                .order_by(ChecklistEntry.seq, ChecklistEntry.id)))


def _object_sheet(obj: InspectedObject, bureau: str) -> RecordSheet:
    return RecordSheet(bureau=bureau, unit_name=obj.name, credit_code=obj.credit_code or "", address=obj.address or "",
                       legal_rep=obj.legal_rep or "", phone=obj.phone or "",
                       object_type=obj.object_type.name if obj.object_type else "")


def _officer(inspector: Inspector) -> Officer:
    return Officer(inspector.name, inspector.cert_no or "", inspector.badge_no, inspector.unit or "")


def sheets_for_draw(session: Session, draw_id: int, inspect_date: date | None = None) -> list[RecordSheet]:
    """One record per object the draw record ``draw_id`` still counts, in draw order.

    Objects a substitute draw replaced are left out and their substitutes (drawn within this record) come
    after them, so the batch is the draw's team list as it stands. A re-drawn record is refused, naming the
    record that replaced it.
    """
    record = session.get(DrawRecord, draw_id) if isinstance(draw_id, int) else None
    if record is None:
        raise RecordSheetError(f"没有编号为 {draw_id} 的抽取记录（抽取记录编号见“随机抽取 → 抽取记录”）")
    graph = DrawGraph.load(session)
    if not graph.effective(draw_id):
        newer = graph.redrawn_by.get(draw_id)
        where = f"请打印重新抽取的记录 #{newer}" if newer else "请打印替代它的抽取记录"
        raise RecordSheetError(f"抽取记录 #{draw_id} 已被重新抽取替代，其抽中对象不再检查：{where}")
    item = session.get(PlanItem, record.plan_item_id)
    year = session.scalar(select(Plan.year).where(Plan.id == item.plan_id))
    records = graph.descendants(draw_id)
    picks = [p for p in effective_picks(session, year, item.id, with_inspectors=False) if p.draw_id in records]
    if not picks:
        raise RecordSheetError(f"抽取记录 #{draw_id} 的抽中对象已全部被替补抽取替代，请打印替补抽取的记录")
    bureau = _bureau(session, item)
    checklist = _checklist(session, item.id)
    labels = _announcement_labels(session, records)
    objects = {o.id: o for o in session.scalars(
        select(InspectedObject).where(InspectedObject.id.in_({p.object_id for p in picks})))}
    officers = _drawn_officers(session, [p.pick_id for p in picks])
    from models.joint import JointTask, JointTaskPick

    grouped = dict(session.execute(select(JointTaskPick.pick_id, JointTaskPick.task_id)
                                   .join(JointTask, JointTask.id == JointTaskPick.task_id)
                                   .where(JointTaskPick.pick_id.in_([p.pick_id for p in picks]),
                                          JointTask.status != "已撤销")).all())
    sheets = []
    for seq, pick in enumerate(picks, start=1):
        sheet = _object_sheet(objects[pick.object_id], bureau)
        label = labels.get(pick.draw_id, "")
        sheet.source = DRAWN_SOURCE
        sheet.source_ref = (f"抽取公告 {label}，" if label else "") + f"抽取记录 #{pick.draw_id}"
        if pick.pick_id in grouped:  # 综合查一次: the visit's own record covers this item as one of its sections
            sheet.source_ref += f"；已编入联合检查任务 #{grouped[pick.pick_id]}，检查时使用联合检查现场检查记录"
        sheet.item_label = _item_label(item, year)
        sheet.inspect_date = inspect_date
        sheet.officers = officers.get(pick.pick_id, [])
        sheet.checklist = list(checklist)
        sheet.seq = seq
        sheet.record_number = f"{labels.get(draw_id) or f'#{draw_id}'}-{seq:02d}"
        sheet.draw_id = pick.draw_id
        sheets.append(sheet)
    return sheets


def _announcement_labels(session: Session, record_ids: set[int]) -> dict[int, str]:
    from models.draw_announcement import announcement_number

    rows = session.execute(select(DrawRecord.id, DrawAnnouncement.year, DrawAnnouncement.number)
                           .join(DrawAnnouncement, DrawAnnouncement.id == DrawRecord.announcement_id)
                           .where(DrawRecord.id.in_(record_ids)))
    return {rid: announcement_number(year, number) for rid, year, number in rows}


def _drawn_officers(session: Session, pick_ids: list[int]) -> dict[int, list[Officer]]:
    result: dict[int, list[Officer]] = {}
    for start in range(0, len(pick_ids), 900):  # SQLite caps bound parameters
        rows = session.execute(
            select(DrawAssignment.pick_id, Inspector).join(Inspector, Inspector.id == DrawAssignment.inspector_id)
            .where(DrawAssignment.pick_id.in_(pick_ids[start:start + 900]))
            .order_by(DrawAssignment.pick_id, DrawAssignment.slot))
        for pick_id, inspector in rows:
            result.setdefault(pick_id, []).append(_officer(inspector))
    return result


def parse_item_ref(session: Session, ref: str | int | None) -> PlanItem | None:
    """The plan item ``ref`` names: "2024:3" (年度:事项编号), or a plan item id; None for none."""
    if ref is None or ref == "":
        return None
    if isinstance(ref, int):
        item = session.get(PlanItem, ref)
        if item is None:
            raise RecordSheetError(f"抽查事项：没有编号为 {ref} 的抽查事项")
        return item
    match = _ITEM_REF.match(str(ref))
    if not match:
        raise RecordSheetError(f"抽查事项“{ref}”格式不正确：请写成 年度:事项编号，例如 2024:1")
    year, number = int(match.group(1)), match.group(2)
    plan_id = session.scalar(select(Plan.id).where(Plan.year == year))
    if plan_id is None:
        raise RecordSheetError(f"抽查事项“{ref}”：没有 {year} 年度的抽查计划")
    item = session.scalar(select(PlanItem).where(PlanItem.plan_id == plan_id, PlanItem.number == number))
    if item is None:
        raise RecordSheetError(f"抽查事项“{ref}”：{year} 年度抽查计划中没有编号为 {number} 的事项")
    return item


def item_choices(session: Session) -> list[tuple[int, str]]:
    """(item id, label) of every plan item, newest year first, for the screen's 检查事项 list."""
    rows = session.execute(select(PlanItem, Plan.year).join(Plan, Plan.id == PlanItem.plan_id)
                           .order_by(Plan.year.desc(), PlanItem.seq, PlanItem.id))
    return [(item.id, _item_label(item, year)) for item, year in rows]


def _find_object(session: Session, code: str) -> InspectedObject:
    code = (code or "").strip()
    if not code:
        raise RecordSheetError("检查对象：请填写统一社会信用代码（或单位名称）")
    obj = session.scalar(select(InspectedObject).where(InspectedObject.credit_code == code.upper()))
    if obj is None:
        named = list(session.scalars(select(InspectedObject).where(InspectedObject.name == code).limit(2)))
        if len(named) > 1:
            raise RecordSheetError(f"检查对象：名录库中有多个名为“{code}”的单位，请改用统一社会信用代码")
        obj = named[0] if named else None
    if obj is None:
        raise RecordSheetError(f"检查对象：名录库中没有统一社会信用代码（或名称）为“{code}”的检查对象")
    return obj


def _officers_by_badge(session: Session, badges: list[str], obj: InspectedObject) -> list[Officer]:
    wanted = list(dict.fromkeys(b.strip() for b in badges if b and b.strip()))
    found = {i.badge_no: i for i in session.scalars(select(Inspector).where(Inspector.badge_no.in_(wanted)))}
    officers = []
    for badge in wanted:
        inspector = found.get(badge)
        if inspector is None:
            raise RecordSheetError(f"检查人员：名录库中没有警号为“{badge}”的执法检查人员")
        if not inspector.active:
            raise RecordSheetError(f"检查人员：警号“{badge}”的{inspector.name}已停用，不能安排检查")
        reason = session.scalar(select(Recusal.reason).where(Recusal.inspector_id == inspector.id,
                                                            Recusal.object_id == obj.id))
        if reason is not None:
            raise RecordSheetError(f"检查人员：{inspector.name}（警号 {badge}）与“{obj.name}”有回避关系"
                                   f"（{reason or '已登记回避'}），不能检查该单位")
        officers.append(_officer(inspector))
    return officers


def _type_checklist(session: Session, obj: InspectedObject) -> tuple[list[str], str]:
    """The checklist of the newest plan item covering the object's type: what a check of such a unit looks at."""
    rows = session.execute(
        select(PlanItem, Plan.year).join(Plan, Plan.id == PlanItem.plan_id)
        .join(plan_item_types, plan_item_types.c.item_id == PlanItem.id)
        .where(plan_item_types.c.type_id == obj.object_type_id)
        .order_by(Plan.year.desc(), PlanItem.seq, PlanItem.id))
    for item, year in rows:
        entries = _checklist(session, item.id)
        if entries:
            return entries, _item_label(item, year)
    return [], ""


def _latest_pick(session: Session, obj: InspectedObject) -> DrawPick | None:
    graph = DrawGraph.load(session)
    picks = session.scalars(select(DrawPick).where(DrawPick.object_id == obj.id).order_by(DrawPick.id.desc()))
    for pick in picks:
        if graph.effective(pick.draw_id) and obj.id not in graph.substituted.get(pick.draw_id, {}):
            return pick
    return None


def sheet_for_object(session: Session, request: ObjectSheetRequest) -> RecordSheet:
    """The record of one object: drawn (its latest effective pick gives ref, item and officers) or any other source.

    Officers given by 警号 replace the drawn ones; the checklist is the chosen item's, else the drawn item's,
    else that of the newest plan item covering the object's type (blank rows when there is none).
    """
    obj = _find_object(session, request.object_code)
    source = (request.source or "").strip()
    if source not in CHECK_SOURCES:
        raise RecordSheetError(f"检查来源“{source}”无效，应为{'、'.join(CHECK_SOURCES)}之一")
    item = parse_item_ref(session, request.item)
    officers = _officers_by_badge(session, request.badges, obj) if request.badges else []
    ref = (request.source_ref or "").strip()
    pick = None
    if source == DRAWN_SOURCE:
        pick = _latest_pick(session, obj)
        if pick is None:
            raise RecordSheetError(f"“{obj.name}”没有有效的抽取结果：双随机抽查的现场检查记录只能为抽中的对象打印；"
                                   "其他检查请选择检查来源（如日常巡查、举报投诉）")
        drawn_item = session.get(PlanItem, session.get(DrawRecord, pick.draw_id).plan_item_id)
        if item is not None and item.id != drawn_item.id:
            raise RecordSheetError(f"抽查事项：“{obj.name}”是在事项 {drawn_item.number} 中抽中的，不能改为事项 "
                                   f"{item.number}")
        item = drawn_item
        if not ref:
            label = _announcement_labels(session, {pick.draw_id}).get(pick.draw_id)
            ref = (f"抽取公告 {label}，" if label else "") + f"抽取记录 #{pick.draw_id}"
        if not officers:
            officers = _drawn_officers(session, [pick.id]).get(pick.id, [])
    sheet = _object_sheet(obj, _bureau(session, item))
    sheet.source, sheet.source_ref, sheet.inspect_date = source, ref, request.inspect_date
    sheet.officers = officers
    sheet.draw_id = pick.draw_id if pick is not None else None
    if item is not None:
        year = session.scalar(select(Plan.year).where(Plan.id == item.plan_id))
        sheet.item_label = _item_label(item, year)
        sheet.checklist = _checklist(session, item.id)
    else:
        sheet.checklist, sheet.checklist_from = _type_checklist(session, obj)
    return sheet
