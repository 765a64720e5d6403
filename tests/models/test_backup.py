"""Backups keep the office's records safe: online copies, a daily one, pruning, and restoring with a 恢复前 copy."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import backup
from models.db import DatabaseError, open_database
from models.roster import ObjectType

pytestmark = pytest.mark.sqlite_only("file backups with SQLite's online backup and file restores; "
                                     "the server's pg_dump/pg_restore stories are tests/models/test_pg_backup.py")


def _names(db):
    with db.session() as s:
        return sorted(s.scalars(select(ObjectType.name)))


def test_backup_and_restore_round_trip(db_path, tmp_path):
    db = open_database(db_path)
    with db.session() as s:
        s.add_all([ObjectType(name="旅馆"), ObjectType(name="网吧")])
    folder = tmp_path / "backups"
    made = backup.backup_now(db_path, folder=folder)
    assert made.exists() and made.name.endswith("-手动.sqlite3")

    # a mistake after the backup: one type renamed, another added
    with db.session() as s:
        s.scalar(select(ObjectType).where(ObjectType.name == "旅馆")).name = "宾馆"
        s.add(ObjectType(name="典当行"))
    assert _names(db) == ["典当行", "宾馆", "网吧"]

    db.dispose()
    before = backup.restore(db_path, made, folder=folder)
    db = open_database(db_path)
    assert _names(db) == ["旅馆", "网吧"]
    db.dispose()

    # the state just before the restore was kept, and can itself be restored
    assert before is not None and "恢复前" in before.name
    listed = backup.list_backups(folder)
    assert {b.reason for b in listed} == {"手动", "恢复前"}
    assert listed[0].size > 0 and listed[0].size_text().endswith("KB")
    backup.restore(db_path, before, folder=folder)
    db = open_database(db_path)
    assert _names(db) == ["典当行", "宾馆", "网吧"]
    db.dispose()


def test_a_backup_taken_while_the_database_is_open_is_complete(db, tmp_path):
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    # the change may still sit in the -wal file; the online backup must include it
    target = backup.backup_now(db.path, tmp_path / "copy.sqlite3")
    con = sqlite3.connect(target)
    assert con.execute("SELECT name FROM object_types").fetchall() == [("旅馆",)]
    con.close()


def test_the_daily_backup_is_taken_once_a_day_and_only_thirty_automatic_ones_are_kept(db, tmp_path):
    folder = tmp_path / "backups"
    manual = backup.backup_now(db.path, folder=folder)
    start = date(2025, 1, 1)
    for day in range(35):
        assert backup.daily_backup_if_due(db.path, folder, today=start + timedelta(days=day)) is not None
    assert backup.daily_backup_if_due(db.path, folder, today=start + timedelta(days=34)) is None
    kept = backup.list_backups(folder, db.path.stem)
    daily = [b for b in kept if b.reason == "每日"]
    assert len(daily) == 30
    assert min(b.time.date() for b in daily) == start + timedelta(days=5)
    assert manual.exists(), "a manual backup is never pruned"


def test_restore_refuses_a_foreign_or_damaged_file_and_leaves_the_database_alone(db, tmp_path):
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    db.dispose()
    foreign = tmp_path / "notes.sqlite3"
    foreign.write_bytes(b"just some text, not a database" * 100)
    with pytest.raises(DatabaseError, match="不是本软件的数据库"):
        backup.restore(db.path, foreign, folder=tmp_path / "b")
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="不是本软件的数据库或其备份"):
        backup.restore(db.path, other, folder=tmp_path / "b")
    with pytest.raises(DatabaseError, match="不存在"):
        backup.restore(db.path, tmp_path / "missing.sqlite3")
    db2 = open_database(db.path)
    assert _names(db2) == ["旅馆"]
    db2.dispose()


def test_a_damaged_database_can_still_be_replaced_from_a_backup(db, tmp_path):
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    good = backup.backup_now(db.path, folder=tmp_path / "b")
    db.dispose()
    db.path.write_bytes(b"\0" * 8192)
    with pytest.raises(DatabaseError):
        open_database(db.path)
    before = backup.restore(db.path, good, folder=tmp_path / "b")
    assert before.read_bytes() == b"\0" * 8192
    db2 = open_database(db.path)
    assert _names(db2) == ["旅馆"]
    db2.dispose()


def test_the_backup_folder_setting_is_read_before_the_database_is_opened(db, tmp_path):
    from models import settings
    from models.paths import backup_dir_for

    assert backup.backup_folder(db.path) == backup_dir_for(db.path)
    with db.session() as s:
        settings.set(s, "backup_dir", str(tmp_path / "elsewhere"), actor="a")
    assert backup.backup_folder(db.path) == tmp_path / "elsewhere"


def _big_database(path, rows=3000):
    db = open_database(path)
    with db.session() as s:
        s.add_all([ObjectType(name=f"类型{i:05d}" + "某" * 40) for i in range(rows)])
    db.dispose()


def test_a_garbled_page_in_the_middle_gives_a_clear_message(tmp_path):
    path = tmp_path / "office.sqlite3"
    _big_database(path)
    size = path.stat().st_size
    page = 4096
    middle = (size // page // 2) * page
    with open(path, "r+b") as f:
        f.seek(middle)
        f.write(bytes([0xA5]) * page)
    with pytest.raises(DatabaseError) as caught:
        open_database(path)
    message = str(caught.value)
    assert "损坏" in message or "完整性检查未通过" in message
    assert "备份" in message
    # One readable message for the clerk, not SQLite's list of every damaged page.
    assert len(message) < 400 and "\n" not in message


def test_the_quick_schema_check_at_start_agrees_with_alembic():
    from models.db import head_from_scripts
    from models.migrate import head_revision

    assert head_from_scripts() == head_revision()


def test_a_schema_upgrade_backs_up_the_old_file_first(tmp_path):
    from alembic import command

    from models.db import make_engine
    from models.migrate import alembic_config, head_revision

    # An office database written by the first release (schema 0001), holding one record.
    path = tmp_path / "office.sqlite3"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO object_types (name) VALUES ('旅馆')")
    engine.dispose()

    db = open_database(path, backup_dir=tmp_path / "backups")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    assert _names(db) == ["旅馆"]
    db.dispose()
    [made] = backup.list_backups(tmp_path / "backups", "office")
    assert made.reason == backup.REASON_UPGRADE
    con = sqlite3.connect(made.path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert con.execute("SELECT name FROM object_types").fetchall() == [("旅馆",)]
    finally:
        con.close()
