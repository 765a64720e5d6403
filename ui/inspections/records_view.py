"""The 检查记录 tab: this year's drawn objects, their inspection state, and the buttons to record and issue."""
from __future__ import annotations


from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.inspection_service import PickRow, list_picks
from models.notice_service import valid_notice_of
from models.plan_service import plan_years
from ui.inspections.evidence_dialog import EvidenceDialog
from ui.inspections.inspection_dialog import InspectionDialog
from ui.inspections.notice_dialog import IssueNoticeDialog
from ui.table_model import Column
from ui.widgets import RowTableView, YearCombo, show_info



def _result_colour(row: PickRow) -> str | None:
    if row.hazards:
        return "#c62828"
    return "#757575" if row.inspection_id is None else None


# Rows are PickRow, from list_picks.
COLUMNS = [
    Column("事项", "item_number"),
    Column("检查对象", "object_name"),
    Column("统一社会信用代码", "credit_code"),
    Column("抽取记录", "draw_id", align_right=True),
    Column("抽取的检查人员", "inspectors"),
    Column("检查结果", "status", color=_result_colour),
    Column("隐患", "hazards", fmt=lambda n: str(n) if n else "", align_right=True),
]


class RecordsView(QWidget):
    """Pick a drawn object, record what the inspectors found, make its notice."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        self.year = YearCombo()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.year)
        self.count = QLabel()
        bar.addWidget(self.count, 1)
        self.record_button = QPushButton("录入/修改检查记录…")
        self.record_button.clicked.connect(self.edit_selected)
        self.notice_button = QPushButton("制作整改通知书…")
        self.notice_button.clicked.connect(self.issue_selected)
        self.evidence_button = QPushButton("证据材料…")
        self.evidence_button.setToolTip("照片、签字的检查记录扫描件、执法记录仪视频或编号")
        self.evidence_button.clicked.connect(self.evidence_selected)
        bar.addWidget(self.record_button)
        bar.addWidget(self.notice_button)
        bar.addWidget(self.evidence_button)
        layout.addLayout(bar)
        self.table = RowTableView(COLUMNS, self, widths=(60, 260, 170, 70, 200, 200), id_field="pick_id")
        self.table.row_activated.connect(lambda row: self.edit(row.pick_id))
        self.table.selection_changed.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        hint = QLabel("只列出仍然有效的抽取结果（被重抽或替补替代的对象不再列出）。双击一行录入检查记录。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._load_years()

    def _load_years(self) -> None:
        with self.ctx.db.session() as s:
            self.year.set_years(plan_years(s))

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
        done = sum(1 for r in rows if r.inspection_id is not None)
        self.count.setText(f"　抽中 {len(rows)} 个，已录入 {done} 个")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can_write()
        self.record_button.setEnabled(writable and row is not None)
        self.notice_button.setEnabled(writable and row is not None and bool(row.hazards))
        self.evidence_button.setEnabled(row is not None and row.inspection_id is not None)

    def select_inspection(self, inspection_id: int) -> None:
        for row in self.table.rows():
            if row.inspection_id == inspection_id:
                self.table.select_id(row.pick_id)
                return

    def edit(self, pick_id: int) -> None:
        dialog = InspectionDialog(self.ctx, pick_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.table.select_id(pick_id)

    def edit_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self.edit(row.pick_id)

    def evidence_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None and row.inspection_id is not None:
            EvidenceDialog(self.ctx, row.inspection_id, self).exec()

    def issue_selected(self) -> None:
        row = self.table.selected_row()
        if row is None or row.inspection_id is None:
            return
        with self.ctx.db.session() as s:
            existing = valid_notice_of(s, row.inspection_id)
            number = existing.doc_number if existing else None
        if number:
            show_info(self, "已有通知书", f"该检查已有有效的整改通知书 {number}。"
                                         "如需重新制作，请在“通知书”页选择“重新制作”。")
            return
        IssueNoticeDialog(self.ctx, row.inspection_id, self).exec()
        self.refresh()
