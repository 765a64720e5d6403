"""The 实施层级 table (名称, 层级, 上级, 所属单位/辖区名称): read from .xlsx or tab-separated text, written as .xlsx."""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from models.hierarchy import HEADERS, JurisdictionRow
from reports.xlsx_read import read_sheet
from reports.xlsx_write import atomic_save, safe_row, write_header


def read_hierarchy_table(path: str | os.PathLike) -> list[list[str]]:
    """The first sheet of an .xlsx, or the lines of a .tsv/.txt split at tabs, as rows of text."""
    path = Path(path)
    if path.suffix.lower() in (".tsv", ".txt"):
        return [line.split("\t") for line in path.read_text(encoding="utf-8-sig").splitlines()]
    return read_sheet(path)


def write_hierarchy_table(rows: list[JurisdictionRow], path: str | os.PathLike) -> Path:
    """The hierarchy as the table import-hierarchy reads (an empty table with its header when there are no rows)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("实施层级")
    write_header(ws, HEADERS, [24, 10, 24, 60], auto_filter_rows=len(rows))
    for r in rows:
        ws.append(safe_row(ws, [r.name, r.level, r.parent, "、".join(r.units)]))
    return atomic_save(book, path)
