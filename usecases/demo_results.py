"""Demo: two more hotels of the demo draw come back on the team's result sheet — exported, filled in as a team would
(one clean, one with a hazard), and imported through the same all-or-nothing import the clerk uses."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from models.db import Database
from models.draw_history import KIND_DRAW, STATUS_VALID, list_draws
from models.results_task import draw_task
from reports.results_sheet import (
    COL_FROM, COL_HAZARDS, COL_NOTE, COL_RESULT, HEADER_ROW, SHEET, entry_title, write_results_sheet,
)
from usecases.demo_inspections import DEMO_ITEM
from usecases.results_import import apply_results_import, preview_results_import

__all__ = ["load_demo_results", "DEMO_HAZARD"]

DEMO_HAZARD = "灭火器压力不足未及时更换::《中华人民共和国消防法》第十六条"


def _fill(path: Path, task, rows: list[int], day: date) -> None:
    """What the team wrote: the first hotel in order, the second with an extinguisher to replace."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book[SHEET]
    col = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    by_seq = {ws.cell(r, 1).value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for n, seq in enumerate(rows):
        r = by_seq[seq]
        found = n == 1
        ws.cell(r, col[COL_FROM]).value = day
        ws.cell(r, col[COL_RESULT]).value = "发现问题已责令改正" if found else "未发现问题"
        for k, entry in enumerate(task.checklist):
            ws.cell(r, col[entry_title(entry.seq)]).value = "不符合" if found and k == 0 else "符合"
        if found:
            ws.cell(r, col[COL_HAZARDS]).value = DEMO_HAZARD
            ws.cell(r, col[COL_NOTE]).value = "已当场责令更换"
    book.save(path)


def load_demo_results(db: Database, actor: str = "演示数据", progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> dict:
    """Import two uninspected hotels of this year's demo draw from a filled result sheet; returns counts."""
    today = date.today()
    with db.session() as s:
        draws = [d for d in list_draws(s, today.year)
                 if d.kind == KIND_DRAW and d.status == STATUS_VALID and d.item_number == DEMO_ITEM]
        if not draws:
            return {"imported": 0}
        task = draw_task(s, draws[0].id)
    waiting = [row.seq for row in task.rows if row.inspection_id is None][:2]
    if len(waiting) < 2 or (cancelled is not None and cancelled()):
        return {"imported": 0}
    # Yesterday's round, never before the draw.
    day = max(today - timedelta(days=1), task.drawn_on)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "检查结果填报表.xlsx"
        write_results_sheet(task, path)
        _fill(path, task, waiting, day)
        preview = preview_results_import(db, path, actor=actor, progress=progress, cancelled=cancelled)
        done = apply_results_import(db, preview, actor)
    return {"imported": done.new}
