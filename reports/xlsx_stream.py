"""A streamed .xlsx writer for the big exports: rows go straight into the zip as sheet XML, never as cell objects.

openpyxl builds a Python object per cell (write-only mode too), which made 100,000 roster rows take
~17 s; xlsxwriter's constant_memory mode still ~13 s. Writing the sheet XML directly takes ~2 s and
keeps memory flat. What a clerk gets is the same: text stays text (every string is an inline string, never a
formula, and text that looks like one carries Excel's quote prefix so an edit keeps it text), a frozen,
bold header, column widths, an auto-filter, merged title rows, and A4 landscape printing with a
repeated header row where asked. Only the few styles the exports use exist (see :class:`Style`).
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from models.errors import UserError
from reports import xlsx_parts as parts
from reports.atomic import atomic_write, open_in
from reports.xlsx_parts import Style

__all__ = ["HEADER", "PLAIN", "StreamSheet", "StreamWorkbook", "Style", "XlsxWriteError", "check_target",
           "column_letter", "column_widths", "looks_like_formula", "save_streamed", "text_width"]

# A spreadsheet treats text starting with these as a formula (or, for + - @, re-parses it
# as one when a clerk edits the cell), which lets roster data run commands: "formula injection".
FORMULA_LEADERS = ("=", "+", "-", "@")

# Level 1 deflate: a fifth of level 6's time for a file about 15% larger.
COMPRESSION_LEVEL = 1
# XML 1.0 forbids most control characters (and U+FFFE/U+FFFF); one stray in a roster name must not make the
# file unreadable, so they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML_BUT_SEP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]")
_SEP = "\uffff"    # joins a row's texts so they are cleaned and escaped in one call (it is never kept in a text)
# A text can only look like a formula if it starts with a formula leader or with the blanks before one.
_RISKY_FIRST = frozenset("=+-@ \t\r\n")
_BLANKS = frozenset(" \t\r\n")
# In a row's joined texts: a text that could be a formula, or that starts or ends with a blank (XML keeps those
# only with xml:space="preserve"); either sends the row to the general path.
# (Two patterns that start with a literal or a short class: a regex search per row is most of the check.)
_RISKY_AFTER_SEP = re.compile("\uffff[=+\\-@ \t\r\n]")
_BLANK_BEFORE_SEP = re.compile("[ \t\r\n]\uffff")
_ROWS_PER_WRITE = 500


class XlsxWriteError(UserError, OSError):
    """The workbook could not be saved; the message (Chinese) names the file."""


def looks_like_formula(value: object) -> bool:
    if not isinstance(value, str):
        return False
    stripped = value.lstrip(" \t\r\n")
    return stripped.startswith(FORMULA_LEADERS)


def text_width(text: object) -> int:
    """Display width in Excel's character units: CJK and full-width characters count double."""
    s = "" if text is None else str(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def column_widths(headers: Sequence[str], sample_rows: Iterable[Sequence] = (), *, minimum: int = 8,
                  maximum: int = 50) -> list[int]:
    """Widths fitting the header and some sample rows, within [minimum, maximum]."""
    widths = [text_width(h) + 4 for h in headers]
    for row in sample_rows:
        for i, v in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], text_width(v) + 2)
    return [min(max(w, minimum), maximum) for w in widths]


def check_target(path: str | os.PathLike) -> Path:
    """Fail early, before building a large workbook, when its folder does not exist."""
    path = Path(path)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise XlsxWriteError(f"无法保存 {path}：文件夹 {folder} 不存在。")
    if path.is_dir():
        raise XlsxWriteError(f"无法保存 {path}：这是一个文件夹。")
    return path


def explain_save_error(path: Path, exc: OSError) -> str:
    # Every OSError becomes an XlsxWriteError so callers catch one type; a lock names Excel.
    return open_in("Excel")(path, exc) or f"无法保存 {path}：{exc}"


def save_streamed(path: str | os.PathLike, build: Callable[[StreamWorkbook], None]) -> Path:
    """Call ``build(book)`` on a new streamed workbook written to a temporary name, then move it over *path*.

    Anything *build* raises (a cancel, a full disk) leaves no file behind and the old one untouched.
    """
    def save(tmp: str) -> None:
        book = StreamWorkbook(tmp)
        try:
            build(book)
        except BaseException:
            book.abandon()
            raise
        book.close()

    return atomic_write(check_target(path), save, ".xlsx", error=XlsxWriteError, explain=explain_save_error)


PLAIN = Style()
HEADER = Style(bold=True, fill="DDEBF7", horizontal="center", vertical="center", wrap=True)


def _escape_all(texts: list[str]) -> list[str]:
    """The texts XML-escaped with the characters XML cannot hold removed; one pass over the whole row."""
    joined = _SEP.join(texts)
    if joined.count(_SEP) == len(texts) - 1:     # no text holds the separator itself
        if _NOT_XML_BUT_SEP.search(joined) is not None:
            joined = _NOT_XML_BUT_SEP.sub("", joined)
        return escape(joined).split(_SEP)
    return [escape(_NOT_XML.sub("", t)) for t in texts]


