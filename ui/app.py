"""Starting the desktop app: the QApplication, fonts, the database and the main window."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from models.db import DatabaseError, open_database
from models.paths import backup_dir_for, default_db_path

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
    return app


def build_main_window(db_path: Path):
    """Open the database and build the main window (used by run_gui and by tests)."""
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    db = open_database(db_path, backup_dir=backup_dir_for(db_path))
    ctx = AppContext(db=db, runner=TaskRunner())
    return MainWindow(ctx)


def run_gui(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    args, qt_args = parser.parse_known_args(argv)
    app = ensure_app(qt_args)
    db_path = Path(args.db) if args.db else default_db_path()
    try:
        window = build_main_window(db_path)
    except DatabaseError as e:
        QMessageBox.critical(None, "无法打开数据库", str(e))
        return 1
    window.show()
    code = app.exec()
    window.ctx.db.dispose()
    return code
