"""Helpers the settings tabs share: the admin check, saving one setting with a Chinese error, opening folders."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from models import settings
from models.db import PermissionDenied
from ui.context import AppContext

ADMIN_ONLY_NOTE = "只有管理员可以修改这些设置。"


def is_admin(ctx: AppContext) -> bool:
    return ctx.is_admin()


def save_setting(ctx: AppContext, parent: QWidget, key: str, value: Any) -> bool:
    """Store one setting; on a bad value say why in Chinese and return False."""
    try:
        with ctx.db.session() as s:
            settings.set(s, key, value, actor=ctx.actor())
    except (settings.SettingError, PermissionDenied) as e:
        QMessageBox.warning(parent, "无法保存设置", str(e))
        return False
    return True


def read_settings(ctx: AppContext) -> dict[str, Any]:
    with ctx.db.session() as s:
        return settings.all_settings(s)


def open_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def note_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label
