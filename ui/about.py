"""The About box: version, database path, the draw algorithm's version, Qt and Python versions."""
from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from models.version import __version__
from ui.app import app_icon


def draw_algorithm_version() -> str:
    try:
        from models.draw_engine import ALGORITHM_VERSION
    except ImportError:
        return "—"
    return ALGORITHM_VERSION


def about_lines(db_path: Path | str) -> list[tuple[str, str]]:
    """The facts the About box shows, as (label, value) pairs."""
    frozen = "（安装版）" if getattr(sys, "frozen", False) else ""
    return [
        ("软件版本", f"{__version__}{frozen}"),
        ("数据库", str(db_path)),
        ("抽取算法版本", draw_algorithm_version()),
        ("Qt", f"{qVersion()}（PySide6 {pyside_version}）"),
        ("Python", f"{platform.python_version()}（{platform.system()} {platform.release()}）"),
    ]


class AboutWidget(QWidget):
    """The About content, used both in the dialog and in the 设置 → 关于 tab."""

    def __init__(self, db_path: Path | str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(56, 56))
        heading.addWidget(logo)
        title = QLabel("双随机 desk")
        font = title.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        title.setFont(font)
        heading.addWidget(title)
        heading.addStretch(1)
        layout.addLayout(heading)
        summary = QLabel("公安机关“双随机、一公开”抽查工作软件：名录库、抽查计划、公开可复核的随机抽取、"
                         "检查与整改通知书、公示与统计。")
        summary.setWordWrap(True)  # in the 520-px dialog the one line was cut off mid-word
        layout.addWidget(summary)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in about_lines(db_path):
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            self.values[label] = shown
            form.addRow(f"{label}：", shown)
        layout.addLayout(form)
        layout.addStretch(1)


class AboutDialog(QDialog):
    def __init__(self, db_path: Path | str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("关于 双随机 desk")
        layout = QVBoxLayout(self)
        self.content = AboutWidget(db_path, self)
        layout.addWidget(self.content)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
