"""The 通知书 tab: every notice with its state and deadlines, and the steps of its follow-up."""
from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QFileDialog, QInputDialog, QPushButton, QSplitter, QTextBrowser, QVBoxLayout,
    QWidget,
)
from PySide6.QtCore import Qt

from models.deadlines import REINSPECT_WORKDAYS, Status
from models.notice_service import (
    NoticeRow, extend_deadline, list_notices, notice_detail, record_served, report_completion, void_notice,
)
from models.workdays import format_cn_date
from usecases.notice_batch import pending_inspections, render_pending_notices
from usecases.notice_issue import render_existing, render_existing_review
from ui import print_util
from ui.context import Topic
from ui.inspections.notice_dialog import DateStepDialog, IssueNoticeDialog, run_step
from ui.inspections.reinspection_dialog import ReinspectionDialog
from ui.flow_layout import FlowLayout
from ui.table_model import Column
from ui.widgets import RowTableView, confirm, error_message, show_error, show_info


def _color(row: NoticeRow) -> str | None:
    return "#9e9e9e" if row.voided else ("#c62828" if row.overdue else None)


def _cn(d: date | None) -> str:
    return format_cn_date(d) if d else ""


# Rows are NoticeRow, from list_notices.
COLUMNS = [
    Column("文号", "doc_number", color=_color),
    Column("单位", "unit_name", color=_color),
    Column("签发日期", "issue_date", fmt=_cn, color=_color),
    Column("送达日期", "served_date", fmt=_cn, color=_color),
    Column("整改期限", "deadline", fmt=_cn, color=_color),
    Column("状态", "status_label", color=_color, tooltip=lambda r: r.status_label),
]


