"""检查对象 tab: search, filters and the table of the objects roster, with its actions."""
from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from models import roster_service as rs
from models.roster import RISK_LEVELS, STATUSES
from ui.collation import PinyinKeys
from ui.context import AppContext
from ui.roster.roster_tab import GREY, RosterTab
from ui.sorting import key_ranks, text_sort_keys
from ui.table_model import Column
from ui.widgets import FilterCombo, SearchEdit

DARK_RED = "#a40000"


def _grey_if_inactive(row: rs.ObjectRow) -> str | None:
    return None if row.active else GREY


def _risk_colour(row: rs.ObjectRow) -> str | None:
    if not row.active:
        return GREY
    return DARK_RED if row.risk_level == "高风险" else None


def _rank(levels: tuple[str, ...]):
    """Sort by the levels' own order (低风险 → 高风险), not by pinyin, which puts 高风险 between 低 and 中低."""
    order = {v: n for n, v in enumerate(levels)}
    return lambda value: order.get(value, len(order))


OBJECT_COLUMNS = [
    Column("单位名称", "name", color=_grey_if_inactive,
           tooltip=lambda r: r.name if r.active else f"{r.name}（已停用）"),
    Column("统一社会信用代码", "credit_code", color=_grey_if_inactive),
    # 证件类型 (issue 19 item 6): a person's 身份证/护照 number stands in the code column, so its kind sits right
    # beside it, where the clerk reads the number without scrolling; a 无 object has none.
    Column("证件类型", "id_kind", color=_grey_if_inactive,
           tooltip=lambda r: f"{r.id_kind}（{r.id_country}）" if r.id_country else None),
    Column("类型", "type_name", color=_grey_if_inactive),
    Column("地址", "address", color=_grey_if_inactive, tooltip=lambda r: r.address or None),
    Column("辖区", "jurisdiction", color=_grey_if_inactive),
    Column("法定代表人", "legal_rep", color=_grey_if_inactive),
    Column("联系电话", "phone", color=_grey_if_inactive),
    Column("许可证号", "licence_no", color=_grey_if_inactive),
    Column("风险等级", "risk_level", color=_risk_colour, sort_key=_rank(RISK_LEVELS)),
    Column("状态", "status", color=_grey_if_inactive, sort_key=_rank(STATUSES)),
]
COLUMN_WIDTHS = (240, 165, 110, 120, 160, 95, 70, 105, 110, 70, 50)
FIRST_SCREEN_ROWS = 80     # more than a maximised window shows
NAME_COLUMN = 0
NAME_FIELD = OBJECT_COLUMNS[NAME_COLUMN].get


def _read_roster(db, flt: rs.ObjectFilter) -> tuple[list[str], list[str], list[rs.ObjectRow], dict[int, list[int]]]:
    """Everything the tab shows, read off the GUI thread on a session of its own (SQLite in WAL mode
    lets it read beside the window; on PostgreSQL it is a connection of its own), with the pinyin keys of
    单位名称 so that sorting by name is a plain list sort."""
    with db.read_session() as s:
        types = rs.object_type_names(s)
        places = rs.jurisdictions(s)
        rows = rs.list_objects(s, flt)
    return types, places, rows, _name_keys(_names(rows))


def _names(rows: list[rs.ObjectRow]) -> list[str]:
    return list(map(NAME_FIELD, rows))


def _name_keys(names: list[str]) -> dict[int, list[int]]:
    keys = text_sort_keys(names, PinyinKeys())   # a PinyinKeys of this thread's own
    return {NAME_COLUMN: key_ranks(keys)} if keys is not None else {}


