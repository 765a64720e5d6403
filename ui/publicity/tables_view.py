"""The 结果公示 and 任务公示 tabs: the table exactly as it will be published, and its export buttons."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from reports.publicity import export_results, export_tasks
from reports.table_docs import TitledTable
from ui.publicity.cells import HeaderRow, header_columns, header_rows
from ui.publicity.export import ask_save, run_export
from ui.table_model import Column
from ui.widgets import RowTableView

ALL_YEAR = None
_RED, _GREY = "#c62828", "#757575"


def _columns(headers: list[str], kind: str) -> list[Column]:
    def color(row: HeaderRow) -> str | None:
        if kind == "results":
            if row.cell("整改情况") == "逾期未整改":
                return _RED
            return _GREY if row.cell("检查结果") == "待检查" else None
        return _GREY if row.cell("状态") != "有效" else None

    def tip(header: str):
        # Long names and results are cut off in the cell; the tooltip shows them whole.
        def show(row: HeaderRow) -> str | None:
            text = row.cell(header)
            return text if text and len(str(text)) > 12 else None
        return show
    return header_columns(headers, align_right=lambda h: h in ("序号", "抽取数量"), color=color, tooltip=tip)


class PublicityTableView(QWidget):
    """One publicity table; ``kind`` is "results" (with a per-task choice) or "tasks"."""

    def __init__(self, ctx, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.year: int | None = None
        self.as_of: date | None = None
        self.table_data: TitledTable | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        bar.addWidget(self.title, 1)
        self.scope = QComboBox()
        self.scope.setToolTip("导出全年的结果，或只导出一次抽取（一个抽查任务）的结果")
        self.scope.setMaximumWidth(380)
        if kind == "results":
            bar.addWidget(QLabel("范围"))
            bar.addWidget(self.scope)
        self.xlsx_button = QPushButton("导出 Excel…")
        self.docx_button = QPushButton("导出 Word…")
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        self.docx_button.clicked.connect(lambda: self.export(".docx"))
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.docx_button)
        layout.addLayout(bar)
        self.subtitle = QLabel()
        layout.addWidget(self.subtitle)
        if kind == "results":
            widths = (50, 180, 220, 160, 90, 100, 80, 200, 90, 120)
        else:
            widths = (50, 220, 90, 70, 420, 120, 150)
        self.table = RowTableView([], self, widths=())
        self._widths = widths
        layout.addWidget(self.table, 1)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The notes list every re-draw and every record's fingerprint: a busy year must not squeeze the table.
        notes_area = QScrollArea()
        notes_area.setWidgetResizable(True)
        notes_area.setFrameShape(QFrame.Shape.NoFrame)
        notes_area.setWidget(self.notes)
        notes_area.setMaximumHeight(self.notes.fontMetrics().lineSpacing() * 7 + 6)
        layout.addWidget(notes_area)

    def set_table(self, year: int | None, table: TitledTable | None, as_of: date,
                  records: list[tuple[int, str]] = ()) -> None:
        """Show ``table`` (None: no plan for the year); ``records`` are the tasks offered in 范围."""
        self.year, self.table_data, self.as_of = year, table, as_of
        has = table is not None
        self.xlsx_button.setEnabled(has)
        self.docx_button.setEnabled(has)
        self.title.setText(table.title if has else "所选年度没有抽查计划")
        self.subtitle.setText(table.subtitle if has else "")
        self.notes.setText("\n".join(table.notes) if has else "")
        if has:
            model = self.table.table_model
            model.columns = _columns(table.headers, self.kind)
            self.table.set_rows(header_rows(table.headers, table.rows), keep_id=False)
            for col, width in enumerate(self._widths):
                self.table.setColumnWidth(col, width)
        else:
            self.table.set_rows([], keep_id=False)
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("全年", ALL_YEAR)
        for record_id, label in records:
            self.scope.addItem(label, record_id)
        index = self.scope.findData(current)
        self.scope.setCurrentIndex(index if index >= 0 else 0)
        self.scope.blockSignals(False)

    def export(self, suffix: str) -> None:
        if self.year is None or self.table_data is None:
            return
        year, as_of, db = self.year, self.as_of, self.ctx.db
        if self.kind == "results":
            record_id = self.scope.currentData()
            name = f"{year}年度抽查结果公示" + (f"_抽取记录{record_id}" if record_id else "")
            path = ask_save(self, "导出抽查结果公示表", name, suffix)
            if path is None:
                return
            job = lambda progress, cancelled: export_results(
                db, year, path, record_id=record_id, as_of=as_of, progress=progress, cancelled=cancelled)
            run_export(self.ctx, self, "正在导出抽查结果公示表……", job, "导出抽查结果公示表")
        else:
            path = ask_save(self, "导出抽查任务公示", f"{year}年度抽查任务公示", suffix)
            if path is None:
                return
            job = lambda progress, cancelled: export_tasks(
                db, year, path, as_of=as_of, progress=progress, cancelled=cancelled)
            run_export(self.ctx, self, "正在导出抽查任务公示……", job, "导出抽查任务公示")
