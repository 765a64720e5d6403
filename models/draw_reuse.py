"""Sealing and drawing derive the setup again inside their own transaction (a change since the preview must
be seen); the rows they read are nearly always exactly the rows the preview read a moment before.

Building 100,000 candidates, sorting and checking them, and writing their fingerprint and canonical JSON
cost about as much as reading the rows. When the eligible rows read now equal those of the last
derivation in this process (compared value by value, every row), the checked canonical list made then
is the list this derivation would make, and is reused; the fingerprint and the candidates' canonical
JSON of that very list (the same objects) are reused with it. Anything that differs — one name, one id,
one row more — builds everything again. Nothing sealed or recorded changes: the same bytes result.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import is_, itemgetter
from typing import TypeVar

from models.draw_engine import Candidate, DrawError, canonical_candidates, candidates_of_rows

T = TypeVar("T")
_last_rows: tuple[list, list[Candidate], list[Candidate]] | None = None  # (rows, candidates, canonical order)


def canonical_of_rows(rows: list[Sequence]) -> tuple[list[Candidate], list[Candidate] | None]:
    """(candidates_of_rows(rows), canonical_candidates(of them)), reused when *rows* equal the last rows given.

    The order is None when canonical_candidates refuses the candidates: the caller asks it for the reason.
    """
    global _last_rows
    last = _last_rows
    # An id that merely equals an int (True, 1.0) would print differently: the ids must be ints, as before.
    if (last is not None and len(last[0]) == len(rows) and last[0] == rows
            and set(map(type, map(itemgetter(0), rows))) <= {int}):
        return list(last[1]), list(last[2])
    cands = candidates_of_rows(rows)
    try:
        ordered = canonical_candidates(cands)
    except DrawError:
        return cands, None
    _last_rows = (list(rows), cands, ordered)
    return list(cands), list(ordered)


def same_objects(a: Sequence, b: Sequence) -> bool:
    """True when *a* and *b* hold the very same objects in the same order (pointer comparisons only)."""
    return len(a) == len(b) and all(map(is_, a, b))


def remembered(fn: Callable[[Sequence[Candidate]], T]) -> Callable[[Sequence[Candidate]], T]:
    """``fn`` of a candidate list, remembered for the last list: a list of the very same (frozen) Candidate
    objects gets the same answer without computing it again."""
    last: list = [None]

    def call(items: Sequence[Candidate]) -> T:
        seen = last[0]
        if seen is not None and same_objects(seen[0], items):
            return seen[1]
        result = fn(items)
        last[0] = (list(items), result)
        return result

    call.__doc__ = fn.__doc__
    call.__wrapped__ = fn
    return call
