"""后续处理 after a failed 复查: recording the next step (再次责令限期整改, 立案查处, 行政处罚, 通报抄告) and
closing an open one (补录案件编号 / 处罚决定书文号, 制作抄告函). The rules are models.enforcement's; these forms
only gather input."""
from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from models.enforcement import (
    CASE, COMMON_DEPARTMENTS, DEFAULT_REQUEST, INFORM, PENALTY, REORDER, StepRow, latest_review, step_rows,
)
from models.notice_service import get_notice, suggested_deadline
from models.supervision import ENFORCEMENT_KINDS
from models.workdays import format_cn_date
from usecases.enforcement import StepResult, finish_step, record_step
from ui import print_util
from ui.context import Topic
from ui.inspections.inspection_dialog import date_edit, from_qdate, to_qdate
from ui.widgets import confirm, error_message, ok_cancel_buttons, show_error, show_info

# What each kind asks for, shown under the choice.
HINTS = {
    REORDER: "制作一份新的责令限期整改治安隐患通知书（文号按年度顺序自动编号），新通知书另行送达、复查。",
    CASE: "填写案件编号即办结；尚未立案编号的，可先登记，编号留在待办中稍后补录。",
    PENALTY: "填写行政处罚决定书文号即办结；尚未作出决定的，可先登记，稍后补录。",
    INFORM: "向负有监管职责的其他部门制作抄告函（文号按年度顺序自动编号），制作后即办结。",
}
_REFERENCE_LABEL = {CASE: "案件编号", PENALTY: "处罚决定书文号"}


def _offer_open(parent: QWidget | None, result: StepResult) -> None:
    if result.path is None:
        return
    what = "新通知书" if result.kind == REORDER else "抄告函"
    warnings = "\n".join(f"提示：{w}" for w in result.warnings)
    if confirm(parent, "后续处理", f"已制作{what} {result.doc_number}。\n文件：{result.path}\n{warnings}\n\n"
                                    "现在打开以便打印吗？"):
        print_util.open_file(result.path, parent)


