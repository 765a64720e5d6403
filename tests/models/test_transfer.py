"""An office moves its PC's SQLite database onto the PostgreSQL server (migrate-to), and nothing is lost on the way.

The stories on the server run only with SSJ_TEST_DATABASE_URL (tests/conftest.py); the same copy into a
fresh SQLite file runs everywhere, so the copy and its checks are covered on every test run.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import func, select

from models import audit, server, settings, transfer, users
from models.admin import AuditEntry
from models.db import open_database
from models.draw import DrawRecord
from models.draw_audit import draw_problems
from models.roster import InspectedObject
from models.schema import metadata
from tests.tamper import tamper
from usecases.demo import load_demo

ADMIN_PASSWORD = "zhang-pass-2026"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo database (rosters, plans, a sealed draw, inspections, notices) as a PC's file, built once."""
    path = tmp_path_factory.mktemp("demo") / "office.sqlite3"
    db = open_database(path)
    try:
        load_demo(db)
    finally:
        db.dispose()
    return path


@pytest.fixture
def source_file(demo_file, tmp_path):
    """A private copy of the demo file for one story (some stories change it before the move)."""
    path = tmp_path / "pc" / "office.sqlite3"
    path.parent.mkdir()
    path.write_bytes(demo_file.read_bytes())
    return path


@pytest.fixture
def empty_server(postgres_databases):
    """A new database on the test server with no schema at all, as the office's IT person creates it."""
    postgres_databases.count += 1
    name = f"{postgres_databases.prefix}_move{postgres_databases.count}"
    postgres_databases.drop(name)
    postgres_databases._execute(f"CREATE DATABASE {name}")
    yield postgres_databases.url_of(name)
    postgres_databases.drop(name)


def file_counts(path) -> dict[str, int]:
    """Rows per table, read straight from the file with sqlite3 (not through the code under test)."""
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return {t.name: con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0] for t in metadata.sorted_tables}
    finally:
        con.close()


def file_record_hashes(path) -> dict[int, str]:
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return dict(con.execute("SELECT id, record_hash FROM draw_records").fetchall())
    finally:
        con.close()


def folder_state(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def move(source_path, target, *, admin="zhangsan", progress=None):
    with transfer.open_source(source_path) as source:
        admin = transfer.admin_to_create(source, admin)
        return transfer.migrate_to(source, target, actor=admin or "迁移测试", admin=admin,
                                   admin_password=ADMIN_PASSWORD, source_name=str(source_path), progress=progress)


def assert_same_office(source_path, target) -> None:
    """Every table holds the source's rows (with the move's own user and audit entries on top), ids kept,
    every draw record recomputes to its hash, and the audit chain is whole."""
    want = file_counts(source_path)
    with target.read_session() as s:
        for table in metadata.sorted_tables:
            got = s.scalar(select(func.count()).select_from(table))
            extra = {"users": 1, "settings": 1}.get(table.name, 0)
            if table.name == "audit_log":
                assert got > want[table.name]  # the new administrator, log-in on and the move itself
            else:
                assert got == want[table.name] + extra, table.name
        assert dict(s.execute(select(DrawRecord.id, DrawRecord.record_hash)).all()) == \
            file_record_hashes(source_path)
        con = sqlite3.connect(f"file:{source_path}?mode=ro&immutable=1", uri=True)
        try:
            objects = con.execute("SELECT id, credit_code, name FROM inspected_objects ORDER BY id").fetchall()
            source_chain = con.execute("SELECT id, hash FROM audit_log ORDER BY id").fetchall()
        finally:
            con.close()
        assert [tuple(r) for r in s.execute(select(InspectedObject.id, InspectedObject.credit_code,
                                                   InspectedObject.name).order_by(InspectedObject.id))] == objects
        moved_chain = [tuple(r) for r in s.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id))]
        assert moved_chain[:len(source_chain)] == source_chain
        assert audit.verify_chain(s).ok
        assert draw_problems(s) == []
        assert settings.get(s, "login_enabled") is True
        assert users.find_user(s, "zhangsan").role == users.ADMIN
        moved = s.scalar(select(AuditEntry).where(AuditEntry.action == "迁移数据库"))
        assert json.loads(moved.detail)["各表行数"]["inspected_objects"] == 3008


