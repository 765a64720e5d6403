"""Benchmark: the 随机抽取 screens on 100,000 eligible objects and 5,000 picks; prints how long the UI thread froze.

A 10 ms heartbeat timer runs on the UI thread while the list is prepared, the announcement sealed,
the draw computed and saved (in the background), and the projector shows the picks and then the 5,000-row table.
The longest gap between two heartbeats is how long a witness would see the screen stand still.
Run: QT_QPA_PLATFORM=offscreen /work/venv/bin/python tests/benchmarks/bench_draw_screen.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_draw_service import build  # noqa: E402
from models.db import open_database  # noqa: E402


class Heartbeat:
    """Counts the gaps between 10 ms ticks of a UI-thread timer."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.gaps: list[int] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0

    def start(self) -> None:
        self.gaps.clear()
        self.clock.start()
        self.last = 0
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(now - self.last)
        self.last = now

    def stop(self) -> str:
        self.timer.stop()
        gaps = sorted(self.gaps) or [0]
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        return f"longest UI freeze {gaps[-1]:5d} ms, 99th percentile tick gap {p99:4d} ms, {len(gaps)} ticks"


def wait_until(app: QApplication, condition, timeout_s: float = 120) -> float:
    start = time.perf_counter()
    while not condition():
        app.processEvents()
        time.sleep(0.002)
        if time.perf_counter() - start > timeout_s:
            raise TimeoutError
    return time.perf_counter() - start


def main() -> None:
    app = QApplication(sys.argv)
    from ui.context import AppContext
    from ui.draw.page import DrawPage
    from ui.tasks import TaskRunner

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        build(db)
        ctx = AppContext(db=db, runner=TaskRunner(), user="基准")
        page = DrawPage(ctx)
        page.full_screen = False
        page.projector_options = {"instant": False, "auto": False, "spin_ms": 1500}
        page.resize(1920, 1080)
        page.show()
        beat = Heartbeat()
        pv = page.prepare_view

        beat.start()
        pv.select(2024, "1")
        took = wait_until(app, lambda: pv.prep is not None and pv.next_button.isEnabled())
        print(f"prepare 100,000 eligible (background)   {took:6.2f} s   {beat.stop()}")
        print(f"  eligible {pv.prep.total_eligible:,}, size {pv.prep.total_size:,}")
        # 5% of 100,000 is 5,000: the figure.
        pv.next_button.click()
        ev = page.entropy_view
        # The announcement is sealed (candidate list and setup fixed) before any entropy exists.
        ev.source_edit.setText("见证人现场报数")
        beat.start()
        ev.seal_button.click()
        took = wait_until(app, lambda: ev.sealed is not None)
        print(f"seal the announcement (background)       {took:6.2f} s   {beat.stop()}")
        ev.set_witnesses([("王监督", "县纪委")])
        ev.add_entry("现场报数", "12 34 56")
        ev.lock()

        beat.start()
        ev.start()
        took = wait_until(app, lambda: page.projector is not None)
        print(f"draw 5,000 + 10,000 inspectors and save  {took:6.2f} s   {beat.stop()}")
        projector = page.projector

        beat.start()
        projector.advance()
        took = wait_until(app, lambda: projector.sequencer.revealed_count() == 1)
        print(f"first pick spins and lands               {took:6.2f} s   {beat.stop()}")

        beat.start()
        start = time.perf_counter()
        projector.show_all()
        app.processEvents()
        took = time.perf_counter() - start
        print(f"全部显示: 5,000-row result table           {took:6.2f} s   {beat.stop()}")
        projector.close()
        ctx.runner.wait()
        db.dispose()


if __name__ == "__main__":
    main()
