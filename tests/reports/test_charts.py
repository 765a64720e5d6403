"""Stories: the charts draw with Chinese labels (no empty boxes) and give non-empty PNGs for the screen and the
report."""
from __future__ import annotations

import warnings

import pytest
from matplotlib.figure import Figure

from models.statistics import year_stats
from reports.charts import CHARTS, EMPTY_TEXT, all_figures, chart_pngs, cjk_font_names, configure_fonts, figure_png
from tests.reports.publicity_world import publicity_world

# matplotlib only warns when a glyph is missing; here a missing glyph fails the test.
pytestmark = pytest.mark.filterwarnings("error:.*[Gg]lyph.*missing")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def stats(db, tmp_path):
    publicity_world(db, tmp_path)
    with db.read_session() as s:
        return year_stats(s, 2024)


def _texts(fig: Figure) -> str:
    fig.canvas.draw()  # category tick labels exist only once drawn
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_a_cjk_font_is_installed_and_configured():
    found = configure_fonts()
    assert found, "install a CJK font (Debian: fonts-noto-cjk) so chart labels render"
    assert set(found) <= {"Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC",
                          "WenQuanYi Micro Hei"}
    import matplotlib
    assert matplotlib.rcParams["font.sans-serif"][: len(found)] == list(found)
    assert found == cjk_font_names()


def test_a_cjk_font_installed_after_matplotlib_built_its_cache_is_found(monkeypatch, tmp_path):
    """The clerk ran the app once, then installed fonts-noto-cjk: the stale font cache must not hide it."""
    import matplotlib
    from matplotlib import font_manager

    from reports import charts

    cjk_files = {f.fname for f in font_manager.fontManager.ttflist if f.name in charts.CJK_FONT_CANDIDATES}
    stale = [f for f in font_manager.fontManager.ttflist if f.fname not in cjk_files]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setattr(matplotlib, "get_cachedir", lambda: str(tmp_path))
    charts.cjk_font_names.cache_clear()
    try:
        found = charts.cjk_font_names()
        assert found, "the scan of the system font folders found no CJK font"
        assert list(tmp_path.glob("fontlist-*.json")), "the rebuilt font list was not saved for the next start"
    finally:
        charts.cjk_font_names.cache_clear()


def test_every_chart_renders_chinese_to_a_non_empty_png(stats):
    pngs = chart_pngs(stats)
    assert list(pngs) == list(CHARTS)
    for key, png in pngs.items():
        assert png.startswith(PNG_MAGIC) and len(png) > 5000, key


def test_charts_carry_the_years_figures(stats):
    figs = all_figures(stats)
    plan = _texts(figs["plan"])
    assert "2024年度各抽查事项计划、抽取与检查情况" in plan
    assert "1 对旅馆的监督检查" in plan and "计划数" in plan and "已检查" in plan
    results = _texts(figs["results"])
    assert "未发现问题" in results and "发现问题待后续处理" in results
    rect = _texts(figs["rectification"])
    assert "整改通知书 2 份" in rect and "按期整改\n1份" in rect
    load = _texts(figs["inspectors"])
    assert "实际检查次数" in load and "治安大队" in load


def test_a_year_without_results_shows_no_data_instead_of_an_empty_axis(db):
    from tests.models.draw_fixtures import build_world

    build_world(db)
    with db.read_session() as s:
        empty = year_stats(s, 2024)
    figs = all_figures(empty)
    assert EMPTY_TEXT in _texts(figs["results"]) and EMPTY_TEXT in _texts(figs["rectification"])
    for fig in figs.values():
        assert figure_png(fig, dpi=60).startswith(PNG_MAGIC)


def test_the_missing_glyph_guard_really_fails_without_a_cjk_font():
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "检查", family="DejaVu Sans")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        with pytest.raises(UserWarning, match="[Gg]lyph"):
            figure_png(fig, dpi=50)


def test_inspector_load_chart_counts_only_the_units_that_took_part(db, tmp_path):
    """An idle unit's officers (nothing of theirs was drawn) would show as a crowd at zero and hide how even the draw
    was."""
    from models.roster import Inspector

    publicity_world(db, tmp_path)
    with db.session() as s:
        s.add_all([Inspector(name=f"网安{n}", badge_no=f"W{n:05d}", unit="网安大队") for n in range(3)])
    with db.read_session() as s:
        stats = year_stats(s, 2024)
    assert any(x.unit == "网安大队" for x in stats.inspectors), "the table still lists every active officer"
    load = _texts(all_figures(stats)["inspectors"])
    assert "治安大队" in load and "网安大队" not in load
    assert "参加抽查的单位" in load
