"""A clerk keeps the year's plan: creates it, adds and edits items, links them to roster types, copies it to a new
year."""
from __future__ import annotations

from datetime import datetime

import pytest

from models.audit import verify_chain
from models.draw import DrawRecord
from models.plan_rules import SamplingRule
from models.plan_service import (
    ItemData, PlanError, add_item, auto_link_types, copy_plan, create_plan, delete_item, find_item, get_plan,
    item_data_of, item_to_dict, link_types, list_plans, plan_overview, set_manual_rule, update_item,
)
from models.roster import InspectedObject, ObjectType

TYPES = ("旅馆", "网吧", "保安服务公司", "娱乐场所", "典当行", "易制毒化学品企业", "危险化学品单位",
         "公章刻制", "废旧金属收购")


@pytest.fixture
def roster(db):
    """A small roster: 41 hotels in business, 2 closed, 1 deactivated; 3 internet cafés."""
    with db.session() as s:
        types = {n: ObjectType(name=n) for n in TYPES}
        s.add_all(types.values())
        s.flush()
        serial = iter(range(1, 1000))

        def add(type_name, status="在营", active=True):
            n = next(serial)
            s.add(InspectedObject(name=f"单位{n}", credit_code=f"91370000{n:010d}", object_type_id=types[type_name].id,
                                  status=status, active=active))

        for _ in range(41):
            add("旅馆")
        add("旅馆", "停业")
        add("旅馆", "注销")
        add("旅馆", active=False)
        for _ in range(3):
            add("网吧")
    return db


def hotel_item(**over) -> ItemData:
    data = ItemData(
        number="1", item="对宾馆、旅店取得许可证及治安安全情况的检查", mode="部门联合",
        field="对宾馆、旅店取得许可证及治安安全情况的检查", content="是否取得特种行业许可证；是否落实旅客信息登记",
        object_text="各类宾馆、旅店", category="一般检查事项", ratio_text="全年抽查比例不低于5%，每年抽查1次",
        initiator="公安部门", partners=["住房城乡建设局"], subject="县级相关部门", time_text="5月-11月",
        month_from=5, month_to=11, responsible_unit="治安大队", methods=["现场检查"],
        checklist=["是否取得特种行业许可证", "是否落实旅客信息登记"],
    )
    for k, v in over.items():
        setattr(data, k, v)
    return data


def test_a_clerk_creates_a_plan_and_adds_an_item_whose_rule_is_parsed(roster):
    with roster.session() as s:
        plan = create_plan(s, 2025, "演示县公安局", "", "张三")
        assert plan.title == "演示县公安局2025年度“双随机、一公开”抽查计划"
        item = add_item(s, 2025, hotel_item(), "张三", type_names=["旅馆"])
        assert (item.ratio, item.ratio_kind, item.rounds_min, item.rule_parsed) == (0.05, "min", 1, True)
        assert [e.text for e in item.checklist] == ["是否取得特种行业许可证", "是否落实旅客信息登记"]
    with roster.session() as s:
        assert [p.year for p in list_plans(s)] == [2025]
        with pytest.raises(PlanError, match="已经存在"):
            create_plan(s, 2025, "x", "", "张三")
        with pytest.raises(PlanError, match="已有编号"):
            add_item(s, 2025, hotel_item(), "张三")
        assert verify_chain(s).ok


def test_the_overview_counts_the_roster_and_sizes_the_draw(roster):
    with roster.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        add_item(s, 2025, hotel_item(), "张三", type_names=["旅馆"])
        add_item(s, 2025, hotel_item(number="2", item="网吧检查", object_text="网吧", ratio_text="10户"), "张三",
                 type_names=["网吧"])
        add_item(s, 2025, hotel_item(number="3", item="噪声", object_text="排放噪声单位", ratio_text="看情况"), "张三")
        add_item(s, 2025, hotel_item(number="4", item="大型活动", object_text="承办单位",
                                     ratio_text="按大型群众性活动实际执行"), "张三", type_names=["娱乐场所"])
    with roster.session() as s:
        rows = {r.number: r for r in plan_overview(s, 2025)}
    hotels = rows["1"]
    # 43 active hotels (2 of them not in business); 5% of 41 in business, rounded up, is 3.
    assert (hotels.roster_count, hotels.eligible, hotels.draw_size) == (43, 41, 3)
    assert hotels.rule_text == "比例≥5%，每年1次" and hotels.problems == []
    assert (rows["2"].eligible, rows["2"].draw_size) == (3, 3)          # 10户 capped at what exists
    assert rows["3"].draw_size is None
    assert rows["3"].problems == ["未关联对象类型", "规则无法解析"]
    assert rows["3"].rule_text.startswith("无法识别")
    assert rows["4"].problems == ["按活动执行"] and rows["4"].draw_size == 0


