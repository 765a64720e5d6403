"""打印现场检查记录: the signed on-site record, for every object of a draw (a folder) or for one object (a file).

Both dialogs gather what the clerk chose and call one service (usecases.record_sheets); the draw's batch runs
through the task runner with progress and cancel.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from models.inspection import CHECK_SOURCES, DRAWN_SOURCE
from models.record_sheets import ObjectSheetRequest, RecordSheetError, item_choices, sheets_for_draw
from models.roster import InspectedObject, Inspector
from ui import print_util
from ui.widgets import error_message, show_error, show_info

NO_ITEM = "（不指定：检查内容按对象类型）"


class _DateChoice(QWidget):
    """A planned date, or none: the record then leaves the date blank to fill in on site."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.enabled = QCheckBox("填写计划检查日期")
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        self.enabled.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(self.edit)
        row.addWidget(QLabel("（不填则留空，现场填写）"))
        row.addStretch(1)

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.enabled.isChecked() else None


class DrawSheetsDialog(QDialog):
    """One record per object the draw still counts, into a folder the clerk chooses; optionally a bound copy."""

    def __init__(self, ctx, draw_id: int, parent: QWidget | None = None, *, label: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.draw_id = draw_id
        self.result = None
        self.setWindowTitle("打印现场检查记录")
        problem, count = "", 0
        try:
            with ctx.db.session() as s:
                count = len(sheets_for_draw(s, draw_id))
        except RecordSheetError as exc:
            problem = str(exc)
        which = f"抽取记录 #{draw_id}" + (f"（{label}）" if label else "")
        intro = QLabel(f"为{which}中仍然有效的 {count} 个抽中对象各打印一份现场检查记录（检查笔录），"
                       "检查时由检查人员和被检查单位负责人签字。文件按“序号-单位名称-现场检查记录.docx”命名。")
        intro.setWordWrap(True)
        self.folder = QLineEdit()
        self.folder.setObjectName("record_sheet_folder")
        self.folder.setPlaceholderText("选择保存记录的文件夹")
        browse = QPushButton("选择…")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.date = _DateChoice()
        self.bound = QCheckBox("另存一份合订本（全部记录在一个文件中，便于一次打印）")
        self.bound.setChecked(True)
        self.open_after = QCheckBox("完成后打开文件夹")
        self.open_after.setChecked(True)
        form = QFormLayout()
        form.addRow("保存到", folder_row)
        form.addRow("检查日期", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打印")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.bound)
        layout.addWidget(self.open_after)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if problem:
            self.error.setText(problem)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.resize(640, self.sizeHint().height())

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择保存现场检查记录的文件夹", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def start(self) -> None:
        from usecases.record_sheets import print_draw_sheets

        folder = self.folder.text().strip()
        if not folder:
            self.error.setText("请选择保存记录的文件夹")
            return
        self.error.clear()
        draw_id, bound, day, db = self.draw_id, self.bound.isChecked(), self.date.value(), self.ctx.db
        self.ctx.runner.run(self, lambda progress, cancelled: print_draw_sheets(
            db, draw_id, folder, progress, cancelled, bound=bound, inspect_date=day),
            label="正在打印现场检查记录……", on_success=self._done,
            on_failure=lambda exc: self.error.setText(error_message(exc)))

    def _done(self, result) -> None:
        self.result = result
        show_info(self, "打印现场检查记录", result.summary() + f"\n保存在：{self.folder.text().strip()}")
        if result.written and self.open_after.isChecked():
            print_util.open_folder(self.folder.text().strip(), self)
        self.accept()


class ObjectSheetDialog(QDialog):
    """One object's record: for a drawn object (its draw gives the source and officers) or any other check."""

    def __init__(self, ctx, parent: QWidget | None = None, *, object_code: str = "", source: str = ""):
        super().__init__(parent)
        self.ctx = ctx
        self.written: Path | None = None
        self.setWindowTitle("打印现场检查记录（单个检查对象）")
        self.code = QLineEdit(object_code)
        self.code.setObjectName("record_sheet_object")
        self.code.setPlaceholderText("统一社会信用代码或单位名称")
        self.object_label = QLabel()
        self.object_label.setWordWrap(True)
        self.code.editingFinished.connect(self._show_object)
        self.source = QComboBox()
        self.source.addItems(CHECK_SOURCES)
        self.source.setCurrentText(source or "日常巡查")
        self.source.currentTextChanged.connect(self._source_changed)
        self.ref = QLineEdit()
        self.ref.setPlaceholderText("如举报投诉登记号、案件编号、交办文号（可不填）")
        self.item = QComboBox()
        # The plans' item names run to a hundred characters: the list opens wide, the box keeps the dialog's width.
        self.item.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.item.setMinimumContentsLength(30)
        self.item.currentIndexChanged.connect(lambda _i: self.item.setToolTip(self.item.currentText()))
        self.item.addItem(NO_ITEM, None)
        self.officer_filter = QLineEdit()
        self.officer_filter.setPlaceholderText("按姓名、警号或单位筛选")
        self.officer_filter.textChanged.connect(self._filter_officers)
        self.officers = QListWidget()
        self.officers.setObjectName("record_sheet_officers")
        self.officers.setMinimumHeight(150)
        self.officer_hint = QLabel()
        self.officer_hint.setWordWrap(True)
        self.date = _DateChoice()
        form = QFormLayout()
        form.addRow("检查对象", self.code)
        form.addRow("", self.object_label)
        form.addRow("检查来源", self.source)
        form.addRow("来源编号", self.ref)
        form.addRow("抽查事项", self.item)
        form.addRow("检查人员", self.officer_filter)
        form.addRow("", self.officers)
        form.addRow("", self.officer_hint)
        form.addRow("检查日期", self.date)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打印…")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.print_sheet)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._load()
        self._show_object()
        self._source_changed(self.source.currentText())
        self.resize(700, min(self.sizeHint().height(), 680))

    def _load(self) -> None:
        with self.ctx.db.session() as s:
            items = item_choices(s)
            people = s.execute(select(Inspector.name, Inspector.badge_no, Inspector.unit, Inspector.cert_no)
                               .where(Inspector.active.is_(True)).order_by(Inspector.unit, Inspector.badge_no)).all()
        for item_id, label in items:
            self.item.addItem(label, item_id)
        for name, badge, unit, cert in people:
            entry = QListWidgetItem(f"{name}　警号 {badge}　{unit}" + (f"　执法证号 {cert}" if cert else ""))
            entry.setData(Qt.ItemDataRole.UserRole, badge)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.officers.addItem(entry)

    def _show_object(self) -> None:
        code = self.code.text().strip()
        if not code:
            self.object_label.setText("")
            return
        with self.ctx.db.session() as s:
            obj = s.scalar(select(InspectedObject).where(
                (InspectedObject.credit_code == code.upper()) | (InspectedObject.name == code)).limit(1))
            text = f"{obj.name}　{obj.address or ''}" if obj is not None else "名录库中没有这个检查对象"
        self.object_label.setText(text)

    def _source_changed(self, source: str) -> None:
        drawn = source == DRAWN_SOURCE
        self.officer_hint.setText("不勾选时使用抽取的检查人员；勾选则改用所选人员。" if drawn
                                  else "勾选参加检查的人员（不少于两人；不勾选则留空，现场填写）。")
        self.item.setEnabled(not drawn)
        if drawn:
            self.item.setCurrentIndex(0)

    def _filter_officers(self, text: str) -> None:
        text = text.strip()
        for row in range(self.officers.count()):
            entry = self.officers.item(row)
            entry.setHidden(bool(text) and text not in entry.text())

    def chosen_badges(self) -> list[str]:
        return [self.officers.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.officers.count())
                if self.officers.item(r).checkState() == Qt.CheckState.Checked]

    def request(self) -> ObjectSheetRequest:
        return ObjectSheetRequest(object_code=self.code.text().strip(), source=self.source.currentText(),
                                  source_ref=self.ref.text().strip(), badges=self.chosen_badges(),
                                  item=self.item.currentData(), inspect_date=self.date.value())

    def ask_path(self) -> Path | None:
        name = self.object_label.text().split("　")[0] or "检查对象"
        path, _ = QFileDialog.getSaveFileName(self, "保存现场检查记录", str(Path.home() / f"{name}-现场检查记录.docx"),
                                              "Word 文档 (*.docx)")
        if not path:
            return None
        return Path(path) if path.lower().endswith(".docx") else Path(path + ".docx")

    def print_sheet(self, path: Path | None = None) -> None:
        from usecases.record_sheets import print_object_sheet

        request = self.request()
        path = path or self.ask_path()
        if path is None:
            return
        try:
            self.written = print_object_sheet(self.ctx.db, request, path)
        except Exception as exc:  # noqa: BLE001 - a refusal (or a locked file) is shown, the form stays
            self.error.setText(error_message(exc))
            return
        self.accept()
        print_util.open_file(self.written, self.parentWidget())  # Word/WPS opens it, to print and take along


def open_draw_sheets(ctx, draw_id: int, parent: QWidget | None = None, label: str = "") -> None:
    """The button's slot: the draw's dialog, or why it cannot print (read errors are shown, not raised)."""
    try:
        DrawSheetsDialog(ctx, draw_id, parent, label=label).exec()
    except Exception as exc:  # noqa: BLE001
        show_error(parent, "无法打印现场检查记录", error_message(exc))
