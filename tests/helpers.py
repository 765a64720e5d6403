"""Helpers the stories share: reading what a generated .docx or .xlsx says, writing a clerk's workbook, and
comparing a document's text with its golden extract under tests/reference/."""
from __future__ import annotations

import difflib
import os
import re
from datetime import date
from pathlib import Path

import openpyxl
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
UPDATE_REFERENCE = "SSJ_UPDATE_REFERENCE"


def docx_text(path) -> str:
    """Every paragraph, then every table cell, one a line: what an assertion searches in."""
    doc = Document(str(path))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def workbook(path, sheets: dict[str, list[list]], *, formulas_as_text: bool = False) -> Path:
    """Write an .xlsx as a clerk would hand it in: one sheet per key, rows as given.

    With ``formulas_as_text`` a text starting with "=" is stored as text (Excel's quote prefix), as a clerk's
    Excel keeps a name typed that way; otherwise openpyxl stores it as a formula.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if formulas_as_text:
            for cell in (c for r in ws.iter_rows() for c in r):
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    wb.save(path)
    return Path(path)


# --- golden extracts -----------------------------------------------------------------------------------------

def _row_text(row) -> str:
    """A table row as `a | b | c`; a merged cell, which python-docx repeats for each column it spans, once."""
    texts, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text.replace("\n", " / "))
    return " | ".join(texts)


def _docx_block_lines(parent) -> list[str]:
    lines = []
    for block in parent.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.append("[表格]")
            lines.extend(_row_text(row) for row in block.rows)
            lines.append("[/表格]")
    return lines


def docx_extract(path) -> str:
    """The document as a reader meets it: paragraphs and tables in body order, then headers and footers."""
    doc = Document(str(path))
    lines = _docx_block_lines(doc)
    for n, section in enumerate(doc.sections, start=1):
        for part, name in ((section.header, "页眉"), (section.footer, "页脚")):
            if not part.is_linked_to_previous:
                texts = [t for t in _docx_block_lines(part) if t.strip()]
                if texts:
                    lines += [f"[第{n}节{name}]", *texts]
    return "\n".join(lines) + "\n"


def xlsx_extract(path) -> str:
    """Every sheet by name, each row's values as `a | b | c` (trailing blanks dropped), merged ranges listed."""
    wb = openpyxl.load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"[工作表 {ws.title}]")
        for row in ws.iter_rows(values_only=True):
            values = ["" if v is None else str(v) for v in row]
            while values and values[-1] == "":
                values.pop()
            lines.append(" | ".join(v.replace("\n", " / ") for v in values))
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        if merged:
            lines.append("[合并单元格] " + " ".join(merged))
    return "\n".join(lines) + "\n"


_HASH = re.compile(
    r"(?<![0-9A-Za-z])(?:(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{16,}"
    r"|(?=[0-9A-Fa-f]*[A-Fa-f])(?=[0-9A-Fa-f]*[0-9])[0-9A-Fa-f]{8,})(?![0-9A-Za-z])")


def _today_forms(today: date) -> list[str]:
    return [today.isoformat(), f"{today:%Y/%m/%d}", f"{today:%Y%m%d}",
            f"{today.year}年{today.month}月{today.day}日", f"{today:%Y年%m月%d日}"]


def mask_volatile(text: str, *, paths: tuple = (), today: date | None = None) -> str:
    """Hide what differs between two honest runs: hashes, the day the file was made, temporary paths.

    - a hash becomes <哈希>: a hex string of 16 or more characters (a fingerprint, a record hash), or of 8 or
      more with both a digit and a letter (the short prefix a table prints after a record number);
    - today's date in any of the forms the documents print becomes <今天> (the stories fix every other date);
    - each of ``paths`` (e.g. the test's tmp_path) becomes <临时目录>.
    """
    for p in sorted((str(p) for p in paths), key=len, reverse=True):
        text = text.replace(p, "<临时目录>")
    text = _HASH.sub("<哈希>", text)
    for form in _today_forms(today or date.today()):
        text = text.replace(form, "<今天>")
    return text


def assert_matches_reference(name: str, text: str, *, paths: tuple = ()) -> None:
    """Compare a document's extract with tests/reference/<name>.txt, both masked by mask_volatile.

    With SSJ_UPDATE_REFERENCE=1 the reference is (re)written instead, for a deliberate template change; review
    the diff in git before committing it. A mismatch fails with a unified diff a reader can follow.
    """
    __tracebackhide__ = True
    actual = mask_volatile(text, paths=paths)
    ref = REFERENCE_DIR / f"{name}.txt"
    if os.environ.get(UPDATE_REFERENCE) == "1":
        ref.parent.mkdir(parents=True, exist_ok=True)
        ref.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert ref.exists(), f"没有参照文件 {ref.relative_to(REFERENCE_DIR.parent)}：用 {UPDATE_REFERENCE}=1 运行一次生成它"
    expected = mask_volatile(ref.read_text(encoding="utf-8"), paths=paths)
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"tests/reference/{name}.txt", tofile=f"{name} (this run)"))
        raise AssertionError(
            f"{name} no longer matches its reference; if the change is intended, rerun with "
            f"{UPDATE_REFERENCE}=1 and review the diff:\n{diff}")
