"""A second window on a database another program is writing: offered 只读, and it changes nothing.

Before, the second start was refused outright ("同一个数据库一次只能由一个程序打开"), although a
colleague only wanted to look something up or export while the first clerk worked.
"""
from __future__ import annotations

import socket
import sys

import pytest
from sqlalchemy import func, select

from models.db import READ_ONLY_MESSAGE, PermissionDenied, open_database
from models.lock import DatabaseInUse, DatabaseLock
from models.roster import ObjectType
from models.users import os_user

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the held lock is flock-based here")


@pytest.fixture
def held_database(db_path):
    """A database with one object type, its write lock held by "the first program"."""
    db = open_database(db_path)
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    db.dispose()
    with DatabaseLock(db_path) as lock:
        yield db_path, lock


def test_a_second_start_offers_read_only_and_opens_the_window(held_database, qtbot, no_modal_dialogs, monkeypatch):
    from ui.app import run_gui

    db_path, _ = held_database
    monkeypatch.setenv("SSJ_EXIT_AFTER_SHOW", "1")  # show the window, let the roster load, then quit
    assert run_gui(["--db", str(db_path)]) == 0
    kind, text = no_modal_dialogs[0]
    assert kind == "question"
    assert text.startswith(f"数据库正在被另一个程序使用（计算机 {socket.gethostname()}，用户 {os_user()}")
    assert "以只读方式打开" in text
    assert [k for k, _ in no_modal_dialogs] == ["question"]  # no error, no backup warning
    assert not (db_path.parent / "backups").exists()  # a reader never makes the daily backup


def test_after_that_session_the_next_window_still_paints(qtbot):
    """Runs after the story above (same module, in order): its app.exec() has ended, and a later window
    (the next session after switching database in 设置, or the next test) still paints and waits for
    the clerk. Before, Qt's leftover Quit made every later event loop return at once."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QLabel

    loop = QEventLoop()
    QTimer.singleShot(50, lambda: loop.exit(7))
    assert loop.exec() == 7
    label = QLabel("下一个窗口")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label, timeout=2000)


def test_the_read_only_window_says_who_writes_and_refuses_an_edit(held_database, qtbot, no_modal_dialogs):
    from ui.read_only_start import open_read_only_window

    db_path, lock = held_database
    window = open_read_only_window(db_path, "计算机 办公室一号机 上的用户 张三")
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.windowTitle().endswith("（只读：数据库正由计算机 办公室一号机 上的用户 张三使用）")
        assert window.ctx.lock is None and lock.held  # it never takes the lock
        assert not window.ctx.can_write()
        roster = window.show_section("roster")
        assert not roster.objects.add_button.isEnabled()
        with pytest.raises(PermissionDenied, match=READ_ONLY_MESSAGE):
            with window.ctx.db.session() as s:
                s.add(ObjectType(name="网吧"))
        with window.ctx.db.read_session() as s:
            assert s.scalar(select(func.count()).select_from(ObjectType)) == 1
        with pytest.raises(DatabaseInUse):  # and the first program still holds the database alone for writing
            DatabaseLock(db_path).acquire()
    finally:
        window.ctx.runner.wait()
        window.ctx.db.dispose()


def test_declining_read_only_leaves_as_before(held_database, qtbot, no_modal_dialogs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.app import run_gui

    db_path, _ = held_database
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert run_gui(["--db", str(db_path)]) == 1


def test_a_save_that_meets_a_readers_moment_of_writing_is_explained_in_chinese():
    """The writing app's save can meet a reader's log-in bookkeeping (milliseconds): no raw English."""
    import sqlite3

    from sqlalchemy import exc as sa_exc

    from ui.widgets import error_message

    raw = sa_exc.OperationalError("INSERT INTO audit_log …", {}, sqlite3.OperationalError("database is locked"))
    assert error_message(raw) == "数据库正在被另一个程序写入，本次操作未保存，请稍后重试。"
