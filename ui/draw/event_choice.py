"""The draw screen's choice for a per-event item: all the period's registered events, or a share of them."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSpinBox, QWidget


class EventChoice(QWidget):
    """本期登记活动 N 场 — 全部 (default) or 按比例 share%; shown only when the prepared item draws events."""

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
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count_label)
        row.addWidget(self.share_check)
        row.addWidget(self.share_spin)
        row.addStretch(1)
        self.share_check.toggled.connect(self.share_spin.setEnabled)
        self.share_check.toggled.connect(lambda _c: self.changed.emit())
        self.share_spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.hide()

    def value(self) -> int | None:
        """The share (percent) to pass as event_share, or None for every event of the period."""
        return self.share_spin.value() if self.isVisible() and self.share_check.isChecked() else None

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
