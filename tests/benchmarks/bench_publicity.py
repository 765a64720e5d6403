"""Benchmark: a year with 10,000 drawn and inspected objects — publicity tables, statistics, charts and the report.

Targets (issue 17): the year's results export (10,000 rows) ≤ 2 s as .xlsx, ≤ 3 s as .docx.
Each figure alternates with its floor — a bare sqlite3 read of the year's 10,000 inspections, and for the
exports that read written as bare XML into a zip — and the median of the pairwise ratios is printed beside
the absolute figures (see alternate.py). Setting up the year (roster, draw, inspections) is timed once.
Run: /work/venv/bin/python tests/benchmarks/bench_publicity.py [--pairs N]
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
# SSJ_BENCH_ROOT: another source tree (bench_exports.py --versus builds its databases with the older one).
ROOT = Path(os.environ.get("SSJ_BENCH_ROOT") or HERE.parents[1])
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from sqlalchemy import insert, select  # noqa: E402

from models.db import open_database  # noqa: E402
from models.draw_service import effective_picks, prepare_draw  # noqa: E402
from models.inspection import Hazard, Inspection, InspectionInspector, RectificationNotice  # noqa: E402
from models.plan import Plan, PlanItem  # noqa: E402
from models.roster import InspectedObject, Inspector, ObjectType  # noqa: E402

N_OBJECTS, N_INSPECTORS, TARGET_ROWS = 50_000, 120, 10_000


def build(db) -> None:
    with db.session() as s:
        hotel = ObjectType(name="旅馆")
        s.add(hotel)
        s.flush()
        s.execute(insert(InspectedObject), [
            {"name": f"测试{n:06d}号旅馆", "credit_code": f"91370000MA{n:08d}", "object_type_id": hotel.id,
             "phone": f"138{n:08d}", "risk_level": "低风险"} for n in range(N_OBJECTS)])
        s.execute(insert(Inspector), [{"name": f"民警{n}", "badge_no": f"{n:06d}", "unit": "治安大队"}
                                      for n in range(N_INSPECTORS)])
        plan = Plan(year=2024, bureau="基准测试公安局")
        plan.items.append(PlanItem(number="1", item="对旅馆的监督检查", ratio_text="随机抽取20%",
                                   responsible_unit="治安大队", object_types=[hotel]))
        s.add(plan)


def draw(db) -> None:
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    entropy, witnesses = ["12 34 56", "骰子 3 5 6"], ["见证人"]
    try:
        from models.draw_service import draw_sealed
        from models.seal_service import seal
    except ImportError:   # a tree from before the sealed draw (bench_exports.py --versus)
        from models.draw_service import execute_draw

        execute_draw(db, prep, entropy=entropy, witnesses=witnesses, place="会议室", operator="基准")
        return
    ann = seal(db, prep, entropy_source="见证人现场报数", operator="基准")
    draw_sealed(db, ann.year, ann.number, entropy=entropy, witnesses=witnesses, place="会议室", operator="基准")


def inspect_all(db) -> None:
    """Every pick inspected; one in ten with a hazard and a notice (half of them past the deadline)."""
    with db.session() as s:
        picks = effective_picks(s, 2024)
        day = date(2024, 5, 6)
        s.execute(insert(Inspection), [
            {"pick_id": p.pick_id, "object_id": p.object_id, "date_from": day + timedelta(days=n % 150),
             "date_to": day + timedelta(days=n % 150), "executing_unit": "治安大队", "method": "实地检查",
             "result_category": "发现问题待后续处理" if n % 10 == 0 else "未发现问题"}
            for n, p in enumerate(picks)])
        ids = dict(s.execute(select(Inspection.pick_id, Inspection.id)).all())
        s.execute(insert(InspectionInspector), [{"inspection_id": ids[p.pick_id], "inspector_id": i}
                                                for p in picks for i, _n, _u in p.inspectors])
        bad = [ids[p.pick_id] for n, p in enumerate(picks) if n % 10 == 0]
        s.execute(insert(Hazard), [{"inspection_id": i, "seq": 1, "text": "监控录像保存不足30日"} for i in bad])
        s.execute(insert(RectificationNotice), [
            {"inspection_id": i, "year": 2024, "seq": n + 1, "doc_number": f"测公限改字〔2024〕第{n + 1:04d}号",
             "issue_date": date(2024, 6, 1), "deadline": date(2024, 7, 1) + timedelta(days=180 * (n % 2))}
            for n, i in enumerate(bad)])


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<44}{time.perf_counter() - start:8.3f} s")
    return result


def bare_read(path: Path):
    from bench_exports import RESULT_SQL

    con = sqlite3.connect(path)
    try:
        return con.execute(RESULT_SQL).fetchall()
    finally:
        con.close()


def main() -> None:
    from alternate import compare, print_header
    from bench_exports import bare_docx_rows, bare_sheet

    from models.statistics import year_stats
    from reports.charts import chart_pngs
    from reports.publicity import export_results, export_tasks, results_table, tasks_table
    from reports.year_report import export_report

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    pairs = ap.parse_args().pairs
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SSJ_DATA_DIR"] = tmp
        db_path = Path(tmp) / "bench.sqlite3"
        db = open_database(db_path)
        timed(f"build roster ({N_OBJECTS:,} objects)", lambda: build(db))
        timed(f"draw {TARGET_ROWS:,} objects", lambda: draw(db))
        timed(f"record {TARGET_ROWS:,} inspections", lambda: inspect_all(db))
        as_of = date(2024, 10, 1)
        table = results_table(db, 2024, as_of=as_of)
        assert len(table.rows) == TARGET_ROWS
        out = Path(tmp)
        read = lambda: bare_read(db_path)
        bare_xlsx = lambda: bare_sheet(bare_read(db_path), out / "bare.xlsx")
        bare_docx = lambda: bare_docx_rows(bare_read(db_path), out / "bare.docx")
        print_header()
        compare("results table (rows in memory), 10,000", anchor=read, pairs=pairs,
                product=lambda: results_table(db, 2024, as_of=as_of), anchor_label="bare sqlite3 read")
        compare("export-results .xlsx, 10,000", anchor=bare_xlsx, pairs=pairs, target="≤ 2 s",
                product=lambda: export_results(db, 2024, out / "r.xlsx", as_of=as_of),
                anchor_label="bare sqlite3 read + bare sheet XML")
        compare("export-results .docx, 10,000", anchor=bare_docx, pairs=pairs, target="≤ 3 s",
                product=lambda: export_results(db, 2024, out / "r.docx", as_of=as_of),
                anchor_label="bare sqlite3 read + bare table-row XML")
        print(f"  sizes: xlsx {(out / 'r.xlsx').stat().st_size / 1e6:.1f} MB, "
              f"docx {(out / 'r.docx').stat().st_size / 1e6:.1f} MB")
        compare("export-tasks .xlsx", anchor=bare_xlsx, pairs=pairs,
                product=lambda: export_tasks(db, 2024, out / "t.xlsx", as_of=as_of),
                anchor_label="bare sqlite3 read + bare sheet XML")

        def stats():
            with db.read_session() as s:
                return year_stats(s, 2024, as_of=as_of)
        compare("year statistics", anchor=read, product=stats, pairs=pairs, anchor_label="bare sqlite3 read")
        st = stats()
        print(f"  drawn {st.total.drawn:,}, inspected {st.total.inspected:,}, notices {st.total.notices:,}, "
              f"rectification {st.rectification}")
        compare("four charts as PNG", anchor=read, product=lambda: chart_pngs(st), pairs=max(1, pairs // 2),
                anchor_label="bare sqlite3 read")

        def screen_data():
            from models.year_data import load_year
            with db.read_session() as s:
                data = load_year(s, 2024)
                year_stats(s, 2024, as_of=as_of, data=data)
            results_table(db, 2024, as_of=as_of, data=data)
            tasks_table(db, 2024, as_of=as_of, data=data)
        compare("screen refresh data (one load, all tabs)", anchor=read, product=screen_data, pairs=pairs,
                anchor_label="bare sqlite3 read")
        compare("export-report .docx", anchor=read, pairs=max(1, pairs // 2),
                product=lambda: export_report(db, 2024, out / "y.docx", as_of=as_of),
                anchor_label="bare sqlite3 read")
        db.dispose()


if __name__ == "__main__":
    main()
