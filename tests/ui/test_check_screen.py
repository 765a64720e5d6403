"""Screen story: a 派出所 clerk registers a complaint check on the 检查记录 tab, finds a hazard, makes its notice."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.inspection import Inspection
from tests.helpers import docx_text
from tests.models.draw_fixtures import code
from tests.models.inspection_fixtures import drawn_world
from tests.ui.screenshots import save_screenshot
from tests.ui.test_inspections_page import office_size
from ui import print_util
from ui.context import AppContext
from ui.inspections.check_dialog import CheckDialog
from ui.inspections.inspection_dialog import to_qdate
from ui.inspections.notice_dialog import IssueNoticeDialog
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs, monkeypatch):
    world = drawn_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="城关派出所内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.world = world
    widget.opened = []
    monkeypatch.setattr(print_util, "open_file", lambda path, parent=None: widget.opened.append(Path(path)) or True)
    monkeypatch.setattr(print_util, "open_folder", lambda path, parent=None: True)
    yield widget
    ctx.runner.wait()


def _undrawn(world) -> int:
    drawn = {p.object_id for p in world["picks"]}
    return next(n for n in range(41) if world["hotel_ids"][n] not in drawn)


def test_a_complaint_check_on_screen_finds_a_hazard_and_the_notice_follows(qtbot, page, db, no_modal_dialogs):
    n = _undrawn(page.world)
    dialog = CheckDialog(page.ctx, page.records)
    qtbot.addWidget(dialog)
    assert not dialog.ref.isVisibleTo(dialog) and not dialog.source_date.isVisibleTo(dialog)
    dialog.search.setText(code(n))
    dialog.search.flush()
    assert dialog.matches.count() == 1 and dialog.form.credit_code == code(n)
    dialog.source.setCurrentText("举报投诉")
    assert dialog.ref.isVisibleTo(dialog) and dialog.ref_label.text() == "举报投诉编号（必填）"
    assert dialog.reply_due.isVisibleTo(dialog)
    dialog.source_date.setDate(to_qdate(date(2024, 5, 20)))
    assert dialog.reply_due.date() == to_qdate(date(2024, 6, 11))   # 15 working days, 端午 skipped
    dialog.date_from.setDate(to_qdate(date(2024, 5, 21)))
    dialog.date_to.setDate(to_qdate(date(2024, 5, 21)))
    dialog.item.setCurrentIndex(dialog.item.findData(page.world["item_id"]))
    assert dialog.checks.rowCount() == 3 and not dialog.no_checklist.isVisibleTo(dialog)
    for row, verdict in enumerate(("符合", "符合", "不符合")):
        dialog.checks.cellWidget(row, 1).setCurrentText(verdict)
    dialog.add_hazard("消防通道堆放杂物", "《中华人民共和国消防法》第二十八条")
    dialog.inspectors.item(0).setCheckState(dialog.inspectors.item(0).checkState().Checked)

    # One officer, no reference: refused with the field named, the form stays open.
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "请填写举报投诉编号" in no_modal_dialogs[-1][1]
    dialog.ref.setText("城关举〔2024〕12号")
    dialog.save()
    assert "检查民警不得少于两人" in no_modal_dialogs[-1][1]
    dialog.inspectors.item(1).setCheckState(dialog.inspectors.item(1).checkState().Checked)
    office_size(dialog)
    save_screenshot(dialog, "check_dialog.png")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, no_modal_dialogs
    with db.session() as s:
        insp = s.get(Inspection, dialog.saved_id)
        assert insp.pick_id is None and insp.source == "举报投诉" and insp.source_ref == "城关举〔2024〕12号"
        assert insp.reply_due == date(2024, 6, 11) and len(insp.hazards) == 1
        name = insp.inspected_object.name

    # The records list shows it with its 来源, filtered by source, and the notice button works as for a drawn one.
    records = page.records
    page.tabs.setCurrentWidget(records)
    records.refresh()
    records.year.setCurrentIndex(records.year.findData(2024))
    assert records.table.row_count() == 4
    records.source.setCurrentText("举报投诉")
    rows = records.table.rows()
    assert [(r.source, r.object_name, r.draw_id) for r in rows] == [("举报投诉", name, None)]
    records.table.select_id(rows[0].key)
    assert records.notice_button.isEnabled()
    save_screenshot(page, "records_with_sources.png")
    records.source.setCurrentText("双随机抽查")
    assert records.table.row_count() == 3 and {r.source for r in records.table.rows()} == {"双随机抽查"}

    notice = IssueNoticeDialog(page.ctx, dialog.saved_id, page)
    qtbot.addWidget(notice)
    notice.issue_date.setDate(to_qdate(date(2024, 5, 22)))
    notice.deadline.setDate(to_qdate(date(2024, 6, 21)))
    notice.accept()
    assert notice.result_notice is not None, no_modal_dialogs
    text = docx_text(notice.result_notice.path)
    assert name in text and "消防通道堆放杂物" in text and "于2024年6月21日前整改完毕" in text

    # Reopening the record edits the same check.
    again = CheckDialog(page.ctx, records, inspection_id=dialog.saved_id)
    qtbot.addWidget(again)
    assert again.source.currentText() == "举报投诉" and again.ref.text() == "城关举〔2024〕12号"
    assert again.checks.rowCount() == 3 and again.hazards.rowCount() == 1


def test_the_todo_opens_a_drawn_object_whose_window_is_closing(qtbot, page, db):
    from models.plan import PlanItem
    from ui.inspections import todo_view

    with db.session() as s:
        s.get(PlanItem, page.world["item_id"]).month_to = 12
    page.records.year.setCurrentIndex(page.records.year.findData(2024))
    with db.session() as s:
        entries = [e for e in todo_view.todo_list(s, date(2024, 12, 20)) if e.pick_id]
    assert len(entries) == 3 and all(e.kind == "抽中待检查" for e in entries)
    page.todo._open(entries[1])
    assert page.tabs.currentWidget() is page.records
    assert page.records.table.selected_row().pick_id == entries[1].pick_id
