"""Benchmark: the same four jobs on the office's PostgreSQL server beside a SQLite file, same machine, same run.

Run: SSJ_TEST_DATABASE_URL=$(bash .ci/postgres.sh) QT_QPA_PLATFORM=offscreen \
     /work/venv/bin/python tests/benchmarks/bench_postgres.py [--url URL] [--pairs N] [--only import,screen,draw,export]
- import of 100,000 objects (preview + apply, in-process) into an empty database;
- opening the 检查对象 tab on 100,000 objects (query, model, first paint; offscreen);
- sealed draw of 5,000 from 100,000 with two inspectors each (prepare + seal + draw_sealed);
- export of the year's 10,000 results (.xlsx and .docx).
Each figure alternates the two engines (see alternate.py; the order flips every pair): the "anchor" is SQLite,
the "product" PostgreSQL, and the ratio is the median of the pairwise PostgreSQL/SQLite ratios.
Target (issue 15): each within 2× of SQLite. The server is the local test cluster (no network latency).
Set-up (fresh databases, filling them) is not timed. The benchmark creates its own databases on the server
(prefix ssj_bench<pid>_) and drops them when it ends. Without a server URL it says so and exits 0.
"""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from alternate import compare, print_header  # noqa: E402
from demo_rows import fill_roster  # noqa: E402

TMP = Path(tempfile.gettempdir())


class Server:
    """Databases of this run on the PostgreSQL server: made from a migrated template, dropped at exit."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.prefix = f"ssj_bench{os.getpid()}"
        self.made: list[str] = []
        self.count = 0
        self.empty = self.create("empty")
        from models.db import open_database

        open_database(self.url_of(self.empty)).dispose()
        atexit.register(self.close)

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        full = f"{self.prefix}_{name}"
        self._execute(f"DROP DATABASE IF EXISTS {full} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {full}" + (f" TEMPLATE {template}" if template else ""))
        self.made.append(full)
        return full

    def fresh(self, template: str | None = None) -> str:
        """A new database copied from *template* (default: the empty migrated one)."""
        self.count += 1
        return self.create(f"run{self.count}", template or self.empty)

    def drop(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self.made:
            self.made.remove(name)

    def close(self) -> None:
        for name in list(self.made):
            self.drop(name)
        self.admin.dispose()


# --- filling a database (the same rows on both engines; not timed) --------------------------------------------

def fill_draw_world(db) -> None:
    """bench_sealed_draw.py's world: 100,000 hotels in four risk levels, 300 inspectors, 2,000 回避 pairs."""
    from sqlalchemy import insert

    from bench_sealed_draw import N_INSPECTORS, N_OBJECTS
    from models.plan import Plan, PlanItem
    from models.roster import InspectedObject, Inspector, ObjectType, Recusal

    with db.session() as s:
        hotel = ObjectType(name="旅馆")
        s.add(hotel)
        s.flush()
        levels = ("高风险", "中风险", "中低风险", "低风险")
        s.execute(insert(InspectedObject), [
            {"name": f"测试{n:06d}号旅馆", "credit_code": f"91370000MA{n:08d}", "object_type_id": hotel.id,
             "risk_level": levels[n % 4], "jurisdiction": f"第{n % 12}派出所"} for n in range(N_OBJECTS)])
        s.execute(insert(Inspector), [{"name": f"民警{n}", "badge_no": f"{n:06d}", "unit": "治安大队"}
                                      for n in range(N_INSPECTORS)])
        s.execute(insert(Recusal), [{"inspector_id": 1 + n % N_INSPECTORS, "object_id": 1 + n * 97 % N_OBJECTS,
                                     "reason": "亲属"} for n in range(2000)])
        plan = Plan(year=2024, bureau="基准测试公安局")
        plan.items.append(PlanItem(number="1", item="对旅馆的监督检查", ratio_text="全年抽查比例不低于5%，每年抽查1次",
                                   responsible_unit="治安大队", object_types=[hotel]))
        s.add(plan)


