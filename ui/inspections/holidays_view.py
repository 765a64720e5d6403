"""The 节假日 tab: where a clerk enters the holidays and make-up working days of a year the package does not know."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from models.calendar_service import add_override, list_overrides, remove_override, year_status
from models.workdays import format_cn_date
from ui.context import Topic
from ui.inspections.inspection_dialog import date_edit, from_qdate
from ui.table_model import Column
from ui.widgets import RowTableView, confirm, error_message, show_error

WEEKDAYS = "一二三四五六日"
# Rows are the OverrideRow entries of list_overrides.
COLUMNS = [
    Column("日期", "day", fmt=lambda d: f"{format_cn_date(d)}（周{WEEKDAYS[d.weekday()]}）"),
    Column("类型", "kind"),
    Column("名称", "name"),
]


class HolidaysView(QWidget):
    """One year's entered days; entries win over the built-in calendar."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        bar.addWidget(self.year)
        self.status = QLabel()
        self.status.setWordWrap(True)
        bar.addWidget(self.status, 1)
        layout.addLayout(bar)
        help_text = QLabel("国务院每年公布次年的放假安排。内置日历尚未收录的年份，请在此逐日录入放假日和调休上班日；"
                           "录入的日子优先于内置日历。未录入时，期限按周一至周五计算。")
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        self.table = RowTableView(COLUMNS, self, widths=(200, 100), id_field="day")
        layout.addWidget(self.table, 1)
        form = QHBoxLayout()
        self.day = date_edit(date(self.year.value(), 1, 1))
        self.kind = QComboBox()
        self.kind.addItems(["放假", "调休上班"])
        self.name = QLineEdit()
        self.name.setPlaceholderText("名称，例如：春节")
        self.add_button = QPushButton("录入")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("删除所选")
        self.remove_button.clicked.connect(self.remove)
        for w in (QLabel("日期"), self.day, self.kind, self.name, self.add_button, self.remove_button):
            form.addWidget(w)
        layout.addLayout(form)
        writable = ctx.can_write()
        self.add_button.setEnabled(writable)
        self.remove_button.setEnabled(writable)

    def refresh(self) -> None:
        year = self.year.value()
        with self.ctx.db.session() as s:
            rows = list_overrides(s, year)
            self.status.setText(year_status(s, year))
        self.table.set_rows(rows)

    def add(self) -> None:
        day = from_qdate(self.day.date())
        try:
            with self.ctx.db.session() as s:
                add_override(s, day, self.kind.currentText() == "调休上班", self.name.text(), self.ctx.actor())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "无法录入", error_message(exc))
            return
        self.year.setValue(day.year)
        self.ctx.notify(Topic.CALENDAR)
        self.refresh()

    def remove(self) -> None:
        rows = self.table.selected_rows()
        if not rows or not confirm(self, "删除节假日", f"删除所选的 {len(rows)} 天？"):
            return
        try:
            with self.ctx.db.session() as s:
                for row in rows:
                    remove_override(s, row.day, self.ctx.actor())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "无法删除", error_message(exc))
            return
        self.ctx.notify(Topic.CALENDAR)
        self.refresh()
