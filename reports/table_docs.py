"""A titled table written as .xlsx or as a landscape .docx, fast enough for 10,000 rows, text never read as a formula.

Used by the publicity tables and the year report. The .docx rows are built as raw
WordprocessingML (python-docx's ``add_row`` slows down with every row added).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from reports.plan_export import BODY_FONTS, TITLE_FONTS, _atomic_docx, _declare_fallbacks, _repeat_header, _set_fonts
from reports.xlsx_write import HEADER_ALIGN, HEADER_FILL, HEADER_FONT, atomic_save, protect_cell, text_width

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


class ExportCancelled(Exception):
    """The clerk stopped the export; nothing was written."""


def _tick(progress: Progress, cancelled, done: int, total: int) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled("已取消导出，未生成文件")
    if progress is not None:
        progress(done, total)


# --- .xlsx -----------------------------------------------------------------------------

def write_xlsx(table: TitledTable, path, *, progress: Progress = None, cancelled=None) -> Path:
    """Title (merged, large), subtitle, a frozen header, bordered rows, notes; saved atomically."""
    wb = Workbook()
    ws = wb.active
    ws.title = table.sheet[:31]
    n = len(table.headers)
    ws.append([table.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(1, 1).font = Font(name=TITLE_FONTS[1], size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    protect_cell(ws.cell(1, 1))
    ws.row_dimensions[1].height = 34
    ws.append([table.subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws.cell(2, 1).alignment = Alignment(horizontal="right")
    protect_cell(ws.cell(2, 1))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append(table.headers)
    for c in range(1, n + 1):
        cell = ws.cell(3, c)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, border
        protect_cell(cell)
    wrap = Alignment(wrap_text=True, vertical="top")
    total = len(table.rows)
    step = max(total // 50, 1)
    for r, row in enumerate(table.rows, start=4):
        ws.append(row)
        for cell in ws[r]:
            cell.border = border
            cell.alignment = wrap
            protect_cell(cell)
        if (r - 4) % step == 0:
            _tick(progress, cancelled, r - 4, total)
    for note in table.notes:
        ws.append([note])
        protect_cell(ws.cell(ws.max_row, 1))
    for c, h in enumerate(table.headers, start=1):
        sample = table.rows[:200]
        longest = max([text_width(h) + 2] + [min(text_width(row[c - 1]), 60) for row in sample])
        ws.column_dimensions[get_column_letter(c)].width = min(max(longest, 6), 10 + 10 * table.widths[c - 1])
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _tick(progress, cancelled, total, total)
    return atomic_save(wb, path)


# --- .docx -----------------------------------------------------------------------------

def landscape_document() -> Document:
    """A4 landscape with the Chinese official fonts declared (and their fallbacks)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(18)
    _declare_fallbacks(doc)
    return doc


def add_title(doc, text: str, size: float = 18) -> None:
    para = doc.paragraphs[0] if doc.paragraphs and not doc.paragraphs[0].text else doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(6)
    _set_fonts(para.add_run(text), TITLE_FONTS, size)


def add_text(doc, text: str, *, size: float = 12, align=None, bold: bool = False):
    para = doc.add_paragraph()
    if align is not None:
        para.alignment = align
    para.paragraph_format.space_after = Pt(4)
    _set_fonts(para.add_run(text), BODY_FONTS if not bold else ("黑体",), size)
    return para


def _cell_xml(text: str, width_twips: int, font: str, size_half_points: int, center: bool):
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width_twips))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    valign = OxmlElement("w:vAlign")
    valign.set(qn("w:val"), "center")
    tcpr.append(valign)
    tc.append(tcpr)
    for line in (text.split("\n") if text else [""]):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:after"), "0")
        ppr.append(spacing)
        if center:
            jc = OxmlElement("w:jc")
            jc.set(qn("w:val"), "center")
            ppr.append(jc)
        p.append(ppr)
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font)
        rpr.append(fonts)
        for tag in ("w:sz", "w:szCs"):
            sz = OxmlElement(tag)
            sz.set(qn("w:val"), str(size_half_points))
            rpr.append(sz)
        r.append(rpr)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        r.append(t)
        p.append(r)
        tc.append(p)
    return tc


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
    _repeat_header(header)
    for cell, text, mm in zip(header.cells, headers, col_mm):
        cell.width = Mm(mm)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_fonts(cell.paragraphs[0].add_run(text), ("黑体",), font_pt)
    for col, mm in zip(grid.columns, col_mm):
        col.width = Mm(mm)
    tbl = grid._tbl
    size = int(font_pt * 2)
    # One template row per text pattern would save little: building each row is what costs.
    cant_split = OxmlElement("w:trPr")
    cant_split.append(OxmlElement("w:cantSplit"))
    total = len(rows)
    step = max(total // 50, 1)
    for n, row in enumerate(rows):
        tr = OxmlElement("w:tr")
        tr.append(copy.deepcopy(cant_split))
        for i, (text, tw) in enumerate(zip(row, twips)):
            tr.append(_cell_xml("" if text is None else str(text), tw, BODY_FONTS[0], size, center_first and i == 0))
        tbl.append(tr)
        if n % step == 0:
            _tick(progress, cancelled, n, total)


def write_docx(table: TitledTable, path, *, progress: Progress = None, cancelled=None) -> Path:
    """Landscape A4: title in 小标宋, the subtitle right-aligned, the table and its notes."""
    doc = landscape_document()
    add_title(doc, table.title)
    add_text(doc, table.subtitle, size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    add_table(doc, table.headers, table.rows, table.widths, progress=progress, cancelled=cancelled)
    for note in table.notes:
        add_text(doc, note, size=10)
    _tick(progress, cancelled, len(table.rows), len(table.rows))
    return _atomic_docx(doc, path)


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
