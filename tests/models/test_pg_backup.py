"""The office's PostgreSQL database is backed up with pg_dump and restored with pg_restore, as safely as the file.

Needs the test server (SSJ_TEST_DATABASE_URL, e.g. from `bash .ci/postgres.sh`) and the PostgreSQL client
programs (pg_dump, pg_restore, psql); the stories are skipped without them.
"""
from __future__ import annotations

import json
import socket
import subprocess
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text

from models import pg_backup, seats
from models.admin import AuditEntry
from models.audit import verify_chain
from models.db import DatabaseError, encode_seat_field, open_database
from models.pg_restore import restore_server
from models.roster import ObjectType
from tests.reliability.office import ISSUED, office_with_pending_notices
from usecases.notice_batch import render_pending_notices
from usecases.notice_issue import issue_notice


@pytest.fixture
def server(postgres_databases):
    """A fresh server database (its URL); skipped when this machine has no PostgreSQL client programs."""
    try:
        pg_backup.client_tools("pg_dump", "pg_restore", "psql")
    except pg_backup.ToolsMissing:
        pytest.skip("pg_dump / pg_restore / psql are not installed")
    name = postgres_databases.fresh()
    yield postgres_databases.url_of(name)
    postgres_databases.drop(name)


def _names(db):
    with db.session() as s:
        return sorted(s.scalars(select(ObjectType.name)))


def test_backup_then_a_mistake_then_restore_brings_the_backup_back(server, tmp_path):
    db = open_database(server)
    with db.session() as s:
        s.add_all([ObjectType(name="旅馆"), ObjectType(name="网吧")])
    folder = tmp_path / "备份"
    made = pg_backup.backup_server(server, folder=folder)
    assert made.exists() and made.suffix == ".dump" and made.name.endswith("-手动.dump")
    assert made.read_bytes()[:5] == b"PGDMP"
    assert not list(folder.glob("*.part"))

    with db.session() as s:   # the mistake after the backup
        s.scalar(select(ObjectType).where(ObjectType.name == "旅馆")).name = "宾馆"
        s.add(ObjectType(name="典当行"))
    db.dispose()

    result = restore_server(server, made, actor="管理员", folder=folder)
    db = open_database(server)
    assert _names(db) == ["旅馆", "网吧"]
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "从备份恢复"))
        assert entry.user == "管理员" and json.loads(entry.detail)["备份文件"] == made.name
        assert verify_chain(s).ok
    db.dispose()

    # the state just before the restore was dumped as 恢复前, and can itself be restored
    listed = pg_backup.list_server_backups(folder, pg_backup.database_name(server))
    assert {b.reason for b in listed} == {"手动", "恢复前"} and result.before in [b.path for b in listed]
    restore_server(server, result.before, actor="管理员", folder=folder)
    db = open_database(server)
    assert _names(db) == ["典当行", "宾馆", "网吧"]
    with db.session() as s:
        assert [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "从备份恢复"))] == \
            ["从备份恢复"]  # the first restore's entry was made after the 恢复前 dump: it is not in it
        assert verify_chain(s).ok
    db.dispose()


def test_numbers_issued_after_the_backup_are_not_issued_again_and_the_discarded_ones_are_named(server, tmp_path):
    world = office_with_pending_notices(server, pending=3)
    first = world["inspections"][0]
    out = tmp_path / "通知书"
    db = open_database(server)
    issue_notice(db, first, deadline=date(2024, 6, 7), issue_date=ISSUED, actor="内勤", out_dir=out)
    db.dispose()
    taken = pg_backup.backup_server(server, tmp_path / "before-002.dump")

    db = open_database(server)
    made = render_pending_notices(db, out, actor="内勤", issue_date=ISSUED)
    db.dispose()
    assert [n for n, _ in made.written] == ["X公(治)限改字〔2024〕第002号", "X公(治)限改字〔2024〕第003号"]

    restore_server(server, taken, actor="管理员", folder=tmp_path / "备份")
    db = open_database(server)
    again = render_pending_notices(db, out, actor="内勤", issue_date=ISSUED)
    # the two inspections are pending again and get new numbers: 002 and 003 are on paper already
    assert [n for n, _ in again.written] == ["X公(治)限改字〔2024〕第004号", "X公(治)限改字〔2024〕第005号"]
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "从备份恢复"))
        detail = json.loads(entry.detail)
        assert detail["舍弃"]["整改通知书"] == ["X公(治)限改字〔2024〕第002号", "X公(治)限改字〔2024〕第003号"]
        assert detail["文号续编"]["notice"] == {"2024": 3}
        assert verify_chain(s).ok
    db.dispose()


