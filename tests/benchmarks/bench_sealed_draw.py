"""Benchmark: seal and draw 5,000 of 100,000 objects with two inspectors each — the whole saved path, in-process.

Printed beside the pre-seal figure: the same draw made by the code before the sealed draw (commit d456ffd:
prepare_draw + execute_draw), run from a worktree of that commit in a subprocess, alternating with today's
prepare_draw + seal + draw_sealed (see alternate.py: the median of the pairwise ratios is the figure to quote).
Each run builds its own database first (not timed) with its tree's schema. Target (issue 17): ≤ 1.5 s.

    git worktree add /tmp/old d456ffd      # once
    /work/venv/bin/python tests/benchmarks/bench_sealed_draw.py [--old /tmp/old] [--pairs 3] [--objects 300000]

--objects N draws 5% of N (the plan's ratio) for the 300,000-object figure (≤ 3.3× the 100,000 one, ≤ 500 MB).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
N_OBJECTS = int(os.environ.get("SSJ_BENCH_OBJECTS", "100000"))   # --objects, passed on to the children
N_INSPECTORS, SIZE = 300, N_OBJECTS // 20
ENTROPY, WITNESSES = ["12 34 56", "骰子 3 5 6"], ["王监督"]


def child(root: Path) -> None:
    """Build a database with the tree at ``root``, then time its whole draw; print {"seconds": …} last."""
    sys.path.insert(0, str(root))
    os.environ["SSJ_DATA_DIR"] = tempfile.mkdtemp()
    from sqlalchemy import insert

    from models.db import open_database
    from models.draw_service import prepare_draw
    from models.plan import Plan, PlanItem
    from models.roster import InspectedObject, Inspector, ObjectType, Recusal

    db = open_database(Path(os.environ["SSJ_DATA_DIR"]) / "bench.sqlite3")
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
    _reset_peak()   # the draw's own peak memory, not the building of the roster above
    t0 = time.perf_counter()
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    try:
        from models.draw_service import draw_sealed
        from models.seal_service import seal
    except ImportError:  # the tree from before the sealed draw
        from models.draw_service import execute_draw

        saved = execute_draw(db, prep, entropy=ENTROPY, witnesses=WITNESSES, place="会议室", operator="基准")
    else:
        ann = seal(db, prep, entropy_source="见证人现场报数", operator="基准")
        saved = draw_sealed(db, ann.year, ann.number, entropy=ENTROPY, witnesses=WITNESSES, place="会议室",
                            operator="基准")
    seconds = time.perf_counter() - t0
    assert prep.total_size == SIZE and len(saved.picks) == SIZE, (prep.total_size, len(saved.picks))
    db.dispose()
    sys.path.insert(0, str(HERE))
    from alternate import peak_mb

    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb()}))


def _reset_peak() -> None:
    """Start VmHWM (alternate.peak_mb) afresh from the current resident size (Linux: clear_refs 5)."""
    import gc

    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass   # elsewhere the peak includes the roster's building


def main() -> None:
    sys.path.insert(0, str(HERE))
    from alternate import compare, print_header, run_json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="/tmp/old", help="worktree of d456ffd (git worktree add /tmp/old d456ffd)")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--objects", type=int, help="objects on the roster (default 100,000); 5%% are drawn")
    ap.add_argument("--child", metavar="ROOT", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.objects:
        global N_OBJECTS, SIZE
        os.environ["SSJ_BENCH_OBJECTS"] = str(args.objects)   # the children build and draw this many
        N_OBJECTS, SIZE = args.objects, args.objects // 20
    if args.child:
        child(Path(args.child))
        return
    old = Path(args.old)
    if not (old / "models" / "draw_service.py").is_file():
        sys.exit(f"{old} is not a checkout of the pre-seal code: git worktree add {old} d456ffd")
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    print_header()
    compare(f"seal + draw {SIZE:,} of {N_OBJECTS:,}, 2 inspectors each (whole saved path)",
            anchor=lambda: run_json([*me, str(old)], cwd=str(old)),
            product=lambda: run_json([*me, str(HERE.parents[1])], cwd=str(HERE.parents[1])),
            pairs=args.pairs, target="≤ 1.5 s" if N_OBJECTS == 100_000 else "≤ 3.3× the 100k figure, ≤ 500 MB",
            anchor_label="pre-seal prepare_draw + execute_draw (d456ffd)")


if __name__ == "__main__":
    main()
