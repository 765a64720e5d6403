"""The main window: a navigation list on the left, the chosen section's page on the right."""
from __future__ import annotations

import importlib

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMainWindow, QSplitter, QStackedWidget, QWidget,
)

from ui.context import ALL_DATA, AppContext, Topic
from ui.sections import SECTIONS

PREFERRED_SIZE = QSize(1280, 800)
# What a window manager adds around a window (title bar, borders): left free so the frame fits too.
FRAME_ALLOWANCE = QSize(16, 40)


def opening_geometry(available: QRect) -> tuple[QRect, bool]:
    """Where the main window opens on a screen whose free area (less the task bar) is *available*.

    Returns (geometry, maximised): a screen that cannot hold the preferred size with its frame
    (a 1366×768 office PC) gets the window maximised; a larger one gets it centred at that size.
    """
    wanted = PREFERRED_SIZE + FRAME_ALLOWANCE
    if wanted.width() > available.width() or wanted.height() > available.height():
        size = PREFERRED_SIZE.boundedTo(available.size() - FRAME_ALLOWANCE)
        return QRect(available.topLeft(), size), True
    rect = QRect(0, 0, PREFERRED_SIZE.width(), PREFERRED_SIZE.height())
    rect.moveCenter(available.center())
    return rect, False


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, bureau: str = ""):
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(f"双随机 desk — {bureau}" if bureau else "双随机 desk")
        self._maximise = False
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            geometry, self._maximise = opening_geometry(screen.availableGeometry())
            self.setGeometry(geometry)
        else:
            self.resize(PREFERRED_SIZE)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(150)
        self.nav.setMaximumWidth(220)
        nav_font = QFont(self.nav.font())
        nav_font.setPointSize(nav_font.pointSize() + 3)
        self.nav.setFont(nav_font)
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        for section in SECTIONS:
            item = QListWidgetItem(section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(section.purpose)
            item.setSizeHint(item.sizeHint().expandedTo(self.nav.fontMetrics().size(0, "名录库") * 2))
            self.nav.addItem(item)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.nav.currentRowChanged.connect(self._show_row)
        where = "数据库" if ctx.db.is_sqlite else "办公室服务器"
        # A label, not a temporary message: hovering a menu clears those, and the clerk must always see
        # whether the data is on this PC or on the office server.
        self.where_label = QLabel(f"{where}：{ctx.db.location}    用户：{ctx.user}（{ctx.role}）")
        self.where_label.setObjectName("where")
        self.where_label.setToolTip(self.where_label.text())
        self.where_label.setMinimumWidth(1)  # a deep folder path must not widen the window past the screen
        self.statusBar().addWidget(self.where_label)
        view_menu = self.menuBar().addMenu("查看(&V)")
        # Other workstations change the office server's data while this window shows it: F5 reads
        # everything again (each screen also reads afresh before a write that depends on it).
        self.refresh_action = view_menu.addAction("刷新：重新读取数据库中的最新数据")
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.refresh_all)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.about_action = help_menu.addAction("关于 双随机 desk")
        self.about_action.triggered.connect(self.show_about)
        self.nav.setCurrentRow(0)

    def refresh_all(self) -> None:
        """Every screen reads the database again (the clerk pressed F5: another seat may have changed it)."""
        self.ctx.notify(*ALL_DATA, Topic.CALENDAR, Topic.USERS)
        self.statusBar().showMessage("已重新读取数据库中的最新数据", 4000)

    def show_fitted(self) -> None:
        """Show the window within its screen: maximised where the preferred size does not fit."""
        if self._maximise:
            self.showMaximized()
        else:
            self.show()

    def show_about(self) -> None:
        from ui.about import AboutDialog

        AboutDialog(self.ctx.db.location, self).exec()

    def page(self, key: str) -> QWidget:
        """The page of a section, built on first use so the window opens fast."""
        if key not in self._pages:
            section = next(s for s in SECTIONS if s.key == key)
            module_name, class_name = section.page.split(":")
            widget = getattr(importlib.import_module(module_name), class_name)(self.ctx, self)
            self._pages[key] = widget
            self.stack.addWidget(widget)
        return self._pages[key]

    def show_section(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(SECTIONS) if s.key == key)
        self.nav.setCurrentRow(row)
        return self._pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentWidget(self.page(SECTIONS[row].key))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        # Let a running import or export finish its transaction rather than cut it off.
        self.ctx.runner.wait(60000)
        super().closeEvent(event)
