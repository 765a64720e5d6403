"""A titled table written as .xlsx or as a landscape .docx, fast enough for 10,000 rows, text never read as a formula.

Used by the publicity tables and the year report. The .docx rows are built as raw
WordprocessingML (python-docx's ``add_row`` slows down with every row added).
"""
from __future__ import annotations

import copy
from xml.sax.saxutils import escape
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports.atomic import save_docx_atomic
from reports.docx_style import BODY_FONTS, TITLE_FONTS, landscape_document, repeat_header_row, set_run_fonts
from reports.xlsx_write import (
    atomic_save, header_cells, print_a4_landscape, protect_cell, safe_cell, text_width,
)

Progress = Callable[[int, int], None] | None


@dataclass
class TitledTable:
    """What a published table holds: a title, a line under it, the columns, the rows and notes after it."""

    title: str
    subtitle: str
    headers: list[str]
    widths: list[float]              # relative column widths (the .docx page and the .xlsx columns)
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    sheet: str = "公示"
    keys: list = field(default_factory=list)  # what each row stands for (e.g. the draw record id), not written


class ExportCancelled(Exception):
    """The clerk stopped the export; nothing was written."""


def _tick(progress: Progress, cancelled, done: int, total: int) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled("已取消导出，未生成文件")
    if progress is not None:
        progress(done, total)


# --- .xlsx -----------------------------------------------------------------------------

