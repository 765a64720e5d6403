"""The 抽查内容 tab of the item editor: the text as written and its checklist, one editable entry per point."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from models.checklist import split_checklist


class ChecklistEditor(QWidget):
    """抽查内容: the checklist entries become the lines of the inspection form, in this order."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.content = QPlainTextEdit()
        self.content.setObjectName("content")
        self.content.setPlaceholderText("按计划原文填写，如：1、是否取得许可证；2、是否落实登记制度")
        self.content.setMaximumHeight(110)
        self.entries = QListWidget()
        self.entries.setObjectName("checklist")
        self.entries.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.entries.setWordWrap(True)
        self.entries.setAlternatingRowColors(True)
        self.split_button = QPushButton("按原文重新拆分")
        self.split_button.setToolTip("按“1、…；2、…”或“1. … 2. …”等编号把原文拆成检查项（会替换下方列表）")
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        hint = QLabel("双击一项可修改；检查项将成为检查记录表上的逐项内容。")
        hint.setStyleSheet("color: #666;")

        buttons = QVBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        list_row = QHBoxLayout()
        list_row.addWidget(self.entries, 1)
        list_row.addLayout(buttons)
        top = QHBoxLayout()
        top.addWidget(QLabel("抽查内容（原文）："))
        top.addStretch(1)
        top.addWidget(self.split_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.content)
        layout.addWidget(QLabel("检查项："))
        layout.addLayout(list_row, 1)
        layout.addWidget(hint)

        self.split_button.clicked.connect(self.split_from_text)
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_entry)
        self.up_button.clicked.connect(lambda: self.move_entry(-1))
        self.down_button.clicked.connect(lambda: self.move_entry(1))
        self.entries.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()

    def _make_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def set_values(self, content: str, checklist: list[str]) -> None:
        self.content.setPlainText(content or "")
        self.entries.clear()
        for text in checklist:
            self.entries.addItem(self._make_item(text))
        self._update_buttons()

    def checklist(self) -> list[str]:
        texts = (self.entries.item(i).text().strip() for i in range(self.entries.count()))
        return [t for t in texts if t]

    def split_from_text(self) -> None:
        self.set_values(self.content.toPlainText(), split_checklist(self.content.toPlainText()))

    def add_entry(self) -> None:
        item = self._make_item("新的检查项")
        row = self.entries.currentRow() + 1 if self.entries.currentRow() >= 0 else self.entries.count()
        self.entries.insertItem(row, item)
        self.entries.setCurrentRow(row)
        self.entries.editItem(item)

    def remove_entry(self) -> None:
        row = self.entries.currentRow()
        if row >= 0:
            self.entries.takeItem(row)
        self._update_buttons()

    def move_entry(self, step: int) -> None:
        row = self.entries.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.entries.count():
            return
        item = self.entries.takeItem(row)
        self.entries.insertItem(target, item)
        self.entries.setCurrentRow(target)

    def _update_buttons(self, *_args) -> None:
        row = self.entries.currentRow()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.entries.count() - 1)
