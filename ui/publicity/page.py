"""The 公示与统计 page: pick a year, see what will be published and the year's figures, export or make the report."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from models.plan_service import plan_years
from models.statistics import YearStats, year_stats
from models.workdays import format_cn_date
from models.year_data import load_year
from reports.publicity import results_table, tasks_table
from reports.year_report import export_report
from ui.context import ALL_DATA
from ui.publicity.cells import header_rows
from ui.publicity.charts_view import ChartsView
from ui.publicity.export import ask_save, run_export
from ui.publicity.stats_view import StatsView
from ui.publicity.tables_view import PublicityTableView
from ui.widgets import YearCombo, error_message, on_notify, show_error



class PublicityPage(QWidget):
    """Tabs 结果公示 / 任务公示 / 统计 / 图表 for the chosen year; rectification is judged as of today."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.stats: YearStats | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度"))
        self.year_combo = YearCombo()
        self.year_combo.setMinimumWidth(90)
        self.year_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.year_combo)
        self.as_of_label = QLabel()
        bar.addWidget(self.as_of_label, 1)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.report_button = QPushButton("生成年度报告…")
        self.report_button.setToolTip("一键生成给领导的年度统计报告（Word），含统计表和图表")
        self.report_button.clicked.connect(self.make_report)
        bar.addWidget(self.report_button)
        layout.addLayout(bar)
        self.tabs = QTabWidget()
        self.results = PublicityTableView(ctx, "results", self)
        self.tasks = PublicityTableView(ctx, "tasks", self)
        self.stats_view = StatsView(self)
        self.charts = ChartsView(self)
        self.tabs.addTab(self.results, "结果公示")
        self.tabs.addTab(self.tasks, "任务公示")
        self.tabs.addTab(self.stats_view, "统计")
        self.tabs.addTab(self.charts, "图表")
        layout.addWidget(self.tabs, 1)
        on_notify(ctx, self, ALL_DATA, self.reload)   # anything that changes a figure on this page
        self._load_years()
        self.refresh()

    def _load_years(self) -> None:
        with self.ctx.db.read_session() as s:
            self.year_combo.set_years(plan_years(s))

    def year(self) -> int | None:
        return self.year_combo.currentData()

    def reload(self) -> None:
        """After a change elsewhere: a new plan year may exist, and every figure may have moved."""
        self._load_years()
        self.refresh()

    def refresh(self) -> None:
        year = self.year()
        today = date.today()
        self.as_of_label.setText(f"　整改情况按{format_cn_date(today)}判断")
        self.report_button.setEnabled(year is not None)
        if year is None:
            self._show(None, None, None, today, [])
            return
        try:
            with self.ctx.db.read_session() as s:
                data = load_year(s, year)
                stats = year_stats(s, year, as_of=today, data=data)
            results = results_table(self.ctx.db, year, as_of=today, data=data)
            tasks = tasks_table(self.ctx.db, year, as_of=today, data=data)
        except ValueError as exc:  # PlanError and friends carry a Chinese message
            show_error(self, "公示与统计", error_message(exc))
            self._show(None, None, None, today, [])
            return
        # The tasks a clerk may publish on their own: the records that still count.
        records = [(rid, f"抽取记录 {r.cell('抽取记录')} {r.cell('抽查事项')}")
                   for rid, r in zip(tasks.keys, header_rows(tasks.headers, tasks.rows)) if r.cell("状态") == "有效"]
        self._show(results, tasks, stats, today, records)

    def _show(self, results, tasks, stats, today: date, records) -> None:
        year = self.year()
        self.stats = stats
        self.results.set_table(year, results, today, records)
        self.tasks.set_table(year, tasks, today)
        self.stats_view.set_stats(stats)
        self.charts.set_stats(stats)

    def make_report(self) -> None:
        year = self.year()
        if year is None:
            return
        path = ask_save(self, "生成年度统计报告", f"{year}年度双随机一公开抽查工作统计报告", ".docx")
        if path is None:
            return
        db, as_of = self.ctx.db, date.today()
        run_export(self.ctx, self, "正在生成年度统计报告……",
                   lambda progress, cancelled: export_report(db, year, path, as_of=as_of, progress=progress,
                                                             cancelled=cancelled),
                   "生成年度统计报告")
