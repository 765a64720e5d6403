"""Stories on the 通知书 tab after a failed 复查: 后续处理… records the next step, 补录/办结… closes it,
the detail shows each step and its state, and the to-do list follows."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.enforcement import step_rows
from models.inspection import RectificationNotice
from models.notice_service import record_served
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from tests.ui.screenshots import save_screenshot
from ui import print_util
from ui.context import AppContext
from ui.inspections.enforcement_dialog import CompleteStepDialog, EnforcementDialog
from ui.inspections.inspection_dialog import to_qdate
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner
from usecases.notice_issue import issue_notice, record_reinspection


@pytest.fixture
def opened(monkeypatch):
    files: list[Path] = []
    monkeypatch.setattr(print_util, "open_file", lambda path, parent=None: files.append(Path(path)) or True)
    return files


@pytest.fixture
def page(qtbot, db, tmp_path, no_modal_dialogs, monkeypatch):
    """The 检查与整改 page with one notice whose 复查 on 2024-06-10 found the hazards still there."""
    import usecases.enforcement as enforcement
    import usecases.notice_issue as notice_issue

    for module in (enforcement, notice_issue):  # the documents go to tmp_path, not the clerk's data folder
        monkeypatch.setattr(module, "default_out_dir", lambda kind, year: tmp_path / kind / str(year))
    world = drawn_world(db)
    n = issue_notice(db, record(db, world["picks"][0].pick_id, hazards=HAZARDS), deadline=date(2024, 6, 6),
                     issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path)
    record_served(db, n.notice_id, date(2024, 5, 8), "内勤")
    record_reinspection(db, n.notice_id, date(2024, 6, 10), "未整改", "监控仍只保存7日", "内勤", out_dir=tmp_path)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.notice_id = n.notice_id
    widget.world = world
    widget.refresh()
    widget.notices.select_notice(n.notice_id)
    yield widget
    ctx.runner.wait()


def test_clerk_opens_a_case_then_enters_its_number_and_the_to_do_line_goes(qtbot, page, db, monkeypatch,
                                                                            no_modal_dialogs):
    view = page.notices
    assert view.buttons["enforce"].isEnabled() and not view.buttons["enforce_done"].isEnabled()
    assert "复查未整改，待处理" in view.detail.toPlainText()
    dialog = EnforcementDialog(page.ctx, page.notice_id, view)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("立案查处")
    assert dialog.form.labelForField(dialog.reference).text() == "案件编号"
    assert not dialog.form.isRowVisible(dialog.department) and not dialog.form.isRowVisible(dialog.deadline)
    dialog.date.setDate(to_qdate(date(2024, 6, 20)))
    dialog.show()
    save_screenshot(dialog, "enforcement_case.png")
    dialog.accept()
    assert dialog.result is not None and not dialog.result.done, no_modal_dialogs
    view.refresh()
    view.select_notice(page.notice_id)
    assert view.buttons["enforce_done"].isEnabled()
    assert "立案查处：待补录案件编号" in view.detail.toPlainText()
    page.tabs.setCurrentWidget(view)
    save_screenshot(page, "enforcement_notices_tab.png")
    page.todo.refresh()
    assert [e.label for e in page.todo.table.rows() if e.notice_id == page.notice_id] == [
        "立案查处：待补录案件编号（2024年6月10日复查未整改）"]

    done = CompleteStepDialog(page.ctx, page.notice_id, view)
    qtbot.addWidget(done)
    done.reference.setText("鹿公(治)立字〔2024〕118号")
    done.date.setDate(to_qdate(date(2024, 6, 21)))
    done.accept()
    assert done.result is not None and done.result.done, no_modal_dialogs
    with db.session() as s:
        [row] = step_rows(s, page.notice_id)
        assert row.reference == "鹿公(治)立字〔2024〕118号" and not row.open
    view.refresh()
    view.select_notice(page.notice_id)
    assert "已办结：案件编号 鹿公(治)立字〔2024〕118号" in view.detail.toPlainText()
    assert not view.buttons["enforce_done"].isEnabled()


def test_clerk_writes_the_letter_to_the_fire_brigade_and_reopens_it(qtbot, page, db, opened, no_modal_dialogs):
    view = page.notices
    dialog = EnforcementDialog(page.ctx, page.notice_id, view)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("通报抄告")
    assert dialog.form.isRowVisible(dialog.department) and not dialog.form.isRowVisible(dialog.reference)
    dialog.department.setCurrentText("鹿泉区消防救援大队")
    dialog.date.setDate(to_qdate(date(2024, 6, 20)))
    dialog.show()
    save_screenshot(dialog, "enforcement_letter.png")
    dialog.accept()
    assert dialog.result is not None and dialog.result.path.is_file(), no_modal_dialogs
    text = docx_text(dialog.result.path)
    assert "鹿泉区消防救援大队：" in text and "X公(治)限改字〔2024〕第001号" in text
    view.refresh()
    view.select_notice(page.notice_id)
    assert view.buttons["open_letter"].isEnabled()
    view.open_letter()
    assert opened[-1] == dialog.result.path


def test_reorder_from_the_screen_adds_the_new_notice_to_the_list(qtbot, page, db, no_modal_dialogs):
    view = page.notices
    dialog = EnforcementDialog(page.ctx, page.notice_id, view)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("再次责令限期整改")
    assert dialog.form.isRowVisible(dialog.deadline)
    dialog.date.setDate(to_qdate(date(2024, 6, 20)))
    dialog.deadline.setDate(to_qdate(date(2024, 7, 5)))
    dialog.accept()
    assert dialog.result is not None and dialog.result.doc_number.endswith("第002号"), no_modal_dialogs
    with db.session() as s:
        assert s.get(RectificationNotice, dialog.result.new_notice_id).deadline == date(2024, 7, 5)
    view.refresh()
    assert [r.doc_number for r in view.table.rows()][:2] == ["X公(治)限改字〔2024〕第002号",
                                                            "X公(治)限改字〔2024〕第001号"]
