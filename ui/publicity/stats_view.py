"""The 统计 tab: the headline figures, then per item, per responsible unit, per inspector and the three-year
coverage."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from models.statistics import NOT_REACHED, YearStats
from reports.year_report import (
    COVERAGE_HEADERS, FIGURE_HEADERS, INSPECTOR_HEADERS, coverage_rows, inspector_rows, item_rows, summary_lines,
    unit_rows,
)
from ui.publicity.cells import HeaderRow, header_columns, header_rows
from ui.table_model import Column
from ui.widgets import RowTableView

_TEXT_COLS = {"名称", "责任单位", "抽查规则", "是否达到", "姓名", "单位", "检查对象类型"}


def _not_reached(row: HeaderRow) -> str | None:
    return "#c62828" if row.cell("是否达到") == NOT_REACHED else None


def _columns(headers: list[str]) -> list[Column]:
    return header_columns(headers, align_right=lambda h: h not in _TEXT_COLS,
                          color=_not_reached if headers is FIGURE_HEADERS else None)


def _rows_height(table: RowTableView, rows: int) -> int:
    """Pixels that show the header, ``rows`` rows and the horizontal scroll bar without scrolling."""
    return (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
            + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth() + 2)


def _box(title: str, table: RowTableView) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(table)
    return box


class StatsView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        figure_widths = (240, 90, 60, 60, 160, 60, 60, 60, 70, 70, 70, 80, 80, 50, 60, 70, 70, 60, 80)
        self.items = RowTableView(_columns(FIGURE_HEADERS), self, widths=figure_widths)
        self.units = RowTableView(_columns(FIGURE_HEADERS), self, widths=figure_widths)
        self.inspectors = RowTableView(_columns(INSPECTOR_HEADERS), self, widths=(50, 100, 180, 80, 100))
        self.coverage = RowTableView(_columns(COVERAGE_HEADERS), self, widths=(200, 100, 110, 100))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_box("各抽查事项完成情况（计划数按规则计算，红色为未达到计划）", self.items))
        split.addWidget(_box("各责任单位完成情况", self.units))
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(_box("执法检查人员工作量（抽取分配是否均衡）", self.inspectors))
        self.coverage_box = _box("近三年检查覆盖情况", self.coverage)
        lower.addWidget(self.coverage_box)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 2)
        layout.addWidget(split, 1)

    def set_stats(self, stats: YearStats | None) -> None:
        if stats is None:
            self.summary.setText("所选年度没有抽查计划。")
            for table in (self.items, self.units, self.inspectors, self.coverage):
                table.set_rows([], keep_id=False)
            return
        self.summary.setText("\n".join(summary_lines(stats)))
        self.items.set_rows(header_rows(FIGURE_HEADERS, item_rows(stats)), keep_id=False)
        self.units.set_rows(header_rows(FIGURE_HEADERS, unit_rows(stats)), keep_id=False)
        # A bureau has a handful of responsible units: show them all rather than a sliver to scroll.
        self.units.setMinimumHeight(_rows_height(self.units, min(max(self.units.row_count(), 1), 6)))
        self.inspectors.set_rows(header_rows(INSPECTOR_HEADERS, inspector_rows(stats)), keep_id=False)
        self.coverage.set_rows(header_rows(COVERAGE_HEADERS, coverage_rows(stats)), keep_id=False)
        cov = stats.coverage
        self.coverage_box.setTitle(f"近三年检查覆盖情况（{cov.first_year}—{cov.last_year}年，"
                                   f"未检查 {cov.never} 户）")
