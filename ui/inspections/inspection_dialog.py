"""The 检查记录 form: dates, the officers who went, each checklist verdict, the result and the hazards found."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
    QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.inspection import CHECK_VERDICTS, RESULT_CATEGORIES
from models.inspection_service import (
    METHODS, PROBLEM_CATEGORIES, SUBKINDS, UNSET, CheckInput, HazardInput, InspectionData, UnsetChoice,
    inspection_form, save_inspection,
)
from ui.context import Topic
from ui.widgets import error_message, show_error

# The form's preferred size; on a smaller screen it shrinks to the available area and scrolls.
PREFERRED = (1240, 700)
HAZARD_ROWS = 5   # hazard rows always in view, so the clerk sees every clause before saving


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(d: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def add_visit_rows(dialog, form: QFormLayout, date_from: date, date_to: date, method: str, unit: str) -> None:
    """The 检查日期 / 核查方式 / 检查执行部门 rows a drawn inspection and a joint visit share.

    Sets ``dialog.date_from``, ``dialog.date_to``, ``dialog.method`` and ``dialog.executing_unit``.
    """
    dialog.date_from = date_edit(date_from)
    dialog.date_to = date_edit(date_to)
    dates = QHBoxLayout()
    dates.addWidget(dialog.date_from)
    dates.addWidget(QLabel("至"))
    dates.addWidget(dialog.date_to)
    dates.addStretch(1)
    form.addRow("检查日期", dates)
    dialog.method = QComboBox()
    dialog.method.setEditable(True)
    dialog.method.addItems(METHODS)
    dialog.method.setCurrentText(method)
    form.addRow("核查方式", dialog.method)
    dialog.executing_unit = QLineEdit(unit)
    form.addRow("检查执行部门", dialog.executing_unit)


class InspectionDialog(QDialog):
    """Record or correct the inspection of one drawn object; ``saved_id`` holds the inspection id after 保存.

    Nothing is pre-decided: a new inspection's 检查结果 and every checklist verdict start at 未填, and a new
    hazard's clause starts empty with the item's clauses offered as choices.
    """

    def __init__(self, ctx, pick_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.saved_id: int | None = None
        with ctx.db.session() as s:
            self.form = inspection_form(s, pick_id)
        f = self.form
        self.setWindowTitle(f"检查记录 — {f.object_name}")
        outer = QVBoxLayout(self)
        head = QLabel(f"<b>{f.object_name}</b>（{f.credit_code}）　"
                      + (f"活动：<b>{f.event}</b>　" if f.event else "") + f"抽查事项：{f.item_label}　"
                      f"抽取记录：{f.draw_id}"
                      + (f"　已制作通知书：{'、'.join(f.notice_numbers)}" if f.notice_numbers else ""))
        head.setWordWrap(True)
        outer.addWidget(head)
        # Two columns (the facts and the people left, checklist and hazards right) fill a 1366-wide screen;
        # a smaller one scrolls instead of cutting the form off.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 4)
        columns.addLayout(right, 6)
        self.scroll.setWidget(content)
        outer.addWidget(self.scroll, 1)
        left.addWidget(self._basics(f.existing))
        left.addWidget(self._people(f), 1)
        right.addWidget(self._checklist(f), 2)
        right.addWidget(self._hazard_box(f), 3)

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.button_box = box
        outer.addWidget(box)
        if not ctx.can_write():
            box.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self._fit_screen()

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width, height = PREFERRED
        if avail is not None:
            width, height = min(width, avail.width() - 20), min(height, avail.height() - 40)
        self.resize(width, height)

    def _basics(self, existing: InspectionData | None) -> QGroupBox:
        f = self.form
        basics = QGroupBox("检查情况")
        form = QFormLayout(basics)
        today = date.today()
        add_visit_rows(self, form, existing.date_from if existing else today, existing.date_to if existing else today,
                       existing.method if existing else METHODS[0],
                       existing.executing_unit if existing else f.responsible_unit)
        self.category = QComboBox()
        self.category.addItems((UNSET,) + RESULT_CATEGORIES)
        self.category.setCurrentText(existing.result_category if existing else UNSET)
        self.category.setToolTip("请根据检查情况选择；软件不预先选择检查结果")
        form.addRow("检查结果", self.category)
        self.subkind = QComboBox()
        self.subkind.setEditable(True)
        self.subkind.addItems(("",) + SUBKINDS)
        self.subkind.setCurrentText(existing.result_subkind if existing else "")
        form.addRow("问题类别", self.subkind)
        self.follow_up = QLineEdit(existing.follow_up if existing else "")
        self.follow_up.setPlaceholderText("例如：责令限期整改")
        form.addRow("后续处置措施", self.follow_up)
        finish = QHBoxLayout()
        self.finished = QCheckBox("已完结")
        self.finished.setChecked(bool(existing and existing.finished))
        self.finished_date = date_edit(existing.finished_date if existing and existing.finished_date else today)
        finish.addWidget(self.finished)
        finish.addWidget(self.finished_date)
        finish.addStretch(1)
        form.addRow("是否完结", finish)
        self.signed_refused = QCheckBox("被检查单位负责人拒绝签字（已在检查记录上注明）")
        self.signed_refused.setChecked(bool(existing and existing.signed_refused))
        form.addRow("", self.signed_refused)
        self.note = QLineEdit(existing.note if existing else "")
        form.addRow("备注", self.note)
        return basics

    def _people(self, f) -> QGroupBox:
        existing = f.existing
        people = QGroupBox("实际参加检查的人员（不少于两人）")
        pl = QVBoxLayout(people)
        self.inspectors = QListWidget()
        self.inspectors.setMinimumHeight(90)
        drawn_ids = [i for i, _n, _u in f.drawn]
        chosen = set(existing.inspector_ids) if existing else set(drawn_ids)
        ordered = sorted(f.inspectors, key=lambda p: (p.id not in drawn_ids, p.unit, p.badge_no))
        for person in ordered:
            mark = "（抽取）" if person.id in drawn_ids else ""
            item = QListWidgetItem(f"{person.name}{mark}　{person.unit}　{person.badge_no}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked)
            self.inspectors.addItem(item)
        pl.addWidget(self.inspectors)
        self.change_reason = QLineEdit(existing.change_reason if existing else "")
        self.change_reason.setPlaceholderText("与抽取结果不一致时必填，例如：民警张三出差，由李四替换")
        pl.addWidget(QLabel("更换人员原因"))
        pl.addWidget(self.change_reason)
        return people

    def _checklist(self, f) -> QGroupBox:
        existing = f.existing
        checks_box = QGroupBox("检查内容（逐项选择结论）")
        cl = QVBoxLayout(checks_box)
        self.checks = QTableWidget(len(f.checklist), 3)
        self.checks.setHorizontalHeaderLabels(["检查内容", "结论", "说明"])
        self.checks.verticalHeader().hide()
        self.checks.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.checks.setColumnWidth(1, 100)
        self.checks.setColumnWidth(2, 180)
        self.checks.setMinimumHeight(self._rows_height(self.checks, min(len(f.checklist), 3)))
        stored = {c.entry_id: c for c in existing.checks} if existing else {}
        for row, (entry_id, seq, text) in enumerate(f.checklist):
            cell = QTableWidgetItem(f"{seq}. {text}")
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            cell.setData(Qt.ItemDataRole.UserRole, entry_id)
            cell.setToolTip(text)
            self.checks.setItem(row, 0, cell)
            verdict = QComboBox()
            verdict.addItems((UNSET,) + CHECK_VERDICTS)
            verdict.setCurrentText(stored[entry_id].verdict if entry_id in stored else UNSET)
            self.checks.setCellWidget(row, 1, verdict)
            self.checks.setItem(row, 2, QTableWidgetItem(stored[entry_id].note if entry_id in stored else ""))
        cl.addWidget(self.checks)
        if not f.checklist:
            self.checks.hide()
            cl.addWidget(QLabel("该抽查事项没有分项检查内容。"))
        return checks_box

    def _hazard_box(self, f) -> QGroupBox:
        hz_box = QGroupBox("发现的治安隐患（每项隐患请选择或填写违反的条款）")
        hl = QVBoxLayout(hz_box)
        self.hazards = QTableWidget(0, 2)
        self.hazards.setHorizontalHeaderLabels(["隐患内容", "违反的条款"])
        self.hazards.verticalHeader().hide()
        self.hazards.verticalHeader().setDefaultSectionSize(30)
        self.hazards.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.hazards.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.hazards.setColumnWidth(1, 330)
        self.hazards.setMinimumHeight(self._rows_height(self.hazards, HAZARD_ROWS))
        self.hazards.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        for h in f.existing.hazards if f.existing else []:
            self.add_hazard(h.text, h.clause)
        buttons = QHBoxLayout()
        add = QPushButton("添加隐患")
        add.clicked.connect(lambda: self.add_hazard(""))
        remove = QPushButton("删除所选隐患")
        remove.clicked.connect(self._remove_hazard)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        hl.addWidget(self.hazards, 1)
        hl.addLayout(buttons)
        return hz_box

    @staticmethod
    def _rows_height(table: QTableWidget, rows: int) -> int:
        return table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize() + 4

    def visible_hazard_rows(self) -> int:
        """How many hazard rows the table shows at its current height."""
        height = self.hazards.viewport().height()
        return height // max(1, self.hazards.verticalHeader().defaultSectionSize())

    def add_hazard(self, text: str, clause: str = "") -> None:
        """A hazard row; its clause starts as given (empty for a new one) with the item's clauses as choices."""
        row = self.hazards.rowCount()
        self.hazards.insertRow(row)
        self.hazards.setItem(row, 0, QTableWidgetItem(text))
        choice = QComboBox()
        choice.setEditable(True)
        choice.addItems([""] + [c for c in self.form.clauses if c != clause] + ([clause] if clause else []))
        choice.setCurrentText(clause)
        choice.lineEdit().setPlaceholderText("请选择或填写违反的条款")
        choice.setToolTip("本事项制定依据中的条款；也可直接填写")
        self.hazards.setCellWidget(row, 1, choice)
        if not text:
            self.hazards.setCurrentCell(row, 0)
            self.hazards.editItem(self.hazards.item(row, 0))
        if self.category.currentText() not in PROBLEM_CATEGORIES:
            # A hazard means a problem was found; spare the clerk a refusal on 保存.
            self.category.setCurrentText("发现问题待后续处理")
            if not self.subkind.currentText():
                self.subkind.setCurrentText(SUBKINDS[0])

    def hazard_clause(self, row: int) -> str:
        return self.hazards.cellWidget(row, 1).currentText()

    def _remove_hazard(self) -> None:
        for row in sorted({i.row() for i in self.hazards.selectedIndexes()}, reverse=True):
            self.hazards.removeRow(row)

    def data(self) -> InspectionData:
        """The form as service input."""
        ids = [self.inspectors.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.inspectors.count())
               if self.inspectors.item(i).checkState() == Qt.CheckState.Checked]
        checks = []
        for row in range(self.checks.rowCount()):
            entry_id = self.checks.item(row, 0).data(Qt.ItemDataRole.UserRole)
            note = self.checks.item(row, 2).text() if self.checks.item(row, 2) else ""
            checks.append(CheckInput(entry_id, self.checks.cellWidget(row, 1).currentText(), note))
        hazards = []
        for row in range(self.hazards.rowCount()):
            text = self.hazards.item(row, 0).text() if self.hazards.item(row, 0) else ""
            clause = self.hazard_clause(row)
            if text.strip() or clause.strip():
                hazards.append(HazardInput(text, clause))
        return InspectionData(
            pick_id=self.form.pick_id, date_from=from_qdate(self.date_from.date()),
            date_to=from_qdate(self.date_to.date()), inspector_ids=ids, result_category=self.category.currentText(),
            checks=checks, hazards=hazards, change_reason=self.change_reason.text(),
            result_subkind=self.subkind.currentText(), method=self.method.currentText(),
            follow_up=self.follow_up.text(), finished=self.finished.isChecked(),
            finished_date=from_qdate(self.finished_date.date()) if self.finished.isChecked() else None,
            executing_unit=self.executing_unit.text(), signed_refused=self.signed_refused.isChecked(),
            note=self.note.text())

    def _focus_unset(self, refusal: UnsetChoice) -> None:
        """Bring the entry the service found unset into view and give it the focus."""
        target: QWidget = self.category
        for row in range(self.checks.rowCount()):
            if self.checks.item(row, 0).data(Qt.ItemDataRole.UserRole) == refusal.entry_id:
                self.checks.setCurrentCell(row, 1)
                self.checks.scrollToItem(self.checks.item(row, 0))
                target = self.checks.cellWidget(row, 1)
        self.scroll.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        try:
            with self.ctx.db.session() as s:
                self.saved_id = save_inspection(s, self.data(), self.ctx.actor())
        except Exception as exc:  # noqa: BLE001 - every refusal is shown to the clerk
            if isinstance(exc, UnsetChoice):
                self._focus_unset(exc)
            show_error(self, "无法保存检查记录", error_message(exc))
            return
        self.ctx.notify(Topic.INSPECTIONS)
        self.accept()