class EnforcementDialog(QDialog):
    """登记后续处理 for one notice whose latest 复查 is 未整改; ``result`` holds the outcome after 确定."""

    def __init__(self, ctx, notice_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.notice_id = notice_id
        self.result: StepResult | None = None
        today = date.today()
        with ctx.db.session() as s:
            notice = get_notice(s, notice_id)
            unit = notice.inspection.inspected_object.name
            review = latest_review(notice)
            steps = step_rows(s, notice_id)
            proposed = suggested_deadline(s, notice.inspection_id, today)
            facts = (notice.doc_number, notice.extended_deadline or notice.deadline,
                     [h.text for h in notice.inspection.hazards])
        self.setWindowTitle(f"后续处理 — {unit}")
        layout = QVBoxLayout(self)
        number, deadline, hazards = facts
        found = (f"{format_cn_date(review.date)}复查（{escape(review.doc_number)}）：{escape(review.result)}"
                 + (f"，{escape(review.note)}" if review.note else "")) if review else "尚未复查"
        info = QLabel(f"<b>{escape(unit)}</b>　通知书 {escape(number)}，整改期限{format_cn_date(deadline)}<br>"
                      f"{found}<br>隐患：" + "；".join(escape(h) for h in hazards)
                      + ("<br>已登记：" + "；".join(escape(f"{r.title}（{r.state}）") for r in steps) if steps else ""))
        info.setWordWrap(True)
        layout.addWidget(info)
        self.form = QFormLayout()
        self.kind = QComboBox()
        self.kind.addItems(ENFORCEMENT_KINDS)
        self.form.addRow("处理方式", self.kind)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        self.date = date_edit(today)
        self.form.addRow("处理日期", self.date)
        self.deadline = date_edit(proposed)
        self.form.addRow("新的整改期限", self.deadline)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("可稍后补录")
        self.form.addRow("案件编号", self.reference)
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(COMMON_DEPARTMENTS)
        self.department.setCurrentText("")
        self.department.lineEdit().setPlaceholderText("例如：鹿泉区市场监督管理局")
        self.form.addRow("抄告部门", self.department)
        self.request = QPlainTextEdit(DEFAULT_REQUEST)
        self.request.setTabChangesFocus(True)
        self.request.setFixedHeight(self.request.fontMetrics().lineSpacing() * 3 + 14)
        self.form.addRow("请对方办理的事项", self.request)
        self.make_letter = QCheckBox("现在制作抄告函（不勾选则留在待办中，稍后制作）")
        self.make_letter.setChecked(True)
        self.form.addRow("", self.make_letter)
        self.note = QLineEdit()
        self.note.setPlaceholderText("例如：经负责人批准")
        self.form.addRow("说明", self.note)
        layout.addLayout(self.form)
        layout.addWidget(ok_cancel_buttons(self, "保存"))
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._kind_changed(self.kind.currentText())
        self.resize(720, self.sizeHint().height())

    def _kind_changed(self, kind: str) -> None:
        self.hint.setText(HINTS.get(kind, ""))
        self.form.setRowVisible(self.deadline, kind == REORDER)
        self.form.setRowVisible(self.reference, kind in _REFERENCE_LABEL)
        label = self.form.labelForField(self.reference)
        if label is not None and kind in _REFERENCE_LABEL:
            label.setText(_REFERENCE_LABEL[kind])
        for widget in (self.department, self.request, self.make_letter):
            self.form.setRowVisible(widget, kind == INFORM)
        self.form.setRowVisible(self.note, kind != INFORM)
        self.date.setToolTip("新通知书的签发日期" if kind == REORDER else "抄告函的日期" if kind == INFORM else "")

    def accept(self) -> None:
        kind = self.kind.currentText()
        try:
            self.result = record_step(
                self.ctx.db, self.notice_id, kind, actor=self.ctx.actor(), step_date=from_qdate(self.date.date()),
                deadline=from_qdate(self.deadline.date()) if kind == REORDER else None,
                department=self.department.currentText() if kind == INFORM else "",
                reference=self.reference.text() if kind in _REFERENCE_LABEL else "",
                note=self.request.toPlainText() if kind == INFORM else self.note.text(),
                make_letter=self.make_letter.isChecked())
        except Exception as exc:  # noqa: BLE001 - shown to the clerk; nothing was saved
            show_error(self, "无法登记后续处理", error_message(exc))
            return
        self.ctx.notify(Topic.NOTICES)
        super().accept()
        if self.result.path is not None:
            _offer_open(self.parentWidget(), self.result)
        else:
            show_info(self.parentWidget(), "后续处理", f"已登记{kind}" + ("，已办结。" if self.result.done else
                                                                         "，尚待办结，已列入待办。"))


class CompleteStepDialog(QDialog):
    """补录 / 办结 one open step of a notice: the case or decision number, or the 抄告函 to make now."""

    def __init__(self, ctx, notice_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.result: StepResult | None = None
        with ctx.db.session() as s:
            self.steps: list[StepRow] = step_rows(s, notice_id, open_only=True)
        self.setWindowTitle("补录 / 办结后续处理")
        layout = QVBoxLayout(self)
        if self.steps:
            intro = QLabel(f"通知书 {escape(self.steps[0].notice_number)}　{escape(self.steps[0].unit_name)}")
        else:
            intro = QLabel("这份通知书没有尚未办结的后续处理。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = QFormLayout()
        self.step = QComboBox()
        for row in self.steps:
            self.step.addItem(f"{row.title}：{row.state}", row.id)
        self.form.addRow("后续处理", self.step)
        self.reference = QLineEdit()
        self.form.addRow("案件编号", self.reference)
        self.date = date_edit(date.today())
        self.form.addRow("办结日期", self.date)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.form.addRow("", self.hint)
        layout.addLayout(self.form)
        layout.addWidget(ok_cancel_buttons(self, "保存"))
        self.step.currentIndexChanged.connect(lambda _i: self._step_changed())
        self._step_changed()
        self.resize(600, self.sizeHint().height())

    def chosen(self) -> StepRow | None:
        index = self.step.currentIndex()
        return self.steps[index] if 0 <= index < len(self.steps) else None

    def _step_changed(self) -> None:
        row = self.chosen()
        kind = row.kind if row else ""
        self.form.setRowVisible(self.reference, kind in _REFERENCE_LABEL)
        label = self.form.labelForField(self.reference)
        if label is not None and kind in _REFERENCE_LABEL:
            label.setText(_REFERENCE_LABEL[kind])
        date_label = self.form.labelForField(self.date)
        if date_label is not None:
            date_label.setText("抄告函日期" if kind == INFORM else "办结日期")
        self.hint.setText(f"将制作致“{row.department}”的抄告函，文号自动编号。" if kind == INFORM else "")
        self.date.setDate(to_qdate(date.today()))

    def accept(self) -> None:
        row = self.chosen()
        if row is None:
            super().reject()
            return
        try:
            self.result = finish_step(self.ctx.db, row.id, actor=self.ctx.actor(),
                                      reference=self.reference.text() if row.kind in _REFERENCE_LABEL else "",
                                      done_date=from_qdate(self.date.date()))
        except Exception as exc:  # noqa: BLE001 - shown to the clerk; nothing was saved
            show_error(self, "无法办结", error_message(exc))
            return
        self.ctx.notify(Topic.NOTICES)
        super().accept()
        if self.result.path is not None:
            _offer_open(self.parentWidget(), self.result)
