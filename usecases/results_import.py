"""Importing a team's filled result sheet: every row through the inspection form's own service, all or nothing.

The preview (and ``--dry-run``) runs the real service on every row inside a transaction that is rolled back, so
what it reports is exactly what the 检查记录 form would refuse; 确认导入 runs it again and commits only when no row
was refused. Each row runs in its own savepoint, so one refused row does not hide the problems of the rows after it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from models import audit
from models.inspection_service import (
    PROBLEM_CATEGORIES, SUBKINDS, CheckInput, HazardInput, InspectionData, InspectionError, UnsetChoice,
    record_inspection, update_inspection,
)
from models.results_task import (
    TASK_DRAW, TASK_ROUND, ResultsTask, TaskRow, draw_task, inspectors_by_badge, round_sheet_task,
)
from models.roster_bulk import Checkpoints, ImportCancelled
from reports.results_sheet import (
    COL_FROM, COL_HAZARDS, COL_NAME, COL_OFFICERS, COL_REASON, COL_RESULT, COL_TO, SHEET,
)
from reports.results_sheet_read import FilledRow, ResultsSheet, read_results_sheet
from reports.roster_sheets import ImportProblem
from usecases import results_import_round as rounds

__all__ = ["ResultsPreview", "ResultsSample", "ImportCancelled", "preview_results_import", "apply_results_import",
           "OUTCOME_NEW", "OUTCOME_UPDATED", "OUTCOME_UNCHANGED", "OUTCOME_SKIPPED", "OUTCOME_PROBLEM"]

OUTCOME_NEW, OUTCOME_UPDATED, OUTCOME_UNCHANGED = "新增", "更新", "无变化"
OUTCOME_SKIPPED, OUTCOME_PROBLEM = "未填写，跳过", "有问题"
SAMPLE_SIZE = 20
ACTION = "导入检查结果填报表"


class ResultsSample(NamedTuple):
    """One of the first rows as it will be stored."""

    row: int
    seq: str
    object_name: str
    outcome: str
    result: str
    officers: str
    hazards: int


@dataclass
class ResultsPreview:
    """What importing a result sheet would do (or, returned by apply_results_import, did)."""

    path: str
    update: bool = False
    title: str = ""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    total_rows: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    sample_rows: list[ResultsSample] = field(default_factory=list)
    inspection_ids: list[int] = field(default_factory=list)
    sheet: ResultsSheet | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        return (f"新增检查记录 {self.new} 条，更新 {self.updated} 条，无变化 {self.unchanged} 条，"
                f"未填写而跳过 {self.skipped} 行")

    def problem_lines(self) -> list[str]:
        """Each problem as 文件 X，工作表“…”，第 N 行，“列名”列：说明."""
        name = Path(self.path).name
        return [f"文件 {name}，{p.line(True)}" for p in self.problems]


class _Rollback(Exception):
    """Leaves the import's transaction without committing (a preview, or a refused row)."""


def preview_results_import(db, path, *, update: bool = False, actor: str = "", progress=None,
                           cancelled=None) -> ResultsPreview:
    """Read the sheet and run every filled row through the inspection service; nothing is kept."""
    sheet = read_results_sheet(path)
    return _run(db, sheet, update=update, actor=actor, commit=False, progress=progress, cancelled=cancelled)


def apply_results_import(db, preview: ResultsPreview, actor: str, progress=None, cancelled=None) -> ResultsPreview:
    """Import a checked preview in ONE transaction; any refused row (the database may have changed since the
    preview) or a cancel writes nothing."""
    if preview.sheet is None:
        raise InspectionError("请先预览导入文件。")
    if not preview.ok:
        raise InspectionError(f"文件中有 {preview.problem_count} 处问题，未导入任何数据。请改正后重新导入。")
    done = _run(db, preview.sheet, update=preview.update, actor=actor, commit=True, progress=progress,
                cancelled=cancelled)
    if not done.ok:
        raise InspectionError("导入时发现问题，未导入任何数据：\n" + "\n".join(done.problem_lines()[:10]))
    return done


