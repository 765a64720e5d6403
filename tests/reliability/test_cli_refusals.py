"""The command line answers bad input in Chinese and never with a traceback.

The outside test got tracebacks for absurd integers, output paths that are folders, missing,
below a file or unwritable, a huge `workdays --add` (which also ran for 20 s), deeply nested
JSON given to `verify-draw`, and a 只读 user's refused write.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from models import settings, users
from models.db import open_database
from tests.reliability.office import office_with_pending_notices
from ui.cli import run

HUGE = "99999999999999999999"


@pytest.fixture
def office(db_target):
    """Two inspections waiting for their notices, in the test's SQLite file or PostgreSQL database."""
    office_with_pending_notices(db_target, pending=2)
    return db_target


def _refused(capsys, code: int, expected: int = 1) -> str:
    err = capsys.readouterr().err
    assert code == expected, err
    assert "Traceback" not in err and err.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err), err  # said in Chinese
    return err


@pytest.mark.parametrize("argv", [
    ["workdays", "--from", "2024-05-06", "--add", HUGE],
    ["seal", "--year", "2024", "--item", "1", "--round", HUGE, "--entropy-source", "x"],
    ["export-results", "--year", HUGE, "out.docx"],
    ["notice", "--object", "x", "--draw", HUGE, "--out", "x.docx"],
    ["show-plan", "--year", f"-{HUGE}"],
])
def test_an_absurd_integer_is_refused_in_chinese(office, argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(["--db", str(office), *argv])
    err = _refused(capsys, exit_info.value.code, expected=2)
    assert "超出范围" in err or "无效" in err or "缺少" in err


def test_a_huge_working_day_count_is_refused_at_once(office, capsys):
    started = time.monotonic()
    code = run(["--db", str(office), "workdays", "--from", "2024-05-06", "--add", "999999999"])
    assert "超出范围" in _refused(capsys, code)
    assert time.monotonic() - started < 5
    code = run(["--db", str(office), "workdays", "--from", "9999-12-20", "--add", "30"])
    assert "日历范围" in _refused(capsys, code)


def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if sys.platform != "linux":
        pytest.skip("as root, only Linux offers a folder nobody may write (/sys)")
    return Path("/sys")


@pytest.mark.parametrize("case", ["folder", "missing folder", "below a file", "unwritable"])
def test_an_output_path_that_cannot_be_written_is_explained(office, tmp_path, case, capsys):
    a_file = tmp_path / "a-file.txt"
    a_file.write_text("x")
    target = {"folder": tmp_path, "missing folder": tmp_path / "no" / "such" / "out.docx",
              "below a file": a_file / "out.docx", "unwritable": _unwritable(tmp_path) / "out.docx"}[case]
    # a backup (which makes a missing folder) and a batch of notices (into a folder)
    code = run(["--db", str(office), "backup", str(target)])
    if case == "missing folder":
        assert code == 0 and target.is_file()
        capsys.readouterr()
    else:
        _refused(capsys, code)
    if case != "missing folder":  # a missing folder for a batch is simply created
        out_dir = target if case == "folder" else target.parent / "notices" if case != "below a file" else a_file
        code = run(["--db", str(office), "notice", "--all-pending", "--out-dir", str(out_dir), "--issue-date",
                    "2024-05-07"])
        if case == "folder":
            assert code == 0  # a folder is what --out-dir wants
            capsys.readouterr()
        else:
            _refused(capsys, code)


def test_deeply_nested_json_given_to_verify_draw_is_refused(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    code = run(["verify-draw", str(deep)])
    assert code != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RecursionError" not in err


def test_a_read_only_users_writes_are_refused_in_chinese(office, monkeypatch, capsys):
    db = open_database(office)
    with db.session() as s:
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
        users.create_user(s, "viewer", "viewer-pass", "只读", actor="admin")
        settings.set(s, "login_enabled", True, actor="admin")
    db.dispose()
    monkeypatch.setenv("SSJ_PASSWORD", "viewer-pass")
    for argv in (["set-setting", "bureau_name", "某局"], ["notice", "--all-pending", "--out-dir", "x"],
                 ["holiday", "--add", "2024-05-06", "--holiday", "--name", "测试"], ["backup"]):
        code = run(["--db", str(office), "--user", "viewer", *argv])
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err and ("管理员" in err or "只读" in err), (argv, err)


def test_anything_unforeseen_still_ends_in_chinese_not_a_traceback(office, monkeypatch, capsys):
    import ui.cli.admin_cmds as admin_cmds

    def broken(*_a, **_k):
        raise KeyError("unforeseen")

    monkeypatch.setattr(admin_cmds.settings, "all_settings", broken)
    code = run(["--db", str(office), "show-settings"])
    err = _refused(capsys, code, expected=2)
    assert "发生意外错误" in err and "软件的缺陷" in err
