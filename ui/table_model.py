"""A read-only Qt table model over named rows, shared by every list screen.

Rows come from a service as NamedTuples or frozen dataclasses (one row object per row, as in
Vorta's archive table model); a column names the field it shows and may format it. No widget
is built per row, so 100,000 rows open and scroll smoothly.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from operator import attrgetter, itemgetter
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

ROW_ROLE = Qt.ItemDataRole.UserRole + 1    # the whole row object
SORT_ROLE = Qt.ItemDataRole.UserRole + 2   # the raw value, for sorting numbers as numbers
NO_PARENT = QModelIndex()                  # the invalid index: a flat table's rows have no parent


@dataclass(frozen=True)
class Column:
    """One column: its header and the row field it shows (``Column("单位名称", "name")``).

    ``field`` is a field name of the row object. An int (a position in a plain tuple) is
    legacy, kept only for screens not yet converted (ui/draw); new code names the field.
    """

    title: str
    field: str | int
    fmt: Callable[[Any], str] | None = None           # display text; default str(value)
    align_right: bool = False
    color: Callable[[Any], str | None] | None = None  # foreground colour for the row, e.g. red for problems
    tooltip: Callable[[Any], str | None] | None = None
    sort_key: Callable[[Any], Any] | None = None      # for ranked text (风险等级) that must not sort by pinyin
    get: Callable[[Any], Any] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A C-level getter: data() runs for every visible cell, sorting for every row.
        getter = attrgetter(self.field) if isinstance(self.field, str) else itemgetter(self.field)
        object.__setattr__(self, "get", getter)


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_at(self, row: int):
        return self.rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.columns[section].title
            return str(section + 1)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        value = col.get(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if col.fmt is not None:
                return col.fmt(value)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            return value if value is not None else ""
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.color is not None:
            c = col.color(row)
            return QBrush(QColor(c)) if c else None
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        return None
