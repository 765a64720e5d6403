"""The 检查与整改 page: tabs 待办 / 检查记录 / 通知书 / 巡查覆盖 / 巡查任务 / 节假日, refreshed when inspections,
notices, draws or the routine duties change."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.context import Topic
from ui.inspections.coverage_view import CoverageView
from ui.inspections.duties_view import DutiesView
from ui.inspections.holidays_view import HolidaysView
from ui.inspections.joint_view import JointView
from ui.inspections.notices_view import NoticesView
from ui.inspections.records_view import RecordsView
from ui.inspections.todo_view import TodoView
from ui.widgets import on_notify


class InspectionsPage(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.todo = TodoView(ctx, self)
        self.records = RecordsView(ctx, self)
        self.notices = NoticesView(ctx, self)
        self.holidays = HolidaysView(ctx, self)
        self.coverage = CoverageView(ctx, self)
        self.duties = DutiesView(ctx, self)
        self.joint = JointView(ctx, self)
        self.tabs.addTab(self.todo, "待办")
        self.tabs.addTab(self.records, "检查记录")
        self.tabs.addTab(self.notices, "通知书")
        self.tabs.addTab(self.coverage, "巡查覆盖")
        self.tabs.addTab(self.duties, "巡查任务")
        self.tabs.addTab(self.joint, "综合查一次")
        self.tabs.addTab(self.holidays, "节假日")
        layout.addWidget(self.tabs)
        self.todo.open_notice.connect(self.show_notice)
        self.todo.open_inspection.connect(self.show_inspection)
        self.todo.open_pick.connect(self.show_pick)
        self.todo.open_duty.connect(self.show_duty)
        on_notify(ctx, self, (Topic.INSPECTIONS, Topic.NOTICES, Topic.DRAWS, Topic.PLANS, Topic.CALENDAR,
                              Topic.SETTINGS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.todo.refresh()
        self.records.refresh()
        self.notices.refresh()
        self.holidays.refresh()
        self.coverage.refresh()
        self.duties.refresh()
        self.joint.refresh()

    def show_notice(self, notice_id: int) -> None:
        self.tabs.setCurrentWidget(self.notices)
        self.notices.select_notice(notice_id)

    def show_inspection(self, inspection_id: int) -> None:
        self.tabs.setCurrentWidget(self.records)
        self.records.select_inspection(inspection_id)

    def show_pick(self, pick_id: int) -> None:
        self.tabs.setCurrentWidget(self.records)
        self.records.select_pick(pick_id)

    def show_duty(self, duty_id: int) -> None:
        self.tabs.setCurrentWidget(self.coverage)
        self.coverage.show_duty(duty_id)