def _run(db, sheet: ResultsSheet, *, update: bool, actor: str, commit: bool, progress, cancelled) -> ResultsPreview:
    preview = ResultsPreview(path=str(sheet.path), update=update, sheet=sheet, total_rows=len(sheet.rows))
    preview.problems.extend(sheet.problems)
    checks = Checkpoints(max(len(sheet.rows), 1), progress, cancelled)
    checks.tick(0)
    try:
        with db.session() as s:
            meta = sheet.meta
            if meta.kind == TASK_DRAW:
                task = draw_task(s, meta.draw_id)
                by_pick = {r.pick_id: r for r in task.rows}
            elif meta.kind == TASK_ROUND:
                task = round_sheet_task(s, meta.draw_id, meta.jurisdiction or None, meta.start, meta.day,
                                        dict(meta.objects.values()))
                by_pick = {r.object_id: r for r in task.rows}
            else:
                raise InspectionError(f"文件 {sheet.path.name} 的任务类型“{meta.kind}”无法导入")
            preview.title = task.title
            found = inspectors_by_badge(s, {b for r in sheet.rows for b in r.badges})
            bad_rows = {p.row for p in sheet.problems}
            for n, row in enumerate(sheet.rows, start=1):
                checks.at(n)
                outcome = _one_row(s, preview, task, by_pick.get(row.pick_id), row, found, bad_rows, actor)
                if len(preview.sample_rows) < SAMPLE_SIZE:
                    preview.sample_rows.append(_sample(row, by_pick.get(row.pick_id), outcome))
            if preview.new or preview.updated:
                which = {"duty": task.duty.id} if task.kind == TASK_ROUND else {"draw": task.draw_id}
                audit.append(s, user=actor, action=ACTION, entity="inspection",
                             detail={"file": os.path.basename(sheet.path), **which, "new": preview.new,
                                     "updated": preview.updated, "unchanged": preview.unchanged,
                                     "skipped": preview.skipped})
            checks.tick(checks.total)
            if not commit or preview.problems:
                raise _Rollback
    except _Rollback:
        pass
    preview.problems.sort(key=lambda p: p.row)
    return preview


def _one_row(s, preview: ResultsPreview, task: ResultsTask, trow: TaskRow | None, row: FilledRow,
             found: dict[str, tuple[int, str]], bad_rows: set[int], actor: str) -> str:
    def refuse(column: str, message: str) -> str:
        preview.problems.append(ImportProblem(SHEET, row.row, column, message))
        return OUTCOME_PROBLEM

    if row.empty:
        preview.skipped += 1
        return OUTCOME_SKIPPED
    if row.row in bad_rows:
        return OUTCOME_PROBLEM
    if task.kind == TASK_ROUND:
        return _round_row(s, preview, task, trow, row, found, actor, refuse)
    if trow is None:
        return refuse(COL_NAME, f"“{row.fixed[2]}”已不在抽取记录 {task.draw_id} 的有效抽取结果中"
                                "（已被重抽或替补替代），不能再录入检查结果")
    unknown = [b for b in row.badges if b not in found]
    if unknown:
        return refuse(COL_OFFICERS, f"名录库中没有警号为“{unknown[0]}”的检查人员")
    data = _data(task, trow, row, found)
    if trow.inspection_id is not None:
        if _same(data, trow.existing):
            preview.unchanged += 1
            return OUTCOME_UNCHANGED
        if not preview.update:
            return refuse(COL_NAME, f"“{trow.object_name}”已录入检查结果（检查记录 {trow.inspection_id}），"
                                    "表中内容与之不同；如需按表修改，请选择“按表更新已录入的检查记录”"
                                    "（命令行加 --update），或把此行改回原样")
    try:
        with s.begin_nested():
            if trow.inspection_id is None:
                preview.inspection_ids.append(record_inspection(s, data, actor))
            else:
                preview.inspection_ids.append(update_inspection(s, trow.inspection_id, data, actor))
    except InspectionError as e:
        return refuse(_column_of(e, task), str(e))
    if trow.inspection_id is None:
        preview.new += 1
        return OUTCOME_NEW
    preview.updated += 1
    return OUTCOME_UPDATED


