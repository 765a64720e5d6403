"""The roster services as a clerk uses them: add, find, edit, deactivate, 回避 pairs, counts — each change audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models.admin import AuditEntry
from models.audit import verify_chain
from models.credit_code import make_code
from models.roster_service import (InspectorData, InspectorFilter, ObjectData, ObjectFilter, RosterError,
                                   add_inspector, add_object, add_recusal, get_inspector, get_object,
                                   inspector_units, jurisdictions, list_inspectors, list_objects, list_recusals,
                                   object_type_names, remove_recusal, roster_stats, set_inspector_active,
                                   set_object_active, update_inspector, update_object)


def hotel(n: int = 1, **kw) -> ObjectData:
    values = dict(name=f"沂源县鑫源宾馆{n}", credit_code=make_code(n), type_name="旅馆", jurisdiction="城关派出所")
    values.update(kw)
    return ObjectData(**values)


def actions(db) -> list[str]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_clerk_adds_an_object_and_finds_it_by_name_or_code(db):
    with db.session() as s:
        oid = add_object(s, hotel(1, credit_code="  91350100m000100y43 ", name=" 沂源县鑫源宾馆 "), "张三")
        add_object(s, hotel(2, name="沂源县顺达网吧", type_name="网吧", jurisdiction="南麻派出所"), "张三")
    with db.session() as s:
        data = get_object(s, oid)
        assert data.credit_code == "91350100M000100Y43" and data.name == "沂源县鑫源宾馆"
        assert [r[1] for r in list_objects(s, ObjectFilter(text="鑫源"))] == ["沂源县鑫源宾馆"]
        assert [r[1] for r in list_objects(s, ObjectFilter(text="m000100"))] == ["沂源县鑫源宾馆"]
        assert [r[1] for r in list_objects(s, ObjectFilter(type_name="网吧"))] == ["沂源县顺达网吧"]
        assert [r[1] for r in list_objects(s, ObjectFilter(jurisdiction="南麻派出所"))] == ["沂源县顺达网吧"]
        assert len(list_objects(s)[0]) == 14  # with 证件类型 and 国籍/签发国
        assert object_type_names(s)[-1] == "网吧" and "旅馆" in object_type_names(s)
        assert jurisdictions(s) == ["南麻派出所", "城关派出所"]
    assert actions(db) == ["新增检查对象", "新增检查对象"]


def test_search_text_with_wildcards_is_taken_literally(db):
    with db.session() as s:
        add_object(s, hotel(1, name="100%满意宾馆"), "a")
        add_object(s, hotel(2, name="1000满意宾馆"), "a")
        assert [r[1] for r in list_objects(s, ObjectFilter(text="100%"))] == ["100%满意宾馆"]


@pytest.mark.parametrize("change, message", [
    ({"credit_code": "91350100M000100Y44"}, "统一社会信用代码：校验位错误（校验位应为 3，实为 4）"),
    ({"name": "  "}, "单位名称：单位名称不能为空"),
    ({"risk_level": "极高"}, "风险等级：风险等级“极高”无效，应为：低风险、中低风险、中风险、高风险"),
    ({"status": "歇业"}, "经营状态：经营状态“歇业”无效"),
    ({"name": "长" * 201}, "单位名称：长度超过 200 个字符（实为 201 个）"),
])
def test_invalid_objects_are_refused_with_the_field_named(db, change, message):
    with db.session() as s, pytest.raises(RosterError) as e:
        add_object(s, hotel(1, **change), "a")
    assert str(e.value).startswith(message)


def test_a_credit_code_is_unique(db):
    with db.session() as s:
        add_object(s, hotel(1), "a")
    with db.session() as s, pytest.raises(RosterError, match="已被“沂源县鑫源宾馆1”使用"):
        add_object(s, hotel(2, credit_code=make_code(1)), "a")


def test_editing_keeps_a_record_of_what_changed_and_creates_new_types(db):
    with db.session() as s:
        oid = add_object(s, hotel(1), "a")
        update_object(s, oid, hotel(1, type_name="民宿", risk_level="中风险"), "李四")
        update_object(s, oid, hotel(1, type_name="民宿", risk_level="中风险"), "李四")  # no change: no entry
    with db.session() as s:
        assert get_object(s, oid).type_name == "民宿"
        assert "民宿" in object_type_names(s)
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "修改检查对象" and entry.user == "李四"
        assert '"risk_level":["低风险","中风险"]' in entry.detail
        assert verify_chain(s).ok
    assert actions(db).count("修改检查对象") == 1


def test_deactivated_objects_leave_the_list_but_are_never_deleted(db):
    with db.session() as s:
        oid = add_object(s, hotel(1), "a")
        set_object_active(s, oid, False, "a")
        assert list_objects(s) == []
        rows = list_objects(s, ObjectFilter(include_inactive=True))
        assert rows[0].id == oid and rows[0].active is False
        set_object_active(s, oid, True, "a")
        assert len(list_objects(s)) == 1
    assert actions(db)[-2:] == ["停用检查对象", "启用检查对象"]


def test_inspectors_badge_numbers_are_unique_and_searchable(db):
    with db.session() as s:
        iid = add_inspector(s, InspectorData(" 王强 ", "371323001", "治安大队", "鲁公执字001"), "a")
        add_inspector(s, InspectorData("刘芳", "SJ2024001", "市场监督管理局"), "a")
        with pytest.raises(RosterError, match="警号：371323001 已被“王强”使用"):
            add_inspector(s, InspectorData("李四", "371323001", "禁毒大队"), "a")
        with pytest.raises(RosterError, match="所在单位：所在单位不能为空"):
            add_inspector(s, InspectorData("李四", "371323002", ""), "a")
        assert get_inspector(s, iid) == InspectorData("王强", "371323001", "治安大队", "鲁公执字001", True)
        assert [r[1] for r in list_inspectors(s, InspectorFilter(text="3713"))] == ["王强"]
        assert [r[1] for r in list_inspectors(s, InspectorFilter(unit="市场监督管理局"))] == ["刘芳"]
        assert inspector_units(s) == sorted(["治安大队", "市场监督管理局"])
        update_inspector(s, iid, InspectorData("王强", "371323001", "网安大队"), "a")
        set_inspector_active(s, iid, False, "a")
        assert [r[1] for r in list_inspectors(s)] == ["刘芳"]
        assert get_inspector(s, iid).unit == "网安大队"


def test_recusal_pairs_are_recorded_once_with_a_reason(db):
    with db.session() as s:
        oid = add_object(s, hotel(1), "a")
        iid = add_inspector(s, InspectorData("王强", "371323001", "治安大队"), "a")
        with pytest.raises(RosterError, match="回避原因：不能为空"):
            add_recusal(s, iid, oid, "  ", "a")
        rid = add_recusal(s, iid, oid, "亲属关系", "a")
        with pytest.raises(RosterError, match="回避关系已存在"):
            add_recusal(s, iid, oid, "曾在该单位任职", "a")
        assert list_recusals(s, inspector_id=iid) == [
            (rid, iid, "王强", "371323001", "治安大队", oid, "沂源县鑫源宾馆1", make_code(1), "亲属关系")]
        assert list_recusals(s, object_id=oid)[0][0] == rid
        remove_recusal(s, rid, "a")
        assert list_recusals(s) == []
    assert actions(db)[-2:] == ["新增回避关系", "删除回避关系"]


def test_stats_count_the_rosters(db):
    with db.session() as s:
        add_object(s, hotel(1), "a")
        add_object(s, hotel(2, risk_level="高风险"), "a")
        gone = add_object(s, hotel(3, type_name="网吧", status="注销"), "a")
        set_object_active(s, gone, False, "a")
        iid = add_inspector(s, InspectorData("王强", "371323001", "治安大队"), "a")
        add_recusal(s, iid, gone, "亲属关系", "a")
        stats = roster_stats(s)
    assert stats["objects"]["total"] == 3 and stats["objects"]["active"] == 2
    assert stats["objects"]["by_type"] == {"旅馆": 2}
    assert stats["objects"]["by_risk"] == {"低风险": 1, "中低风险": 0, "中风险": 0, "高风险": 1}
    assert stats["objects"]["by_status"] == {"在营": 2, "停业": 0, "注销": 0}
    assert stats["inspectors"] == {"total": 1, "active": 1, "by_unit": {"治安大队": 1}}
    assert stats["recusals"] == 1


def test_the_demo_roster_is_realistic_and_loads_once(db):
    from usecases.demo import load_demo
    from models.demo_roster import generate_roster

    objects, inspectors, recusals = generate_roster()
    assert generate_roster() == (objects, inspectors, recusals)
    assert 2500 <= len(objects) <= 3500 and 50 <= len(inspectors) <= 70 and len(recusals) == 15
    types = [o.type_name for o in objects]
    assert types.count("旅馆") > types.count("网吧") > types.count("爆破作业单位") > 0
    seen = []
    result = load_demo(db, progress=lambda done, total: seen.append((done, total)))
    assert result["roster"] == {"objects": len(objects), "inspectors": len(inspectors), "recusals": 15}
    assert seen[-1][0] == seen[-1][1]
    with db.session() as s:
        stats = roster_stats(s)
        from usecases.demo_persons import DEMO_PERSONS
        assert stats["objects"]["total"] == len(objects) + len(DEMO_PERSONS)   # the roster, then the persons' step
        assert stats["objects"]["by_risk"]["低风险"] > len(objects) / 2
        assert {"治安大队", "市场监督管理局", "城关派出所"} <= set(stats["inspectors"]["by_unit"])
        assert get_object(s, 1) == objects[0]
        assert verify_chain(s).ok
    with pytest.raises(RosterError, match="已有 .* 个检查对象"):
        load_demo(db)


# ---------------------------------------------------------------- two seats editing the same row

def test_an_edit_from_a_form_opened_before_another_seats_save_is_refused_naming_who_saved(db):
    from models.errors import ConcurrentEdit
    from models.roster_service import object_version

    with db.session() as s:
        oid = add_object(s, hotel(1), "录入员甲")
    with db.session() as s:  # 张三 and 李四 open the same object at their desks
        seen_by_zhang = seen_by_li = object_version(s, oid)
    with db.session() as s:
        update_object(s, oid, hotel(1, phone="0533-3221234"), "张三", expected_version=seen_by_zhang)
    with db.session() as s, pytest.raises(ConcurrentEdit) as refused:
        update_object(s, oid, hotel(1, risk_level="高风险"), "李四", expected_version=seen_by_li)
    message = str(refused.value)
    assert message.startswith("该检查对象“沂源县鑫源宾馆1”在您打开之后已被 张三 于 20")
    assert message.endswith("修改，您的修改未保存，请重新载入后再改。")
    with db.session() as s:  # 张三's change stands, 李四's is not silently applied over it
        data = get_object(s, oid)
        assert (data.phone, data.risk_level) == ("0533-3221234", "低风险")
        # reloaded, 李四 saves again from the version he now sees
        update_object(s, oid, hotel(1, phone="0533-3221234", risk_level="高风险"), "李四",
                      expected_version=object_version(s, oid))
    with db.session() as s:
        assert get_object(s, oid).risk_level == "高风险" and object_version(s, oid) == 3
        assert verify_chain(s).ok
    assert actions(db) == ["新增检查对象", "修改检查对象", "修改检查对象"]


def test_an_inspector_edited_meanwhile_is_not_overwritten(db):
    from models.errors import ConcurrentEdit
    from models.roster_service import inspector_version

    with db.session() as s:
        iid = add_inspector(s, InspectorData("王强", "371323001", "治安大队"), "a")
        opened = inspector_version(s, iid)
        set_inspector_active(s, iid, False, "赵六")  # the list's 停用 button bumps the version too
    with db.session() as s, pytest.raises(ConcurrentEdit, match="该执法检查人员“王强”在您打开之后已被 赵六 于 "):
        update_inspector(s, iid, InspectorData("王强", "371323001", "网安大队"), "李四", expected_version=opened)
    with db.session() as s:
        assert get_inspector(s, iid) == InspectorData("王强", "371323001", "治安大队", "", False)


def test_an_import_that_changes_an_open_row_makes_the_open_form_lose_its_race(db):
    from models import audit
    from models.base import now
    from models.errors import ConcurrentEdit
    from models.roster_bulk import Checkpoints, plan_rows, write_plan
    from models.roster_service import object_version

    with db.session() as s:
        oid = add_object(s, hotel(1), "a")
        add_object(s, hotel(2), "a")
        opened = object_version(s, oid)
    with db.session() as s:  # 王五 imports a sheet that changes hotel 1's address (hotel 2 unchanged)
        rows = [{"name": "沂源县鑫源宾馆1", "credit_code": make_code(1), "type_name": "旅馆",
                 "address": "沂源县城关镇振兴路1号", "jurisdiction": "城关派出所"},
                {"name": "沂源县鑫源宾馆2", "credit_code": make_code(2), "type_name": "旅馆",
                 "jurisdiction": "城关派出所"}]
        plan = plan_rows(s, "objects", rows)
        assert (len(plan.updates), plan.unchanged) == (1, 1)
        write_plan(s, "objects", plan, now(), Checkpoints(plan.size, None, None))
        audit.append(s, user="王五", action="导入检查对象", entity="object", detail={"updated": 1})
    with db.session() as s:
        assert object_version(s, oid) == opened + 1
        assert object_version(s, oid + 1) == 1  # an unchanged row keeps its version
    with db.session() as s, pytest.raises(ConcurrentEdit, match="已被 王五 于 .* 修改"):
        update_object(s, oid, hotel(1, phone="110"), "李四", expected_version=opened)
    with db.session() as s:
        assert get_object(s, oid).address == "沂源县城关镇振兴路1号"


def test_an_import_planned_before_another_seats_edit_writes_nothing(db):
    from models.base import now
    from models.errors import ConcurrentEdit
    from models.roster_bulk import Checkpoints, plan_rows, write_plan

    with db.session() as s:
        iid = add_inspector(s, InspectorData("王强", "371323001", "治安大队"), "a")
    with db.session() as s:
        plan = plan_rows(s, "inspectors", [{"name": "王强", "badge_no": "371323001", "unit": "禁毒大队"}])
    with db.session() as s:  # another seat saves 王强 between the import's planning and its write
        update_inspector(s, iid, InspectorData("王强", "371323001", "网安大队"), "张三")
    with db.session() as s, pytest.raises(ConcurrentEdit, match="导入期间，其他用户修改了名录"):
        write_plan(s, "inspectors", plan, now(), Checkpoints(plan.size, None, None))
    with db.session() as s:
        assert get_inspector(s, iid).unit == "网安大队"


def test_an_update_racing_a_commit_inside_one_transaction_is_refused(db):
    """The version is checked by the UPDATE itself, not only by the form's copy: a seat whose
    transaction loaded the row before another seat committed finds no row at its version."""
    from models.errors import ConcurrentEdit
    from models.roster import InspectedObject

    if db.is_sqlite:
        pytest.skip("SQLite has one writer at a time: the second transaction cannot even start its write")
    with db.session() as s:
        oid = add_object(s, hotel(1), "a")
    with db.session() as slow:
        loaded = slow.get(InspectedObject, oid)  # held: this session will UPDATE … AND version = 1
        assert loaded.version == 1
        with db.session() as fast:
            update_object(fast, oid, hotel(1, phone="12345"), "张三")
        with pytest.raises(ConcurrentEdit, match="已被 张三 于"):
            update_object(slow, oid, hotel(1, risk_level="高风险"), "李四")
    with db.session() as s:
        assert (get_object(s, oid).phone, get_object(s, oid).risk_level) == ("12345", "低风险")
