"""The draw screen's choice for a per-event item: the period (活动期间, the plan year unless changed) and all its
registered events, or a share of them — what `seal --events-from/--events-to/--share` pass on the command line."""
from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class EventChoice(QWidget):
    """活动期间 from–to, 本期登记活动 N 场 — 全部 (default) or 按比例 share%; shown only when the prepared item
    draws events."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.count_label = QLabel()
        self.count_label.setObjectName("event_count")
        self.share_check = QCheckBox("按比例抽取")
        self.share_spin = QSpinBox()
        self.share_spin.setRange(1, 100)
        self.share_spin.setValue(50)
        self.share_spin.setSuffix("%")
        self.share_spin.setEnabled(False)
        self.period_from, self.period_to = _date_edit(), _date_edit()
        self.period_from.setObjectName("event_period_from")
        self.period_to.setObjectName("event_period_to")
        self.period_from.setToolTip("抽取开始日期在此期间内的登记活动；默认为计划年度全年")
        self._year: int | None = None
        period = QHBoxLayout()
        period.setContentsMargins(0, 0, 0, 0)
        period.addWidget(QLabel("活动期间"))
        period.addWidget(self.period_from)
        period.addWidget(QLabel("至"))
        period.addWidget(self.period_to)
        period.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count_label)
        row.addWidget(self.share_check)
        row.addWidget(self.share_spin)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(period)
        outer.addLayout(row)
        for edit in (self.period_from, self.period_to):
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.share_check.toggled.connect(self.share_spin.setEnabled)
        self.share_check.toggled.connect(lambda _c: self.changed.emit())
        self.share_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.hide()

    def value(self) -> int | None:
        """The share (percent) to pass as event_share, or None for every event of the period."""
        return self.share_spin.value() if self.isVisible() and self.share_check.isChecked() else None

    def set_year(self, year: int | None) -> None:
        """The plan year the period defaults to: a new year resets the dates to its 1 January – 31 December."""
        if year is None or year == self._year:
            return
        self._year = year
        for edit, day in ((self.period_from, QDate(year, 1, 1)), (self.period_to, QDate(year, 12, 31))):
            edit.blockSignals(True)
            edit.setDate(day)
            edit.blockSignals(False)

    def period(self) -> list[str] | None:
        """[from, to] (ISO dates) to pass as event_period, or None (the plan year) when the item draws no events."""
        if not self.isVisible():
            return None
        return [self.period_from.date().toString("yyyy-MM-dd"), self.period_to.date().toString("yyyy-MM-dd")]

    def show_for(self, prep) -> None:
        """Visible with the period's count for a per-event preparation; hidden (and reset) otherwise."""
        if prep is None or prep.event_organisers is None:
            self.share_check.setChecked(False)
            self.hide()
            return
        share = self.share_check.isChecked()
        self.count_label.setText(f"本期登记活动 {prep.total_eligible} 场，"
                                 + (f"抽取 {prep.total_size} 场" if share else f"全部抽取 {prep.total_size} 场"))
        self.show()
