"""The 单位与文号 tab: the bureau's name and short name, the 文号 patterns with a live example, the default place."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from models import settings
from models.doc_numbers import format_doc_number, validate_pattern
from ui.context import AppContext, Topic
from ui.settings.common import ADMIN_ONLY_NOTE, is_admin, note_label, read_settings, save_setting

FIELDS = ("bureau_name", "bureau_short", "notice_number_pattern", "review_number_pattern", "letter_number_pattern",
          "default_place")


class GeneralTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.edits: dict[str, QLineEdit] = {}
        self.examples: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in FIELDS:
            d = settings.definition(key)
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setToolTip(d.help)
            edit.setPlaceholderText(d.help)
            edit.textChanged.connect(self._update_example)
            self.edits[key] = edit
            form.addRow(f"{d.label}：", edit)
            if key.endswith("_pattern"):
                self.examples[key] = QLabel()
                form.addRow("", self.examples[key])
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("撤销修改")
        self.reset_button.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note_label("文号格式中：{short} 为机关代字，{year} 为年份，"
                                    "{seq:03d} 为三位序号（每年从 001 起连续编号）。"))
        if not is_admin(ctx):
            layout.addWidget(note_label(ADMIN_ONLY_NOTE))
        layout.addLayout(buttons)
        layout.addStretch(1)
        writable = is_admin(ctx)
        for edit in self.edits.values():
            edit.setReadOnly(not writable)
        self.save_button.setEnabled(writable)
        self.reset_button.setEnabled(writable)
        self.load()

    def load(self) -> None:
        values = read_settings(self.ctx)
        for key, edit in self.edits.items():
            edit.setText(str(values[key] or ""))
        self._update_example()

    def _update_example(self) -> None:
        short = self.edits["bureau_short"].text().strip() or "X公(治)"
        for key, label in self.examples.items():
            pattern = self.edits[key].text().strip()
            problem = validate_pattern(pattern, allowed_extra=settings.PATTERN_EXTRA)
            if problem:
                label.setText(f"⚠ {problem}")
                label.setStyleSheet("color: #b00020;")
            else:
                label.setText(f"示例：{format_doc_number(pattern, date.today().year, 12, short=short)}")
                label.setStyleSheet("color: #2e7d32;")

    def save(self) -> bool:
        values = read_settings(self.ctx)
        changed = [k for k, e in self.edits.items() if e.text().strip() != str(values[k] or "")]
        for key in changed:
            if not save_setting(self.ctx, self, key, self.edits[key].text()):
                self.edits[key].setFocus()
                return False
        if changed:
            self.ctx.notify(Topic.SETTINGS)
            QMessageBox.information(self, "设置", f"已保存 {len(changed)} 项设置。")
        return True
