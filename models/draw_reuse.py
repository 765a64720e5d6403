"""Sealing and drawing derive the setup again inside their own transaction (a change since the preview must
be seen); the rows they read are nearly always exactly the rows the preview read a moment before.

Building 100,000 candidates, sorting and checking them, and writing their fingerprint and canonical JSON
cost about as much as reading the rows. When the eligible rows read now equal those of the last
derivation in this process (compared value by value, every row, on the four values a candidate is
made of), the checked canonical list made then is the list this derivation would make, and is reused;
the fingerprint of that very list (the same objects) and its JSON's digest are reused with it. Anything
that differs — one name, one id, one row more — builds everything again. Nothing sealed or recorded
changes: the same bytes result. The rows are compared chunk by chunk as they are read and never kept.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter, is_, itemgetter
from typing import TypeVar

from models.draw_engine import Candidate, DrawError, canonical_candidates, candidates_of_rows

T = TypeVar("T")
# The last list derived: (candidates in row order, canonical order) — the rows themselves are not kept.
_last_rows: tuple[list[Candidate], list[Candidate]] | None = None
_FIELDS = tuple(zip(map(itemgetter, range(4)), map(attrgetter, ("id", "name", "code", "risk")), strict=True))


def _same_values(rows: Sequence[Sequence], cands: Sequence[Candidate]) -> bool:
    """Each row's first four values equal (id, name, code, risk) of the candidate at its place; ids are ints."""
    if len(rows) != len(cands):
        return False
    ids = list(map(itemgetter(0), rows))
    # An id that merely equals an int (True, 1.0) would print differently: the ids must be ints, as before.
    if not set(map(type, ids)) <= {int}:
        return False
    return all(list(map(of_row, rows)) == list(map(of_cand, cands)) for of_row, of_cand in _FIELDS)


class CandidateReader:
    """canonical_of_rows() of rows given chunk by chunk: only the candidates are kept, never the rows.

    While the rows equal (value by value) those of the last list derived, nothing is built; the first
    difference builds candidates from there on (the equal ones before it are the last list's objects).
    """

    def __init__(self) -> None:
        self._last = _last_rows
        self._matched = 0  # rows equal to the last list's so far
        self._built: list[Candidate] | None = None if self._last is not None else []

    def add(self, rows: Sequence[Sequence]) -> None:
        if self._built is None:
            last, at = self._last[0], self._matched
            if _same_values(rows, last[at:at + len(rows)]):
                self._matched += len(rows)
                return
            self._built = last[:at]
        self._built += candidates_of_rows(rows)

    def finish(self) -> tuple[list[Candidate], list[Candidate] | None]:
        """(the candidates in row order, canonical_candidates of them); the order is None when it refuses them."""
        global _last_rows
        if self._built is None and self._matched == len(self._last[0]):
            return list(self._last[0]), list(self._last[1])
        cands = self._built if self._built is not None else self._last[0][:self._matched]
        try:
            ordered = canonical_candidates(cands)
        except DrawError:
            return cands, None
        _last_rows = (cands, ordered)
        return list(cands), list(ordered)


def canonical_of_rows(rows: list[Sequence]) -> tuple[list[Candidate], list[Candidate] | None]:
    """(candidates_of_rows(rows), canonical_candidates(of them)), reused when *rows* equal the last rows given.

    The order is None when canonical_candidates refuses the candidates: the caller asks it for the reason.
    """
    reader = CandidateReader()
    reader.add(rows)
    return reader.finish()


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
