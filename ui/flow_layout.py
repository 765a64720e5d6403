"""A layout that lines its widgets up left to right and wraps to a new line when the width runs out (button rows)."""
from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Qt's flow-layout example: items keep their size hints and move to the next line instead of being cut.

    ``addStretch()`` is accepted for symmetry with QHBoxLayout; items after it are pushed to the right end
    of the last line when they fit there.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None
        self.setSpacing(spacing)
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt naming
        self._items.append(item)

    def addStretch(self, _stretch: int = 1) -> None:  # noqa: N802 - Qt naming
        self._right_from = len(self._items)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt naming
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt naming
        if 0 <= index < len(self._items):
            if self._right_from is not None and index < self._right_from:
                self._right_from -= 1
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt naming
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt naming
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        # One line of everything: what the row would like, when there is room.
        visible = [i for i in self._items if not i.isEmpty()]
        width = sum(i.sizeHint().width() for i in visible) + self.spacing() * max(len(visible) - 1, 0)
        height = max((i.sizeHint().height() for i in visible), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt naming
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize().expandedTo(item.sizeHint()))
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[tuple[QLayoutItem, QSize, int]]] = [[]]
        x = area.x()
        for n, item in enumerate(self._items):
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if lines[-1] and x + hint.width() > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, hint, n))
            x += hint.width() + self.spacing()
        y = area.y()
        for line in lines:
            height = max((h.height() for _i, h, _n in line), default=0)
            if move and line:
                right = [entry for entry in line if self._right_from is not None and entry[2] >= self._right_from]
                left = [entry for entry in line if entry not in right]
                x = area.x()
                for item, hint, _n in left:
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                    x += hint.width() + self.spacing()
                x = area.right() + 1 - sum(h.width() for _i, h, _n in right) - self.spacing() * max(len(right) - 1, 0)
                for item, hint, _n in right:
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                    x += hint.width() + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - rect.y() + m.bottom() if any(lines) else 0


def flow_row(*widgets: QWidget) -> FlowLayout:
    """A wrapping row of *widgets* (buttons that move to a second line on a narrow screen)."""
    row = FlowLayout()
    for w in widgets:
        row.addWidget(w)
    return row