def write_xlsx(table: TitledTable, path, *, progress: Progress = None, cancelled=None) -> Path:
    """Title (merged, large), subtitle, a frozen header, bordered rows, notes; saved atomically.

    A write-only workbook streams the rows: 10,000 rows take about a second instead of half a minute.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(table.sheet[:31])
    n = len(table.headers)
    last = get_column_letter(max(n, 1))
    # Column widths, panes and print settings must be set before the first row is written.
    sample = table.rows[:200]
    for c, h in enumerate(table.headers, start=1):
        longest = max([text_width(h) + 2] + [min(text_width(row[c - 1]), 60) for row in sample])
        ws.column_dimensions[get_column_letter(c)].width = min(max(longest, 6), 10 + 10 * table.widths[c - 1])
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    print_a4_landscape(ws)
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    ws.row_dimensions[1].height = 34
    ws.append([safe_cell(ws, table.title, font=Font(name=TITLE_FONTS[1], size=16, bold=True),
                         alignment=Alignment(horizontal="center", vertical="center"))])
    ws.append([safe_cell(ws, table.subtitle, alignment=Alignment(horizontal="right"))])
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header = header_cells(ws, table.headers)
    for cell in header:
        cell.border = border
    ws.append(header)
    # One styled prototype per column: copying its style id is far cheaper than assigning styles per cell.
    wrap = Alignment(wrap_text=True, vertical="top")
    proto = WriteOnlyCell(ws, "")
    proto.border, proto.alignment = border, wrap
    style = proto._style
    total = len(table.rows)
    step = max(total // 50, 1)
    try:
        for r, row in enumerate(table.rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value)
                cell._style = copy.copy(style)
                protect_cell(cell)
                cells.append(cell)
            ws.append(cells)
            if r % step == 0:
                _tick(progress, cancelled, r, total)
        for note in table.notes:
            ws.append([safe_cell(ws, note)])
        _tick(progress, cancelled, total, total)
    except ExportCancelled:
        _abandon(ws)
        raise
    return atomic_save(wb, path)


def _abandon(ws) -> None:
    """Finish and delete the half-streamed sheet, so a cancelled export leaves no temporary file behind."""
    try:
        ws.close()
        ws._writer.cleanup()
    except Exception:  # noqa: BLE001 - best effort: the export is being abandoned anyway
        pass


# --- .docx -----------------------------------------------------------------------------

def add_title(doc, text: str, size: float = 18) -> None:
    para = doc.paragraphs[0] if doc.paragraphs and not doc.paragraphs[0].text else doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(6)
    set_run_fonts(para.add_run(text), TITLE_FONTS, size)


def add_text(doc, text: str, *, size: float = 12, align=None, bold: bool = False):
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_after = Pt(4)
    set_run_fonts(para.add_run(text), BODY_FONTS if not bold else ("黑体",), size)
    return para


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TOTAL_LABELS = ("合计", "总计")
# XML 1.0 forbids most control characters; a stray one in a roster name must not break the document.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _para_xml(line: str, font: str, size: int, center: bool, keep_next: bool = False) -> str:
    jc = '<w:jc w:val="center"/>' if center else ""
    keep = "<w:keepNext/>" if keep_next else ""
    return (f'<w:p><w:pPr>{keep}<w:spacing w:after="0"/>{jc}</w:pPr><w:r><w:rPr>'
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
            f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>')


def _row_xml(row, twips: list[int], font: str, size: int, center_first: bool, keep_next: bool = False) -> str:
    """One table row; *keep_next* holds it on the page of the row after it (Word keeps paragraphs together)."""
    cells = []
    for i, (value, width) in enumerate(zip(row, twips)):
        text = ("" if value is None else str(value)).translate(_CONTROL)
        paras = "".join(_para_xml(line, font, size, center_first and i == 0, keep_next) for line in text.split("\n"))
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                     f"{paras}</w:tc>")
    return f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(cells)}</w:tr>'


def add_table(doc, headers: list[str], rows: list[list[str]], widths: list[float], *, usable_mm: float = 267,
              font_pt: float = 9, center_first: bool = True, progress: Progress = None, cancelled=None) -> None:
    """A bordered table whose header repeats on every page; rows are appended as raw XML."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    total_w = sum(widths)
    col_mm = [usable_mm * w / total_w for w in widths]
    twips = [int(mm / 25.4 * 1440) for mm in col_mm]
    header = grid.rows[0]
    repeat_header_row(header)
    for cell, text, mm in zip(header.cells, headers, col_mm):
        cell.width = Mm(mm)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_fonts(cell.paragraphs[0].add_run(text), ("黑体",), font_pt)
    for col, mm in zip(grid.columns, col_mm):
        col.width = Mm(mm)
    tbl = grid._tbl
    size = int(font_pt * 2)
    total = len(rows)
    # Rows are written as text and parsed a few hundred at a time: building them node by node
    # through python-docx takes several times longer for 10,000 rows.
    chunk = 250
    # A closing 合计 row stays on the page of the row above it instead of standing alone on a new page.
    keep_before = total - 2 if total >= 2 and str(rows[-1][0]).strip() in TOTAL_LABELS else -1
    for start in range(0, total, chunk):
        _tick(progress, cancelled, start, total)
        body = "".join(_row_xml(r, twips, BODY_FONTS[0], size, center_first, start + i == keep_before)
                       for i, r in enumerate(rows[start:start + chunk]))
        for tr in list(parse_xml(f'<w:tbl xmlns:w="{_W_NS}">{body}</w:tbl>')):
            tbl.append(tr)


def write_docx(table: TitledTable, path, *, progress: Progress = None, cancelled=None) -> Path:
    """Landscape A4: title in 小标宋, the subtitle right-aligned, the table and its notes."""
    doc = landscape_document()
    add_title(doc, table.title)
    add_text(doc, table.subtitle, size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_table(doc, table.headers, table.rows, table.widths, progress=progress, cancelled=cancelled)
    for note in table.notes:
        add_text(doc, note, size=10)
    _tick(progress, cancelled, len(table.rows), len(table.rows))
    return save_docx_atomic(doc, path)


def check_target(path, suffixes: tuple[str, ...] = (".xlsx", ".docx")) -> str:
    """The file's suffix when it is one we write and its folder exists; else a Chinese error naming the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in suffixes:
        raise ValueError(f"不支持的导出格式“{suffix or path.name}”：请使用 {' 或 '.join(suffixes)}。")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ValueError(f"无法保存 {path}：文件夹 {folder} 不存在。")
    return suffix


def write_table(table: TitledTable, path, *, progress: Progress = None, cancelled=None) -> Path:
    """By the file's suffix: .xlsx or .docx."""
    if check_target(path) == ".xlsx":
        return write_xlsx(table, path, progress=progress, cancelled=cancelled)
    return write_docx(table, path, progress=progress, cancelled=cancelled)
