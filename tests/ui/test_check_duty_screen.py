"""Screen stories: the 登记检查 dialog offers the hotel duties for a hotel's round and hides them for a complaint;
opened from the 巡查覆盖 tab's double-click, the check is marked for the duty whose list it came from."""
from __future__ import annotations

from datetime import date

import pytest

from models.duties import DutyData, add_duty
from models.inspection import Inspection
from tests.models.duty_fixtures import duty_world
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.inspections.check_dialog import NO_DUTY, CheckDialog
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    world = duty_world(db)
    with db.session() as s:
        world["monthly"] = add_duty(s, DutyData("旅馆", "每月"), "治安大队")
        world["yearly"] = add_duty(s, DutyData("旅馆", "每年", unit="治安大队"), "治安大队")
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(*fit.OFFICE_SCREEN)
    widget.show()
    widget.world = world
    yield widget
    ctx.runner.wait()


def test_the_duty_choice_lists_the_objects_duties_for_a_round_only(qtbot, page):
    dialog = CheckDialog(page.ctx, page)
    qtbot.addWidget(dialog)
    dialog.choose_object(page.world["objects"]["平安宾馆"])
    dialog.source.setCurrentText("日常巡查")
    assert [dialog.duty.itemText(i) for i in range(dialog.duty.count())] == [
        NO_DUTY, "旅馆 每月1次（辖区派出所）", "旅馆 每年1次（治安大队）"]
    assert dialog.duty.isVisibleTo(dialog) and dialog.duty.currentData() is None
    dialog.choose_duty(page.world["yearly"])
    dialog.source.setCurrentText("全面检查")
    assert dialog.data().duty_id == page.world["yearly"]
    dialog.source.setCurrentText("举报投诉")
    assert not dialog.duty.isVisibleTo(dialog) and dialog.data().duty_id is None
    # A pawnshop has no duty declared: only the 不指定 choice.
    dialog.choose_object(page.world["objects"]["城关典当行"])
    assert dialog.duty.count() == 1


def test_a_double_click_on_a_due_hotel_marks_the_check_for_the_selected_duty(qtbot, page, db, monkeypatch,
                                                                               no_modal_dialogs):
    view = page.coverage
    page.tabs.setCurrentWidget(view)
    view.refresh()
    view.groups.select_id((page.world["yearly"], "治安大队"))
    seen = {}

    def fill_and_save(dialog):
        seen["duty"] = dialog.duty.currentText()
        for row in (0, 1):
            dialog.inspectors.item(row).setCheckState(dialog.inspectors.item(row).checkState().Checked)
        dialog.category.setCurrentText("未发现问题")
        dialog.show()
        save_screenshot(dialog, "check_dialog_duty.png")
        assert fit.problems(dialog) == []
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(CheckDialog, "exec", fill_and_save)
    target = next(o for o in view.objects.rows() if o.name == "迎宾旅社")
    view.objects.row_activated.emit(target)
    assert view.check_dialog.result() == CheckDialog.DialogCode.Accepted, no_modal_dialogs
    assert seen["duty"] == "旅馆 每年1次（治安大队）"
    with db.session() as s:
        insp = s.get(Inspection, view.check_dialog.saved_id)
        assert (insp.source, insp.duty_id, insp.date_to) == ("日常巡查", page.world["yearly"], date.today())
    rows = {r.key: r for r in view.groups.rows()}
    assert rows[(page.world["yearly"], "治安大队")].done == 1
    assert rows[(page.world["monthly"], "城关派出所")].done == 0


def test_the_round_sheet_exported_from_the_coverage_tab_imports_on_the_records_tab(qtbot, page, db, tmp_path,
                                                                                    monkeypatch, no_modal_dialogs):
    """城关派出所's clerk exports this month's hotel round, the team fills it, the 检查记录 tab imports it whole."""
    import openpyxl
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    from reports.results_sheet import COL_FROM, COL_OFFICERS, COL_RESULT, HEADER_ROW, SHEET

    view = page.coverage
    page.tabs.setCurrentWidget(view)
    view.refresh()
    view.groups.select_id((page.world["monthly"], "城关派出所"))
    path = tmp_path / "城关巡查.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    page.ctx.runner.wait()
    qtbot.waitUntil(lambda: path.exists(), timeout=10000)
    save_screenshot(page, "coverage_tab_round_export.png")
    assert fit.problems(page) == []
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    col = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    assert [ws.cell(r, col["单位名称"]).value for r in range(HEADER_ROW + 1, ws.max_row + 1)] == [
        "如家酒店城关店", "平安宾馆", "迎宾旅社"]
    for r in range(HEADER_ROW + 1, HEADER_ROW + 4):
        ws.cell(r, col[COL_FROM]).value = date.today()
        ws.cell(r, col[COL_OFFICERS]).value = "100001、100002"
        ws.cell(r, col[COL_RESULT]).value = "未发现问题"
    book.save(path)

    page.tabs.setCurrentWidget(page.records)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    bar = page.records.results_bar
    qtbot.mouseClick(bar.import_button, Qt.MouseButton.LeftButton)
    dialog = bar.results_dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.preview.ok and dialog.preview.new == 3, dialog.preview.problem_lines()
    assert "日常巡查" in dialog.sample_box.title()
    save_screenshot(dialog, "results_import_round.png")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
    with db.session() as s:
        assert {i.duty_id for i in s.query(Inspection)} == {page.world["monthly"]}
    view.refresh()
    rows = {r.key: r for r in view.groups.rows()}
    assert rows[(page.world["monthly"], "城关派出所")].done == 3
