"""The year's charts (matplotlib Figures and PNG bytes) with a Chinese font that renders on Windows and on Linux.

Figures are built with ``matplotlib.figure.Figure`` and never through pyplot, so no GUI
backend is chosen here: the report renders them with Agg, the screen wraps the same
Figure in a Qt canvas.
"""
from __future__ import annotations

import contextlib
import io
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Callable

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from models.statistics import YearStats

# Windows ships the first two; Linux distributions the others (Debian: fonts-noto-cjk,
# fonts-wqy-microhei). The first installed one draws the labels; the rest are fallbacks.
CJK_FONT_CANDIDATES = ("Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")
COLORS = {"planned": "#9DB4D3", "drawn": "#4A78B0", "inspected": "#2E8B57", "bar": "#4A78B0"}
RECT_COLORS = {"按期整改": "#2E8B57", "逾期整改": "#E0A030", "整改中": "#4A78B0", "逾期未整改": "#C0392B"}
EMPTY_TEXT = "暂无数据"


@lru_cache(maxsize=1)
def cjk_font_names() -> tuple[str, ...]:
    """The candidate CJK families matplotlib can find on this machine, in preference order.

    matplotlib lists fonts from a cache written the first time it ran. A CJK font installed
    after that (the usual order on Linux: the app first, then fonts-noto-cjk) is missing from
    it, so when no candidate is listed the system font folders are scanned once and the cache
    is rewritten; later starts read the fixed cache.
    """
    found = _installed_candidates()
    if not found and _add_system_fonts():
        found = _installed_candidates()
    return found


def _installed_candidates() -> tuple[str, ...]:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(name for name in CJK_FONT_CANDIDATES if name in installed)


def _add_system_fonts() -> bool:
    """Add the system's font files that matplotlib's cache does not know yet; True when any was added."""
    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue    # a font file matplotlib cannot read is not ours to fix
        added = True
    if added:
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        with contextlib.suppress(OSError):   # a read-only cache folder: scan again next start
            font_manager.json_dump(manager, cache)
    return added


def configure_fonts() -> tuple[str, ...]:
    """Put the installed CJK families first in the sans-serif list; returns them (empty: labels will show boxes)."""
    found = cjk_font_names()
    current = [f for f in matplotlib.rcParams["font.sans-serif"] if f not in found]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [*found, *current]
    # CJK fonts often lack U+2212 (the typographic minus) used on negative ticks.
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found


def _short(label: str, width: int = 14) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _wrap(label: str, width: int = 10) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _new_figure(width: float, height: float) -> Figure:
    configure_fonts()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _empty(ax, title: str) -> None:
    ax.set_title(title)
    ax.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", transform=ax.transAxes, fontsize=14, color="#888888")
    ax.set_axis_off()


def _label_bars(ax, bars) -> None:
    ax.bar_label(bars, padding=2, fontsize=8, fmt="%d")
    # Counts of objects and inspections: no 0.5 ticks.
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def plan_vs_actual_figure(stats: YearStats) -> Figure:
    """Horizontal grouped bars per plan item: 计划数, 已抽取, 已检查."""
    items = stats.items
    fig = _new_figure(8, max(3.0, 0.55 * len(items) + 1.5))
    ax = fig.add_subplot()
    title = f"{stats.year}年度各抽查事项计划、抽取与检查情况"
    if not items:
        _empty(ax, title)
        return fig
    labels = [_short(f.label, 18) for f in items][::-1]
    ys = range(len(items))
    h = 0.26
    series = [("计划数", [f.planned or 0 for f in items], COLORS["planned"]),
              ("已抽取", [f.drawn for f in items], COLORS["drawn"]),
              ("已检查", [f.inspected for f in items], COLORS["inspected"])]
    for n, (name, values, color) in enumerate(series):
        bars = ax.barh([y + (1 - n) * h for y in ys], values[::-1], height=h, label=name, color=color)
        _label_bars(ax, bars)
    ax.set_yticks(list(ys), labels)
    ax.set_xlabel("检查对象数（户）")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=9)
    ax.margins(x=0.12)
    return fig


