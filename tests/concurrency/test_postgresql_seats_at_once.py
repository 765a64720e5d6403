"""Several seats on one PostgreSQL database at the same moment, each a real process (issue 15, item 4).

Four clerks issue notices at once and every 文号 is given exactly once, without a gap; two
clerks seal and draw the same item and round at once and exactly one record is made, the other
clerk told in Chinese who drew it; two programs append to the audit log in a tight loop and it
stays one chain; two clerks save the same object and the later one is refused, not applied.

Each seat is a spawned process with its own connection (tests/concurrency/seats.py), started
together at a barrier. Skipped without SSJ_TEST_DATABASE_URL (SQLite has one writer at a time,
guarded by its lock file: tests/models/test_lock_and_kill.py).
"""
from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from models.admin import AuditEntry
from models.audit import verify_chain
from models.db import open_database
from models.draw import DrawAssignment, DrawRecord
from models.draw_prepare import prepare_draw
from models.inspection import RectificationNotice
from models.notice_service import numbering_gaps
from models.roster_service import get_object, object_version
from models.seal import DrawAnnouncement
from tests.concurrency import seats
from models.inspection_service import HazardInput, InspectionData, record_inspection
from tests.models.draw_fixtures import build_world, sealed_draw
from tests.models.inspection_fixtures import HAZARDS

DRAWN_AT = datetime(2024, 4, 22, 9, 30)
SEAT_TIMEOUT = 300  # seconds: a seat stuck on a lock fails the story instead of hanging it (CI machines are shared)


@pytest.fixture
def server(postgres_databases):
    """A fresh, migrated PostgreSQL database: (its URL, a Database on it for set-up and checks)."""
    name = postgres_databases.fresh()
    url = postgres_databases.url_of(name)
    db = open_database(url)
    yield url, db
    db.dispose()
    postgres_databases.drop(name)


