"""The 检查记录 tab: this year's drawn objects, their inspection state, and the buttons to record and issue."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from sqlalchemy import select

from models.inspection_service import list_picks
from models.notice_service import valid_notice_of
from models.plan import Plan
from ui.inspections.inspection_dialog import InspectionDialog
from ui.inspections.notice_dialog import IssueNoticeDialog
from ui.table_model import Column
from ui.widgets import RowTableView, show_info

# Row from list_picks: (pick_id, item number, object, code, draw id, inspectors, inspection id, status, hazards)
COLUMNS = [
    Column("事项", 1),
    Column("检查对象", 2),
    Column("统一社会信用代码", 3),
    Column("抽取记录", 4, align_right=True),
    Column("抽取的检查人员", 5),
    Column("检查结果", 7, color=lambda r: "#c62828" if r[8] else ("#757575" if r[6] is None else None)),
    Column("隐患", 8, fmt=lambda n: str(n) if n else "", align_right=True),
]


class RecordsView(QWidget):
    """Pick a drawn object, record what the inspectors found, make its notice."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        self.year = QComboBox()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.year)
        self.count = QLabel()
        bar.addWidget(self.count, 1)
        self.record_button = QPushButton("录入/修改检查记录…")
        self.record_button.clicked.connect(self.edit_selected)
        self.notice_button = QPushButton("制作整改通知书…")
        self.notice_button.clicked.connect(self.issue_selected)
        bar.addWidget(self.record_button)
        bar.addWidget(self.notice_button)
        layout.addLayout(bar)
        self.table = RowTableView(COLUMNS, self, widths=(60, 260, 170, 70, 200, 200))
        self.table.row_activated.connect(lambda row: self.edit(row[0]))
        self.table.selection_changed.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("只列出仍然有效的抽取结果（被重抽或替补替代的对象不再列出）。双击一行录入检查记录。"))
        self._load_years()

    def _load_years(self) -> None:
        with self.ctx.db.session() as s:
            years = list(s.scalars(select(Plan.year).order_by(Plan.year.desc())))
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y}年", y)
        wanted = current if current in years else (date.today().year if date.today().year in years else None)
        self.year.setCurrentIndex(max(self.year.findData(wanted), 0) if years else -1)
        self.year.blockSignals(False)

    def refresh(self) -> None:
        year = self.year.currentData()
        if year is None:
            self._load_years()
            year = self.year.currentData()
        rows = []
        if year is not None:
            with self.ctx.db.session() as s:
                rows = list_picks(s, year)
        self.table.set_rows(rows)
        done = sum(1 for r in rows if r[6] is not None)
        self.count.setText(f"　抽中 {len(rows)} 个，已录入 {done} 个")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can_write()
        self.record_button.setEnabled(writable and row is not None)
        self.notice_button.setEnabled(writable and row is not None and bool(row[8]))

    def select_inspection(self, inspection_id: int) -> None:
        for row in self.table.rows():
            if row[6] == inspection_id:
                self.table.select_id(row[0])
                return

    def edit(self, pick_id: int) -> None:
        dialog = InspectionDialog(self.ctx, pick_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.table.select_id(pick_id)

    def edit_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self.edit(row[0])

    def issue_selected(self) -> None:
        row = self.table.selected_row()
        if row is None or row[6] is None:
            return
        with self.ctx.db.session() as s:
            existing = valid_notice_of(s, row[6])
            number = existing.doc_number if existing else None
        if number:
            show_info(self, "已有通知书", f"该检查已有有效的整改通知书 {number}。如需重新制作，请在“通知书”页选择“重新制作”。")
            return
        IssueNoticeDialog(self.ctx, row[6], self).exec()
        self.refresh()