def _row_template(letters: list[str], blanks: tuple[bool, ...], style: str, height: str) -> str:
    """A str.format template for a row of text cells: {0} is the row number, then one field per non-blank cell.

    No xml:space="preserve": the row's texts neither start nor end with a blank (see StreamSheet.append).
    """
    cells, field = [], 1
    for letter, blank in zip(letters, blanks):
        if not blank:
            cells.append(f'<c r="{letter}{{0}}"{style} t="inlineStr"><is><t>{{{field}}}</t></is></c>')
            field += 1
    return f'<row r="{{0}}"{height}>{"".join(cells)}</row>'


def column_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class StreamSheet:
    """One worksheet being written: set its layout first, then append rows; rows cannot be revisited."""

    def __init__(self, book: StreamWorkbook, name: str, index: int, *, widths: Sequence[float] = (),
                 freeze_rows: int = 0, landscape_a4: bool = False, print_title_rows: tuple[int, int] | None = None,
                 row_heights: dict[int, float] | None = None):
        self.book, self.name, self.index = book, name, index
        self.widths = list(widths)
        self.print_title_rows = print_title_rows
        self.row_heights = dict(row_heights or {})
        self.auto_filter: str | None = None
        self.merged: list[str] = []
        self.rows_written = 0
        self._letters = [column_letter(i) for i in range(1, max(len(self.widths), 1) + 1)]
        self._buffer: list[str] = []
        self._templates: dict[tuple, str] = {}
        self._style: Style | None = None
        self._style_pair = (0, 0)
        self._out = book._zip.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True)
        self._closed = False
        self._write_head(freeze_rows, landscape_a4)

    # --- layout ---------------------------------------------------------------------------------

    def _write_head(self, freeze_rows: int, landscape_a4: bool) -> None:
        parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">']
        if landscape_a4:
            parts.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        selected = ' tabSelected="1"' if self.index == 1 else ""
        if freeze_rows:
            top = f"A{freeze_rows + 1}"
            parts.append(f'<sheetViews><sheetView workbookViewId="0"{selected}>'
                         f'<pane ySplit="{freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                         f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>')
        else:
            parts.append(f'<sheetViews><sheetView workbookViewId="0"{selected}/></sheetViews>')
        parts.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            parts.append("<cols>")
            parts.extend(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                         for i, w in enumerate(self.widths, start=1))
            parts.append("</cols>")
        parts.append("<sheetData>")
        self._landscape = landscape_a4
        self._out.write("".join(parts).encode("utf-8"))

    def set_auto_filter(self, ref: str) -> None:
        self.auto_filter = ref

    def merge(self, ref: str) -> None:
        self.merged.append(ref)

    # --- rows ------------------------------------------------------------------------------------

    def append(self, values: Iterable, style: Style = PLAIN) -> None:
        """One row; None leaves a cell empty, numbers stay numbers, everything else is written as text."""
        self.rows_written += 1
        r = self.rows_written
        if style is not self._style:
            self._style, self._style_pair = style, self.book._style_ids(style)
        plain, quoted = self._style_pair
        s_plain = f' s="{plain}"' if plain else ""
        s_quoted = f' s="{quoted}"'
        letters = self._letters
        row = str(r)
        height = self.row_heights.get(r) if self.row_heights else None
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        if values.__class__ in (tuple, list) and len(values) <= len(letters) and self._append_text_row(
                values, row, plain, s_plain, ht):
            if len(self._buffer) >= _ROWS_PER_WRITE:
                self._flush()
            return
        cells: list = []
        texts: list[str] = []
        for i, value in enumerate(values):
            if i >= len(letters):
                letters.extend(column_letter(n) for n in range(len(letters) + 1, i + 2))
            if value.__class__ is str:
                text = value
            elif value is None:
                if plain:   # an empty cell keeps the row's borders
                    cells.append(f'<c r="{letters[i]}{row}"{s_plain}/>')
                continue
            elif isinstance(value, bool):
                cells.append(f'<c r="{letters[i]}{row}"{s_plain} t="b"><v>{int(value)}</v></c>')
                continue
            elif isinstance(value, (int, float)) and math.isfinite(value):
                cells.append(f'<c r="{letters[i]}{row}"{s_plain}><v>{value!r}</v></c>')
                continue
            elif isinstance(value, (_dt.date, _dt.datetime)):
                text = value.isoformat()
            else:
                text = str(value)
            risky = text[:1] in _RISKY_FIRST and looks_like_formula(text)
            cells.append(f'<c r="{letters[i]}{row}"{s_quoted if risky else s_plain} t="inlineStr"><is>'
                         '<t xml:space="preserve">')
            cells.append(len(texts))      # where this cell's escaped text goes
            cells.append("</t></is></c>")
            texts.append(text)
        if texts:
            escaped = _escape_all(texts)
            cells = [escaped[c] if c.__class__ is int else c for c in cells]
        self._buffer.append(f'<row r="{row}"{ht}>{"".join(cells)}</row>')
        if len(self._buffer) >= _ROWS_PER_WRITE:
            self._flush()

    def _append_text_row(self, values, row: str, plain: int, s_plain: str, ht: str) -> bool:
        """The common row — plain text and blanks, nothing that looks like a formula or starts or ends with a
        blank — in a few C-level calls: one join, one check, one escape, and one str.format on a template kept
        per pattern of blank cells (a roster has only a few). False when the row needs the general path."""
        texts = [v for v in values if v is not None] if None in values else values
        if texts is not values and plain:   # a blank in a styled row needs its own empty, styled cell
            return False
        try:
            joined = _SEP.join(texts)
        except TypeError:   # a number, a date: the general path
            return False
        if (joined.count(_SEP) != len(texts) - 1 or joined[:1] in _RISKY_FIRST or joined[-1:] in _BLANKS
                or _RISKY_AFTER_SEP.search(joined) is not None or _BLANK_BEFORE_SEP.search(joined) is not None):
            return False
        if _NOT_XML_BUT_SEP.search(joined) is not None:
            joined = _NOT_XML_BUT_SEP.sub("", joined)
        blanks = len(values) if texts is values else tuple([v is None for v in values])
        key = (blanks, plain, ht)
        template = self._templates.get(key)
        if template is None:
            mask = (False,) * blanks if texts is values else blanks
            template = self._templates[key] = _row_template(self._letters, mask, s_plain, ht)
        self._buffer.append(template.format(row, *escape(joined).split(_SEP)))
        return True

    def _flush(self) -> None:
        if self._buffer:
            self._out.write("".join(self._buffer).encode("utf-8"))
            self._buffer.clear()

    def close(self) -> None:
        if self._closed:
            return
        self._flush()
        tail = ["</sheetData>"]
        if self.auto_filter:
            tail.append(f'<autoFilter ref="{self.auto_filter}"/>')
        if self.merged:
            tail.append(f'<mergeCells count="{len(self.merged)}">')
            tail.extend(f'<mergeCell ref="{ref}"/>' for ref in self.merged)
            tail.append("</mergeCells>")
        tail.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>')
        if self._landscape:
            tail.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
        tail.append("</worksheet>")
        self._out.write("".join(tail).encode("utf-8"))
        self._out.close()
        self._closed = True

    def defined_names(self) -> list[str]:
        names = []
        sheet = _sheet_ref(self.name)
        if self.auto_filter:
            a, _, b = self.auto_filter.partition(":")
            absolute = "$" + "$".join(_split_ref(a)) + (":$" + "$".join(_split_ref(b)) if b else "")
            names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{self.index - 1}" hidden="1">'
                         f"{escape(sheet)}!{absolute}</definedName>")
        if self.print_title_rows:
            first, last = self.print_title_rows
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{self.index - 1}">'
                         f"{escape(sheet)}!${first}:${last}</definedName>")
        return names


