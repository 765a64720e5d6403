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


def test_a_column_names_the_field_of_a_named_row_and_sorting_follows_it(qapp):
    from typing import NamedTuple

    from PySide6.QtCore import Qt

    from ui.widgets import SortableRowModel

    class Unit(NamedTuple):
        """检查对象 as a list row."""

        id: int
        name: str
        risk_level: str

    order = {"低风险": 0, "中风险": 1, "高风险": 2}
    model = SortableRowModel([Column("单位名称", "name"),
                              Column("风险等级", "risk_level", sort_key=lambda v: order[v])])
    model.set_rows([Unit(1, "甲宾馆", "高风险"), Unit(2, "乙网吧", "低风险"), Unit(3, "丙典当行", "中风险")])
    assert model.data(model.index(0, 1)) == "高风险"
    assert model.data(model.index(0, 0), ROW_ROLE) == Unit(1, "甲宾馆", "高风险")
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in model.rows] == ["甲宾馆", "丙典当行", "乙网吧"]
    model.sort(0)
    assert [r.name for r in model.rows] == ["丙典当行", "甲宾馆", "乙网吧"]   # by pinyin: bing, jia, yi


def test_the_year_chooser_keeps_the_year_then_prefers_this_year(qtbot):
    from datetime import date

    from ui.widgets import YearCombo

    combo = YearCombo()
    qtbot.addWidget(combo)
    this_year = date.today().year
    combo.set_years([this_year + 1, this_year, this_year - 1])
    assert combo.year() == this_year and combo.currentText() == f"{this_year}年"
    combo.setCurrentIndex(combo.findData(this_year - 1))
    combo.set_years([this_year + 1, this_year, this_year - 1])
    assert combo.year() == this_year - 1
    combo.set_years([this_year + 1])
    assert combo.year() == this_year + 1
    combo.set_years([])
    assert combo.year() is None
