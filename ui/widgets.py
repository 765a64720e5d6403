"""Small Qt helpers every screen reuses: search box, filter combo, sortable table, dialog buttons, message and file
dialogs."""
from __future__ import annotations

import weakref
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

import shiboken6

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHeaderView, QLabel, QLineEdit, QMessageBox,
    QTableView, QWidget,
)

from models.errors import UserError
from ui.sorting import SortableRowModel, sort_order, text_sort_keys  # noqa: F401 - also imported from here
from ui.table_model import Column

SEARCH_DELAY_MS = 250
ALL_TEXT = "全部"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"

class SearchEdit(QLineEdit):
    """A search box that emits ``search_changed(text)`` once the clerk pauses typing."""

    search_changed = Signal(str)

    def __init__(self, placeholder: str = "搜索", parent: QWidget | None = None, delay_ms: int = SEARCH_DELAY_MS):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        # Re-querying 100,000 rows on every keystroke would make typing stutter.
        self.textChanged.connect(lambda _text: self._timer.start())
        self._timer.timeout.connect(lambda: self.search_changed.emit(self.text().strip()))

    def flush(self) -> None:
        """Emit now instead of waiting for the pause (e.g. on Enter)."""
        self._timer.stop()
        self.search_changed.emit(self.text().strip())

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt naming
        # A search typed just before the tab or window was left applies now, while its database is
        # still open, not a moment later behind the clerk's back (or after the window has closed it).
        if self._timer.isActive():
            self.flush()
        super().hideEvent(event)


class FilterCombo(QComboBox):
    """A filter whose first entry "全部" means no filter; ``value()`` is None for it."""

    value_changed = Signal(object)

    def __init__(self, values: Sequence[str] = (), parent: QWidget | None = None, all_text: str = ALL_TEXT):
        super().__init__(parent)
        self._all_text = all_text
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_values(values)
        self.currentIndexChanged.connect(lambda _i: self.value_changed.emit(self.value()))

    def set_values(self, values: Sequence[str]) -> None:
        """Replace the choices, keeping the current one if it is still offered."""
        current = self.value()
        self.blockSignals(True)
        self.clear()
        self.addItem(self._all_text, None)
        for v in values:
            if v:
                self.addItem(v, v)
        index = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        if self.value() != current:
            self.value_changed.emit(self.value())

    def value(self) -> str | None:
        return self.currentData()

    def set_value(self, value: str | None) -> None:
        index = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(index, 0))


class YearCombo(QComboBox):
    """The 年度 chooser of the screens that work on one plan year (models.plan_service.plan_years).

    On reload it keeps the chosen year while it still exists, else picks this year's plan (the
    one being worked on), else the newest. ``currentIndexChanged`` is not emitted by a reload.
    """

    def __init__(self, parent: QWidget | None = None, label: Callable[[int], str] = "{}年".format):
        super().__init__(parent)
        self._label = label

    def year(self) -> int | None:
        return self.currentData()

    def set_years(self, years: Sequence[int], prefer: int | None = None,
                  labels: dict[int, str] | None = None) -> None:
        """Offer *years* (newest first); *prefer* wins over the current choice when it is offered."""
        keep = prefer if prefer is not None else self.year()
        self.blockSignals(True)
        self.clear()
        for y in years:
            self.addItem(labels[y] if labels else self._label(y), y)
        wanted = next((y for y in (keep, date.today().year) if y is not None and y in years), None)
        self.setCurrentIndex(self.findData(wanted) if wanted is not None else (0 if years else -1))
        self.blockSignals(False)


