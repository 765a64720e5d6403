"""Stories of a check recorded for a routine duty: 城关派出所 marks its hotel round for the monthly duty, and the
coverage counts it for that duty only; a check the duty cannot take is refused naming 巡查任务."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models.admin import AuditEntry
from models.check_service import DUTY_SOURCES, CheckData, check_form, get_check_data, record_check, update_check
from models.duties import DutyData, add_duty, set_duty_active
from models.duty_coverage import DONE, DUE, coverage
from models.inspection import Inspection
from models.inspection_service import InspectionError
from tests.models.duty_fixtures import duty_world

MAY = date(2024, 5, 6)


@pytest.fixture
def world(db):
    w = duty_world(db)
    with db.session() as s:
        w["monthly"] = add_duty(s, DutyData("旅馆", "每月"), "治安大队")
        w["yearly"] = add_duty(s, DutyData("旅馆", "每年", unit="治安大队"), "治安大队")
        w["pawn"] = add_duty(s, DutyData("典当行", "每季度"), "治安大队")
    return w


def check(world, name: str, *, duty_id=None, source="日常巡查", day=MAY) -> CheckData:
    complaint = source == "举报投诉"
    return CheckData(object_id=world["objects"][name], source=source, date_from=day, date_to=day,
                     inspector_ids=world["officers"], result_category="未发现问题", duty_id=duty_id,
                     source_ref="城关举〔2024〕3号" if complaint else "", source_date=day if complaint else None)


def test_a_round_marked_for_the_yearly_duty_counts_for_it_and_not_for_the_monthly_one(db, world):
    """The 治安大队's yearly 全面检查 of 平安宾馆 is marked for the yearly duty: the monthly round still has it due."""
    with db.session() as s:
        iid = record_check(s, check(world, "平安宾馆", duty_id=world["yearly"], source="全面检查"), "城关内勤")
        assert s.get(Inspection, iid).duty_id == world["yearly"]
        entry = s.query(AuditEntry).filter_by(entity="inspection", entity_id=str(iid)).one()
        assert json.loads(entry.detail)["巡查任务"] == world["yearly"]
        assert get_check_data(s, iid).duty_id == world["yearly"]
        monthly, yearly, _pawn = coverage(s, 2024, month=5, today=date(2024, 5, 20))
    assert monthly.duty.id == world["monthly"] and yearly.duty.id == world["yearly"]
    state = {o.name: o.state for g in monthly.groups for o in g.objects}
    assert state["平安宾馆"] == DUE and monthly.done == 0
    (group,) = yearly.groups
    assert {o.name: o.state for o in group.objects}["平安宾馆"] == DONE and yearly.done == 1
    assert group.objects[[o.name for o in group.objects].index("平安宾馆")].inspection_ids == (iid,)


def test_a_round_marked_for_the_monthly_duty_counts_for_it_only(db, world):
    with db.session() as s:
        record_check(s, check(world, "迎宾旅社", duty_id=world["monthly"]), "城关内勤")
        monthly, yearly, _pawn = coverage(s, 2024, month=5, today=date(2024, 5, 20), jurisdiction="城关派出所")
    (city,) = monthly.groups
    assert [(o.name, o.state) for o in city.objects if o.state == DONE] == [("迎宾旅社", DONE)]
    assert yearly.done == 0


def test_the_form_offers_the_active_duties_of_the_objects_type(db, world):
    with db.session() as s:
        form = check_form(s, world["objects"]["平安宾馆"])
        assert [c.id for c in form.duties] == [world["monthly"], world["yearly"]]
        assert form.duties[0].label == "旅馆 每月1次（辖区派出所）"
        set_duty_active(s, world["yearly"], False, "治安大队")
        assert [c.id for c in check_form(s, world["objects"]["平安宾馆"]).duties] == [world["monthly"]]
        assert [c.id for c in check_form(s, world["objects"]["城关典当行"]).duties] == [world["pawn"]]
    assert DUTY_SOURCES == ("日常巡查", "全面检查", "专项检查", "专项督察")


@pytest.mark.parametrize("case, words", [
    ("missing", "巡查任务：没有编号为 999 的日常巡查任务"),
    ("other type", "巡查任务：“典当行 每季度1次”（编号 {pawn}）巡查的是典当行，“平安宾馆”是旅馆，不属于这项任务"),
    ("complaint", "巡查任务：检查来源为“举报投诉”的检查不能计入日常巡查任务；属于巡查任务的检查，"
                  "来源应为日常巡查、全面检查、专项检查、专项督察之一"),
    ("inactive", "巡查任务：“旅馆 每月1次”（编号 {monthly}）已停用，不能再登记属于它的检查"),
])
def test_a_check_the_duty_cannot_take_is_refused_and_nothing_is_stored(db, world, case, words):
    data = {"missing": lambda: check(world, "平安宾馆", duty_id=999),
            "other type": lambda: check(world, "平安宾馆", duty_id=world["pawn"]),
            "complaint": lambda: check(world, "平安宾馆", duty_id=world["monthly"], source="举报投诉"),
            "inactive": lambda: check(world, "平安宾馆", duty_id=world["monthly"])}[case]()
    if case == "inactive":
        with db.session() as s:
            set_duty_active(s, world["monthly"], False, "治安大队")
    with pytest.raises(InspectionError) as refused:
        with db.session() as s:
            record_check(s, data, "城关内勤")
    assert str(refused.value) == words.format(**world)
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_a_check_of_a_duty_deactivated_since_can_still_be_corrected(db, world):
    with db.session() as s:
        iid = record_check(s, check(world, "平安宾馆", duty_id=world["monthly"]), "城关内勤")
        set_duty_active(s, world["monthly"], False, "治安大队")
    with db.session() as s:
        data = get_check_data(s, iid)
        data.note = "负责人补签"
        update_check(s, iid, data, "城关内勤")
        assert [c.id for c in check_form(s, 0, inspection_id=iid).duties] == [world["monthly"], world["yearly"]]
        # ... but not moved onto it from another duty or from none.
        data.duty_id = None
        update_check(s, iid, data, "城关内勤")
        data.duty_id = world["monthly"]
        with pytest.raises(InspectionError, match="已停用"):
            update_check(s, iid, data, "城关内勤")
