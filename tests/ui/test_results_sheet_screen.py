"""Stories on the 检查记录 tab: the clerk exports the draw's result sheet, the team fills it, the clerk imports it
after looking at the preview — and a sheet with one bad row shows the row and imports nothing."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from models.inspection import Inspection
from reports.results_sheet import COL_FROM, COL_OFFICERS, COL_RESULT, HEADER_ROW
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from tests.usecases.test_results_import import Sheet, drawn_badges, hotel_round
from tests.models.inspection_fixtures import drawn_world
from ui.context import AppContext
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    world = drawn_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.world = world
    widget.tabs.setCurrentWidget(widget.records)
    widget.records.year.setCurrentIndex(widget.records.year.findData(2024))
    yield widget
    ctx.runner.wait()


def export_from_screen(qtbot, page, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(page.records.results_bar.export_button, Qt.MouseButton.LeftButton)
    page.ctx.runner.wait()
    qtbot.waitUntil(lambda: path.exists(), timeout=10000)


def open_import(qtbot, page, monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    bar = page.records.results_bar
    qtbot.mouseClick(bar.import_button, Qt.MouseButton.LeftButton)
    dialog = bar.results_dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    return dialog


def fits_the_office_screen(dialog) -> None:
    dialog.resize(min(dialog.width(), fit.OFFICE_SCREEN[0]), min(dialog.height(), fit.OFFICE_SCREEN[1]))
    minimum = dialog.minimumSizeHint()
    assert minimum.width() <= fit.OFFICE_SCREEN[0] and minimum.height() <= fit.OFFICE_SCREEN[1]
    assert fit.problems(dialog) == []


def test_clerk_exports_the_sheet_and_imports_the_teams_results(qtbot, page, db, tmp_path, monkeypatch,
                                                                no_modal_dialogs):
    path = tmp_path / "填报表.xlsx"
    export_from_screen(qtbot, page, monkeypatch, path)
    qtbot.waitUntil(lambda: any("3 个检查对象" in text for _kind, text in no_modal_dialogs), timeout=5000)
    sheet = Sheet(path)
    hotel_round(sheet, db, page.world)
    sheet.save()

    dialog = open_import(qtbot, page, monkeypatch, path)
    assert dialog.counts.text().startswith("新增 2 条") and "未填写而跳过 1 行" in dialog.counts.text()
    assert dialog.sample.row_count() == 3 and dialog.import_button.isEnabled()
    fits_the_office_screen(dialog)
    save_screenshot(dialog, "results_import_preview.png")
    with db.session() as s:
        assert s.query(Inspection).count() == 0
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    with db.session() as s:
        assert s.query(Inspection).count() == 2
    assert any("新增检查记录 2 条" in text for _kind, text in no_modal_dialogs)
    qtbot.waitUntil(lambda: "已录入 2 个" in page.records.count.text() or page.records.table.row_count() >= 3,
                    timeout=5000)


def test_a_bad_row_shows_where_and_nothing_is_imported(qtbot, page, db, tmp_path, monkeypatch):
    path = tmp_path / "填报表.xlsx"
    export_from_screen(qtbot, page, monkeypatch, path)
    sheet = Sheet(path)
    hotel_round(sheet, db, page.world)
    sheet.fill(2, {COL_RESULT: None})
    sheet.fill(3, {COL_FROM: date(2024, 5, 9), COL_OFFICERS: "、".join(drawn_badges(db, page.world["picks"][2]))[:6],
                   COL_RESULT: "未发现问题"})
    sheet.save()
    dialog = open_import(qtbot, page, monkeypatch, path)
    assert not dialog.import_button.isEnabled() and dialog.problems_box.isVisible()
    problems = [(p.row, p.column) for p in dialog.problems.rows()]
    assert (HEADER_ROW + 2, COL_RESULT) in problems
    fits_the_office_screen(dialog)
    save_screenshot(dialog, "results_import_problems.png")
    with db.session() as s:
        assert s.query(Inspection).count() == 0
