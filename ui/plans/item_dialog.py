"""The editor of one plan item (抽查事项), with every column of the bureaus' plan tables."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from usecases.plan_import import estimate_from_text
from models.plan_service import (
    ItemData, PlanError, add_item, all_type_names, auto_link_types, get_item, get_plan, item_data_of, link_types,
    update_item,
)
from models.text import nonblank
from reports.plan_table import parse_months
from ui.context import AppContext
from ui.plans.checklist_editor import ChecklistEditor
from ui.plans.rule_editor import RuleEditor
from ui.widgets import error_message

MODES = ("公安内部", "部门联合")
CATEGORIES = ("一般检查事项", "重点检查事项")
LEVELS = ("县抽县查", "市抽市查", "市抽县查", "市抽市查 县抽县查", "市抽市、县查")
METHODS = ("现场检查", "书面检查")


def _split(text: str) -> list[str]:
    return nonblank(re.split(r"[、，,；;\n]+", text or ""))


def _combo(values, current: str = "") -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems([v for v in values if v])
    box.setCurrentText(current)
    return box


def _text_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setMaximumHeight(height)
    return box


class ItemDialog(QDialog):
    """新增/编辑抽查事项; emits ``saved(item_id)`` after a successful save."""

    saved = Signal(int)

    def __init__(self, ctx: AppContext, year: int, item_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.item_id = item_id
        self.setWindowTitle(f"编辑抽查事项（{year}年度）" if item_id else f"新增抽查事项（{year}年度）")
        self.resize(860, 620)
        with ctx.db.session() as s:
            plan = get_plan(s, year)
            if item_id is not None:
                item = get_item(s, item_id)
                data = item_data_of(item)
                linked = [t.name for t in item.object_types]
            else:
                numbers = [int(it.number) for it in plan.items if it.number.isdigit()]
                data = ItemData(number=str(max(numbers, default=0) + 1), item="")
                linked = []
            type_names = all_type_names(s)
            units = sorted({it.responsible_unit for it in plan.items if it.responsible_unit})

        self.tabs = QTabWidget()
        self.tabs.addTab(self._basic_tab(data), "基本信息")
        self.checklist = ChecklistEditor()
        self.checklist.set_values(data.content, data.checklist)
        self.tabs.addTab(self.checklist, "抽查内容")
        self.rule = RuleEditor()
        self.rule.set_values(data.ratio_text, data.rule if data.rule_manual else None)
        self.tabs.addTab(self.rule, "规则")
        self.tabs.addTab(self._types_tab(type_names, linked), "对象类型")
        self.tabs.addTab(self._other_tab(data, units), "其他")

        self.error = QLabel()
        self.error.setObjectName("error_message")
        self.error.setStyleSheet("color: #c00000;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ctx.can_write())
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    # --- tabs --------------------------------------------------------------------------

    def _basic_tab(self, data: ItemData) -> QWidget:
        page = QWidget()
        self.number = QLineEdit(data.number)
        self.number.setMaximumWidth(120)
        self.mode = _combo(MODES, data.mode)
        self.category = _combo(CATEGORIES, data.category)
        self.field = _text_box(60)
        self.field.setPlainText(data.field)
        self.item_text = _text_box(90)
        self.item_text.setObjectName("item_text")
        self.item_text.setPlainText(data.item)
        self.object_text = QLineEdit(data.object_text)
        self.object_text.setPlaceholderText("按计划原文填写，如：各类宾馆、旅店")
        form = QFormLayout(page)
        form.addRow("编号：", self.number)
        form.addRow("抽查方式：", self.mode)
        form.addRow("抽查领域：", self.field)
        form.addRow("抽查事项：", self.item_text)
        form.addRow("检查对象（原文）：", self.object_text)
        form.addRow("事项类别：", self.category)
        return page

    def _types_tab(self, type_names: list[str], linked: list[str]) -> QWidget:
        page = QWidget()
        self.types = QListWidget()
        self.types.setObjectName("object_types")
        for name in type_names:
            entry = QListWidgetItem(name)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if name in linked else Qt.CheckState.Unchecked)
            self.types.addItem(entry)
        auto = QPushButton("按检查对象原文自动勾选")
        auto.clicked.connect(self.auto_check_types)
        note = QLabel("抽取时从名录库中这些类型的在营对象里随机抽取。"
                      + ("" if type_names else "名录库中还没有对象类型，请先在“名录库”中添加检查对象。"))
        note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(note, 1)
        row.addWidget(auto)
        layout = QVBoxLayout(page)
        layout.addLayout(row)
        layout.addWidget(self.types, 1)
        return page

    def _other_tab(self, data: ItemData, units: list[str]) -> QWidget:
        page = QWidget()
        self.initiator = QLineEdit(data.initiator)
        self.partners = QLineEdit("、".join(data.partners))
        self.partners.setPlaceholderText("多个部门用“、”分隔，如：市场监督管理局、生态环境局")
        self.subject = QLineEdit(data.subject)
        self.time_text = QLineEdit(data.time_text)
        self.time_text.setPlaceholderText("如：5月-11月")
        self.month_from = QSpinBox()
        self.month_to = QSpinBox()
        for spin, value in ((self.month_from, data.month_from), (self.month_to, data.month_to)):
            spin.setRange(0, 12)
            spin.setSpecialValueText("未设")
            spin.setSuffix(" 月")
            spin.setValue(value or 0)
        self.time_text.textChanged.connect(self._months_from_text)
        self.unit = _combo(units, data.responsible_unit)
        self.method_boxes = [QCheckBox(m) for m in METHODS]
        for box in self.method_boxes:
            box.setChecked(box.text() in data.methods)
        self.other_methods = QLineEdit("、".join(m for m in data.methods if m not in METHODS))
        self.other_methods.setPlaceholderText("其他方式")
        self.basis = _text_box(70)
        self.basis.setPlainText(data.basis)
        self.level = _combo(LEVELS, data.level)
        self.est_count = QLineEdit(data.est_count_text)
        self.est_risk = QLineEdit(data.est_risk_text)
        self.est_risk.setPlaceholderText("如：低风险抽查对象4家；中低风险抽查对象1家；中风险抽查对象0家；高风险抽查对象0家")
        self.remark = QLineEdit(data.remark)

        months = QHBoxLayout()
        months.addWidget(self.time_text, 1)
        months.addWidget(QLabel("月份："))
        months.addWidget(self.month_from)
        months.addWidget(QLabel("至"))
        months.addWidget(self.month_to)
        methods = QHBoxLayout()
        for box in self.method_boxes:
            methods.addWidget(box)
        methods.addWidget(self.other_methods, 1)
        form = QFormLayout(page)
        form.addRow("发起部门：", self.initiator)
        form.addRow("配合部门：", self.partners)
        form.addRow("检查主体：", self.subject)
        form.addRow("检查时间：", months)
        form.addRow("责任单位：", self.unit)
        form.addRow("检查方式：", methods)
        form.addRow("制定依据：", self.basis)
        form.addRow("实施层级：", self.level)
        form.addRow("预估抽查对象数：", self.est_count)
        form.addRow("预估风险等级：", self.est_risk)
        form.addRow("备注：", self.remark)
        return page

    # --- behaviour ---------------------------------------------------------------------

    def _months_from_text(self, text: str) -> None:
        months = parse_months(text)
        if months:
            first, last = months
            self.month_from.setValue(first)
            self.month_to.setValue(last)

    def auto_check_types(self) -> None:
        names = [self.types.item(i).text() for i in range(self.types.count())]
        found = set(auto_link_types(self.object_text.text(), names))
        for i in range(self.types.count()):
            entry = self.types.item(i)
            if entry.text() in found:
                entry.setCheckState(Qt.CheckState.Checked)

    def checked_types(self) -> list[str]:
        return [self.types.item(i).text() for i in range(self.types.count())
                if self.types.item(i).checkState() == Qt.CheckState.Checked]

    def item_data(self) -> ItemData:
        est, differentiated = estimate_from_text(self.est_risk.text())
        manual = self.rule.manual_rule()
        methods = [b.text() for b in self.method_boxes if b.isChecked()] + _split(self.other_methods.text())
        return ItemData(
            number=self.number.text().strip(), item=self.item_text.toPlainText().strip(),
            mode=self.mode.currentText().strip(), field=self.field.toPlainText().strip(),
            content=self.checklist.content.toPlainText().strip(), object_text=self.object_text.text().strip(),
            category=self.category.currentText().strip(), ratio_text=self.rule.ratio_text(),
            initiator=self.initiator.text().strip(), partners=_split(self.partners.text()),
            subject=self.subject.text().strip(), time_text=self.time_text.text().strip(),
            month_from=self.month_from.value() or None, month_to=self.month_to.value() or None,
            responsible_unit=self.unit.currentText().strip(), methods=methods,
            basis=self.basis.toPlainText().strip(), level=self.level.currentText().strip(),
            est_count_text=self.est_count.text().strip(), est_risk_text=self.est_risk.text().strip(),
            est_risk=est, risk_differentiated=differentiated, remark=self.remark.text().strip(),
            checklist=self.checklist.checklist(), rule_manual=manual is not None, rule=manual,
        )

    def _fail(self, message: str, tab: QWidget | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        if tab is not None:
            self.tabs.setCurrentWidget(tab)

    def save(self) -> None:
        problem = self.rule.problem()
        if problem:
            self._fail(problem, self.rule)
            return
        data = self.item_data()
        try:
            with self.ctx.db.session() as s:
                if self.item_id is None:
                    item = add_item(s, self.year, data, self.ctx.actor())
                else:
                    item = update_item(s, self.item_id, data, self.ctx.actor())
                before = sorted(t.name for t in item.object_types)
                if sorted(self.checked_types()) != before:
                    link_types(s, item.id, self.checked_types(), self.ctx.actor())
                saved_id = item.id
        except (PlanError, ValueError) as e:
            self._fail(error_message(e))
            return
        self.item_id = saved_id
        self.saved.emit(saved_id)
        self.accept()
