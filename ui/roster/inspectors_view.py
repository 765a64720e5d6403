"""执法检查人员 tab: search, unit filter and the table of the inspectors roster, with its actions."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from models import roster_service as rs
from ui.context import AppContext
from ui.roster.roster_tab import GREY, RosterTab
from ui.table_model import Column
from ui.widgets import FilterCombo, SearchEdit


def _grey_if_inactive(row: rs.InspectorRow) -> str | None:
    return None if row.active else GREY


INSPECTOR_COLUMNS = [
    Column("姓名", "name", color=_grey_if_inactive),
    Column("警号", "badge_no", color=_grey_if_inactive),
    Column("所在单位", "unit", color=_grey_if_inactive),
    Column("执法证号", "cert_no", color=_grey_if_inactive),
    Column("状态", "active", fmt=lambda v: "在岗" if v else "已停用", color=_grey_if_inactive),
]
COLUMN_WIDTHS = (110, 110, 200, 180, 80)


class InspectorsView(RosterTab):
    """The 执法检查人员 tab."""

    kind = "inspectors"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, INSPECTOR_COLUMNS, COLUMN_WIDTHS, "inspectors_table", parent)

    def _filter_row(self) -> QHBoxLayout:
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
        self.search.search_changed.connect(lambda _t: self.reload())
        self.unit_filter.value_changed.connect(lambda _v: self.reload())
        self.include_inactive.toggled.connect(lambda _c: self.reload())
        return filters

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

    def _entry_dialog(self, entry_id: int | None):
        from ui.roster.inspector_dialog import InspectorDialog

        return InspectorDialog(self.ctx, inspector_id=entry_id, parent=self)

    def _set_active(self, session, entry_id: int, active: bool) -> None:
        rs.set_inspector_active(session, entry_id, active, self.ctx.actor())

    def _recusals_dialog(self, row: rs.InspectorRow):
        from ui.roster.recusal_views import RecusalsDialog

        return RecusalsDialog(self.ctx, inspector_id=row.id, title=f"{row.name}（{row.badge_no}）", parent=self)
