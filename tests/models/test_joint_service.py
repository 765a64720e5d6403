"""Stories of 综合查一次: a hotel drawn for three items of the half-year is visited once by one team."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import audit
from models.inspection import Inspection
from models.inspection_service import InspectionError
from models.joint import JointTask, JointTaskPick
from models.roster import Inspector
from models.joint_service import JointError, cancel_task, create_tasks, group_automatically, list_tasks, propose
from models.joint_visit import record_joint_visit
from models.todo import todo_list
from tests.models.joint_fixtures import FOUND, HOTEL, VISIT, joint_world, visit_data


def test_the_hotel_drawn_for_three_items_is_one_proposal_and_one_task(db):
    joint_world(db)
    with db.session() as s:
        proposals = propose(s, 2024, "H1")
        assert [(p.object_name, p.items_label) for p in proposals] == [(HOTEL, "1、2、3")]
        assert propose(s, 2024, "H2") == []  # drawn in April: nothing for the second half-year
        result = create_tasks(s, 2024, "H1", "张文书")
    assert len(result.task_ids) == 1
    with db.session() as s:
        task = s.get(JointTask, result.task_ids[0])
        assert (task.status, task.period, task.lead_unit) == ("待检查", "H1", "治安大队")
        assert s.query(JointTaskPick).filter_by(task_id=task.id).count() == 3
        [row] = list_tasks(s, 2024)
        # The team: the union of the drawn officers, police first, with the partner department's officer.
        assert row.items == "1、2、3" and "市监" in row.team and row.team.startswith("民警")
        assert propose(s, 2024, "H1") == []  # grouped picks are not proposed again


def test_creating_for_an_object_not_drawn_twice_is_refused_naming_it(db):
    joint_world(db, items=("1", "4"))
    with pytest.raises(JointError, match="极速0网吧"), db.session() as s:
        create_tasks(s, 2024, "H1", "张文书", objects=["极速0网吧"])
    with pytest.raises(JointError, match="期间“H3”无效"), db.session() as s:
        propose(s, 2024, "H3")


def test_the_visit_recorded_once_gives_each_item_its_own_inspection(db):
    joint_world(db)
    with db.session() as s:
        task_id = create_tasks(s, 2024, "H1", "张文书").task_ids[0]
    data = visit_data(db, task_id)
    with db.session() as s:
        ids = record_joint_visit(s, data, "张文书")
    with db.session() as s:
        inspections = [s.get(Inspection, i) for i in ids]
        assert [i.result_category for i in inspections] == ["发现问题已责令改正", "发现问题已责令改正", "未发现问题"]
        assert [len(i.hazards) for i in inspections] == [len(FOUND[n]) for n in ("1", "2", "3")]
        assert {i.joint_task_id for i in inspections} == {task_id}
        assert {i.date_from for i in inspections} == {VISIT}
        teams = [sorted(x.inspector_id for x in i.inspectors) for i in inspections]
        assert teams[0] == teams[1] == teams[2] == sorted(data.inspector_ids)
        task = s.get(JointTask, task_id)
        assert (task.status, task.visit_date) == ("已检查", VISIT)
        # One notice to make for the whole visit, not one per item with hazards.
        todo = [e for e in todo_list(s, VISIT) if e.kind == "待制作通知书"]
        assert len(todo) == 1 and todo[0].unit_name == HOTEL
    # Recording again corrects the same three inspections.
    data.items[2].note = "复核"
    with db.session() as s:
        assert record_joint_visit(s, data, "张文书") == ids


def test_a_visit_missing_an_item_or_with_an_unset_verdict_is_refused(db):
    joint_world(db)
    with db.session() as s:
        task_id = create_tasks(s, 2024, "H1", "张文书").task_ids[0]
    data = visit_data(db, task_id)
    data.items.pop()
    with pytest.raises(JointError, match="3．对内部治安保卫工作的检查"), db.session() as s:
        record_joint_visit(s, data, "张文书")
    data = visit_data(db, task_id)
    data.items[1].checks[0].verdict = ""
    with pytest.raises(InspectionError, match="抽查事项 2．对消防安全的监督检查：检查内容第1项未填"), db.session() as s:
        record_joint_visit(s, data, "张文书")
    data = visit_data(db, task_id)
    with db.session() as s:  # one police officer and both of the partner department's officers
        data.inspector_ids = [s.scalar(select(Inspector.id).where(Inspector.unit == "治安大队").limit(1))] + list(
            s.scalars(select(Inspector.id).where(Inspector.unit == "市场监督管理局")))
    data.change_reason = "民警临时有任务"
    with pytest.raises(JointError, match="公安民警只有 1 名"), db.session() as s:
        record_joint_visit(s, data, "张文书")
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_cancel_frees_the_picks_and_is_audited(db):
    joint_world(db)
    with db.session() as s:
        task_id = create_tasks(s, 2024, "H1", "张文书").task_ids[0]
    with pytest.raises(JointError, match="原因"), db.session() as s:
        cancel_task(s, task_id, " ", "张文书")
    with db.session() as s:
        cancel_task(s, task_id, "单位装修停业，改为分别检查", "张文书")
    with db.session() as s:
        task = s.get(JointTask, task_id)
        assert task.status == "已撤销" and "装修" in task.note and "1、2、3" in task.note
        assert s.query(JointTaskPick).count() == 0
        assert [p.object_name for p in propose(s, 2024, "H1")] == [HOTEL]
        assert s.scalar(select(audit.AuditEntry.action).order_by(audit.AuditEntry.id.desc()).limit(1)) \
            == "撤销联合检查任务"
        with pytest.raises(JointError, match="已经撤销"):
            cancel_task(s, task_id, "再撤", "张文书")
    # A visited task cannot be cancelled.
    with db.session() as s:
        task_id = create_tasks(s, 2024, "H1", "张文书").task_ids[0]
    data = visit_data(db, task_id)
    with db.session() as s:
        record_joint_visit(s, data, "张文书")
    with pytest.raises(JointError, match="已录入检查结果"), db.session() as s:
        cancel_task(s, task_id, "误建", "张文书")


def test_items_of_one_group_are_grouped_automatically_as_they_are_drawn(db):
    joint_world(db, items=("1", "2"), joint_group="综合查一次A组")
    with db.session() as s:  # the second draw of the group made the task
        [row] = list_tasks(s, 2024)
        assert row.items == "1、2" and row.period == "Y" and "自动编组" in s.get(JointTask, row.task_id).note
    from models.draw_service import prepare_draw
    from tests.models.draw_fixtures import sealed_draw
    from tests.models.joint_fixtures import DRAWN_AT

    with db.session() as s:
        prep = prepare_draw(s, 2024, "3")
    sealed_draw(db, prep, clock=lambda: DRAWN_AT)
    with db.session() as s:  # the third joins it, with its officers
        [row] = list_tasks(s, 2024)
        assert row.items == "1、2、3"
        assert group_automatically(s, 2024, "张文书").task_ids == []  # nothing left to group
        actions = list(s.scalars(select(audit.AuditEntry.action).where(audit.AuditEntry.entity == "joint_task")))
        assert actions == ["生成联合检查任务", "加入联合检查任务"]


def test_the_clerk_marks_items_as_one_group(db):
    from models.joint_service import set_joint_group
    from models.plan import PlanItem

    joint_world(db, items=())
    with db.session() as s:
        assert set_joint_group(s, 2024, ["1", "3"], "旅馆综合查一次", "张文书") == ["1", "3"]
        assert {i.number: i.joint_group for i in s.query(PlanItem)} == {"1": "旅馆综合查一次", "2": "",
                                                                         "3": "旅馆综合查一次", "4": ""}
    with pytest.raises(JointError, match="至少选择两个"), db.session() as s:
        set_joint_group(s, 2024, ["1"], "单独", "张文书")
    with pytest.raises(JointError, match="没有编号为“9”"), db.session() as s:
        set_joint_group(s, 2024, ["1", "9"], "X", "张文书")


def test_a_pick_redrawn_after_grouping_drops_out_of_the_visit(db):
    from tests.models.draw_fixtures import sealed_redraw
    from tests.models.joint_fixtures import DRAWN_AT

    world = joint_world(db)
    with db.session() as s:
        task_id = create_tasks(s, 2024, "H1", "张文书").task_ids[0]
    sealed_redraw(db, world["draws"]["3"], reason="见证人未到场，重新抽取", clock=lambda: DRAWN_AT)
    with db.session() as s:
        from models.joint_service import task_detail

        detail = task_detail(s, task_id)
        assert [p.replaced for p in detail.picks] == [False, False, True]
        assert propose(s, 2024, "H1") == []  # the new item-3 pick alone is no joint visit
    data = visit_data(db, task_id)
    assert len(data.items) == 2
    with db.session() as s:
        ids = record_joint_visit(s, data, "张文书")
    assert len(ids) == 2


def test_todo_names_the_task_once_and_says_when_its_half_year_is_over(db):
    from datetime import date

    joint_world(db)
    with db.session() as s:
        before = [e for e in todo_list(s, date(2024, 12, 20)) if e.unit_name == HOTEL]
        assert len(before) == 3  # each item's pick reminds on its own before grouping
        create_tasks(s, 2024, "H1", "张文书")
    with db.session() as s:
        assert [e for e in todo_list(s, date(2024, 5, 6)) if e.unit_name == HOTEL] == []
        [soon] = [e for e in todo_list(s, date(2024, 6, 20)) if e.unit_name == HOTEL]
        assert soon.kind == "联合检查待检查" and "2024年6月30日前" in soon.label and not soon.overdue
        [late] = [e for e in todo_list(s, date(2024, 12, 20)) if e.unit_name == HOTEL]
        assert late.kind == "联合检查逾期" and late.overdue and "事项 1、2、3" in late.label and late.pick_id


def test_a_grouped_pick_is_recorded_only_through_the_visit(db):
    from models.inspection_service import save_inspection

    joint_world(db)
    with db.session() as s:
        task_id = create_tasks(s, 2024, "H1", "张文书").task_ids[0]
    from models.inspection_service import InspectionData

    data = visit_data(db, task_id)
    item = data.items[0]
    one = InspectionData(pick_id=item.pick_id, date_from=VISIT, date_to=VISIT, inspector_ids=data.inspector_ids,
                         result_category=item.result_category, checks=item.checks, hazards=item.hazards,
                         change_reason="单独检查")
    with pytest.raises(InspectionError, match=f"已编入联合检查任务 #{task_id}"), db.session() as s:
        save_inspection(s, one, "张文书")
    with db.session() as s:
        ids = record_joint_visit(s, data, "张文书")
    with pytest.raises(InspectionError, match="综合查一次"), db.session() as s:  # nor corrected on its own
        save_inspection(s, one, "张文书")
    assert len(ids) == 3
