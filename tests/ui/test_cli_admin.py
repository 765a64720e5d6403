"""From the command line an administrator backs up, restores (with confirmation) and manages settings and users."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from models import backup, settings, users
from models.db import open_database
from models.roster import ObjectType
from ui.cli import run


def _types(path):
    db = open_database(path)
    try:
        with db.session() as s:
            return sorted(s.scalars(select(ObjectType.name)))
    finally:
        db.dispose()


@pytest.fixture
def office(db, db_target):
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    return db_target


FILE_BACKUP = ("a backup file of the SQLite database copied back over it; the server's pg_dump/pg_restore "
               "stories are tests/ui/test_cli_pg_backup.py")


class _Stdin(io.StringIO):
    def __init__(self, text="", tty=False):
        super().__init__(text)
        self._tty = tty

    def isatty(self):
        return self._tty


def _add_type(path, name):
    db = open_database(path)
    with db.session() as s:
        s.add(ObjectType(name=name))
    db.dispose()


@pytest.mark.sqlite_only(FILE_BACKUP)
def test_backup_then_restore_with_yes(office, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin())
    target = tmp_path / "copy.sqlite3"
    assert run(["--db", str(office), "backup", str(target)]) == 0
    assert "已备份到" in capsys.readouterr().out
    _add_type(office, "网吧")
    assert run(["--db", str(office), "restore", str(target), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "已从" in out and "恢复前的数据库已备份为" in out
    assert _types(office) == ["旅馆"]
    assert run(["--db", str(office), "list-backups"]) == 0
    assert "恢复前" in capsys.readouterr().out


@pytest.mark.sqlite_only(FILE_BACKUP)
def test_restore_without_yes_and_without_a_terminal_is_refused(office, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin())
    target = tmp_path / "copy.sqlite3"
    run(["--db", str(office), "backup", str(target)])
    _add_type(office, "网吧")
    assert run(["--db", str(office), "restore", str(target)]) == 1
    assert "请加 --yes 确认" in capsys.readouterr().err
    assert _types(office) == ["旅馆", "网吧"]


@pytest.mark.sqlite_only(FILE_BACKUP)
def test_restore_asks_on_a_terminal(office, tmp_path, capsys, monkeypatch):
    target = tmp_path / "copy.sqlite3"
    run(["--db", str(office), "backup", str(target)])
    _add_type(office, "网吧")
    monkeypatch.setattr("sys.stdin", _Stdin(tty=True))
    monkeypatch.setattr("builtins.input", lambda prompt: "否")
    assert run(["--db", str(office), "restore", str(target)]) == 1
    assert "已取消" in capsys.readouterr().out
    assert _types(office) == ["旅馆", "网吧"]
    monkeypatch.setattr("builtins.input", lambda prompt: "是")
    assert run(["--db", str(office), "restore", str(target)]) == 0
    assert _types(office) == ["旅馆"]


@pytest.mark.sqlite_only(FILE_BACKUP)
def test_a_damaged_database_is_restored_from_the_command_line(office, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin())
    target = tmp_path / "copy.sqlite3"
    run(["--db", str(office), "backup", str(target)])
    Path(office).write_bytes(b"garbage" * 1000)
    assert run(["--db", str(office), "show-settings"]) == 1
    assert "不是本软件的数据库" in capsys.readouterr().err
    assert run(["--db", str(office), "restore", str(target), "--yes"]) == 0
    assert _types(office) == ["旅馆"]


def test_settings_from_the_command_line(office, capsys):
    assert run(["--db", str(office), "set-setting", "bureau_name", "沂源县公安局"]) == 0
    assert run(["--db", str(office), "set-setting", "notice_number_pattern", "无序号"]) == 1
    assert "文号格式" in capsys.readouterr().err
    run(["--db", str(office), "show-settings"])
    assert "沂源县公安局" in capsys.readouterr().out


@pytest.fixture
def with_login(office, monkeypatch):
    db = open_database(office)
    with db.session() as s:
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
        users.create_user(s, "viewer", "viewer-pass", "只读", actor="admin")
        settings.set(s, "login_enabled", True, actor="admin")
    db.dispose()
    monkeypatch.setattr("sys.stdin", _Stdin())
    return office


def test_with_login_on_the_command_line_needs_a_user_and_password(with_login, capsys, monkeypatch):
    assert run(["--db", str(with_login), "show-settings"]) == 1
    assert "--user" in capsys.readouterr().err
    assert run(["--db", str(with_login), "--user", "admin", "show-settings"]) == 1
    assert "SSJ_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("SSJ_PASSWORD", "wrong")
    assert run(["--db", str(with_login), "--user", "admin", "show-settings"]) == 1
    assert "登录失败" in capsys.readouterr().err
    monkeypatch.setenv("SSJ_PASSWORD", "admin-pass")
    assert run(["--db", str(with_login), "--user", "admin", "set-setting", "bureau_name", "某局"]) == 0
    db = open_database(with_login)
    with db.session() as s:
        from models.admin import AuditEntry

        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "修改设置")
                          .order_by(AuditEntry.id.desc())).first()
        assert entry.user == "admin"
    db.dispose()


@pytest.mark.sqlite_only(FILE_BACKUP)
def test_a_read_only_user_cannot_change_or_restore_from_the_command_line(with_login, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SSJ_PASSWORD", "viewer-pass")
    assert run(["--db", str(with_login), "--user", "viewer", "set-setting", "bureau_name", "某局"]) == 1
    assert "管理员" in capsys.readouterr().err
    target = backup.backup_now(with_login, tmp_path / "copy.sqlite3")
    assert run(["--db", str(with_login), "--user", "viewer", "restore", str(target), "--yes"]) == 1
    assert "只有管理员" in capsys.readouterr().err
    assert run(["--db", str(with_login), "--user", "viewer", "list-users"]) == 0
    assert "viewer\t\t只读\t正常" in capsys.readouterr().out


def test_an_administrator_adds_a_user_from_the_command_line(office, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Stdin())
    monkeypatch.setenv("SSJ_NEW_PASSWORD", "first-admin")
    assert run(["--db", str(office), "add-user", "zhang", "--role", "管理员", "--name", "张三"]) == 0
    assert run(["--db", str(office), "list-users"]) == 0
    assert "zhang\t张三\t管理员\t正常" in capsys.readouterr().out


def test_the_self_test_renders_a_notice_and_an_export_and_exits_zero(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(root / "main.py"), "--self-test"], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "通知书：已按自带模板生成" in result.stdout
    assert result.stdout.strip().endswith("自检通过。")


def test_the_self_test_reports_a_broken_step_in_chinese(tmp_path, monkeypatch):
    from usecases import selftest

    monkeypatch.setattr("reports.notice_docs.default_template_dir", lambda: tmp_path / "missing")
    with pytest.raises(Exception):
        selftest.run_self_test(tmp_path / "work")
    assert selftest.main_self_test() == 1
