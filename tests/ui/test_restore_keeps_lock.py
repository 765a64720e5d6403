"""After a restore on screen the app still holds the database: a second program is refused, by any name.

The lock is keyed on the file itself, and a restore puts a new file at the path. The command line
moved its lock onto the new file; the app did not, so a second program reaching the restored file
through a hard link got past the lock while the app was writing.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from models import backup
from models.db import open_database
from models.lock import DatabaseInUse, DatabaseLock
from models.roster import ObjectType
from ui.app import build_main_window

ROOT = Path(__file__).resolve().parents[2]
IN_USE = "数据库正在被另一个程序使用"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="hard links and flock are POSIX here")


def _second_program(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # A writing command: readers (list-draws, stats …) may run beside the app.
    return subprocess.run([sys.executable, "main.py", "--db", str(path), "set-setting", "bureau_name", "某局"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_restore_from_the_settings_screen_keeps_a_second_program_out(db_path, tmp_path, qtbot, no_modal_dialogs):
    lock = DatabaseLock(db_path).acquire()
    window = build_main_window(db_path, lock=lock)
    qtbot.addWidget(window)
    try:
        page = window.show_section("settings")
        page.show_backups()
        tab = page.backups
        with window.ctx.db.session() as s:
            s.add(ObjectType(name="旅馆"))
        tab.backup_button.click()
        tab.table.selectRow(0)
        tab.restore_button.click()
        assert no_modal_dialogs[-1][0] == "information" and "已从备份恢复" in no_modal_dialogs[-1][1]

        link = tmp_path / "另一个名字.sqlite3"
        os.link(db_path, link)                    # the restored file, by another name
        for name in (db_path, link):
            with pytest.raises(DatabaseInUse, match=IN_USE):
                DatabaseLock(name).acquire()
        other = _second_program(link)
        assert other.returncode == 1 and IN_USE in other.stderr, other.stderr
        with window.ctx.db.session() as s:       # and the app goes on working on the restored file
            s.add(ObjectType(name="网吧"))
        with window.ctx.db.session() as s:
            assert s.scalars(select(ObjectType.name).order_by(ObjectType.id)).all() == ["旅馆", "网吧"]
    finally:
        window.ctx.runner.wait()
        window.ctx.db.dispose()
        lock.release()


def test_a_restore_offered_at_start_keeps_the_lock_on_the_restored_file(db_path, tmp_path, monkeypatch,
                                                                      no_modal_dialogs):
    from ui.app import open_with_recovery
    from ui.settings.recovery import RecoveryDialog

    open_database(db_path).dispose()
    backup.daily_backup_if_due(db_path)
    db_path.write_bytes(b"\x00garbage" * 2048)

    def choose_latest(dialog):
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", choose_latest)
    lock = DatabaseLock(db_path).acquire()
    try:
        reopened = open_with_recovery(db_path, lock)
        assert reopened is not None
        link = tmp_path / "另一个名字.sqlite3"
        os.link(db_path, link)
        with pytest.raises(DatabaseInUse, match=IN_USE):
            DatabaseLock(link).acquire()
        reopened.dispose()
    finally:
        lock.release()
