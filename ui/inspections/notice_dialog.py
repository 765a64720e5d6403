"""Dialogs for the notice: issuing (or reissuing) it, and the dated steps after it (送达, 延期, 整改完毕报告)."""
from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.calendar_service import load_calendar
from models.deadlines import SERVE_WORKDAYS, max_rectify_deadline, serve_due
from models.inspection import Inspection
from models.notice_service import (
    DEFAULT_LEGAL_BASIS, RULE_PRESETS, NoticeResult, default_deadline, describe_rule, plan_item_of, rectify_rule_for,
)
from models.workdays import format_cn_date
from usecases.notice_rule_issue import issue_with_rule
from ui import print_util
from ui.context import Topic
from ui.inspections.inspection_dialog import date_edit, from_qdate, to_qdate
from ui.widgets import confirm, error_message, ok_cancel_buttons, show_error, show_info


class IssueNoticeDialog(QDialog):
    """制作整改通知书: issue date, deadline (checked against the item's rule) and legal basis.

    With ``replaces`` (a notice id) it reissues: the old notice is voided with the reason
    and the new one gets the next number, in one transaction.
    """

    def __init__(self, ctx, inspection_id: int, parent: QWidget | None = None, replaces: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.inspection_id = inspection_id
        self.replaces = replaces
        self.result_notice: NoticeResult | None = None
        today = date.today()
        with ctx.db.session() as s:
            insp = s.get(Inspection, inspection_id)
            unit = insp.inspected_object.name
            from models.joint_visit import joint_hazards  # a joint visit's one notice: every item's hazards

            hazards = joint_hazards(s, insp)
            item = plan_item_of(s, insp)
            self.item_id = item.id if item else None
            item_name = item.item if item else ""
            self.stored_rule = rectify_rule_for(s, self.item_id)
            self.cal = load_calendar(s)
            due = serve_due(insp.date_to, self.cal)
        self.setWindowTitle(("重新制作" if replaces else "制作") + "责令限期整改治安隐患通知书")
        layout = QVBoxLayout(self)
        info = QLabel(f"<b>{escape(unit)}</b>　送达期限：检查结束后{SERVE_WORKDAYS}个工作日内，"
                      f"即{format_cn_date(due)}前")
        info.setWordWrap(True)
        layout.addWidget(info)
        # The last look before a 文号 is taken: each hazard with the clause that will be printed beside it.
        check = QLabel("请核对将印在通知书上的隐患及其违反的条款（如有误，请先在检查记录中修改）：")
        check.setWordWrap(True)
        layout.addWidget(check)
        self.hazards = QTableWidget(len(hazards), 2)
        self.hazards.setHorizontalHeaderLabels(["隐患内容", "违反的条款"])
        self.hazards.verticalHeader().hide()
        self.hazards.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hazards.setWordWrap(True)
        header = self.hazards.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (text, clause) in enumerate(hazards):
            self.hazards.setItem(row, 0, QTableWidgetItem(f"{row + 1}. {text}"))
            cell = QTableWidgetItem(clause or "（未填写条款）")
            cell.setToolTip(clause)
            self.hazards.setItem(row, 1, cell)
        self.hazards.resizeRowsToContents()
        rows = min(len(hazards), 5)
        self.hazards.setFixedHeight(header.sizeHint().height() + sum(
            self.hazards.rowHeight(r) for r in range(rows)) + 6)
        layout.addWidget(self.hazards)
        form = QFormLayout()
        # The rule belongs to the plan item (seed 003: traffic hazards 15 days, extendable once to 30),
        # so choosing it here sets it for every notice of the item, including later extensions.
        self.rule = QComboBox()
        rules = dict(RULE_PRESETS)
        if self.stored_rule not in rules.values():
            rules = {describe_rule(self.stored_rule): self.stored_rule, **rules}
        for label, rule in rules.items():
            self.rule.addItem(label, rule)
        self.rule.setCurrentIndex(list(rules.values()).index(self.stored_rule))
        self.rule.setEnabled(self.item_id is not None and ctx.can_write())
        self.rule.setToolTip(f"抽查事项“{item_name}”的整改期限规则；修改后对该事项的所有通知书（含延期）生效")
        form.addRow("整改期限规则（本事项）", self.rule)
        self.issue_date = date_edit(today)
        form.addRow("签发日期", self.issue_date)
        self.deadline = date_edit(default_deadline(today, self.stored_rule, self.cal))
        form.addRow("整改期限（于此日前整改完毕）", self.deadline)
        self.rule_hint = QLabel()
        self.rule_hint.setWordWrap(True)
        form.addRow("", self.rule_hint)
        # Several laws and articles in a row: the whole text stays in view, wrapped, never cut to its tail.
        self.legal_basis = QPlainTextEdit(DEFAULT_LEGAL_BASIS)
        self.legal_basis.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.legal_basis.setTabChangesFocus(True)
        self.legal_basis.setFixedHeight(self.legal_basis.fontMetrics().lineSpacing() * 3 + 14)
        form.addRow("法律依据", self.legal_basis)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：单位名称打印错误")
        if replaces:
            form.addRow("原通知书作废原因", self.reason)
        layout.addLayout(form)
        note = QLabel("文号在保存时按年度顺序自动编号；作废的通知书保留文号，不再使用。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(ok_cancel_buttons(self, "制作"))
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.issue_date.dateChanged.connect(lambda _d: self._show_limit())
        self._show_limit()
        self.resize(760, self.sizeHint().height())

    def chosen_rule(self):
        return self.rule.currentData()

    def _show_limit(self) -> None:
        issued = from_qdate(self.issue_date.date())
        latest = max_rectify_deadline(issued, self.chosen_rule(), self.cal)
        changed = "；制作时将把此规则设为本事项的整改期限规则" if self.chosen_rule() != self.stored_rule else ""
        self.rule_hint.setText(f"按签发日期计，整改期限最晚{format_cn_date(latest)}{changed}")

    def _rule_changed(self) -> None:
        # A new rule brings its own suggestion (15 days for traffic), so the clerk need not work it out.
        self.deadline.setDate(to_qdate(default_deadline(from_qdate(self.issue_date.date()), self.chosen_rule(),
                                                        self.cal)))
        self._show_limit()

    def accept(self) -> None:
        new_rule = self.chosen_rule() if self.item_id is not None and self.chosen_rule() != self.stored_rule else None
        try:
            # Rule and notice in one transaction: a notice that cannot be made leaves the rule as it was.
            self.result_notice = issue_with_rule(
                self.ctx.db, self.inspection_id, rule=new_rule, replaces=self.replaces, reason=self.reason.text(),
                deadline=from_qdate(self.deadline.date()), issue_date=from_qdate(self.issue_date.date()),
                legal_basis=self.legal_basis.toPlainText().strip(), actor=self.ctx.actor())
        except Exception as exc:  # noqa: BLE001 - shown to the clerk; nothing was saved
            show_error(self, "无法制作通知书", error_message(exc))
            return
        if new_rule is not None:
            self.stored_rule = new_rule
        self.ctx.notify(Topic.NOTICES)
        super().accept()
        r = self.result_notice
        warnings = "\n".join(f"提示：{w}" for w in r.warnings)
        if confirm(self.parentWidget(), "通知书已制作",
                   f"已制作通知书 {r.doc_number}。\n文件：{r.path}\n{warnings}\n\n现在打开以便打印吗？"):
            print_util.open_file(r.path, self.parentWidget())


class DateStepDialog(QDialog):
    """One dated step (送达、延长期限、整改完毕报告): a date and, when asked for, a reason."""

    def __init__(self, title: str, label: str, initial: date, parent: QWidget | None = None,
                 reason_label: str | None = None, hint: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        if hint:
            text = QLabel(hint)
            text.setWordWrap(True)
            layout.addWidget(text)
        form = QFormLayout()
        self.date = date_edit(initial)
        form.addRow(label, self.date)
        self.reason = QLineEdit()
        if reason_label:
            form.addRow(reason_label, self.reason)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))

    def value(self) -> date:
        return from_qdate(self.date.date())


def run_step(parent: QWidget, ctx, dialog: DateStepDialog, action) -> bool:
    """Show ``dialog``; on 确定 call ``action(date, reason)`` (returning warnings) and report the outcome."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        warnings = action(dialog.value(), dialog.reason.text()) or []
    except Exception as exc:  # noqa: BLE001 - the service refuses with a Chinese message
        show_error(parent, dialog.windowTitle(), error_message(exc))
        return False
    ctx.notify(Topic.NOTICES)
    if warnings:
        show_info(parent, dialog.windowTitle(), "已保存。\n" + "\n".join(warnings))
    return True
