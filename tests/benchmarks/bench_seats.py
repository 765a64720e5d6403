"""Benchmark: four clerks at four workstations recording inspections and issuing notices on one PostgreSQL database.

Run: SSJ_TEST_DATABASE_URL=$(bash .ci/postgres.sh) /work/venv/bin/python tests/benchmarks/bench_seats.py
     [--url URL] [--seats 4] [--each 50]
Each seat is its own process (its own connection, as a workstation has). All start together; each takes its own
share of the year's drawn hotels and, for each, records the inspection (a hazard found) and then issues its
责令限期整改通知书 (the next 文号 of the year, serialised across seats by the server, and its .docx). Printed:
operations per second for the office, and per kind of operation the median, p95 and worst wait a clerk sees;
then the same work done by one seat alone, for comparison; and a check that the 文号 are distinct and gapless.
Nothing passes or fails. The benchmark creates its own databases (prefix ssj_bench<pid>_) and drops them.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

# The year's draw is sealed and drawn now (bench_publicity.draw, real clock): inspect and issue today.
INSPECTED = date.today()
ISSUED = date.today()


def build_year(url: str, hotels: int) -> None:
    """bench_publicity.py's year at a smaller size: *hotels* hotels, 20% of them drawn with their inspectors."""
    import bench_publicity

    from models.db import open_database

    bench_publicity.N_OBJECTS = hotels
    db = open_database(url)
    try:
        bench_publicity.build(db)
        bench_publicity.draw(db)
    finally:
        db.dispose()


def seat(url: str, number: int, picks: list[int], start_at: float, queue) -> None:
    """One workstation: for each pick, record the inspection, then issue its notice; report every wait."""
    os.environ["SSJ_DATA_DIR"] = tempfile.mkdtemp(prefix=f"ssj_seat{number}_")
    from models.db import open_database
    from models.inspection_service import HazardInput, InspectionData, inspection_form, record_inspection
    from models.notice_service import suggested_deadline
    from usecases.notice_issue import issue_notice

    db = open_database(url, migrate=False)
    clerk = f"座席{number}"
    out = Path(os.environ["SSJ_DATA_DIR"])
    waits: list[tuple[str, float]] = []
    errors: list[str] = []
    time.sleep(max(0.0, start_at - time.time()))
    for pick_id in picks:
        t0 = time.perf_counter()
        try:
            with db.session() as s:
                form = inspection_form(s, pick_id)
                data = InspectionData(
                    pick_id=pick_id, date_from=INSPECTED, date_to=INSPECTED,
                    inspector_ids=[i for i, _n, _u in form.drawn], result_category="发现问题待后续处理",
                    result_subkind="违反公安部门相关规定", executing_unit="治安大队",
                    hazards=[HazardInput("监控录像保存不足30日", "《旅馆业治安管理办法》第六条")])
                inspection_id = record_inspection(s, data, clerk)
        except Exception as e:
            errors.append(f"inspection: {e}")
            continue
        waits.append(("record an inspection", time.perf_counter() - t0))
        t0 = time.perf_counter()
        try:
            with db.read_session() as s:
                deadline = suggested_deadline(s, inspection_id, ISSUED)
            issue_notice(db, inspection_id, deadline=deadline, issue_date=ISSUED, actor=clerk, out_dir=out)
        except Exception as e:
            errors.append(f"notice: {e}")
            continue
        waits.append(("issue a notice (number + .docx)", time.perf_counter() - t0))
    db.dispose()
    queue.put((number, waits, errors))


def run_office(url: str, seats: int, each: int) -> None:
    from sqlalchemy import select

    from models.db import open_database
    from models.draw_service import effective_picks
    from models.inspection import RectificationNotice

    db = open_database(url)
    with db.read_session() as s:
        picks = [p.pick_id for p in effective_picks(s, 2024)]
    db.dispose()
    if len(picks) < seats * each:
        sys.exit(f"only {len(picks)} picks for {seats} × {each}")
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    start_at = time.time() + 3.0  # every seat has imported and connected by then
    procs = [ctx.Process(target=seat, args=(url, n + 1, picks[n * each:(n + 1) * each], start_at, queue))
             for n in range(seats)]
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    wall = time.time() - start_at
    for p in procs:
        p.join()
    waits = [w for _n, ws, _e in results for w in ws]
    errors = [e for _n, _w, es in results for e in es]
    print(f"{seats} seat(s) × {each} hotels: {len(waits)} operations in {wall:.1f} s = "
          f"{len(waits) / wall:.1f} operations/s for the office"
          + (f"; {len(errors)} refused: {errors[:3]}" if errors else ""))
    for kind in sorted({k for k, _ in waits}):
        times = sorted(t for k, t in waits if k == kind)
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"  {kind:<34} n={len(times):4d}  median {statistics.median(times) * 1000:6.0f} ms  "
              f"p95 {p95 * 1000:6.0f} ms  worst {times[-1] * 1000:6.0f} ms")
    db = open_database(url)
    with db.read_session() as s:
        seqs = sorted(s.scalars(select(RectificationNotice.seq).where(RectificationNotice.year == ISSUED.year)))
    db.dispose()
    gapless = seqs == list(range(1, len(seqs) + 1))
    print(f"  文号: {len(seqs)} issued, {len(set(seqs))} distinct, "
          f"{'gapless 1…' + str(len(seqs)) if gapless else 'GAPS OR DUPLICATES'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default=os.environ.get("SSJ_TEST_DATABASE_URL", "").strip(),
                    help="a PostgreSQL server URL whose user may create databases (default: SSJ_TEST_DATABASE_URL)")
    ap.add_argument("--seats", type=int, default=4)
    ap.add_argument("--each", type=int, default=50, help="hotels each seat inspects (two operations each)")
    args = ap.parse_args()
    if not args.url:
        print("bench_seats: no server (set SSJ_TEST_DATABASE_URL, e.g. from `bash .ci/postgres.sh`, or --url); "
              "nothing measured")
        return
    os.environ.setdefault("SSJ_DATA_DIR", tempfile.mkdtemp(prefix="ssj_bench_seats_"))
    from bench_postgres import Server

    server = Server(args.url)
    hotels = max(1000, args.seats * args.each * 5 + 100)  # 20% of them drawn
    t0 = time.perf_counter()
    base = server.create("year", server.empty)
    build_year(server.url_of(base), hotels)
    print(f"server: {server.url.render_as_string(hide_password=True)}; year built ({hotels:,} hotels, "
          f"{hotels // 5:,} drawn) in {time.perf_counter() - t0:.1f} s")
    for seats in (args.seats, 1):
        name = server.fresh(base)
        run_office(server.url_of(name), seats, args.each)
        server.drop(name)
    server.close()


if __name__ == "__main__":
    main()
