"""One program per database: a second opener is told who holds it, and a killed program never damages it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.lock import DatabaseInUse, DatabaseLock, holder_info, lock_path_for

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_opener_in_the_same_process_is_refused_with_who_and_since(db_path):
    first = DatabaseLock(db_path).acquire()
    try:
        with pytest.raises(DatabaseInUse) as caught:
            DatabaseLock(db_path).acquire()
        message = str(caught.value)
        assert message.startswith("数据库正在被另一个程序使用（计算机 ")
        assert "用户 " in message and "起）" in message
        assert holder_info(db_path)["pid"] == os.getpid()
    finally:
        first.release()
    # released: the next opener gets it
    with DatabaseLock(db_path) as again:
        assert again.held
    assert lock_path_for(db_path).name == db_path.name + ".lock"


def _hold_lock_in_child(db_path: Path) -> subprocess.Popen:
    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from models.lock import DatabaseLock
        lock = DatabaseLock({str(db_path)!r}).acquire()
        print("locked", flush=True)
        sys.stdin.readline()
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "locked"
    return child


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_another_process_holding_the_lock_refuses_us_until_it_is_killed(db_path):
    child = _hold_lock_in_child(db_path)
    try:
        with pytest.raises(DatabaseInUse, match="数据库正在被另一个程序使用"):
            DatabaseLock(db_path).acquire()
        assert holder_info(db_path)["pid"] == child.pid
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    # the OS dropped the killed process's lock: a stale lock file never blocks
    assert lock_path_for(db_path).exists()
    with DatabaseLock(db_path) as lock:
        assert lock.held


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_the_command_line_refuses_a_database_the_app_holds(db_path):
    from models.db import open_database

    open_database(db_path).dispose()
    child = _hold_lock_in_child(db_path)
    try:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "set-setting",
                                 "bureau_name", "某局"],
                                capture_output=True, text=True, cwd=ROOT)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert result.returncode == 1
    assert "数据库正在被另一个程序使用" in result.stderr
    assert "Traceback" not in result.stderr


# --- killing the program in the middle of an import -------------------------------------------

def _snapshot(path: Path) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT * FROM inspected_objects ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def big_workbook(tmp_path_factory) -> Path:
    """The demo roster (3,000 objects) exported as an import workbook."""
    from models.db import open_database
    from models.demo_roster import load_demo_roster
    from reports.roster_export import export_objects

    folder = tmp_path_factory.mktemp("big")
    source = open_database(folder / "source.sqlite3")
    load_demo_roster(source)
    export_objects(source, folder / "big.xlsx")
    source.dispose()
    return folder / "big.xlsx"


@pytest.fixture
def office_with_objects(db_path, big_workbook) -> Path:
    """An office database holding three of the workbook's objects, with other addresses (the import would update
    them)."""
    from openpyxl import load_workbook

    from models.db import open_database
    from models.roster_service import ObjectData, add_object

    rows = list(load_workbook(big_workbook, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    db = open_database(db_path)
    with db.session() as s:
        for values in rows[1:4]:
            v = dict(zip(header, values))
            add_object(s, ObjectData(name=v["单位名称"], credit_code=v["统一社会信用代码"], type_name=v["对象类型"],
                                     address="旧地址", jurisdiction=v.get("辖区") or ""), actor="test")
    db.dispose()
    return db_path


_PAUSE_AT_COMMIT = """
import sys, time
sys.path.insert(0, {root!r})
from sqlalchemy import event
from sqlalchemy.orm import Session

@event.listens_for(Session, "before_commit")
def _pause(session):
    # The import's own transaction, with all its rows written but not committed.
    n = session.connection().exec_driver_sql("SELECT count(*) FROM inspected_objects").scalar()
    if n > {before}:
        print("WRITING", n, flush=True)
        time.sleep(600)

import main
sys.exit(main.main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_import_killed_before_it_commits_leaves_the_database_as_before(office_with_objects, big_workbook):
    before = _snapshot(office_with_objects)
    assert len(before) == 3
    code = _PAUSE_AT_COMMIT.format(root=str(ROOT), before=len(before))
    child = subprocess.Popen([sys.executable, "-c", code, "--db", str(office_with_objects), "import-objects",
                              str(big_workbook)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = child.stdout.readline()
        assert line.startswith("WRITING"), child.stderr.read()
        assert int(line.split()[1]) == 3000
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    from models.db import open_database

    db = open_database(office_with_objects)  # the integrity check passes
    db.dispose()
    assert _snapshot(office_with_objects) == before
    # and the lock died with the killed process
    with DatabaseLock(office_with_objects) as lock:
        assert lock.held


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_import_killed_at_any_moment_is_all_or_nothing(office_with_objects, big_workbook):
    import time

    before = _snapshot(office_with_objects)
    wal = office_with_objects.with_name(office_with_objects.name + "-wal")
    child = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", str(office_with_objects),
                              "import-objects", str(big_workbook)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    # Kill as soon as the import has started writing (the -wal file grows), or when it is done.
    while child.poll() is None and not (wal.exists() and wal.stat().st_size > 0):
        time.sleep(0.005)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    after = _snapshot(office_with_objects)
    assert after == before or len(after) == 3000
    if len(after) == 3000:
        assert all(row not in after for row in before), "the three objects were updated in the same commit"


# --- killing the program in the middle of a draw ----------------------------------------------

_DRAW_TABLES = ("draw_records", "draw_picks", "draw_assignments", "audit_log")


def _counts(path: Path) -> dict[str, int]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _DRAW_TABLES}
    finally:
        con.close()


_PAUSE_AT_DRAW_COMMIT = """
import sys, time
sys.path.insert(0, {root!r})
from sqlalchemy import event
from sqlalchemy.orm import Session

@event.listens_for(Session, "before_commit")
def _pause(session):
    # The draw's own transaction: record, picks and assignments written, not yet committed.
    conn = session.connection()
    picks = conn.exec_driver_sql("SELECT count(*) FROM draw_picks").scalar()
    if picks:
        print("WRITING", picks, flush=True)
        time.sleep(600)

import main
sys.exit(main.main(sys.argv[1:]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_draw_killed_before_it_commits_leaves_no_half_record(db_path):
    from models.db import open_database
    from tests.models.draw_fixtures import build_world

    from models.draw_prepare import prepare_draw
    from models.seal_service import seal

    db = open_database(db_path)
    build_world(db)
    with db.read_session() as s:
        seal(db, prepare_draw(s, 2024, "1"), entropy_source="见证人现场报数", operator="测试员")
    db.dispose()
    before = _counts(db_path)
    assert before["draw_records"] == 0
    draw = ["draw", "--year", "2024", "--seal", "1", "--witness", "王监督", "--witness", "李见证",
            "--entropy", "12 34 56"]
    child = subprocess.Popen([sys.executable, "-c", _PAUSE_AT_DRAW_COMMIT.format(root=str(ROOT)), "--db", str(db_path),
                              *draw], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    writing = ""
    try:
        # The draw prints its fingerprints first; wait for the hook's line (or the end of output).
        for line in child.stdout:
            if line.startswith("WRITING"):
                writing = line
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert writing, child.stderr.read()
    assert int(writing.split()[1]) == 3  # 5% of 41 hotels, rounded up

    db = open_database(db_path)  # the integrity check passes
    db.dispose()
    assert _counts(db_path) == before
    # The same draw runs to the end afterwards: nothing half-saved is in its way.
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path), *draw],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    after = _counts(db_path)
    assert after["draw_records"] == 1 and after["draw_picks"] == 3
