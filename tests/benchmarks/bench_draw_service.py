"""Benchmark: prepare and execute a draw on the database with 100,000 eligible objects and 5,000 picks; prints timings.

Run: /work/venv/bin/python tests/benchmarks/bench_draw_service.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from models.db import open_database  # noqa: E402
from models.draw_service import draw_sealed, effective_picks, list_draws, load_record, prepare_draw  # noqa: E402
from models.seal_service import seal  # noqa: E402
from models.draw_verify import verify_record  # noqa: E402
from models.plan import Plan, PlanItem  # noqa: E402
from models.roster import InspectedObject, Inspector, ObjectType, Recusal  # noqa: E402

N_OBJECTS, N_INSPECTORS = 100_000, 300


def build(db) -> None:
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


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<36}{time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        timed(f"build roster ({N_OBJECTS:,} objects)", lambda: build(db))

        def prepare():
            with db.read_session() as s:
                return prepare_draw(s, 2024, "1")

        prep = timed("prepare_draw", prepare)
        print(f"  eligible {prep.total_eligible:,}, size {prep.total_size:,}, problems {prep.problems}")
        export = Path(tmp) / "待抽名单.xlsx"
        from reports.draw_docs import write_candidates_xlsx

        timed("write_candidates_xlsx", lambda: write_candidates_xlsx(prep, export))
        ann = timed("seal (announcement with its commitment)", lambda: seal(
            db, prep, entropy_source="见证人现场报数并掷骰子", operator="基准"))
        saved = timed("draw_sealed (re-check against the seal, draw, save)", lambda: draw_sealed(
            db, ann.year, ann.number, entropy=["12 34 56", "骰子 3 5 6"], witnesses=["王监督"], place="会议室",
            operator="基准"))
        print(f"  picks {len(saved.picks):,}, assignments {sum(len(a['inspectors']) for a in saved.assignments):,}")

        def history():
            with db.read_session() as s:
                return list_draws(s), effective_picks(s, 2024), load_record(s, saved.id)

        _, picks, record = timed("list_draws + effective_picks + load", history)
        print(f"  effective picks {len(picks):,}")
        result = timed("verify_record", lambda: verify_record(record))
        print(f"  verify: {result.message}")
        timed("prepare_draw again (excludes 5,000)", prepare)
        db.dispose()


if __name__ == "__main__":
    main()
