"""The 复查 form: the day, 已整改 / 未整改 with a note, and the 复查意见书 it prints."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from models.inspection import REINSPECTION_RESULTS
from models.notice_service import ReviewResult, notice_detail
from usecases.notice_issue import record_reinspection
from models.workdays import format_cn_date
from ui import print_util
from ui.context import Topic
from ui.inspections.inspection_dialog import date_edit, from_qdate
from ui.widgets import confirm, error_message, ok_cancel_buttons, show_error


class ReinspectionDialog(QDialog):
    """Record the re-inspection of one notice; ``review`` holds the result after 确定."""

    def __init__(self, ctx, notice_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.notice_id = notice_id
        self.review: ReviewResult | None = None
        with ctx.db.session() as s:
            d = notice_detail(s, notice_id)
        self.setWindowTitle(f"复查 — {d.unit_name}")
        layout = QVBoxLayout(self)
        hint = QLabel(f"通知书 {d.doc_number}，整改期限{format_cn_date(d.extended_deadline or d.deadline)}；"
                      f"应于{format_cn_date(d.reinspect_due)}前复查。<br>隐患：" + "；".join(t for t, _c in d.hazards))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.date = date_edit(date.today())
        form.addRow("复查日期", self.date)
        self.result = QComboBox()
        self.result.addItems(REINSPECTION_RESULTS)
        form.addRow("复查结果", self.result)
        self.note = QLineEdit()
        self.note.setPlaceholderText("例如：监控存储已扩容至90日")
        form.addRow("说明", self.note)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self, "保存并制作复查意见书"))

    def accept(self) -> None:
        try:
            self.review = record_reinspection(self.ctx.db, self.notice_id, from_qdate(self.date.date()),
                                              self.result.currentText(), self.note.text(), self.ctx.actor())
        except Exception as exc:  # noqa: BLE001 - shown to the clerk; nothing was saved
            show_error(self, "无法登记复查", error_message(exc))
            return
        self.ctx.notify(Topic.NOTICES)
        super().accept()
        r = self.review
        extra = "\n".join(r.warnings)
        if confirm(self.parentWidget(), "复查已登记",
                   f"已制作复查意见书 {r.doc_number}。\n文件：{r.path}\n{extra}\n\n现在打开以便打印吗？"):
            print_util.open_file(r.path, self.parentWidget())
