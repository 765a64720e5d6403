"""Times the draw engine on a large roster (100,000 objects, 5,000 picks, 300 inspectors); prints figures.

Target: run_draw under 1 s on the 2-core reference machine. Run with
`/work/venv/bin/python tests/benchmarks/bench_draw.py`; not collected by pytest.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.draw_engine import (
    STRATA_ORDER, Candidate, InspectorCandidate, assign_inspectors, canonical_candidates, derive_seed,
    fingerprint, normalise_entropy, select, split_strata,
)
from models.draw_record import prepare_draw, record_hash, record_to_json, run_draw
from models.draw_verify import verify_record

N_OBJECTS, N_PICKS, N_INSPECTORS = 100_000, 5_000, 300


def make_inputs(rng: random.Random):
    candidates = [Candidate(i, f"测试单位{i:06d}", f"9142{rng.randrange(10**13):013d}X", rng.choice(STRATA_ORDER))
                  for i in range(1, N_OBJECTS + 1)]
    units = ["治安大队"] * 250 + ["市场监督管理局"] * 50
    inspectors = [InspectorCandidate(10_000 + k, f"检查员{k:03d}", f"42{k:04d}", units[k]) for k in range(N_INSPECTORS)]
    recusals = {(10_000 + rng.randrange(N_INSPECTORS), rng.randrange(1, N_OBJECTS + 1)) for _ in range(2_000)}
    return candidates, inspectors, recusals


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    print(f"{label:<38}{(time.perf_counter() - start) * 1000:9.1f} ms")
    return value


def main() -> None:
    rng = random.Random(20240501)
    candidates, inspectors, recusals = make_inputs(rng)
    print(f"{N_OBJECTS} objects, {N_PICKS} picks, {N_INSPECTORS} inspectors, {len(recusals)} recusal pairs")
    ordered = timed("canonical_candidates", lambda: canonical_candidates(candidates))
    fp = timed("fingerprint", lambda: fingerprint(ordered))
    seed = derive_seed(fp, "0" * 64, normalise_entropy(["12 34 56"]))
    strata = split_strata(ordered, False)
    picks = timed("select (Fenwick tree)", lambda: select(seed, strata, {"全部": N_PICKS}))
    timed("assign_inspectors (2 + 1 partner)", lambda: assign_inspectors(
        seed, picks, inspectors, recusals, ["治安大队"], ["市场监督管理局"], 2))
    timed("assign_inspectors (2, no partner)", lambda: assign_inspectors(
        seed, picks, inspectors, recusals, ["治安大队"], [], 2))
    kwargs = dict(candidates=candidates, sizes={"全部": N_PICKS}, stratify=False, inspectors=inspectors,
                  recusals=recusals, responsible_units=["治安大队"], partner_units=[], per_object=2)
    timed("prepare_draw", lambda: prepare_draw(**kwargs))
    record = timed("run_draw (whole draw, TARGET < 1 s)",
                   lambda: run_draw(**kwargs, entropy=["12 34 56", "骰子 3 5 6"]))
    timed("record_to_json", lambda: record_to_json(record))
    timed("record_hash", lambda: record_hash(record))
    result = timed("verify_record", lambda: verify_record(record))
    print("verify:", result.message)


if __name__ == "__main__":
    main()
