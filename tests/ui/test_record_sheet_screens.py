"""Stories on screen: before the round, a clerk prints the 现场检查记录 for a whole draw, for one drawn hotel and
for a complaint check on a hotel nobody drew."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from models.draw import DrawPick
from models.roster import InspectedObject, Inspector
from tests.helpers import docx_text
from tests.models.inspection_fixtures import CHECKLIST, drawn_world
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui import print_util
from ui.context import AppContext
from ui.inspections.page import InspectionsPage
from ui.inspections.record_sheet_dialog import DrawSheetsDialog, ObjectSheetDialog
from ui.tasks import TaskRunner


@pytest.fixture
def opened(monkeypatch):
    files: list[Path] = []
    monkeypatch.setattr(print_util, "open_file", lambda path, parent=None: files.append(Path(path)) or True)
    monkeypatch.setattr(print_util, "open_folder", lambda path, parent=None: files.append(Path(path)) or True)
    return files


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    world = drawn_world(db)
    with db.session() as s:
        for inspector in s.scalars(select(Inspector)):
            inspector.cert_no = f"鲁公执字{inspector.badge_no}"
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.world = world
    yield widget
    ctx.runner.wait()


def test_the_whole_draw_is_printed_from_the_drawn_objects_list(qtbot, page, tmp_path, opened, no_modal_dialogs,
                                                               monkeypatch):
    records = page.records
    page.tabs.setCurrentWidget(records)
    records.year.setCurrentIndex(records.year.findData(2024))
    pick = page.world["picks"][0]
    records.table.select_id(pick.pick_id)
    button = records.sheet_button
    button.menu().aboutToShow.emit()
    assert button.whole_action.isEnabled() and button.one_action.isEnabled()

    shown: list[DrawSheetsDialog] = []

    def fake_exec(dialog):
        shown.append(dialog)
        dialog.show()
        fit_dialog(dialog)
        save_screenshot(dialog, "record_sheets_draw_dialog.png")
        dialog.folder.setText(str(tmp_path / "五月检查"))
        dialog.date.enabled.setChecked(True)
        dialog.date.edit.setDate(QDate(2024, 5, 20))
        dialog.start()
        page.ctx.runner.wait()
        qtbot.waitUntil(lambda: dialog.result is not None, timeout=20000)
        return 1

    monkeypatch.setattr(DrawSheetsDialog, "exec", fake_exec)
    button.whole_action.trigger()
    result = shown[0].result
    assert len(result.written) == 3 and result.bound is not None and not result.cancelled
    text = docx_text(result.written[0])
    assert pick.object_name in text and "2024年5月20日" in text and all(p in text for p in CHECKLIST)
    assert any("各打印一份现场检查记录" in message for _kind, message in no_modal_dialogs)
    assert tmp_path / "五月检查" in opened


def test_a_redrawn_record_cannot_be_printed_and_says_why(qtbot, db, ctx, no_modal_dialogs):
    dialog = DrawSheetsDialog(ctx, 999)
    qtbot.addWidget(dialog)
    assert "没有编号为 999 的抽取记录" in dialog.error.text()


def test_a_drawn_hotel_alone_and_a_complaint_check_elsewhere(qtbot, page, tmp_path, opened, monkeypatch):
    pick = page.world["picks"][1]
    dialog = ObjectSheetDialog(page.ctx, page, object_code=pick.credit_code, source="双随机抽查")
    qtbot.addWidget(dialog)
    assert pick.object_name in dialog.object_label.text() and not dialog.item.isEnabled()
    dialog.print_sheet(tmp_path / "one.docx")
    assert dialog.written == tmp_path / "one.docx" and opened == [tmp_path / "one.docx"]
    assert "抽取记录 #1" in docx_text(dialog.written)

    with page.ctx.db.session() as s:
        hotel = s.scalars(select(InspectedObject).where(
            InspectedObject.id.not_in(select(DrawPick.object_id)))).first()
        code, name = hotel.credit_code, hotel.name
    dialog = ObjectSheetDialog(page.ctx, page)
    qtbot.addWidget(dialog)
    dialog.show()
    fit_dialog(dialog)
    dialog.code.setText(code)
    dialog.code.editingFinished.emit()
    dialog.source.setCurrentText("举报投诉")
    dialog.ref.setText("投诉2024-17")
    dialog.item.setCurrentIndex(dialog.item.findText("2024年度抽查事项 1．", Qt.MatchFlag.MatchStartsWith))
    dialog.officer_filter.setText("民警")
    visible = [dialog.officers.item(r) for r in range(dialog.officers.count())
               if not dialog.officers.item(r).isHidden()]
    for entry in visible[:2]:
        entry.setCheckState(Qt.CheckState.Checked)
    save_screenshot(dialog, "record_sheets_object_dialog.png")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "投诉检查"), ""))
    dialog.print_sheet()
    text = docx_text(tmp_path / "投诉检查.docx")
    assert name in text and "举报投诉（投诉2024-17）" in text and all(p in text for p in CHECKLIST)
    assert all(f"执法证号：鲁公执字{b}" in text for b in dialog.chosen_badges())


def test_a_refusal_stays_on_the_form(qtbot, page, tmp_path):
    dialog = ObjectSheetDialog(page.ctx, page, object_code="没有这个单位")
    qtbot.addWidget(dialog)
    assert "名录库中没有这个检查对象" in dialog.object_label.text()
    dialog.print_sheet(tmp_path / "x.docx")
    assert "名录库中没有统一社会信用代码（或名称）为“没有这个单位”" in dialog.error.text()
    assert dialog.written is None and not (tmp_path / "x.docx").exists()


def fit_dialog(dialog) -> None:
    dialog.resize(min(dialog.width(), fit.OFFICE_SCREEN[0]), min(dialog.height(), fit.OFFICE_SCREEN[1]))
    assert fit.problems(dialog) == []


def test_the_draw_screen_offers_the_records_for_a_saved_draw(qtbot, db, ctx):
    from ui.draw.history_view import RecordDialog

    world = drawn_world(db)
    dialog = RecordDialog(ctx, world["draw_id"])
    qtbot.addWidget(dialog)
    assert dialog.panel.sheets_button.isEnabled() and dialog.panel.sheets_button.text() == "打印现场检查记录…"


def test_the_roster_offers_a_record_for_the_selected_unit(qtbot, db, ctx, monkeypatch):
    from ui.roster.objects_view import ObjectsView

    drawn_world(db)
    view = ObjectsView(ctx)
    qtbot.addWidget(view)
    view.refresh()
    assert not view.sheet_button.isEnabled()
    row = view.table.rows()[0]
    view.table.select_id(row.id)
    assert view.sheet_button.isEnabled()
    opened: list[ObjectSheetDialog] = []
    monkeypatch.setattr(ObjectSheetDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    view.sheet_button.click()
    assert opened[0].code.text() == row.credit_code and opened[0].source.currentText() == "日常巡查"
    assert row.name in opened[0].object_label.text()
