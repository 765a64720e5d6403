"""Stories on screen for a per-event item: the clerk states the 活动期间 on the draw screen, and the saved record,
the 检查记录 list and the inspection form name each organiser's event."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel

from models.draw_prepare import prepare_draw
from tests.models.draw_fixtures import sealed_draw
from tests.models.event_fixtures import event_world
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.tasks import TaskRunner

CONCERT = "淄博鲁中演艺有限公司（活动：鲁中之夏演唱会，2022-07-16，沂源县体育场）"


@pytest.fixture
def ctx(db):
    runner = TaskRunner()
    yield AppContext(db=db, runner=runner, user="内勤")
    runner.wait()


def test_the_clerk_narrows_the_event_period_on_the_draw_screen_as_seal_events_from_does(qtbot, db, data_dir, ctx,
                                                                                        no_modal_dialogs):
    from ui.draw.page import DrawPage

    event_world(db, data_dir)
    page = DrawPage(ctx)
    qtbot.addWidget(page)
    page.resize(*fit.OFFICE_SCREEN)
    page.show()
    pv = page.prepare_view
    pv.select(2022, "5")
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.item_number == "5" and pv.next_button.isEnabled(),
                    timeout=10000)
    choice = pv.event_choice
    # the period opens as the plan year
    assert choice.isVisible() and choice.period() == ["2022-01-01", "2022-12-31"]
    assert pv.prep.total_eligible == 3
    choice.period_from.setDate(choice.period_from.date().fromString("2022-07-01", "yyyy-MM-dd"))
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.total_eligible == 2 and pv.next_button.isEnabled(),
                    timeout=10000)
    assert choice.count_label.text() == "本期登记活动 2 场，全部抽取 2 场"
    assert "本期（2022-07-01 至 2022-12-31）登记活动 2 场" in pv.notes_label.text()
    # the very list `seal --events-from 2022-07-01` seals: same parameters, same fingerprints
    with db.read_session() as s:
        cli = prepare_draw(s, 2022, "5", event_period=["2022-07-01", "2022-12-31"])
    assert (pv.prep.fingerprint, pv.prep.setup_fingerprint) == (cli.fingerprint, cli.setup_fingerprint)
    assert pv.prep.params["event_period"] == ["2022-07-01", "2022-12-31"]
    assert fit.problems(page) == []
    save_screenshot(page, "draw_event_period.png")
    # an end before the start is refused where it can be corrected: the period stays on screen
    choice.period_to.setDate(choice.period_to.date().fromString("2022-06-30", "yyyy-MM-dd"))
    qtbot.waitUntil(lambda: "早于开始日期" in pv.problems_label.text(), timeout=10000)
    assert choice.isVisible() and not pv.next_button.isEnabled()
    # another plan year resets the period to it; an ordinary item hides the choice
    choice.set_year(2023)
    assert choice.period_from.date().toString("yyyy-MM-dd") == "2023-01-01"
    pv.select(2022, "1")
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.item_number == "1", timeout=10000)
    assert not choice.isVisible() and choice.period() is None


def _drawn(db, data_dir):
    event_world(db, data_dir)
    with db.session() as s:
        prep = prepare_draw(s, 2022, "5", today=date(2022, 5, 1))
    return sealed_draw(db, prep)


def test_the_saved_record_and_the_inspection_list_name_the_event_beside_the_organiser(qtbot, db, data_dir, ctx):
    from ui.draw.result_view import RecordPanel
    from ui.inspections.inspection_dialog import InspectionDialog
    from ui.inspections.records_view import record_rows

    saved = _drawn(db, data_dir)
    panel = RecordPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1300, 600)
    panel.show_record(saved.id, saved.record, "有效")
    names = [r.name for r in panel.table.rows()]
    assert CONCERT in names and len(names) == 3
    save_screenshot(panel, "record_per_event.png")
    with db.read_session() as s:
        rows = record_rows(s, 2022, None)
    concert = next(r for r in rows if r.object_name == CONCERT)
    dialog = InspectionDialog(ctx, concert.pick_id)
    qtbot.addWidget(dialog)
    heads = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("活动：<b>鲁中之夏演唱会，2022-07-16，沂源县体育场</b>" in t for t in heads)
