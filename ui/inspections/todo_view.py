"""The 待办 tab: what is due today and what is late (red); double-click opens the record."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.todo import TodoEntry, todo_list, todo_warnings
from models.workdays import format_cn_date
from ui.table_model import Column
from ui.widgets import RowTableView

RED = "#c62828"


def _red_if_late(entry: TodoEntry) -> str | None:
    return RED if entry.overdue else None


# Rows are the TodoEntry lines themselves.
COLUMNS = [
    Column("事项", "kind", color=_red_if_late),
    Column("单位", "unit_name", color=_red_if_late),
    Column("文号", "doc_number", color=_red_if_late),
    Column("应办日期", "due", fmt=lambda d: format_cn_date(d) if d else "", color=_red_if_late),
    Column("说明", "label", color=_red_if_late, tooltip=lambda e: e.label),
]


class TodoView(QWidget):
    """The to-do list; emits ``open_notice(id)`` or ``open_inspection(id)`` when a line is opened."""

    open_notice = Signal(int)
    open_inspection = Signal(int)
    open_pick = Signal(int)
    open_duty = Signal(int)        # a routine duty falling due: its coverage

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        layout.addLayout(bar)
        self.warning = QLabel()
        self.warning.setStyleSheet(f"color: {RED};")
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        self.table = RowTableView(COLUMNS, self, widths=(110, 240, 230, 130))
        self.table.row_activated.connect(self._open)
        layout.addWidget(self.table, 1)
        hint = QLabel("红色为已逾期事项。双击一行打开对应的通知书或检查记录。")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def refresh(self) -> None:
        today = date.today()
        with self.ctx.db.session() as s:
            entries = todo_list(s, today)
            warnings = todo_warnings(s, entries)
        self.table.set_rows(entries, keep_id=False)
        late = sum(1 for e in entries if e.overdue)
        self.summary.setText(f"{format_cn_date(today)}　待办 {len(entries)} 项"
                             + (f"，其中逾期 {late} 项" if late else ""))
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def _open(self, entry: TodoEntry) -> None:
        if entry.duty_id is not None:
            self.open_duty.emit(entry.duty_id)
        elif entry.notice_id is not None:
            self.open_notice.emit(entry.notice_id)
        elif entry.inspection_id is None and entry.pick_id is not None:
            self.open_pick.emit(entry.pick_id)   # a drawn object not inspected yet
        elif entry.inspection_id is None:        # a plan item not drawn yet: the draw is on 随机抽取
            window = self.window()
            if hasattr(window, "show_section"):
                window.show_section("draw")
        else:
            self.open_inspection.emit(entry.inspection_id)
