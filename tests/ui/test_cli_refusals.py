"""Every refusal a clerk can meet on the command line is a Chinese sentence and an exit code, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from models import settings, users
from models.roster import ObjectType
from ui.cli import run, wants_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office_with_viewer(db, db_target, monkeypatch):
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
        users.create_user(s, "viewer", "viewer-pass", "只读", actor="admin")
        settings.set(s, "login_enabled", True, actor="admin")
    monkeypatch.setenv("SSJ_PASSWORD", "viewer-pass")
    monkeypatch.setenv("SSJ_NEW_PASSWORD", "li-password")
    return db_target


@pytest.mark.parametrize("command", [
    ["holiday", "--add", "2027-01-05", "--holiday", "--name", "试"],
    ["add-user", "li", "--role", "录入员", "--name", "李"],
    ["set-setting", "bureau_name", "某局"],
])
def test_a_read_only_clerk_is_refused_in_chinese(office_with_viewer, capsys, command):
    code = run(["--db", str(office_with_viewer), "--user", "viewer", *command])
    err = capsys.readouterr().err
    assert code == 1
    assert "只读" in err or "只有管理员" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("argv", "expected"), [
    (["draw", "--year", "abc"], "参数 --year：值 'abc' 无效（应为整数）"),
    (["stats", "--bogus"], "无法识别的参数：--bogus"),
    (["link-item", "--year", "2022"], "缺少必需的参数"),
    (["no-such-command"], "无效的选项 'no-such-command'"),
])
def test_bad_arguments_are_refused_in_chinese(db_path, capsys, argv, expected):
    with pytest.raises(SystemExit) as exit_info:
        run(["--db", str(db_path), *argv])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert expected in err
    assert "用法：" in err and "usage:" not in err


def test_a_mistyped_command_does_not_open_a_window():
    assert wants_cli(["no-such-command"])
    assert wants_cli(["--db", "x.sqlite3", "stats"])
    assert not wants_cli(["--db", "x.sqlite3"])
    assert not wants_cli(["-platform", "offscreen", "--user", "li"])


def test_help_is_in_chinese():
    out = subprocess.run([sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=False)
    assert out.returncode == 0
    assert out.stdout.startswith("用法：")
    assert "显示此帮助并退出" in out.stdout and "show this help" not in out.stdout
