"""Building long lists of named rows (NamedTuples) from query results without paying for the garbage collector.

The collector untracks a plain tuple of strings and numbers, but never a tuple subclass, so
100,000 NamedTuples built with the collector on cost about four times what plain tuples do
(0.13 s against 0.03 s for the roster): every young-generation pass walks the rows built so
far. The rows hold no reference cycles, so pausing the collector while they are built is safe.
"""
from __future__ import annotations

import gc
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


def build_rows(make: Callable[[Iterable], T], results: Iterable[Iterable]) -> list[T]:
    """``[make(r) for r in results]`` with the collector paused (e.g. ``build_rows(ObjectRow._make, result)``)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return list(map(make, results))
    finally:
        if was_enabled:
            gc.enable()
