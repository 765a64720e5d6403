"""On screen: the clerk re-draws, and then replaces one object of, an old 部门联合 record drawn police-only (before
such a draw needed a reason). After the redraw's own reason the screen asks for the 配合部门缺员原因, naming
what is missing; the new announcement seals it. Cancelling that question starts nothing."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from models.draw import DrawRecord
from models.draw_service import prepare_draw
from models.plan import PlanItem
from models.seal import DrawAnnouncement
from tests.models.draw_fixtures import build_world, sealed_draw
from tests.ui.test_draw_page import give_entropy_and_start
from ui.context import AppContext
from ui.tasks import TaskRunner

GAP = "原记录抽取时未派市场监管人员，本次重抽沿用原检查组设置"


@pytest.fixture
def old_world(qtbot, db, no_modal_dialogs):
    from ui.draw.page import DrawPage

    build_world(db)
    with db.session() as s:
        s.query(PlanItem).filter_by(number="1").one().mode = "公安内部"
    with db.session() as s:
        prep = prepare_draw(s, 2024, "1")
    record_id = sealed_draw(db, prep).id
    with db.session() as s:
        s.query(PlanItem).filter_by(number="1").one().mode = "部门联合"
    runner = TaskRunner()
    page = DrawPage(AppContext(db=db, runner=runner, user="张录入"))
    page.projector_options = {"instant": True, "auto": False, "spin_ms": 0}
    page.full_screen = False
    qtbot.addWidget(page)
    page.show()
    yield page, record_id
    if page.projector is not None:
        page.projector.close()
    runner.wait()


def test_a_redraw_asks_for_the_partner_gap_reason_and_seals_it(qtbot, db, old_world, monkeypatch):
    import ui.draw.history_view as hv

    page, first = old_world
    asked = []

    def answer(parent, title, label, gap=GAP):
        asked.append((title, label))
        return gap if title == "配合部门缺员原因" else "见证人未到场"

    monkeypatch.setattr(hv, "ask_reason", lambda *a: answer(*a, gap=None))
    dialog = page.history_view.open_record(first)
    qtbot.mouseClick(dialog.redraw_button, Qt.MouseButton.LeftButton)      # the gap question cancelled
    assert [t for t, _ in asked] == ["重新抽取", "配合部门缺员原因"]
    assert "未选择配合部门" in asked[1][1]
    assert page.entropy_view.task is None                                   # nothing started

    asked.clear()
    monkeypatch.setattr(hv, "ask_reason", answer)
    dialog = page.history_view.open_record(first)
    qtbot.mouseClick(dialog.redraw_button, Qt.MouseButton.LeftButton)
    assert [t for t, _ in asked] == ["重新抽取", "配合部门缺员原因"]
    assert page.steps.currentWidget() is page.entropy_view
    assert GAP in page.entropy_view.fixed_label.text()
    second = give_entropy_and_start(qtbot, page).record_id
    with db.read_session() as s:
        record = s.get(DrawRecord, second)
        assert record.replaces_id == first and record.reason == "见证人未到场"
        sealed = json.loads(s.query(DrawAnnouncement).order_by(DrawAnnouncement.id.desc()).first().announcement_json)
    assert sealed["partner_gap_reason"] == GAP


def test_a_substitute_in_the_old_record_asks_too(qtbot, db, old_world, monkeypatch):
    import ui.draw.history_view as hv

    page, first = old_world
    dialog = page.history_view.open_record(first)
    monkeypatch.setattr(hv, "ask_substitute", lambda parent, rows: (rows[0].object_id, rows[0].name, "已停业"))
    monkeypatch.setattr(hv, "ask_reason", lambda parent, title, label: GAP)
    qtbot.mouseClick(dialog.substitute_button, Qt.MouseButton.LeftButton)
    assert page.entropy_view.task.kind == "substitute" and page.entropy_view.task.partner_gap_reason == GAP
    projector = give_entropy_and_start(qtbot, page, entries=(("现场报数", "7 7 7"),))
    with db.read_session() as s:
        assert s.get(DrawRecord, projector.record_id).replaces_id == first
