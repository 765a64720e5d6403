"""Opening a generated document in the system's default application, where the clerk prints it.

Qt cannot print a .docx itself: QPrinter prints what Qt renders (widgets, QTextDocument,
PDF pages it draws), and Qt has no Word layout engine, so a notice printed from Qt would
lose the GB/T 9704 layout of the template. The default application (Word, WPS or
LibreOffice) lays out the document exactly and offers its own print dialog; printing
directly hands the file to that application's print verb (Windows) or to LibreOffice.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


def print_file(path: str | Path, parent: QWidget | None = None) -> bool:
    """Send ``path`` straight to the default printer, through the application that lays it out.

    Windows: the file's "print" verb (Word or WPS prints and closes). Elsewhere: LibreOffice
    ``--headless -p``. Without either the clerk is told to open the file and print from there.
    """
    file = Path(path)
    if not file.is_file():
        QMessageBox.warning(parent, "无法打印", f"文件不存在：{file}\n可能已被移动或删除，请重新生成。")
        return False
    try:
        if sys.platform == "win32":
            os.startfile(str(file.resolve()), "print")
            return True
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office:
            subprocess.Popen([office, "--headless", "-p", str(file.resolve())],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return True
    except OSError as exc:
        QMessageBox.warning(parent, "无法打印",
                            f"无法直接打印（{exc}）。请用“打开/打印”在 Word 或 WPS 中打印。\n文件：{file}")
        return False
    QMessageBox.warning(parent, "无法打印",
                        f"本机没有可直接打印 .docx 的程序。请用“打开/打印”打开后打印。\n文件：{file}")
    return False
