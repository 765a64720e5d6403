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


def build_main_window(db_path: Path | None, *, db=None, user: str | None = None, role: str | None = None, lock=None):
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
    window = MainWindow(ctx, bureau=bureau)
    window.setWindowTitle(window_title(bureau, db))
    return window


def window_title(bureau: str, db) -> str:
    """The main window's title: the bureau, and on the office server where the data is (no password)."""
    title = f"双随机 desk — {bureau}" if bureau else "双随机 desk"
    return title if db.is_sqlite else f"{title}（办公室服务器 {db.location}）"


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


# open_and_run's answer when the clerk switched database in 设置 → 数据库连接 (see request_reopen).
REOPEN = -0x5353


def run_gui(argv: list[str]) -> int:
    """Start-up: choose the database (models.connection.database_target), open it, show the main window;
    again, in the same process, when the clerk switches database in 设置 → 数据库连接."""
    import time

    started = time.perf_counter()
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    args, qt_args = parser.parse_known_args(argv)
    app = ensure_app(qt_args)
    given = args.db
    while True:
        code = open_and_run(app, given, started)
        if code != REOPEN:
            return code
        given = None  # the clerk saved another database in 设置: that choice now wins over --db


def open_and_run(app: QApplication, given: str | None, started: float) -> int:
    """One session. A file: lock → integrity check → daily backup → log-in → main window → first-run
    welcome. The office server (see run_on_server): connect → log-in (required) → main window."""
    from models.backup import daily_backup_if_due
    from models.connection import database_target
    from models.db import is_database_url
    from models.lock import DatabaseLock

    target = database_target(given)
    if is_database_url(target):
        return run_on_server(app, str(target), given, started)
    db_path = Path(target)
    lock = DatabaseLock(db_path)
    try:
        lock.acquire()
    except DatabaseError as e:  # another program writes: offer this one 只读 (no lock, no backup, no upgrade)
        from ui.read_only_start import run_read_only

        return run_read_only(app, db_path, e, started)
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
        return run_window(app, window, started)
    finally:
        lock.release()


def run_window(app: QApplication, window, started: float) -> int:
    """Show the main window (and the first-run welcome) and run until it closes; REOPEN when the clerk
    asked to switch database (request_reopen)."""
    import os

    window.show_fitted()
    exit_after_show = os.environ.get("SSJ_EXIT_AFTER_SHOW")
    if exit_after_show:
        report_start_up(app, window, exit_after_show, started)
    else:
        from ui.first_run import maybe_welcome

        QTimer.singleShot(0, lambda: maybe_welcome(window))
    app.setProperty("ssj_reopen", False)
    code = app.exec()
    window.ctx.runner.wait()
    reopen = bool(app.property("ssj_reopen"))
    app.setProperty("ssj_reopen", False)
    window.close()
    window.deleteLater()
    window.ctx.db.dispose()
    settle_after_quit(app)
    return REOPEN if reopen else code


def settle_after_quit(app: QApplication) -> None:
    """Leave the application able to run event loops again after app.exec() returned.

    Quitting closes the last window, and Qt then posts one more Quit; processed with no loop running,
    it marks every later event loop as quitting, so the log-in dialog after switching database (or a
    message box) would return at once as if cancelled. Drain it inside a short exec(): exec() clears
    that mark when it returns.
    """
    stop = QTimer()
    stop.setSingleShot(True)
    stop.timeout.connect(app.quit)
    stop.start(0)
    app.exec()
    stop.stop()


def request_reopen() -> None:
    """Close the main window's session and open the database now saved in 设置 (run_gui loops)."""
    app = QApplication.instance()
    if app is not None:
        app.setProperty("ssj_reopen", True)
        app.quit()


def run_on_server(app: QApplication, url: str, given: str | None, started: float) -> int:
    """The office's PostgreSQL server: no lock file (the server has its own locks), no daily file backup
    (the server is backed up there), and log-in is required — never the operating-system user."""
    from models.connection import target_source
    from ui.tasks import TaskRunner

    try:
        db = open_database(url)
    except DatabaseError as e:
        if target_source(given) != "config":
            QMessageBox.critical(None, "无法打开数据库", str(e))
            return 1
        # The server saved in 设置 does not answer (or refuses): let the clerk fix the connection here.
        from ui.settings.connection_tab import ConnectionDialog

        runner = TaskRunner()
        dialog = ConnectionDialog(runner, problem=str(e), current_url=url)
        accepted = dialog.exec() == ConnectionDialog.DialogCode.Accepted
        runner.wait()
        return REOPEN if accepted else 1
    who = server_log_in(db)
    if who is None:
        db.dispose()
        return 1
    window = build_main_window(None, db=db, user=who.name, role=who.role)
    return run_window(app, window, started)


def server_log_in(db):
    """Who is working on the shared server (a users.Operator), always by user name and password; None
    when the clerk cancels. A server database without any account is refused, with the offer to set up
    its first administrator (what init-db does)."""
    from models import server, users
    from ui.login import FirstAdminDialog, LoginDialog

    with db.session() as s:
        accounts = users.accounts_exist(s)
    if not accounts:
        answer = QMessageBox.question(
            None, "需要登录",
            f"办公室服务器上的数据库 {db.location} 还没有任何用户。多人共用的数据库必须启用登录，"
            f"本软件不会以操作系统用户（{users.os_user()}）的身份在共享数据库上工作。\n\n"
            "可由管理员在服务器上运行 python main.py init-db 地址 --admin 用户名 建立，"
            "或现在在本机设置第一个管理员。现在设置吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        dialog = FirstAdminDialog(db.location)
        if dialog.exec() != FirstAdminDialog.DialogCode.Accepted:
            return None
        try:
            server.add_first_admin(db, dialog.name, dialog.admin_password, actor=dialog.name)
        except (users.AuthError, DatabaseError) as e:
            QMessageBox.critical(None, "未能设置管理员", str(e))
            return None
    dialog = LoginDialog(db)
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    return dialog.user


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
