"""The projector's reveal: names spin on a timer and stop exactly on the saved pick; space, auto and 全部显示 work."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models.draw_engine import Candidate, InspectorCandidate
from models.draw_record import run_draw
from ui.draw.common import inspectors_text
from ui.draw.projector import ProjectorView, RevealSequencer
from ui.draw.sequencer import spin_schedule


def make_record(n_candidates=41, size=3, partners=0):
    cands = [Candidate(i, f"春城{i:05d}号宾馆", f"91530000MA{i:08d}", ("高风险", "中风险", "中低风险", "低风险")[i % 4])
             for i in range(n_candidates)]
    people = [InspectorCandidate(100_000 + i, f"民警{i}", f"0{i:05d}", "治安大队") for i in range(12)]
    people += [InspectorCandidate(200_000 + i, f"市监{i}", f"S{i:05d}", "市场监督管理局") for i in range(partners)]
    return run_draw(candidates=cands, sizes={"全部": size}, stratify=False, inspectors=people, recusals=[],
                    responsible_units=["治安大队"], partner_units=["市场监督管理局"] if partners else [],
                    entropy=["现场报数：12 34 56"], item={"id": 1, "number": "1", "name": "对旅馆的监督检查"},
                    meta={"year": 2024, "witnesses": ["王监督（县纪委）"]})


def test_the_spin_rolls_names_then_stops_exactly_on_each_true_pick(qtbot):
    record = make_record(partners=2)
    seq = RevealSequencer(record, spin_ms=150, inspector_delay_ms=30)
    rolled = []
    seq.changed.connect(lambda: seq.is_spinning() and rolled.append(seq.current_text()))
    for n, pick in enumerate(record["picks"]):
        with qtbot.waitSignal(seq.revealed, timeout=5000) as blocker:
            seq.reveal_next()
            assert seq.is_spinning()
            assert seq.current_inspectors() == ""
        assert blocker.args == [n]
        assert seq.current_text() == pick["name"]
        assert seq.current_inspectors() == inspectors_text(record["assignments"][n], sep="　")
        assert "市监" in seq.current_inspectors()  # the partner department is revealed as well
    assert seq.is_finished
    assert len(rolled) >= 3 * 2
    names = {c["name"] for c in record["candidates"]}
    assert set(rolled) <= names


def test_pressing_space_during_the_spin_lands_on_the_true_pick_at_once(qtbot):
    record = make_record()
    view = ProjectorView(record, 7, spin_ms=60_000)
    qtbot.addWidget(view)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.sequencer.is_spinning()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not view.sequencer.is_spinning()
    assert view.name_label.text() == record["picks"][0]["name"]
    assert view.progress_label.text() == "第 1 / 3 个"
    assert record["assignments"][0]["inspectors"][0]["name"] in view.inspectors_label.text()


def test_auto_mode_reveals_every_pick_and_then_the_table(qtbot):
    record = make_record(size=4)
    view = ProjectorView(record, 3, spin_ms=40)
    view.sequencer._auto_timer.setInterval(10)
    qtbot.addWidget(view)
    revealed = []
    view.sequencer.revealed.connect(lambda n: revealed.append(view.name_label.text()))
    with qtbot.waitSignal(view.sequencer.finished, timeout=10000):
        view.auto_button.setChecked(True)
        view.advance()
    assert revealed == [p["name"] for p in record["picks"]]
    qtbot.waitUntil(view.showing_table, timeout=5000)


def test_five_thousand_picks_jump_straight_to_the_table(qtbot):
    record = make_record(n_candidates=20_000, size=5000)
    view = ProjectorView(record, 99, instant=True)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    qtbot.mouseClick(view.all_button, Qt.MouseButton.LeftButton)
    assert view.showing_table()
    assert view.table_model.rowCount() == 5000
    last = view.table_model.rows[-1]
    assert (last[0], last[1]) == (5000, record["picks"][-1]["name"])
    assert view.sequencer.revealed_count() == 5000


def test_type_scales_with_the_screen_and_esc_leaves(qtbot):
    record = make_record()
    view = ProjectorView(record, 1, instant=True)
    qtbot.addWidget(view)
    view.show()
    view.resize(1920, 1080)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    big = view.name_label.font().pointSizeF()
    assert big >= 60
    view.resize(960, 540)
    assert view.name_label.font().pointSizeF() < big
    # A small window shrinks the type further until everything fits it, still readable.
    assert view.item_label.font().pointSizeF() >= 12
    with qtbot.waitSignal(view.closed, timeout=2000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)


@pytest.mark.parametrize("total", [0, 150, 1500])
def test_the_spin_schedule_slows_down_and_lasts_about_as_long_as_asked(total):
    ticks = spin_schedule(total)
    assert sum(ticks) >= total
    assert ticks == sorted(ticks)


def test_the_projector_goes_to_the_other_screen_of_an_extended_desktop():
    from ui.draw.page import projector_screen

    laptop, beamer = object(), object()
    assert projector_screen(laptop, [laptop, beamer]) is beamer
    assert projector_screen(beamer, [laptop, beamer]) is laptop
    assert projector_screen(laptop, [laptop]) is laptop      # duplicated display: one screen
    assert projector_screen(None, [laptop, beamer]) is laptop
    assert projector_screen(None, []) is None


def test_the_full_screen_projector_covers_the_whole_screen_even_without_a_window_manager(qtbot, db, no_modal_dialogs):
    from PySide6.QtGui import QGuiApplication

    from tests.ui.draw_world import build_world
    from ui.context import AppContext
    from ui.draw.page import DrawPage
    from ui.tasks import TaskRunner

    build_world(db)
    page = DrawPage(AppContext(db=db, runner=TaskRunner(), user="张录入"))
    qtbot.addWidget(page)
    view = page._show_projector(1, make_record(), "有效")
    try:
        qtbot.waitUntil(view.isFullScreen, timeout=5000)
        assert view.geometry() == QGuiApplication.primaryScreen().geometry()
    finally:
        view.close()
