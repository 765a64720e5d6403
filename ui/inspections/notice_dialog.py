"""Dialogs for the notice: issuing (or reissuing) it, and the dated steps after it (送达, 延期, 整改完毕报告)."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from models.calendar_service import load_calendar
from models.deadlines import max_rectify_deadline, serve_due
from models.inspection import Inspection
from models.notice_service import (
    DEFAULT_LEGAL_BASIS, NoticeResult, describe_rule, issue_notice, plan_item_of, rectify_rule_for,
    reissue_notice, suggested_deadline,
)
from models.workdays import format_cn_date
from ui import print_util
from ui.inspections.inspection_dialog import date_edit, from_qdate
from ui.widgets import confirm, error_message, show_error, show_info


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


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
            hazards = [h.text for h in insp.hazards]
            item = plan_item_of(s, insp)
            rule = rectify_rule_for(s, item.id if item else None)
            cal = load_calendar(s)
            due = serve_due(insp.date_to, cal)
            deadline = suggested_deadline(s, inspection_id, today)
            latest = max_rectify_deadline(today, rule, cal)
        self.setWindowTitle(("重新制作" if replaces else "制作") + "责令限期整改治安隐患通知书")
        layout = QVBoxLayout(self)
        info = QLabel(f"<b>{unit}</b><br>隐患：{'；'.join(hazards)}<br>"
                      f"整改期限规则：{describe_rule(rule)}（按签发日期计最晚{format_cn_date(latest)}）<br>"
                      f"送达期限：检查结束后3个工作日内，即{format_cn_date(due)}前")
        info.setWordWrap(True)
        layout.addWidget(info)
        form = QFormLayout()
        self.issue_date = date_edit(today)
        form.addRow("签发日期", self.issue_date)
        self.deadline = date_edit(deadline)
        form.addRow("整改期限（于此日前整改完毕）", self.deadline)
        self.legal_basis = QLineEdit(DEFAULT_LEGAL_BASIS)
        form.addRow("法律依据", self.legal_basis)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("例如：单位名称打印错误")
        if replaces:
            form.addRow("原通知书作废原因", self.reason)
        layout.addLayout(form)
        note = QLabel("文号在保存时按年度顺序自动编号；作废的通知书保留文号，不再使用。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(_buttons(self, "制作"))

    def accept(self) -> None:
        try:
            if self.replaces:
                self.result_notice = reissue_notice(
                    self.ctx.db, self.replaces, self.reason.text(), self.ctx.actor(),
                    deadline=from_qdate(self.deadline.date()), issue_date=from_qdate(self.issue_date.date()),
                    legal_basis=self.legal_basis.text())
            else:
                self.result_notice = issue_notice(
                    self.ctx.db, self.inspection_id, deadline=from_qdate(self.deadline.date()),
                    issue_date=from_qdate(self.issue_date.date()), legal_basis=self.legal_basis.text(),
                    actor=self.ctx.actor())
        except Exception as exc:  # noqa: BLE001 - shown to the clerk; nothing was saved
            show_error(self, "无法制作通知书", error_message(exc))
            return
        self.ctx.notify("notice")
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
        layout.addWidget(_buttons(self, "确定"))

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
    ctx.notify("notice")
    if warnings:
        show_info(parent, dialog.windowTitle(), "已保存。\n" + "\n".join(warnings))
    return True
