"""Fitting the projector to its screen: type that shrinks until nothing is squeezed, and the result table
shown a page at a time (as many whole rows as the screen holds, 第 n/m 页, turning by key or timer)."""
from __future__ import annotations

import math

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QTableView, QWidget

TURN_MS = 10_000  # a page stays up long enough for the room to read every name on it


class TablePager(QObject):
    """Shows one page of *table*'s rows at a time by hiding the others; the model keeps every row."""

    changed = Signal(str)  # the page indicator, "第 1/3 页"

    def __init__(self, table: QTableView, parent: QObject | None = None, turn_ms: int = TURN_MS):
        super().__init__(parent)
        self.table = table
        self.page = 0
        self.per_page = 1
        self.timer = QTimer(self)
        self.timer.setInterval(turn_ms)
        self.timer.timeout.connect(self.next_page)

    def row_count(self) -> int:
        model = self.table.model()
        return model.rowCount() if model is not None else 0

    def page_count(self) -> int:
        return max(1, math.ceil(self.row_count() / self.per_page))

    def relayout(self) -> None:
        """Count the rows that fit the table's height now (after a resize or a new font) and show the page again."""
        header = self.table.horizontalHeader().height() if self.table.horizontalHeader().isVisible() else 0
        room = self.table.height() - header - 2 * self.table.frameWidth()
        row = max(1, self.table.verticalHeader().defaultSectionSize())
        first = self.page * self.per_page
        self.per_page = max(1, room // row)
        self.page = min(first // self.per_page, self.page_count() - 1)
        self._show()

    def start(self) -> None:
        """Begin turning pages by themselves when there is more than one."""
        self.relayout()
        if self.page_count() > 1:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def next_page(self) -> None:
        self.page = (self.page + 1) % self.page_count()
        self._show()

    def previous_page(self) -> None:
        self.page = (self.page - 1) % self.page_count()
        self._show()

    def indicator(self) -> str:
        return f"第 {self.page + 1}/{self.page_count()} 页"

    def _show(self) -> None:
        first, last = self.page * self.per_page, (self.page + 1) * self.per_page
        table = self.table
        table.setUpdatesEnabled(False)
        for r in range(self.row_count()):
            table.setRowHidden(r, not first <= r < last)
        table.setUpdatesEnabled(True)
        table.scrollToTop()
        if self.timer.isActive():
            self.timer.start()  # a page turned by hand gets its full time too
        self.changed.emit(self.indicator())


def squeezed(window: QWidget) -> bool:
    """Laid out at its size now, does *window* give any shown text fewer lines than it needs, or overlap two?

    *window*'s layout must have the SetNoConstraint size constraint, or laying it out would grow it.
    """
    for child in window.findChildren(QWidget):  # nested layouts cache their hints as well
        if child.layout() is not None:
            child.layout().invalidate()
    window.layout().activate()
    for child in window.findChildren(QWidget):
        if child.layout() is not None:
            child.layout().activate()
    labels = [label for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
    if any(label.wordWrap() and label.text() and label.heightForWidth(label.width()) > label.height() + 2
           for label in labels):
        return True
    # Below its minimum a box layout overlaps its widgets rather than cutting them.
    return any(a.parentWidget() is b.parentWidget() and a.geometry().intersects(b.geometry())
               for i, a in enumerate(labels) for b in labels[i + 1:])