def test_editing_the_ratio_text_reparses_the_rule_unless_set_by_hand(roster):
    with roster.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        item_id = add_item(s, 2025, hotel_item(), "张三").id
    with roster.session() as s:
        data = item_data_of(find_item(s, 2025, "1"))
        data.ratio_text = "随机抽取20%"
        data.checklist = ["是否落实旅客信息登记", "是否取得特种行业许可证", "新增一项"]
        item = update_item(s, item_id, data, "李四")
        assert (item.ratio, item.ratio_kind, item.rounds_min) == (0.2, "exact", None)
        assert [e.text for e in item.checklist] == ["是否落实旅客信息登记", "是否取得特种行业许可证", "新增一项"]
        assert [e.seq for e in item.checklist] == [1, 2, 3]
    with roster.session() as s:
        set_manual_rule(s, item_id, SamplingRule(ratio=0.1, ratio_kind="min", rounds_min=2, rounds_max=2), "李四")
    with roster.session() as s:
        data = item_data_of(find_item(s, 2025, "1"))
        assert data.rule_manual and data.rule.ratio == 0.1
        data.ratio_text = "乱写的文字"
        item = update_item(s, item_id, data, "李四")
        # The hand-set rule survives an edit of the text, which is kept as written.
        assert (item.ratio, item.rounds_min, item.rule_manual, item.ratio_text) == (0.1, 2, True, "乱写的文字")
        set_manual_rule(s, item_id, None, "李四")
        assert not item.rule_manual and not item.rule_parsed
        assert item_to_dict(item)["rule"].startswith("无法识别")


def test_bad_edits_are_refused_in_chinese(roster):
    with roster.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        item = add_item(s, 2025, hotel_item(), "张三")
        add_item(s, 2025, hotel_item(number="2"), "张三")
        with pytest.raises(PlanError, match="抽查事项不能为空"):
            update_item(s, item.id, hotel_item(item=" "), "张三")
        with pytest.raises(PlanError, match="已有编号"):
            update_item(s, item.id, hotel_item(number="2"), "张三")
        with pytest.raises(PlanError, match="起始月晚于结束月"):
            update_item(s, item.id, hotel_item(month_from=9, month_to=3), "张三")
        with pytest.raises(PlanError, match="没有对象类型“加气站”"):
            link_types(s, item.id, ["旅馆", "加气站"], "张三")


def test_relinking_replaces_the_types_and_auto_link_knows_the_plans_wordings(roster):
    with roster.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        item = add_item(s, 2025, hotel_item(), "张三", type_names=["旅馆"])
        link_types(s, item.id, ["网吧", "保安服务公司"], "张三")
        assert sorted(item_to_dict(item)["object_types"]) == ["保安服务公司", "网吧"]
    assert auto_link_types("各类宾馆、旅店", TYPES) == ["旅馆"]
    assert auto_link_types("互联网上网服务营业场所(网吧、电脑休闲室等)", TYPES) == ["网吧"]
    assert auto_link_types("娱乐服务场所", TYPES) == ["娱乐场所"]
    assert auto_link_types("公章刻制从业单位", TYPES) == ["公章刻制"]
    assert auto_link_types("废旧金属收购从业单位", TYPES) == ["废旧金属收购"]
    assert auto_link_types("使用易制毒化学品的企业", TYPES) == ["易制毒化学品企业"]
    assert auto_link_types("各类医药公司", TYPES) == ["危险化学品单位"]
    assert auto_link_types("典当业", TYPES) == ["典当行"]
    assert auto_link_types("排放偶发性强烈噪声单位", TYPES) == []
    # An alias only links a type the roster has.
    assert auto_link_types("金融机构营业场所、金库", TYPES) == []


