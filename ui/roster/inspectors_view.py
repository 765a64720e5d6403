"""执法检查人员 tab: search, unit filter and the table of the inspectors roster, with its actions."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models import roster_service as rs
from ui.context import AppContext
from ui.roster import import_dialog
from ui.table_model import Column
from ui.widgets import FilterCombo, RowTableView, SearchEdit, error_message, on_notify, show_error

ID, NAME, BADGE, UNIT, CERT, ACTIVE = range(6)
GREY = "#8a8a8a"


def _grey_if_inactive(row: tuple) -> str | None:
    return None if row[ACTIVE] else GREY


INSPECTOR_COLUMNS = [
    Column("姓名", NAME, color=_grey_if_inactive),
    Column("警号", BADGE, color=_grey_if_inactive),
    Column("所在单位", UNIT, color=_grey_if_inactive),
    Column("执法证号", CERT, color=_grey_if_inactive),
    Column("状态", ACTIVE, fmt=lambda v: "在岗" if v else "已停用", color=_grey_if_inactive),
]
COLUMN_WIDTHS = (110, 110, 200, 180, 80)


class InspectorsView(QWidget):
    """The 执法检查人员 tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.search = SearchEdit("按姓名、警号或执法证号搜索")
        self.search.setMinimumWidth(240)
        self.search.setMaximumWidth(420)
        self.unit_filter = FilterCombo()
        self.include_inactive = QCheckBox("含已停用")
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel("所在单位"))
        filters.addWidget(self.unit_filter)
        filters.addWidget(self.include_inactive)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.add_button = QPushButton("新增")
        self.edit_button = QPushButton("编辑")
        self.toggle_button = QPushButton("停用")
        self.recusal_button = QPushButton("回避关系…")
        self.import_button = QPushButton("导入 Excel…")
        self.export_button = QPushButton("导出 Excel…")
        self.template_button = QPushButton("下载导入模板…")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.toggle_button, self.recusal_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.import_button, self.export_button, self.template_button):
            buttons.addWidget(b)

        self.table = RowTableView(INSPECTOR_COLUMNS, widths=COLUMN_WIDTHS)
        self.table.setObjectName("inspectors_table")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.search.search_changed.connect(lambda _t: self.reload())
        self.unit_filter.value_changed.connect(lambda _v: self.reload())
        self.include_inactive.toggled.connect(lambda _c: self.reload())
        self.table.selection_changed.connect(self._update_buttons)
        self.table.row_activated.connect(lambda _row: self.edit_selected())
        self.add_button.clicked.connect(self.add_inspector)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.recusal_button.clicked.connect(self.show_recusals)
        self.import_button.clicked.connect(lambda: import_dialog.start_import(self.ctx, self, "inspectors"))
        self.export_button.clicked.connect(lambda: import_dialog.start_export(self.ctx, self, "inspectors"))
        self.template_button.clicked.connect(lambda: import_dialog.start_template(self.ctx, self, "inspectors"))
        on_notify(ctx, self, "roster", self.refresh)
        self.refresh()

    def current_filter(self) -> rs.InspectorFilter:
        return rs.InspectorFilter(text=self.search.text().strip(), unit=self.unit_filter.value(),
                                  include_inactive=self.include_inactive.isChecked())

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            units = rs.inspector_units(s)
        self.unit_filter.blockSignals(True)
        self.unit_filter.set_values(units)
        self.unit_filter.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        flt = self.current_filter()
        with self.ctx.db.session() as s:
            rows = rs.list_inspectors(s, flt)
        self.table.set_rows(rows)
        self.count_label.setText(f"共 {len(rows):,} 名检查人员" + ("（已筛选）" if flt.text or flt.unit else ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self.ctx.can_write()
        row = self.table.selected_row()
        self.add_button.setEnabled(writable)
        self.import_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.toggle_button.setEnabled(writable and row is not None)
        self.toggle_button.setText("启用" if row is not None and not row[ACTIVE] else "停用")
        self.recusal_button.setEnabled(row is not None)

    def add_inspector(self) -> None:
        from ui.roster.inspector_dialog import InspectorDialog

        dlg = InspectorDialog(self.ctx, parent=self)
        if dlg.exec():
            self._changed(dlg.inspector_id)

    def edit_selected(self) -> None:
        from ui.roster.inspector_dialog import InspectorDialog

        row = self.table.selected_row()
        if row is None or not self.ctx.can_write():
            return
        dlg = InspectorDialog(self.ctx, inspector_id=row[ID], parent=self)
        if dlg.exec():
            self._changed(row[ID])

    def toggle_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            with self.ctx.db.session() as s:
                rs.set_inspector_active(s, row[ID], not row[ACTIVE], self.ctx.actor())
        except ValueError as e:
            show_error(self, "无法更改状态", error_message(e))
            return
        self._changed(row[ID])

    def show_recusals(self) -> None:
        from ui.roster.recusal_views import RecusalsDialog

        row = self.table.selected_row()
        if row is None:
            return
        RecusalsDialog(self.ctx, inspector_id=row[ID], title=f"{row[NAME]}（{row[BADGE]}）", parent=self).exec()

    def _changed(self, select_id: int | None) -> None:
        self.ctx.notify("roster")
        if select_id is not None:
            self.table.select_id(select_id)