def _split_ref(ref: str) -> tuple[str, str]:
    col = ref.rstrip("0123456789")
    return col, ref[len(col):]


class StreamWorkbook:
    """Sheets written one after another into a new .xlsx at *path* (use a temporary name; see atomic_write)."""

    def __init__(self, path: str | Path):
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL)
        self.sheets: list[StreamSheet] = []
        self._styles: list[tuple[Style, bool]] = [(PLAIN, False)]   # index 0 is the default style
        self._style_index: dict[tuple[Style, bool], int] = {(PLAIN, False): 0}

    def add_sheet(self, name: str, **layout) -> StreamSheet:
        """A new sheet (the previous one is finished first); *layout* as for :class:`StreamSheet`."""
        if self.sheets:
            self.sheets[-1].close()
        sheet = StreamSheet(self, name[:31], len(self.sheets) + 1, **layout)
        self.sheets.append(sheet)
        return sheet

    def _style_ids(self, style: Style) -> tuple[int, int]:
        return self._style_id(style, False), self._style_id(style, True)

    def _style_id(self, style: Style, quoted: bool) -> int:
        key = (style, quoted)
        found = self._style_index.get(key)
        if found is None:
            found = self._style_index[key] = len(self._styles)
            self._styles.append(key)
        return found

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.close()
        z = self._zip
        n = len(self.sheets)
        z.writestr("[Content_Types].xml", parts.content_types(n))
        z.writestr("_rels/.rels", parts.ROOT_RELS)
        z.writestr("docProps/app.xml", parts.APP_XML)
        z.writestr("docProps/core.xml", parts.core_xml())
        z.writestr("xl/workbook.xml", self._workbook_xml())
        z.writestr("xl/_rels/workbook.xml.rels", parts.workbook_rels(n))
        z.writestr("xl/styles.xml", parts.styles_xml(self._styles))
        z.close()

    def abandon(self) -> None:
        """Stop writing (the caller deletes the temporary file)."""
        try:
            for sheet in self.sheets:
                if not sheet._closed:
                    sheet._out.close()
                    sheet._closed = True
        finally:
            self._zip.close()

    def _workbook_xml(self) -> str:
        sheets = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{s.index}" r:id="rId{s.index}"/>'
                         for s in self.sheets)
        names = [n for s in self.sheets for n in s.defined_names()]
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets>{defined}<calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>")
