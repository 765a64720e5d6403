"""Stories on the 检查与整改 page: record an inspection with two hazards, make the notice, follow the to-do list."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from models.inspection import Inspection, RectificationNotice
from usecases.notice_issue import issue_notice
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from ui import print_util
from ui.context import AppContext
from ui.inspections.inspection_dialog import PREFERRED, InspectionDialog, to_qdate
from ui.inspections.notice_dialog import IssueNoticeDialog
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner
from tests.ui import fit
from tests.ui.screenshots import save_screenshot



@pytest.fixture
def opened(monkeypatch):
    files: list[Path] = []
    monkeypatch.setattr(print_util, "open_file", lambda path, parent=None: files.append(Path(path)) or True)
    monkeypatch.setattr(print_util, "open_folder", lambda path, parent=None: True)
    return files


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    world = drawn_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.world = world
    yield widget
    ctx.runner.wait()


def shoot(widget, name: str) -> None:
    save_screenshot(widget, name)


def office_size(dialog) -> None:
    """Show *dialog* as on a 1366×768 office PC (offscreen the screen is 800×800) and assert nothing is cut off."""
    hint = dialog.sizeHint()
    dialog.resize(min(max(hint.width(), dialog.width(), PREFERRED[0]), fit.OFFICE_SCREEN[0]),
                  min(max(hint.height(), dialog.height()), fit.OFFICE_SCREEN[1]))
    dialog.show()
    minimum = dialog.minimumSizeHint()
    assert minimum.width() <= fit.OFFICE_SCREEN[0] and minimum.height() <= fit.OFFICE_SCREEN[1]
    assert fit.problems(dialog) == []


def test_clerk_records_two_hazards_and_prints_the_notice(qtbot, page, db, opened, no_modal_dialogs):
    page.tabs.setCurrentWidget(page.records)
    page.records.year.setCurrentIndex(page.records.year.findData(2024))
    assert page.records.table.row_count() == 3
    pick = page.world["picks"][0]
    page.records.table.select_id(pick.pick_id)
    assert not page.records.notice_button.isEnabled()

    dialog = InspectionDialog(page.ctx, pick.pick_id, page)
    qtbot.addWidget(dialog)
    dialog.date_from.setDate(to_qdate(date(2024, 5, 6)))
    dialog.date_to.setDate(to_qdate(date(2024, 5, 6)))
    for text, clause in HAZARDS:
        dialog.add_hazard(text, clause)
    for row, verdict in enumerate(("符合", "不符合", "符合")):
        dialog.checks.cellWidget(row, 1).setCurrentText(verdict)
    dialog.signed_refused.setChecked(True)
    assert dialog.category.currentText() == "发现问题待后续处理"
    office_size(dialog)
    shoot(dialog, "inspection_dialog.png")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted and no_modal_dialogs == []
    with db.session() as s:
        insp = s.get(Inspection, dialog.saved_id)
        assert [h.text for h in insp.hazards] == [t for t, _c in HAZARDS] and insp.signed_refused

    page.records.table.select_id(pick.pick_id)
    assert page.records.notice_button.isEnabled()
    notice = IssueNoticeDialog(page.ctx, dialog.saved_id, page)
    qtbot.addWidget(notice)
    notice.issue_date.setDate(to_qdate(date(2024, 5, 7)))
    notice.deadline.setDate(to_qdate(date(2024, 6, 6)))
    notice.accept()
    assert notice.result_notice is not None, no_modal_dialogs
    assert opened == [notice.result_notice.path]  # the clerk said yes to 打开/打印
    text = docx_text(opened[0])
    assert pick.object_name in text and "X公(治)限改字〔2024〕第001号" in text
    assert all(t in text for t, _c in HAZARDS) and "于2024年6月6日前整改完毕" in text and "送达回执" in text

    # The todo list now shows the notice as late for serving, in red; double-click opens it.
    page.tabs.setCurrentWidget(page.todo)
    rows = page.todo.table.rows()
    assert [r.kind for r in rows] == ["送达逾期"]
    brush = page.todo.table.model().data(page.todo.table.model().index(0, 0), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == "#c62828"
    shoot(page, "todo.png")
    page.todo.table.row_activated.emit(rows[0])
    assert page.tabs.currentWidget() is page.notices
    assert page.notices.table.selected_row().doc_number == "X公(治)限改字〔2024〕第001号"
    assert "送达逾期" in page.notices.detail.toPlainText()
    shoot(page, "notices.png")
    page.notices.open_selected()
    assert len(opened) == 2


def test_a_bad_inspection_is_refused_with_the_reason(qtbot, page, db, no_modal_dialogs):
    pick = page.world["picks"][1]
    dialog = InspectionDialog(page.ctx, pick.pick_id, page)
    qtbot.addWidget(dialog)
    for i in range(dialog.inspectors.count()):
        dialog.inspectors.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.save()
    assert no_modal_dialogs and "不得少于两人" in no_modal_dialogs[-1][1]
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_batch_makes_every_pending_notice_in_the_background(qtbot, page, db, tmp_path, monkeypatch,
                                                            no_modal_dialogs, opened):
    for p in page.world["picks"][:2]:
        record(db, p.pick_id, hazards=HAZARDS)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "batch"))
    page.refresh()
    page.tabs.setCurrentWidget(page.notices)
    page.notices.batch()
    qtbot.waitUntil(lambda: any("已制作 2 份通知书" in text for _k, text in no_modal_dialogs), timeout=20000)
    assert len(list((tmp_path / "batch").glob("*.docx"))) == 2
    assert page.notices.table.row_count() == 2


def test_holidays_tab_enters_a_year_the_package_does_not_know(qtbot, page, db, no_modal_dialogs):
    view = page.holidays
    view.year.setValue(2099)
    assert "尚未录入" in view.status.text()
    view.day.setDate(to_qdate(date(2099, 1, 1)))
    view.name.setText("元旦")
    view.add()
    assert [r.kind for r in view.table.rows()] == ["放假"]
    assert "手工录入" in view.status.text()
    page.tabs.setCurrentWidget(view)
    shoot(page, "holidays.png")


def test_follow_up_buttons_serve_and_void(qtbot, page, db, tmp_path, monkeypatch, no_modal_dialogs):
    from PySide6.QtWidgets import QInputDialog
    from ui.inspections.notice_dialog import DateStepDialog

    iid = record(db, page.world["picks"][0].pick_id, hazards=HAZARDS)
    n = issue_notice(db, iid, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path)
    page.refresh()
    page.notices.select_notice(n.notice_id)
    monkeypatch.setattr(DateStepDialog, "exec", lambda self: (self.date.setDate(to_qdate(date(2024, 5, 8))),
                                                              self.DialogCode.Accepted)[1])
    page.notices.serve()
    with db.session() as s:
        assert s.get(RectificationNotice, n.notice_id).served_date == date(2024, 5, 8)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("打印错误", True))
    page.notices.select_notice(n.notice_id)
    page.notices.void()
    with db.session() as s:
        assert s.get(RectificationNotice, n.notice_id).voided
    assert "已作废" in page.notices.table.rows()[0][6]


def test_clerk_sets_the_traffic_rule_in_the_notice_dialog_and_it_governs_the_extension(
        qtbot, page, db, tmp_path, monkeypatch, opened, no_modal_dialogs):
    from models.deadlines import TRAFFIC_RECTIFY_RULE
    from models.notice_service import extend_deadline, plan_item_of, record_served, rectify_rule_for

    iid = record(db, page.world["picks"][0].pick_id, hazards=HAZARDS)
    dialog = IssueNoticeDialog(page.ctx, iid, page)
    qtbot.addWidget(dialog)
    assert dialog.rule.currentText().startswith("一般") and dialog.rule.isEnabled()
    dialog.issue_date.setDate(to_qdate(date(2024, 5, 7)))
    dialog.rule.setCurrentIndex(dialog.rule.findText("交通安全（15日，可延长一次至30日）"))
    # The suggestion follows the rule: 15 days from issue, and the hint says the item's rule will change.
    assert dialog.deadline.date() == to_qdate(date(2024, 5, 22))
    assert "2024年5月22日" in dialog.rule_hint.text() and "设为本事项的整改期限规则" in dialog.rule_hint.text()
    dialog.resize(720, 420)
    shoot(dialog, "audit5_notice_rule.png")
    dialog.deadline.setDate(to_qdate(date(2024, 6, 6)))  # a month: too long under the traffic rule
    dialog.accept()
    assert dialog.result_notice is None and "不得超过15日" in no_modal_dialogs[-1][1]
    dialog.deadline.setDate(to_qdate(date(2024, 5, 22)))
    dialog.accept()
    assert dialog.result_notice is not None
    with db.session() as s:
        item = plan_item_of(s, s.get(Inspection, iid))
        assert rectify_rule_for(s, item.id) == TRAFFIC_RECTIFY_RULE
    # The rule stays with the item: the next dialog opens on it, and the extension to 30 days is allowed once.
    again = IssueNoticeDialog(page.ctx, iid, page)
    qtbot.addWidget(again)
    assert again.rule.currentText().startswith("交通安全")
    nid = dialog.result_notice.notice_id
    record_served(db, nid, date(2024, 5, 8), "内勤")
    extend_deadline(db, nid, date(2024, 6, 7), "单位书面申请", "内勤")


def test_the_review_opinion_can_be_opened_again_from_the_notice(qtbot, page, db, tmp_path, opened):
    from models.notice_service import record_served
    from usecases.notice_issue import record_reinspection

    iid = record(db, page.world["picks"][0].pick_id, hazards=HAZARDS)
    n = issue_notice(db, iid, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path)
    page.refresh()
    page.notices.select_notice(n.notice_id)
    assert not page.notices.buttons["open_review"].isEnabled()
    record_served(db, n.notice_id, date(2024, 5, 8), "内勤")
    review = record_reinspection(db, n.notice_id, date(2024, 6, 7), "已整改", "", "内勤", out_dir=tmp_path)
    page.refresh()
    page.notices.select_notice(n.notice_id)
    assert page.notices.buttons["open_review"].isEnabled()
    assert str(review.path) in page.notices.detail.toPlainText()
    page.notices.open_review()
    assert opened == [review.path]


def test_print_directly_sends_the_notice_file_to_the_printer(qtbot, page, db, tmp_path, monkeypatch,
                                                             no_modal_dialogs):
    printed = []
    monkeypatch.setattr(print_util, "print_file", lambda path, parent=None: printed.append(Path(path)) or True)
    iid = record(db, page.world["picks"][0].pick_id, hazards=HAZARDS)
    n = issue_notice(db, iid, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path)
    page.refresh()
    page.notices.select_notice(n.notice_id)
    page.notices.buttons["print"].click()
    assert printed == [n.path] and "默认打印机" in no_modal_dialogs[-1][1]
    n.path.unlink()  # moved away: printed again from a fresh copy under the same number
    page.notices.buttons["print"].click()
    assert printed[-1] == n.path and n.doc_number in docx_text(n.path)


def test_a_hurried_save_records_nothing_and_points_at_what_is_unset(qtbot, page, db, no_modal_dialogs):
    """A new inspection starts at 未填: 保存 at once is refused, and the clerk is taken to the first unset entry."""
    pick = page.world["picks"][1]
    dialog = InspectionDialog(page.ctx, pick.pick_id, page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.category.currentText() == "未填"
    assert [dialog.checks.cellWidget(r, 1).currentText() for r in range(dialog.checks.rowCount())] == ["未填"] * 3
    dialog.save()
    assert "检查结果未填" in no_modal_dialogs[-1][1] and dialog.focusWidget() is dialog.category

    dialog.category.setCurrentText("未发现问题")
    dialog.checks.cellWidget(0, 1).setCurrentText("符合")
    dialog.save()
    assert "检查内容第2项未填" in no_modal_dialogs[-1][1]
    assert dialog.focusWidget() is dialog.checks.cellWidget(1, 1)
    with db.session() as s:
        assert s.query(Inspection).count() == 0

    for row in (1, 2):
        dialog.checks.cellWidget(row, 1).setCurrentText("符合")
    dialog.save()
    with db.session() as s:
        assert s.get(Inspection, dialog.saved_id).result_category == "未发现问题"


def test_a_new_hazard_cites_no_law_until_the_clerk_picks_one_and_the_notice_shows_it_whole(
        qtbot, page, db, opened, no_modal_dialogs):
    """The fire-exit hazard is not printed with the hotel clause: the clause starts empty, with the item's offered."""
    pick = page.world["picks"][0]
    dialog = InspectionDialog(page.ctx, pick.pick_id, page)
    qtbot.addWidget(dialog)
    office_size(dialog)
    dialog.date_from.setDate(to_qdate(date(2024, 5, 6)))
    dialog.date_to.setDate(to_qdate(date(2024, 5, 6)))
    add = next(b for b in dialog.findChildren(QPushButton) if b.text() == "添加隐患")
    add.click()
    dialog.hazards.item(0, 0).setText("消防通道堆放杂物")
    clause = dialog.hazards.cellWidget(0, 1)
    assert clause.currentText() == "" and clause.isEditable()
    offered = [clause.itemText(i) for i in range(clause.count())]
    assert "《中华人民共和国消防法》第二十八条" in offered
    clause.setCurrentText("《中华人民共和国消防法》第二十八条")
    add.click()
    dialog.hazards.item(1, 0).setText("监控录像保存不足30日")
    dialog.hazards.cellWidget(1, 1).setCurrentText("《旅馆业治安管理办法》第六条")
    assert dialog.visible_hazard_rows() >= 5
    shoot(dialog, "inspection_dialog_clauses.png")
    for row in range(dialog.checks.rowCount()):
        dialog.checks.cellWidget(row, 1).setCurrentText("不符合" if row == 2 else "符合")
    dialog.save()
    assert dialog.saved_id and no_modal_dialogs == []
    with db.session() as s:
        stored = [(h.text, h.clause) for h in s.get(Inspection, dialog.saved_id).hazards]
    assert stored == [("消防通道堆放杂物", "《中华人民共和国消防法》第二十八条"),
                      ("监控录像保存不足30日", "《旅馆业治安管理办法》第六条")]

    notice = IssueNoticeDialog(page.ctx, dialog.saved_id, page)
    qtbot.addWidget(notice)
    office_size(notice)
    shown = [(notice.hazards.item(r, 0).text(), notice.hazards.item(r, 1).text())
             for r in range(notice.hazards.rowCount())]
    assert shown == [("1. 消防通道堆放杂物", "《中华人民共和国消防法》第二十八条"),
                     ("2. 监控录像保存不足30日", "《旅馆业治安管理办法》第六条")]
    long_basis = "《中华人民共和国消防法》第十六条、第二十八条，《企业事业单位内部治安保卫条例》第十三条、第十九条"
    notice.legal_basis.setPlainText(long_basis)
    qtbot.wait(10)
    # The whole text is in view: it wraps inside the box instead of scrolling to its last characters.
    assert notice.legal_basis.horizontalScrollBar().maximum() == 0
    assert notice.legal_basis.verticalScrollBar().maximum() == 0
    shoot(notice, "notice_dialog.png")
    notice.issue_date.setDate(to_qdate(date(2024, 5, 7)))
    notice.deadline.setDate(to_qdate(date(2024, 6, 6)))
    notice.accept()
    assert no_modal_dialogs[-1][0] == "question" and "已制作通知书" in no_modal_dialogs[-1][1]
    assert long_basis in docx_text(notice.result_notice.path)
