"""导入计划: choose a plan table, see every item and every problem by row, then import all of it or nothing."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)
from PySide6.QtGui import QBrush, QColor

from usecases.plan_import import PlanImportPreview, apply_plan_import, preview_plan_import
from models.plan_rules import parse_rule
from ui.context import AppContext, Topic
from ui.table_model import Column
from ui.widgets import RowTableView, error_message, show_error

PLAN_FILTERS = "计划表 (*.xlsx *.tsv *.txt);;Excel 工作簿 (*.xlsx);;制表符分隔文本 (*.tsv *.txt)"
RED = "#c00000"

class PreviewRow(NamedTuple):
    """One 抽查事项 of the file as it would be imported."""

    source_row: int
    number: str
    item: str
    object_text: str
    type_names: tuple[str, ...]     # the roster types it will be linked to
    ratio_text: str
    rule_text: str                  # the rule as recognised
    checks: int


def _red_if(row: PreviewRow) -> str | None:
    return RED if not row.type_names or row.rule_text.startswith("无法识别") else None


PREVIEW_COLUMNS = [
    Column("行", "source_row", align_right=True),
    Column("编号", "number", color=_red_if),
    Column("抽查事项", "item", color=_red_if, tooltip=lambda r: r.item),
    Column("检查对象", "object_text", color=_red_if, tooltip=lambda r: r.object_text),
    Column("将关联的对象类型", "type_names", fmt=lambda v: "、".join(v) or "（未能自动关联）", color=_red_if),
    Column("比例和频次原文", "ratio_text", color=_red_if),
    Column("识别的规则", "rule_text", color=_red_if),
    Column("检查项数", "checks", align_right=True),
]


class ImportPlanDialog(QDialog):
    """Preview, then import in the background; emits ``imported(year)``."""

    imported = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, year: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview: PlanImportPreview | None = None
        self.setWindowTitle("导入年度抽查计划")
        self.resize(1000, 640)
        self.path = QLineEdit()
        self.path.setPlaceholderText("选择 .xlsx 或制表符分隔的 .tsv/.txt 计划表")
        browse = QPushButton("选择文件…")
        browse.clicked.connect(self.choose_file)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year or date.today().year)
        self.bureau = QLineEdit()
        self.bureau.setPlaceholderText("留空则从表格标题读取")
        self.replace = QCheckBox("替换该年度现有的抽查事项（已有抽取记录时不允许）")
        self.preview_button = QPushButton("预览")
        self.preview_button.clicked.connect(self.run_preview)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.table = RowTableView(PREVIEW_COLUMNS, self, widths=(40, 50, 260, 170, 140, 190, 150, 60))
        self.problems = QListWidget()
        self.problems.setObjectName("import_problems")
        self.problems.setMaximumHeight(130)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("计划表文件：", file_row)
        form.addRow("导入为年度：", self.year)
        form.addRow("单位名称：", self.bureau)
        form.addRow("", self.replace)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("导入")
        self.import_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        buttons.accepted.connect(self.run_import)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("问题与提示（按行）："))
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        # Any change of the inputs invalidates the preview: import only what was shown.
        for signal in (self.path.textChanged, self.bureau.textChanged):
            signal.connect(self._stale)
        self.year.valueChanged.connect(self._stale)
        self.replace.toggled.connect(self._stale)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择计划表", "", PLAN_FILTERS)
        if path:
            self.path.setText(path)
            self.run_preview()

    def _stale(self, *_args) -> None:
        self.preview = None
        self.import_button.setEnabled(False)

    def run_preview(self) -> None:
        text = self.path.text().strip()
        if not text:
            show_error(self, "导入计划", "请先选择计划表文件。")
            return
        try:
            preview = preview_plan_import(self.ctx.db, Path(text), self.year.value(),
                                          self.bureau.text().strip() or None, replace=self.replace.isChecked())
        except Exception as e:  # noqa: BLE001 - any unreadable file is explained to the clerk
            show_error(self, "导入计划", error_message(e))
            return
        self.show_preview(preview)

    def show_preview(self, preview: PlanImportPreview) -> None:
        rows = [
            PreviewRow(r.source_row, r.number, r.item, r.object_text, tuple(preview.links.get(r.number, [])),
                       r.ratio_text, parse_rule(r.ratio_text).describe(), len(r.checklist))
            for r in preview.rows
        ]
        self.table.set_rows(rows, keep_id=False)
        self.problems.clear()
        for p in preview.problems:
            entry = QListWidgetItem(f"错误　{p}")
            entry.setForeground(QBrush(QColor(RED)))
            self.problems.addItem(entry)
        for w in preview.warnings:
            self.problems.addItem(QListWidgetItem(f"提示　{w}"))
        if preview.ok:
            self.summary.setText(preview.summary() + "红色行导入后需要手动关联对象类型或设置规则。")
            self.summary.setStyleSheet("")
        else:
            self.summary.setText("不能导入：请按下方列出的问题修改表格后重新预览。数据库不会有任何改动。")
            self.summary.setStyleSheet(f"color: {RED};")
        self.preview = preview
        self.import_button.setEnabled(preview.ok and self.ctx.can_write())

    def run_import(self) -> None:
        preview = self.preview
        if preview is None or not preview.ok:
            return
        self.import_button.setEnabled(False)

        def job(progress=None, cancelled=None):
            return apply_plan_import(self.ctx.db, preview, self.ctx.actor(), progress, cancelled)

        def done(count: int) -> None:
            self.imported.emit(preview.year)
            self.summary.setText(f"已导入 {count} 个抽查事项。")
            self.accept()

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            show_error(self, "导入失败", error_message(exc) + "\n没有写入任何事项。")

        self.ctx.runner.run(self, job, label="正在导入抽查计划……", on_success=done, on_failure=failed,
                            announce=(Topic.PLANS,))
