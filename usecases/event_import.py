"""Import the event register from an .xlsx sheet: every row checked first, then all rows in one transaction or none."""
from __future__ import annotations

from pathlib import Path

from models.db import Database
from models.event_service import EventData, EventImportError, RowProblem, check_lines, import_lines


def _lines(path: Path):
    from reports.event_sheet import read_event_file

    try:
        return read_event_file(path)
    except ValueError as e:
        raise EventImportError([RowProblem(0, "", str(e))]) from None


def preview_event_file(db: Database, path) -> tuple[list[tuple[int, EventData]], list[RowProblem]]:
    """(rows that would be registered, problems naming row and column); nothing is written."""
    path = Path(path)
    try:
        lines = _lines(path)
    except EventImportError as e:
        return [], e.problems
    with db.read_session() as s:
        return check_lines(s, lines, path.name)


def import_event_file(db: Database, path, actor: str) -> list[int]:
    """Register every row of the sheet, or none: EventImportError lists each problem as 第 N 行，“列”列：…"""
    path = Path(path)
    lines = _lines(path)
    with db.session() as s:
        return import_lines(s, lines, actor, path.name)
