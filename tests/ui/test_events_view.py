"""The 活动登记 tab: a clerk registers an event, edits it, imports a sheet, and a refused row is shown."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from models.event_service import list_events
from tests.models.event_fixtures import event_world
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.roster.events_view import EventDialog, EventsView
from ui.tasks import TaskRunner


@pytest.fixture
def view(qtbot, db, data_dir, no_modal_dialogs):
    event_world(db, data_dir)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = EventsView(ctx)
    widget.year.setCurrentText("2022")
    qtbot.addWidget(widget)
    widget.resize(1300, 600)
    widget.show()
    yield widget
    ctx.runner.wait()


def test_the_clerk_sees_the_years_events_and_registers_another(qtbot, view, db):
    rows = view.table.rows()
    assert [r.name for r in rows] == ["沂源半程马拉松", "鲁中之夏演唱会", "2022年国庆焰火晚会"]
    assert view.count_label.text() == "共 3 场活动"
    save_screenshot(view, "events_tab.png")
    dialog = EventDialog(view.ctx, parent=view)
    dialog.name.setText("元宵灯会")
    dialog.organiser.setText("不存在的公司")
    dialog.date_from.setDate(dialog.date_from.date().fromString("2022-02-15", "yyyy-MM-dd"))
    dialog.save()
    assert "不在检查对象名录中" in dialog.error.text() and not dialog.result()
    dialog.organiser.setText("沂源县文化旅游发展有限公司")
    dialog.place.setText("历山街道")
    dialog.scale.setText("5000")
    save_screenshot(dialog, "event_dialog.png")
    dialog.save()
    assert dialog.result()
    view.ctx.notify("roster")
    with db.read_session() as s:
        lantern = next(e for e in list_events(s, year=2022) if e.name == "元宵灯会")
    assert (lantern.date_from, lantern.place, lantern.scale) == (date(2022, 2, 15), "历山街道", 5000)
    assert view.count_label.text() == "共 4 场活动"


def test_an_imported_sheet_with_a_bad_row_is_refused_and_a_good_one_registered(qtbot, view, db, tmp_path,
                                                                               no_modal_dialogs):
    path = tmp_path / "活动.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["活动名称", "举办单位", "地点", "开始日期"])
    ws.append(["春季车展", "沂源县体育中心", "体育场", "2022-02-30"])
    wb.save(path)
    view.start_import(path)
    view.ctx.runner.wait()
    qtbot.wait(50)
    assert any(kind == "warning" and "第 2 行，“开始日期”列" in text for kind, text in no_modal_dialogs)
    assert view.count_label.text() == "共 3 场活动"
    ws.cell(row=2, column=4, value="2022-03-30")
    wb.save(path)
    view.start_import(path)
    view.ctx.runner.wait()
    qtbot.wait(50)
    assert view.count_label.text() == "共 4 场活动"


def test_the_draw_screen_offers_all_the_periods_events_or_a_share(qtbot, db, data_dir, no_modal_dialogs):
    from ui.draw.page import DrawPage

    event_world(db, data_dir)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    page = DrawPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 728)
    page.show()
    pv = page.prepare_view
    pv.select(2022, "5")
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.item_number == "5" and pv.next_button.isEnabled(),
                    timeout=10000)
    choice = pv.event_choice
    assert choice.isVisible() and choice.count_label.text() == "本期登记活动 3 场，全部抽取 3 场"
    assert pv.table.row_count() == 3 and "本期（2022-01-01 至 2022-12-31）登记活动 3 场" in pv.notes_label.text()
    choice.share_check.setChecked(True)
    choice.share_spin.setValue(30)
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.total_size == 1 and pv.next_button.isEnabled(),
                    timeout=10000)
    assert choice.count_label.text() == "本期登记活动 3 场，抽取 1 场"
    save_screenshot(page, "draw_per_event.png")
    pv.select(2022, "1")   # an ordinary item: the choice is gone
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.item_number == "1", timeout=10000)
    assert not choice.isVisible()
    ctx.runner.wait()
