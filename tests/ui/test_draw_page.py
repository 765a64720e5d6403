"""Stories of the 随机抽取 section: a witness watches a draw on the projector, and a draw is re-done from the
history."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from models.draw import DrawPick, DrawRecord
from tests.ui.draw_world import WITNESSES, build_world
from ui.context import AppContext
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    from ui.draw.page import DrawPage

    build_world(db)
    runner = TaskRunner()
    ctx = AppContext(db=db, runner=runner, user="张录入")
    page = DrawPage(ctx)
    page.projector_options = {"instant": True, "auto": False, "spin_ms": 0}
    page.full_screen = False
    qtbot.addWidget(page)
    page.show()
    yield page
    if page.projector is not None:
        page.projector.close()
    runner.wait()


def wait_prepared(qtbot, page, number="1"):
    qtbot.waitUntil(lambda: page.prepare_view.prep is not None and page.prepare_view.prep.item_number == number
                    and page.prepare_view.next_button.isEnabled(), timeout=10000)
    return page.prepare_view.prep


def seal_announcement(qtbot, page, source="见证人在局三楼会议室现场报数并掷骰子"):
    """The clerk names the entropy source and seals; the screen shows the commitment the witnesses sign."""
    ev = page.entropy_view
    assert not ev.entry_edit.isEnabled()  # no entropy before the seal
    ev.source_edit.setText(source)
    qtbot.mouseClick(ev.seal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ev.sealed is not None, timeout=10000)
    assert ev.sealed.commitment[:8] in ev.seal_label.text() and ev.sealed.label in ev.seal_label.text()
    assert ev.entry_edit.isEnabled() and ev.print_seal_button.isEnabled()
    return ev.sealed


def give_entropy_and_start(qtbot, page, entries=(("现场报数", "12 34 56"), ("骰子点数", "3 5 6"))):
    ev = page.entropy_view
    seal_announcement(qtbot, page)
    ev.set_witnesses(WITNESSES)
    for kind, text in entries:
        ev.kind_combo.setCurrentText(kind)
        # QtTest can only type ASCII; Chinese text is pasted, as an input method would commit it.
        ev.entry_edit.setText(text)
        qtbot.keyClick(ev.entry_edit, Qt.Key.Key_Return)
        assert ev.entry_edit.text() == ""
        # Each entry is read back big on screen as it was typed.
        assert ev.readback_label.text() == f"{kind}：{text}"
    qtbot.mouseClick(ev.lock_button, Qt.MouseButton.LeftButton)
    assert ev.locked and not ev.entry_edit.isEnabled()
    old = page.projector
    qtbot.mouseClick(ev.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.projector is not None and page.projector is not old, timeout=10000)
    return page.projector


def saved_picks(db, record_id):
    with db.session() as s:
        rec = s.get(DrawRecord, record_id)
        return [(p.inspected_object.name, [a.inspector.name for a in p.assignments]) for p in rec.picks]


def test_a_witness_watches_the_draw_and_reads_each_pick_off_the_screen(qtbot, page, db):
    prep = wait_prepared(qtbot, page)
    pv = page.prepare_view
    # Step 1: only the 41 open hotels are listed; the closed and deactivated ones are counted apart.
    assert (prep.total_eligible, prep.total_size) == (41, 3)
    assert pv.table.row_count() == 41
    assert "可抽 41 户，抽取 3 户" in pv.counts_label.text()
    assert "非在营 1 户" in pv.excluded_label.text() and "已停用 1 户" in pv.excluded_label.text()
    assert pv.fingerprint_label.text().replace(" ", "") == prep.fingerprint
    assert all(len(block) == 8 for block in pv.fingerprint_label.text().split(" "))
    assert pv.problems_label.text() == ""

    qtbot.mouseClick(pv.next_button, Qt.MouseButton.LeftButton)
    assert page.steps.currentWidget() is page.entropy_view
    assert page.entropy_view.fingerprint_label.text().replace(" ", "") == prep.fingerprint
    # Nothing random has happened yet: no record exists before the witnesses' entropy is locked.
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DrawRecord)) == 0

    projector = give_entropy_and_start(qtbot, page)
    record_id = projector.record_id
    truth = saved_picks(db, record_id)
    assert len(truth) == 3
    assert projector.fingerprint_label.property("fingerprint") == prep.fingerprint
    assert projector.fingerprint_label.text().replace(" ", "") == prep.fingerprint
    assert f"记录已保存并锁定，编号 #{record_id}" in projector.locked_label.text()
    assert "验证页面.html" in projector.verify_label.text() and "verify-draw" in projector.verify_label.text()
    assert "王监督（县纪委）" in projector.witnesses_label.text()
    assert "骰子点数：3 5 6" in projector.entropy_label.text()
    # The projector shows the announcement the witnesses signed, its number and commitment, beside the entropy.
    sealed = projector.entropy_label.text().replace(" ", "")
    assert "抽取公告2024-001" in sealed and projector.record["commitment"] in sealed
    assert projector.name_label.text() == ""

    seen = []
    for n in range(3):
        qtbot.keyClick(projector, Qt.Key.Key_Space)
        assert projector.progress_label.text().startswith(f"第 {n + 1} / 3 个")
        seen.append((projector.name_label.text(), projector.inspectors_label.text()))
    for (name, inspectors), (true_name, true_inspectors) in zip(seen, truth):
        assert name == true_name
        for person in true_inspectors:
            assert person in inspectors
    qtbot.keyClick(projector, Qt.Key.Key_Space)
    assert projector.showing_table()
    table = projector.table_model
    assert [table.rows[i][1] for i in range(table.rowCount())] == [t[0] for t in truth]

    # The desk screen shows the same saved result, and the history lists it as 有效.
    assert page.steps.currentWidget() is page.result_view
    assert page.result_view.panel.table.row_count() == 3
    qtbot.waitUntil(lambda: page.history_view.status_of(record_id) == "有效")
    # Esc leaves the projector; the record stays.
    qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert not projector.isVisible()


def test_a_redraw_from_the_history_needs_a_reason_and_keeps_the_old_record(qtbot, page, db, monkeypatch):
    import ui.draw.history_view as hv

    wait_prepared(qtbot, page)
    qtbot.mouseClick(page.prepare_view.next_button, Qt.MouseButton.LeftButton)
    first = give_entropy_and_start(qtbot, page).record_id
    page.tabs.setCurrentIndex(1)
    history = page.history_view
    qtbot.waitUntil(lambda: history.status_of(first) == "有效")

    dialog = history.open_record(first)
    assert dialog.verify() is True
    assert "复核结果：一致" in dialog.verify_label.text()

    # Cancelling the reason does nothing at all.
    monkeypatch.setattr(hv, "ask_reason", lambda *a, **k: None)
    qtbot.mouseClick(dialog.redraw_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentIndex() == 1

    dialog = history.open_record(first)
    monkeypatch.setattr(hv, "ask_reason", lambda *a, **k: "见证人未到场，依规重新抽取")
    qtbot.mouseClick(dialog.redraw_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentIndex() == 0 and page.steps.currentWidget() is page.entropy_view
    assert "重新抽取记录 #" in page.entropy_view.title_label.text()
    second = give_entropy_and_start(qtbot, page,
                                    entries=(("公开来源", "福利彩票双色球 2024年5月7日 03 08 15"),)).record_id

    assert second != first
    qtbot.waitUntil(lambda: history.status_of(first) == "已被重抽替代")
    assert history.status_of(second) == "有效"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DrawRecord)) == 2
        assert s.get(DrawRecord, second).reason == "见证人未到场，依规重新抽取"
        assert s.get(DrawRecord, second).replaces_id == first
    # The replaced record still opens, read-only, and cannot be re-drawn again.
    dialog = history.open_record(first)
    assert "已被重抽替代" in dialog.panel.locked_label.text()
    assert not dialog.redraw_button.isEnabled()
    assert dialog.verify() is True


def test_substituting_one_object_leaves_the_record_partly_replaced(qtbot, page, db, monkeypatch):
    import ui.draw.history_view as hv

    wait_prepared(qtbot, page)
    qtbot.mouseClick(page.prepare_view.next_button, Qt.MouseButton.LeftButton)
    first = give_entropy_and_start(qtbot, page).record_id
    with db.session() as s:
        gone = s.scalars(select(DrawPick).where(DrawPick.draw_id == first).order_by(DrawPick.order)).first()
        gone_id, gone_name = gone.object_id, gone.inspected_object.name
    dialog = page.history_view.open_record(first)
    monkeypatch.setattr(hv, "ask_substitute", lambda parent, rows: (gone_id, gone_name, "到场核实已注销"))
    qtbot.mouseClick(dialog.substitute_button, Qt.MouseButton.LeftButton)
    projector = give_entropy_and_start(qtbot, page, entries=(("现场报数", "7 7 7"),))
    qtbot.keyClick(projector, Qt.Key.Key_Space)
    substitute_name = projector.name_label.text()
    assert substitute_name and substitute_name != gone_name
    assert saved_picks(db, projector.record_id)[0][0] == substitute_name
    qtbot.waitUntil(lambda: page.history_view.status_of(first) == "部分替代")


def test_too_few_inspectors_is_shown_in_red_and_the_draw_cannot_start(qtbot, db, no_modal_dialogs):
    from ui.draw.prepare_view import PrepareView

    build_world(db, inspectors=1)
    runner = TaskRunner()
    view = PrepareView(AppContext(db=db, runner=runner))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.prepared, timeout=10000):
        pass
    assert "仅 1 人" in view.problems_label.text()
    assert not view.next_button.isEnabled()
    assert view.export_button.isEnabled()  # the list may still be printed
    runner.wait()


def test_the_candidate_list_is_exported_before_anything_random(qtbot, page, db, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    prep = wait_prepared(qtbot, page)
    target = tmp_path / "名单.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel 工作簿 (*.xlsx)"))
    page.prepare_view.export_candidates()
    qtbot.waitUntil(target.exists, timeout=10000)
    page.ctx.runner.wait()
    values = [c for row in load_workbook(target).active.iter_rows(values_only=True) for c in row if c]
    assert prep.fingerprint in values
    assert "春城00号宾馆" in values
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(DrawRecord)) == 0


def test_the_hidden_list_is_prepared_again_only_when_it_is_shown(qtbot, page, db):
    # While the projector spins the prepare step is hidden; re-preparing 100,000 objects then would stutter the names.
    wait_prepared(qtbot, page)
    pv = page.prepare_view
    qtbot.mouseClick(pv.next_button, Qt.MouseButton.LeftButton)
    assert not pv.isVisible()
    calls = []
    pv.schedule = lambda: calls.append("prepare")  # instance attribute: reload() looks it up here
    page.ctx.notify("roster")
    assert calls == []
    page.steps.setCurrentIndex(0)
    assert calls == ["prepare"]
    page.ctx.notify("roster")  # visible: at once
    assert calls == ["prepare", "prepare"]


def test_the_ticked_responsible_unit_is_in_sight_and_named_under_the_list(qtbot, page, db):
    """The unit list is short; the ticked unit opens on top and is named under it, wherever the list is scrolled."""
    prep = wait_prepared(qtbot, page)
    pv = page.prepare_view
    units = pv.responsible_list
    ticked = [units.item(i).text() for i in range(units.count())
              if units.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == prep.responsible_units and ticked
    assert [units.item(i).text() for i in range(len(ticked))] == ticked   # first rows, in view
    assert pv.responsible_ticked.text() == "已选：" + "、".join(ticked) and pv.responsible_ticked.isVisible()
    assert pv.partner_ticked.text().startswith("已选：")

    # The clerk ticks one more: it stays where it was clicked, and the line under the list names both.
    row = units.count() - 1
    extra = units.item(row).text()
    units.item(row).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: extra in pv.responsible_ticked.text(), timeout=10000)
    assert units.item(units.count() - 1).text() == extra
    assert all(u in pv.responsible_ticked.text() for u in ticked)


def test_sealing_over_an_open_announcement_voids_it_with_the_clerks_reason_and_the_history_keeps_it(
        qtbot, page, db, monkeypatch):
    import ui.draw.history_view as hv
    from models.seal_service import seal

    prep = wait_prepared(qtbot, page)
    old = seal(db, prep, entropy_source="上周封存、见证人未能到场", operator="张录入")  # sealed earlier, never drawn
    qtbot.mouseClick(page.prepare_view.next_button, Qt.MouseButton.LeftButton)
    asked = []
    # The clerk first keeps the old announcement: nothing new is sealed.
    monkeypatch.setattr(hv, "ask_void_reason", lambda parent, label: asked.append(label) or None)
    ev = page.entropy_view
    ev.source_edit.setText("见证人在局三楼会议室现场报数并掷骰子")
    qtbot.mouseClick(ev.seal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: asked == [old.label], timeout=10000)
    assert ev.sealed is None and old.label in ev.status_label.text()
    # Then voids it with a reason: the new announcement is sealed in the same step.
    monkeypatch.setattr(hv, "ask_void_reason", lambda parent, label: "见证人改期")
    qtbot.mouseClick(ev.seal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ev.sealed is not None, timeout=10000)
    assert ev.sealed.number == old.number + 1
    history = page.history_view
    history.refresh()
    assert history.announcement_status(old.label) == ("作废", "见证人改期")
    assert history.announcement_status(ev.sealed.label) == ("待抽取", "")
    assert "作废 1 份" in history.announcements_label.text()
