"""Starting the desktop app: the QApplication, fonts, the database and the main window."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from models.db import DatabaseError, open_database

# Chinese UI fonts, first one installed wins: Windows, then Linux (Debian fonts-noto-cjk), then macOS.
UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei", "PingFang SC")


def pick_ui_font() -> QFont:
    families = set(QFontDatabase.families())
    font = QFont(QApplication.font())
    for name in UI_FONTS:
        if name in families:
            font.setFamilies([name, *[f for f in UI_FONTS if f != name and f in families]])
            break
    if font.pointSize() < 10:
        font.setPointSize(10)
    return font


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
        app.setApplicationName("双随机 desk")
        app.setOrganizationName("ShuangSuiJiDesk")
        app.setFont(pick_ui_font())
        app.setWindowIcon(app_icon())
    if not app.property("ssj_chinese"):
        # Qt's own buttons and dialogs (OK, Cancel, Look in:) speak Chinese like the rest.
        from ui.translations import install_chinese

        app.setProperty("ssj_chinese", True)
        install_chinese(app)
    return app


def app_icon() -> QIcon:
    """The app's icon (resources/icons/app.png), for every window and the task bar."""
    from models.paths import resources_dir

    return QIcon(str(resources_dir() / "icons" / "app.png"))


def build_main_window(db_path: Path, *, db=None, user: str | None = None, role: str | None = None, lock=None):
    """Open the database (unless given) and build the main window (used by run_gui and by tests).

    *user* and *role* default to the operating-system user as 管理员 (log-in off); *lock* is the
    DatabaseLock held on the file, kept on the context so a restore on screen can move it.
    """
    from models.backup import backup_folder
    from models.users import Role, os_user
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    if db is None:
        db = open_database(db_path, backup_dir=backup_folder(db_path))
    ctx = AppContext(db=db, runner=TaskRunner(), user=user or os_user(), role=role or Role.ADMIN, lock=lock)
    with db.session() as s:
        from models import settings

        bureau = settings.get(s, "bureau_name")
    return MainWindow(ctx, bureau=bureau)


def open_with_recovery(db_path: Path, lock=None):
    """Open the database; when it is damaged or foreign, explain and offer the backups instead of a traceback.

    Returns the Database, or None when the clerk gives up. After a restore, *lock* (the
    DatabaseLock held) moves onto the restored file.
    """
    from models.backup import backup_folder

    while True:
        try:
            return open_database(db_path, backup_dir=backup_folder(db_path))
        except DatabaseError as e:
            from ui.settings.recovery import RecoveryDialog

            dialog = RecoveryDialog(db_path, str(e))
            if dialog.exec() != RecoveryDialog.DialogCode.Accepted:
                return None
            if lock is not None:
                lock.follow_replaced_file()


def log_in(db):
    """Who is working (a users.Operator): asks for a password when log-in is on; None when the clerk cancels."""
    from models.users import Operator, Role, login_required, os_user
    from ui.login import LoginDialog

    with db.session() as s:
        required = login_required(s)
    if not required:
        return Operator(os_user(), Role.ADMIN)
    dialog = LoginDialog(db)
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return dialog.user


def run_gui(argv: list[str]) -> int:
    """Start-up: lock → integrity check → daily backup → log-in → main window → first-run welcome."""
    import os
    import time

    from models.backup import daily_backup_if_due
    from models.lock import DatabaseLock
    from models.settings import configured_db_path

    started = time.perf_counter()
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    args, qt_args = parser.parse_known_args(argv)
    app = ensure_app(qt_args)
    db_path = Path(args.db) if args.db else configured_db_path()
    lock = DatabaseLock(db_path)
    try:
        lock.acquire()
    except DatabaseError as e:
        QMessageBox.critical(None, "数据库正在使用", str(e))
        return 1
    try:
        db = open_with_recovery(db_path, lock)
        if db is None:
            return 1
        try:
            daily_backup_if_due(db_path)
        except (DatabaseError, OSError) as e:
            QMessageBox.warning(None, "自动备份失败", f"今天的自动备份未能完成：{e}\n请检查备份文件夹是否可写。")
        who = log_in(db)
        if who is None:
            db.dispose()
            return 0
        window = build_main_window(db_path, db=db, user=who.name, role=who.role, lock=lock)
        window.show_fitted()
        exit_after_show = os.environ.get("SSJ_EXIT_AFTER_SHOW")
        if exit_after_show:
            report_start_up(app, window, exit_after_show, started)
        else:
            from ui.first_run import maybe_welcome

            QTimer.singleShot(0, lambda: maybe_welcome(window))
        code = app.exec()
        window.ctx.runner.wait()
        window.ctx.db.dispose()
        return code
    finally:
        lock.release()


def report_start_up(app: QApplication, window, launched_text: str, started: float) -> None:
    """Start-up measurement (SSJ_EXIT_AFTER_SHOW): print when the main window is first painted, then
    when the roster's rows are in (they are read after that paint), and quit.

    A launcher may pass its own clock (time.time() at launch) so the figures cover interpreter start
    and imports too; otherwise they count from the start of run_gui.
    """
    import time

    from PySide6.QtCore import QEvent, QObject

    try:
        launched = float(launched_text)
    except ValueError:
        launched = 0.0

    def elapsed() -> str:
        if launched > 1e9:
            return f"{time.time() - launched:.2f} s after launch"
        return f"{time.perf_counter() - started:.2f} s after start-up began"

    def rows_in() -> None:
        roster = window.page("roster")
        if getattr(roster.objects, "loading", False):
            QTimer.singleShot(10, rows_in)
            return
        print(f"roster rows shown {elapsed()}", flush=True)
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
            if event.type() == QEvent.Type.Paint and not self.property("seen"):
                self.setProperty("seen", True)
                # After this paint pass (the whole window), not in the middle of it.
                QTimer.singleShot(0, lambda: (print(f"main window shown {elapsed()}", flush=True),
                                              QTimer.singleShot(0, rows_in)))
            return False

    window.first_paint_probe = FirstPaint(window)
    window.installEventFilter(window.first_paint_probe)
