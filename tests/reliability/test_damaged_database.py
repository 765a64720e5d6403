"""A damaged database always says so in Chinese, and the clerk can restore it from the command line.

The outside test found: SQLite's report in bytes that are not UTF-8 crashed the opening; a third
of random damage passed quick_check unnoticed; `restore` opened the damaged file first and
crashed too, so the clerk could not recover at all.
"""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlalchemy import select

from models import backup
from models.db import DatabaseError, open_database
from models.db_checks import check_is_our_database
from models.roster import ObjectType
from tests.reliability.damage import flip_random_bytes, index_named_in_bytes_that_are_not_text
from ui.cli import run

DAMAGED = "已损坏，请从备份恢复"


@pytest.fixture
def office(db_path, tmp_path):
    """A database with two object types and a manual backup of it in backups/."""
    db = open_database(db_path)
    with db.session() as s:
        s.add_all([ObjectType(name="旅馆"), ObjectType(name="网吧")])
    db.dispose()
    made = backup.backup_now(db_path, tmp_path / "good.sqlite3")
    return db_path, made


def _types(path):
    db = open_database(path)
    try:
        with db.session() as s:
            return sorted(s.scalars(select(ObjectType.name)))
    finally:
        db.dispose()


def test_a_report_in_bytes_that_are_not_text_gives_the_chinese_message(office):
    path, _good = office
    index_named_in_bytes_that_are_not_text(path)
    with pytest.raises(DatabaseError, match=DAMAGED) as raised:
        open_database(path)
    assert "x\ufffd" in str(raised.value)  # SQLite's words, with the undecodable byte shown, not a crash


def test_damage_quick_check_misses_is_found_at_start(office):
    path, _good = office
    index_named_in_bytes_that_are_not_text(path)
    con = sqlite3.connect(str(path))
    con.text_factory = bytes
    assert con.execute("PRAGMA quick_check").fetchall() == [(b"ok",)]  # the quick check sees nothing
    con.close()
    with pytest.raises(DatabaseError, match=DAMAGED):
        check_is_our_database(path)


def test_the_clerk_restores_a_damaged_database_from_the_command_line(office, capsys):
    path, good = office
    index_named_in_bytes_that_are_not_text(path)
    assert run(["--db", str(path), "show-settings"]) == 1
    assert DAMAGED in capsys.readouterr().err

    assert run(["--db", str(path), "restore", str(good), "--yes"]) == 0
    out = capsys.readouterr()
    assert "已从" in out.out and "无法打开" in out.err
    assert _types(path) == ["旅馆", "网吧"]
    # the damaged file was put aside, not thrown away
    aside = [b for b in backup.list_backups(backup.backup_folder(path)) if b.reason == "恢复前"]
    assert len(aside) == 1 and aside[0].size > 0


def test_a_file_that_is_garbage_from_the_first_page_is_restored_too(office, capsys):
    path, good = office
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page is gone
    path.write_bytes(bytes(data))
    assert run(["--db", str(path), "show-settings"]) == 1
    assert DAMAGED in capsys.readouterr().err
    assert run(["--db", str(path), "restore", str(good), "--yes"]) == 0
    assert _types(path) == ["旅馆", "网吧"]


@pytest.mark.parametrize("seed", range(12))
def test_random_damage_is_refused_in_chinese_or_harmless_and_always_restorable(office, seed, capsys):
    path, good = office
    flip_random_bytes(path, seed)
    try:
        _types(path)
    except DatabaseError as e:
        assert "请从备份恢复" in str(e) or "不是本软件的数据库" in str(e)
    assert run(["--db", str(path), "restore", str(good), "--yes"]) == 0, capsys.readouterr().err
    assert _types(path) == ["旅馆", "网吧"]


def test_a_bit_flipped_backup_is_refused_with_the_reason_and_nothing_is_replaced(office, tmp_path, capsys):
    path, good = office
    bad = tmp_path / "flipped.sqlite3"
    shutil.copy(good, bad)
    index_named_in_bytes_that_are_not_text(bad)
    before = path.read_bytes()
    assert run(["--db", str(path), "restore", str(bad), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "不能用此备份恢复" in err and DAMAGED in err and "Traceback" not in err
    assert path.read_bytes() == before


def test_a_backup_whose_audit_chain_was_edited_is_refused_before_anything_is_replaced(office, tmp_path, capsys):
    path, good = office
    db = open_database(path)
    from models import audit

    with db.session() as s:
        audit.append(s, user="内勤", action="修改设置", entity="setting", entity_id="x", detail={"a": 1})
        audit.append(s, user="内勤", action="修改设置", entity="setting", entity_id="y", detail={"a": 2})
    db.dispose()
    tampered = backup.backup_now(path, tmp_path / "tampered.sqlite3")
    con = sqlite3.connect(str(tampered))
    # the tamperer knows SQL: the triggers that lock the log are dropped first
    for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log'"):
        con.execute(f'DROP TRIGGER "{trigger}"')
    con.execute("UPDATE audit_log SET user = '他人' WHERE id = (SELECT MIN(id) FROM audit_log)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="审计日志被改动过"):
        backup.restore(path, tampered)
    assert run(["--db", str(path), "restore", str(tampered), "--yes"]) == 1
    assert "审计日志被改动过" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_killed_backup_leaves_a_part_file_the_next_backup_removes(office, tmp_path):
    import os
    import time

    path, _good = office
    folder = backup.backup_folder(path)
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / "test-20240101-000000-手动.sqlite3.part"
    left.write_bytes(b"half a copy")
    old = time.time() - 3600
    os.utime(left, (old, old))
    fresh = folder / "test-20240101-000001-手动.sqlite3.part"  # another backup may be at work on this one
    fresh.write_bytes(b"in progress")
    backup.backup_now(path)
    assert not left.exists() and fresh.exists()


def test_a_schema_text_altered_behind_sqlites_back_is_refused_at_opening(office):
    path, _good = office
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA writable_schema=ON")
    con.execute("UPDATE sqlite_master SET sql = replace(sql, 'created_at', 'created_xx') WHERE name = 'notices'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="表 notices 缺少列 created_at"):
        open_database(path)
