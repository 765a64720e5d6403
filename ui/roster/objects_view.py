"""检查对象 tab: search, filters and the table of the objects roster, with its actions."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models import roster_service as rs
from models.roster import RISK_LEVELS, STATUSES
from ui.context import AppContext
from ui.roster import import_dialog
from ui.table_model import Column
from ui.widgets import FilterCombo, RowTableView, SearchEdit, error_message, on_notify, show_error

ID, NAME, CODE, TYPE, ADDRESS, JURISDICTION, LEGAL_REP, PHONE, LICENCE, RISK, STATUS, ACTIVE = range(12)
GREY = "#8a8a8a"
DARK_RED = "#a40000"


def _grey_if_inactive(row: tuple) -> str | None:
    return None if row[ACTIVE] else GREY


def _risk_colour(row: tuple) -> str | None:
    if not row[ACTIVE]:
        return GREY
    return DARK_RED if row[RISK] == "高风险" else None


OBJECT_COLUMNS = [
    Column("单位名称", NAME, color=_grey_if_inactive,
           tooltip=lambda r: r[NAME] if r[ACTIVE] else f"{r[NAME]}（已停用）"),
    Column("统一社会信用代码", CODE, color=_grey_if_inactive),
    Column("类型", TYPE, color=_grey_if_inactive),
    Column("地址", ADDRESS, color=_grey_if_inactive, tooltip=lambda r: r[ADDRESS] or None),
    Column("辖区", JURISDICTION, color=_grey_if_inactive),
    Column("法定代表人", LEGAL_REP, color=_grey_if_inactive),
    Column("联系电话", PHONE, color=_grey_if_inactive),
    Column("许可证号", LICENCE, color=_grey_if_inactive),
    Column("风险等级", RISK, color=_risk_colour),
    Column("状态", STATUS, color=_grey_if_inactive),
]
COLUMN_WIDTHS = (240, 165, 120, 200, 95, 70, 105, 110, 70, 50)


class ObjectsView(QWidget):
    """The 检查对象 tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.search = SearchEdit("按单位名称或统一社会信用代码搜索")
        self.search.setMinimumWidth(260)
        self.search.setMaximumWidth(420)
        self.type_filter = FilterCombo()
        self.jurisdiction_filter = FilterCombo()
        self.risk_filter = FilterCombo(RISK_LEVELS)
        self.status_filter = FilterCombo(STATUSES)
        for combo in (self.type_filter, self.jurisdiction_filter):
            # A long type name must not push the rest of the filter row off screen.
            combo.setSizeAdjustPolicy(combo.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        self.include_inactive = QCheckBox("含已停用")
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for label, combo in (("类型", self.type_filter), ("辖区", self.jurisdiction_filter),
                             ("风险等级", self.risk_filter), ("状态", self.status_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(combo)
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

        self.table = RowTableView(OBJECT_COLUMNS, widths=COLUMN_WIDTHS)
        self.table.setObjectName("objects_table")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.search.search_changed.connect(lambda _t: self.reload())
        for combo in (self.type_filter, self.jurisdiction_filter, self.risk_filter, self.status_filter):
            combo.value_changed.connect(lambda _v: self.reload())
        self.include_inactive.toggled.connect(lambda _c: self.reload())
        self.table.selection_changed.connect(self._update_buttons)
        self.table.row_activated.connect(lambda _row: self.edit_selected())
        self.add_button.clicked.connect(self.add_object)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.recusal_button.clicked.connect(self.show_recusals)
        self.import_button.clicked.connect(lambda: import_dialog.start_import(self.ctx, self, "objects"))
        self.export_button.clicked.connect(
            lambda: import_dialog.start_export(self.ctx, self, "objects", self.current_filter()))
        self.template_button.clicked.connect(lambda: import_dialog.start_template(self.ctx, self, "objects"))
        on_notify(ctx, self, "roster", self.refresh)
        self.refresh()

    def current_filter(self) -> rs.ObjectFilter:
        return rs.ObjectFilter(
            text=self.search.text().strip(),
            type_name=self.type_filter.value(),
            jurisdiction=self.jurisdiction_filter.value(),
            risk=self.risk_filter.value(),
            status=self.status_filter.value(),
            include_inactive=self.include_inactive.isChecked(),
        )

    def refresh(self) -> None:
        """Reload the filter choices and the rows (after any change to the roster)."""
        with self.ctx.db.session() as s:
            types = rs.object_type_names(s)
            places = rs.jurisdictions(s)
        for combo, values in ((self.type_filter, types), (self.jurisdiction_filter, places)):
            combo.blockSignals(True)
            combo.set_values(values)
            combo.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        flt = self.current_filter()
        with self.ctx.db.session() as s:
            rows = rs.list_objects(s, flt)
        self.table.set_rows(rows)
        filtered = bool(flt.text or flt.type_name or flt.jurisdiction or flt.risk or flt.status)
        self.count_label.setText(f"共 {len(rows):,} 个检查对象" + ("（已筛选）" if filtered else ""))
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self.ctx.can_write()
        row = self.table.selected_row()
        for b in (self.add_button, self.import_button):
            b.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.toggle_button.setEnabled(writable and row is not None)
        self.toggle_button.setText("启用" if row is not None and not row[ACTIVE] else "停用")
        self.recusal_button.setEnabled(row is not None)

    def add_object(self) -> None:
        from ui.roster.object_dialog import ObjectDialog

        dlg = ObjectDialog(self.ctx, parent=self)
        if dlg.exec():
            self._changed(dlg.object_id)

    def edit_selected(self) -> None:
        from ui.roster.object_dialog import ObjectDialog

        row = self.table.selected_row()
        if row is None or not self.ctx.can_write():
            return
        dlg = ObjectDialog(self.ctx, object_id=row[ID], parent=self)
        if dlg.exec():
            self._changed(row[ID])

    def toggle_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            with self.ctx.db.session() as s:
                rs.set_object_active(s, row[ID], not row[ACTIVE], self.ctx.actor())
        except ValueError as e:
            show_error(self, "无法更改状态", error_message(e))
            return
        self._changed(row[ID])

    def show_recusals(self) -> None:
        from ui.roster.recusal_views import RecusalsDialog

        row = self.table.selected_row()
        if row is None:
            return
        RecusalsDialog(self.ctx, object_id=row[ID], title=row[NAME], parent=self).exec()

    def _changed(self, select_id: int | None) -> None:
        self.ctx.notify("roster")
        if select_id is not None:
            self.table.select_id(select_id)
