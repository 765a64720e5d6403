"""What the 检查对象 and 执法检查人员 tabs share: the action buttons, the table and what the buttons do."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.context import AppContext, Topic
from ui.table_model import Column
from ui.widgets import RowTableView, error_message, on_notify, show_error

GREY = "#8a8a8a"


class RosterTab(QWidget):
    """One roster's tab: a filter row (the subclass's), 新增/编辑/停用/回避关系, Excel import/export and the table.

    Rows are rs.ObjectRow or rs.InspectorRow: both have ``id`` and ``active``. A subclass sets ``kind``
    and supplies the filter row, ``current_filter()``,
    ``refresh()``/``reload()``, its add/edit dialog, how to (de)activate an entry and its 回避 dialog.
    """

    kind = ""             # "objects" or "inspectors", as import_dialog names the roster

    def __init__(self, ctx: AppContext, columns: list[Column], widths: tuple[int, ...], table_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        filters = self._filter_row()

        self.add_button = QPushButton("新增")
        self.edit_button = QPushButton("编辑")
        self.toggle_button = QPushButton("停用")
        self.recusal_button = QPushButton("回避关系…")
        self.import_button = QPushButton("导入 Excel…")
        self.export_button = QPushButton("导出 Excel…")
        self.template_button = QPushButton("下载导入模板…")
        buttons = QHBoxLayout()
        self.button_row = buttons  # a subclass may add its own buttons after 回避关系
        for b in (self.add_button, self.edit_button, self.toggle_button, self.recusal_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.import_button, self.export_button, self.template_button):
            buttons.addWidget(b)

        self.table = RowTableView(columns, widths=widths)
        self.table.setObjectName(table_name)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.table.selection_changed.connect(self._update_buttons)
        self.table.row_activated.connect(lambda _row: self.edit_selected())
        self.add_button.clicked.connect(self.add_entry)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.recusal_button.clicked.connect(self.show_recusals)
        self.import_button.clicked.connect(self.import_entries)
        self.export_button.clicked.connect(self.export_entries)
        self.template_button.clicked.connect(self.save_template)
        on_notify(ctx, self, Topic.ROSTER, self.refresh)
        self._update_buttons()   # a read-only user's buttons are off before any row arrives
        self._first_load()

    # --- supplied by the subclass ------------------------------------------------------

    def _filter_row(self) -> QHBoxLayout:
        """Build the search box, filters and count label (connected to ``reload``) and lay them out."""
        raise NotImplementedError

    def current_filter(self):
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload the filter choices and the rows (after any change to the roster)."""
        raise NotImplementedError

    def _first_load(self) -> None:
        """Fill the tab as it is built; a roster of 100,000 rows overrides this to fill it once it is on screen."""
        self.refresh()

    def reload(self) -> None:
        raise NotImplementedError

    def _entry_dialog(self, entry_id: int | None):
        """The add (``entry_id`` None) or edit dialog; after ``exec()`` its ``entry_id`` is the saved entry."""
        raise NotImplementedError

    def _set_active(self, session, entry_id: int, active: bool) -> None:
        raise NotImplementedError

    def _recusals_dialog(self, row) -> QDialog:
        raise NotImplementedError

    # --- shared --------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        writable = self.ctx.can_write()
        row = self.table.selected_row()
        self.add_button.setEnabled(writable)
        self.import_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.toggle_button.setEnabled(writable and row is not None)
        self.toggle_button.setText("启用" if row is not None and not row.active else "停用")
        self.recusal_button.setEnabled(row is not None)

    # The Excel side (openpyxl, calamine, numpy: a quarter of a second) loads on first use, not with the window.

    def import_entries(self) -> None:
        from ui.roster import import_dialog

        import_dialog.start_import(self.ctx, self, self.kind)

    def export_entries(self) -> None:
        from ui.roster import import_dialog

        import_dialog.start_export(self.ctx, self, self.kind, self.current_filter())

    def save_template(self) -> None:
        from ui.roster import import_dialog

        import_dialog.start_template(self.ctx, self, self.kind)

    def add_entry(self) -> None:
        dlg = self._entry_dialog(None)
        if dlg.exec():
            self._changed(dlg.entry_id)

    def edit_selected(self) -> None:
        row = self.table.selected_row()
        if row is None or not self.ctx.can_write():
            return
        if self._entry_dialog(row.id).exec():
            self._changed(row.id)

    def toggle_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            with self.ctx.db.session() as s:
                self._set_active(s, row.id, not row.active)
        except ValueError as e:
            show_error(self, "无法更改状态", error_message(e))
            return
        self._changed(row.id)

    def show_recusals(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        self._recusals_dialog(row).exec()

    def _changed(self, select_id: int | None) -> None:
        self.ctx.notify(Topic.ROSTER)
        if select_id is not None:
            self.table.select_id(select_id)
