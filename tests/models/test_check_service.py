"""Stories about checks that were not drawn: a complaint, the monthly hotel round, and what the draw never sees."""
from __future__ import annotations

from datetime import date

import pytest

from models.check_reminders import INSPECT_OVERDUE, REPLY_OVERDUE, TO_INSPECT, TO_REPLY
from models.check_list import list_checks, record_reply, replies
from models.check_service import CheckData, check_form, find_object, record_check, update_check
from models.inspection import Inspection
from models.inspection_service import CheckInput, HazardInput, InspectionError, list_inspections, list_picks
from models.notice_service import record_served
from models.plan import PlanItem
from models.roster import InspectedObject
from models.todo import todo_list
from tests.helpers import docx_text
from tests.models.draw_fixtures import code
from tests.models.inspection_fixtures import drawn_world
from usecases.notice_issue import issue_notice, record_reinspection

COMPLAINT_REF = "城关举〔2024〕12号"
HAZARD = ("消防通道堆放杂物", "《中华人民共和国消防法》第二十八条")


@pytest.fixture
def world(db):
    world = drawn_world(db)
    drawn = {p.object_id for p in world["picks"]}
    world["undrawn"] = [i for i in world["hotel_ids"] if i not in drawn]
    return world


def complaint(world, db, **overrides) -> CheckData:
    """A 派出所 clerk's complaint check of a hotel nobody drew, with the item's checklist."""
    with db.session() as s:
        form = check_form(s, world["undrawn"][0], world["item_id"])
    data = CheckData(
        object_id=world["undrawn"][0], source="举报投诉", source_ref=COMPLAINT_REF, source_date=date(2024, 5, 20),
        plan_item_id=world["item_id"], date_from=date(2024, 5, 21), date_to=date(2024, 5, 21),
        inspector_ids=world["inspector_ids"][:2], result_category="发现问题待后续处理",
        result_subkind="违反公安部门相关规定",
        checks=[CheckInput(e, "不符合" if n == 2 else "符合") for n, (e, _s, _t) in enumerate(form.checklist)],
        hazards=[HazardInput(*HAZARD)], executing_unit="城关派出所", follow_up="责令限期整改")
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def test_a_complaint_check_finds_a_hazard_and_the_notice_follows(db, world, tmp_path):
    with db.session() as s:
        iid = record_check(s, complaint(world, db), "城关派出所内勤")
    with db.session() as s:
        insp = s.get(Inspection, iid)
        assert insp.pick_id is None and insp.source == "举报投诉" and insp.source_ref == COMPLAINT_REF
        # 15 working days from Monday 05-20: 端午 (06-10) is a holiday, so the reply is due Tuesday 06-11.
        assert insp.reply_due == date(2024, 6, 11)
        assert [(h.text, h.clause) for h in insp.hazards] == [HAZARD]
        assert sorted(c.verdict for c in insp.checks) == ["不符合", "符合", "符合"]
        name = insp.inspected_object.name
        from models.audit import AuditEntry
        entry = s.query(AuditEntry).filter_by(action="登记检查", entity_id=str(iid)).one()
        assert COMPLAINT_REF in entry.detail and "举报投诉" in entry.detail

    # The notice: the same 文号 sequence, the same document, as for a drawn object.
    result = issue_notice(db, iid, deadline=date(2024, 6, 21), issue_date=date(2024, 5, 22), actor="内勤",
                          out_dir=tmp_path)
    text = docx_text(result.path)
    assert result.doc_number.endswith("第001号")
    assert name in text and HAZARD[0] in text and "于2024年6月21日前整改完毕" in text
    with db.session() as s:
        kinds = {e.kind: e for e in todo_list(s, today=date(2024, 5, 23))}
        assert kinds["待送达"].inspection_id == iid
    record_served(db, result.notice_id, date(2024, 5, 23), "内勤")
    review = record_reinspection(db, result.notice_id, date(2024, 6, 24), "已整改", "杂物已清理", "内勤",
                                 out_dir=tmp_path)
    assert name in docx_text(review.path)

    # The complaint itself waits for its reply until the clerk records it.
    with db.session() as s:
        due = [e for e in todo_list(s, today=date(2024, 6, 5)) if e.inspection_id == iid and e.kind == TO_REPLY]
        assert due and COMPLAINT_REF in due[0].label and due[0].due == date(2024, 6, 11)
        late = [e for e in todo_list(s, today=date(2024, 6, 12)) if e.kind == REPLY_OVERDUE]
        assert late and late[0].overdue and "已逾期1天" in late[0].label
    with db.session() as s:
        record_reply(s, iid, date(2024, 6, 12), "内勤", "已电话告知举报人检查及整改情况")
    with db.session() as s:
        assert not [e for e in todo_list(s, today=date(2024, 6, 12)) if e.kind in (TO_REPLY, REPLY_OVERDUE)]
        assert replies(s) == {iid: date(2024, 6, 12)}
        with pytest.raises(InspectionError, match="已于2024年6月12日答复"):
            record_reply(s, iid, date(2024, 6, 13), "内勤")


def test_the_draw_never_counts_a_check_that_was_not_drawn(db, world):
    drawn_object = world["picks"][0].object_id
    with db.session() as s:
        # Even a drawn hotel may be checked again on a complaint: a second record, not its draw result.
        record_check(s, complaint(world, db, object_id=drawn_object), "内勤")
    with db.session() as s:
        picks = list_picks(s, 2024)
        assert all(p.inspection_id is None and p.status == "未录入" for p in picks)
        rows = list_inspections(s, 2024)
        assert [(r.source, r.pick_id, r.item_label) for r in rows] == [("举报投诉", None, "1 对旅馆的监督检查")]
    from reports.publicity import results_table
    table = results_table(db, 2024, as_of=date(2024, 6, 1))
    assert [row[7] for row in table.rows] == ["待检查"] * 3


