"""The 抽查计划 section: choose the year's plan, create, copy, import or export it, and work on its items."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.plan_service import find_plan, list_plans
from ui.context import AppContext, Topic
from ui.plans.items_view import ItemsView
from ui.widgets import YearCombo, on_notify, show_error


class PlanPage(QWidget):
    """年度抽查计划: a year selector with the plan actions above the items table."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog = None
        self.year_combo = YearCombo()
        self.year_combo.setObjectName("plan_year")
        self.year_combo.setMinimumWidth(260)
        self.new_button = QPushButton("新建计划…")
        self.copy_button = QPushButton("复制上年计划…")
        self.import_button = QPushButton("导入计划…")
        self.export_button = QPushButton("导出公示…")
        self.departments_button = QPushButton("配合部门…")
        self.departments_button.setToolTip("部门及其在计划中的写法；把计划中找不到的配合部门名称关联到名录中的单位")
        self.title = QLabel()
        self.title.setObjectName("plan_title")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.empty_note = QLabel(
            "还没有抽查计划。可以“新建计划”后逐项录入，"
            "或“导入计划”从本局的计划表（.xlsx 或制表符分隔文本）导入，"
            "或“复制上年计划”后修改。")
        self.empty_note.setWordWrap(True)
        self.items = ItemsView(ctx, self)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("年度计划："))
        bar.addWidget(self.year_combo)
        for b in (self.new_button, self.copy_button, self.import_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.departments_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.items, 1)

        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.new_button.clicked.connect(self.new_plan)
        self.copy_button.clicked.connect(self.copy_plan)
        self.import_button.clicked.connect(self.import_plan)
        self.export_button.clicked.connect(self.export_plan)
        self.departments_button.clicked.connect(self.open_departments)
        on_notify(ctx, self, Topic.PLANS, self.refresh)
        on_notify(ctx, self, Topic.ROSTER, self.items.refresh)
        self.refresh()

    # --- year selector -----------------------------------------------------------------

    def current_year(self) -> int | None:
        return self.year_combo.currentData()

    def refresh(self, select_year: int | None = None) -> None:
        """Reload the plans; keep the chosen year, else this year's plan, else the latest."""
        keep = select_year or self.current_year()
        with self.ctx.db.session() as s:
            labels = {p.year: f"{p.year}年度　{p.bureau}（{len(p.items)}项）" for p in list_plans(s)}
        self.year_combo.set_years(list(labels), prefer=keep, labels=labels)
        self._year_chosen()

    def select_year(self, year: int) -> None:
        self.refresh(select_year=year)

    def _year_chosen(self, *_args) -> None:
        year = self.current_year()
        has_plan = year is not None
        self.empty_note.setVisible(not has_plan)
        self.export_button.setEnabled(has_plan)
        self.copy_button.setEnabled(has_plan and self.ctx.can_write())
        self.new_button.setEnabled(self.ctx.can_write())
        self.import_button.setEnabled(self.ctx.can_write())
        if has_plan:
            with self.ctx.db.session() as s:
                plan = find_plan(s, year)
                self.title.setText(plan.title if plan else "")
        else:
            self.title.setText("")
        self.items.show_year(year)

    # --- actions -----------------------------------------------------------------------

    def _bureau(self) -> str:
        year = self.current_year()
        if year is None:
            return ""
        with self.ctx.db.session() as s:
            plan = find_plan(s, year)
            return plan.bureau if plan else ""

    def new_plan(self):
        from ui.plans.plan_dialogs import NewPlanDialog

        self.dialog = NewPlanDialog(self.ctx, self, bureau=self._bureau())
        self.dialog.accepted.connect(lambda: self._after_change(self.dialog.year))
        self.dialog.open()
        return self.dialog

    def copy_plan(self):
        from ui.plans.plan_dialogs import CopyPlanDialog

        self.dialog = CopyPlanDialog(self.ctx, self, from_year=self.current_year())
        self.dialog.accepted.connect(lambda: self._after_change(self.dialog.year))
        self.dialog.open()
        return self.dialog

    def import_plan(self):
        from ui.plans.import_dialog import ImportPlanDialog

        self.dialog = ImportPlanDialog(self.ctx, self, year=self.current_year() or date.today().year)
        self.dialog.imported.connect(self._after_change)
        self.dialog.open()
        return self.dialog

    def open_departments(self):
        from ui.plans.departments_dialog import DepartmentsDialog

        self.dialog = DepartmentsDialog(self.ctx, self, year=self.current_year())
        self.dialog.open()
        return self.dialog

    def export_plan(self) -> None:
        from ui.plans.plan_dialogs import ask_export_path, export_plan_in_background

        year = self.current_year()
        if year is None:
            show_error(self, "导出公示", "请先选择年度计划。")
            return
        path = ask_export_path(self, year, self._bureau())
        if path is not None:
            export_plan_in_background(self.ctx, self, year, path)

    def _after_change(self, year: int | None) -> None:
        self.refresh(select_year=year)
        self.ctx.notify(Topic.PLANS)
