"""A second window on a database another program is writing: offered 只读, opened without the lock.

run_gui calls run_read_only() when the write lock is held elsewhere (models.lock). The window reads
beside the writer: no schema upgrade, no daily backup, no restore, role 只读 for the whole session
(the services refuse every change; the screens disable their editing buttons), and its title says
who is writing.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from models.db import READ_ONLY_ROLE, DatabaseError
from models.lock import (
    DatabaseInUse, SchemaNotCurrent, holder_info, holder_name, open_for_reading, upgrade_first_message,
)

OFFER = "\n\n可以以只读方式打开：能查看、统计和导出，不能修改数据。要以只读方式打开吗？"


def read_only_title(holder: str) -> str:
    return f"（只读：数据库正由{holder}使用）"


def open_read_only_window(db_path: Path, holder: str):
    """The main window on *db_path* opened for reading, after log-in; None when the clerk cancels the log-in.

    Raises DatabaseError (Chinese) when the file cannot be read or its schema must be upgraded first.
    """
    from ui.app import build_main_window, log_in

    try:
        db = open_for_reading(db_path)
    except SchemaNotCurrent as e:
        raise DatabaseError(upgrade_first_message(db_path, holder_info(db_path))) from e
    try:
        who = log_in(db)
    except BaseException:
        db.dispose()
        raise
    if who is None:
        db.dispose()
        return None
    window = build_main_window(db_path, db=db, user=who.name, role=READ_ONLY_ROLE, lock=None)
    window.setWindowTitle(window.windowTitle() + read_only_title(holder))
    return window


def run_read_only(app: QApplication, db_path: Path, error: DatabaseError, started: float) -> int:
    """Explain that the database is in use and offer to open it 只读; the exit code of the session."""
    from ui.app import run_window

    if not isinstance(error, DatabaseInUse):  # e.g. the lock file cannot be created: nothing to offer
        QMessageBox.critical(None, "数据库正在使用", str(error))
        return 1
    holder = holder_name(holder_info(db_path))
    answer = QMessageBox.question(None, "数据库正在使用", str(error) + OFFER,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.Yes)
    if answer != QMessageBox.StandardButton.Yes:
        return 1
    try:
        window = open_read_only_window(db_path, holder)
    except DatabaseError as e:
        QMessageBox.critical(None, "无法以只读方式打开", str(e))
        return 1
    if window is None:
        return 0
    return run_window(app, window, started)