def _round_row(s, preview: ResultsPreview, task: ResultsTask, trow: TaskRow | None, row: FilledRow,
               found: dict[str, tuple[int, str]], actor: str, refuse) -> str:
    try:
        done = rounds.round_row(s, task, trow, row, found, preview.update, actor, refuse, preview.inspection_ids)
    except InspectionError as e:
        return refuse(rounds.column_of(e) or _column_of(e, task), str(e))
    if done == rounds.NEW:
        preview.new += 1
        return OUTCOME_NEW
    if done == rounds.UPDATED:
        preview.updated += 1
        return OUTCOME_UPDATED
    if done == rounds.UNCHANGED:
        preview.unchanged += 1
        return OUTCOME_UNCHANGED
    return done


def _data(task: ResultsTask, trow: TaskRow, row: FilledRow, found: dict[str, tuple[int, str]]) -> InspectionData:
    """The row as the form's input: a new inspection gets the form's defaults, an update keeps what the sheet lacks."""
    ids = [found[b][0] for b in row.badges] if row.badges else [o.inspector_id for o in trow.officers]
    hazards = [HazardInput(t, c) for t, c in row.hazards]
    checks = [CheckInput(e.entry_id, row.verdicts.get(e.entry_id, "")) for e in task.checklist]
    old = trow.existing
    if old is not None:
        notes = {c.entry_id: c.note for c in old.checks}
        checks = [CheckInput(c.entry_id, c.verdict, notes.get(c.entry_id, "")) for c in checks]
    subkind = old.result_subkind if old is not None else ""
    if row.result not in PROBLEM_CATEGORIES:
        subkind = ""
    elif hazards and not subkind:
        subkind = SUBKINDS[0]        # as the form does when a hazard is added
    return InspectionData(
        pick_id=trow.pick_id, date_from=row.date_from, date_to=row.date_to, inspector_ids=ids,
        result_category=row.result, checks=checks, hazards=hazards, change_reason=row.change_reason,
        result_subkind=subkind, method=old.method if old else "实地检查", follow_up=old.follow_up if old else "",
        finished=old.finished if old else False, finished_date=old.finished_date if old else None,
        executing_unit=old.executing_unit if old else task.responsible_unit,
        signed_refused=old.signed_refused if old else False, note=row.note)


def _same(data: InspectionData, old: InspectionData | None) -> bool:
    """Does the sheet say what is stored (the fields the sheet holds)?"""
    if old is None:
        return False
    def key(d: InspectionData):
        return (d.date_from, d.date_to, sorted(set(d.inspector_ids)), d.result_category.strip(),
                {c.entry_id: c.verdict.strip() for c in d.checks},
                [(h.text.strip(), h.clause.strip()) for h in d.hazards], d.note.strip(),
                d.change_reason.strip() if set(d.inspector_ids) != set(old.inspector_ids) else "")
    return key(data) == key(old)


def _column_of(e: InspectionError, task: ResultsTask) -> str:
    """The sheet column a service refusal is about (its messages begin with the form's field)."""
    titles = {entry.entry_id: f"检查内容{entry.seq}" for entry in task.checklist}
    if isinstance(e, UnsetChoice):
        return titles.get(e.entry_id, COL_RESULT) if e.entry_id is not None else COL_RESULT
    msg = str(e)
    if m := re.match(r"检查内容第(\d+)项", msg):
        return f"检查内容{m.group(1)}"
    for prefix, column in (("检查人员", COL_OFFICERS), ("检查开始日期", COL_FROM), ("检查日期无效", COL_FROM),
                           ("检查结束日期", COL_TO), ("治安隐患", COL_HAZARDS), ("检查结果", COL_RESULT)):
        if msg.startswith(prefix):
            if column == COL_OFFICERS and "原因" in msg:
                return COL_REASON
            return column
    if "隐患" in msg:
        return COL_HAZARDS
    if "重抽或替补" in msg:
        return COL_NAME
    return COL_RESULT


def _sample(row: FilledRow, trow: TaskRow | None, outcome: str) -> ResultsSample:
    officers = "、".join(row.badges) if row.badges else (
        "（抽取的检查人员）" if not row.empty and trow is not None and trow.officers else "")
    return ResultsSample(row.row, row.seq, trow.object_name if trow else row.fixed[2], outcome, row.result,
                         officers, len(row.hazards))
