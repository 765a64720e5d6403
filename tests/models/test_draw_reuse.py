"""Seal and draw derive the list again; when the rows read are the preview's, its checked list is reused —
and anything that differs, even one character or an id's type, is built and checked again (issue 17)."""
from __future__ import annotations

import pytest

from models import draw_reuse
from models.draw_engine import DrawError, canonical_candidates, candidates_of_rows, fingerprint_canonical
from models.draw_record import candidates_json


def _rows(n=50, name="旅馆"):
    return [(i, f"{name}{i:03d}", f"91370000MA{(n - i):08d}", "高风险", "在营", 1, "第一派出所")
            for i in range(1, n + 1)]


@pytest.fixture(autouse=True)
def _forget():
    draw_reuse._last_rows = None
    yield
    draw_reuse._last_rows = None


def test_the_same_rows_read_again_give_the_checked_list_back_with_the_same_fingerprint():
    cands, ordered = draw_reuse.canonical_of_rows(_rows())
    again, ordered_again = draw_reuse.canonical_of_rows(_rows())  # equal rows, new tuples (a fresh SELECT)
    assert draw_reuse.same_objects(ordered, ordered_again) and draw_reuse.same_objects(cands, again)
    assert ordered_again is not ordered  # a copy: the caller's list is its own
    built = canonical_candidates(candidates_of_rows(_rows()))
    assert ordered_again == built
    assert fingerprint_canonical(ordered_again) == fingerprint_canonical(built)


def test_one_changed_name_builds_the_list_again():
    _cands, ordered = draw_reuse.canonical_of_rows(_rows())
    changed = _rows()
    changed[7] = (8, "改名后的旅馆", *changed[7][2:])
    _c, ordered_again = draw_reuse.canonical_of_rows(changed)
    assert not draw_reuse.same_objects(ordered, ordered_again)
    assert "改名后的旅馆" in [c.name for c in ordered_again]
    assert fingerprint_canonical(ordered_again) != fingerprint_canonical(ordered)


def test_an_id_that_only_equals_an_int_is_not_taken_for_it():
    rows = _rows(3)
    draw_reuse.canonical_of_rows(rows)
    odd = [(True, *rows[0][1:]), *rows[1:]]  # True == 1, but it is not the id 1
    assert odd == rows
    cands, ordered = draw_reuse.canonical_of_rows(odd)
    assert ordered is None  # refused as before: canonical_candidates names the culprit
    with pytest.raises(DrawError, match="编号"):
        canonical_candidates(cands)


def test_a_field_with_a_line_break_is_refused_and_not_remembered():
    rows = _rows(3)
    rows[1] = (2, "两行\n名称", *rows[1][2:])
    cands, ordered = draw_reuse.canonical_of_rows(rows)
    assert ordered is None and draw_reuse._last_rows is None
    with pytest.raises(DrawError, match="换行"):
        canonical_candidates(cands)


def test_remembered_answers_only_for_the_very_same_objects():
    calls = []

    @draw_reuse.remembered
    def count(items):
        calls.append(len(items))
        return candidates_json(items)

    _c, ordered = draw_reuse.canonical_of_rows(_rows())
    first = count(ordered)
    assert count(list(ordered)) == first and len(calls) == 1  # the same objects in a new list
    rebuilt = canonical_candidates(candidates_of_rows(_rows()))  # equal, but other objects
    assert count(rebuilt) == first and len(calls) == 2
    assert count(rebuilt[:-1]) != first and len(calls) == 3


def test_prepare_seal_and_draw_run_with_the_collector_paused(monkeypatch):
    """Their 100,000s of acyclic objects cost a fifth of a draw in collector passes; a helper inserted between
    the decorator and its function once took the pause away from prepare_draw unnoticed."""
    import gc

    from models import draw_prepare, draw_service, seal_service

    seen = []

    def probe(*_a, **_k):
        seen.append(gc.isenabled())
        raise DrawError("probe")

    monkeypatch.setattr(draw_prepare, "find_item", probe)
    with pytest.raises(DrawError, match="probe"):
        draw_prepare.prepare_draw(None, 2024, "1")
    assert seen == [False] and gc.isenabled()
    for fn in (seal_service.seal, draw_service.draw_sealed):
        assert getattr(fn, "__wrapped__", None) is not None, fn.__name__
