"""Where the app keeps its files: injectable, with per-user defaults and the frozen-bundle case."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "ShuangSuiJiDesk"
DB_FILENAME = "shuangsuiji.sqlite3"


def app_root() -> Path:
    """The folder holding resources/: the repository, or PyInstaller's bundle folder when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return app_root() / "resources"


def templates_dir() -> Path:
    """The bundled Word templates (通知书, 复查意见书), also inside a PyInstaller build."""
    return resources_dir() / "templates"


def data_dir() -> Path:
    """Per-user data folder (overridable with SSJ_DATA_DIR, e.g. for tests or a portable install)."""
    override = os.environ.get("SSJ_DATA_DIR")
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME


def backup_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database in a folder named backups."""
    return Path(db_path).resolve().parent / "backups"
