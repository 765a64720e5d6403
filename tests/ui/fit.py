"""Does a window fit a 1366×768 office screen (1366×728 above a Windows taskbar)? Walk its widgets and say what is cut
off."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractScrollArea, QApplication, QComboBox, QLabel, QLayout, QLineEdit, QTabBar, QWidget,
)

OFFICE_SCREEN = (1366, 728)     # 1366×768 less a Windows taskbar
TEXT_WIDGETS = (QLabel, QAbstractButton, QLineEdit, QComboBox)


def _inside_scroll_area(widget: QWidget, top: QWidget) -> bool:
    """Widgets in a scrolled view are reached by scrolling; their position says nothing about fitting."""
    w = widget.parentWidget()
    while w is not None and w is not top:
        if isinstance(w, QAbstractScrollArea) or isinstance(w.parentWidget(), QAbstractScrollArea):
            return True
        w = w.parentWidget()
    return False


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
        text = widget.text()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    label = (type(widget).__name__ + (f" “{text[:40]}”" if text else "")
             + (f" #{widget.objectName()}" if widget.objectName() else ""))
    return label


def _text_clipped(widget: QWidget) -> bool:
    """A one-line label or a button whose text needs more width than it has."""
    if isinstance(widget, QLabel):
        if widget.wordWrap() or not widget.text() or widget.pixmap() is not None and not widget.pixmap().isNull():
            return False
        if widget.textFormat() == widget.textFormat().RichText or "<" in widget.text():
            return (widget.sizeHint().width() > widget.width() + 2
                    and widget.minimumSizeHint().width() > widget.width() + 2)
        return widget.sizeHint().width() > widget.width() + 2
    if isinstance(widget, QAbstractButton) and widget.text():
        return widget.sizeHint().width() > widget.width() + 2
    return False


def _wrapped_text_cut(widget: QWidget) -> bool:
    """A word-wrapped label given fewer lines than its text needs at its width: the last lines are cut off."""
    if not isinstance(widget, QLabel) or not widget.wordWrap() or not widget.text():
        return False
    return widget.heightForWidth(widget.width()) > widget.height() + 2


def _overlaps(top: QWidget) -> list[str]:
    """Texts laid over one another: a layout below its minimum overlaps its widgets instead of cutting them."""
    shown = [w for w in top.findChildren(QWidget) if isinstance(w, TEXT_WIDGETS) and w.isVisibleTo(top)
             and w.width() > 0 and w.height() > 0 and not _inside_scroll_area(w, top)]
    found = []
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            if a.parentWidget() is b.parentWidget() and a.geometry().intersected(b.geometry()).height() > 2:
                found.append(f"{_name(a)} 与 {_name(b)} 重叠")
    return found


def problems(top: QWidget, size: tuple[int, int] = OFFICE_SCREEN) -> list[str]:
    """What does not fit when *top* is shown at *size*: a grown window, a child outside it, clipped text."""
    QApplication.processEvents()
    found = []
    width, height = size
    if top.width() > width or top.height() > height:
        found.append(f"{_name(top)} 窗口为 {top.width()}×{top.height()}，超过屏幕 {width}×{height}")
    least = top.minimumSize()
    if top.layout() is None or top.layout().sizeConstraint() != QLayout.SizeConstraint.SetNoConstraint:
        least = least.expandedTo(top.minimumSizeHint())
    if least.width() > width or least.height() > height:
        # Offscreen the window may be given any size; a real screen cannot shrink it below this.
        found.append(f"{_name(top)} 最小尺寸为 {least.width()}×{least.height()}，超过屏幕 {width}×{height}")
    frame = QRect(0, 0, min(top.width(), width), min(top.height(), height))
    found += _overlaps(top)
    for w in top.findChildren(QWidget):
        if not w.isVisibleTo(top) or w.width() <= 0 or w.height() <= 0 or isinstance(w, QTabBar):
            continue
        if _inside_scroll_area(w, top):
            continue
        if not isinstance(w, TEXT_WIDGETS):
            continue
        rect = QRect(w.mapTo(top, w.rect().topLeft()), w.size())
        if not frame.contains(rect):
            found.append(f"{_name(w)} 在 {rect.x()},{rect.y()} {rect.width()}×{rect.height()}，超出可见范围")
        elif _text_clipped(w):
            found.append(f"{_name(w)} 文字被截断（需要 {w.sizeHint().width()} 像素，只有 {w.width()}）")
        elif _wrapped_text_cut(w):
            found.append(f"{_name(w)} 文字下部被截断（需要 {w.heightForWidth(w.width())} 像素高，只有 {w.height()}）")
    return found
