"""Screen story: on the 巡查覆盖 tab, 城关派出所's clerk picks May's hotel round and prints a 现场检查记录 for each
hotel still due, with the two officers going — through the task runner, the folder opened afterwards."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt

from tests.helpers import docx_text
from tests.models.duty_fixtures import round_check
from tests.models.round_sheet_fixtures import CHECKLIST, CITY, round_world
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui import print_util
from ui.context import AppContext
from ui.inspections.page import InspectionsPage
from ui.inspections.round_sheet_dialog import RoundSheetsDialog
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    world = round_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(*fit.OFFICE_SCREEN)
    widget.show()
    widget.world = world
    yield widget
    ctx.runner.wait()


@pytest.fixture
def opened(monkeypatch):
    folders: list[Path] = []
    monkeypatch.setattr(print_util, "open_folder", lambda path, parent=None: folders.append(Path(path)) or True)
    return folders


def may(view) -> None:
    if view.year.findData(2024) < 0:          # the tab offers this year and the two before
        view.year.addItem("2024年", 2024)
    view.year.setCurrentIndex(view.year.findData(2024))
    view.month.setCurrentIndex(view.month.findData(5))
    view.refresh()


def test_the_hotels_still_due_in_城关_are_printed_from_the_coverage_tab(qtbot, page, db, tmp_path, monkeypatch,
                                                                       opened, no_modal_dialogs):
    round_check(db, page.world["objects"]["平安宾馆"], date(2024, 5, 3), duty_id=page.world["monthly"])
    view = page.coverage
    page.tabs.setCurrentWidget(view)
    may(view)
    view.groups.select_id((page.world["monthly"], CITY))
    assert view.sheet_button.text() == "打印现场检查记录…" and view.export_button.text() == "导出巡查填报表…"
    save_screenshot(page, "coverage_tab_round_sheets.png")
    assert fit.problems(page) == []

    shown: list[RoundSheetsDialog] = []

    def fake_exec(dialog):
        shown.append(dialog)
        dialog.show()
        dialog.resize(dialog.size().boundedTo(dialog.screen().availableSize()))
        assert "城关派出所2024年5月日常巡查（旅馆 每月1次）待查的 2 个检查对象" in dialog.intro.text()
        assert dialog.ok_button.isEnabled()
        dialog.folder.setText(str(tmp_path / "城关五月"))
        dialog.date.enabled.setChecked(True)
        assert dialog.date.edit.minimumDate() == QDate(2024, 5, 1)
        dialog.date.edit.setDate(QDate(2024, 5, 20))
        for row in range(dialog.officers.count()):
            dialog.officers.item(row).setCheckState(Qt.CheckState.Checked)
        save_screenshot(dialog, "round_sheets_dialog.png")
        assert fit.problems(dialog) == []
        dialog.start()
        page.ctx.runner.wait()
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
        return 1

    monkeypatch.setattr(RoundSheetsDialog, "exec", fake_exec)
    qtbot.mouseClick(view.sheet_button, Qt.MouseButton.LeftButton)
    result = shown[0].result
    assert [p.name for p in result.written] == ["01-如家酒店城关店-现场检查记录.docx", "02-迎宾旅社-现场检查记录.docx"]
    assert result.bound is not None and not result.cancelled
    text = docx_text(result.written[1])
    assert "迎宾旅社" in text and "日常巡查（旅馆 每月1次）" in text and "2024年5月20日" in text
    assert all(point in text for point in CHECKLIST) and "鲁公执字100001" in text and "鲁公执字100002" in text
    assert any("待查的 2 个检查对象各打印一份现场检查记录" in message for _kind, message in no_modal_dialogs)
    assert opened == [tmp_path / "城关五月"]


def test_a_round_with_nothing_due_says_why_and_cannot_print(qtbot, page, db):
    for name in ("平安宾馆", "如家酒店城关店", "迎宾旅社"):
        round_check(db, page.world["objects"][name], date(2024, 5, 6), duty_id=page.world["monthly"])
    dialog = RoundSheetsDialog(page.ctx, page.world["monthly"], CITY, 2024, 5)
    qtbot.addWidget(dialog)
    assert "没有待查的对象（共 3 个对象，已查 3 个）" in dialog.error.text()
    assert not dialog.ok_button.isEnabled()