class ObjectsView(RosterTab):
    """The 检查对象 tab."""

    kind = "objects"
    # Reading 100,000 objects takes about a second, which start-up must not wait for: the tab is built
    # empty; just after its first paint (the main window is on screen by then) the first screenful is
    # read (a LIMIT query in the list's own order) and the whole list is read on a background thread,
    # then swapped in. A refresh or a filter change before that reads everything at once instead (and
    # the background result is dropped); a sort clicked meanwhile applies to the whole list on arrival.
    _load_pending = False
    _load_scheduled = False
    _load_generation = 0       # a newer load or refresh makes an older background result stale
    _rows_arrived = Signal(int, object)
    _keys_arrived = Signal(object, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(ctx, OBJECT_COLUMNS, COLUMN_WIDTHS, "objects_table", parent)
        self.sheet_button = QPushButton("打印现场检查记录…")
        self.sheet_button.setToolTip("为所选单位打印现场检查记录（检查笔录），用于日常巡查、举报投诉等检查")
        self.sheet_button.clicked.connect(self.print_sheet)
        self.button_row.insertWidget(4, self.sheet_button)
        self._rows_arrived.connect(self._take_rows)   # queued: emitted by the loading thread
        self._keys_arrived.connect(self.table.table_model.add_sort_keys)
        self._update_buttons()

    def _update_buttons(self) -> None:
        super()._update_buttons()
        if hasattr(self, "sheet_button"):  # the base class calls this before the button exists
            self.sheet_button.setEnabled(self.table.selected_row() is not None)

    def print_sheet(self) -> None:
        from ui.inspections.record_sheet_dialog import ObjectSheetDialog

        row = self.table.selected_row()
        if row is not None:
            ObjectSheetDialog(self.ctx, self, object_code=row.credit_code, source="日常巡查").exec()

    @property
    def loading(self) -> bool:
        """True until all rows have been read once (they follow the tab's first paint)."""
        return self._load_pending

    def _first_load(self) -> None:
        self._load_pending = True
        self.count_label.setText("正在载入检查对象……")

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().paintEvent(event)
        if self._load_pending and not self._load_scheduled:
            self._load_scheduled = True
            QTimer.singleShot(0, self._load_now)

    def _load_now(self) -> None:
        if not self._load_pending:
            return
        self._load_generation += 1
        generation, flt = self._load_generation, self.current_filter()
        with self.ctx.db.read_session() as s:
            first = rs.list_objects(s, flt, limit=FIRST_SCREEN_ROWS)
        self.table.set_rows(first)
        self._update_buttons()
        if len(first) < FIRST_SCREEN_ROWS:   # a small roster: that was all of it
            self.refresh()
            return
        db = self.ctx.db

        def read() -> None:
            try:
                result = _read_roster(db, flt)
            except Exception as e:  # noqa: BLE001 - handed to the GUI thread, which reads again and reports
                result = e
            try:
                self._rows_arrived.emit(generation, result)
            except RuntimeError:   # the tab was closed meanwhile
                pass

        threading.Thread(target=read, name="roster-objects-load", daemon=True).start()

    def _take_rows(self, generation: int, result) -> None:
        if generation != self._load_generation or not self._load_pending:
            return   # a refresh or a newer load came first
        if isinstance(result, Exception):
            self.refresh()   # read on the GUI thread, where an error is reported as any other
            return
        types, places, rows, keys = result
        self._load_pending = False
        self._set_choices(types, places)
        self._show(rows, self.current_filter(), keys)

    def _filter_row(self) -> QHBoxLayout:
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
        self.search.search_changed.connect(lambda _t: self.reload())
        for combo in (self.type_filter, self.jurisdiction_filter, self.risk_filter, self.status_filter):
            combo.value_changed.connect(lambda _v: self.reload())
        self.include_inactive.toggled.connect(lambda _c: self.reload())
        return filters

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
        self._load_pending = False
        self._load_generation += 1
        with self.ctx.db.session() as s:
            types = rs.object_type_names(s)
            places = rs.jurisdictions(s)
        self._set_choices(types, places)
        self.reload()

    def _set_choices(self, types: list[str], places: list[str]) -> None:
        for combo, values in ((self.type_filter, types), (self.jurisdiction_filter, places)):
            combo.blockSignals(True)
            combo.set_values(values)
            combo.blockSignals(False)

    def reload(self) -> None:
        if self._load_pending:
            # A filter changed while the whole list is still being read: read it now, with the choices.
            self.refresh()
            return
        flt = self.current_filter()
        self.table.table_model.drop_sort_keys()   # not beside the new rows
        with self.ctx.db.session() as s:
            rows = rs.list_objects(s, flt)
        self._show(rows, flt)
        if len(rows) >= FIRST_SCREEN_ROWS:
            # The pinyin keys of 单位名称 follow from a background thread (a third of a second for
            # 100,000): a sort by name clicked after that is a plain list sort, one clicked sooner
            # ranks the names itself; keys for a list no longer shown are dropped.
            names, token = _names(rows), self.table.table_model.given_token()

            def compute() -> None:
                # A closed tab takes nothing; a sort works without keys.
                with contextlib.suppress(Exception):
                    self._keys_arrived.emit(token, _name_keys(names))

            threading.Thread(target=compute, name="roster-objects-keys", daemon=True).start()

    def _show(self, rows: list[rs.ObjectRow], flt: rs.ObjectFilter, sort_keys: dict | None = None) -> None:
        self.table.set_rows(rows, sort_keys=sort_keys)
        filtered = bool(flt.text or flt.type_name or flt.jurisdiction or flt.risk or flt.status)
        self.count_label.setText(f"共 {len(rows):,} 个检查对象" + ("（已筛选）" if filtered else ""))
        self._update_buttons()

    def _entry_dialog(self, entry_id: int | None):
        from ui.roster.object_dialog import ObjectDialog

        return ObjectDialog(self.ctx, object_id=entry_id, parent=self)

    def _set_active(self, session, entry_id: int, active: bool) -> None:
        rs.set_object_active(session, entry_id, active, self.ctx.actor())

    def _recusals_dialog(self, row: rs.ObjectRow):
        from ui.roster.recusal_views import RecusalsDialog

        return RecusalsDialog(self.ctx, object_id=row.id, title=row.name, parent=self)
