"""Reading a filled result sheet back: find the columns, check the fixed cells against what was exported, and turn
each row's filled cells into dates, badges, verdicts and hazards, with a problem per cell that cannot be read."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from models.errors import UserError
from models.results_task import TASK_ROUND
from reports.results_sheet import (
    COL_FROM, COL_HAZARDS, COL_NOTE, COL_OFFICERS, COL_REASON, COL_RESULT, COL_SEQ, COL_TO, FORMAT,
    META_SHEET, SHEET, fill_columns, fixed_columns,
)
from reports.roster_sheets import ImportProblem
from reports.xlsx_read import UNCACHED_FORMULA, Workbook, XlsxReadError, cell_text

__all__ = ["ResultsSheetError", "SheetMeta", "FilledRow", "ResultsSheet", "read_results_sheet", "parse_date",
           "parse_hazards", "split_badges"]

HEADER_SCAN = 10
_ENUMERATOR = re.compile(r"^\s*(?:[（(]\s*\d+\s*[)）]|\d+\s*[.、．)）])\s*")
_HAZARD_SPLIT = re.compile(r"\s*(?:::|：：|:：|：:)\s*")
_BADGE_SPLIT = re.compile(r"[、,，;；/\s]+")
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


class ResultsSheetError(UserError, ValueError):
    """The file is not a result sheet this program can read back; the message names the file."""


@dataclass
class SheetMeta:
    """What the export recorded in its hidden sheet."""

    kind: str
    draw_id: int
    item_id: int
    entries: list[tuple[int, int, str]]                       # (entry id, seq, column title)
    objects: dict[str, tuple[int, tuple[str, ...]]]           # 序号 → (pick id, or a round's object id; fixed texts)
    # A round (kind "round"; draw_id then holds the duty's id): its 辖区 ("" = all), the period's first day and
    # the day of the round (None: the row's own date is required).
    jurisdiction: str = ""
    start: dt.date | None = None
    day: dt.date | None = None


@dataclass
class FilledRow:
    """One object's row as the team filled it (``empty``: no filled cell at all — skipped)."""

    row: int
    seq: str
    pick_id: int
    fixed: tuple[str, ...]
    empty: bool = True
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    badges: list[str] = field(default_factory=list)
    change_reason: str = ""
    result: str = ""
    verdicts: dict[int, str] = field(default_factory=dict)     # entry id → verdict as written
    hazards: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


@dataclass
class ResultsSheet:
    path: Path
    meta: SheetMeta
    header_row: int
    rows: list[FilledRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(SHEET, row, column, message))


