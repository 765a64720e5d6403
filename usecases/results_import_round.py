"""One filled row of a round's result sheet (a routine duty's objects still due in a period): recorded through
models.check_service as a 日常巡查 marked for the duty, with the same refusals as the 登记检查 form.

A re-imported sheet must not record the round twice: a row whose object already has a check for this duty
starting on the row's date is that check — 无变化 when the sheet says what is stored, otherwise refused unless
the clerk asked to update (--update), exactly as a drawn object's stored inspection is treated.
"""
from __future__ import annotations

from sqlalchemy import select

from models.check_service import CheckData, get_check_data, record_check, update_check
from models.inspection import Inspection
from models.inspection_service import PROBLEM_CATEGORIES, SUBKINDS, HazardInput, InspectionError
from models.results_task import ROUND_SOURCE, ResultsTask, TaskRow
from models.workdays import format_cn_date
from reports.results_sheet import COL_NAME, COL_OFFICERS, COL_TO
from reports.results_sheet_read import FilledRow

__all__ = ["round_row", "existing_round_check"]

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def existing_round_check(s, task: ResultsTask, object_id: int, row: FilledRow) -> int | None:
    """The check already recorded for this duty on this object, starting on the row's date (a re-import)."""
    if row.date_from is None:
        return None
    return s.scalar(select(Inspection.id).where(
        Inspection.object_id == object_id, Inspection.duty_id == task.duty.id, Inspection.pick_id.is_(None),
        Inspection.date_from == row.date_from).order_by(Inspection.id).limit(1))


def _data(task: ResultsTask, trow: TaskRow, row: FilledRow, found: dict[str, tuple[int, str]],
          old: CheckData | None) -> CheckData:
    hazards = [HazardInput(t, c) for t, c in row.hazards]
    subkind = old.result_subkind if old is not None else ""
    if row.result not in PROBLEM_CATEGORIES:
        subkind = ""
    elif hazards and not subkind:
        subkind = SUBKINDS[0]        # as the form does when a hazard is added
    return CheckData(
        object_id=trow.object_id, source=ROUND_SOURCE, duty_id=task.duty.id, date_from=row.date_from,
        date_to=row.date_to, inspector_ids=[found[b][0] for b in row.badges], result_category=row.result,
        hazards=hazards, result_subkind=subkind, method=old.method if old else "实地检查",
        follow_up=old.follow_up if old else "", finished=old.finished if old else False,
        finished_date=old.finished_date if old else None,
        executing_unit=old.executing_unit if old else (task.duty.unit or trow.jurisdiction),
        signed_refused=old.signed_refused if old else False, note=row.note,
        source_ref=old.source_ref if old else "", plan_item_id=old.plan_item_id if old else None,
        checks=old.checks if old else [])


def _same(data: CheckData, old: CheckData) -> bool:
    def key(d: CheckData):
        return (d.date_from, d.date_to, sorted(set(d.inspector_ids)), d.result_category.strip(),
                [(h.text.strip(), h.clause.strip()) for h in d.hazards], d.note.strip())
    return key(data) == key(old)


def round_row(s, task: ResultsTask, trow: TaskRow | None, row: FilledRow, found: dict[str, tuple[int, str]],
              update: bool, actor: str, refuse, ids: list[int]) -> str:
    """Record (or, with ``update``, correct) one filled row; returns NEW / UPDATED / UNCHANGED, or what
    ``refuse(column, message)`` returns."""
    if trow is None:
        return refuse(COL_NAME, f"“{row.fixed[2]}”已不在名录库中，不能再录入检查结果")
    if not row.badges:
        return refuse(COL_OFFICERS, "检查人员未填：日常巡查没有抽取的检查人员，请填写实际参加检查的人员的警号"
                                    "（不少于两人，以“、”分隔）")
    unknown = [b for b in row.badges if b not in found]
    if unknown:
        return refuse(COL_OFFICERS, f"名录库中没有警号为“{unknown[0]}”的检查人员")
    if row.date_to is not None and not task.start <= row.date_to <= task.end:
        return refuse(COL_TO, f"检查结束日期（{format_cn_date(row.date_to)}）不在本表的巡查期间{task.period}"
                              f"（{format_cn_date(task.start)}至{format_cn_date(task.end)}）内；"
                              "其他期次的巡查请另行导出填报表")
    stored_id = existing_round_check(s, task, trow.object_id, row)
    old = get_check_data(s, stored_id) if stored_id is not None else None
    data = _data(task, trow, row, found, old)
    if old is not None:
        if _same(data, old):
            return UNCHANGED
        if not update:
            return refuse(COL_NAME, f"“{trow.object_name}”已录入{format_cn_date(row.date_from)}的这项巡查"
                                    f"（检查记录 {stored_id}），表中内容与之不同；如需按表修改，请选择"
                                    "“按表更新已录入的检查记录”（命令行加 --update），或把此行改回原样")
    with s.begin_nested():
        if old is None:
            ids.append(record_check(s, data, actor))
            return NEW
        ids.append(update_check(s, stored_id, data, actor))
        return UPDATED


def column_of(e: InspectionError) -> str | None:
    """The column of a refusal only a check that was not drawn can get (the object, the duty, the source)."""
    msg = str(e)
    if msg.startswith(("巡查任务", "检查对象", "检查来源")):
        return COL_NAME
    return None
