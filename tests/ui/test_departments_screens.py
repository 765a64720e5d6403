"""Screen stories for partner departments: 咸宁's clerk links 市邮政管理部门 from the plans page, and on the
draw screen a 部门联合 item without postal officers is refused until a reason is typed; 寄递 shows 全部 N 户."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models.departments import match_department
from tests.models.departments_world import POSTAL_UNIT, YEAR, build_xianning, import_seed_000
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.tasks import TaskRunner


@pytest.fixture
def ctx(db):
    runner = TaskRunner()
    yield AppContext(db=db, runner=runner, user="李文书")
    runner.wait()


def test_clerk_links_the_postal_wording_from_the_plans_page(qtbot, db, ctx, data_dir, no_modal_dialogs):
    from ui.plans.page import PlanPage

    build_xianning(db)
    import_seed_000(db, data_dir)
    page = PlanPage(ctx)
    qtbot.addWidget(page)
    page.select_year(YEAR)
    dialog = page.open_departments()
    qtbot.addWidget(dialog)
    texts = [dialog.unmatched.item(i).text() for i in range(dialog.unmatched.count())]
    assert "市邮政管理部门　（事项 12）" in texts
    save_screenshot(dialog, "departments_dialog_before.png")

    row = texts.index("市邮政管理部门　（事项 12）")
    dialog.unmatched.setCurrentRow(row)
    assert dialog.wording_combo.currentText() == "市邮政管理部门"
    dialog.unit_combo.setCurrentText(POSTAL_UNIT)
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    assert "已关联：“市邮政管理部门”即“咸宁市邮政局”" in dialog.result_label.text()
    left = [dialog.unmatched.item(i).text() for i in range(dialog.unmatched.count())]
    assert "市邮政管理部门　（事项 12）" not in left
    aliases = {dialog.table.item(r, 0).text(): dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())}
    assert aliases[POSTAL_UNIT] == "市邮政管理部门"
    with db.session() as s:
        assert match_department(s, "市邮政管理部门") == POSTAL_UNIT

    # a wording that is another department's name is refused with the field named, nothing saved
    dialog.wording_combo.setCurrentText("治安支队")
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    assert any("“名称”：“治安支队”是另一个部门的名称" in text for _kind, text in no_modal_dialogs)
    save_screenshot(dialog, "departments_dialog_after.png")


def test_draw_screen_refuses_police_only_joint_item_until_a_reason(qtbot, db, ctx, data_dir, no_modal_dialogs):
    from ui.draw.prepare_view import PrepareView

    build_xianning(db, postal=0)
    import_seed_000(db, data_dir)
    view = PrepareView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.year_combo.set_years([YEAR], prefer=YEAR)
    view.item_combo.setCurrentIndex(view.item_combo.findData("12"))
    qtbot.waitUntil(lambda: view.prep is not None and view.prep.item_number == "12", timeout=10000)
    assert "不能抽取：部门联合抽查不能只由公安人员进行" in view.problems_label.text()
    assert not view.next_button.isEnabled()

    view.partner_gap_edit.setText("邮政管理局本月无人可派")
    view.partner_gap_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: view.next_button.isEnabled(), timeout=10000)
    assert view.prep.partner_gap_reason == "邮政管理局本月无人可派"
    assert "已记录原因：邮政管理局本月无人可派" in view.notes_label.text()
    assert "全部 5 户" in view.counts_label.text() and "全覆盖" in view.notes_label.text()
    save_screenshot(view, "draw_partner_gap_reason.png")


def test_result_screen_shows_an_even_load_for_the_blasting_round(qtbot, db, ctx, data_dir):
    from models.draw_prepare import prepare_draw
    from tests.models.draw_fixtures import sealed_draw
    from ui.draw.result_view import RecordPanel

    build_xianning(db, blasting=7, police=6)
    import_seed_000(db, data_dir)
    with db.session() as s:
        saved = sealed_draw(db, prepare_draw(s, YEAR, "5"))
    view = RecordPanel(ctx)
    qtbot.addWidget(view)
    view.show_record(saved.id, saved.record, "有效")
    assert "可抽 7 户，抽取 7 户　检查人员负担：6 人，每人 2～3 户（均衡）" in view.counts_label.text()
