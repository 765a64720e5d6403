"""Stories on the 综合查一次 tab: the clerk sees the hotel three items drew, groups it, records the visit once in the
dialog, prints the record and exports the 联合检查汇总表 through the task runner, and cancels a task."""
from __future__ import annotations


import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from models import settings as app_settings
from models.inspection import Inspection
from models.joint import JointTask
from tests.helpers import docx_text
from tests.models.joint_fixtures import FOUND, HOTEL, VISIT, joint_world
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.inspections.inspection_dialog import to_qdate
from ui.inspections.joint_visit_dialog import JointVisitDialog
from ui.inspections.page import InspectionsPage
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, db, no_modal_dialogs):
    joint_world(db)
    with db.session() as s:
        app_settings.set(s, "bureau_name", "测试县公安局", "内勤")
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    widget = InspectionsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1340, 700)
    widget.tabs.setCurrentWidget(widget.joint)
    view = widget.joint
    view.year.setCurrentIndex(view.year.findData(2024))
    view.period.setCurrentIndex(view.period.findData("H1"))
    yield widget
    ctx.runner.wait()


def test_the_clerk_groups_the_hotel_and_records_the_visit_once(qtbot, page, db, tmp_path, monkeypatch,
                                                                no_modal_dialogs):
    view = page.joint
    page.show()
    assert view.proposals.row_count() == 1 and view.proposals.rows()[0].object_name == HOTEL
    assert "这 1 个单位2024年上半年被 2 个以上事项抽中" in view.proposal_label.text()
    assert view.tasks.row_count() == 0 and not view.visit_button.isEnabled()
    save_screenshot(page, "joint_proposals.png")
    view.create_button.click()
    assert "已生成 1 个联合检查任务" in no_modal_dialogs[-1][1]
    assert view.proposals.row_count() == 0 and view.tasks.row_count() == 1
    view.tasks.select_id(view.tasks.rows()[0].task_id)
    assert "联合检查组" in view.detail.text() and "配合部门" in view.detail.text()
    assert view.visit_button.isEnabled() and not view.notice_button.isEnabled()
    save_screenshot(page, "joint_tasks.png")

    task_id = view.tasks.rows()[0].task_id
    dialog = JointVisitDialog(page.ctx, task_id, page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.tabs.count() == 3 and fit.problems(dialog) == []
    dialog.date_from.setDate(to_qdate(VISIT))
    dialog.date_to.setDate(to_qdate(VISIT))
    dialog.save()  # nothing chosen yet: refused, naming the first item
    assert "抽查事项 1．" in no_modal_dialogs[-1][1]
    for panel, number in zip(dialog.panels, ("1", "2", "3")):
        hazards = FOUND[number]
        panel.set_verdicts("不符合" if hazards else "符合")
        panel.category.setCurrentText("发现问题已责令改正" if hazards else "未发现问题")
        for text, clause in hazards:
            panel.add_hazard(text, clause)
    dialog.tabs.setCurrentIndex(1)
    save_screenshot(dialog, "joint_visit_dialog.png")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with db.session() as s:
        assert s.query(Inspection).filter_by(joint_task_id=task_id).count() == 3
        assert s.get(JointTask, task_id).status == "已检查"

    view.refresh()
    view.tasks.select_id(task_id)
    assert view.notice_button.isEnabled() and not view.cancel_button.isEnabled()
    record = tmp_path / "记录.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(record), ""))
    view.record_button.click()
    page.ctx.runner.wait()
    qtbot.waitUntil(lambda: record.exists())
    assert "发现问题已责令改正（治安隐患 2 项）" in docx_text(record)
    summary = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(summary), ""))
    view.summary_button.click()
    page.ctx.runner.wait()
    qtbot.waitUntil(lambda: summary.exists())
    cells = [c.value for row in openpyxl.load_workbook(summary).active.iter_rows() for c in row]
    assert cells.count(HOTEL) == 3
    period = tmp_path / "上半年汇总.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(period), ""))
    view.period_summary_button.click()
    page.ctx.runner.wait()
    qtbot.waitUntil(lambda: period.exists())
    assert "2024年上半年联合检查汇总表" in docx_text(period)


def test_cancelling_a_task_frees_the_hotel_for_grouping_again(qtbot, page, db, monkeypatch, no_modal_dialogs):
    view = page.joint
    view.create_button.click()
    view.tasks.select_id(view.tasks.rows()[0].task_id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("单位停业装修", True))
    view.cancel_button.click()
    assert view.proposals.row_count() == 1
    [row] = view.tasks.rows()
    assert row.status == "已撤销"
    view.tasks.select_id(row.task_id)
    assert not view.visit_button.isEnabled() and "单位停业装修" in view.detail.text()


def test_the_clerk_marks_three_items_as_one_group(qtbot, page, db):
    from models.plan import PlanItem
    from ui.inspections.joint_group_dialog import JointGroupDialog

    dialog = JointGroupDialog(page.ctx, 2024, page)
    qtbot.addWidget(dialog)
    assert dialog.items.count() == 4
    dialog.items.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.name.setText("旅馆综合查一次")
    dialog.save()  # one item is no group: refused on the form
    assert dialog.error.isVisible() or "至少选择两个" in dialog.error.text()
    for row in (1, 2):
        dialog.items.item(row).setCheckState(Qt.CheckState.Checked)
    save_screenshot(dialog, "joint_group_dialog.png")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with db.session() as s:
        assert sorted(i.number for i in s.query(PlanItem).filter_by(joint_group="旅馆综合查一次")) == ["1", "2", "3"]


def test_opening_a_grouped_pick_from_the_records_opens_the_joint_visit(qtbot, page, monkeypatch):
    opened = []
    monkeypatch.setattr(JointVisitDialog, "exec", lambda self: opened.append(self.form.detail.task_id) or 0)
    page.joint.create_button.click()
    task_id = page.joint.tasks.rows()[0].task_id
    with page.ctx.db.session() as s:
        from models.joint import JointTaskPick

        pick_id = s.query(JointTaskPick).filter_by(task_id=task_id).first().pick_id
    page.records.edit(pick_id)
    assert opened == [task_id]
