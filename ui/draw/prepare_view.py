"""Step 1 of a draw (准备): choose the item and round, see the eligible list, its counts and fingerprint, before
anything random."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QScrollArea, QSpinBox, QSplitter, QVBoxLayout, QWidget,
)

from models import draw_service as ds
from models import plan_service, roster_service
from models.draw_levels import county_counts
from models.draw_prepare import CANDIDATE_HEADERS, CandidateRow
from models.hierarchy import Hierarchy
from models.full_coverage import coverage_note, size_text
from reports.draw_docs import write_candidates_docx, write_candidates_xlsx
from ui.context import AppContext, Topic
from ui.draw.common import error_text, group_hex, mono_font
from ui.draw.event_choice import EventChoice
from ui.table_model import Column
from ui.widgets import FilterCombo, RowTableView, YearCombo, on_notify, show_error, show_info

RED = "#b00020"
AMBER = "#8a5a00"
CANDIDATE_COLUMNS = [Column(title, name) for title, name in zip(CANDIDATE_HEADERS, CandidateRow._fields)]
LIST_FILTER = "Excel 工作簿 (*.xlsx);;Word 文档 (*.docx)"


class _ChoicesLayout(QVBoxLayout):
    """The choices' layout in their scroll area: filled to the area's height (the unit lists give way, as they did
    before the area), not to the height its wrapped labels would like, which would make the area scroll."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return False


def _checkable_list() -> QListWidget:
    w = QListWidget()
    w.setMaximumHeight(110)
    return w


def _ticked_label() -> QLabel:
    """Under a unit list: the ticked units by name, visible whatever the list is scrolled to."""
    label = QLabel()
    label.setWordWrap(True)
    return label


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


