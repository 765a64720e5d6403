"""The 综合查一次 tab: the units a period's draws picked for two or more items (生成联合检查任务), the joint tasks
with their items and team, and for the selected task: record the visit, print its record, make its one notice,
export the 联合检查汇总表 (the paper through the task runner), or cancel it."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QPushButton, QSplitter, QVBoxLayout,
    QWidget,
)

from sqlalchemy import select

from models.errors import UserError
from models.joint_service import (
    CANCELLED_STATUS, PERIOD_LABELS, TODO_STATUS, JointTaskRow, cancel_task, create_tasks,
    group_automatically, list_tasks, propose, task_detail,
)
from models.plan import Plan
from ui.context import Topic
from ui.table_model import Column
from ui.widgets import RowTableView, YearCombo, confirm, error_message, show_error, show_info

GREY = "#757575"


def _grey(row: JointTaskRow) -> str | None:
    return GREY if row.status == CANCELLED_STATUS else None


PROPOSAL_COLUMNS = [
    Column("检查对象", "object_name"),
    Column("统一社会信用代码", "credit_code"),
    Column("抽中事项", "items_label"),
    Column("综合查一次分组", "auto", fmt=lambda a: "同组" if a else ""),
]
TASK_COLUMNS = [
    Column("任务", "task_id", fmt=lambda i: f"#{i}", align_right=True, color=_grey),
    Column("期间", "period_label", color=_grey),
    Column("检查对象", "object_name", color=_grey),
    Column("抽查事项", "items", color=_grey),
    Column("状态", "status", color=_grey),
    Column("检查日期", "visit_date", fmt=lambda d: d.isoformat() if d else "未定", color=_grey),
    Column("牵头部门", "lead_unit", color=_grey),
    Column("联合检查组", "team", color=_grey, tooltip=lambda r: r.team),
]


class JointView(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        self.year = YearCombo()
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.year)
        bar.addWidget(QLabel("期间"))
        self.period = QComboBox()
        for key, label in PERIOD_LABELS.items():
            self.period.addItem(label, key)
        self.period.setCurrentIndex(self.period.findData("Y"))
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.period)
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.proposal_label = QLabel()
        head.addWidget(self.proposal_label, 1)
        self.create_button = QPushButton("生成联合检查任务")
        self.create_button.setToolTip("为所选单位（未选时为全部建议的单位）各生成一个联合检查任务")
        self.create_button.clicked.connect(self.create_selected)
        self.auto_button = QPushButton("按综合查一次分组自动编组")
        self.auto_button.clicked.connect(self.group_auto)
        self.group_button = QPushButton("综合查一次分组…")
        self.group_button.setToolTip("把计划中几个抽查事项设为一组：抽中同一单位时，抽取后自动编为联合检查任务")
        self.group_button.clicked.connect(self.edit_groups)
        head.addWidget(self.create_button)
        head.addWidget(self.auto_button)
        head.addWidget(self.group_button)
        tl.addLayout(head)
        self.proposals = RowTableView(PROPOSAL_COLUMNS, self, widths=(260, 190, 120), id_field="object_id")
        tl.addWidget(self.proposals, 1)
        split.addWidget(top)

        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("联合检查任务"), 1)
        self.visit_button = QPushButton("录入检查结果…")
        self.visit_button.clicked.connect(self.record_visit)
        self.record_button = QPushButton("打印现场检查记录…")
        self.record_button.clicked.connect(self.print_record)
        self.notice_button = QPushButton("制作整改通知书…")
        self.notice_button.clicked.connect(self.make_notice)
        self.summary_button = QPushButton("本任务汇总表…")
        self.summary_button.setToolTip("所选任务的联合检查汇总表（牵头部门用）")
        self.summary_button.clicked.connect(lambda: self.export_summary(for_task=True))
        self.period_summary_button = QPushButton("本期汇总表…")
        self.period_summary_button.setToolTip("所选年度和期间全部联合检查任务的汇总表")
        self.period_summary_button.clicked.connect(lambda: self.export_summary(for_task=False))
        self.cancel_button = QPushButton("撤销任务…")
        self.cancel_button.clicked.connect(self.cancel_selected)
        for b in (self.visit_button, self.record_button, self.notice_button, self.summary_button,
                  self.period_summary_button, self.cancel_button):
            buttons.addWidget(b)
        bl.addLayout(buttons)
        self.tasks = RowTableView(TASK_COLUMNS, self, widths=(55, 80, 200, 80, 60, 90, 110), id_field="task_id")
        self.tasks.row_activated.connect(lambda _row: self.record_visit())
        self.tasks.selection_changed.connect(self._show_detail)
        bl.addWidget(self.tasks, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 8)  # the items, the team and the note
        bl.addWidget(self.detail)
        split.addWidget(bottom)
        split.setSizes([200, 380])
        layout.addWidget(split, 1)
        hint = QLabel("综合查一次：同一单位本期被多个抽查事项抽中的，由一个联合检查组"
                      "（各事项抽取的检查人员及配合部门人员）一次检查，一份现场检查记录（各事项检查内容分节），各事项结果分别记录和公示，发现的隐患合并制作"
                      "一份整改通知书。编组不改变任何抽取记录。")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    # --- reading -----------------------------------------------------------------------------------------
    def _period(self) -> str:
        return self.period.currentData() or "Y"

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            years = sorted(set(s.scalars(select(Plan.year))), reverse=True)
            self.year.set_years(years)
            year = self.year.year()
            proposals = propose(s, year, self._period()) if year else []
            tasks = list_tasks(s, year) if year else []
        period = self._period()
        shown = [t for t in tasks if period in ("Y", t.period) or t.period == "Y"]
        self.proposals.set_rows(proposals)
        self.tasks.set_rows(shown)
        when = f"{year}年{PERIOD_LABELS[period]}" if year else ""
        self.proposal_label.setText(f"这 {len(proposals)} 个单位{when}被 2 个以上事项抽中，尚未编入联合检查任务"
                                    if proposals else f"{when}没有被 2 个以上事项抽中、尚未编组的单位")
        todo = sum(1 for t in shown if t.status == TODO_STATUS)
        self.summary.setText(f"联合检查任务 {len(shown)} 个（待检查 {todo} 个）")
        self._show_detail()

    def _selected(self) -> JointTaskRow | None:
        return self.tasks.selected_row()

    def _show_detail(self) -> None:
        row = self._selected()
        writable = self.ctx.can_write()
        live = row is not None and row.status != CANCELLED_STATUS
        self.create_button.setEnabled(writable and self.proposals.row_count() > 0)
        self.auto_button.setEnabled(writable and self.year.year() is not None)
        self.group_button.setEnabled(writable and self.year.year() is not None)
        self.visit_button.setEnabled(writable and live)
        self.record_button.setEnabled(live)
        self.notice_button.setEnabled(writable and live and row.status != TODO_STATUS)
        self.summary_button.setEnabled(row is not None)
        self.period_summary_button.setEnabled(any(t.status != CANCELLED_STATUS for t in self.tasks.rows()))
        self.cancel_button.setEnabled(writable and live and row.status == TODO_STATUS)
        if row is None:
            self.detail.setText("")
            return
        with self.ctx.db.session() as s:
            d = task_detail(s, row.task_id)
        items = "；".join(f"{p.label}（抽取记录 #{p.draw_id}{'，' + p.result if p.result else ''}）" for p in d.picks)
        team = "、".join(f"{m.name}（{m.unit}{'，配合部门' if m.partner else ''}）" for m in d.team)
        self.detail.setText(f"<b>#{d.task_id} {d.object_name}</b>　{d.address}<br>抽查事项：{items or '（已撤销）'}"
                            f"<br>联合检查组：{team}" + (f"<br>{d.note}" if d.note else ""))

    # --- writing -----------------------------------------------------------------------------------------
    def _changed(self, result=None) -> None:
        self.ctx.notify(Topic.INSPECTIONS)
        self.refresh()
        if result is not None and result.task_ids:
            self.tasks.select_id(result.task_ids[0])
            text = f"已生成 {len(result.task_ids)} 个联合检查任务。"
            if result.warnings:
                text += "\n" + "\n".join(result.warnings)
            show_info(self, "综合查一次", text)

    def create_selected(self) -> None:
        year = self.year.year()
        chosen = [r.object_id for r in self.proposals.selected_rows()]
        try:
            with self.ctx.db.session() as s:
                result = create_tasks(s, year, self._period(), self.ctx.actor(), object_ids=chosen or None)
        except UserError as e:
            show_error(self, "无法生成联合检查任务", error_message(e))
            return
        self._changed(result)

    def group_auto(self) -> None:
        try:
            with self.ctx.db.session() as s:
                result = group_automatically(s, self.year.year(), self.ctx.actor())
        except UserError as e:
            show_error(self, "无法自动编组", error_message(e))
            return
        if not result.task_ids:
            show_info(self, "综合查一次", "没有可按综合查一次分组自动编组的抽取结果"
                      "（计划中同一分组的事项需抽中同一单位）。")
            return
        self._changed(result)

    def edit_groups(self) -> None:
        from ui.inspections.joint_group_dialog import JointGroupDialog

        if self.year.year() is not None and JointGroupDialog(self.ctx, self.year.year(), self).exec():
            self.refresh()

    def record_visit(self) -> None:
        from ui.inspections.joint_visit_dialog import JointVisitDialog

        row = self._selected()
        if row is None or row.status == CANCELLED_STATUS:
            return
        try:
            dialog = JointVisitDialog(self.ctx, row.task_id, self)
        except UserError as e:
            show_error(self, "联合检查", error_message(e))
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.tasks.select_id(row.task_id)

    def cancel_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, "撤销联合检查任务", f"撤销 #{row.task_id}（{row.object_name}）的原因"
                                          "（其抽取结果将可重新编组或分别检查）：")
        if not ok:
            return
        try:
            with self.ctx.db.session() as s:
                cancel_task(s, row.task_id, reason, self.ctx.actor())
        except UserError as e:
            show_error(self, "无法撤销", error_message(e))
            return
        self._changed()

    def _ask_save(self, title: str, name: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filters)
        return Path(path) if path else None

    def print_record(self) -> None:
        from reports.joint_docs import render_joint_record

        row = self._selected()
        if row is None:
            return
        path = self._ask_save("保存联合检查现场检查记录", f"联合检查现场检查记录_{row.object_name}.docx",
                              "Word 文档 (*.docx)")
        if path is None:
            return
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        self._run(lambda progress=None, cancelled=None: render_joint_record(self.ctx.db, row.task_id, path),
                  "正在制作联合检查现场检查记录……", "现场检查记录")

    def export_summary(self, for_task: bool = True) -> None:
        from reports.joint_docs import export_summary

        row = self._selected() if for_task else None
        if for_task and row is None:
            return
        year, period = self.year.year(), self._period()
        name = f"联合检查汇总表_#{row.task_id}.xlsx" if row else f"{year}年{PERIOD_LABELS[period]}联合检查汇总表.xlsx"
        path = self._ask_save("导出联合检查汇总表", name, "Excel 工作簿 (*.xlsx);;Word 文档 (*.docx)")
        if path is None:
            return
        if path.suffix.lower() not in (".xlsx", ".docx"):
            path = path.with_name(path.name + ".xlsx")

        def job(progress=None, cancelled=None):
            if row is not None:
                return export_summary(self.ctx.db, path, task_id=row.task_id, progress=progress, cancelled=cancelled)
            return export_summary(self.ctx.db, path, year=year, period=None if period == "Y" else period,
                                  progress=progress, cancelled=cancelled)

        self._run(job, "正在导出联合检查汇总表……", "联合检查汇总表")

    def _run(self, job, label: str, what: str, announce=()) -> None:
        def done(path) -> None:
            show_info(self, what, f"已保存：{path}")

        def failed(exc: BaseException) -> None:
            show_error(self, f"{what}未保存", error_message(exc))

        self.ctx.runner.run(self, job, label=label, on_success=done, on_failure=failed, announce=announce)

    def make_notice(self) -> None:
        from models.joint_visit import notice_inspection
        from models.notice_service import valid_notice_of
        from ui.inspections.notice_dialog import IssueNoticeDialog

        row = self._selected()
        if row is None:
            return
        try:
            with self.ctx.db.session() as s:
                inspection_id = notice_inspection(s, row.task_id)
                existing = valid_notice_of(s, inspection_id)
                number = existing.doc_number if existing else None
        except UserError as e:
            show_error(self, "整改通知书", error_message(e))
            return
        if number:
            if confirm(self, "整改通知书", f"本联合检查任务已有整改通知书 {number}。\n到“通知书”页查看或重新打印？"):
                parent = self.parent()
                while parent is not None and not hasattr(parent, "show_notice"):
                    parent = parent.parent()
                if parent is not None:
                    parent.show_notice(existing.id)
            return
        IssueNoticeDialog(self.ctx, inspection_id, self).exec()
        self.refresh()
