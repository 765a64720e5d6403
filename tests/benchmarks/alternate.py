"""Honest timing on a shared machine: run an anchor (the floor) and the product alternately, report pairwise ratios.

Another engineer's build can double every figure for a minute. Comparing the best anchor run taken under
load with product runs taken after the load fell gives a ratio the machine never showed, so each pair is
timed back to back (the order flips every pair) and the ratio is taken per pair; the median of those
ratios is the figure to quote, with the absolute medians, minima and maxima beside it.

    from alternate import compare, print_header
    print_header()
    compare("import 100k", anchor=lambda: calamine_read(p), product=lambda: import_file(p), pairs=5)

The wall time of each call is used, unless the callable returns a dict with "seconds" (a subprocess that
times itself, or a figure that excludes set-up); that dict's other numbers (e.g. "peak_mb") are kept per run.
"""
from __future__ import annotations

import atexit
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

# Every line printed by compare() is also kept here; with SSJ_BENCH_JSON set they are appended to that
# file (one JSON object a line) when the benchmark exits, so run_all.py can build its table.
RESULTS: list[Comparison] = []
JSON_ENV = "SSJ_BENCH_JSON"


@dataclass
class Comparison:
    """One anchor/product pair series: what was compared, and each pair's times."""

    label: str
    anchor_label: str
    anchor: list[float] = field(default_factory=list)
    product: list[float] = field(default_factory=list)
    extras: dict[str, list[float]] = field(default_factory=dict)   # e.g. product peak_mb per run
    target: str = ""

    @property
    def ratios(self) -> list[float]:
        return [p / a for a, p in zip(self.anchor, self.product) if a > 0]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else float("nan")

    def summary(self) -> dict:
        """The figures as plain data (for run_all.py's table and its JSON)."""
        out = {"label": self.label, "anchor_label": self.anchor_label, "pairs": len(self.product),
               "product_median": statistics.median(self.product), "product_min": min(self.product),
               "product_max": max(self.product), "anchor_median": statistics.median(self.anchor),
               "anchor_min": min(self.anchor), "anchor_max": max(self.anchor), "ratio_median": self.ratio,
               "ratio_min": min(self.ratios), "ratio_max": max(self.ratios), "target": self.target}
        for key, values in self.extras.items():
            out[f"{key}_max"] = max(values)
        return out


def _dump_results() -> None:
    target = os.environ.get(JSON_ENV)
    if target and RESULTS:
        with open(target, "a", encoding="utf-8") as f:
            for c in RESULTS:
                f.write(json.dumps({"bench": os.path.basename(sys.argv[0]), **c.summary()}, ensure_ascii=False) + "\n")


atexit.register(_dump_results)


def _run(fn: Callable[[], object]) -> tuple[float, dict]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t0
    if isinstance(result, dict) and "seconds" in result:
        return float(result["seconds"]), {k: float(v) for k, v in result.items() if k != "seconds"}
    return wall, {}


def compare(label: str, *, anchor: Callable[[], object], product: Callable[[], object], pairs: int = 5,
            anchor_label: str = "anchor", target: str = "", warmup: bool = False) -> Comparison:
    """Time *pairs* anchor/product pairs back to back, alternating which goes first; print one table line."""
    result = Comparison(label, anchor_label, target=target)
    if warmup:
        _run(anchor)
        _run(product)
    for n in range(pairs):
        order = (("anchor", anchor), ("product", product)) if n % 2 == 0 else (("product", product), ("anchor", anchor))
        for which, fn in order:
            seconds, extras = _run(fn)
            getattr(result, which).append(seconds)
            for key, value in extras.items():
                result.extras.setdefault(f"{which}_{key}", []).append(value)
    RESULTS.append(result)
    print_line(result)
    return result


def print_header() -> None:
    print(f"{'what':<46} {'product med (min–max)':>24} {'anchor med (min–max)':>24} "
          f"{'ratio med (min–max)':>20}  extras")


def print_line(c: Comparison) -> None:
    s = c.summary()
    extras = "  ".join(f"{k} {max(v):.0f}" for k, v in c.extras.items())
    target = f"  [target {c.target}]" if c.target else ""
    print(f"{c.label:<46} {s['product_median']:7.2f} s ({s['product_min']:.2f}–{s['product_max']:.2f})"
          f" {s['anchor_median']:7.2f} s ({s['anchor_min']:.2f}–{s['anchor_max']:.2f})"
          f" {s['ratio_median']:7.2f}× ({s['ratio_min']:.2f}–{s['ratio_max']:.2f})  {extras}{target}"
          f"   anchor: {c.anchor_label}", flush=True)


def run_json(argv: list[str], **kwargs) -> dict:
    """Run a child process that prints one JSON object on its last stdout line (its own time, its peak memory)."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# Runs a script as __main__ and prints its peak RSS as the last stdout line when it exits (sys.exit included).
_PEAK_AT_EXIT = """
import atexit, json, runpy, sys
def _peak():
    mb = 0.0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                mb = int(line.split()[1]) / 1024
    print("\\n" + json.dumps({"peak_mb": mb}), flush=True)
atexit.register(_peak)
sys.argv = sys.argv[1:]
sys.path.insert(0, __import__("os").path.dirname(sys.argv[0]))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def whole_process(script: str, *args: str, **kwargs) -> dict:
    """``python script args…`` as a clerk runs it: wall time from outside (start-up included), peak RSS from inside."""
    argv = [sys.executable, "-c", _PEAK_AT_EXIT, script, *args]
    t0 = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{script} {args} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return {"seconds": wall, **json.loads(done.stdout.strip().splitlines()[-1])}


def peak_mb() -> float:
    """This process's peak resident set size in MB.

    Linux's VmHWM, not getrusage's ru_maxrss: a child started by a big parent inherits the parent's
    ru_maxrss across fork and exec, so every child would report at least the parent's peak.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def emit(seconds: float, **extras) -> None:
    """A child's last line: its own time and figures, for run_json()."""
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), **extras}), flush=True)