def test_postgresql_the_demo_office_moves_to_the_server_with_every_row_every_draw_hash_and_its_audit_chain(
        source_file, empty_server):
    before = folder_state(source_file.parent)
    target = server.open_empty(empty_server)
    try:
        result = move(source_file, target)
    finally:
        target.dispose()
    assert result.counts == file_counts(source_file)
    # the demo draws the hotel item, the three 综合查一次 items (demo_joint.py) and the 寄递 item (demo_departments.py)
    assert result.records == 8 and result.announcements == 8 and result.admin_created == "zhangsan"
    target = open_database(empty_server)
    try:
        assert_same_office(source_file, target)
    finally:
        target.dispose()
    assert folder_state(source_file.parent) == before  # not a byte written, not a -wal or -shm file left


def test_postgresql_new_rows_on_the_server_continue_after_the_copied_ids(source_file, empty_server):
    target = server.open_empty(empty_server)
    try:
        move(source_file, target)
        with target.session() as s:
            users.create_user(s, "lisi", "li-pass-2026", users.CLERK,
                              actor="zhangsan")
            s.add(InspectedObject(name="新开业的旅馆", credit_code="91370000MA00000001", object_type_id=1))
            s.flush()
            assert s.scalar(select(func.max(InspectedObject.id))) > 3008
        with target.read_session() as s:
            assert audit.verify_chain(s).ok
    finally:
        target.dispose()


def test_postgresql_a_server_database_that_already_holds_data_is_refused_and_kept(source_file, empty_server):
    first = server.init_database(empty_server, "wangwu", ADMIN_PASSWORD)
    first.dispose()
    with pytest.raises(transfer.DatabaseError, match="不是空的"):
        server.open_empty(empty_server)
    target = open_database(empty_server)
    try:
        with target.read_session() as s:
            assert users.find_user(s, "wangwu") is not None
            assert s.scalar(select(func.count()).select_from(InspectedObject)) == 0
    finally:
        target.dispose()


def test_postgresql_a_row_the_server_refuses_midway_leaves_the_server_empty_and_says_which_table(
        source_file, empty_server):
    # SQLite keeps a 300-character phone number in a 50-character column; PostgreSQL does not.
    tamper(str(source_file), "UPDATE inspected_objects SET phone = '" + "1" * 300 + "' WHERE id = 2500")
    target = server.open_empty(empty_server)
    try:
        with pytest.raises(transfer.TransferError) as refused:
            move(source_file, target)
        assert server.rows_in_use(target) == {}
    finally:
        target.dispose()
    message = str(refused.value)
    assert "检查对象" in message and "id=2500" in message and "phone" in message and "上限 50" in message
    assert "已恢复为空" in message and "源数据库未作任何改动" in message


def test_progress_is_reported_per_table_in_batches(source_file, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "BATCH", 1000)
    seen = []
    target = open_database(tmp_path / "target.sqlite3")
    try:
        move(source_file, target, progress=lambda title, done, total: seen.append((title, done, total)))
    finally:
        target.dispose()
    assert [x for x in seen if x[0] == "检查对象"] == [("检查对象", 1000, 3008), ("检查对象", 2000, 3008),
                                                       ("检查对象", 3000, 3008), ("检查对象", 3008, 3008)]


def test_the_copy_and_its_checks_work_into_a_fresh_sqlite_file_too(source_file, tmp_path):
    """The same engine-neutral copy (no server needed), so every test run covers it."""
    before = folder_state(source_file.parent)
    target = open_database(tmp_path / "target.sqlite3")
    try:
        result = move(source_file, target)
        # the hotel, 3 综合查一次, 寄递, 县抽县查, 市抽县查 and the 2022 events
        assert result.counts["inspected_objects"] == 3008 and result.records == 8
        assert_same_office(source_file, target)
    finally:
        target.dispose()
    assert folder_state(source_file.parent) == before


def test_a_source_without_an_administrator_needs_one_named(source_file):
    with transfer.open_source(source_file) as source:
        with pytest.raises(transfer.TransferError, match="--admin"):
            transfer.admin_to_create(source, None)
        assert transfer.admin_to_create(source, " zhangsan ") == "zhangsan"


def test_a_source_with_log_in_on_is_moved_only_by_its_administrator(source_file, tmp_path):
    db = open_database(source_file)
    try:
        with db.session() as s:
            users.create_user(s, "zhaoliu", ADMIN_PASSWORD, users.ADMIN, actor="测试")
            users.create_user(s, "sunqi", "sun-pass-2026", users.CLERK, actor="测试")
            settings.set(s, "login_enabled", True, actor="测试")
    finally:
        db.dispose()
    with transfer.open_source(source_file) as source:
        with pytest.raises(transfer.TransferError, match="--user"):
            transfer.source_operator(source, None, lambda: "")
        with pytest.raises(transfer.TransferError, match="不正确"):
            transfer.source_operator(source, "zhaoliu", lambda: "wrong-password")
        with pytest.raises(transfer.TransferError, match="只有管理员"):
            transfer.source_operator(source, "sunqi", lambda: "sun-pass-2026")
        assert transfer.source_operator(source, "zhaoliu", lambda: ADMIN_PASSWORD) == "zhaoliu"
        assert transfer.admin_to_create(source, None) is None  # it has its administrator already
        with pytest.raises(transfer.TransferError, match="不是启用的管理员"):
            transfer.admin_to_create(source, "sunqi")


