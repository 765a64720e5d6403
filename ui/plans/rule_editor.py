"""The 规则 tab of the item editor: the ratio text as written, its parsed rule shown live, and a rule set by hand."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox,
    QVBoxLayout, QWidget,
)

from models.plan_rules import EXACT, MAX, MIN, SamplingRule, parse_rule

RED = "color: #c00000;"
GREEN = "color: #1a7f37;"
KINDS = (("不低于", MIN), ("等于", EXACT), ("不超过", MAX))
EXAMPLES = ("例如：全年抽查比例不低于5%，每年抽查1次 · 随机抽取20% · 30%/3户 · 10户 · 每半年1-2次 · "
            "按大型群众性活动实际执行")


class RuleEditor(QWidget):
    """Edits 抽查比例和频次; ``rule_changed`` fires with the rule that saving would store."""

    rule_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = QLineEdit()
        self.text.setObjectName("ratio_text")
        self.text.setPlaceholderText("按计划原文填写，如：全年抽查比例不低于5%，每年抽查1次")
        self.parsed = QLabel()
        self.parsed.setObjectName("parsed_rule")
        self.parsed.setWordWrap(True)
        hint = QLabel(EXAMPLES)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")

        self.manual = QGroupBox("手动设置规则（原文无法识别或识别结果不对时使用；以此为准）")
        self.manual.setObjectName("manual_rule")
        self.manual.setCheckable(True)
        self.manual.setChecked(False)
        self.use_ratio = QCheckBox("抽查比例")
        self.kind = QComboBox()
        for label, value in KINDS:
            self.kind.addItem(label, value)
        self.ratio = QDoubleSpinBox()
        self.ratio.setRange(0.1, 100.0)
        self.ratio.setDecimals(1)
        self.ratio.setSuffix(" %")
        self.ratio.setValue(5.0)
        self.count = QSpinBox()
        self.count.setRange(0, 100000)
        self.count.setSpecialValueText("不设")
        self.count.setSuffix(" 户")
        self.count.setMaximumWidth(140)
        self.rounds_min = QSpinBox()
        self.rounds_min.setRange(0, 52)
        self.rounds_min.setSpecialValueText("不设")
        self.rounds_max = QSpinBox()
        self.rounds_max.setRange(0, 52)
        self.rounds_max.setSpecialValueText("不设")
        self.per_event = QCheckBox("按活动实际执行（没有固定比例，每次活动时确定抽取数量）")
        self.manual_preview = QLabel()
        self.manual_preview.setObjectName("manual_preview")

        ratio_row = QHBoxLayout()
        ratio_row.addWidget(self.use_ratio)
        ratio_row.addWidget(self.kind)
        ratio_row.addWidget(self.ratio)
        ratio_row.addStretch(1)
        rounds_row = QHBoxLayout()
        rounds_row.addWidget(QLabel("至少"))
        rounds_row.addWidget(self.rounds_min)
        rounds_row.addWidget(QLabel("次，至多"))
        rounds_row.addWidget(self.rounds_max)
        rounds_row.addWidget(QLabel("次"))
        rounds_row.addStretch(1)
        form = QFormLayout(self.manual)
        form.addRow(ratio_row)
        form.addRow("固定户数（与比例同设时取较大者）：", self.count)
        form.addRow("每年抽查：", rounds_row)
        form.addRow(self.per_event)
        form.addRow("手动规则：", self.manual_preview)

        top = QFormLayout()
        top.addRow("抽查比例和频次（原文）：", self.text)
        top.addRow("自动识别：", self.parsed)
        top.addRow("", hint)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.manual)
        layout.addStretch(1)

        self.text.textChanged.connect(self._update)
        for w in (self.manual, self.use_ratio, self.per_event):
            w.toggled.connect(self._update)
        self.kind.currentIndexChanged.connect(self._update)
        for spin in (self.ratio, self.count, self.rounds_min, self.rounds_max):
            spin.valueChanged.connect(self._update)
        self._update()

    # --- state -------------------------------------------------------------------------

    def set_values(self, ratio_text: str, manual_rule: SamplingRule | None) -> None:
        self.text.setText(ratio_text or "")
        # Pre-fill the manual group with whatever the text gives, so the clerk only corrects it.
        seed = manual_rule or parse_rule(ratio_text or "")
        self._fill_manual(seed if seed.parsed else SamplingRule())
        self.manual.setChecked(manual_rule is not None)
        self._update()

    def _fill_manual(self, rule: SamplingRule) -> None:
        self.use_ratio.setChecked(rule.ratio is not None)
        if rule.ratio is not None:
            self.ratio.setValue(rule.ratio * 100)
            self.kind.setCurrentIndex(max(self.kind.findData(rule.ratio_kind or EXACT), 0))
        self.count.setValue(rule.count or 0)
        self.rounds_min.setValue(rule.rounds_min or 0)
        self.rounds_max.setValue(rule.rounds_max or 0)
        self.per_event.setChecked(rule.per_event)

    def ratio_text(self) -> str:
        return self.text.text().strip()

    def manual_rule(self) -> SamplingRule | None:
        """The hand-set rule, or None when the clerk relies on the text."""
        if not self.manual.isChecked():
            return None
        if self.per_event.isChecked():
            return SamplingRule(per_event=True, parsed=True)
        lo = self.rounds_min.value() or None
        hi = self.rounds_max.value() or None
        return SamplingRule(
            ratio=round(self.ratio.value() / 100, 4) if self.use_ratio.isChecked() else None,
            ratio_kind=self.kind.currentData() if self.use_ratio.isChecked() else None,
            count=self.count.value() or None,
            rounds_min=lo, rounds_max=hi, parsed=True,
        )

    def effective_rule(self) -> SamplingRule:
        return self.manual_rule() or parse_rule(self.ratio_text())

    def problem(self) -> str | None:
        """Why saving the manual rule would be refused, in Chinese; None when fine."""
        rule = self.manual_rule()
        if rule is None or rule.per_event:
            return None
        if rule.ratio is None and rule.count is None and rule.rounds_min is None and rule.rounds_max is None:
            return "手动规则需要比例、固定户数、频次或“按活动实际执行”中的至少一项。"
        if rule.rounds_min and rule.rounds_max and rule.rounds_min > rule.rounds_max:
            return "手动规则的每年次数：至少的次数大于至多的次数。"
        return None

    def _update(self, *_args) -> None:
        parsed = parse_rule(self.ratio_text())
        if parsed.parsed:
            self.parsed.setText(parsed.describe())
            self.parsed.setStyleSheet(GREEN)
        else:
            self.parsed.setText(f"无法识别：{parsed.problem}（请修改原文，或在下方手动设置规则）")
            self.parsed.setStyleSheet(RED)
        for w in (self.kind, self.ratio):
            w.setEnabled(self.use_ratio.isChecked() and not self.per_event.isChecked())
        for w in (self.use_ratio, self.count, self.rounds_min, self.rounds_max):
            w.setEnabled(not self.per_event.isChecked())
        problem = self.problem()
        manual = self.manual_rule()
        if problem:
            self.manual_preview.setText(problem)
            self.manual_preview.setStyleSheet(RED)
        elif manual is not None:
            self.manual_preview.setText(manual.describe())
            self.manual_preview.setStyleSheet(GREEN)
        else:
            self.manual_preview.setText("")
        self.rule_changed.emit(self.effective_rule())