def fill_results_year(db) -> None:
    """bench_publicity.py's year: 50,000 hotels, a draw of 10,000, every pick inspected, 1,000 notices."""
    from bench_publicity import build, draw, inspect_all

    build(db)
    draw(db)
    inspect_all(db)


def sqlite_base(name: str, fill) -> Path:
    """A SQLite file filled once by *fill* and kept in the temporary folder (runs work on copies)."""
    from models.db import open_database

    path = TMP / f"ssj_bench_pg_{name}.sqlite3"
    if not path.exists():
        part = path.with_suffix(".part.sqlite3")
        part.unlink(missing_ok=True)
        db = open_database(part)
        fill(db)
        db.dispose()
        part.replace(path)
    return path


def server_base(server: Server, name: str, fill) -> str:
    """A server database filled once by *fill*; runs work on CREATE DATABASE … TEMPLATE copies of it."""
    from models.db import open_database

    base = server.create(name, server.empty)
    db = open_database(server.url_of(base))
    fill(db)
    db.dispose()
    return base


def sqlite_copy(base: Path, folder: Path) -> Path:
    work = folder / "work.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.copyfile(base, work)
    return work


# --- the four jobs --------------------------------------------------------------------------------------------

def bench_import(server: Server, rows: int, pairs: int) -> None:
    from bench_roster_import import make_workbook

    from models.db import open_database
    from usecases.roster_import import apply_import, preview_objects_import

    book = make_workbook(rows)

    def timed_import(target) -> dict:
        db = open_database(target)
        try:
            t0 = time.perf_counter()
            preview = preview_objects_import(db, book)
            assert preview.ok, preview.problem_lines()[:5]
            apply_import(db, preview, "bench")
            return {"seconds": time.perf_counter() - t0}
        finally:
            db.dispose()

    def on_sqlite() -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.sqlite3"
            open_database(path).dispose()
            return timed_import(path)

    def on_server() -> dict:
        name = server.fresh()
        try:
            return timed_import(server.url_of(name))
        finally:
            server.drop(name)

    compare(f"import {rows // 1000}k objects (preview + apply)", anchor=on_sqlite, product=on_server, pairs=pairs,
            anchor_label="SQLite file", target="≤ 2× SQLite")


