"""Stories about recording the inspection of a drawn object: inspectors, checklist verdicts, result, hazards."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.admin import AuditEntry
from tests.models.draw_fixtures import sealed_redraw as redraw
from models.inspection import Inspection
from models.inspection_service import (
    HazardInput, InspectionError, get_inspection_data, inspection_form, list_inspections, list_picks,
    record_inspection, save_inspection, update_inspection, UnsetChoice,
)
from tests.models.draw_fixtures import ENTROPY, WITNESSES
from tests.models.inspection_fixtures import HAZARDS, drawn_world, form_data, record


@pytest.fixture
def world(db):
    return drawn_world(db)


def test_clerk_records_an_inspection_with_two_hazards(db, world):
    pick = world["picks"][0]
    iid = record(db, pick.pick_id, hazards=HAZARDS, signed_refused=True, follow_up="责令限期整改")
    with db.session() as s:
        insp = s.get(Inspection, iid)
        assert insp.inspected_object.name == pick.object_name
        assert [h.text for h in insp.hazards] == [t for t, _c in HAZARDS]
        assert insp.hazards[0].clause == "《旅馆业治安管理办法》第六条"
        assert {c.verdict for c in insp.checks} == {"不符合"} and len(insp.checks) == 3
        assert [i.inspector_id for i in insp.inspectors] == [i for i, _n, _u in pick.inspectors]
        assert insp.signed_refused and insp.follow_up == "责令限期整改"
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "录入检查结果" and entry.entity_id == str(iid)
        rows = list_picks(s, 2024)
        assert {r[0]: r[7] for r in rows}[pick.pick_id] == "发现问题待后续处理"
        assert list_inspections(s, 2024)[0][5] == 2


def test_the_form_offers_the_drawn_inspectors_and_the_items_checklist(db, world):
    with db.session() as s:
        form = inspection_form(s, world["picks"][1].pick_id)
    assert [t for _e, _s, t in form.checklist][0] == "是否按规定登记旅客身份信息"
    assert len(form.drawn) >= 2 and form.existing is None
    assert form.year == 2024 and form.item_label.startswith("1 ")


def test_fewer_than_two_inspectors_is_refused(db, world):
    pick = world["picks"][0]
    data = form_data(db, pick.pick_id, inspector_ids=[pick.inspectors[0][0]])
    with db.session() as s, pytest.raises(InspectionError, match="不得少于两人"):
        record_inspection(s, data, "测试员")


def test_changing_an_inspector_needs_a_reason_which_is_kept_and_audited(db, world):
    pick = world["picks"][0]
    drawn = [i for i, _n, _u in pick.inspectors]
    stand_in = next(i for i in world["inspector_ids"][:6] if i not in drawn)
    team = drawn[:1] + [stand_in]
    with db.session() as s, pytest.raises(InspectionError, match="更换人员的原因"):
        record_inspection(s, form_data(db, pick.pick_id, inspector_ids=team), "测试员")
    data = form_data(db, pick.pick_id, inspector_ids=team, change_reason="民警1出差")
    with db.session() as s:
        iid = record_inspection(s, data, "测试员")
    with db.session() as s:
        insp = s.get(Inspection, iid)
        reasons = {i.inspector_id: i.change_reason for i in insp.inspectors}
        assert reasons == {drawn[0]: "", stand_in: "民警1出差"}
        detail = s.scalars(select(AuditEntry.detail).order_by(AuditEntry.id.desc())).first()
        assert "更换检查人员" in detail and "民警1出差" in detail


def test_every_checklist_entry_needs_a_verdict(db, world):
    data = form_data(db, world["picks"][0].pick_id)
    data.checks = data.checks[:2]
    with db.session() as s, pytest.raises(InspectionError, match="第3项未填"):
        record_inspection(s, data, "测试员")


@pytest.mark.parametrize("unset", ["", "未填"])
def test_a_form_saved_in_a_hurry_records_nothing_nobody_decided(db, world, unset):
    """Nothing is pre-decided: an unset 检查结果 or verdict is refused, naming what to fill in; nothing is stored."""
    pick_id = world["picks"][0].pick_id
    data = form_data(db, pick_id, result_category=unset)
    with db.session() as s, pytest.raises(UnsetChoice, match="检查结果未填") as refused:
        record_inspection(s, data, "测试员")
    assert refused.value.entry_id is None
    data = form_data(db, pick_id)
    data.checks[1].verdict = unset
    with db.session() as s, pytest.raises(UnsetChoice, match="检查内容第2项未填") as refused:
        record_inspection(s, data, "测试员")
    assert refused.value.entry_id == data.checks[1].entry_id
    with db.session() as s:
        assert s.scalar(select(Inspection.id)) is None


@pytest.mark.parametrize("change, message", [
    ({"date_to": date(2024, 5, 1), "date_from": date(2024, 5, 6)}, "早于开始日期"),
    ({"result_category": "良好"}, "不是规定的结果类别"),
    ({"result_category": "未发现问题", "hazards": [HazardInput("消防通道堆放杂物")]}, "发现隐患时检查结果应为"),
    ({"hazards": [HazardInput("  ")], "result_category": "发现问题待后续处理"}, "第1项：隐患内容不能为空"),
    ({"finished": True}, "完结日期"),
    ({"date_to": date(2999, 1, 1)}, "晚于今天"),
])
def test_bad_input_is_refused_in_chinese_naming_the_field(db, world, change, message):
    data = form_data(db, world["picks"][0].pick_id)
    for key, value in change.items():
        setattr(data, key, value)
    with db.session() as s, pytest.raises(InspectionError, match=message):
        record_inspection(s, data, "测试员")
    with db.session() as s:
        assert s.scalar(select(Inspection.id)) is None


def test_an_inspection_is_recorded_once_and_then_corrected(db, world):
    pick_id = world["picks"][0].pick_id
    iid = record(db, pick_id)
    with db.session() as s, pytest.raises(InspectionError, match="已录入检查结果"):
        record_inspection(s, form_data(db, pick_id), "测试员")
    data = form_data(db, pick_id, hazards=[("消防通道堆放杂物", "")])
    with db.session() as s:
        assert save_inspection(s, data, "测试员") == iid
    with db.session() as s:
        assert [h.text for h in get_inspection_data(s, iid).hazards] == ["消防通道堆放杂物"]


def test_hazards_on_an_issued_notice_cannot_be_edited(db, world, tmp_path):
    from usecases.notice_issue import issue_notice

    pick_id = world["picks"][0].pick_id
    iid = record(db, pick_id, hazards=HAZARDS)
    issue_notice(db, iid, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="t", out_dir=tmp_path)
    data = form_data(db, pick_id, hazards=HAZARDS[:1])
    with db.session() as s, pytest.raises(InspectionError, match="请先作废通知书"):
        update_inspection(s, iid, data, "测试员")


def test_a_redrawn_object_can_no_longer_be_inspected(db, world):
    redraw(db, world["draw_id"], reason="名单有误", entropy=ENTROPY + ["再抽"], witnesses=WITNESSES,
           place="会议室", operator="测试员")
    with db.session() as s, pytest.raises(InspectionError, match="已被重抽或替补替代"):
        record_inspection(s, form_data(db, world["picks"][0].pick_id), "测试员")


def test_an_inspection_cannot_predate_the_draw_that_chose_the_object(db, world):
    # The draw of the stories took place on 2024-04-22: a visit on 2024-04-19 cannot have followed from it.
    pick = world["picks"][0]
    with pytest.raises(InspectionError, match="早于抽取日期"):
        with db.session() as s:
            record_inspection(s, form_data(db, pick.pick_id, day=date(2024, 4, 19)), "测试员")
    with db.session() as s:
        assert s.scalars(select(Inspection)).all() == []