def at_once(*calls):
    """Run each (seat function, args) in its own spawned process, all released by one barrier; their results."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager, ProcessPoolExecutor(len(calls), mp_context=ctx) as pool:
        barrier = manager.Barrier(len(calls))
        futures = [pool.submit(fn, *args, barrier=barrier) for fn, args in calls]
        return [f.result(timeout=SEAT_TIMEOUT) for f in futures]


def _found_hazards(pick_id: int, inspector_ids: list[int]) -> InspectionData:
    day = date(2024, 5, 6)
    return InspectionData(pick_id=pick_id, date_from=day, date_to=day, inspector_ids=inspector_ids,
                          result_category="发现问题待后续处理", result_subkind="违反公安部门相关规定", checks=[],
                          hazards=[HazardInput(t, c) for t, c in HAZARDS], executing_unit="治安大队")


def test_four_seats_issuing_100_notices_each_get_400_distinct_gapless_numbers(server, tmp_path):
    url, db = server
    build_world(db, hotels=410, inspectors=8)
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1", size_override=400)
    sealed_draw(db, prep, operator="测试员", clock=lambda: DRAWN_AT)
    with db.session() as s:  # 400 inspections with hazards, recorded in one go by the drawn inspectors
        drawn: dict[int, list[int]] = {}
        for pick_id, inspector_id in s.execute(select(DrawAssignment.pick_id, DrawAssignment.inspector_id)
                                               .order_by(DrawAssignment.pick_id, DrawAssignment.slot)):
            drawn.setdefault(pick_id, []).append(inspector_id)
        inspections = [record_inspection(s, _found_hazards(pick_id, inspectors), "测试员")
                       for pick_id, inspectors in drawn.items()]
    assert len(inspections) == 400

    clerks = ["治安大队内勤", "禁毒大队内勤", "网安大队内勤", "城关派出所内勤"]
    issued = at_once(*[(seats.issue_notices, (url, inspections[n::4], str(tmp_path / f"seat{n}"), clerk))
                       for n, clerk in enumerate(clerks)])

    numbers = [number for seat in issued for number in seat]
    assert len(numbers) == 400 and len(set(numbers)) == 400
    sequence = sorted(int(re.search(r"第(\d+)号", n).group(1)) for n in numbers)
    assert sequence == list(range(1, 401))
    assert all(len(seat) == 100 for seat in issued)
    with db.read_session() as s:
        assert s.scalar(select(func.count()).select_from(RectificationNotice)) == 400
        assert numbering_gaps(s, 2024) == []
        check = verify_chain(s)
        assert check.ok, check.message
    # every notice's file was published after its commit, under its own number
    files = sorted(tmp_path.glob("seat*/*.docx"))
    assert len(files) == 400
    assert {f.read_text(encoding="utf-8").split("\n")[0] for f in files} == set(numbers)


def test_two_seats_sealing_and_drawing_the_same_item_and_round_make_one_record(server):
    url, db = server
    build_world(db)
    outcomes = at_once((seats.seal_and_draw, (url, "张三")), (seats.seal_and_draw, (url, "李四")))

    drawn = [value for kind, value in outcomes if kind == "drawn"]
    refused = [(clerk, value) for clerk, (kind, value) in zip(("张三", "李四"), outcomes) if kind == "refused"]
    assert len(drawn) == 1 and len(refused) == 1, outcomes
    with db.read_session() as s:
        record_row = s.execute(select(DrawRecord)).scalars().one()
        assert record_row.id == drawn[0]
        winner = record_row.operator
    loser, message = refused[0]
    assert winner != loser
    # The refusal names who got there first: the open seal (who sealed it, when) or the draw (who, when).
    assert f"（{winner} 于 20" in message, message
    assert ("尚未抽取的抽取公告 2024-001" in message and "封存）" in message) or "已有抽取记录" in message, message
    with db.read_session() as s:
        assert verify_chain(s).ok


def test_two_seats_drawing_against_one_announcement_make_one_record_and_one_refusal(server):
    url, db = server
    build_world(db)
    from models.seal_service import seal
    from tests.models.draw_fixtures import SOURCE

    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    ann = seal(db, prep, entropy_source=SOURCE, operator="张文书")

    outcomes = at_once((seats.draw_against, (url, ann.number, "张三")), (seats.draw_against, (url, ann.number, "李四")))

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["drawn", "refused"], outcomes
    record_id = next(value for kind, value in outcomes if kind == "drawn")
    message = next(value for kind, value in outcomes if kind == "refused")
    with db.read_session() as s:
        rows = s.execute(select(DrawRecord.id, DrawRecord.operator)).all()
        assert len(rows) == 1 and rows[0].id == record_id
        assert s.scalar(select(func.count()).select_from(DrawAnnouncement)) == 1
    assert message.startswith(f"抽取公告 2024-001 已用于抽取记录 #{record_id}（{rows[0].operator} 于 20"), message
    assert message.endswith("抽取），不能再次抽取")


def test_two_programs_appending_to_the_audit_log_in_a_tight_loop_keep_one_chain(server):
    url, db = server
    with db.read_session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))

    assert at_once((seats.append_audit, (url, "甲", 200)), (seats.append_audit, (url, "乙", 200))) == [200, 200]

    with db.read_session() as s:
        check = verify_chain(s)
        assert check.ok, check.message
        assert check.count == before + 400
        users = list(s.scalars(select(AuditEntry.user).where(AuditEntry.action == "并发测试")))
        assert users.count("甲") == users.count("乙") == 200
        # every entry's predecessor is the entry just before it: no two entries share one
        prev = list(s.scalars(select(AuditEntry.prev_hash)))
        assert len(prev) == len(set(prev))


def test_two_clerks_saving_the_same_object_at_once_one_is_refused_not_overwritten(server):
    url, db = server
    from models.credit_code import make_code
    from models.roster_service import ObjectData, add_object

    with db.session() as s:
        oid = add_object(s, ObjectData("沂源县鑫源宾馆", make_code(7), "旅馆"), "录入员")

    outcomes = at_once((seats.edit_object, (url, oid, "张三", "0533-1111111")),
                       (seats.edit_object, (url, oid, "李四", "0533-2222222")))

    assert sorted(kind for kind, _ in outcomes) == ["refused", "saved"], outcomes
    winner, phone = ("张三", "0533-1111111") if outcomes[0][0] == "saved" else ("李四", "0533-2222222")
    message = next(text for kind, text in outcomes if kind == "refused")
    assert message.startswith(f"该检查对象“沂源县鑫源宾馆”在您打开之后已被 {winner} 于 20"), message
    assert message.endswith("请重新载入后再改。")
    with db.read_session() as s:
        assert get_object(s, oid).phone == phone and object_version(s, oid) == 2
        assert verify_chain(s).ok


def test_two_clerks_typing_the_same_draw_command_at_once_get_one_record_and_one_clear_refusal(server, tmp_path):
    """The command line as two clerks use it on two PCs: `draw --seal 1` at the same moment."""
    import subprocess
    import sys
    from pathlib import Path

    from models.seal_service import seal
    from tests.models.draw_fixtures import SOURCE

    url, db = server
    build_world(db)
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    seal(db, prep, entropy_source=SOURCE, operator="张文书")
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, str(root / "main.py"), "--db", url, "draw", "--year", "2024", "--seal", "1",
               "--witness", "王监督（治安大队）", "--witness", "李见证（县市场监管局）", "--entropy", "12 34 56",
               "--entropy", "骰子 3 5 6"]
    seats_ = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8") for _ in range(2)]
    results = [(p.wait(timeout=SEAT_TIMEOUT), p.stdout.read(), p.stderr.read()) for p in seats_]
    for p in seats_:
        p.stdout.close()
        p.stderr.close()

    assert sorted(code for code, _, _ in results) == [0, 1], results
    refusal = next(err for code, _, err in results if code == 1)
    assert "Traceback" not in refusal
    with db.read_session() as s:
        record_id, operator = s.execute(select(DrawRecord.id, DrawRecord.operator)).one()
    assert f"抽取公告 2024-001 已用于抽取记录 #{record_id}（{operator} 于 20" in refusal, refusal