def results_figure(stats: YearStats) -> Figure:
    """Horizontal bars of the inspections per national result category (categories with none left out)."""
    found = [(k, v) for k, v in stats.results.items() if v]
    fig = _new_figure(8, max(3.0, 0.5 * len(found) + 1.5))
    ax = fig.add_subplot()
    title = f"{stats.year}年度检查结果分类"
    if not found:
        _empty(ax, title)
        return fig
    labels = [_wrap(k, 12) for k, _ in found][::-1]
    bars = ax.barh(labels, [v for _, v in found][::-1], color=COLORS["bar"])
    _label_bars(ax, bars)
    ax.set_xlabel("检查对象数（户）")
    ax.set_title(title)
    ax.margins(x=0.12)
    return fig


def rectification_figure(stats: YearStats) -> Figure:
    """A pie of the valid notices by rectification outcome."""
    data = [(k, v) for k, v in stats.rectification.items() if v]
    fig = _new_figure(6, 4.2)
    ax = fig.add_subplot()
    title = f"{stats.year}年度隐患整改情况（整改通知书 {stats.total.notices} 份）"
    if not data:
        _empty(ax, title)
        return fig
    values = [v for _, v in data]
    ax.pie(values, labels=[f"{k}\n{v}份" for k, v in data], colors=[RECT_COLORS[k] for k, _ in data],
           autopct=lambda p: f"{p:.0f}%" if p >= 5 else "", startangle=90, counterclock=False,
           wedgeprops={"linewidth": 1, "edgecolor": "white"}, textprops={"fontsize": 10})
    ax.set_aspect("equal")
    ax.set_title(title)
    return fig


def taking_part(stats: YearStats) -> list:
    """The inspectors of the units that took part in the year (one of them was drawn or inspected).

    Whether the draw spread the work evenly is a question within those units: counting
    every officer of units that had nothing to inspect would show a crowd at zero.
    """
    units = {x.unit for x in stats.inspectors if x.drawn or x.inspections}
    return [x for x in stats.inspectors if x.unit in units]


def inspector_load_figure(stats: YearStats, max_bars: int = 30) -> Figure:
    """Inspections per inspector of the units taking part: one bar each when few, else a histogram."""
    loads = taking_part(stats)
    title = f"{stats.year}年度执法检查人员检查次数（参加抽查的单位）"
    if 0 < len(loads) <= max_bars:
        fig = _new_figure(8, max(3.0, 0.32 * len(loads) + 1.5))
        ax = fig.add_subplot()
        ordered = sorted(loads, key=lambda x: (x.inspections, x.drawn))
        ys = range(len(ordered))
        ax.barh([y + 0.2 for y in ys], [x.drawn for x in ordered], height=0.4, label="抽中次数",
                color=COLORS["planned"])
        bars = ax.barh([y - 0.2 for y in ys], [x.inspections for x in ordered], height=0.4, label="实际检查次数",
                       color=COLORS["inspected"])
        _label_bars(ax, bars)
        ax.set_yticks(list(ys), [f"{x.name}（{_short(x.unit, 8)}）" for x in ordered], fontsize=8)
        ax.set_xlabel("次数")
        ax.legend(loc="lower right", fontsize=9)
        ax.margins(x=0.1)
    else:
        fig = _new_figure(8, 4)
        ax = fig.add_subplot()
        counts = [x.inspections for x in loads]
        if not loads:
            _empty(ax, title)
            return fig
        top = max(counts)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.hist(counts, bins=range(top + 2), align="left", color=COLORS["bar"], rwidth=0.85)
        ax.set_xlabel("每人检查次数")
        ax.set_ylabel("人数")
    ax.set_title(title)
    return fig


# key → (title, builder); the order the screen and the report show them in.
CHARTS: dict[str, tuple[str, Callable[[YearStats], Figure]]] = {
    "plan": ("计划、抽取与检查", plan_vs_actual_figure),
    "results": ("检查结果分类", results_figure),
    "rectification": ("隐患整改情况", rectification_figure),
    "inspectors": ("检查人员工作量", inspector_load_figure),
}


def figure_png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes, drawn with Agg whatever canvas it is shown on."""
    buf = io.BytesIO()
    # savefig renders PNG with Agg even when the figure sits on a Qt canvas, and leaves that canvas attached.
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def all_figures(stats: YearStats) -> dict[str, Figure]:
    return {key: build(stats) for key, (_title, build) in CHARTS.items()}


def chart_pngs(stats: YearStats, dpi: int = 150) -> dict[str, bytes]:
    """Every chart as PNG bytes, keyed as in CHARTS."""
    return {key: figure_png(fig, dpi) for key, fig in all_figures(stats).items()}