def test_a_source_whose_audit_chain_is_broken_is_refused_before_anything_is_copied(source_file, tmp_path):
    tamper(str(source_file), "UPDATE audit_log SET detail = '{}' WHERE id = 3", unlock=("audit_log",))
    target = open_database(tmp_path / "target.sqlite3")
    try:
        with pytest.raises(transfer.TransferError, match="源数据库本身未通过审计检查"):
            move(source_file, target)
        assert server.rows_in_use(target) == {}
    finally:
        target.dispose()


def test_a_file_that_is_not_a_database_is_named(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("今天的工作记录", encoding="utf-8")
    with pytest.raises(transfer.TransferError, match="不是 SQLite 数据库文件"):
        with transfer.open_source(path):
            pass
    with pytest.raises(transfer.TransferError, match="不存在"):
        with transfer.open_source(tmp_path / "missing.sqlite3"):
            pass


def test_postgresql_the_demo_office_checks_out_on_the_server_with_the_commands_a_clerk_types(
        source_file, empty_server, tmp_path, capsys, monkeypatch):
    """verify-audit and verify-draw, run as a clerk would on the server after the move."""
    from ui.cli import run

    target = server.open_empty(empty_server)
    try:
        move(source_file, target)
    finally:
        target.dispose()
    monkeypatch.setenv("SSJ_PASSWORD", ADMIN_PASSWORD)
    assert run(["--db", empty_server, "--user", "zhangsan", "verify-audit"]) == 0
    assert "哈希链一致" in capsys.readouterr().out
    for record_id in file_record_hashes(source_file):
        path = tmp_path / f"record-{record_id}.json"
        assert run(["--db", empty_server, "--user", "zhangsan", "export-draw", "--record-id", str(record_id),
                    str(path)]) == 0
        assert run(["verify-draw", str(path), "--hash", file_record_hashes(source_file)[record_id]]) == 0
        assert capsys.readouterr().out.strip().endswith("一致")


def test_postgresql_a_100000_object_office_with_a_sealed_draw_of_5000_moves_whole(
        empty_server, tmp_path, capsys, monkeypatch):
    """About 20 s here (10 s to build the file, 10 s to move it); tests/benchmarks/bench_migrate_to.py times it."""
    from tests.benchmarks.bench_migrate_to import make_source
    from ui.cli import run

    source = make_source(tmp_path / "pc" / "office.sqlite3")
    before = folder_state(source.parent)
    monkeypatch.setenv("SSJ_NEW_PASSWORD", ADMIN_PASSWORD)
    assert run(["--db", str(source), "migrate-to", empty_server, "--admin", "zhangsan"]) == 0
    out, err = capsys.readouterr()
    assert "复制 检查对象 40000/100000" in err and "复制 检查对象 100000/100000" in err
    assert "检查对象 100000" in out and "抽中对象 5000" in out and "抽取记录 1 条重新计算与哈希一致" in out
    assert {k: v for k, v in folder_state(source.parent).items() if not k.endswith(".lock")} == \
        {k: v for k, v in before.items() if not k.endswith(".lock")}
    want = file_counts(source)
    target = open_database(empty_server)
    try:
        with target.read_session() as s:
            for table in metadata.sorted_tables:
                if table.name not in ("users", "settings", "audit_log"):
                    assert s.scalar(select(func.count()).select_from(table)) == want[table.name], table.name
            assert dict(s.execute(select(DrawRecord.id, DrawRecord.record_hash)).all()) == \
                file_record_hashes(source)
    finally:
        target.dispose()
    monkeypatch.setenv("SSJ_PASSWORD", ADMIN_PASSWORD)
    assert run(["--db", empty_server, "--user", "zhangsan", "verify-audit"]) == 0


def test_a_too_short_password_for_the_new_administrator_is_refused_before_anything_is_copied(source_file, tmp_path):
    target = open_database(tmp_path / "target.sqlite3")
    try:
        with transfer.open_source(source_file) as source:
            with pytest.raises(users.AuthError, match="至少需要 8 个字符"):
                transfer.migrate_to(source, target, actor="zhangsan", admin="zhangsan", admin_password="short")
        assert server.rows_in_use(target) == {}
    finally:
        target.dispose()