class PrepareView(QWidget):
    """Chooses year → item → round (+ 辖区, units, inspectors per object, size) and shows the prepared list."""

    prepared = Signal(object)   # a fresh DrawPreparation is on screen
    proceed = Signal(object)    # 下一步 with the DrawPreparation

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.prep: ds.DrawPreparation | None = None
        self._units_override = False

        self.year_combo = YearCombo(label="{} 年度".format)
        self.item_combo = QComboBox()
        self.item_combo.setMinimumWidth(320)
        self.round_spin = QSpinBox()
        self.round_spin.setRange(1, 24)
        self.jurisdiction_combo = FilterCombo(all_text="不限辖区")
        # 县抽县查: the county drawn for (its 辖区' objects, its units' officers); the hierarchy's 县/区局.
        self.county_combo = FilterCombo(all_text="全市（不分县区）")
        self.county_combo.setToolTip("县抽县查的事项按县（区）局分别抽取：选择为哪个县（区）局抽取。"
                                     "县（区）局在“设置 → 实施层级”中设置")
        self.per_object_spin = QSpinBox()
        self.per_object_spin.setRange(2, 10)
        self.per_object_spin.setValue(2)
        self.size_check = QCheckBox("指定抽取数量")
        self.size_spin = QSpinBox()
        self.size_spin.setRange(1, 1_000_000)
        self.size_spin.setEnabled(False)
        self.responsible_list = _checkable_list()
        self.partner_list = _checkable_list()
        self.responsible_ticked = _ticked_label()
        self.partner_ticked = _ticked_label()
        # A 部门联合 item short of partner officers is drawn only with the clerk's reason (sealed, published).
        self.partner_gap_edit = QLineEdit()
        self.partner_gap_edit.setPlaceholderText("缺少配合部门人员时填写原因（随公告封存，在抽查任务公示中列明）")

        form = QFormLayout()
        form.addRow("年度", self.year_combo)
        form.addRow("抽查事项", self.item_combo)
        form.addRow("轮次", self.round_spin)
        form.addRow("县（区）局", self.county_combo)
        form.addRow("辖区", self.jurisdiction_combo)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_check)
        size_row.addWidget(self.size_spin)
        size_row.addStretch(1)
        form.addRow("抽取数量", size_row)
        self.event_choice = EventChoice(self)   # a per-event item: all the period's events, or a share
        self.event_choice.changed.connect(self.schedule)
        form.addRow("", self.event_choice)
        form.addRow("每个对象检查人员", self.per_object_spin)
        form.addRow("责任单位", self.responsible_list)
        form.addRow("", self.responsible_ticked)
        form.addRow("配合部门", self.partner_list)
        form.addRow("", self.partner_ticked)
        form.addRow("缺员原因", self.partner_gap_edit)
        choose = QGroupBox("选择抽查事项")
        choose_outer = _ChoicesLayout(choose)
        choose_outer.addLayout(form)
        choose_outer.addStretch(1)

        self.status_label = QLabel()
        self.item_label = QLabel()
        self.item_label.setWordWrap(True)
        big = QFont(self.item_label.font())
        big.setPointSizeF(big.pointSizeF() + 3)
        big.setBold(True)
        self.item_label.setFont(big)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.counts_label.setFont(big)
        self.excluded_label = QLabel()
        self.excluded_label.setWordWrap(True)
        self.inspectors_label = QLabel()
        self.inspectors_label.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet(f"color: {AMBER};")
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet(f"color: {RED}; font-weight: bold;")
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setFont(mono_font(self.font().pointSizeF() + 3))
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setWordWrap(True)  # between the 8-digit blocks, on a narrow screen
        self.setup_label = QLabel()
        self.setup_label.setFont(mono_font())
        self.setup_label.setWordWrap(True)
        self.setup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary = QVBoxLayout()
        for w in (self.status_label, self.item_label, self.rule_label, self.counts_label, self.excluded_label,
                  self.inspectors_label, self.notes_label, self.problems_label):
            summary.addWidget(w)
        summary.addWidget(QLabel("名单指纹（SHA-256，待抽名单的唯一标识，抽取前公示）："))
        summary.addWidget(self.fingerprint_label)
        summary.addWidget(self.setup_label)
        summary.addStretch(1)
        summary_box = QGroupBox("待抽名单")
        summary_box.setLayout(summary)

        # The choices scroll rather than push the window past a 1366×728 screen: a per-event item's two extra rows
        # scroll, an ordinary item's form is shown whole as before (see _fit_choices).
        self.choose_area = QScrollArea()
        self.choose_area.setWidget(choose)
        self.choose_area.setWidgetResizable(True)
        self.choose_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.choose_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top = QSplitter()
        top.addWidget(self.choose_area)
        top.addWidget(summary_box)
        top.setStretchFactor(1, 1)
        top.setChildrenCollapsible(False)
        self.table = RowTableView(CANDIDATE_COLUMNS, widths=(60, 70, 300, 190, 80))
        self.table.setObjectName("candidate_table")
        self.export_button = QPushButton("打印/导出候选名单…")
        self.export_button.setToolTip("在任何随机数产生之前，导出待抽名单（含名单指纹）供打印、公示")
        self.next_button = QPushButton("下一步：录入见证人与随机数")
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.table)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.run_prepare)
        self.year_combo.currentIndexChanged.connect(self._year_changed)
        self.item_combo.currentIndexChanged.connect(self._item_changed)
        for spin in (self.round_spin, self.per_object_spin, self.size_spin):
            spin.valueChanged.connect(lambda _v: self.schedule())
        self.jurisdiction_combo.value_changed.connect(lambda _v: self.schedule())
        self.county_combo.value_changed.connect(self._county_changed)
        self.size_check.toggled.connect(self.size_spin.setEnabled)
        self.size_check.toggled.connect(lambda _c: self.schedule())
        self.partner_gap_edit.editingFinished.connect(self.schedule)
        for w in (self.responsible_list, self.partner_list):
            w.itemChanged.connect(self._units_changed)
        self.export_button.clicked.connect(self.export_candidates)
        self.next_button.clicked.connect(self._proceed)
        self._stale = False
        for topic in (Topic.DRAWS, Topic.ROSTER, Topic.PLANS, Topic.SETTINGS):
            on_notify(ctx, self, topic, self._changed)
        self._fit_choices()
        self.reload()

    def _changed(self) -> None:
        # A hidden list (the projector is spinning, or another section is open) is rebuilt when shown
        # again: preparing 100,000 objects in the background would make the projector's names stutter.
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()

    def _fit_choices(self) -> None:
        """The choices' minimum: the whole form less the event rows (those scroll when the screen is short)."""
        form = self.choose_area.widget()
        hint = form.minimumSizeHint()
        extra = self.event_choice.sizeHint().height() if self.event_choice.isVisibleTo(self) else 0
        bar = self.choose_area.verticalScrollBar().sizeHint().width()
        self.choose_area.setMinimumSize(hint.width() + bar, hint.height() - extra)

    # ---- choices
    def reload(self) -> None:
        """Reload plans and 辖区 (after plans, rosters or draws changed) and prepare again."""
        with self.ctx.db.session() as s:
            years = plan_service.plan_years(s)
            places = roster_service.jurisdictions(s)
            counties = Hierarchy.load(s).counties()
        self.year_combo.set_years(years)
        self.jurisdiction_combo.set_values(places)
        self.county_combo.set_values(counties)
        self.county_combo.setEnabled(bool(counties))
        self._load_items()

    def _load_items(self) -> None:
        year = self.year_combo.currentData()
        items = []
        if year is not None:
            with self.ctx.db.session() as s:
                plan = plan_service.find_plan(s, year)
                items = [(it.number, it.item) for it in plan.items] if plan else []
        current = self.item_combo.currentData()
        self.item_combo.blockSignals(True)
        self.item_combo.clear()
        for number, name in items:
            self.item_combo.addItem(f"{number}. {name}", number)
        index = self.item_combo.findData(current) if current is not None else 0
        self.item_combo.setCurrentIndex(max(index, 0))
        self.item_combo.blockSignals(False)
        self.schedule()

    def select(self, year: int, item_number: str, round_: int = 1) -> None:
        """Choose an item programmatically (used when coming from another screen, and in tests)."""
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(year), 0))
        self.item_combo.setCurrentIndex(max(self.item_combo.findData(str(item_number)), 0))
        self.round_spin.setValue(round_)
        self.schedule()

    def _year_changed(self, _i: int) -> None:
        self._units_override = False
        self._load_items()

    def _item_changed(self, _i: int) -> None:
        self._units_override = False
        self.partner_gap_edit.clear()  # a reason belongs to the item it was written for
        self.schedule()

    def _county_changed(self, county: str | None) -> None:
        # A county draw covers the county's 辖区 itself: the 辖区 narrowing does not apply to it.
        self.jurisdiction_combo.setEnabled(not county)
        self._units_override = False
        self.schedule()

    def _units_changed(self, _item: QListWidgetItem) -> None:
        self._units_override = True
        self.schedule()

    # ---- preparing
    def schedule(self) -> None:
        self.next_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.status_label.setText("正在准备待抽名单……")
        self._timer.start()

    def run_prepare(self) -> None:
        year, number = self.year_combo.currentData(), self.item_combo.currentData()
        if year is None or number is None:
            self._show(None, [], error="没有可抽取的抽查事项：请先在“抽查计划”中录入或导入年度计划。")
            return
        self.event_choice.set_year(year)  # the 活动期间 defaults to the plan year
        kwargs = dict(year=year, item_number=number, round=self.round_spin.value(),
                      jurisdiction=self.county_combo.value() or self.jurisdiction_combo.value(),
                      size_override=self.size_spin.value() if self.size_check.isChecked() else None,
                      per_object=self.per_object_spin.value(),
                      partner_gap_reason=self.partner_gap_edit.text(), event_share=self.event_choice.value(),
                      event_period=self.event_choice.period())
        if self._units_override:
            kwargs.update(responsible_units=_checked(self.responsible_list), partner_units=_checked(self.partner_list))
        db = self.ctx.db

        def job(progress=None, cancelled=None):
            with db.session() as s:
                prep = ds.prepare_draw(s, **kwargs)
                # The rows are built here too: for 100,000 objects that is a noticeable pause on the UI thread.
                return prep, roster_service.inspector_units(s), ds.candidate_list_rows(prep)

        # The runner drops a result whose screen was closed or that a newer preparation superseded;
        # a choice made since (its preparation still waiting on the timer) makes it stale as well.
        def done(result) -> None:
            if not self._timer.isActive():
                self._show(*result)

        def failed(exc: BaseException) -> None:
            if not self._timer.isActive():
                self._show(None, [], error=error_text(exc))

        self.ctx.runner.run(self, job, label="正在准备待抽名单……", on_success=done, on_failure=failed,
                            show_dialog=False, key=("draw-prepare", id(self)))

    def _fill_units(self, widget: QListWidget, units: list[str], checked: list[str], ticked: QLabel) -> None:
        if self._units_override:
            # The clerk is ticking: keep the rows where they are under the mouse.
            shown = [widget.item(i).text() for i in range(widget.count())]
            units = [u for u in shown if u in units] + [u for u in units if u not in shown]
        else:
            # The ticked units on top, so the list opens showing what will be drawn from.
            units = [u for u in units if u in checked] + [u for u in units if u not in checked]
        ticked.setText("已选：" + ("、".join(u for u in units if u in checked) or "无"))
        widget.blockSignals(True)
        widget.clear()
        for unit in units:
            item = QListWidgetItem(unit)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit in checked else Qt.CheckState.Unchecked)
            widget.addItem(item)
        widget.blockSignals(False)

    def _show(self, prep: ds.DrawPreparation | None, units: list[str], rows: list[CandidateRow] | None = None,
              error: str = "") -> None:
        self.prep = prep
        self.event_choice.show_for(prep)
        self.status_label.setText("")
        if prep is None:
            for w in (self.item_label, self.rule_label, self.counts_label, self.excluded_label,
                      self.inspectors_label, self.notes_label, self.fingerprint_label, self.setup_label):
                w.setText("")
            self.problems_label.setText(error)
            self.table.set_rows([])
            self.next_button.setEnabled(False)
            self.export_button.setEnabled(False)
            self._fit_choices()
            self.prepared.emit(None)
            return
        self._fill_units(self.responsible_list, units, prep.responsible_units, self.responsible_ticked)
        self._fill_units(self.partner_list, [u for u in units if u not in prep.responsible_units], prep.partner_units,
                         self.partner_ticked)
        where = f"，{prep.jurisdiction}" if prep.jurisdiction else ""
        self.item_label.setText(f"{prep.year} 年度　{prep.item_number}. {prep.item_name}（第 {prep.round} 轮{where}）")
        level = f"　实施层级：{prep.level}" if prep.level else ""
        if prep.level_rule:
            level += f"（本次按{prep.level_rule}抽取）"
        counties = county_counts(prep)
        if counties:
            level += "\n各县（区）局可抽：" + "；".join(f"{c} {n} 户" for c, n in counties.items())
        self.rule_label.setText(f"抽查比例和频次：{prep.rule_text or '（空）'}　→　{prep.rule_desc}{level}")
        if prep.stratify:
            per = "；".join(f"{k}：可抽 {len(prep.strata.get(k, []))}，抽取 {v}" for k, v in prep.sizes.items())
            self.counts_label.setText(f"可抽 {prep.total_eligible} 户，抽取 {prep.total_size} 户\n{per}")
        else:
            self.counts_label.setText(f"可抽 {prep.total_eligible} 户，{size_text(prep)}")
        excluded = "，".join(f"{k} {v} 户" for k, v in prep.excluded.items() if v)
        self.excluded_label.setText(f"未列入：{excluded}" if excluded else "未列入：无")
        units_text = "、".join(prep.responsible_units) or "（无）"
        partners = f"；配合部门：{'、'.join(prep.partner_units)}" if prep.partner_units else ""
        self.inspectors_label.setText(f"检查人员：在岗 {len(prep.inspectors)} 人（责任单位：{units_text}{partners}），"
                                      f"每个对象 {prep.per_object} 人，回避关系 {len(prep.recusals)} 对")
        coverage = [coverage_note(prep)] if coverage_note(prep) else []
        self.notes_label.setText("\n".join(f"提示：{n}" for n in coverage + prep.notes))
        self.problems_label.setText("\n".join(f"不能抽取：{p}" for p in prep.problems))
        self.fingerprint_label.setText(group_hex(prep.fingerprint))
        self.setup_label.setText(f"设置指纹 {group_hex(prep.setup_fingerprint)}" if prep.setup_fingerprint else "")
        self.table.set_rows(rows if rows is not None else ds.candidate_list_rows(prep), keep_id=False)
        self.export_button.setEnabled(True)
        self.next_button.setEnabled(prep.ready and self.ctx.can_write())
        self.next_button.setToolTip("" if self.ctx.can_write() else "当前用户为只读角色，不能抽取")
        self._fit_choices()
        self.prepared.emit(prep)

    # ---- actions
    def export_candidates(self) -> None:
        prep = self.prep
        if prep is None:
            return
        suggested = f"待抽名单-{prep.year}-{prep.item_number}-第{prep.round}轮.xlsx"
        path, chosen = QFileDialog.getSaveFileName(self, "打印/导出候选名单", str(Path.home() / suggested), LIST_FILTER)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".docx"):
            target = target.with_name(target.name + (".docx" if "docx" in chosen else ".xlsx"))

        def job(progress=None, cancelled=None):
            if target.suffix.lower() == ".docx":
                return write_candidates_docx(prep, target)
            write_candidates_xlsx(prep, target)
            return target

        self.ctx.runner.run(self, job, label="正在导出待抽名单……",
                            on_success=lambda p: show_info(self, "已导出", f"待抽名单已保存到：\n{p}"),
                            on_failure=lambda e: show_error(self, "导出失败", error_text(e)))

    def _proceed(self) -> None:
        if self.prep is not None and self.prep.ready:
            self.proceed.emit(self.prep)
