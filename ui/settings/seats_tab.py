"""The 当前连接 tab: which workstations and users are connected to the database now, with a 刷新 button."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)
from sqlalchemy import exc as sa_exc

from models import seats
from models.errors import UserError
from ui.context import AppContext, Topic
from ui.settings.common import note_label

SERVER_NOTE = ("每台工作站上的本软件连接服务器时都报上自己的计算机名和系统用户名；其他程序（如 psql、pgAdmin、"
               "备份任务）按其程序名和地址列出。从备份恢复只能在这里只剩本机一个连接时进行。")


class SeatsTab(QWidget):
    COLUMNS = ("计算机", "用户", "连接时间", "程序")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("seats")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.note = note_label(SERVER_NOTE)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.seats: list[seats.Seat] = []
        ctx.subscribe(self._on_notify)
        self.refresh()

    def _on_notify(self, topic: str) -> None:
        if topic == Topic.DATABASE:
            self.refresh()

    def refresh(self) -> None:
        db = self.ctx.db
        on_server = not db.is_sqlite
        self.note.setVisible(on_server)
        self.table.setVisible(on_server)
        try:
            self.seats = seats.connected_seats(db)
        except (UserError, sa_exc.DBAPIError, OSError) as e:
            self.seats = []
            self.summary.setText(f"无法读取当前连接：{getattr(e, 'orig', None) or e}")
            self.table.setRowCount(0)
            return
        if not on_server:
            holder = self.seats[0] if self.seats else None
            who = f"正在使用它的程序：{seats.describe(holder)}。" if holder else ""
            self.summary.setText(f"单机数据库：{db.location}。同一时间只有一个程序可以修改它，"
                                 f"不能在多台电脑上同时使用（多台电脑请连接办公室服务器）。{who}")
            return
        self.summary.setText(f"办公室服务器 {db.location}：当前共 {len(self.seats)} 个连接。")
        self.table.setRowCount(len(self.seats))
        for row, seat in enumerate(self.seats):
            program = seat.program + ("（本机）" if seat.this_program else "")
            for col, value in enumerate((seat.workstation, seat.user, seat.since_text(), program)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
