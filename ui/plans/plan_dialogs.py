"""Small plan-level dialogs: a new plan, a copy of last year's plan, and the publicity export."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
    QWidget,
)

from models.plan_service import PlanError, copy_plan, create_plan, list_plans
from ui.context import AppContext
from ui.widgets import error_message, ok_cancel_buttons, show_error, show_info

EXPORT_FILTERS = "Excel 工作簿 (*.xlsx);;Word 文档 (*.docx)"


def _year_spin(value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(2000, 2100)
    spin.setValue(value)
    return spin


class NewPlanDialog(QDialog):
    """新建计划: year, bureau and title; ``year`` holds the created plan's year after saving."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, bureau: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("新建年度抽查计划")
        self.year_box = _year_spin(date.today().year)
        self.bureau = QLineEdit(bureau)
        self.bureau.setPlaceholderText("如：沂源县公安局")
        self.title = QLineEdit()
        self.title.setPlaceholderText("留空则为：XX公安局20XX年度“双随机、一公开”抽查计划")
        self.year: int | None = None
        form = QFormLayout()
        form.addRow("年度：", self.year_box)
        form.addRow("单位名称：", self.bureau)
        form.addRow("计划标题：", self.title)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self, "创建"))
        self.setMinimumWidth(460)

    def accept(self) -> None:
        if not self.bureau.text().strip():
            show_error(self, "新建计划", "请填写单位名称（如：沂源县公安局）。")
            return
        try:
            with self.ctx.db.session() as s:
                plan = create_plan(s, self.year_box.value(), self.bureau.text(), self.title.text(), self.ctx.actor())
                self.year = plan.year
        except PlanError as e:
            show_error(self, "新建计划", error_message(e))
            return
        super().accept()


class CopyPlanDialog(QDialog):
    """复制上年计划: every item, its checklist, type links and months, into a new year."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, from_year: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("复制上年计划")
        self.source = QComboBox()
        with ctx.db.session() as s:
            for p in list_plans(s):
                self.source.addItem(f"{p.year}年度 {p.bureau}（{len(p.items)}项）", p.year)
        if from_year is not None:
            self.source.setCurrentIndex(max(self.source.findData(from_year), 0))
        self.target = _year_spin(date.today().year)
        self.source.currentIndexChanged.connect(self._suggest_target)
        self._suggest_target()
        self.year: int | None = None
        note = QLabel("复制全部抽查事项、抽查内容、对象类型关联和检查月份；复制后可逐项修改。")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("复制自：", self.source)
        form.addRow("新计划年度：", self.target)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(ok_cancel_buttons(self, "复制"))
        self.setMinimumWidth(420)

    def _suggest_target(self) -> None:
        if self.source.currentData() is not None:
            self.target.setValue(self.source.currentData() + 1)

    def accept(self) -> None:
        if self.source.currentData() is None:
            show_error(self, "复制计划", "还没有可复制的计划。")
            return
        try:
            with self.ctx.db.session() as s:
                plan = copy_plan(s, self.source.currentData(), self.target.value(), self.ctx.actor())
                self.year = plan.year
        except PlanError as e:
            show_error(self, "复制计划", error_message(e))
            return
        super().accept()


def ask_export_path(parent: QWidget | None, year: int, bureau: str) -> Path | None:
    """Where to save the publicity table; the suffix follows the chosen filter when left out."""
    suggested = str(Path.home() / f"{bureau}{year}年度抽查计划公示.xlsx")
    path, chosen = QFileDialog.getSaveFileName(parent, "导出抽查计划公示", suggested, EXPORT_FILTERS)
    if not path:
        return None
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".docx"):
        p = p.with_name(p.name + (".docx" if "docx" in chosen else ".xlsx"))
    return p


def export_plan_in_background(ctx: AppContext, parent: QWidget, year: int, path: Path) -> None:
    from reports.plan_export import export_plan

    def job(progress=None, cancelled=None):
        return export_plan(ctx.db, year, path)

    ctx.runner.run(
        parent, job, label="正在导出抽查计划公示……", cancellable=False,
        on_success=lambda p: show_info(parent, "导出完成", f"已导出：{p}"),
        on_failure=lambda e: show_error(parent, "导出失败", error_message(e)),
    )
