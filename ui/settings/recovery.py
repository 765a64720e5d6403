"""Shown at start when the database is damaged or foreign: what is wrong, and restoring a backup instead."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QLabel, QListWidget, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)

from models import backup
from models.db import DatabaseError


class RecoveryDialog(QDialog):
    """无法打开数据库: the message, the backups of this database, 从所选备份恢复 / 选择其他备份文件 / 退出."""

    def __init__(self, db_path: Path, message: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.restored_from: Path | None = None
        self.setWindowTitle("无法打开数据库")
        text = QLabel(message)
        text.setObjectName("message")
        text.setWordWrap(True)
        self.folder = backup.backup_folder(self.db_path)
        self.backups = backup.list_backups(self.folder, self.db_path.stem)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for b in self.backups:
            self.list.addItem(f"{b.time:%Y-%m-%d %H:%M:%S}　{b.reason}　{b.size_text()}")
        if self.backups:
            self.list.setCurrentRow(0)
        hint = (f"可以从下列备份恢复（备份文件夹：{self.folder}）。恢复前，当前文件会另存为“恢复前”备份。"
                if self.backups else f"备份文件夹 {self.folder} 中没有找到此数据库的备份，可选择其他备份文件。")
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        self.restore_button = QPushButton("从所选备份恢复")
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button = QPushButton("选择其他备份文件…")
        self.other_button.clicked.connect(self.restore_other)
        self.quit_button = QPushButton("退出")
        self.quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(hint_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setMinimumSize(600, 360)

    def restore_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.backups):
            self._restore(self.backups[row].path)

    def restore_other(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择备份文件", str(self.folder),
                                                "双随机 desk 数据库 (*.sqlite3);;所有文件 (*)")
        if chosen:
            self._restore(Path(chosen))

    def _restore(self, source: Path) -> None:
        answer = QMessageBox.question(self, "从备份恢复",
                                      f"将用备份 {source.name} 替换数据库 {self.db_path}。\n"
                                      "当前文件会先另存为“恢复前”备份。确定恢复吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            backup.restore(self.db_path, source, folder=self.folder)
        except (DatabaseError, OSError) as e:
            QMessageBox.critical(self, "恢复失败", str(e))
            return
        self.restored_from = source
        self.accept()
