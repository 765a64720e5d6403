"""Opening a generated document in the system's default application, where the clerk prints it.

Qt cannot print a .docx itself: QPrinter prints what Qt renders (widgets, QTextDocument,
PDF pages it draws), and Qt has no Word layout engine, so a notice printed from Qt would
lose the GB/T 9704 layout of the template. The default application (Word, WPS or
LibreOffice) lays out the document exactly and offers its own print dialog.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def open_file(path: str | Path, parent: QWidget | None = None) -> bool:
    """Open ``path`` in its default application; tells the clerk in Chinese when that fails."""
    file = Path(path)
    if not file.is_file():
        QMessageBox.warning(parent, "无法打开", f"文件不存在：{file}\n可能已被移动或删除，请重新生成。")
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(file.resolve()))):
        QMessageBox.warning(parent, "无法打开",
                            f"系统没有能打开 .docx 文件的程序（如 Word、WPS 或 LibreOffice）。\n文件位置：{file}")
        return False
    return True


def open_folder(path: str | Path, parent: QWidget | None = None) -> bool:
    """Show a folder (e.g. a batch of notices) in the file manager."""
    folder = Path(path)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder.resolve()))):
        QMessageBox.warning(parent, "无法打开", f"无法打开文件夹：{folder}")
        return False
    return True
