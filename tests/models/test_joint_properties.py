"""Properties of 综合查一次 over random sequences of a clerk's grouping work: a joint task never changes any draw
record (its hash and its independent verification stay as drawn), and every pick of a period is in at most one
joint task that stands."""
from __future__ import annotations

import atexit
import json
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_verify import verify_record
from models.joint import JointTask, JointTaskPick
from models.joint_service import JointError, cancel_task, create_tasks, group_automatically, propose
from models.joint_visit import record_joint_visit
from tests.models.joint_fixtures import joint_world, visit_data


def _draw_state(s) -> tuple:
    records = [(r.id, r.record_json, r.record_hash, r.fingerprint, r.seed) for r in
               s.scalars(select(DrawRecord).order_by(DrawRecord.id))]
    picks = s.execute(select(DrawPick.id, DrawPick.draw_id, DrawPick.order, DrawPick.object_id)
                      .order_by(DrawPick.id)).all()
    assignments = s.execute(select(DrawAssignment.id, DrawAssignment.pick_id, DrawAssignment.inspector_id)
                            .order_by(DrawAssignment.id)).all()
    return records, picks, assignments


def _check_invariants(s, before) -> None:
    assert _draw_state(s) == before
    for _rid, text, stored_hash, _fp, _seed in before[0]:
        assert verify_record(json.loads(text), expected_hash=stored_hash).ok
    grouped = s.execute(select(JointTaskPick.pick_id, JointTask.status)
                        .join(JointTask, JointTask.id == JointTaskPick.task_id)).all()
    standing = [pid for pid, status in grouped if status != "已撤销"]
    assert len(standing) == len(set(standing)) and len(grouped) == len(standing)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_grouping_never_touches_a_draw_and_never_double_books_a_pick(db, seed):
    joint_world(db, more_hotels=3, ratio_text="3户", joint_group="甲组" if seed == 3 else "")
    rng = random.Random(seed)
    with db.session() as s:
        before = _draw_state(s)
    assert len(before[0]) == 3
    for _step in range(14):
        action = rng.choice(["create_some", "create_all", "cancel", "visit", "auto"])
        try:
            with db.session() as s:
                if action == "create_some":
                    found = propose(s, 2024, rng.choice(["Y", "H1"]))
                    if found:
                        chosen = rng.sample(found, rng.randint(1, len(found)))
                        create_tasks(s, 2024, "H1", "测试员", object_ids=[p.object_id for p in chosen])
                elif action == "create_all":
                    create_tasks(s, 2024, rng.choice(["Y", "H1"]), "测试员")
                elif action == "auto":
                    group_automatically(s, 2024, "测试员")
                elif action == "cancel":
                    open_tasks = list(s.scalars(select(JointTask.id).where(JointTask.status == "待检查")))
                    if open_tasks:
                        cancel_task(s, rng.choice(open_tasks), "随机撤销", "测试员")
            if action == "visit":
                with db.session() as s:
                    open_tasks = list(s.scalars(select(JointTask.id).where(JointTask.status == "待检查")))
                if open_tasks:
                    data = visit_data(db, rng.choice(open_tasks), found={})
                    with db.session() as s:
                        record_joint_visit(s, data, "测试员")
        except JointError:
            pass  # nothing left to group: an expected refusal, which changes nothing
        with db.session() as s:
            _check_invariants(s, before)
    with db.session() as s:
        # Whatever is still free in the period is exactly what is proposed: no pick lost, none proposed twice.
        proposed = [p.pick_id for prop in propose(s, 2024, "H1") for p in prop.picks]
        assert len(proposed) == len(set(proposed))
        taken = set(s.scalars(select(JointTaskPick.pick_id)))
        assert not taken & set(proposed)
        assert s.query(JointTask).count() > 0  # the sequence did group something


_WORLD: dict = {}


def _fresh_world_copy() -> Path:
    """A private copy of one drawn world (built once: four hotels, three items drawing three each)."""
    from models.db import open_database

    if "file" not in _WORLD:
        folder = Path(tempfile.mkdtemp(prefix="ssj_joint_"))
        atexit.register(shutil.rmtree, folder, True)
        db = open_database(folder / "world.sqlite3")
        joint_world(db, more_hotels=3, ratio_text="3户")
        db.dispose()
        _WORLD["file"] = folder / "world.sqlite3"
    target = Path(tempfile.mkdtemp(prefix="ssj_joint_case_")) / "case.sqlite3"
    shutil.copy(_WORLD["file"], target)
    return target


ACTIONS = st.lists(st.tuples(st.sampled_from(["create", "cancel", "visit"]), st.integers(0, 10 ** 6)),
                   min_size=1, max_size=8)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ACTIONS)
def test_any_sequence_of_grouping_leaves_the_draws_as_drawn(actions):
    """Hypothesis picks the clerk's steps and which units or tasks they touch."""
    from models.db import open_database

    path = _fresh_world_copy()
    db = open_database(path)
    try:
        with db.session() as s:
            before = _draw_state(s)
        for action, pick in actions:
            try:
                with db.session() as s:
                    if action == "create":
                        found = propose(s, 2024, "H1")
                        if found:
                            chosen = found[pick % len(found)]
                            create_tasks(s, 2024, "H1", "测试员", object_ids=[chosen.object_id])
                    elif action == "cancel":
                        waiting = list(s.scalars(select(JointTask.id).where(JointTask.status == "待检查")))
                        if waiting:
                            cancel_task(s, waiting[pick % len(waiting)], "撤销", "测试员")
                    else:
                        waiting = list(s.scalars(select(JointTask.id).where(JointTask.status == "待检查")))
                        task = waiting[pick % len(waiting)] if waiting else None
                if action == "visit" and task is not None:
                    data = visit_data(db, task, found={})
                    with db.session() as s:
                        record_joint_visit(s, data, "测试员")
            except JointError:
                pass
            with db.session() as s:
                _check_invariants(s, before)
    finally:
        db.dispose()
        shutil.rmtree(path.parent, ignore_errors=True)
