"""The 现场检查记录 of a day's round: one record per object a routine duty still needs in one period, for one
辖区 (or the duty's named unit), to take along and have signed on site.

The objects are those the coverage (models.duty_coverage) shows as 待查, 逾期 or 未开始 in the period, in the
same order as the round's result sheet (辖区, name), so a record's number matches its row there. Each record
says 日常巡查 with the duty's rule (检查来源：日常巡查（旅馆 每月1次）), the duty's basis and period as its
检查事项, and the checklist of the newest plan item covering the object type, as one object's record does.
Officers are optional: chosen by 警号 (refused if one must recuse from any of the objects), or left blank to
write by hand. Nothing here writes the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.duties import DutyError, DutyRow, get_duty
from models.duty_coverage import DUE, NO_JURISDICTION, OVERDUE, UPCOMING, coverage, period_bounds, period_index
from models.record_sheets import (
    RecordSheet, RecordSheetError, _bureau, _object_sheet, _officers_by_badge, _type_checklist,
)
from models.roster import InspectedObject
from models.workdays import format_cn_date

__all__ = ["ROUND_SOURCE", "RoundSheetRequest", "RoundSheets", "sheets_for_round", "round_duty"]

ROUND_SOURCE = "日常巡查"
_STILL_TO_CHECK = (DUE, OVERDUE, UPCOMING)


@dataclass
class RoundSheetRequest:
    """A round's records as the clerk asks for them (screen or `record-sheet --duty`)."""

    duty_id: int
    jurisdiction: str | None = None   # one 辖区 (NO_JURISDICTION: objects without one); None: all
    year: int | None = None           # with month: the period containing it (default: this year)
    month: int | None = None          # default: the month of inspect_date, else the current one
    inspect_date: date | None = None  # printed on every record and choosing the period; None: left blank
    badges: list[str] = field(default_factory=list)


@dataclass
class RoundSheets:
    """What a round prints: the duty, where and when, and one record per object."""

    duty: DutyRow
    jurisdiction: str | None
    period: str                       # 2024年5月
    start: date
    end: date
    sheets: list[RecordSheet] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.jurisdiction or (self.duty.unit or "各辖区")

    @property
    def subject(self) -> str:
        """城关派出所2024年5月日常巡查（旅馆 每月1次）待查."""
        return f"{self.where}{self.period}{ROUND_SOURCE}（{self.duty.label}）待查"


def round_duty(session: Session, duty_id: int) -> DutyRow:
    """The active duty ``duty_id``, or why its records cannot be printed."""
    try:
        duty = get_duty(session, duty_id)
    except DutyError:
        raise RecordSheetError(f"巡查任务：没有编号为 {duty_id} 的日常巡查任务（编号见 duties 命令或“巡查任务”页）"
                               ) from None
    if not duty.active:
        raise RecordSheetError(f"巡查任务：“{duty.label}”（编号 {duty.id}）已停用，不能再为它打印现场检查记录")
    return duty


def _check_jurisdiction(session: Session, duty: DutyRow, jurisdiction: str) -> None:
    o = InspectedObject
    where = "" if jurisdiction == NO_JURISDICTION else jurisdiction
    known = session.scalar(select(func.count()).select_from(o).where(o.jurisdiction == where))
    if not known:
        raise RecordSheetError(f"辖区：名录库中没有辖区为“{jurisdiction}”的检查对象，请检查辖区名称"
                               "（例如：城关派出所）")
    ours = session.scalar(select(func.count()).select_from(o).where(
        o.jurisdiction == where, o.object_type_id == duty.type_id, o.active.is_(True), o.status == "在营"))
    if not ours:
        raise RecordSheetError(f"辖区：“{jurisdiction}”没有在营的{duty.type_name}，巡查任务“{duty.label}”"
                               "在该辖区没有检查对象")


def _period(duty: DutyRow, request: RoundSheetRequest, today: date) -> tuple[int, int]:
    """(year, month) naming the period; a given date must fall inside it."""
    day = request.inspect_date
    year = request.year or (day.year if day is not None and request.month is None else today.year)
    month = request.month if request.month is not None else (day.month if day is not None else None)
    if month is not None and not 1 <= month <= 12:
        raise RecordSheetError(f"月份 {month} 无效，应为 1～12")
    if day is not None and month is not None:
        start, end = period_bounds(duty.period, year, period_index(duty.period, month))
        if not start <= day <= end:
            raise RecordSheetError(f"检查日期：{format_cn_date(day)}不在所选的一期（{format_cn_date(start)}至"
                                   f"{format_cn_date(end)}）内，请改选日期或月份")
    return year, month


def sheets_for_round(session: Session, request: RoundSheetRequest, today: date | None = None) -> RoundSheets:
    """One record per object of duty ``request.duty_id`` still to check in the period, 辖区 by 辖区, by name."""
    today = today or date.today()
    duty = round_duty(session, request.duty_id)
    jurisdiction = (request.jurisdiction or "").strip() or None
    if jurisdiction is not None:
        _check_jurisdiction(session, duty, jurisdiction)
    year, month = _period(duty, request, today)
    (cov,) = coverage(session, year, month=month, today=today, duty_ids=[duty.id], jurisdiction=jurisdiction)
    result = RoundSheets(duty, jurisdiction, cov.period_name, cov.start, cov.end)
    due = sorted((o for g in cov.groups for o in g.objects if o.state in _STILL_TO_CHECK),
                 key=lambda o: (o.jurisdiction, o.name, o.object_id))
    if not due:
        raise RecordSheetError(f"巡查任务“{duty.label}”在{result.where}{cov.period_name}没有待查的对象"
                               f"（共 {cov.total} 个对象，已查 {cov.done} 个），不需要打印现场检查记录")
    objects = {o.id: o for o in session.scalars(
        select(InspectedObject).where(InspectedObject.id.in_([o.object_id for o in due])))}
    bureau = _bureau(session, None)
    checklist, checklist_from = _type_checklist(session, objects[due[0].object_id])
    basis = f"；依据：{duty.basis}" if duty.basis else ""
    contents = f"；检查内容参照{checklist_from}" if checklist_from else ""
    for seq, row in enumerate(due, start=1):
        obj = objects[row.object_id]
        sheet = _object_sheet(obj, bureau)
        sheet.source, sheet.source_ref = ROUND_SOURCE, duty.label
        who = duty.unit or row.jurisdiction     # a named unit, else the 派出所 of the object's 辖区
        sheet.item_label = f"日常巡查任务（编号 {duty.id}）{who} {cov.period_name}{basis}{contents}"
        sheet.inspect_date = request.inspect_date
        sheet.officers = _officers_by_badge(session, request.badges, obj) if request.badges else []
        sheet.checklist = list(checklist)
        sheet.seq = seq
        sheet.record_number = f"巡查{duty.id}-{cov.start:%Y%m}-{seq:02d}"
        result.sheets.append(sheet)
    return result
