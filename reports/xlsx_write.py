"""Safe .xlsx writing shared by every export: text that never turns into a formula, atomic saves, header styling."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from reports.atomic import atomic_write
# The safety rules and the save errors live beside the streamed writer (which needs no openpyxl); re-exported here.
from reports.xlsx_stream import (  # noqa: F401 - part of this module's interface
    FORMULA_LEADERS, XlsxWriteError, check_target, column_widths, explain_save_error, looks_like_formula, text_width,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def protect_cell(cell) -> None:
    """Make a cell holding text that looks like a formula show (and keep) that exact text.

    The data type "s" makes openpyxl store it as a string instead of a formula; the quote
    prefix makes Excel keep it as text even after a clerk edits the cell. The stored text
    is unchanged, so reading the file back gives exactly what was written.
    """
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def safe_cell(ws, value, *, font: Font | None = None, alignment: Alignment | None = None) -> WriteOnlyCell:
    """A cell for ws.append() (write-only or normal sheets) whose text is never a formula."""
    cell = WriteOnlyCell(ws, value)
    protect_cell(cell)
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def safe_row(ws, values: Iterable) -> list:
    """The values of one data row, with only the risky texts wrapped into protected cells."""
    return [safe_cell(ws, v) if looks_like_formula(v) else v for v in values]


def set_safe(ws, row: int, column: int, value) -> None:
    """Assign one cell of a normal (not write-only) sheet safely."""
    cell = ws.cell(row=row, column=column, value=value)
    protect_cell(cell)


def write_header(ws, headers: Sequence[str], widths: Sequence[int] | None = None, *,
                 auto_filter_rows: int | None = None) -> None:
    """Append a bold header row, freeze it, size the columns and add an auto-filter.

    Must be the first row appended (write-only sheets need widths and panes set before any
    row). *auto_filter_rows* is the number of data rows, when known, so the filter covers them.
    """
    widths = list(widths) if widths is not None else column_widths(headers)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    last_col = get_column_letter(max(len(headers), 1))
    last_row = 1 + (auto_filter_rows or 0)
    ws.auto_filter.ref = f"A1:{last_col}{max(last_row, 1)}"
    ws.append(header_cells(ws, headers))


def header_cells(ws, headers: Iterable[str]) -> list[WriteOnlyCell]:
    """A header row for ws.append(): bold, centred and shaded, never read as a formula."""
    cells = []
    for h in headers:
        cell = safe_cell(ws, h, font=HEADER_FONT, alignment=HEADER_ALIGN)
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def print_a4_landscape(ws) -> None:
    """Print on landscape A4, one page wide and as many pages long as the rows need (normal or write-only sheets)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def atomic_save(workbook: Workbook, path: str | os.PathLike) -> Path:
    """Save to a temporary file in the target's folder, then replace the target in one step.

    A crash or a full disk never leaves a half-written file under the clerk's chosen name.
    """
    return atomic_write(check_target(path), workbook.save, ".xlsx", error=XlsxWriteError, explain=explain_save_error)
