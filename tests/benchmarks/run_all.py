"""Runs every benchmark in this folder one after another and writes one Markdown table of their figures.

Run: /work/venv/bin/python tests/benchmarks/run_all.py [--pairs N] [--out FILE] [--versus TREE] [--only NAME …]
The benchmarks built on alternate.py report each figure beside its anchor, timed alternately; their
lines become the table (absolute medians with min–max, the median pairwise ratio, peak memory, target).
Every bench_*.py here is run; one that does not use alternate.py (e.g. the draw engine's) is quoted under
the table with its printed figures; one that fails is listed with the end of its error.
Nothing here passes or fails: the table is for the issue, before and after a change.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The alternating ones first, in this order; any other bench_*.py in the folder after them (the draw
# benchmarks their engineer maintains, and whatever is added later).
FIRST = ["bench_roster_import.py", "bench_roster_screen.py", "bench_exports.py", "bench_publicity.py"]


def benchmarks() -> list[tuple[str, bool]]:
    """(script, takes --pairs): a script built on alternate.py takes --pairs; the others run without arguments."""
    found = sorted(p.name for p in HERE.glob("bench_*.py"))
    ordered = [n for n in FIRST if n in found] + [n for n in found if n not in FIRST]
    return [(n, "from alternate import" in (HERE / n).read_text(encoding="utf-8") and
             "--pairs" in (HERE / n).read_text(encoding="utf-8")) for n in ordered]


TIMEOUT = 45 * 60


def run_one(script: str, takes_pairs: bool, args, json_path: Path) -> dict:
    argv = [sys.executable, str(HERE / script)]
    if takes_pairs:
        argv += ["--pairs", str(args.pairs)]
    if script == "bench_exports.py" and args.versus:
        argv += ["--versus", args.versus]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SSJ_BENCH_JSON": str(json_path)}
    print(f"== {script}", flush=True)
    t0 = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False)
        out, err, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as e:
        partial = e.stdout or ""
        out = partial.decode(errors="replace") if isinstance(partial, bytes) else partial
        err, code = f"timed out after {TIMEOUT} s", -1
    seconds = time.perf_counter() - t0
    print(out, end="", flush=True)
    if code != 0:
        print(err[-3000:], file=sys.stderr, flush=True)
    return {"script": script, "code": code, "seconds": seconds, "stdout": out, "stderr": err}


def _fmt(s: dict, key: str) -> str:
    return f"{s[key + '_median']:.2f} s ({s[key + '_min']:.2f}–{s[key + '_max']:.2f})"


def markdown(rows: list[dict], runs: list[dict], args) -> str:
    lines = [f"# Benchmarks, {datetime.now():%Y-%m-%d %H:%M}",
             "",
             f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {args.pairs} alternating pairs per figure "
             "unless noted; ratio = median of the pairwise product/anchor ratios.",
             "",
             "| benchmark | what | product median (min–max) | anchor | anchor median (min–max) | ratio median "
             "(min–max) | peak MB | target |",
             "|---|---|---|---|---|---|---|---|"]
    for s in rows:
        peak = s.get("product_peak_mb_max")
        lines.append(f"| {s['bench']} | {s['label']} | {_fmt(s, 'product')} | {s['anchor_label']} | "
                     f"{_fmt(s, 'anchor')} | {s['ratio_median']:.2f}× ({s['ratio_min']:.2f}–{s['ratio_max']:.2f}) | "
                     f"{'' if peak is None else f'{peak:.0f}'} | {s.get('target', '')} |")
    quoted = [r for r in runs if r["code"] == 0 and not any(s["bench"] == r["script"] for s in rows)]
    failed = [r for r in runs if r["code"] != 0]
    for r in quoted:
        lines += ["", f"## {r['script']} (no anchor; its own output, {r['seconds']:.0f} s)", "", "```",
                  r["stdout"].strip(), "```"]
    for r in failed:
        lines += ["", f"## {r['script']} did not run (exit {r['code']})", "", "```",
                  r["stderr"].strip()[-1500:], "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "ssj_benchmarks.md"))
    ap.add_argument("--versus", help="bench_exports.py: another source tree timed beside this one")
    ap.add_argument("--only", nargs="*", help="script names to run (default: all)")
    args = ap.parse_args()
    chosen = [b for b in benchmarks() if not args.only or b[0] in args.only or b[0].removesuffix(".py") in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        json_path = Path(tmp) / "results.jsonl"
        json_path.touch()
        runs = [run_one(script, pairs, args, json_path) for script, pairs in chosen]
        rows = [json.loads(line) for line in json_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = markdown(rows, runs, args)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"\n{text}\nwritten to {args.out}")


if __name__ == "__main__":
    main()
