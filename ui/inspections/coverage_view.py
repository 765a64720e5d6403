"""The 巡查覆盖 tab: per routine duty, per 辖区 and period, how many objects are done, due and overdue (red),
and the objects themselves."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from models.duty_coverage import DONE, DUE, NOT_NEEDED, OVERDUE, UPCOMING, GroupCoverage, ObjectCoverage, coverage
from models.duties import ROUND_UNIT
from models.roster_service import jurisdictions
from models.workdays import format_cn_date
from models.statistics import percent
from ui.table_model import Column
from ui.widgets import FilterCombo, RowTableView

RED = "#c62828"
GREEN = "#2e7d32"
GREY = "#757575"
YEARS_BACK = 2


class GroupRow(NamedTuple):
    """One duty in one 辖区 (or named unit) and period."""

    key: tuple[int, str]
    duty: str
    unit: str
    group: str
    period: str
    total: int
    required: int
    done: int
    due: int
    overdue: int
    rate: float | None
    coverage: GroupCoverage


def _group_colour(row: GroupRow) -> str | None:
    if row.overdue:
        return RED
    return GREEN if row.required and not row.due else None


def _object_colour(row: ObjectCoverage) -> str | None:
    return {OVERDUE: RED, DONE: GREEN, NOT_NEEDED: GREY}.get(row.state)


GROUP_COLUMNS = [
    Column("巡查任务", "duty", color=_group_colour),
    Column("责任单位", "unit", color=_group_colour),
    Column("辖区", "group", color=_group_colour),
    Column("期次", "period", color=_group_colour),
    Column("对象数", "total", align_right=True, color=_group_colour),
    Column("应查", "required", align_right=True, color=_group_colour),
    Column("已查", "done", align_right=True, color=_group_colour),
    Column("待查", "due", align_right=True, color=_group_colour),
    Column("逾期", "overdue", align_right=True, color=_group_colour),
    Column("完成率", "rate", fmt=percent, align_right=True, color=_group_colour),
]
OBJECT_COLUMNS = [
    Column("单位名称", "name", color=_object_colour),
    Column("统一社会信用代码", "credit_code", color=_object_colour),
    Column("辖区", "jurisdiction", color=_object_colour),
    Column("状态", "state", color=_object_colour),
    Column("本期检查次数", "checks", align_right=True, color=_object_colour),
    Column("最近检查日期", "last_date", fmt=lambda d: format_cn_date(d) if d else "", color=_object_colour),
]


def _box(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


class CoverageView(QWidget):
    """Filters: year, month (each duty's period containing it) and 辖区."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        today = date.today()
        bar.addWidget(QLabel("年度"))
        self.year = QComboBox()
        for y in range(today.year, today.year - YEARS_BACK - 1, -1):
            self.year.addItem(f"{y}年", y)
        bar.addWidget(self.year)
        bar.addWidget(QLabel("月份"))
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(f"{m}月", m)
        self.month.setCurrentIndex(today.month - 1)
        self.month.setToolTip("显示各任务含该月的那一期（每季度的任务为该季度，每年的任务为全年）")
        bar.addWidget(self.month)
        bar.addWidget(QLabel("辖区"))
        self.jurisdiction = FilterCombo()
        bar.addWidget(self.jurisdiction)
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        self.export_button = QPushButton("导出巡查填报表…")
        self.export_button.setToolTip("为所选任务、辖区和期次导出 Excel 填报表：本期待查（含逾期）的对象各一行，"
                                      "检查组填写后在“检查记录”页导入结果填报表，每行记为一次属于该任务的日常巡查")
        self.export_button.clicked.connect(self.export_round)
        bar.addWidget(self.export_button)
        self.sheet_button = QPushButton("打印现场检查记录…")
        self.sheet_button.setToolTip("为所选任务、辖区和期次本期待查（含逾期）的对象各打印一份现场检查记录（检查笔录），"
                                     "检查来源为日常巡查，外出巡查时现场填写并由双方签字")
        self.sheet_button.clicked.connect(self.print_round)
        bar.addWidget(self.sheet_button)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        layout.addLayout(bar)

        self.groups = RowTableView(GROUP_COLUMNS, self, widths=(190, 110, 120, 110, 60, 55, 55, 55, 55),
                                   id_field="key")
        self.groups.selection_changed.connect(self._show_objects)
        self.objects = RowTableView(OBJECT_COLUMNS, self, widths=(260, 170, 120, 70, 100), id_field="object_id")
        self.objects.row_activated.connect(self.record_round)
        self.objects_box = _box("对象名单", self.objects)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_box("各任务、各辖区本期完成情况（红色为有逾期未查的对象）", self.groups))
        split.addWidget(self.objects_box)
        split.setSizes([280, 260])
        layout.addWidget(split, 1)
        self.hint = QLabel("本期内已有日常巡查（或全面检查、专项检查、双随机抽查）记录的对象计为已查；标明属于另一项"
                           "任务的检查只计入那一项，为举报投诉、案件等事项所作的检查不计入。"
                           "期满仍未查的为逾期（红色）。双击待查或逾期的对象登记属于所选任务的日常巡查。")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        for combo in (self.year, self.month):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.jurisdiction.value_changed.connect(lambda _v: self.refresh())

    def refresh(self) -> None:
        year, month = self.year.currentData(), self.month.currentData()
        with self.ctx.db.session() as s:
            self.jurisdiction.blockSignals(True)
            self.jurisdiction.set_values(jurisdictions(s))
            self.jurisdiction.blockSignals(False)
            found = coverage(s, year, month=month, jurisdiction=self.jurisdiction.value())
        rows = [GroupRow((c.duty.id, g.group), c.duty.label, c.duty.unit_label, g.group, g.period, g.total,
                         g.required, g.done, g.due, g.overdue, g.rate, g)
                for c in found for g in c.groups]
        self.groups.set_rows(rows)
        if not found:
            self.summary.setText("　尚未声明日常巡查任务：请在“巡查任务”页新增或导入。")
        else:
            due, overdue = sum(c.due for c in found), sum(c.overdue for c in found)
            self.summary.setText(f"　任务 {len(found)} 项，应查 {sum(c.required for c in found)}，"
                                 f"已查 {sum(c.done for c in found)}，待查 {due}，逾期 {overdue}")
        if self.groups.selected_row() is None and rows:
            self.groups.selectRow(0)
        self._show_objects()

    def export_round(self):
        """The round sheet of the selected duty and 辖区 (a named unit's duty: the 辖区 filter) for this period."""
        from ui.inspections.results_sheet_dialog import start_round_export
        from ui.widgets import show_info

        row = self.groups.selected_row()
        if row is None:
            show_info(self, "导出巡查填报表", "请先在上表中选择一项任务和辖区。")
            return None
        named = row.unit != ROUND_UNIT          # a named unit: one group, all 辖区
        jurisdiction = self.jurisdiction.value() if named else row.group
        return start_round_export(self.ctx, self, row.key[0], jurisdiction, self.year.currentData(),
                                  self.month.currentData(), row.duty.split(" ")[0])

    def print_round(self) -> None:
        """The 现场检查记录 of the selected duty and 辖区 (a named unit's duty: the 辖区 filter) for this period."""
        from ui.inspections.round_sheet_dialog import open_round_sheets
        from ui.widgets import show_info

        row = self.groups.selected_row()
        if row is None:
            show_info(self, "打印现场检查记录", "请先在上表中选择一项任务和辖区。")
            return
        jurisdiction = self.jurisdiction.value() if row.unit != ROUND_UNIT else row.group
        open_round_sheets(self.ctx, self, row.key[0], jurisdiction, self.year.currentData(), self.month.currentData())

    def _show_objects(self) -> None:
        row = self.groups.selected_row()
        if row is None:
            self.objects.set_rows([])
            self.objects_box.setTitle("对象名单")
            return
        g = row.coverage
        # Overdue and due first: what the clerk has to go to.
        order = {OVERDUE: 0, DONE: 3, NOT_NEEDED: 4}
        objects = sorted(g.objects, key=lambda o: (order.get(o.state, 1), o.name))
        self.objects.set_rows(objects)
        self.objects_box.setTitle(f"对象名单：{row.duty}，{row.group}，{row.period}"
                                  f"（{format_cn_date(g.start)}至{format_cn_date(g.end)}）")

    def record_round(self, row: ObjectCoverage) -> None:
        """登记检查 for a due (or overdue) object, its source set to 日常巡查; the coverage refreshes after 保存."""
        from PySide6.QtWidgets import QDialog

        from ui.inspections.check_dialog import CheckDialog

        if row.state not in (DUE, OVERDUE, UPCOMING) or not self.ctx.can_write():
            return
        dialog = CheckDialog(self.ctx, self)
        dialog.search.setText(row.credit_code)
        dialog.search.flush()            # finds the one object with that code and chooses it
        dialog.source.setCurrentText("日常巡查")
        group = self.groups.selected_row()
        if group is not None:
            dialog.choose_duty(group.key[0])     # the check counts for the duty whose list it was picked from
        self.check_dialog = dialog       # for the stories, which fill it in
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def show_duty(self, duty_id: int) -> None:
        """The current period of ``duty_id``, its first 辖区 with objects still due selected (from the to-do list)."""
        today = date.today()
        self.jurisdiction.set_value(None)
        for combo, value in ((self.year, today.year), (self.month, today.month)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.refresh()
        rows = [r for r in self.groups.rows() if r.key[0] == duty_id]
        target = next((r for r in rows if r.due), rows[0] if rows else None)
        if target is not None:
            self.groups.select_id(target.key)
