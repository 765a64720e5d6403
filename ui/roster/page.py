"""The 名录库 section: one tab per roster and one for the 回避 pairs."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ui.context import AppContext
from ui.roster.events_view import EventsView
from ui.roster.inspectors_view import InspectorsView
from ui.roster.objects_view import ObjectsView
from ui.roster.recusal_views import RecusalsView


class RosterPage(QTabWidget):
    """检查对象 / 执法检查人员 / 回避关系 / 活动登记."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setDocumentMode(True)
        self.objects = ObjectsView(ctx, self)
        self.inspectors = InspectorsView(ctx, self)
        self.recusals = RecusalsView(ctx, self)
        self.addTab(self.objects, "检查对象")
        self.addTab(self.inspectors, "执法检查人员")
        self.addTab(self.recusals, "回避关系")
        self.events = EventsView(ctx, self)   # the events per-event items are drawn over (issue 19 item 4)
        self.addTab(self.events, "活动登记")
