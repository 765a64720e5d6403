"""Log-in to current guidance: scrypt N=2^17 with a transparent rehash, 8-character passwords, bounded
names, backup and restore for administrators only, and an honest audit trail with log-in off."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import backup, settings, users
from models.admin import AuditEntry, User
from models.db import open_database
from ui.cli import run


@pytest.mark.full_cost_hashes
def test_an_old_cheap_hash_is_rewritten_at_full_cost_on_the_next_log_in(db, monkeypatch):
    with db.session() as s:
        monkeypatch.setattr(users, "SCRYPT_N", 2 ** 14)          # an account from an earlier version
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
    monkeypatch.setattr(users, "SCRYPT_N", 2 ** 17)
    with db.session() as s:
        assert s.scalar(select(User.password_hash)).startswith("scrypt$16384$")
        users.authenticate(s, "admin", "admin-pass")
    with db.session() as s:
        stored = s.scalar(select(User.password_hash))
        assert stored.startswith("scrypt$131072$8$1$")        # 128 MiB: needs scrypt's maxmem raised
        assert users.verify_password("admin-pass", stored) and not users.needs_rehash(stored)
        users.authenticate(s, "admin", "admin-pass")            # and it still logs in


def test_a_stored_hash_with_an_absurd_cost_is_refused_not_computed():
    assert not users.verify_password("x", "scrypt$1073741824$8$1$00$00")


def test_passwords_need_eight_characters_and_names_have_limits(db):
    with db.session() as s:
        with pytest.raises(users.AuthError, match="至少需要 8 个字符"):
            users.create_user(s, "admin", "1234567", "管理员", actor="setup")
        with pytest.raises(users.AuthError, match="用户名过长"):
            users.create_user(s, "名" * 51, "admin-pass", "管理员", actor="setup")
        with pytest.raises(users.AuthError, match="显示名称过长"):
            users.create_user(s, "admin", "admin-pass", "管理员", actor="setup", display_name="长" * 51)
        with pytest.raises(users.AuthError, match="密码过长"):
            users.create_user(s, "admin", "x" * 257, "管理员", actor="setup")


@pytest.fixture
def with_login(db_path, monkeypatch):
    db = open_database(db_path)
    with db.session() as s:
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
        users.create_user(s, "clerk", "clerk-pass", "录入员", actor="admin")
        settings.set(s, "login_enabled", True, actor="admin")
    db.dispose()
    return db_path


def test_backup_and_restore_need_an_administrator_when_log_in_is_on(with_login, tmp_path, monkeypatch, capsys):
    copy = backup.backup_now(with_login, tmp_path / "copy.sqlite3")
    monkeypatch.setenv("SSJ_PASSWORD", "clerk-pass")
    assert run(["--db", str(with_login), "--user", "clerk", "backup", str(tmp_path / "mine.sqlite3")]) == 1
    assert "只有管理员" in capsys.readouterr().err and not (tmp_path / "mine.sqlite3").exists()
    assert run(["--db", str(with_login), "--user", "clerk", "restore", str(copy), "--yes"]) == 1
    assert "只有管理员" in capsys.readouterr().err
    assert run(["--db", str(with_login), "backup", str(tmp_path / "anon.sqlite3")]) == 1   # nobody logged in
    capsys.readouterr()
    monkeypatch.setenv("SSJ_PASSWORD", "admin-pass")
    assert run(["--db", str(with_login), "--user", "admin", "backup", str(tmp_path / "mine.sqlite3")]) == 0
    assert run(["--db", str(with_login), "--user", "admin", "restore", str(copy), "--yes"]) == 0
    db = open_database(with_login)
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "从备份恢复"))
        assert entry.user == "admin"
    db.dispose()


def test_with_log_in_off_the_audit_log_keeps_the_os_user_and_marks_a_claimed_name(db_path, monkeypatch):
    open_database(db_path).dispose()
    monkeypatch.setattr(users, "os_user", lambda: "alice")
    assert run(["--db", str(db_path), "--user", "局长", "set-setting", "bureau_name", "某局"]) == 0
    assert run(["--db", str(db_path), "set-setting", "bureau_name", "某某局"]) == 0
    db = open_database(db_path)
    with db.session() as s:
        who = list(s.scalars(select(AuditEntry.user).where(AuditEntry.action == "修改设置").order_by(AuditEntry.id)))
        assert who == ["局长（未验证；系统用户 alice）", "alice"]
        assert all(len(w) <= 50 for w in who)
        assert json.loads(s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "修改设置")))
    db.dispose()
    assert len(users.unverified_actor("名" * 80)) == 50


def test_over_a_damaged_database_the_backups_own_accounts_decide_who_restores(with_login, tmp_path, monkeypatch,
                                                                              capsys):
    from tests.reliability.damage import index_named_in_bytes_that_are_not_text

    copy = backup.backup_now(with_login, tmp_path / "copy.sqlite3")
    index_named_in_bytes_that_are_not_text(with_login)
    assert run(["--db", str(with_login), "restore", str(copy), "--yes"]) == 1
    assert "请用 --user 指定一名管理员" in capsys.readouterr().err
    monkeypatch.setenv("SSJ_PASSWORD", "clerk-pass")
    assert run(["--db", str(with_login), "--user", "clerk", "restore", str(copy), "--yes"]) == 1
    assert "只有管理员" in capsys.readouterr().err
    monkeypatch.setenv("SSJ_PASSWORD", "wrong-password")
    assert run(["--db", str(with_login), "--user", "admin", "restore", str(copy), "--yes"]) == 1
    assert "按备份中的用户账户核对" in capsys.readouterr().err
    monkeypatch.setenv("SSJ_PASSWORD", "admin-pass")
    assert run(["--db", str(with_login), "--user", "admin", "restore", str(copy), "--yes"]) == 0
    db = open_database(with_login)
    with db.session() as s:
        assert s.scalar(select(AuditEntry.user).where(AuditEntry.action == "从备份恢复")) == "admin"
    db.dispose()
