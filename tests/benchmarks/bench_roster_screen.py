"""Benchmark: opening the 检查对象 tab on 100,000 objects (query, model, first paint), sorting, searching, memory.

Run: QT_QPA_PLATFORM=offscreen /work/venv/bin/python tests/benchmarks/bench_roster_screen.py [ROWS]
Targets (issue 2): the roster screen open within 1 s, app memory under 500 MB.
The database is filled once with a Core bulk insert and cached in the temporary folder.
"""
from __future__ import annotations

import gc
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from models.credit_code import make_code  # noqa: E402
from models.db import open_database  # noqa: E402
from models.demo_roster import generate_roster  # noqa: E402
from models.roster import InspectedObject, ObjectType  # noqa: E402


def rss_mb() -> float:
    """Current resident set size (Linux /proc), falling back to the peak from getrusage."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_db(rows: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"ssj_bench_screen_{rows}.sqlite3"
    if path.exists():
        return path
    part = path.with_suffix(".part.sqlite3")
    part.unlink(missing_ok=True)
    db = open_database(part)
    demo, _, _ = generate_roster()
    types = sorted({d.type_name for d in demo})
    with db.session() as s:
        s.execute(insert(ObjectType), [{"name": t} for t in types])
        type_id = {t.name: t.id for t in s.query(ObjectType)}
        batch = []
        for n in range(rows):
            d = demo[n % len(demo)]
            batch.append({"name": f"{d.name}{n}", "credit_code": make_code(n + 1), "object_type_id": type_id[d.type_name],
                          "address": d.address, "jurisdiction": d.jurisdiction, "legal_rep": d.legal_rep,
                          "phone": d.phone, "licence_no": d.licence_no, "risk_level": d.risk_level,
                          "status": d.status, "active": n % 50 != 0})
        s.execute(insert(InspectedObject), batch)
    db.dispose()
    part.replace(path)
    return path


def timed(label: str, fn) -> float:
    """Wall time returned; CPU time printed beside it (less disturbed by other work on a shared machine)."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<44} {dt * 1000:8.0f} ms wall {dc * 1000:8.0f} ms CPU")
    return dt


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    path = make_db(rows)
    print(f"database with {rows:,} objects: {path} (ready in {time.perf_counter() - t0:.1f} s)")
    app = QApplication([])
    from ui.app import pick_ui_font
    from ui.context import AppContext
    from ui.roster.objects_view import ObjectsView
    from ui.tasks import TaskRunner

    app.setFont(pick_ui_font())
    db = open_database(path)
    ctx = AppContext(db=db, runner=TaskRunner(), user="bench")
    print(f"RSS before the screen: {rss_mb():.0f} MB")
    holder = {}

    def open_tab():
        view = ObjectsView(ctx)
        view.resize(1400, 800)
        view.show()
        view.table.viewport().repaint()   # the first paint, synchronously
        app.processEvents()
        holder["view"] = view

    total = timed("open the 检查对象 tab (query+model+first paint)", open_tab)
    view = holder["view"]
    print(f"  rows shown: {view.table.row_count():,}; label: {view.count_label.text()}")
    timed("reload (as after an import)", view.reload)
    timed("search '旅馆' (query + model)", lambda: (view.search.setText("旅馆"), view.search.flush()))
    timed("clear the search", lambda: (view.search.setText(""), view.search.flush()))
    timed("sort by 单位名称 (pinyin)", lambda: view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder))
    timed("sort by 风险等级 descending", lambda: view.table.sortByColumn(8, Qt.SortOrder.DescendingOrder))

    def scroll():
        bar = view.table.verticalScrollBar()
        for step in range(50):
            bar.setValue(bar.maximum() * step // 50)
            view.table.viewport().repaint()
    dt = timed("scroll through in 50 repainted steps", scroll)
    print(f"  per repainted page: {dt / 50 * 1000:.1f} ms")
    print(f"RSS with the tab open: {rss_mb():.0f} MB (target < 500 MB)")
    print(f"open time {total:.2f} s — target < 1 s: {'OK' if total < 1 else 'SLOW'}")
    db.dispose()


if __name__ == "__main__":
    main()