class RowTableView(QTableView):
    """A read-only, row-selecting, sortable table over row objects; double-click emits ``row_activated(row)``.

    ``id_field`` names the row field that identifies a row (kept selected across reloads).
    """

    row_activated = Signal(object)
    selection_changed = Signal()

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None, widths: Sequence[int] = (),
                 id_field: str = "id"):
        super().__init__(parent)
        self.id_field = id_field
        self.table_model = SortableRowModel(columns, self)
        self.setModel(self.table_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # No initial sort: rows arrive in the service's order and sorting 100,000 on open costs time.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        vheader = self.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        vheader.hide()
        for col, width in enumerate(widths):
            self.setColumnWidth(col, width)
        self.doubleClicked.connect(self._on_double_click)
        self.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.table_model.modelReset.connect(lambda: self.selection_changed.emit())

    def row_id(self, row) -> Any:
        """The id of *row*: its ``id_field``; a plain tuple's first field (legacy rows of ui/draw)."""
        try:
            return getattr(row, self.id_field)
        except AttributeError:
            return row[0]

    def set_rows(self, rows: list, keep_id: bool = True, sort_keys: dict[int, list[int]] | None = None) -> None:
        """Show *rows*; the row whose id was selected stays selected (*sort_keys*: see SortableRowModel)."""
        selected = self.selected_row() if keep_id else None
        self.table_model.set_rows(rows, sort_keys)
        if selected is not None:
            self.select_id(self.row_id(selected))

    def rows(self) -> list:
        return self.table_model.rows

    def row_count(self) -> int:
        return self.table_model.rowCount()

    def selected_rows(self) -> list:
        return [self.table_model.row_at(i.row()) for i in self.selectionModel().selectedRows()]

    def selected_row(self) -> Any | None:
        """The row with the keyboard focus if it is selected, else the first selected one."""
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        current = self.selectionModel().currentIndex()
        if current.isValid() and self.selectionModel().isRowSelected(current.row(), QModelIndex()):
            return self.table_model.row_at(current.row())
        return self.table_model.row_at(rows[0].row())

    def select_id(self, row_id: Any) -> bool:
        for i, row in enumerate(self.table_model.rows):
            if self.row_id(row) == row_id:
                self.selectRow(i)
                self.scrollTo(self.table_model.index(i, 0))
                return True
        return False

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self.row_activated.emit(self.table_model.row_at(index.row()))


def error_message(exc: BaseException) -> str:
    """The clerk-facing text of an exception: our own errors carry Chinese text already."""
    text = str(exc).strip()
    if isinstance(exc, UserError) and text:
        return text
    if isinstance(exc, (ValueError, OSError)) and text:
        if isinstance(exc, PermissionError):
            return f"无法写入或读取文件（可能已在 Excel 中打开）：{getattr(exc, 'filename', '') or text}"
        return text
    if any(w in str(getattr(exc, "orig", "") or "") for w in ("database is locked", "database is busy")):
        # A reader beside this program (models.lock) held SQLite's write lock for a moment.
        return "数据库正在被另一个程序写入，本次操作未保存，请稍后重试。"
    return f"发生意外错误：{type(exc).__name__}：{text}" if text else f"发生意外错误：{type(exc).__name__}"


def ok_cancel_buttons(dialog: QDialog, ok_text: str = "确定",
                      on_ok: Callable[[], None] | None = None) -> QDialogButtonBox:
    """OK/取消 buttons for *dialog*: OK runs *on_ok* (by default it accepts), 取消 rejects."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(on_ok or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def error_label() -> QLabel:
    """The hidden red line under a dialog's form where a refused save says why."""
    label = QLabel()
    label.setObjectName("error_message")
    label.setStyleSheet("color: #b00000;")
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_open_xlsx(parent: QWidget | None, title: str = "选择 Excel 文件") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", XLSX_FILTER)
    return Path(path) if path else None


def ask_save_xlsx(parent: QWidget | None, title: str, suggested_name: str) -> Path | None:
    """Ask where to save a workbook; ``.xlsx`` is added when the clerk left it out."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested_name), XLSX_FILTER)
    if not path:
        return None
    p = Path(path)
    return p if p.suffix.lower() == ".xlsx" else p.with_name(p.name + ".xlsx")


def on_notify(ctx, widget: QWidget, topics, refresh: Callable[[], None]) -> None:
    """Call *refresh* once whenever any of *topics* (a ui.context.Topic, or several) is announced,
    for as long as *widget* exists."""
    wanted = {str(topics)} if isinstance(topics, str) else {str(t) for t in topics}

    def listener(changed: str) -> None:
        if not shiboken6.isValid(widget):
            forget()
        elif changed in wanted:
            refresh()

    listener.topics = wanted   # lets ctx.notify call it once for several topics
    ctx.subscribe(listener)
    # Weakly: a listener naming itself is a cycle, which kept a closed tab (300,000 rows) until a full collection.
    me = weakref.ref(listener)

    def forget() -> None:
        # A closed screen must not stay alive (with, say, 100,000 rows) in ctx.listeners until the next notify.
        if me() in ctx.listeners:
            ctx.listeners.remove(me())

    widget.destroyed.connect(forget)
