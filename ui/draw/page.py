"""The 随机抽取 section: tabs 新建抽取 (prepare → witnesses and entropy → result, with the projector) and 抽取记录."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from models import draw_service as ds
from ui.context import AppContext
from ui.draw.common import error_text
from ui.draw.entropy_view import DrawTask, EntropyView
from ui.draw.history_view import HistoryView
from ui.draw.prepare_view import PrepareView
from ui.draw.projector import ProjectorView
from ui.draw.result_view import ResultView, save_record_docx
from ui.widgets import show_error

PREPARE, ENTROPY, RESULT = range(3)


def projector_screen(current: QScreen | None, screens: list[QScreen]) -> QScreen | None:
    """The screen for the projector view: another screen than the clerk's when the desktop is extended."""
    others = [s for s in screens if s is not current]
    if current is not None and others:
        return others[0]
    return current or (screens[0] if screens else None)


class DrawPage(QWidget):
    """Runs the witnessed draw step by step and lists every draw made."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # How the projector reveals: tests use instant mode; a clerk may turn on auto in the view.
        self.projector_options: dict = {"instant": False, "auto": False, "spin_ms": 1500}
        self.full_screen = True
        self.projector: ProjectorView | None = None

        self.prepare_view = PrepareView(ctx)
        self.entropy_view = EntropyView(ctx)
        self.result_view = ResultView(ctx)
        self.steps = QStackedWidget()
        for w in (self.prepare_view, self.entropy_view, self.result_view):
            self.steps.addWidget(w)
        self.history_view = HistoryView(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.steps, "新建抽取")
        self.tabs.addTab(self.history_view, "抽取记录")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.prepare_view.proceed.connect(self._to_entropy)
        self.entropy_view.back.connect(lambda: self.steps.setCurrentIndex(PREPARE))
        self.entropy_view.drawn.connect(self._drawn)
        self.result_view.new_draw_requested.connect(lambda: self.steps.setCurrentIndex(PREPARE))
        self.result_view.panel.project_requested.connect(
            lambda: self.open_projector(self.result_view.panel.record_id))
        self.history_view.redraw_requested.connect(self.start_redraw)
        self.history_view.substitute_requested.connect(self.start_substitute)
        self.history_view.project_requested.connect(self.open_projector)

    # ---- steps
    def _to_entropy(self, prep: ds.DrawPreparation) -> None:
        title = f"{prep.year} 年度　{prep.item_number}. {prep.item_name}（第 {prep.round} 轮）：录入见证人与现场随机数"
        self.entropy_view.begin(DrawTask("draw", title, prep=prep))
        self.steps.setCurrentIndex(ENTROPY)

    def start_redraw(self, record_id: int, reason: str, partner_gap_reason: str = "") -> None:
        self.entropy_view.begin(DrawTask("redraw", f"重新抽取记录 #{record_id}：录入见证人与现场随机数",
                                         record_id=record_id, reason=reason, partner_gap_reason=partner_gap_reason))
        self.tabs.setCurrentIndex(0)
        self.steps.setCurrentIndex(ENTROPY)

    def start_substitute(self, record_id: int, object_id: int, label: str, reason: str,
                         partner_gap_reason: str = "") -> None:
        self.entropy_view.begin(DrawTask("substitute", f"替换记录 #{record_id} 中的 {label}：录入见证人与现场随机数",
                                         record_id=record_id, object_id=object_id, reason=reason,
                                         partner_gap_reason=partner_gap_reason))
        self.tabs.setCurrentIndex(0)
        self.steps.setCurrentIndex(ENTROPY)

    def _drawn(self, saved) -> None:
        with self.ctx.db.session() as s:
            status = ds.record_status(s, saved.id)
        self.result_view.show_saved(saved, status)
        self.steps.setCurrentIndex(RESULT)
        self._show_projector(saved.id, saved.record, status)

    # ---- projector
    def open_projector(self, record_id: int | None) -> ProjectorView | None:
        """Show a saved record on the projector again (presentation only)."""
        if record_id is None:
            return None
        try:
            with self.ctx.db.session() as s:
                record = ds.load_record(s, record_id)
                status = ds.record_status(s, record_id)
        except ds.DrawError as e:
            show_error(self, "无法投影", error_text(e))
            return None
        return self._show_projector(record_id, record, status)

    def _show_projector(self, record_id: int, record: dict, status: str) -> ProjectorView:
        if self.projector is not None:
            self.projector.close()
            self.projector.deleteLater()
        view = ProjectorView(record, record_id, status, parent=self, **self.projector_options)
        view.save_docx_requested.connect(lambda: save_record_docx(self.ctx, view, record_id, record, status))
        self.projector = view
        if self.full_screen:
            # Cover the projector's screen even where the window manager ignores the full-screen request
            # (X11 kiosks without one); with an extended desktop that is the screen the clerk is not using.
            screen = projector_screen(self.screen(), QGuiApplication.screens())
            if screen is not None:
                view.setGeometry(screen.geometry())
            view.showFullScreen()
        else:
            view.show()
        view.activateWindow()
        view.setFocus()
        return view
