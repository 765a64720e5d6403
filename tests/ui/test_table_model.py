"""The shared table model shows service rows without any widget."""
from __future__ import annotations

from ui.table_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel


def test_rows_columns_and_roles(qapp):
    model = RowTableModel([Column("名称", 1), Column("数量", 2, fmt=lambda v: f"{v} 户", align_right=True,
                                                    color=lambda r: "#c00000" if r[2] == 0 else None)])
    model.set_rows([(1, "甲宾馆", 3), (2, "乙网吧", 0)])
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "名称"
    assert model.data(model.index(0, 1)) == "3 户"
    assert model.data(model.index(1, 1), SORT_ROLE) == 0
    assert model.data(model.index(1, 0), ROW_ROLE) == (2, "乙网吧", 0)
    from PySide6.QtCore import Qt
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is None
