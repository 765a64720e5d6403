"""Benchmark: migrate-to of a 100,000-object office database (with a sealed draw of 5,000) onto PostgreSQL.

Run: SSJ_TEST_DATABASE_URL=$(bash .ci/postgres.sh) /work/venv/bin/python tests/benchmarks/bench_migrate_to.py
     [--objects N] [--size N] [--runs N]
Each run copies the same SQLite file (built once and cached in the temporary folder) into a fresh empty
database on the server through the command line (`migrate-to URL --admin NAME`, in this process), so the
figure is the whole move: snapshot, integrity check, copy, sequences, and the checks (counts, every draw
record recomputed, announcements, audit chain). Then `verify-audit` runs on the server and the row counts
are compared with the file read directly.
Target (issue 15): every count and record hash equal, verify-audit passes; time reported on the issue.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

N_OBJECTS, N_INSPECTORS, SIZE = 100_000, 300, 5_000
ADMIN, PASSWORD = "zhangsan", "bench-pass-2026"


def make_source(path: Path, objects: int = N_OBJECTS, size: int = SIZE) -> Path:
    """An office database of *objects* hotels, inspectors with 回避 pairs, a plan and a sealed draw of *size*."""
    if path.exists():
        return path
    from sqlalchemy import insert

    from models.db import open_database
    from models.draw_service import draw_sealed, prepare_draw
    from models.plan import Plan, PlanItem
    from models.roster import InspectedObject, Inspector, ObjectType, Recusal
    from models.seal_service import seal

    part = path.with_suffix(".part.sqlite3")
    part.unlink(missing_ok=True)
    db = open_database(part)
    try:
        with db.session() as s:
            hotel = ObjectType(name="旅馆")
            s.add(hotel)
            s.flush()
            levels = ("高风险", "中风险", "中低风险", "低风险")
            s.execute(insert(InspectedObject), [
                {"name": f"测试{n:06d}号旅馆", "credit_code": f"91370000MA{n:08d}", "object_type_id": hotel.id,
                 "risk_level": levels[n % 4], "jurisdiction": f"第{n % 12}派出所"} for n in range(objects)])
            s.execute(insert(Inspector), [{"name": f"民警{n}", "badge_no": f"{n:06d}", "unit": "治安大队"}
                                          for n in range(N_INSPECTORS)])
            s.execute(insert(Recusal), [{"inspector_id": 1 + n % N_INSPECTORS, "object_id": 1 + n * 97 % objects,
                                         "reason": "亲属"} for n in range(2000)])
            ratio = f"随机抽取{size * 100 // objects}%" if size * 100 % objects == 0 else f"{size}户"
            plan = Plan(year=2024, bureau="基准测试公安局")
            plan.items.append(PlanItem(number="1", item="对旅馆的监督检查", ratio_text=ratio,
                                       responsible_unit="治安大队", object_types=[hotel]))
            s.add(plan)
        with db.read_session() as s:
            prep = prepare_draw(s, 2024, "1")
        ann = seal(db, prep, entropy_source="见证人现场报数", operator="基准")
        draw_sealed(db, ann.year, ann.number, entropy=["12 34 56"], witnesses=["王监督"], place="会议室",
                    operator="基准")
    finally:
        db.dispose()
    part.replace(path)
    return path


def file_counts(path: Path) -> dict[str, int]:
    from models.schema import metadata

    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return {t.name: con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] for t in metadata.sorted_tables}
    finally:
        con.close()


def fresh_server_database(url: str, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url).set(drivername="postgresql+psycopg")
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_server_database(url: str, name: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(url).set(drivername="postgresql+psycopg", database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def move_and_check(source: Path, target_url: str) -> float:
    """migrate-to through the command line, timed; then the counts and verify-audit on the server."""
    from sqlalchemy import func, select

    from models.db import open_database
    from models.schema import metadata
    from ui.cli import run

    os.environ["SSJ_NEW_PASSWORD"] = PASSWORD
    os.environ["SSJ_PASSWORD"] = PASSWORD
    t0 = time.perf_counter()
    code = run(["--db", str(source), "migrate-to", target_url, "--admin", ADMIN])
    seconds = time.perf_counter() - t0
    assert code == 0, code
    want = file_counts(source)
    db = open_database(target_url)
    try:
        with db.read_session() as s:
            for table in metadata.sorted_tables:
                got = s.scalar(select(func.count()).select_from(table))
                if table.name not in ("users", "settings", "audit_log"):
                    assert got == want[table.name], (table.name, got, want[table.name])
    finally:
        db.dispose()
    assert run(["--db", target_url, "--user", ADMIN, "verify-audit"]) == 0
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=N_OBJECTS)
    ap.add_argument("--size", type=int, default=SIZE)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    url = os.environ.get("SSJ_TEST_DATABASE_URL", "").strip()
    if not url:
        sys.exit("SSJ_TEST_DATABASE_URL is not set (bash .ci/postgres.sh prints the throwaway cluster's URL)")
    os.environ.setdefault("SSJ_DATA_DIR", tempfile.mkdtemp())
    t0 = time.perf_counter()
    source = make_source(Path(tempfile.gettempdir()) / f"ssj_bench_migrate_{args.objects}_{args.size}.sqlite3",
                         args.objects, args.size)
    print(f"source: {source} ({source.stat().st_size / 2 ** 20:.0f} MB; built or found in "
          f"{time.perf_counter() - t0:.1f} s)")
    name = f"ssj_bench_migrate_{os.getpid()}"
    figures = []
    try:
        for n in range(args.runs):
            target = fresh_server_database(url, name)
            figures.append(move_and_check(source, target))
            print(f"run {n + 1}: migrate-to {args.objects:,} objects + draw of {args.size:,}: {figures[-1]:.1f} s",
                  flush=True)
    finally:
        drop_server_database(url, name)
    figures.sort()
    print(f"migrate-to, {args.objects:,} objects and a sealed draw of {args.size:,}: "
          f"median {figures[len(figures) // 2]:.1f} s (best {figures[0]:.1f} s, worst {figures[-1]:.1f} s, "
          f"{len(figures)} runs); counts equal, verify-audit passed")


if __name__ == "__main__":
    main()