def test_the_monthly_hotel_round_of_one_police_station(db, world):
    with db.session() as s:
        hotels = s.query(InspectedObject).filter(InspectedObject.id.in_(world["undrawn"]),
                                                 InspectedObject.jurisdiction == "城关派出所").all()
        ids = [h.id for h in hotels][:4]
        for oid in ids:
            record_check(s, CheckData(object_id=oid, source="日常巡查", date_from=date(2024, 6, 3),
                                      date_to=date(2024, 6, 3), inspector_ids=world["inspector_ids"][2:4],
                                      result_category="未发现问题", executing_unit="城关派出所",
                                      finished=True, finished_date=date(2024, 6, 3)), "城关派出所内勤")
        record_check(s, complaint(world, db), "内勤")
    with db.session() as s:
        rounds = list_checks(s, 2024, "日常巡查")
        assert len(rounds) == 4 and {r.source for r in rounds} == {"日常巡查"}
        assert all(r.inspectors == "民警2、民警3" and r.item_number == "" for r in rounds)
        assert {r.source for r in list_checks(s, 2024)} == {"日常巡查", "举报投诉"}
        assert list_checks(s, 2023) == []


def test_refusals_name_the_field(db, world):
    cases = [
        (dict(source_ref=""), "检查来源为“举报投诉”时，请填写举报投诉编号"),
        (dict(source_date=None), "请填写受理日期"),
        (dict(inspector_ids=world["inspector_ids"][:1]), "检查民警不得少于两人"),
        (dict(source="双随机抽查"), "只能在抽中对象上录入"),
        (dict(source="路过"), "“路过”不是规定的来源"),
        (dict(source="案后倒查", source_ref="", source_date=None), "请填写案件编号"),
        (dict(result_category="未填", hazards=[]), "检查结果未填"),
        (dict(checks=[]), "检查内容第1项未填"),
        (dict(source_date=date(2024, 5, 22)), "受理日期（2024年5月22日）晚于检查开始日期"),
        (dict(source="日常巡查", source_date=None, reply_due=date(2024, 6, 1)), "答复期限只适用于举报投诉"),
    ]
    for overrides, message in cases:
        with db.session() as s, pytest.raises(InspectionError, match=message.replace("(", r"\(").replace(")", r"\)")):
            record_check(s, complaint(world, db, **overrides), "内勤")
    with db.session() as s:
        cafe_item = s.query(PlanItem).filter_by(number="2").one().id
        with pytest.raises(InspectionError, match="适用于网吧，不适用于"):
            record_check(s, complaint(world, db, plan_item_id=cafe_item, checks=[]), "内勤")
        with pytest.raises(InspectionError, match="名录库中没有统一社会信用代码或名称为“91370000MA99999999”"):
            find_object(s, "91370000MA99999999")
        with pytest.raises(InspectionError, match="已从名录库停用"):
            find_object(s, code(903))
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_a_correction_keeps_the_notice_hazards_and_the_object(db, world, tmp_path):
    with db.session() as s:
        iid = record_check(s, complaint(world, db), "内勤")
    issue_notice(db, iid, deadline=date(2024, 6, 21), issue_date=date(2024, 5, 22), actor="内勤", out_dir=tmp_path)
    with db.session() as s:
        update_check(s, iid, complaint(world, db, note="复核后补记"), "内勤")
        assert s.get(Inspection, iid).note == "复核后补记"
        with pytest.raises(InspectionError, match="隐患内容不能直接修改"):
            update_check(s, iid, complaint(world, db, hazards=[HazardInput("另一项隐患")]), "内勤")
        with pytest.raises(InspectionError, match="另一个检查对象"):
            update_check(s, iid, complaint(world, db, object_id=world["undrawn"][1]), "内勤")


def test_drawn_objects_not_inspected_as_the_items_window_closes(db, world):
    from tests.models.inspection_fixtures import record

    record(db, world["picks"][0].pick_id)
    with db.session() as s:
        s.get(PlanItem, world["item_id"]).month_to = 6   # 检查时间：5—6月
    with db.session() as s:
        assert not [e for e in todo_list(s, today=date(2024, 6, 10)) if e.kind == TO_INSPECT]
        soon = [e for e in todo_list(s, today=date(2024, 6, 20)) if e.kind == TO_INSPECT]
        assert {e.pick_id for e in soon} == {p.pick_id for p in world["picks"][1:]}
        assert all(e.due == date(2024, 6, 30) and e.inspection_id is None for e in soon)
        late = [e for e in todo_list(s, today=date(2024, 7, 2)) if e.kind == INSPECT_OVERDUE]
        assert len(late) == 2 and late[0].overdue and "已逾期2天" in late[0].label
        assert late[0].as_dict()["pick_id"] in {p.pick_id for p in world["picks"]}
    with db.session() as s:
        s.get(PlanItem, world["item_id"]).month_to = None   # no window: the plan year's end
    with db.session() as s:
        assert not [e for e in todo_list(s, today=date(2024, 7, 2)) if e.kind in (TO_INSPECT, INSPECT_OVERDUE)]
        assert len([e for e in todo_list(s, today=date(2024, 12, 20)) if e.kind == TO_INSPECT]) == 2
