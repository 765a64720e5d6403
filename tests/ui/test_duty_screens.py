"""Stories on the 巡查任务 and 巡查覆盖 tabs of 检查与整改: the bureau declares its routine duties from the seed's
sentences, a 派出所 clerk records the monthly hotel round, and the coverage shows the rest due and last month's
misses in red."""
from __future__ import annotations

from datetime import date

import pytest

from models.duties import list_duties
from models.duty_coverage import DONE, DUE, OVERDUE
from models.inspection import Inspection
from tests.models.duty_fixtures import duty_world, round_check
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.inspections.check_dialog import CheckDialog
from ui.inspections.coverage_view import RED
from ui.inspections.duty_dialog import DutyDialog
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    world = duty_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(*fit.OFFICE_SCREEN)
    widget.show()
    widget.world = world
    yield widget
    ctx.runner.wait()


def declare(qtbot, page, sentence: str) -> DutyDialog:
    dialog = DutyDialog(page.ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.sentence.setText(sentence)
    dialog.read_button.click()
    return dialog


def test_the_bureau_declares_its_duties_by_pasting_the_seed(qtbot, page, db):
    page.tabs.setCurrentWidget(page.duties)
    dialog = declare(qtbot, page, "其中旅馆业要求每月对辖区所有旅馆进行1次监督检查，印章、典当业每季度不少于1次；")
    assert "原文包含 3 项任务，确定后全部新增：旅馆 每月1次；公章刻制 每季度1次；典当行 每季度1次" in dialog.note.text()
    assert not dialog.type_name.isEnabled() and dialog.ok_button.isEnabled()
    dialog.show()
    save_screenshot(dialog, "duty_dialog.png")
    assert fit.problems(dialog) == []
    dialog.save()
    assert dialog.result() == DutyDialog.DialogCode.Accepted
    page.duties.refresh()
    assert [(r.type_name, r.rule, r.unit_label) for r in page.duties.table.rows()] == [
        ("旅馆", "每月1次，全部对象", "辖区派出所"), ("公章刻制", "每季度1次，全部对象", "辖区派出所"),
        ("典当行", "每季度1次，全部对象", "辖区派出所")]
    save_screenshot(page, "duties_tab.png")

    # What the sentence does not say is named; a second monthly hotel duty is refused in the error line.
    dialog = declare(qtbot, page, "对举报投诉的随报随查")
    assert "没有可识别的检查频次" in dialog.note.text()
    dialog = declare(qtbot, page, "旅馆业要求每月对辖区所有旅馆进行1次监督检查")
    assert dialog.note.text() == "已识别：旅馆 每月1次" and dialog.type_name.currentText() == "旅馆"
    dialog.save()
    assert dialog.error.isVisibleTo(dialog) and "已有同样的日常巡查任务" in dialog.error.text()

    # The pawnshop duty becomes twice a quarter; the seal duty is switched off.
    pawn = page.duties.table.rows()[2]
    dialog = DutyDialog(page.ctx, pawn.id, page)
    qtbot.addWidget(dialog)
    dialog.times.setValue(2)
    dialog.save()
    page.duties.refresh()
    page.duties.table.select_id(page.duties.table.rows()[1].id)
    assert page.duties.toggle_button.text() == "停用"
    page.duties.toggle_selected()
    with db.session() as s:
        assert [(d.type_name, d.times) for d in list_duties(s)] == [("旅馆", 1), ("典当行", 2)]


def test_a_table_with_one_bad_row_imports_nothing(qtbot, page, db, tmp_path, no_modal_dialogs):
    path = tmp_path / "巡查任务.tsv"
    path.write_text("对象类型\t频次\n旅馆\t每月\n典当行\t每周\n", encoding="utf-8")
    page.duties.import_file(path)
    page.ctx.runner.wait()
    qtbot.waitUntil(lambda: bool(no_modal_dialogs), timeout=5000)
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning" and "整个文件未导入" in text and "第 3 行，“频次”列：频次“每周”无法识别" in text
    with db.session() as s:
        assert list_duties(s, include_inactive=True) == []


def _last_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def test_a_clerk_records_the_monthly_hotel_round_and_the_coverage_shows_the_rest_due(qtbot, page, db, monkeypatch,
                                                                                     no_modal_dialogs):
    dialog = declare(qtbot, page, "旅馆业要求每月对辖区所有旅馆进行1次监督检查")
    dialog.save()
    duty_id = dialog.duty_id
    today = date.today()
    ids = page.world["objects"]
    # 城关派出所's clerk goes round two of its three hotels today; nobody went anywhere last month.
    round_check(db, ids["平安宾馆"], today, duty_id=duty_id, officers=page.world["officers"])
    round_check(db, ids["如家酒店城关店"], today, officers=page.world["officers"])
    page.refresh()
    view = page.coverage
    page.tabs.setCurrentWidget(view)
    rows = {r.group: r for r in view.groups.rows()}
    assert [(g, r.total, r.done, r.due, r.overdue) for g, r in sorted(rows.items())] == [
        ("南麻派出所", 2, 0, 2, 0), ("城关派出所", 3, 2, 1, 0)]
    assert "任务 1 项，应查 5，已查 2，待查 3，逾期 0" in view.summary.text()
    view.groups.select_id((duty_id, "城关派出所"))
    assert [(o.name, o.state) for o in view.objects.rows()] == [
        ("迎宾旅社", DUE), ("如家酒店城关店", DONE), ("平安宾馆", DONE)]
    assert "旅馆 每月1次，城关派出所" in view.objects_box.title()
    save_screenshot(page, "coverage_tab.png")
    assert fit.problems(page) == []

    # A double-click on the hotel still due opens 登记检查 on it as a 日常巡查; saved, the 辖区 is done.
    def fill_and_save(dialog):
        assert dialog.form.object_name == "迎宾旅社" and dialog.source.currentText() == "日常巡查"
        for row in (0, 1):
            dialog.inspectors.item(row).setCheckState(dialog.inspectors.item(row).checkState().Checked)
        dialog.category.setCurrentText("未发现问题")
        save_screenshot(dialog, "coverage_check_dialog.png")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(CheckDialog, "exec", fill_and_save)
    view.objects.row_activated.emit(view.objects.rows()[0])
    assert view.check_dialog.result() == CheckDialog.DialogCode.Accepted, no_modal_dialogs
    row = next(r for r in view.groups.rows() if r.group == "城关派出所")
    assert (row.done, row.due) == (3, 0)
    with db.session() as s:
        insp = s.get(Inspection, view.check_dialog.saved_id)
        assert (insp.source, insp.pick_id, insp.date_to) == ("日常巡查", None, today)

    # Last month: every hotel overdue, shown in red; one 辖区 at a time.
    year, month = _last_month(today)
    view.year.setCurrentIndex(view.year.findData(year))
    view.month.setCurrentIndex(view.month.findData(month))
    view.jurisdiction.set_value("城关派出所")
    (row,) = view.groups.rows()
    assert (row.group, row.done, row.due, row.overdue) == ("城关派出所", 0, 0, 3)
    model = view.groups.table_model
    from PySide6.QtCore import Qt
    assert model.data(model.index(0, 8), Qt.ItemDataRole.ForegroundRole).color().name() == RED
    view.groups.selectRow(0)
    assert {o.state for o in view.objects.rows()} == {OVERDUE}
    save_screenshot(page, "coverage_tab_overdue.png")


def test_a_round_falling_due_on_the_to_do_list_opens_its_coverage(qtbot, page, db):
    from models.todo import todo_list

    dialog = declare(qtbot, page, "旅馆业要求每月对辖区所有旅馆进行1次监督检查")
    dialog.save()
    today = date.today()
    with db.session() as s:   # on the 25th this month's round ends within the week
        entries = [e for e in todo_list(s, date(today.year, today.month, 25)) if e.duty_id]
    assert {e.unit_name for e in entries} == {"城关派出所", "南麻派出所"}
    page.todo.table.set_rows(entries, keep_id=False)
    page.todo.table.row_activated.emit(entries[0])
    assert page.tabs.currentWidget() is page.coverage
    row = page.coverage.groups.selected_row()
    assert row.key == (dialog.duty_id, entries[0].unit_name) and row.due == row.total