def bench_screen(server: Server, rows: int, pairs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from models.db import open_database

    app = QApplication.instance() or QApplication([])
    from ui.app import pick_ui_font
    from ui.context import AppContext
    from ui.roster.objects_view import ObjectsView
    from ui.tasks import TaskRunner

    app.setFont(pick_ui_font())
    lite = open_database(sqlite_base(f"roster_{rows}", lambda db: fill_roster(db, rows)))
    base = server_base(server, "roster", lambda db: fill_roster(db, rows))
    pg = open_database(server.url_of(base))
    contexts = {"sqlite": AppContext(db=lite, runner=TaskRunner(), user="bench"),
                "postgresql": AppContext(db=pg, runner=TaskRunner(), user="bench")}
    shown: dict[str, int] = {}

    def open_tab(engine: str):
        def run() -> dict:
            t0 = time.perf_counter()
            view = ObjectsView(contexts[engine])
            view.resize(1400, 800)
            view.show()
            view.table.viewport().repaint()  # the first paint, synchronously
            app.processEvents()
            while view.loading:  # the rows are read just after that first paint: the clerk waits for them
                app.processEvents()
            view.table.viewport().repaint()  # and sees them painted
            seconds = time.perf_counter() - t0
            shown[engine] = view.table.row_count()
            view.close()
            view.deleteLater()
            app.processEvents()
            return {"seconds": seconds}
        return run

    compare(f"open the 检查对象 tab, {rows // 1000}k", anchor=open_tab("sqlite"), product=open_tab("postgresql"),
            pairs=pairs, anchor_label="SQLite file", target="≤ 2× SQLite")
    print(f"  rows shown: SQLite {shown['sqlite']:,}, PostgreSQL {shown['postgresql']:,}")
    for ctx in contexts.values():
        ctx.runner.wait()
        ctx.db.dispose()


def bench_draw(server: Server, pairs: int) -> None:
    from bench_sealed_draw import ENTROPY, N_OBJECTS, SIZE, WITNESSES

    from models.db import open_database
    from models.draw_service import draw_sealed, prepare_draw
    from models.seal_service import seal

    lite_base = sqlite_base("draw_world", fill_draw_world)
    base = server_base(server, "draw_world", fill_draw_world)

    def timed_draw(target) -> dict:
        db = open_database(target)
        try:
            t0 = time.perf_counter()
            with db.read_session() as s:
                prep = prepare_draw(s, 2024, "1")
            ann = seal(db, prep, entropy_source="见证人现场报数", operator="基准")
            saved = draw_sealed(db, ann.year, ann.number, entropy=ENTROPY, witnesses=WITNESSES, place="会议室",
                                operator="基准")
            seconds = time.perf_counter() - t0
            assert len(saved.picks) == SIZE, len(saved.picks)
            return {"seconds": seconds}
        finally:
            db.dispose()

    def on_sqlite() -> dict:
        with tempfile.TemporaryDirectory() as tmp:
            return timed_draw(sqlite_copy(lite_base, Path(tmp)))

    def on_server() -> dict:
        name = server.fresh(base)
        try:
            return timed_draw(server.url_of(name))
        finally:
            server.drop(name)

    compare(f"seal + draw {SIZE:,} of {N_OBJECTS:,}, 2 inspectors each", anchor=on_sqlite, product=on_server,
            pairs=pairs, anchor_label="SQLite file", target="≤ 2× SQLite")


def bench_export(server: Server, pairs: int) -> None:
    from models.db import open_database
    from reports.publicity import export_results

    lite = open_database(sqlite_base("results_year", fill_results_year))
    base = server_base(server, "results_year", fill_results_year)
    pg = open_database(server.url_of(base))
    as_of = date(2024, 10, 1)

    def export(db, suffix: str):
        def run() -> dict:
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                export_results(db, 2024, Path(tmp) / f"结果公示{suffix}", as_of=as_of)
                return {"seconds": time.perf_counter() - t0}
        return run

    for suffix in (".xlsx", ".docx"):
        compare(f"export-results 10,000 rows {suffix}", anchor=export(lite, suffix), product=export(pg, suffix),
                pairs=pairs, anchor_label="SQLite file", target="≤ 2× SQLite")
    lite.dispose()
    pg.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=os.environ.get("SSJ_TEST_DATABASE_URL", "").strip(),
                    help="a PostgreSQL server URL whose user may create databases (default: SSJ_TEST_DATABASE_URL)")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--only", default="import,screen,draw,export")
    args = ap.parse_args()
    if not args.url:
        print("bench_postgres: no server (set SSJ_TEST_DATABASE_URL, e.g. from `bash .ci/postgres.sh`, or --url); "
              "nothing measured")
        return
    os.environ.setdefault("SSJ_DATA_DIR", tempfile.mkdtemp(prefix="ssj_bench_pg_"))
    t0 = time.perf_counter()
    server = Server(args.url)
    only = set(args.only.split(","))
    print(f"server: {server.url.render_as_string(hide_password=True)}; databases {server.prefix}_*")
    print_header()
    if "import" in only:
        bench_import(server, args.rows, args.pairs)
    if "screen" in only:
        bench_screen(server, args.rows, args.pairs)
    if "draw" in only:
        bench_draw(server, args.pairs)
    if "export" in only:
        bench_export(server, args.pairs)
    print(f"whole benchmark: {time.perf_counter() - t0:.0f} s (set-up included)")


if __name__ == "__main__":
    main()