def test_copying_last_years_plan_keeps_items_checklists_links_and_months(roster):
    with roster.session() as s:
        create_plan(s, 2024, "沂源县公安局", "沂源县公安局2024年度“双随机、一公开”抽查工作计划", "张三")
        add_item(s, 2024, hotel_item(time_text="2024年5月-11月"), "张三", type_names=["旅馆"])
        add_item(s, 2024, hotel_item(number="2", item="网吧检查", ratio_text="10户"), "张三", type_names=["网吧"])
    with roster.session() as s:
        plan = copy_plan(s, 2024, 2025, "张三")
        assert plan.title == "沂源县公安局2025年度“双随机、一公开”抽查工作计划"
    with roster.session() as s:
        new = get_plan(s, 2025)
        old = get_plan(s, 2024)
        assert [it.number for it in new.items] == ["1", "2"]
        first = item_to_dict(new.items[0])
        assert first["object_types"] == ["旅馆"] and first["months"] == [5, 11]
        assert first["checklist"] == ["是否取得特种行业许可证", "是否落实旅客信息登记"]
        assert first["time_text"] == "2025年5月-11月"
        assert first["partner_departments"] == ["住房城乡建设局"]
        assert new.items[0].id != old.items[0].id and len(old.items) == 2
        with pytest.raises(PlanError, match="不能再复制"):
            copy_plan(s, 2024, 2025, "张三")


def test_an_item_with_a_draw_cannot_be_deleted(roster):
    with roster.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        kept = add_item(s, 2025, hotel_item(), "张三")
        gone = add_item(s, 2025, hotel_item(number="2"), "张三")
        s.add(DrawRecord(plan_item_id=kept.id, algorithm_version="1", created_at=datetime(2025, 5, 1),
                         fingerprint="f" * 64, seed="0" * 64, record_json="{}", record_hash="h" * 64))
        s.flush()
        with pytest.raises(PlanError, match="已有抽取记录"):
            delete_item(s, kept.id, "张三")
        delete_item(s, gone.id, "张三")
    with roster.session() as s:
        assert [it.number for it in get_plan(s, 2025).items] == ["1"]


def test_item_to_dict_has_every_field_show_plan_promises(roster):
    with roster.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        d = item_to_dict(add_item(s, 2025, hotel_item(), "张三", type_names=["旅馆"]))
    assert d["number"] == "1" and d["item"].startswith("对宾馆") and d["field"].startswith("对宾馆")
    assert (d["ratio"], d["ratio_kind"], d["count"], d["rounds_per_year"], d["per_event"]) == (
        0.05, "min", None, 1, False)
    assert d["responsible_unit"] == "治安大队" and d["methods"] == ["现场检查"] and d["months"] == [5, 11]
    for key in ("basis", "mode", "category", "level", "est_count_text", "est_risk", "rule_parsed", "remark"):
        assert key in d


def test_the_demo_plans_include_one_for_this_year_ready_to_draw(db):
    from datetime import date

    from usecases.demo_plans import DEMO_BUREAU, load_demo_plans

    seen = []
    counts = load_demo_plans(db, progress=lambda done, total: seen.append((done, total)))
    this_year = date.today().year
    assert counts == {"plans": 3, "items": 36} and seen[-1] == (3, 3)
    with db.session() as s:
        assert sorted(p.year for p in list_plans(s)) == sorted({2022, 2024, this_year})
        plan = get_plan(s, this_year)
        assert plan.bureau == DEMO_BUREAU and plan.title == f"{DEMO_BUREAU}{this_year}年度“双随机、一公开”抽查计划"
        first = item_to_dict(plan.items[0])
        assert first["object_types"] == ["旅馆"] and first["ratio"] == 0.05 and first["months"] == [5, 11]
    assert load_demo_plans(db) == {"plans": 0, "items": 0}      # loading twice changes nothing
