"""The 图表 tab: the report's four matplotlib charts, each on a Qt canvas, with a button to save them as PNG."""
from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtWidgets import (
    QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from models.statistics import YearStats
from reports.charts import CHARTS, figure_png
from ui.widgets import error_message, show_error, show_info


class ChartsView(QWidget):
    """Charts are drawn only when the tab is shown (building four figures takes a moment)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stats: YearStats | None = None
        self.canvases: dict[str, FigureCanvasQTAgg] = {}
        self._dirty = True
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.caption = QLabel()
        bar.addWidget(self.caption, 1)
        self.save_button = QPushButton("保存图片…")
        self.save_button.clicked.connect(self.save_pngs)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.holder = QWidget()
        self.grid = QGridLayout(self.holder)
        scroll.setWidget(self.holder)
        layout.addWidget(scroll, 1)

    def set_stats(self, stats: YearStats | None) -> None:
        self.stats = stats
        self._dirty = True
        if self.isVisible():
            self.draw()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._dirty:
            self.draw()

    def draw(self) -> None:
        for canvas in self.canvases.values():
            self.grid.removeWidget(canvas)
            canvas.figure.clear()
            canvas.deleteLater()
        self.canvases = {}
        self._dirty = False
        self.save_button.setEnabled(self.stats is not None)
        if self.stats is None:
            self.caption.setText("所选年度没有抽查计划。")
            return
        self.caption.setText(f"{self.stats.year}年度图表（与年度报告中的图表相同）")
        for n, (key, (_title, build)) in enumerate(CHARTS.items()):
            fig = build(self.stats)
            canvas = FigureCanvasQTAgg(fig)
            w, h = fig.get_size_inches() * fig.dpi
            # One chart under the other: side by side, the right-hand chart was cut off on a
            # 1366- or 1440-pixel screen, and a short chart was stretched to its tall neighbour.
            canvas.setMinimumSize(int(w * 0.6), int(h * 0.8))
            canvas.setMaximumHeight(int(h))
            self.grid.addWidget(canvas, n, 0)
            self.canvases[key] = canvas

    def save_pngs(self) -> None:
        if self.stats is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "选择保存图表的文件夹", str(Path.home()))
        if not folder:
            return
        if self._dirty or not self.canvases:
            self.draw()
        try:
            written = []
            for key, canvas in self.canvases.items():
                path = Path(folder) / f"{self.stats.year}年度_{CHARTS[key][0]}.png"
                path.write_bytes(figure_png(canvas.figure))
                written.append(path.name)
        except OSError as exc:
            show_error(self, "保存图片", error_message(exc))
            return
        show_info(self, "保存图片", f"已保存 {len(written)} 张图表到 {folder}")
