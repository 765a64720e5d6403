"""Read a table of routine duties (.xlsx or tab-separated text) into lines, one per row, keeping the row numbers.

Two shapes are read:
- columns 对象类型 / 责任单位 / 频次 / 次数 / 比例 / 依据 (any order, synonyms below; only some present);
- one column of the seed's sentences (a header 依据 or 巡查要求, or no header at all).
What the cells mean is decided by models.duties.duties_from_cells, the same rules as the form.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reports.plan_table import read_plan_rows

# Header text (blanks removed) -> field.
HEADERS = {
    "对象类型": "type_name", "检查对象类型": "type_name", "检查对象": "type_name", "行业": "type_name",
    "责任单位": "unit", "巡查单位": "unit", "检查单位": "unit",
    "频次": "period", "周期": "period", "巡查频次": "period",
    "次数": "times", "每期次数": "times",
    "比例": "share", "抽查面": "share", "检查面": "share", "抽查比例": "share",
    "依据": "basis", "巡查要求": "basis", "要求": "basis", "原文": "basis", "制定依据": "basis",
}
LABELS = {"type_name": "对象类型", "unit": "责任单位", "period": "频次", "times": "次数", "share": "比例",
          "basis": "依据"}


@dataclass
class DutyLine:
    """One row of the file as text; ``source_row`` is the row number the clerk sees."""

    source_row: int
    type_name: str = ""
    unit: str = ""
    period: str = ""
    times: str = ""
    share: str = ""
    basis: str = ""


def _key(cell: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell or ""))


def _header(cells: list[str]) -> dict[int, str] | None:
    found = {i: HEADERS[_key(c)] for i, c in enumerate(cells) if _key(c) in HEADERS}
    nonempty = [c for c in cells if c.strip()]
    if found and len(found) == len(nonempty) and (len(found) >= 2 or "basis" in found.values()):
        return found
    return None


def parse_duty_rows(rows: list[list[str]]) -> tuple[list[DutyLine], dict[str, str]]:
    """The lines of a duty table and the header's own column names by field ({} when it has no header)."""
    mapping: dict[int, str] | None = None
    labels: dict[str, str] = {}
    lines: list[DutyLine] = []
    for number, cells in enumerate(rows, start=1):
        cells = [c if isinstance(c, str) else str(c) for c in cells]
        if not any(c.strip() for c in cells):
            continue
        if mapping is None and not lines:
            header = _header(cells)
            if header is not None:
                mapping = header
                labels = {field: re.sub(r"\s+", "", cells[col]) for col, field in header.items()}
                continue
        line = DutyLine(number)
        if mapping is None:
            # A column of sentences: the first filled cell of the row.
            line.basis = next(c.strip() for c in cells if c.strip())
        else:
            for col, field in mapping.items():
                if col < len(cells) and cells[col].strip():
                    setattr(line, field, cells[col].strip())
        lines.append(line)
    return lines, labels


def read_duty_file(path) -> tuple[list[DutyLine], dict[str, str]]:
    """Read a duty table file (ValueError in Chinese when it cannot be read)."""
    return parse_duty_rows(read_plan_rows(Path(path)))