class NoticesView(QWidget):
    """List, open/print and follow up the notices; also makes all pending notices at once."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = FlowLayout()  # nine buttons wrap to a second line on a 1366-pixel screen
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in [
            ("open", "打开/打印", self.open_selected), ("print", "直接打印", self.print_selected),
            ("served", "登记送达…", self.serve),
            ("extend", "延长整改期限…", self.extend), ("report", "整改完毕报告…", self.report),
            ("review", "复查…", self.review), ("open_review", "打开复查意见书", self.open_review),
            ("void", "作废…", self.void), ("reissue", "重新制作…", self.reissue),
            ("enforce", "后续处理…", self.enforce), ("enforce_done", "补录/办结…", self.enforce_done),
            ("open_letter", "打开抄告函", self.open_letter),
        ]:
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        self.batch_button = QPushButton("批量制作待制作的通知书…")
        self.batch_button.clicked.connect(self.batch)
        bar.addWidget(self.batch_button)
        layout.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = RowTableView(COLUMNS, self, widths=(240, 240, 120, 120, 120), id_field="notice_id")
        self.table.row_activated.connect(lambda _row: self.open_selected())
        self.table.selection_changed.connect(self._show_detail)
        split.addWidget(self.table)
        self.detail = QTextBrowser()
        split.addWidget(self.detail)
        split.setSizes([420, 260])
        layout.addWidget(split, 1)
        self._show_detail()

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            self.table.set_rows(list_notices(s))
        self._show_detail()

    def select_notice(self, notice_id: int) -> None:
        self.table.select_id(notice_id)

    def _selected(self) -> NoticeRow | None:
        return self.table.selected_row()

    def _show_detail(self) -> None:
        row = self._selected()
        writable = self.ctx.can_write()
        for key, button in self.buttons.items():
            button.setEnabled(row is not None and (key in ("open", "print") or (writable and not row.voided)))
        self.batch_button.setEnabled(writable)
        self._review_id = None
        if row is None:
            self.detail.setHtml("<p style='color:#757575'>选择一份通知书查看其期限和办理情况。</p>")
            return
        with self.ctx.db.session() as s:
            d = notice_detail(s, row.notice_id)
        # The latest 复查意见书 can be opened (and printed again) by anyone, like the notice itself.
        self._review_id = d.reinspections[-1].id if d.reinspections else None
        self.buttons["open_review"].setEnabled(self._review_id is not None)
        steps = self._show_steps(d, writable)
        lines = [f"<p><b>{escape(d.doc_number)}　{escape(d.unit_name)}</b></p>"]
        if d.voided:
            lines.append(f"<p style='color:#c62828'>已作废：{escape(d.void_reason)}（文号保留，不再使用）</p>")
        elif d.state is not None:
            color = "#c62828" if d.state.overdue else "#e65100" if d.state.status == Status.UNRECTIFIED else "#1b5e20"
            lines.append(f"<p style='color:{color}'><b>{escape(d.state.label)}</b></p>")
        facts = [
            ("检查结束", _cn(d.inspection_end)), ("签发日期", _cn(d.issue_date)),
            ("送达", _cn(d.served_date) or f"未送达（应于{_cn(d.serve_due)}前送达）"),
            ("整改期限", _cn(d.deadline) + (f"，已延长至{_cn(d.extended_deadline)}" if d.extended_deadline else "")),
            ("期限规则", f"{d.rule_text}；最长至{_cn(d.max_deadline)}"
                        + (f"，延长后最长至{_cn(d.max_extension)}" if d.max_extension else "")),
            ("整改完毕报告", _cn(d.completion_reported) or "—"),
            ("复查", "；".join(f"{_cn(r.date)} {r.result} {r.doc_number} {r.note}" for r in d.reinspections)
             or f"应于{_cn(d.reinspect_due)}前复查"),
            ("法律依据", d.legal_basis), ("文件", d.file_path or "—"),
        ] + [(f"复查意见书 {r.doc_number}", r.file_path or "—") for r in d.reinspections]
        # After a failed 复查, its next steps and their state right under it.
        at = next(i for i, (k, _v) in enumerate(facts) if k == "复查") + 1
        facts[at:at] = [(f"后续处理 {r.id}", f"{r.title}：{r.state}" + (f"（{r.file_path}）" if r.file_path else ""))
                        for r in steps]
        lines.append("<p>隐患：" + "；".join(
            f"{n}. {escape(t)}{'（违反' + escape(c) + '）' if c else ''}" for n, (t, c) in enumerate(d.hazards, 1))
            + "</p>")
        lines.append("<table>" + "".join(f"<tr><td style='padding-right:12px'>{k}</td><td>{escape(v)}</td></tr>"
                                         for k, v in facts) + "</table>")
        for w in d.warnings:
            lines.append(f"<p style='color:#c62828'>{escape(w)}</p>")
        self.detail.setHtml("".join(lines))

    def _show_steps(self, d, writable: bool) -> list:
        """The notice's next steps after a failed 复查 (models.enforcement), and which of their buttons apply."""
        from models.enforcement import INFORM, UNRECTIFIED, step_rows

        with self.ctx.db.session() as s:
            steps = step_rows(s, d.id)
        failed = bool(d.reinspections) and d.reinspections[-1].result == UNRECTIFIED and not d.voided
        self.buttons["enforce"].setEnabled(writable and failed)
        self.buttons["enforce_done"].setEnabled(writable and any(r.open for r in steps))
        letters = [r for r in steps if r.kind == INFORM and not r.open]
        self._letter_id = letters[-1].id if letters else None
        self.buttons["open_letter"].setEnabled(self._letter_id is not None)
        return steps

    def enforce(self) -> None:
        from ui.inspections.enforcement_dialog import EnforcementDialog

        row = self._selected()
        if row and EnforcementDialog(self.ctx, row.notice_id, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def enforce_done(self) -> None:
        from ui.inspections.enforcement_dialog import CompleteStepDialog

        row = self._selected()
        if row and CompleteStepDialog(self.ctx, row.notice_id, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def open_letter(self) -> None:
        from usecases.enforcement import render_existing_letter

        if getattr(self, "_letter_id", None) is None:
            return
        try:
            path = render_existing_letter(self.ctx.db, self._letter_id)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "无法打开抄告函", error_message(exc))
            return
        print_util.open_file(path, self)

    def _selected_file(self) -> Path | None:
        row = self._selected()
        if row is None:
            return None
        path = row.file_path
        if not path or not Path(path).is_file():
            try:
                path = render_existing(self.ctx.db, row.notice_id)  # the file was moved: write it again, same number
            except Exception as exc:  # noqa: BLE001
                show_error(self, "无法打开通知书", error_message(exc))
                return None
        return Path(path)

    def open_selected(self) -> None:
        path = self._selected_file()
        if path is not None:
            print_util.open_file(path, self)

    def print_selected(self) -> None:
        path = self._selected_file()
        if path is not None and print_util.print_file(path, self):
            show_info(self, "直接打印", f"已将 {path.name} 发送到默认打印机。")

    def open_review(self) -> None:
        if getattr(self, "_review_id", None) is None:
            return
        try:
            path = render_existing_review(self.ctx.db, self._review_id)
        except Exception as exc:  # noqa: BLE001
            show_error(self, "无法打开复查意见书", error_message(exc))
            return
        print_util.open_file(path, self)

    def _step(self, dialog: DateStepDialog, action) -> None:
        if run_step(self, self.ctx, dialog, action):
            self.refresh()

    def serve(self) -> None:
        row = self._selected()
        if row:
            self._step(DateStepDialog("登记送达", "送达日期", date.today(), self),
                       lambda d, _r: record_served(self.ctx.db, row.notice_id, d, self.ctx.actor()))

    def extend(self) -> None:
        row = self._selected()
        if row:
            self._step(DateStepDialog("延长整改期限", "新的整改期限", row.deadline, self, reason_label="延期原因",
                                      hint="须经单位书面申请并经批准；按事项的期限规则检查（如交通类只能延长一次，至多30日）。"),
                       lambda d, r: extend_deadline(self.ctx.db, row.notice_id, d, r, self.ctx.actor()))

    def report(self) -> None:
        row = self._selected()
        if row:
            self._step(DateStepDialog("整改完毕报告", "单位报告日期", date.today(), self,
                                      hint=f"单位书面报告整改完毕后，应在{REINSPECT_WORKDAYS}个工作日内复查。"),
                       lambda d, _r: report_completion(self.ctx.db, row.notice_id, d, self.ctx.actor()))

    def review(self) -> None:
        row = self._selected()
        if row and ReinspectionDialog(self.ctx, row.notice_id, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def void(self) -> None:
        row = self._selected()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, "作废通知书",
                                          f"作废 {row.doc_number} 的原因（文号保留在记录中，不再使用）：")
        if not ok:
            return
        try:
            void_notice(self.ctx.db, row.notice_id, reason, self.ctx.actor())
        except Exception as exc:  # noqa: BLE001
            show_error(self, "无法作废", error_message(exc))
            return
        self.ctx.notify(Topic.NOTICES)
        self.refresh()

    def reissue(self) -> None:
        row = self._selected()
        if row is None:
            return
        dialog = IssueNoticeDialog(self.ctx, row.inspection_id, self, replaces=row.notice_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def batch(self) -> None:
        pending = pending_inspections(self.ctx.db)
        if not pending:
            show_info(self, "批量制作", "没有待制作的通知书：所有发现隐患的检查都已有有效通知书。")
            return
        folder = QFileDialog.getExistingDirectory(self, "选择通知书保存的文件夹")
        if not folder or not confirm(self, "批量制作", f"将为 {len(pending)} 个单位各制作一份通知书（签发日期为今天，"
                                     "整改期限按各事项规则取一个月或更短），保存到：\n" + folder + "\n\n"
                                     "中途取消时，已制作的通知书文号有效，不会跳号。是否继续？"):
            return
        actor = self.ctx.actor()

        def done(result) -> None:
            self.refresh()
            failed = "\n".join(f"{u}：{p}" for u, p in result.failed)
            show_info(self, "批量制作", result.summary() + (f"\n未能制作：\n{failed}" if failed else ""))
            if result.written:
                print_util.open_folder(folder, self)

        self.ctx.runner.run(self, lambda progress, cancelled: render_pending_notices(
            self.ctx.db, folder, progress, cancelled, actor=actor), label="正在制作整改通知书……",
            # Notices made before a failure stay committed, so the change is announced either way.
            on_success=done, on_failure=lambda exc: show_error(self, "批量制作失败", error_message(exc)),
            announce=(Topic.NOTICES,))
