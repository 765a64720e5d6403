"""录入联合检查结果: one date and one team for the visit, and for each grouped item its own 检查结果, checklist
verdicts and hazards (one tab per item) — saved through models.joint_visit as one inspection per item."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
    QVBoxLayout, QWidget,
)

from models.inspection import CHECK_VERDICTS, RESULT_CATEGORIES
from models.inspection_service import (
    METHODS, PROBLEM_CATEGORIES, SUBKINDS, UNSET, CheckInput, HazardInput, InspectionForm, UnsetChoice,
)
from models.joint_service import PERIOD_LABELS
from models.joint_visit import JointItemResult, JointVisitData, joint_visit_form, record_joint_visit
from ui.context import Topic
from ui.inspections.inspection_dialog import add_visit_rows, from_qdate
from ui.widgets import error_message, show_error

PREFERRED = (1240, 690)


class ItemPanel(QWidget):
    """One grouped item's result, checklist and hazards."""

    def __init__(self, form: InspectionForm, existing: JointItemResult | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = form
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{form.item_label}</b>　抽取记录 #{form.draw_id}")
        title.setWordWrap(True)
        layout.addWidget(title)
        left = second = QFormLayout()
        self.category = QComboBox()
        self.category.addItems((UNSET,) + RESULT_CATEGORIES)
        self.category.setCurrentText(existing.result_category if existing else UNSET)
        self.category.setToolTip("本事项的检查结果（各事项分别公示）；软件不预先选择")
        left.addRow("检查结果", self.category)
        self.subkind = QComboBox()
        self.subkind.setEditable(True)
        self.subkind.addItems(("",) + SUBKINDS)
        self.subkind.setCurrentText(existing.result_subkind if existing else "")
        left.addRow("问题类别", self.subkind)
        self.follow_up = QLineEdit(existing.follow_up if existing else "")
        self.follow_up.setPlaceholderText("例如：责令限期整改")
        second.addRow("后续处置措施", self.follow_up)
        self.note = QLineEdit(existing.note if existing else "")
        second.addRow("备注", self.note)
        layout.addLayout(left)
        right = layout
        right.addWidget(QLabel("检查内容（逐项选择结论）"))
        stored = {c.entry_id: c for c in existing.checks} if existing else {}
        self.checks = QTableWidget(len(form.checklist), 2)
        self.checks.setHorizontalHeaderLabels(["检查内容", "结论"])
        self.checks.verticalHeader().hide()
        self.checks.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.checks.setColumnWidth(1, 100)
        for row, (entry_id, seq, text) in enumerate(form.checklist):
            cell = QTableWidgetItem(f"{seq}. {text}")
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            cell.setData(Qt.ItemDataRole.UserRole, entry_id)
            cell.setToolTip(text)
            self.checks.setItem(row, 0, cell)
            verdict = QComboBox()
            verdict.addItems((UNSET,) + CHECK_VERDICTS)
            verdict.setCurrentText(stored[entry_id].verdict if entry_id in stored else UNSET)
            self.checks.setCellWidget(row, 1, verdict)
        right.addWidget(self.checks, 1)
        right.addWidget(QLabel("本事项发现的治安隐患（将与其他事项的隐患合并制作一份整改通知书）"))
        self.hazards = QTableWidget(0, 2)
        self.hazards.setHorizontalHeaderLabels(["隐患内容", "违反的条款"])
        self.hazards.verticalHeader().hide()
        self.hazards.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.hazards.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.hazards.setColumnWidth(1, 260)
        for h in existing.hazards if existing else []:
            self.add_hazard(h.text, h.clause)
        right.addWidget(self.hazards, 1)
        buttons = QHBoxLayout()
        add = QPushButton("添加隐患")
        add.clicked.connect(lambda: self.add_hazard(""))
        remove = QPushButton("删除所选隐患")
        remove.clicked.connect(self._remove_hazard)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        right.addLayout(buttons)

    def add_hazard(self, text: str, clause: str = "") -> None:
        row = self.hazards.rowCount()
        self.hazards.insertRow(row)
        self.hazards.setItem(row, 0, QTableWidgetItem(text))
        choice = QComboBox()
        choice.setEditable(True)
        choice.addItems([""] + [c for c in self.form.clauses if c != clause] + ([clause] if clause else []))
        choice.setCurrentText(clause)
        choice.lineEdit().setPlaceholderText("请选择或填写违反的条款")
        self.hazards.setCellWidget(row, 1, choice)
        if self.category.currentText() not in PROBLEM_CATEGORIES:
            self.category.setCurrentText("发现问题待后续处理")
            if not self.subkind.currentText():
                self.subkind.setCurrentText(SUBKINDS[0])

    def _remove_hazard(self) -> None:
        for row in sorted({i.row() for i in self.hazards.selectedIndexes()}, reverse=True):
            self.hazards.removeRow(row)

    def set_verdicts(self, verdict: str) -> None:
        for row in range(self.checks.rowCount()):
            self.checks.cellWidget(row, 1).setCurrentText(verdict)

    def result(self) -> JointItemResult:
        checks = [CheckInput(self.checks.item(r, 0).data(Qt.ItemDataRole.UserRole),
                             self.checks.cellWidget(r, 1).currentText()) for r in range(self.checks.rowCount())]
        hazards = []
        for r in range(self.hazards.rowCount()):
            text = self.hazards.item(r, 0).text() if self.hazards.item(r, 0) else ""
            clause = self.hazards.cellWidget(r, 1).currentText()
            if text.strip() or clause.strip():
                hazards.append(HazardInput(text, clause))
        return JointItemResult(self.form.pick_id, self.category.currentText(), checks, hazards,
                               self.subkind.currentText(), self.follow_up.text(), self.note.text())

    def focus_entry(self, entry_id: int | None) -> None:
        for row in range(self.checks.rowCount()):
            if self.checks.item(row, 0).data(Qt.ItemDataRole.UserRole) == entry_id:
                self.checks.setCurrentCell(row, 1)
                self.checks.cellWidget(row, 1).setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.category.setFocus(Qt.FocusReason.OtherFocusReason)


class JointVisitDialog(QDialog):
    """Record or correct a joint task's visit; ``saved_ids`` holds the inspections after 保存."""

    def __init__(self, ctx, task_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.saved_ids: list[int] = []
        with ctx.db.session() as s:
            self.form = joint_visit_form(s, task_id)
        d, existing = self.form.detail, self.form.existing
        self.setWindowTitle(f"联合检查 — {d.object_name}")
        outer = QVBoxLayout(self)
        head = QLabel(f"<b>{d.object_name}</b>（{d.credit_code}）　联合检查任务 #{d.task_id}　"
                      f"{d.year}年{PERIOD_LABELS[d.period]}　牵头部门：{d.lead_unit or '未定'}　"
                      f"抽查事项：{'、'.join(p.label for p in d.picks)}")
        head.setWordWrap(True)
        outer.addWidget(head)
        body = QHBoxLayout()
        outer.addLayout(body, 1)
        left = QVBoxLayout()
        body.addLayout(left, 3)
        basics = QGroupBox("一次检查：日期与联合检查组")
        form = QFormLayout(basics)
        start = existing.date_from if existing else (d.visit_date or date.today())
        add_visit_rows(self, form, start, existing.date_to if existing else start,
                       existing.method if existing else METHODS[0],
                       existing.executing_unit if existing else d.lead_unit)
        left.addWidget(basics)
        people = QGroupBox("联合检查组（实际参加的人员；民警不少于两人）")
        pl = QVBoxLayout(people)
        self.inspectors = QListWidget()
        team = self.form.team_ids
        chosen = set(existing.inspector_ids) if existing else set(team)
        order = {pid: n for n, pid in enumerate(team)}  # the team as the task lists it: police first
        for person in sorted(self.form.inspectors, key=lambda p: (order.get(p.id, len(order)), p.unit, p.badge_no)):
            mark = "（检查组）" if person.id in team else ""
            item = QListWidgetItem(f"{person.name}{mark}　{person.unit}　{person.badge_no}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked)
            self.inspectors.addItem(item)
        pl.addWidget(self.inspectors, 1)
        self.change_reason = QLineEdit(existing.change_reason if existing else "")
        self.change_reason.setPlaceholderText("留空：记为“综合查一次，由联合检查组一次检查”")
        pl.addWidget(QLabel("人员与各事项抽取结果不一致的原因"))
        pl.addWidget(self.change_reason)
        left.addWidget(people, 1)

        self.tabs = QTabWidget()
        by_pick = {r.pick_id: r for r in existing.items} if existing else {}
        self.panels: list[ItemPanel] = []
        for pick, one in zip(d.picks, self.form.forms):
            panel = ItemPanel(one, by_pick.get(pick.pick_id), self)
            self.panels.append(panel)
            self.tabs.addTab(panel, f"事项 {pick.item_number}")
            self.tabs.setTabToolTip(self.tabs.count() - 1, pick.label)
        body.addWidget(self.tabs, 7)

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        box.button(QDialogButtonBox.StandardButton.Save).setEnabled(ctx.can_write())
        outer.addWidget(box)
        self._fit_screen()

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width, height = PREFERRED
        if avail is not None:
            width, height = min(width, avail.width() - 20), min(height, avail.height() - 40)
        self.resize(width, height)

    def data(self) -> JointVisitData:
        ids = [self.inspectors.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.inspectors.count())
               if self.inspectors.item(i).checkState() == Qt.CheckState.Checked]
        return JointVisitData(self.form.detail.task_id, from_qdate(self.date_from.date()),
                              from_qdate(self.date_to.date()), ids, [p.result() for p in self.panels],
                              change_reason=self.change_reason.text(), method=self.method.currentText(),
                              executing_unit=self.executing_unit.text())

    def save(self) -> None:
        try:
            with self.ctx.db.session() as s:
                self.saved_ids = record_joint_visit(s, self.data(), self.ctx.actor())
        except Exception as exc:  # noqa: BLE001 - every refusal is shown to the clerk
            if isinstance(exc, UnsetChoice):
                self._focus_unset(exc)
            show_error(self, "无法保存联合检查结果", error_message(exc))
            return
        self.ctx.notify(Topic.INSPECTIONS)
        self.accept()

    def _focus_unset(self, refusal: UnsetChoice) -> None:
        text = str(refusal)
        for n, pick in enumerate(self.form.detail.picks):
            if pick.label in text:
                self.tabs.setCurrentIndex(n)
                self.panels[n].focus_entry(refusal.entry_id)
                return
