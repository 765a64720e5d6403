"""The 巡查任务 tab: the bureau's routine duties (日常巡查) — declare, edit, deactivate, import from a table."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.duties import DutyRow, list_duties, set_duty_active
from models.errors import UserError
from ui.context import Topic
from ui.inspections.duty_dialog import DutyDialog
from ui.table_model import Column
from ui.widgets import RowTableView, error_message, show_error, show_info

DUTY_FILTERS = "巡查任务表 (*.xlsx *.tsv *.txt);;Excel 工作簿 (*.xlsx);;制表符分隔文本 (*.tsv *.txt)"
GREY = "#757575"
MAX_PROBLEMS_SHOWN = 20


def _grey_if_off(row: DutyRow) -> str | None:
    return None if row.active else GREY


COLUMNS = [
    Column("编号", "id", align_right=True, color=_grey_if_off),
    Column("对象类型", "type_name", color=_grey_if_off),
    Column("要求", "rule", color=_grey_if_off),
    Column("责任单位", "unit_label", color=_grey_if_off),
    Column("状态", "active", fmt=lambda a: "启用" if a else "已停用", color=_grey_if_off),
    Column("依据", "basis", color=_grey_if_off, tooltip=lambda r: r.basis),
]


class DutiesView(QWidget):
    """The declared duties; the coverage tab reads them."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.count = QLabel()
        bar.addWidget(self.count, 1)
        self.show_inactive = QCheckBox("显示已停用")
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        bar.addWidget(self.show_inactive)
        self.add_button = QPushButton("新增…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button = QPushButton("停用")
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.import_button = QPushButton("从表格导入…")
        self.import_button.clicked.connect(self.choose_import)
        for b in (self.add_button, self.edit_button, self.toggle_button, self.import_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.table = RowTableView(COLUMNS, self, widths=(50, 150, 190, 150, 70))
        self.table.row_activated.connect(lambda row: self.edit(row.id))
        self.table.selection_changed.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        hint = QLabel("日常巡查任务按制度规定每期应检查的对象（例如“旅馆业要求每月对辖区所有旅馆进行1次监督检查”）。"
                      "责任单位留空时由对象所在辖区的派出所负责。可在“新增”中粘贴制度原文后点“识别”，"
                      "或导入列为“对象类型、责任单位、频次、次数、比例、依据”（或一列制度原文）的表格；"
                      "表格中任何一行有误则整个文件不导入。完成情况见“巡查覆盖”页。")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            rows = list_duties(s, include_inactive=self.show_inactive.isChecked())
        self.table.set_rows(rows)
        active = sum(1 for r in rows if r.active)
        self.count.setText(f"日常巡查任务 {active} 项" + (f"（另有已停用 {len(rows) - active} 项）"
                                                      if len(rows) > active else ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can_write()
        self.add_button.setEnabled(writable)
        self.import_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.toggle_button.setEnabled(writable and row is not None)
        self.toggle_button.setText("启用" if row is not None and not row.active else "停用")

    def _changed(self) -> None:
        self.ctx.notify(Topic.SETTINGS)

    def add(self) -> None:
        dialog = DutyDialog(self.ctx, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed()
            self.refresh()
            self.table.select_id(dialog.duty_id)

    def edit(self, duty_id: int) -> None:
        dialog = DutyDialog(self.ctx, duty_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed()
            self.refresh()
            self.table.select_id(duty_id)

    def edit_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self.edit(row.id)

    def toggle_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            with self.ctx.db.session() as s:
                set_duty_active(s, row.id, not row.active, self.ctx.actor(), row.version)
        except UserError as e:
            show_error(self, "日常巡查任务", error_message(e))
        self._changed()
        self.refresh()

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择巡查任务表", "", DUTY_FILTERS)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        from usecases.duty_import import import_duty_file

        def job(progress=None, cancelled=None):
            return import_duty_file(self.ctx.db, path, self.ctx.actor(), progress, cancelled)

        def done(result) -> None:
            preview, count = result
            if not preview.ok:
                lines = [str(p) for p in preview.problems]
                more = len(lines) - MAX_PROBLEMS_SHOWN
                text = "\n".join(lines[:MAX_PROBLEMS_SHOWN]) + (f"\n……另有 {more} 处问题" if more > 0 else "")
                show_error(self, "导入未进行", f"{path.name} 有以下问题，整个文件未导入，数据库未作任何修改：\n{text}")
                return
            self.refresh()
            show_info(self, "导入完成", f"已从 {path.name} 导入 {count} 项日常巡查任务。")

        def failed(exc: BaseException) -> None:
            show_error(self, "导入失败", error_message(exc) + "\n没有写入任何日常巡查任务。")

        self.ctx.runner.run(self, job, label="正在导入日常巡查任务……", on_success=done, on_failure=failed,
                            announce=(Topic.SETTINGS,))
