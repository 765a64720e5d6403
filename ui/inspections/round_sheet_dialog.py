"""打印现场检查记录 for a day's round (the 巡查覆盖 tab): one record per object the selected routine duty still needs
in the period, for the selected 辖区, into a folder — on the task runner with progress and cancel.

The dialog gathers the folder, the date (inside the period, or blank) and the officers (optional), and calls one
service, usecases.record_sheets.print_round_sheets; what it would print is read through the same model first.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from models.record_sheets_round import RoundSheetRequest, sheets_for_round
from models.roster import Inspector
from models.workdays import format_cn_date
from ui import print_util
from ui.inspections.record_sheet_dialog import _DateChoice
from ui.widgets import error_message, show_error, show_info


class RoundSheetsDialog(QDialog):
    """The records of duty ``duty_id``'s objects still due in the period containing ``month`` of ``year``."""

    def __init__(self, ctx, duty_id: int, jurisdiction: str | None, year: int, month: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.request = RoundSheetRequest(duty_id=duty_id, jurisdiction=jurisdiction, year=year, month=month)
        self.result = None
        self.setWindowTitle("打印现场检查记录（日常巡查）")
        problem, found = "", None
        with ctx.db.session() as s:
            people = s.execute(select(Inspector.name, Inspector.badge_no, Inspector.unit, Inspector.cert_no)
                               .where(Inspector.active.is_(True)).order_by(Inspector.unit, Inspector.badge_no)).all()
        try:
            with ctx.db.session() as s:
                found = sheets_for_round(s, self.request)
        except Exception as exc:  # noqa: BLE001 - a refusal (nothing due, a stopped duty) is shown, not raised
            problem = error_message(exc)
        if found is not None:
            text = (f"为{found.subject}的 {len(found.sheets)} 个检查对象各打印一份现场检查记录（检查笔录），检查来源为"
                    f"日常巡查（{found.duty.label}），检查内容按对象类型取最新抽查计划的检查内容。"
                    "文件按“序号-单位名称-现场检查记录.docx”命名，序号与巡查填报表一致。")
        else:
            text = "无法为所选任务打印现场检查记录。"
        self.intro = intro = QLabel(text)
        intro.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setObjectName("round_sheet_folder")
        self.folder.setPlaceholderText("选择保存记录的文件夹")
        browse = QPushButton("选择…")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.date = _DateChoice()
        if found is not None:   # the round's day lies in the period
            start, end = QDate(found.start), QDate(found.end)
            self.date.edit.setDateRange(start, end)
            today = QDate.currentDate()
            self.date.edit.setDate(today if start <= today <= end else start)
            self.date.edit.setToolTip(f"本期：{format_cn_date(found.start)}至{format_cn_date(found.end)}")
        self.officer_filter = QLineEdit()
        self.officer_filter.setPlaceholderText("按姓名、警号或单位筛选")
        self.officer_filter.textChanged.connect(self._filter_officers)
        self.officers = QListWidget()
        self.officers.setObjectName("round_sheet_officers")
        self.officers.setMinimumHeight(140)
        for name, badge, unit, cert in people:
            entry = QListWidgetItem(f"{name}　警号 {badge}　{unit}" + (f"　执法证号 {cert}" if cert else ""))
            entry.setData(Qt.ItemDataRole.UserRole, badge)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.officers.addItem(entry)
        hint = QLabel("勾选参加巡查的人员（不少于两人），印在每份记录上；不勾选则留空，现场填写。")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("保存到", folder_row)
        form.addRow("检查日期", self.date)
        form.addRow("检查人员", self.officer_filter)
        form.addRow("", self.officers)
        form.addRow("", hint)
        self.bound = QCheckBox("另存一份合订本（全部记录在一个文件中，便于一次打印）")
        self.bound.setChecked(True)
        self.open_after = QCheckBox("完成后打开文件夹")
        self.open_after.setChecked(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("打印")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.bound)
        layout.addWidget(self.open_after)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if problem:
            self.error.setText(problem)
            self.ok_button.setEnabled(False)
        self.resize(680, min(self.sizeHint().height(), 640))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择保存现场检查记录的文件夹", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _filter_officers(self, text: str) -> None:
        text = text.strip()
        for row in range(self.officers.count()):
            entry = self.officers.item(row)
            entry.setHidden(bool(text) and text not in entry.text())

    def chosen_badges(self) -> list[str]:
        return [self.officers.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.officers.count())
                if self.officers.item(r).checkState() == Qt.CheckState.Checked]

    def start(self) -> None:
        from usecases.record_sheets import print_round_sheets

        folder = self.folder.text().strip()
        if not folder:
            self.error.setText("请选择保存记录的文件夹")
            return
        self.error.clear()
        r = self.request
        request = RoundSheetRequest(duty_id=r.duty_id, jurisdiction=r.jurisdiction, year=r.year, month=r.month,
                                    inspect_date=self.date.value(), badges=self.chosen_badges())
        bound, db = self.bound.isChecked(), self.ctx.db
        self.ctx.runner.run(self, lambda progress, cancelled: print_round_sheets(
            db, request, folder, progress, cancelled, bound=bound),
            label="正在打印现场检查记录……", on_success=self._done,
            on_failure=lambda exc: self.error.setText(error_message(exc)))

    def _done(self, result) -> None:
        self.result = result
        show_info(self, "打印现场检查记录", result.summary() + f"\n保存在：{self.folder.text().strip()}")
        if result.written and self.open_after.isChecked():
            print_util.open_folder(self.folder.text().strip(), self)
        self.accept()


def open_round_sheets(ctx, parent: QWidget, duty_id: int, jurisdiction: str | None, year: int, month: int) -> None:
    """The 巡查覆盖 button's slot: the round's dialog, or why it cannot open (read errors are shown, not raised)."""
    try:
        RoundSheetsDialog(ctx, duty_id, jurisdiction, year, month, parent).exec()
    except Exception as exc:  # noqa: BLE001
        show_error(parent, "无法打印现场检查记录", error_message(exc))
