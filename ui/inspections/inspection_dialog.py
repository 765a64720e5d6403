"""The 检查记录 form: dates, the officers who went, each checklist verdict, the result and the hazards found."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.inspection import CHECK_VERDICTS, RESULT_CATEGORIES
from models.inspection_service import (
    METHODS, PROBLEM_CATEGORIES, SUBKINDS, CheckInput, HazardInput, InspectionData, inspection_form, save_inspection,
)
from ui.context import Topic
from ui.widgets import error_message, show_error

# Clauses a clerk cites most often; the cell stays free text.
COMMON_CLAUSES = ("《旅馆业治安管理办法》第六条", "《企业事业单位内部治安保卫条例》第十三条",
                  "《中华人民共和国消防法》第二十八条")


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def date_edit(d: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(d))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class InspectionDialog(QDialog):
    """Record or correct the inspection of one drawn object; ``saved_id`` holds the inspection id after 保存."""

    def __init__(self, ctx, pick_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.saved_id: int | None = None
        with ctx.db.session() as s:
            self.form = inspection_form(s, pick_id)
        f = self.form
        self.setWindowTitle(f"检查记录 — {f.object_name}")
        self.resize(980, 760)
        existing = f.existing
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{f.object_name}</b>（{f.credit_code}）　抽查事项：{f.item_label}　"
                      f"抽取记录：{f.draw_id}" + (f"　已制作通知书：{'、'.join(f.notice_numbers)}" if f.notice_numbers else ""))
        head.setWordWrap(True)
        layout.addWidget(head)

        top = QHBoxLayout()
        layout.addLayout(top)
        basics = QGroupBox("检查情况")
        form = QFormLayout(basics)
        today = date.today()
        self.date_from = date_edit(existing.date_from if existing else today)
        self.date_to = date_edit(existing.date_to if existing else today)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.date_to)
        form.addRow("检查日期", dates)
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHODS)
        self.method.setCurrentText(existing.method if existing else METHODS[0])
        form.addRow("核查方式", self.method)
        self.executing_unit = QLineEdit(existing.executing_unit if existing else f.responsible_unit)
        form.addRow("检查执行部门", self.executing_unit)
        self.category = QComboBox()
        self.category.addItems(RESULT_CATEGORIES)
        self.category.setCurrentText(existing.result_category if existing else RESULT_CATEGORIES[0])
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
        form.addRow("是否完结", finish)
        self.signed_refused = QCheckBox("被检查单位负责人拒绝签字（已在检查记录上注明）")
        self.signed_refused.setChecked(bool(existing and existing.signed_refused))
        form.addRow("", self.signed_refused)
        self.note = QLineEdit(existing.note if existing else "")
        form.addRow("备注", self.note)
        top.addWidget(basics, 3)

        people = QGroupBox("实际参加检查的人员（不少于两人）")
        pl = QVBoxLayout(people)
        self.inspectors = QListWidget()
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
        top.addWidget(people, 2)

        checks_box = QGroupBox("检查内容")
        cl = QVBoxLayout(checks_box)
        self.checks = QTableWidget(len(f.checklist), 3)
        self.checks.setHorizontalHeaderLabels(["检查内容", "结论", "说明"])
        self.checks.verticalHeader().hide()
        self.checks.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.checks.setColumnWidth(1, 90)
        self.checks.setColumnWidth(2, 220)
        stored = {c.entry_id: c for c in existing.checks} if existing else {}
        for row, (entry_id, seq, text) in enumerate(f.checklist):
            cell = QTableWidgetItem(f"{seq}. {text}")
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            cell.setData(Qt.ItemDataRole.UserRole, entry_id)
            cell.setToolTip(text)
            self.checks.setItem(row, 0, cell)
            verdict = QComboBox()
            verdict.addItems(CHECK_VERDICTS)
            verdict.setCurrentText(stored[entry_id].verdict if entry_id in stored else CHECK_VERDICTS[0])
            self.checks.setCellWidget(row, 1, verdict)
            self.checks.setItem(row, 2, QTableWidgetItem(stored[entry_id].note if entry_id in stored else ""))
        cl.addWidget(self.checks)
        if not f.checklist:
            cl.addWidget(QLabel("该抽查事项没有分项检查内容。"))
        layout.addWidget(checks_box, 2)

        hz_box = QGroupBox("发现的治安隐患")
        hl = QVBoxLayout(hz_box)
        self.hazards = QTableWidget(0, 2)
        self.hazards.setHorizontalHeaderLabels(["隐患内容", "违反的条款"])
        self.hazards.verticalHeader().hide()
        self.hazards.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.hazards.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.hazards.setColumnWidth(1, 300)
        self.hazards.setToolTip("常用条款：" + "；".join(COMMON_CLAUSES))
        for h in existing.hazards if existing else []:
            self.add_hazard(h.text, h.clause)
        buttons = QHBoxLayout()
        add = QPushButton("添加隐患")
        add.clicked.connect(lambda: self.add_hazard("", COMMON_CLAUSES[0]))
        remove = QPushButton("删除所选隐患")
        remove.clicked.connect(self._remove_hazard)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        hl.addWidget(self.hazards)
        hl.addLayout(buttons)
        layout.addWidget(hz_box, 1)

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.button_box = box
        layout.addWidget(box)
        if not ctx.can_write():
            box.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)

    def add_hazard(self, text: str, clause: str = "") -> None:
        row = self.hazards.rowCount()
        self.hazards.insertRow(row)
        self.hazards.setItem(row, 0, QTableWidgetItem(text))
        self.hazards.setItem(row, 1, QTableWidgetItem(clause))
        if self.category.currentText() not in PROBLEM_CATEGORIES:
            # A hazard means a problem was found; spare the clerk a refusal on 保存.
            self.category.setCurrentText("发现问题待后续处理")
            if not self.subkind.currentText():
                self.subkind.setCurrentText(SUBKINDS[0])

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
            clause = self.hazards.item(row, 1).text() if self.hazards.item(row, 1) else ""
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

    def save(self) -> None:
        try:
            with self.ctx.db.session() as s:
                self.saved_id = save_inspection(s, self.data(), self.ctx.actor())
        except Exception as exc:  # noqa: BLE001 - every refusal is shown to the clerk
            show_error(self, "无法保存检查记录", error_message(exc))
            return
        self.ctx.notify(Topic.INSPECTIONS)
        self.accept()