def test_restore_is_refused_while_another_workstation_is_connected(server, tmp_path):
    db = open_database(server)
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    taken = pg_backup.backup_server(server, tmp_path / "a.dump")
    with db.session() as s:
        s.add(ObjectType(name="网吧"))
    db.dispose()

    # another clerk's program on another computer, named as models.db.application_name names it
    name = f"shuangsuiji-desk|{encode_seat_field('治安大队-02')}|{encode_seat_field('张三')}"
    other = create_engine(server, connect_args={"application_name": name})
    with other.connect() as seat:
        seat.execute(text("SELECT 1"))
        with pytest.raises(pg_backup.SeatsConnected) as refused:
            restore_server(server, taken, actor="管理员", folder=tmp_path / "备份")
        assert "还有其他工作站连接着数据库" in str(refused.value)
        assert "计算机 治安大队-02，用户 张三" in str(refused.value)
    other.dispose()
    db = open_database(server)
    assert _names(db) == ["旅馆", "网吧"]   # nothing was replaced
    db.dispose()
    assert not list((tmp_path / "备份").glob("*.dump"))  # nor even a 恢复前 copy made


def test_a_damaged_or_foreign_dump_is_refused_in_chinese_and_nothing_changes(server, tmp_path):
    db = open_database(server)
    with db.session() as s:
        s.add_all([ObjectType(name=f"类型{i}") for i in range(300)])
    db.dispose()
    good = pg_backup.backup_server(server, tmp_path / "good.dump")
    raw = good.read_bytes()

    cut = tmp_path / "cut.dump"
    cut.write_bytes(raw[: len(raw) * 2 // 3])
    with pytest.raises(DatabaseError, match="已损坏或不完整，不能用来恢复"):
        restore_server(server, cut, actor="管理员", folder=tmp_path / "备份")

    garbled = tmp_path / "garbled.dump"
    garbled.write_bytes(raw[:-400] + bytes(b ^ 0x5A for b in raw[-400:]))
    with pytest.raises(DatabaseError, match="已损坏或不完整"):
        pg_backup.check_dump(garbled)

    text_file = tmp_path / "notes.dump"
    text_file.write_text("不是备份", encoding="utf-8")
    with pytest.raises(DatabaseError, match="不是 PostgreSQL 备份"):
        pg_backup.check_dump(text_file)

    sqlite_copy = tmp_path / "单机.dump"
    sqlite_copy.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(DatabaseError, match="单机数据库（SQLite）的备份"):
        pg_backup.check_dump(sqlite_copy)

    with pytest.raises(DatabaseError, match="不存在"):
        pg_backup.check_dump(tmp_path / "nowhere.dump")
    db = open_database(server)
    assert len(_names(db)) == 300
    db.dispose()
    assert not (tmp_path / "备份").exists()


def test_a_dump_whose_audit_log_was_edited_is_refused(server, tmp_path, postgres_databases):
    db = open_database(server)
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
        from models import audit

        audit.append(s, user="内勤", action="新增类型", entity="object_type", entity_id="1")
    db.dispose()
    # someone with the server's superuser edits the log (the app's triggers refuse it: they are switched off)
    engine = create_engine(server)
    with engine.begin() as conn:
        conn.execute(text("SET session_replication_role = replica"))
        conn.execute(text("UPDATE audit_log SET \"user\" = '别人' WHERE action = '新增类型'"))
    engine.dispose()
    edited = pg_backup.backup_server(server, tmp_path / "edited.dump")
    with pytest.raises(DatabaseError, match="审计日志被改动过"):
        pg_backup.check_dump(edited)


def test_without_the_client_programs_the_clerk_is_told_to_install_them(server, tmp_path, monkeypatch):
    monkeypatch.setattr(pg_backup, "candidate_dirs", list)
    with pytest.raises(pg_backup.ToolsMissing, match="请在本机安装 PostgreSQL 客户端工具"):
        pg_backup.backup_server(server, tmp_path / "x.dump")


def test_the_password_goes_to_pg_dump_in_its_environment_not_on_its_command_line(tmp_path, monkeypatch):
    seen = {}

    def fake_run(args, env=None, **kwargs):
        seen["args"], seen["env"] = args, env
        return subprocess.CompletedProcess(args, 1, b"", b"pg_dump: error: connection to server at \"db\" failed: "
                                           b"FATAL:  password authentication failed for user \"ssj\"")

    monkeypatch.setattr(pg_backup, "client_tools", lambda *names: {n: tmp_path / n for n in names})
    monkeypatch.setattr(pg_backup.subprocess, "run", fake_run)
    with pytest.raises(DatabaseError, match="用户名或密码错误"):
        pg_backup.backup_server("postgresql+psycopg://ssj:s3cret@db.office:5433/ssj", tmp_path / "x.dump")
    assert not any("s3cret" in str(a) for a in seen["args"])
    assert seen["env"]["PGPASSWORD"] == "s3cret"
    assert (seen["env"]["PGHOST"], seen["env"]["PGPORT"], seen["env"]["PGUSER"], seen["env"]["PGDATABASE"]) == \
        ("db.office", "5433", "ssj", "ssj")


def test_who_is_on_lists_this_workstation_and_the_others(server):
    db = open_database(server)
    name = f"shuangsuiji-desk|{encode_seat_field('网安大队-01')}|lisi"
    other = create_engine(server, connect_args={"application_name": name})
    with other.connect() as seat:
        seat.execute(text("SELECT 1"))
        found = seats.connected_seats(db)
    other.dispose()
    db.dispose()
    mine = [s for s in found if s.this_program]
    assert len(mine) == 1 and mine[0].workstation == socket.gethostname()
    assert any(s.workstation == "网安大队-01" and s.user == "lisi" and s.since is not None for s in found)


@pytest.fixture
def owner_server(postgres_databases):
    """A database owned by an ordinary role (no superuser, no CREATEDB), as installer/README.md sets one up."""
    try:
        pg_backup.client_tools("pg_dump", "pg_restore", "psql")
    except pg_backup.ToolsMissing:
        pytest.skip("pg_dump / pg_restore / psql are not installed")
    from sqlalchemy.engine import make_url

    role = database = f"{postgres_databases.prefix}_owner"
    postgres_databases.drop(database)
    postgres_databases._execute(f"DROP ROLE IF EXISTS {role}")
    postgres_databases._execute(f"CREATE ROLE {role} LOGIN PASSWORD 'owner:pw@1'")
    postgres_databases._execute(f"CREATE DATABASE {database} OWNER {role}")
    url = make_url(postgres_databases.url_of(database)).set(username=role, password="owner:pw@1")
    yield url.render_as_string(hide_password=False)
    postgres_databases.drop(database)
    postgres_databases._execute(f"DROP ROLE IF EXISTS {role}")


def test_an_ordinary_owner_role_backs_up_and_restores_and_sees_the_superusers_session(
        owner_server, postgres_databases, tmp_path):
    db = open_database(owner_server)
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    taken = pg_backup.backup_server(owner_server, tmp_path / "owner.dump")
    with db.session() as s:
        s.add(ObjectType(name="网吧"))
    db.dispose()
    # a session of another role (here the server's superuser in psql) shows only its role and program to
    # an ordinary role: it must still count
    admin = create_engine(postgres_databases.url.set(database=pg_backup.database_name(owner_server)),
                          connect_args={"application_name": "psql"})
    with admin.connect() as conn:
        conn.execute(text("SELECT 1"))
        with pytest.raises(pg_backup.SeatsConnected, match=r"未知计算机，用户 postgres（psql）"):
            restore_server(owner_server, taken, actor="管理员", folder=tmp_path / "备份")
    admin.dispose()
    restore_server(owner_server, taken, actor="管理员", folder=tmp_path / "备份")
    db = open_database(owner_server)
    assert _names(db) == ["旅馆"]
    db.dispose()