def _text(value) -> str:
    return cell_text(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(value) -> dt.date | None:
    """A date cell, or text such as 2024-05-06, 2024/5/6, 2024.5.6, 2024年5月6日, 20240506; None when empty.

    Raises ValueError for anything else (a number in a cell not formatted as a date cannot be told from a count).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not value.strip():
            return None
        m = _DATE_TEXT.match(value) or _DATE_COMPACT.match(value)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(value)


def split_badges(text: str) -> list[str]:
    return [b for b in _BADGE_SPLIT.split(text) if b]


def parse_hazards(text: str) -> list[tuple[str, str]]:
    """One hazard per line, "内容::条款" (the full-width ：： too); a leading "1." or "（1）" is dropped."""
    hazards = []
    for line in text.split("\n"):
        line = _ENUMERATOR.sub("", line).strip()
        if not line:
            continue
        parts = _HAZARD_SPLIT.split(line, maxsplit=1)
        content, clause = (parts[0], parts[1]) if len(parts) == 2 else (line, "")
        hazards.append((content.strip(), clause.strip()))
    return hazards


def _meta(book: Workbook, name: str) -> SheetMeta:
    not_ours = (f"文件 {name} 不是本软件导出的检查结果填报表（缺少“{META_SHEET}”隐藏工作表或已损坏）。"
                "请在“检查与整改 → 检查记录”中点“导出结果填报表…”（命令行 results-sheet）生成后填写。")
    if META_SHEET not in book.sheet_names or SHEET not in book.sheet_names:
        raise ResultsSheetError(not_ours)
    meta = SheetMeta("", 0, 0, [], {})
    try:
        for raw in book.raw_rows(META_SHEET):
            values = [_text(v) for v in raw]
            key = values[0] if values else ""
            if key == "格式" and values[1] != FORMAT:
                raise ResultsSheetError(not_ours)
            if key == "任务":
                meta.kind, meta.draw_id = values[1], int(values[2])
            elif key == "巡查":
                meta.jurisdiction = values[1]
                meta.start = dt.date.fromisoformat(values[2])
                meta.day = dt.date.fromisoformat(values[3]) if len(values) > 3 and values[3] else None
            elif key == "抽查事项":
                meta.item_id = int(values[1])
            elif key == "检查内容":
                meta.entries.append((int(values[1]), int(values[2]), values[3]))
            elif key == "对象":
                width = len(fixed_columns(meta.kind))
                fixed = tuple((values[2:] + [""] * width)[:width])
                meta.objects[fixed[0]] = (int(values[1]), fixed)
    except (IndexError, ValueError) as e:
        raise ResultsSheetError(not_ours) from e
    if not meta.kind or not meta.draw_id or (meta.kind == TASK_ROUND and meta.start is None):
        raise ResultsSheetError(not_ours)
    return meta


def read_results_sheet(path) -> ResultsSheet:
    """Read and check a filled result sheet; problems are collected per cell, nothing is written anywhere."""
    path = Path(path)
    try:
        with Workbook(path) as book:
            meta = _meta(book, path.name)
            rows = book.raw_rows(SHEET)
    except XlsxReadError as e:
        raise ResultsSheetError(str(e)) from e
    entry_titles = [title for _e, _s, title in meta.entries]
    fixed_titles = fixed_columns(meta.kind)
    wanted = [*fixed_titles, *fill_columns(meta.kind, entry_titles)]
    header_row = next((i for i, r in enumerate(rows[:HEADER_SCAN]) if r and _text(r[0]) == COL_SEQ), None)
    if header_row is None:
        raise ResultsSheetError(f"文件 {path.name} 的工作表“{SHEET}”中找不到列名行（第一列应为“{COL_SEQ}”）；"
                                "请不要删除或移动表头，或重新导出填报表。")
    header = [_text(v) for v in rows[header_row]]
    sheet = ResultsSheet(path, meta, header_row + 1)
    col = {h: header.index(h) for h in wanted if h in header}
    missing = [h for h in wanted if h not in col]
    for h in missing:
        sheet.problem(header_row + 1, h, "缺少此列：不要删除、改名或增加列；请重新导出填报表后填写")
    if missing:
        return sheet
    to_fill = [h for h in wanted if h not in fixed_titles]
    seen: dict[str, int] = {}
    for i, raw in enumerate(rows[header_row + 1:], start=header_row + 2):
        def cell(title: str, raw=raw):
            c = col[title]
            return raw[c] if c < len(raw) else None

        filled = [h for h in to_fill if _text(cell(h))]
        seq = _text(cell(COL_SEQ))
        if seq not in meta.objects:
            if filled or any(_text(cell(h)) for h in fixed_titles[1:]):
                sheet.problem(i, COL_SEQ, f"序号“{seq}”不是导出时的行：不要在表中增加或复制行" if seq
                              else "序号为空：不要在表中增加行，也不要清除序号")
            continue
        if seq in seen:
            sheet.problem(i, COL_SEQ, f"序号 {seq} 与第 {seen[seq]} 行重复：每个对象只能有一行")
            continue
        seen[seq] = i
        pick_id, expected = meta.objects[seq]
        for title, want in zip(fixed_titles, expected):
            have = _text(cell(title))
            if have != want.strip():
                sheet.problem(i, title, f"此列是导出时填好的内容，不得修改（导出时为“{want}”，现为“{have}”）；"
                                        "请改回原样，或重新导出填报表")
        row = FilledRow(i, seq, pick_id, expected, empty=not filled)
        sheet.rows.append(row)
        for h in to_fill:
            if cell(h) is UNCACHED_FORMULA:
                sheet.problem(i, h, "单元格是公式，文件中没有它的计算结果：请直接填写内容，不要使用公式")
        if row.empty:
            continue
        for title, attr in ((COL_FROM, "date_from"), (COL_TO, "date_to")):
            try:
                setattr(row, attr, parse_date(cell(title)))
            except ValueError:
                sheet.problem(i, title, f"“{_text(cell(title))}”不是日期：请写成 2024-05-06 这样的日期")
        if row.date_from is None and meta.day is not None and _text(cell(COL_FROM)) == "":
            row.date_from = meta.day             # a day's round: the day it was exported for
        if row.date_to is None and _text(cell(COL_TO)) == "":
            row.date_to = row.date_from          # a one-day check
        row.badges = split_badges(_text(cell(COL_OFFICERS)))
        row.change_reason = _text(cell(COL_REASON)) if COL_REASON in col else ""
        row.result = _text(cell(COL_RESULT))
        row.verdicts = {entry_id: _text(cell(title)) for entry_id, _seq, title in meta.entries}
        row.hazards = parse_hazards(_text(cell(COL_HAZARDS)))
        row.note = _text(cell(COL_NOTE))
    return sheet
