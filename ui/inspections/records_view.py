"""The 检查记录 tab: this year's drawn objects and their inspection state, the checks that were not drawn (日常巡查,
举报投诉 …) beside them with their 来源, and the buttons to record, register a check, issue and export the ledger."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.check_list import check_years, list_checks
from models.event_draw import beside_event
from models.inspection import CHECK_SOURCES, DRAWN_SOURCE
from models.inspection_service import list_picks
from models.notice_service import valid_notice_of
from models.plan_service import plan_years
from ui.inspections.check_dialog import CheckDialog
from ui.inspections.evidence_dialog import EvidenceDialog
from ui.inspections.inspection_dialog import InspectionDialog
from ui.inspections.notice_dialog import IssueNoticeDialog
from ui.inspections.record_sheet_menu import record_sheet_button
from ui.inspections.results_sheet_dialog import ResultsSheetBar
from ui.table_model import Column
from ui.widgets import RowTableView, YearCombo, show_info



ALL_SOURCES = "全部来源"


class RecordRow(NamedTuple):
    """One line of the tab: a drawn object (``key`` its pick id) or a check not drawn (``key`` ("check", id))."""

    key: object
    source: str
    item_number: str
    object_name: str
    credit_code: str
    draw_id: int | None
    inspectors: str          # drawn: the drawn inspectors; otherwise those who went
    status: str
    hazards: int
    pick_id: int | None
    inspection_id: int | None


def _result_colour(row: RecordRow) -> str | None:
    if row.hazards:
        return "#c62828"
    return "#757575" if row.inspection_id is None else None


COLUMNS = [
    Column("来源", "source"),
    Column("事项", "item_number"),
    Column("检查对象", "object_name"),
    Column("统一社会信用代码", "credit_code"),
    Column("抽取记录", "draw_id", fmt=lambda n: "" if n is None else str(n), align_right=True),
    Column("检查人员", "inspectors"),
    Column("检查结果", "status", color=_result_colour),
    Column("隐患", "hazards", fmt=lambda n: str(n) if n else "", align_right=True),
]


def _check_status(row) -> str:
    if row.source == "举报投诉" and row.reply_due and not row.finished:
        return f"{row.status}（答复期限{row.reply_due.isoformat()}）"
    return row.status


def record_rows(session, year: int, source: str | None) -> list[RecordRow]:
    """The drawn objects of the plan ``year`` and the checks not drawn made in ``year``, of ``source`` if given."""
    rows = []
    if source in (None, DRAWN_SOURCE):
        rows += [RecordRow(p.pick_id, DRAWN_SOURCE, p.item_number, beside_event(p.object_name, p.event),
                           p.credit_code, p.draw_id,
                           p.inspectors, p.status, p.hazards, p.pick_id, p.inspection_id)
                 for p in list_picks(session, year)]
    if source != DRAWN_SOURCE:
        rows += [RecordRow(("check", c.inspection_id), c.source, c.item_number, c.object_name, c.credit_code, None,
                           c.inspectors, _check_status(c), c.hazards, None, c.inspection_id)
                 for c in list_checks(session, year, source)]
    return rows


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
        self.source = QComboBox()
        self.source.addItems((ALL_SOURCES,) + CHECK_SOURCES)
        self.source.setToolTip("按检查来源筛选：双随机抽查的抽中对象，或日常巡查、举报投诉等非抽取的检查")
        self.source.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.source)
        self.count = QLabel()
        bar.addWidget(self.count, 1)
        self.record_button = QPushButton("录入/修改检查记录…")
        self.record_button.clicked.connect(self.edit_selected)
        self.check_button = QPushButton("登记检查（非抽取）…")
        self.check_button.setToolTip("日常巡查、专项检查、举报投诉、案后倒查、上级交办等不是抽取来的检查")
        self.check_button.clicked.connect(self.new_check)
        self.ledger_button = QPushButton("导出检查台账…")
        self.ledger_button.setToolTip("本年度全部检查（含非抽取的检查及其来源）的内部台账，不用于公示")
        self.ledger_button.clicked.connect(self.export_ledger)
        self.notice_button = QPushButton("制作整改通知书…")
        self.notice_button.clicked.connect(self.issue_selected)
        self.evidence_button = QPushButton("证据材料…")
        self.evidence_button.setToolTip("照片、签字的检查记录扫描件、执法记录仪视频或编号")
        self.evidence_button.clicked.connect(self.evidence_selected)
        bar.addWidget(self.record_button)
        bar.addWidget(self.check_button)
        bar.addWidget(self.notice_button)
        bar.addWidget(self.evidence_button)
        self.sheet_button = record_sheet_button(self)
        bar.addWidget(self.sheet_button)
        layout.addLayout(bar)
        self.table = RowTableView(COLUMNS, self, widths=(80, 60, 250, 170, 70, 190, 200), id_field="key")
        self.table.row_activated.connect(self._open_row)
        self.table.selection_changed.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        hint = QLabel("抽取结果只列出仍然有效的（被重抽或替补替代的对象不再列出）；非抽取的检查按检查日期所在年度列出。"
                      "双击一行录入或修改检查记录。")
        hint.setWordWrap(True)
        below = QHBoxLayout()
        below.addWidget(hint, 1)
        below.addWidget(self.ledger_button)
        layout.addLayout(below)
        self.results_bar = ResultsSheetBar(ctx, self.year.currentData,
                                           lambda: getattr(self.table.selected_row(), "draw_id", None), self)
        layout.addWidget(self.results_bar)
        self._load_years()

    def _load_years(self) -> None:
        with self.ctx.db.session() as s:
            years = sorted(set(plan_years(s)) | set(check_years(s)), reverse=True)
            self.year.set_years(years)

    def refresh(self) -> None:
        year = self.year.currentData()
        if year is None:
            self._load_years()
            year = self.year.currentData()
        rows = []
        if year is not None:
            with self.ctx.db.session() as s:
                source = self.source.currentText()
                rows = record_rows(s, year, None if source == ALL_SOURCES else source)
        self.table.set_rows(rows)
        drawn = [r for r in rows if r.pick_id is not None]
        done = sum(1 for r in drawn if r.inspection_id is not None)
        others = len(rows) - len(drawn)
        shown = self.source.currentText()
        parts = [] if shown not in (ALL_SOURCES, DRAWN_SOURCE) else [f"抽中 {len(drawn)} 个，已录入 {done} 个"]
        if others or shown not in (ALL_SOURCES, DRAWN_SOURCE):
            parts.append(f"其他检查 {others} 次")
        self.count.setText("　" + "；".join(parts))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can_write()
        self.record_button.setEnabled(writable and row is not None)
        self.check_button.setEnabled(writable)
        self.notice_button.setEnabled(writable and row is not None and bool(row.hazards))
        self.evidence_button.setEnabled(row is not None and row.inspection_id is not None)

    def select_inspection(self, inspection_id: int) -> None:
        for row in self.table.rows():
            if row.inspection_id == inspection_id:
                self.table.select_id(row.key)
                return

    def select_pick(self, pick_id: int) -> None:
        """Show the drawn object ``pick_id`` (e.g. from a 抽中待检查 reminder), whatever the source filter."""
        if self.source.currentText() not in (ALL_SOURCES, DRAWN_SOURCE):
            self.source.setCurrentText(ALL_SOURCES)
        self.table.select_id(pick_id)

    def _open_row(self, row: RecordRow) -> None:
        if row.pick_id is not None:
            self.edit(row.pick_id)
        else:
            self.edit_check(row.inspection_id)

    def new_check(self) -> None:
        dialog = CheckDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.select_inspection(dialog.saved_id)

    def edit_check(self, inspection_id: int) -> None:
        dialog = CheckDialog(self.ctx, self, inspection_id=inspection_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.select_inspection(inspection_id)

    def export_ledger(self) -> None:
        from reports.check_export import export_checks
        from ui.publicity.export import ask_save, run_export

        year = self.year.currentData() or date.today().year
        path = ask_save(self, "导出检查台账", f"{year}年度检查台账", ".xlsx")
        if path is None:
            return
        run_export(self.ctx, self, f"正在导出{year}年度检查台账…",
                   lambda progress=None, cancelled=None: export_checks(self.ctx.db, year, path, progress=progress,
                                                                       cancelled=cancelled), "导出检查台账")

    def edit(self, pick_id: int) -> None:
        from models.joint_queries import task_of_pick
        from ui.inspections.joint_visit_dialog import JointVisitDialog

        with self.ctx.db.session() as s:
            task_id = task_of_pick(s, pick_id)  # 综合查一次: the visit's one form, for all its items
        dialog = JointVisitDialog(self.ctx, task_id, self) if task_id else InspectionDialog(self.ctx, pick_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.table.select_id(pick_id)

    def edit_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self._open_row(row)

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
