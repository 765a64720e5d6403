"""Importing the rosters from Excel.

A preview (new / updated / unchanged, every problem), then one all-or-nothing transaction.

Rows are matched by key — objects by 统一社会信用代码, inspectors by 警号 — and written with
Core bulk statements, so 100,000 rows import in about the time it takes to read the file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from models import audit
from models.base import now
from models.roster_bulk import (KEYS, Checkpoints, ImportCancelled, existing_pairs, known_keys, paused_gc, plan_rows,
                                row_key, write_plan, write_recusals)
from models.roster import InspectedObject, Inspector
from models.roster_service import RosterError
from reports.roster_columns import COLUMNS_BY_KIND
from reports.roster_sheets import (IgnoredColumn, ImportProblem, MappedColumn, ParsedSheet, parse_inspectors,
                                   parse_objects, parse_recusals, pick_sheets)
from reports.xlsx_read import XlsxReadError, read_sheets

__all__ = ["ImportProblem", "ImportCancelled", "ImportPreview", "MappedColumn", "IgnoredColumn", "SampleRow",
           "preview_objects_import", "preview_inspectors_import", "apply_import", "save_problems_xlsx"]

KEY_TEXT = {"objects": "按统一社会信用代码", "inspectors": "按警号"}
ACTION = {"objects": "导入检查对象", "inspectors": "导入执法检查人员"}
# The preview shows this many rows as they will be stored.
SAMPLE_SIZE = 20
# What a new row gets when the file leaves an optional cell empty (models/roster_bulk writes the same).
NEW_ROW_DEFAULTS = {"risk_level": "低风险", "status": "在营", "active": True}
KEPT = "（保留原值）"
OUTCOME_NEW, OUTCOME_UPDATED, OUTCOME_UNCHANGED, OUTCOME_PROBLEM = "新增", "更新", "无变化", "有问题"


class SampleRow(NamedTuple):
    """One of the first rows of the file as it will be stored: sheet row, what happens to it, the stored texts."""

    row: int                 # the sheet row number (1-based)
    outcome: str             # 新增 / 更新 / 无变化 / 有问题
    values: tuple[str, ...]  # one per ImportPreview.sample_titles


@dataclass
class ImportPreview:
    """What an import would do (or, returned by apply_import, did)."""

    kind: str                  # "objects" or "inspectors"
    path: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    recusals_new: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    sheet_count: int = 1
    has_recusal_sheet: bool = False
    sheets: list[ParsedSheet] = field(default_factory=list, repr=False, compare=False)
    # What the clerk checks before 确认导入: the main sheet, its header row, which file column went to
    # which field, which columns were left out, and its first rows as they will be stored.
    sheet_name: str = ""
    header_row: int = 0
    columns: list[MappedColumn] = field(default_factory=list)
    ignored_columns: list[IgnoredColumn] = field(default_factory=list)
    sample_titles: list[str] = field(default_factory=list)     # the app's own column titles
    sample_rows: list[SampleRow] = field(default_factory=list)
    total_rows: int = 0                                        # data rows read from the main sheet

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        """Every problem, listed or only counted."""
        return len(self.problems) + self.unlisted_problems

    def mapping_lines(self) -> list[str]:
        """"B 列“社会信用代码” → 统一社会信用代码" for each column read, then the columns left out."""
        lines = [f"{c.letter} 列“{c.header}” → {c.title}" for c in self.columns]
        ignored = "、".join(f"{c.letter} 列“{c.header}”" for c in self.ignored_columns)
        lines.append(f"未导入的列：{ignored or '无'}")
        return lines

    def summary(self) -> str:
        text = f"新增 {self.new} 条，更新 {self.updated} 条（{KEY_TEXT[self.kind]}），无变化 {self.unchanged} 条"
        if self.has_recusal_sheet or self.recusals_new:
            text += f"；回避关系新增 {self.recusals_new} 条"
        return text

    @property
    def unlisted_problems(self) -> int:
        """Problems beyond the first ones each sheet lists (counted, not kept)."""
        return sum(getattr(sheet.problems, "unlisted", 0) for sheet in self.sheets)

    def problem_lines(self) -> list[str]:
        """Each problem as "第 N 行，“列名”列：说明" (with the sheet when the workbook has several).

        A sheet lists its first roster_sheets.MAX_LISTED_PROBLEMS problems; a last line counts the rest.
        """
        several = self.sheet_count > 1
        lines = [p.line(several) for p in self.problems]
        if self.unlisted_problems:
            lines.append(f"……另有 {self.unlisted_problems:,} 处问题未列出（共 "
                         f"{len(self.problems) + self.unlisted_problems:,} 处）；请先改正以上问题后重新导入。")
        return lines


# ---------------------------------------------------------------- preview

def preview_objects_import(db, path, progress=None, cancelled=None) -> ImportPreview:
    """Read and check an objects workbook (with an optional 回避 sheet); nothing is written."""
    return _preview(db, "objects", path, progress, cancelled)


def preview_inspectors_import(db, path, progress=None, cancelled=None) -> ImportPreview:
    """Read and check an inspectors workbook (with an optional 回避 sheet); nothing is written."""
    return _preview(db, "inspectors", path, progress, cancelled)


def _preview(db, kind: str, path, progress, cancelled) -> ImportPreview:
    with paused_gc():
        return _preview_rows(db, kind, path, progress, cancelled)


def _preview_rows(db, kind: str, path, progress, cancelled) -> ImportPreview:
    Checkpoints(1, progress, cancelled, grand_total=100).tick(0)
    try:
        sheets = read_sheets(path, raw=True)
    except XlsxReadError as e:
        raise RosterError(str(e)) from e
    preview = ImportPreview(kind=kind, path=str(path), sheet_count=len(sheets))
    main_name, recusal_name = pick_sheets(sheets, kind)
    if main_name is None:
        raise RosterError(f"文件 {Path(path).name} 中没有可导入的工作表。")
    main_rows = sheets[main_name]
    recusal_rows = sheets.get(recusal_name, []) if recusal_name else []
    grand = len(main_rows) + len(recusal_rows) + 1
    checks = Checkpoints(len(main_rows), progress, cancelled, grand_total=grand)
    parse = parse_objects if kind == "objects" else parse_inspectors
    main = parse(main_name, main_rows, checks)
    preview.sheets.append(main)
    preview.problems.extend(main.problems)
    with db.session() as s:
        plan = plan_rows(s, kind, (v for _, v in main.rows))
        preview.new, preview.updated, preview.unchanged = len(plan.new), len(plan.updates), plan.unchanged
        _describe(preview, s, kind, main, plan)
        if recusal_name:
            preview.has_recusal_sheet = True
            # Objects rows naming a 证件类型 are keyed as the 回避 sheet names them: (kind, country, number).
            file_keys = {row_key(v) if kind == "objects" and "id_kind" in v else v[_key(kind)] for _, v in main.rows}
            known = known_keys(s)
            if kind == "objects":
                known_badge = known["badges"].__contains__
                known_code = lambda c: c in file_keys or c in known["codes"]
            else:
                known_badge = lambda b: b in file_keys or b in known["badges"]
                known_code = known["codes"].__contains__
            rec_checks = Checkpoints(len(recusal_rows), progress, cancelled, offset=len(main_rows), grand_total=grand)
            rec = parse_recusals(recusal_name, recusal_rows, rec_checks, known_badge, known_code)
            preview.sheets.append(rec)
            preview.problems.extend(rec.problems)
            stored = existing_pairs(s)
            preview.recusals_new = len({(v["badge_no"], v["object_key"]) for _, v in rec.rows if "object_key" in v}
                                       - stored)
    preview.problems.sort(key=lambda p: (p.sheet != main_name, p.row))
    Checkpoints(1, progress, cancelled, offset=grand - 1, grand_total=grand).tick(1)
    return preview


def _key(kind: str) -> str:
    return KEYS[kind]


def _describe(preview: ImportPreview, s, kind: str, main: ParsedSheet, plan) -> None:
    """The column mapping and the first rows as stored, with what happens to each, onto the preview."""
    preview.sheet_name, preview.header_row = main.name, main.header_row_no
    preview.columns, preview.ignored_columns = list(main.mapped), list(main.ignored)
    preview.total_rows = len(main.rows)
    key = _key(kind)
    # The fields the file gives, in the app's own order (as its templates and exports have them).
    fields = [c.field for c in COLUMNS_BY_KIND[kind] if c.field in main.headers]
    titles = {c.field: c.title for c in COLUMNS_BY_KIND[kind]}
    preview.sample_titles = [titles[f] for f in fields]
    sample = main.rows[:SAMPLE_SIZE]
    bad_rows = {p.row for p in main.problems}
    new = {id(v) for v in plan.new}
    # Only rows already on the roster need a second look: is anything in them different?
    known = [v for _, v in sample if id(v) not in new]
    changed = _changed_keys(s, kind, known) if known else set()
    for row_no, v in sample:
        if row_no in bad_rows:
            outcome = OUTCOME_PROBLEM
        elif id(v) in new:
            outcome = OUTCOME_NEW
        else:
            outcome = OUTCOME_UPDATED if v[key] in changed else OUTCOME_UNCHANGED
        preview.sample_rows.append(SampleRow(row_no, outcome, tuple(
            _stored_text(v, f, outcome == OUTCOME_NEW) for f in fields)))


def _changed_keys(s, kind: str, rows: list[dict]) -> set[str]:
    """The keys of those *rows* (all on the roster) that storing would change, as plan_rows decides."""
    plan = plan_rows(s, kind, rows)
    changed_ids = {row_id for row_id, _ in plan.updates}
    model = InspectedObject if kind == "objects" else Inspector
    key = getattr(model, _key(kind))
    stmt = select(key, model.id).where(key.in_([v[_key(kind)] for v in rows]))
    return {k for k, row_id in s.execute(stmt) if row_id in changed_ids}


def _stored_text(v: dict, f: str, new: bool) -> str:
    """A field as the roster will hold it: an empty optional cell keeps the stored value, or takes the default."""
    if f not in v:
        if not new:
            return KEPT
        value = NEW_ROW_DEFAULTS.get(f, "")
    else:
        value = v[f]
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


# ---------------------------------------------------------------- apply

def apply_import(db, preview: ImportPreview, actor: str, progress=None, cancelled=None) -> ImportPreview:
    """Write a checked preview in ONE transaction; on cancel (ImportCancelled) or error nothing is written."""
    if not preview.ok:
        raise RosterError(f"文件中有 {len(preview.problems)} 处问题，未导入任何数据。请改正后重新导入。")
    if not preview.sheets:
        raise RosterError("请先预览导入文件。")
    kind = preview.kind
    main = preview.sheets[0]
    rec = preview.sheets[1] if len(preview.sheets) > 1 else None
    done = ImportPreview(kind=kind, path=preview.path, sheet_count=preview.sheet_count,
                         has_recusal_sheet=preview.has_recusal_sheet)
    with paused_gc(), db.session() as s:
        # The database may have changed since the preview: plan again inside the transaction.
        plan = plan_rows(s, kind, (v for _, v in main.rows))
        total = plan.size + (len(rec.rows) if rec else 0)
        checks = Checkpoints(max(total, 1), progress, cancelled)
        checks.tick(0)
        ts = now()
        write_plan(s, kind, plan, ts, checks)
        done.new, done.updated, done.unchanged = len(plan.new), len(plan.updates), plan.unchanged
        if rec is not None:
            done.recusals_new = write_recusals(s, (v for _, v in rec.rows), ts, checks, offset=plan.size)
        checks.tick(checks.total)
        audit.append(s, user=actor, action=ACTION[kind], entity="object" if kind == "objects" else "inspector",
                     detail={"file": os.path.basename(preview.path), "sheet": main.name, "new": done.new,
                             "updated": done.updated, "unchanged": done.unchanged,
                             "recusals_new": done.recusals_new})
    return done


# ---------------------------------------------------------------- problems as a workbook

def save_problems_xlsx(problems: list[ImportProblem], path) -> None:
    """The problem table (sheet, row, column, message) as a workbook the clerk can work through."""
    # Here, not at the top: reports.xlsx_write imports openpyxl (~0.45 s), which a clean import never needs.
    from openpyxl import Workbook

    from reports.xlsx_write import atomic_save, check_target, column_widths, safe_row, write_header

    check_target(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("导入问题")
    headers = ["工作表", "行号", "列", "问题"]
    sample = [(p.sheet, p.row, p.column, p.message) for p in problems[:200]]
    write_header(ws, headers, column_widths(headers, sample, maximum=80), auto_filter_rows=len(problems))
    for p in problems:
        ws.append(safe_row(ws, (p.sheet, p.row, p.column, p.message)))
    atomic_save(wb, path)
