"""Stories on the 公示与统计 page: the demo year's figures on screen, the charts, exports and the report off the UI
thread."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PySide6.QtWidgets import QFileDialog

from usecases.demo import load_demo
from models.statistics import percent, year_stats
from tests.reports.publicity_world import publicity_world
from ui.context import AppContext
from ui.publicity.page import PublicityPage
from ui.tasks import TaskRunner
from tests.ui.screenshots import save_screenshot

pytestmark = pytest.mark.filterwarnings("error:.*[Gg]lyph.*missing")


def shoot(widget, name: str) -> None:
    save_screenshot(widget, name)


def _open(qtbot, db) -> PublicityPage:
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    page = PublicityPage(ctx)
    qtbot.addWidget(page)
    page.resize(1400, 850)
    page.show()
    return page


@pytest.fixture
def demo_page(qtbot, db, no_modal_dialogs):
    load_demo(db)
    page = _open(qtbot, db)
    yield page
    page.ctx.runner.wait()


def _save_to(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def _cell(view, row: int, header: str) -> str:
    model = view.table_model
    col = next(i for i, c in enumerate(model.columns) if c.title == header)
    return model.data(model.index(row, col))


def test_the_statistics_screen_shows_the_demo_years_figures(qtbot, demo_page, db):
    year = date.today().year
    assert demo_page.year() == year
    with db.read_session() as s:
        expected = year_stats(s, year)
    hotel = expected.items[0]
    assert hotel.drawn > 0 and expected.total.inspected > 0
    demo_page.tabs.setCurrentWidget(demo_page.stats_view)
    items = demo_page.stats_view.items
    assert items.row_count() == len(expected.items) + 1
    assert _cell(items, 0, "名称") == hotel.label
    assert _cell(items, 0, "已抽取") == str(hotel.drawn)
    assert _cell(items, 0, "已检查") == str(hotel.inspected)
    assert _cell(items, 0, "检查比例") == percent(hotel.share)
    assert f"已完成检查{expected.total.inspected}户" in demo_page.stats_view.summary.text()
    assert demo_page.stats_view.inspectors.row_count() == len(expected.inspectors)
    # Every responsible unit is in sight without scrolling (the table was once squeezed to one row).
    units = demo_page.stats_view.units
    assert units.row_count() == len(expected.units) >= 2
    last = units.visualRect(units.table_model.index(units.row_count() - 1, 0))
    assert last.bottom() <= units.viewport().height()
    shoot(demo_page, "publicity_stats.png")

    demo_page.tabs.setCurrentWidget(demo_page.results)
    assert demo_page.results.table.row_count() == expected.total.drawn
    assert demo_page.results.title.text().endswith(f"{year}年度“双随机、一公开”抽查结果公示")
    shoot(demo_page, "publicity_results.png")

    demo_page.tabs.setCurrentWidget(demo_page.charts)
    qtbot.waitUntil(lambda: len(demo_page.charts.canvases) == 4)
    plan_fig = demo_page.charts.canvases["plan"].figure
    assert plan_fig.axes[0].get_title() == f"{year}年度各抽查事项计划、抽取与检查情况"
    # One chart under the other, none wider than the visible area (side by side, one was cut off).
    canvases = list(demo_page.charts.canvases.values())
    qtbot.waitUntil(lambda: len({(c.x(), c.y()) for c in canvases}) == 4)  # laid out
    assert len({c.x() for c in canvases}) == 1 and len({c.y() for c in canvases}) == 4
    viewport = demo_page.charts.holder.parentWidget()
    assert all(c.width() <= viewport.width() for c in canvases)
    shoot(demo_page, "publicity_charts.png")


def test_clerk_exports_the_results_and_the_report_in_the_background(qtbot, demo_page, tmp_path, monkeypatch,
                                                                    no_modal_dialogs):
    year = demo_page.year()
    target = tmp_path / "公示"  # no suffix typed: .xlsx is added
    _save_to(monkeypatch, target)
    demo_page.results.xlsx_button.click()
    qtbot.waitUntil(lambda: bool(no_modal_dialogs), timeout=20000)
    assert no_modal_dialogs[-1][0] == "information" and "已保存" in no_modal_dialogs[-1][1]
    rows = list(openpyxl.load_workbook(tmp_path / "公示.xlsx").active.iter_rows(values_only=True))
    assert rows[0][0].endswith(f"{year}年度“双随机、一公开”抽查结果公示")
    assert rows[2][0] == "序号" and rows[2][8] == "整改情况"

    report = tmp_path / "报告.docx"
    _save_to(monkeypatch, report)
    demo_page.report_button.click()
    qtbot.waitUntil(lambda: len(no_modal_dialogs) == 2, timeout=30000)
    assert "已保存" in no_modal_dialogs[-1][1]
    doc = Document(str(report))
    assert doc.paragraphs[0].text.endswith("抽查工作统计报告") and len(doc.inline_shapes) == 4


def test_one_task_is_exported_from_the_scope_choice(qtbot, db, tmp_path, monkeypatch, no_modal_dialogs):
    world = publicity_world(db, tmp_path)
    page = _open(qtbot, db)
    page.year_combo.setCurrentIndex(page.year_combo.findData(2024))
    scope = page.results.scope
    assert scope.count() == 3  # 全年, record #1 and the re-draw; the replaced record is not offered
    scope.setCurrentIndex(scope.findData(world["redraw_id"]))
    target = tmp_path / "网吧.docx"
    _save_to(monkeypatch, target)
    page.results.docx_button.click()
    qtbot.waitUntil(lambda: bool(no_modal_dialogs), timeout=20000)
    body = [[c.text for c in r.cells] for r in Document(str(target)).tables[0].rows[1:]]
    assert {r[2] for r in body} == {c.object_name for c in world["cafes"]}
    assert page.tasks.table.row_count() == 3
    page.ctx.runner.wait()


def test_the_page_follows_changes_made_elsewhere(qtbot, db, tmp_path, no_modal_dialogs):
    from tests.models.inspection_fixtures import record

    world = publicity_world(db, tmp_path)
    page = _open(qtbot, db)
    page.year_combo.setCurrentIndex(page.year_combo.findData(2024))
    assert _cell(page.stats_view.items, 0, "已检查") == "2"
    record(db, world["hotels"][2].pick_id)
    page.ctx.notify("inspection")
    assert _cell(page.stats_view.items, 0, "已检查") == "3"
    assert _cell(page.stats_view.items, 0, "是否达到") == "达到"
