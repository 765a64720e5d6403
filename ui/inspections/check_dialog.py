"""登记检查（非抽取）: a check of any roster object for a source other than the draw — the 检查记录 form's parts,
with the object found by name or 统一社会信用代码, the source and its reference and dates, and an optional item."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.check_service import (
    COMPLAINT_SOURCE, COMPLAINT_REPLY_WORKDAYS, DUTY_SOURCES, OTHER_SOURCES, REF_LABELS, REF_REQUIRED, CheckData,
    CheckForm, blank_check_form, check_form, default_reply_due, object_matches, save_check,
)
from models.inspection import CHECK_VERDICTS
from models.inspection_service import UNSET, CheckInput, HazardInput, UnsetChoice
from ui.context import Topic
from ui.inspections.inspection_dialog import InspectionDialog, date_edit, from_qdate, to_qdate
from ui.widgets import SearchEdit, error_message, show_error

NO_ITEM = "（不分项：不使用抽查事项的检查内容）"
NO_DUTY = "（不指定：按来源计入本类对象的各项巡查任务）"


class CheckDialog(InspectionDialog):
    """Record (or, with ``inspection_id``, correct) a check that was not drawn; ``saved_id`` after 保存."""

    def __init__(self, ctx, parent: QWidget | None = None, inspection_id: int | None = None):
        QDialog.__init__(self, parent)
        self.ctx = ctx
        self.saved_id: int | None = None
        self.inspection_id = inspection_id
        with ctx.db.session() as s:
            self.form: CheckForm = check_form(s, 0, inspection_id=inspection_id) if inspection_id \
                else blank_check_form(s)
        f = self.form
        self.setWindowTitle("修改检查记录（非抽取）" if inspection_id else "登记检查（非抽取）")
        outer = QVBoxLayout(self)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        stack = QVBoxLayout(content)
        stack.setContentsMargins(0, 0, 0, 0)
        # Where the check came from spans the width; below it the two columns of the drawn object's form.
        stack.addWidget(self._origin(f))
        columns = QHBoxLayout()
        stack.addLayout(columns, 1)
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
        # Enter in the object search looks the object up; it must not save the form.
        box.button(QDialogButtonBox.StandardButton.Save).setAutoDefault(False)
        box.button(QDialogButtonBox.StandardButton.Save).setDefault(False)
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        self.button_box = box
        outer.addWidget(box)
        if not ctx.can_write():
            box.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self._source_changed()
        self._fit_screen()

    # --- the object, the source and the item -------------------------------------------------------------
    def _origin(self, f: CheckForm) -> QGroupBox:
        existing = f.existing
        box = QGroupBox("检查对象与来源")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)
        self.search = SearchEdit("输入名称或统一社会信用代码搜索")
        self.search.search_changed.connect(self._find)
        self.matches = QComboBox()
        self.matches.setPlaceholderText("（请先查找）")
        self.matches.currentIndexChanged.connect(self._object_chosen)
        self.object_label = QLabel()
        if existing is None:
            grid.addWidget(QLabel("查找对象"), 0, 0)
            grid.addWidget(self.search, 0, 1)
            grid.addWidget(QLabel("检查对象"), 0, 2)
            grid.addWidget(self.matches, 0, 3)
            self.object_label.hide()
        else:
            self.search.hide()
            self.matches.hide()
            grid.addWidget(QLabel("检查对象"), 0, 0)
            grid.addWidget(self.object_label, 0, 1, 1, 3)
        self.source = QComboBox()
        self.source.addItems((UNSET,) + OTHER_SOURCES)
        self.source.setCurrentText(existing.source if existing else UNSET)
        self.source.currentTextChanged.connect(lambda _t: self._source_changed())
        grid.addWidget(QLabel("检查来源"), 1, 0)
        grid.addWidget(self.source, 1, 1)
        self.ref = QLineEdit(existing.source_ref if existing else "")
        self.ref_label = QLabel("来源编号")
        grid.addWidget(self.ref_label, 1, 2)
        grid.addWidget(self.ref, 1, 3)
        today = date.today()
        self.source_date = date_edit(existing.source_date if existing and existing.source_date else today)
        self.source_date.dateChanged.connect(lambda _d: self._suggest_reply_due())
        self.source_date_label = QLabel("受理日期")
        grid.addWidget(self.source_date_label, 2, 0)
        grid.addWidget(self.source_date, 2, 1)
        self.reply_due = date_edit(existing.reply_due if existing and existing.reply_due else today)
        self.reply_due.setToolTip(f"默认：受理后{COMPLAINT_REPLY_WORKDAYS}个工作日；可按实际要求修改")
        self.reply_due_label = QLabel("答复期限")
        grid.addWidget(self.reply_due_label, 2, 2)
        grid.addWidget(self.reply_due, 2, 3)
        if not (existing and existing.reply_due):
            self._suggest_reply_due()
        self.item = QComboBox()
        self.item.currentIndexChanged.connect(self._item_chosen)
        self.item.setToolTip("选择一个抽查事项即按其检查内容逐项填写；日常巡查等也可不分项")
        grid.addWidget(QLabel("检查事项"), 3, 0)
        grid.addWidget(self.item, 3, 1, 1, 3)
        self.duty = QComboBox()
        self.duty.setToolTip("这次检查属于哪一项日常巡查任务：只计入该任务的巡查覆盖。"
                             "不指定时，日常巡查、全面检查、专项检查计入本类对象的每一项任务")
        self.duty_label = QLabel("巡查任务")
        grid.addWidget(self.duty_label, 4, 0)
        grid.addWidget(self.duty, 4, 1, 1, 3)
        self._fill_items()
        self._fill_duties(existing.duty_id if existing else None)
        self._show_object()
        return box

    def _find(self, text: str) -> None:
        with self.ctx.db.session() as s:
            found = object_matches(s, text)
        self.matches.blockSignals(True)
        self.matches.clear()
        for o in found:
            self.matches.addItem(f"{o.name}（{o.credit_code}，{o.type_name}，{o.jurisdiction or '辖区未填'}）", o.id)
        self.matches.setCurrentIndex(-1)
        self.matches.blockSignals(False)
        if len(found) == 1:
            self.matches.setCurrentIndex(0)

    def choose_object(self, object_id: int) -> None:
        """Take ``object_id`` as the checked object (what picking it in the list does)."""
        with self.ctx.db.session() as s:
            self.form = check_form(s, object_id)
        chosen = self.duty.currentData()
        self._fill_items()
        self._fill_duties(chosen)
        self._load_checklist()
        self._show_object()
        for row in range(self.hazards.rowCount()):
            self._offer_clauses(self.hazards.cellWidget(row, 1))

    def _object_chosen(self, index: int) -> None:
        object_id = self.matches.itemData(index) if index >= 0 else None
        if object_id is not None:
            self.choose_object(object_id)

    def _show_object(self) -> None:
        f = self.form
        self.object_label.setText(
            f"<b>{f.object_name}</b>（{f.credit_code}）　{f.type_name}　{f.jurisdiction}"
            + (f"　已制作通知书：{'、'.join(f.notice_numbers)}" if f.notice_numbers else "")
            if f.object_id else "<span style='color:#757575'>尚未选择检查对象</span>")

    def _fill_items(self) -> None:
        self.item.blockSignals(True)
        self.item.clear()
        self.item.addItem(NO_ITEM, None)
        for choice in self.form.items:
            self.item.addItem(choice.label, choice.id)
        index = self.item.findData(self.form.plan_item_id) if self.form.plan_item_id else 0
        self.item.setCurrentIndex(max(index, 0))
        self.item.blockSignals(False)

    def _fill_duties(self, chosen: int | None) -> None:
        """The active duties of the object's type (and a stored check's own), ``chosen`` selected if offered."""
        self.duty.clear()
        self.duty.addItem(NO_DUTY, None)
        for choice in self.form.duties:
            self.duty.addItem(choice.label, choice.id)
        self.duty.setCurrentIndex(max(self.duty.findData(chosen), 0) if chosen is not None else 0)

    def choose_duty(self, duty_id: int) -> None:
        """Mark the check for ``duty_id`` (from the 巡查覆盖 tab), when the object's type has that duty."""
        index = self.duty.findData(duty_id)
        if index >= 0:
            self.duty.setCurrentIndex(index)

    def _item_chosen(self, index: int) -> None:
        if not self.form.object_id:
            return
        with self.ctx.db.session() as s:
            form = check_form(s, self.form.object_id, self.item.itemData(index))
        form.inspection_id, form.existing, form.notice_numbers = (self.form.inspection_id, self.form.existing,
                                                                  self.form.notice_numbers)
        self.form = form
        self._load_checklist()

    def _source_changed(self) -> None:
        source = self.source.currentText()
        label = REF_LABELS.get(source)
        self.ref_label.setText((label or "来源编号") + ("（必填）" if source in REF_REQUIRED else ""))
        for widget in (self.ref, self.ref_label):
            widget.setVisible(label is not None)
        complaint = source == COMPLAINT_SOURCE
        for widget in (self.source_date, self.source_date_label, self.reply_due, self.reply_due_label):
            widget.setVisible(complaint)
        for widget in (self.duty, self.duty_label):
            widget.setVisible(source in DUTY_SOURCES)

    def _suggest_reply_due(self) -> None:
        with self.ctx.db.session() as s:
            self.reply_due.setDate(to_qdate(default_reply_due(s, from_qdate(self.source_date.date()))))

    # --- the parts that differ from a drawn object's form ----------------------------------------------------
    def _people(self, f) -> QGroupBox:
        people = QGroupBox("参加检查的人员（不少于两人）")
        pl = QVBoxLayout(people)
        self.inspectors = QListWidget()
        self.inspectors.setMinimumHeight(90)
        chosen = set(f.existing.inspector_ids) if f.existing else set()
        for person in f.inspectors:
            item = QListWidgetItem(f"{person.name}　{person.unit}　{person.badge_no}")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked)
            self.inspectors.addItem(item)
        pl.addWidget(self.inspectors)
        return people

    def _checklist(self, f) -> QGroupBox:
        box = QGroupBox("检查内容（逐项选择结论）")
        cl = QVBoxLayout(box)
        self.checks = QTableWidget(0, 3)
        self.checks.setHorizontalHeaderLabels(["检查内容", "结论", "说明"])
        self.checks.verticalHeader().hide()
        self.checks.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.checks.setColumnWidth(1, 100)
        self.checks.setColumnWidth(2, 180)
        self.checks.setMinimumHeight(self._rows_height(self.checks, 3))
        cl.addWidget(self.checks)
        self.no_checklist = QLabel("未选择检查事项：本次检查不分项，请在隐患和备注中记录检查情况。"
                                   "选择一个抽查事项即按其检查内容逐项填写。")
        self.no_checklist.setWordWrap(True)
        cl.addWidget(self.no_checklist)
        self._load_checklist()
        return box

    def _load_checklist(self) -> None:
        f = self.form
        stored = {c.entry_id: c for c in f.existing.checks} if f.existing else {}
        self.checks.setRowCount(len(f.checklist))
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
        self.checks.setVisible(bool(f.checklist))
        self.no_checklist.setVisible(not f.checklist)

    def _offer_clauses(self, choice: QComboBox) -> None:
        current = choice.currentText()
        choice.clear()
        choice.addItems([""] + [c for c in self.form.clauses if c != current] + ([current] if current else []))
        choice.setCurrentText(current)

    def data(self) -> CheckData:
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
        source = self.source.currentText()
        complaint = source == COMPLAINT_SOURCE
        return CheckData(
            object_id=self.form.object_id, source=source,
            source_ref=self.ref.text() if source in REF_LABELS else "",
            source_date=from_qdate(self.source_date.date()) if complaint else None,
            reply_due=from_qdate(self.reply_due.date()) if complaint else None,
            plan_item_id=self.item.currentData(),
            duty_id=self.duty.currentData() if source in DUTY_SOURCES else None,
            date_from=from_qdate(self.date_from.date()),
            date_to=from_qdate(self.date_to.date()), inspector_ids=ids, result_category=self.category.currentText(),
            checks=checks, hazards=hazards, result_subkind=self.subkind.currentText(),
            method=self.method.currentText(), follow_up=self.follow_up.text(), finished=self.finished.isChecked(),
            finished_date=from_qdate(self.finished_date.date()) if self.finished.isChecked() else None,
            executing_unit=self.executing_unit.text(), signed_refused=self.signed_refused.isChecked(),
            note=self.note.text())

    def save(self) -> None:
        if not self.form.object_id:
            show_error(self, "无法保存检查记录", "检查对象：请先输入名称或统一社会信用代码，选择要登记检查的对象")
            self.search.setFocus()
            return
        try:
            with self.ctx.db.session() as s:
                self.saved_id = save_check(s, self.data(), self.ctx.actor(), self.inspection_id)
        except Exception as exc:  # noqa: BLE001 - every refusal is shown to the clerk
            if isinstance(exc, UnsetChoice):
                self._focus_unset(exc)
            show_error(self, "无法保存检查记录", error_message(exc))
            return
        self.ctx.notify(Topic.INSPECTIONS)
        self.accept()
