"""A titled table written as .xlsx or as a landscape .docx, fast enough for 10,000 rows, text never read as a formula.

Used by the publicity tables and the year report. The .docx rows are built as raw
WordprocessingML (python-docx's ``add_row`` slows down with every row added).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from xml.sax.saxutils import escape

from reports.xlsx_stream import HEADER, StreamWorkbook, Style, column_letter, save_streamed, text_width

if TYPE_CHECKING:
    from reports.docx_stream import DeferredRows

# python-docx (and the styling built on it) is imported by the functions that write a .docx: the screens
# import TitledTable and ExportCancelled from here at start-up, and the .xlsx export never needs it.

Progress = Callable[[int, int], None] | None
_BORDER_RGB = "808080"   # thin grey borders round the header and every row


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
    """Title (merged, large), subtitle, a frozen header repeated on every printed page, bordered rows, notes.

    The sheet is streamed (reports.xlsx_stream): 10,000 rows take well under a second; saved atomically.
    """
    n = len(table.headers)
    last = column_letter(max(n, 1))
    sample = table.rows[:200]
    widths = []
    for c, h in enumerate(table.headers):
        longest = max([text_width(h) + 2] + [min(text_width(row[c]), 60) for row in sample])
        widths.append(min(max(longest, 6), 10 + 10 * table.widths[c]))
    from reports.docx_style import TITLE_FONTS

    title = Style(font_name=TITLE_FONTS[1], size=16, bold=True, horizontal="center", vertical="center")
    subtitle = Style(horizontal="right")
    header = replace(HEADER, border=_BORDER_RGB)
    body = Style(border=_BORDER_RGB, vertical="top", wrap=True)
    total = len(table.rows)
    step = max(total // 50, 1)

    def build(book: StreamWorkbook) -> None:
        ws = book.add_sheet(table.sheet, widths=widths, freeze_rows=3, landscape_a4=True, print_title_rows=(3, 3),
                            row_heights={1: 34})
        ws.merge(f"A1:{last}1")
        ws.merge(f"A2:{last}2")
        ws.append([table.title], title)
        ws.append([table.subtitle], subtitle)
        ws.append(table.headers, header)
        for r, row in enumerate(table.rows):
            ws.append(row, body)
            if r % step == 0:
                _tick(progress, cancelled, r, total)
        for note in table.notes:
            ws.append([note])
        _tick(progress, cancelled, total, total)

    return save_streamed(path, build)


# --- .docx -----------------------------------------------------------------------------

def add_title(doc, text: str, size: float = 18) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from reports.docx_style import TITLE_FONTS, set_run_fonts

    para = doc.paragraphs[0] if doc.paragraphs and not doc.paragraphs[0].text else doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.space_after = Pt(6)
    set_run_fonts(para.add_run(text), TITLE_FONTS, size)


def add_text(doc, text: str, *, size: float = 12, align=None, bold: bool = False):
    from docx.shared import Pt

    from reports.docx_style import BODY_FONTS, set_run_fonts

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


def _para_open(font: str, size: int, center: bool, keep_next: bool) -> str:
    jc = '<w:jc w:val="center"/>' if center else ""
    keep = "<w:keepNext/>" if keep_next else ""
    return (f'<w:p><w:pPr>{keep}<w:spacing w:after="0"/>{jc}</w:pPr><w:r><w:rPr>'
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr><w:t xml:space="preserve">')


_PARA_CLOSE = "</w:t></w:r></w:p>"


def _para_xml(line: str, font: str, size: int, center: bool, keep_next: bool = False) -> str:
    return _para_open(font, size, center, keep_next) + escape(line) + _PARA_CLOSE


class _RowXml:
    """Table rows as WordprocessingML text; each column's cell and paragraph openings are built once per table."""

    def __init__(self, twips: list[int], font: str, size: int, center_first: bool):
        self.columns = [[(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>',
                          _para_open(font, size, center_first and i == 0, keep)) for keep in (False, True)]
                        for i, width in enumerate(twips)]

    def __call__(self, row, keep_next: bool = False) -> str:
        """One row; *keep_next* holds it on the page of the row after it (Word keeps paragraphs together)."""
        k = 1 if keep_next else 0
        parts = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        for value, column in zip(row, self.columns):
            cell_open, para_open = column[k]
            text = ("" if value is None else str(value)).translate(_CONTROL)
            if "\n" in text:
                body = "".join(para_open + escape(line) + _PARA_CLOSE for line in text.split("\n"))
            else:
                body = para_open + escape(text) + _PARA_CLOSE
            parts.append(f"{cell_open}{body}</w:tc>")
        parts.append("</w:tr>")
        return "".join(parts)


def _row_xml(row, twips: list[int], font: str, size: int, center_first: bool, keep_next: bool = False) -> str:
    """One table row; *keep_next* holds it on the page of the row after it (Word keeps paragraphs together)."""
    return _RowXml(twips, font, size, center_first)(row, keep_next)


def add_table(doc, headers: list[str], rows: list[list[str]], widths: list[float], *, usable_mm: float = 267,
              font_pt: float = 9, center_first: bool = True, progress: Progress = None, cancelled=None,
              deferred: DeferredRows | None = None) -> None:
    """A bordered table whose header repeats on every page; rows are appended as raw XML.

    With *deferred* the rows never enter the document tree: they are written straight into the file by
    :func:`reports.docx_stream.save_docx_streamed` (10,000 rows parsed into lxml took ~1.5 s and ~500 MB).
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Mm

    from reports.docx_style import BODY_FONTS, repeat_header_row, set_run_fonts

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
    row_xml = _RowXml(twips, BODY_FONTS[0], int(font_pt * 2), center_first)
    total = len(rows)
    chunk = 250
    # A closing 合计 row stays on the page of the row above it instead of standing alone on a new page.
    keep_before = total - 2 if total >= 2 and str(rows[-1][0]).strip() in TOTAL_LABELS else -1

    def chunks():
        for start in range(0, total, chunk):
            _tick(progress, cancelled, start, total)
            yield "".join(row_xml(r, start + i == keep_before) for i, r in enumerate(rows[start:start + chunk]))

    if deferred is not None:
        deferred.add(tbl, chunks)
        return
    # Rows are written as text and parsed a few hundred at a time: building them node by node
    # through python-docx takes several times longer.
    for body in chunks():
        for tr in list(parse_xml(f'<w:tbl xmlns:w="{_W_NS}">{body}</w:tbl>')):
            tbl.append(tr)


def write_docx(table: TitledTable, path, *, progress: Progress = None, cancelled=None) -> Path:
    """Landscape A4: title in 小标宋, the subtitle right-aligned, the table and its notes."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from reports.docx_stream import DeferredRows, save_docx_streamed
    from reports.docx_style import landscape_document

    doc = landscape_document()
    add_title(doc, table.title)
    add_text(doc, table.subtitle, size=11, align=WD_ALIGN_PARAGRAPH.RIGHT)
    rows = DeferredRows()
    add_table(doc, table.headers, table.rows, table.widths, progress=progress, cancelled=cancelled, deferred=rows)
    for note in table.notes:
        add_text(doc, note, size=10)
    path = save_docx_streamed(doc, path, rows)
    _tick(progress, None, len(table.rows), len(table.rows))
    return path


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
