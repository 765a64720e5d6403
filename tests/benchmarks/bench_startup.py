"""Benchmark: cold start of the desktop app and of the command line, each beside its floor (issue 17).

Run: QT_QPA_PLATFORM=offscreen /work/venv/bin/python tests/benchmarks/bench_startup.py [ROWS] [--pairs N] [--tree DIR]
Targets: the main window shown on a 100,000-object database ≤ 1.2 s cold; ``--help`` and light commands ≤ 0.5 s.

Every figure is a fresh process, timed from its launch (the parent's clock, passed in) and alternated with
its anchor (see alternate.py):
- the app's main window (``main.py --db``, SSJ_EXIT_AFTER_SHOW) until its first paint, against a bare
  QMainWindow shown in a fresh process; the time until the roster's rows are in is kept beside it (rows_s);
- ``main.py --help`` and a few light commands on the same database, against a bare ``python -c pass``.
--tree runs the product from another checkout (e.g. ``git archive`` of an older commit) for before/after.
The database is the one bench_roster_screen.py builds (cached in the temporary folder), copied into a
throw-away folder so the app's lock file and daily backup land there; one warm-up pair absorbs the backup.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from alternate import compare, print_header, run_json  # noqa: E402

# A bare QMainWindow, shown in a fresh process: the floor for the app's window. It reports after its first
# paint, as the app's SSJ_EXIT_AFTER_SHOW does.
BARE_WINDOW = """
import json, os, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
launched = float(os.environ["SSJ_LAUNCHED"])
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
def done():
    print(json.dumps({"seconds": time.time() - launched}), flush=True)
    app.quit()
class FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, done)
        return False
probe = FirstPaint()
window.installEventFilter(probe)
window.show()
app.exec()
"""

SHOWN = re.compile(r"main window shown ([\d.]+) s after launch")
ROWS = re.compile(r"roster rows shown ([\d.]+) s after launch")


def child_env(home: Path) -> dict[str, str]:
    """The clerk's environment, but with a throw-away home so no real settings or databases are touched."""
    return {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share")}


def bare_window(env: dict[str, str]):
    def run() -> dict:
        return run_json([sys.executable, "-c", BARE_WINDOW], env={**env, "SSJ_LAUNCHED": repr(time.time())})
    return run


def app_window(tree: Path, db: Path, env: dict[str, str]):
    def run() -> dict:
        launched = time.time()
        done = subprocess.run([sys.executable, str(tree / "main.py"), "--db", str(db)], capture_output=True,
                              text=True, cwd=tree, env={**env, "SSJ_EXIT_AFTER_SHOW": repr(launched)}, check=False)
        shown = SHOWN.search(done.stdout)
        if done.returncode != 0 or shown is None:
            raise RuntimeError(f"the app did not report its window ({done.returncode}):\n{done.stdout[-2000:]}"
                               f"\n{done.stderr[-3000:]}")
        rows = ROWS.search(done.stdout)
        # An older tree reads the roster before the window shows: its rows are in when it is shown.
        return {"seconds": float(shown.group(1)), "rows_s": float((rows or shown).group(1)),
                "exit_s": time.time() - launched}
    return run


def whole(argv: list[str], cwd: Path, env: dict[str, str]):
    """A command as a clerk runs it: wall time of the whole process, seen from outside."""
    def run() -> dict:
        t0 = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, check=False)
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"{argv} failed ({done.returncode}):\n{done.stdout[-1000:]}\n{done.stderr[-2000:]}")
        return {"seconds": seconds}
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", nargs="?", type=int, default=100_000)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose main.py is timed (default: this one)")
    args = ap.parse_args()
    tree = args.tree.resolve()
    from bench_roster_screen import make_db

    t0 = time.perf_counter()
    cached = make_db(args.rows)
    work = Path(tempfile.mkdtemp(prefix="ssj_bench_startup_"))
    try:
        db = work / "roster.sqlite3"
        shutil.copyfile(cached, db)
        empty = work / "empty.sqlite3"
        home = work / "home"
        home.mkdir()
        env = child_env(home)
        print(f"database with {args.rows:,} objects: {db} (ready in {time.perf_counter() - t0:.1f} s); "
              f"product tree: {tree}")
        n = f"{args.rows // 1000}k" if args.rows >= 1000 else str(args.rows)
        python = [sys.executable, str(tree / "main.py")]
        bare_python = whole([sys.executable, "-c", "pass"], tree, env)
        print_header()
        big = compare(f"main window shown, {n} objects (cold process)", anchor=bare_window(env),
                      product=app_window(tree, db, env), pairs=args.pairs, warmup=True, target="≤ 1.2 s",
                      anchor_label="bare QMainWindow shown, fresh process")
        print(f"  roster rows in: median {statistics.median(big.extras['product_rows_s']):.2f} s after launch; "
              f"process ended: median {statistics.median(big.extras['product_exit_s']):.2f} s")
        compare("main window shown, empty database", anchor=bare_window(env), product=app_window(tree, empty, env),
                pairs=args.pairs, warmup=True, anchor_label="bare QMainWindow shown, fresh process")
        compare("main.py --help", anchor=bare_python, product=whole([*python, "--help"], tree, env),
                pairs=args.pairs, target="≤ 0.5 s", anchor_label="python -c pass")
        for command in ("stats", "list-plans", "list-draws", "show-settings"):
            compare(f"main.py {command}, {n} objects", anchor=bare_python,
                    product=whole([*python, "--db", str(db), command], tree, env), pairs=args.pairs,
                    target="≤ 0.5 s", anchor_label="python -c pass")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
