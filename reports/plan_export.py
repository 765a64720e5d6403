"""The year's plan for publicity (抽查计划公示), as an .xlsx and a landscape .docx a bureau posts online."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from models.db import Database
from models.plan import PlanItem
from models.plan_service import get_plan, publicity_title
from reports.atomic import save_docx_atomic
from reports.docx_style import BODY_FONTS, TITLE_FONTS, landscape_document, repeat_header_row, set_run_fonts
from reports.xlsx_write import (
    HEADER_ALIGN, HEADER_FILL, HEADER_FONT, atomic_save, print_a4_landscape, set_safe, text_width,
)

# (header, how to read it from an item, relative width in the .docx)
PUBLIC_COLUMNS: list[tuple[str, object, float]] = [
    ("序号", lambda it: it.number, 0.6),
    ("抽查方式", lambda it: it.mode, 0.9),
    ("抽查领域", lambda it: it.field, 1.4),
    ("抽查事项", lambda it: it.item, 1.8),
    ("抽查内容", lambda it: _content_text(it), 2.6),
    ("检查对象", lambda it: it.object_text, 1.4),
    ("事项类别", lambda it: it.category, 0.9),
    ("抽查比例和频次", lambda it: it.ratio_text, 1.2),
    ("发起部门", lambda it: it.initiator, 0.9),
    ("配合部门", lambda it: "、".join(it.partners or []), 1.0),
    ("检查主体", lambda it: it.subject, 0.9),
    ("检查时间", lambda it: it.time_text, 0.9),
    ("责任单位", lambda it: it.responsible_unit, 0.9),
    ("检查方式", lambda it: "、".join(it.methods or []), 0.9),
    ("制定依据", lambda it: it.basis, 2.0),
    ("实施层级", lambda it: it.level, 0.9),
    ("备注", lambda it: it.remark, 0.8),
]
_NUMBERED = re.compile(r"^\s*[1１]\s*[、.．]")


def _content_text(item: PlanItem) -> str:
    """抽查内容 as written; a numbered list written in one run gets one point per line."""
    entries = [e.text for e in item.checklist]
    if len(entries) > 1 and _NUMBERED.match(item.content or ""):
        return "\n".join(f"{i}. {t}" for i, t in enumerate(entries, start=1))
    return item.content


# Always printed, even when empty for every item; other all-empty columns are left out so
# the published table is as wide as the bureau's own plan, not wider.
ALWAYS = {"序号", "抽查事项", "检查对象", "抽查比例和频次"}



@dataclass
class PlanTable:
    """The publishable table: title, the columns kept and one row of text per item."""

    title: str
    headers: list[str]
    widths: list[float]
    rows: list[list[str]]


def plan_table(db: Database, year: int) -> PlanTable:
    with db.session() as s:
        plan = get_plan(s, year)
        items: list[PlanItem] = list(plan.items)
        title = publicity_title(plan)
        full = [[(get(it) or "").strip() for _, get, _ in PUBLIC_COLUMNS] for it in items]
    keep = [i for i, (h, _, _) in enumerate(PUBLIC_COLUMNS) if h in ALWAYS or any(r[i] for r in full)]
    return PlanTable(
        title=title,
        headers=[PUBLIC_COLUMNS[i][0] for i in keep],
        widths=[PUBLIC_COLUMNS[i][2] for i in keep],
        rows=[[r[i] for i in keep] for r in full],
    )


# --- .xlsx -----------------------------------------------------------------------------

LINE_HEIGHT = 16.0     # points per line of 11 pt text in a CJK font (Noto Sans CJK is the tallest)
MAX_ROW_HEIGHT = 409   # Excel's limit


def _cell_lines(value: str, width: float) -> int:
    room = max(width - 1.5, 1)  # the cell's inner padding
    return sum(max(1, math.ceil(text_width(part) / room)) for part in (value or "").split("\n"))


def wrapped_height(values: list[str], widths: list[float]) -> float:
    """Row height in points for cells that wrap within columns of these widths (Excel units)."""
    lines = max([1] + [_cell_lines(v, w) for v, w in zip(values, widths)])
    return min(lines * LINE_HEIGHT + 4, MAX_ROW_HEIGHT)


def fit_widths(rows: list[list[str]], widths: list[float], limit: float = 100) -> list[float]:
    """Widen a column whose longest cell would need a row taller than Excel allows (409 pt).

    A row cannot grow past that height, so a very long checklist (seed 002, item 11) would
    be cut off; its column grows instead, up to *limit*.
    """
    widths = list(widths)
    max_lines = int((MAX_ROW_HEIGHT - 4) // LINE_HEIGHT)
    for row in rows:
        for c, value in enumerate(row):
            while _cell_lines(value, widths[c]) > max_lines and widths[c] < limit:
                widths[c] = min(widths[c] + 2, limit)
    return widths


def export_plan_xlsx(db: Database, year: int, path) -> Path:
    """Title row, a frozen header, wrapped text and sized columns; text is never read as a formula."""
    table = plan_table(db, year)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度抽查计划"
    n = len(table.headers)
    set_safe(ws, 1, 1, table.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(1, 1).font = Font(name=TITLE_FONTS[1], size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, h in enumerate(table.headers, start=1):
        set_safe(ws, 2, c, h)
        cell = ws.cell(2, c)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, border
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=3):
        for c, value in enumerate(row, start=1):
            set_safe(ws, r, c, value)
            ws.cell(r, c).alignment = wrap
            ws.cell(r, c).border = border
    widths = []
    for c, h in enumerate(table.headers, start=1):
        longest = max([text_width(h) + 2] + [min(text_width(row[c - 1]), 60) for row in table.rows])
        # Long texts wrap; the column grows with its relative weight, not with the longest text.
        widths.append(min(max(longest, 8), 12 + 10 * table.widths[c - 1]))
    widths = fit_widths(table.rows, widths)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    # LibreOffice opens rows written without a height at one line, cutting wrapped text off;
    # each row states the height its longest cell needs, so every program shows it whole.
    ws.row_dimensions[2].height = wrapped_height(table.headers, widths)
    for r, row in enumerate(table.rows, start=3):
        ws.row_dimensions[r].height = wrapped_height(row, widths)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    print_a4_landscape(ws)
    return atomic_save(wb, path)


# --- .docx -----------------------------------------------------------------------------

def _fill_cell(cell, text: str, *, bold: bool = False, center: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n") if text else [""]
    para = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = para if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_fonts(p.add_run(line), BODY_FONTS if not bold else ("黑体",), 9, bold=False)


def export_plan_docx(db: Database, year: int, path) -> Path:
    """Landscape A4: the title in 小标宋 (黑体 where missing), the table with a header repeated on every page."""
    table = plan_table(db, year)
    doc = landscape_document()

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    set_run_fonts(title.add_run(table.title), TITLE_FONTS, 18)

    grid = doc.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    usable = Mm(297 - 30)
    total = sum(table.widths)
    widths = [int(usable * w / total) for w in table.widths]
    header = grid.rows[0]
    repeat_header_row(header)
    for cell, text, w in zip(header.cells, table.headers, widths):
        cell.width = w
        _fill_cell(cell, text, bold=True, center=True)
    for row in table.rows:
        cells = grid.add_row().cells
        for i, (cell, text, w) in enumerate(zip(cells, row, widths)):
            cell.width = w
            _fill_cell(cell, text, center=(i == 0))
    for col, w in zip(grid.columns, widths):
        col.width = w
    return save_docx_atomic(doc, path)


def export_plan(db: Database, year: int, path) -> Path:
    """By the file's suffix: .xlsx or .docx."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return export_plan_xlsx(db, year, path)
    if suffix == ".docx":
        return export_plan_docx(db, year, path)
    raise ValueError(f"不支持的导出格式“{suffix or Path(path).name}”：请使用 .xlsx 或 .docx。")


