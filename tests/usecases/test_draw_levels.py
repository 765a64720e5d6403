"""昆明市公安局 runs its 2024 plan (seed 004) with its 实施层级: 县抽县查 per county, 市抽县查 with each object's county
officers, 市抽市查 with the city's own units — after describing its hierarchy once."""
from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from models.draw_levels import level_rules
from models.draw_prepare import prepare_draw
from models.draw_verify import verify_record
from models.errors import UserError
from models.plan import PlanItem
from models.hierarchy import (
    Hierarchy, HierarchyImportError, JurisdictionData, import_rows, list_hierarchy, save_jurisdiction,
)
from models.roster import DEFAULT_OBJECT_TYPES, InspectedObject, Inspector, ObjectType
from models.credit_code import make_code
from tests.models.draw_fixtures import sealed_draw
from usecases.plan_import import import_plan_file

HIERARCHY = [
    ["名称", "层级", "上级", "所属单位/辖区名称"],
    ["昆明市公安局", "市", "", "治安管理支队、网络安全保卫支队"],
    ["五华分局", "县", "昆明市公安局", "五华分局治安大队"],
    ["盘龙分局", "县", "昆明市公安局", "盘龙分局治安大队"],
    ["华山派出所", "所", "五华分局", "华山街道"],
    ["护国派出所", "派出所", "五华分局", ""],
    ["拓东派出所", "所", "盘龙分局", ""],
    ["鼓楼派出所", "所", "盘龙分局", ""],
]
WUHUA = ("华山派出所", "护国派出所", "华山街道")
PANLONG = ("拓东派出所", "鼓楼派出所")


@pytest.fixture
def kunming(db, data_dir):
    """The seed-004 plan, a roster across two districts (one 网吧 in a 辖区 nobody mapped) and officers by level."""
    with db.session() as s:
        s.add_all(ObjectType(name=n) for n in DEFAULT_OBJECT_TYPES)
    preview, count = import_plan_file(db, data_dir / "seed_004_kunming_2024.tsv", 2024, "张三")
    assert count == 12
    with db.session() as s:
        types = {t.name: t.id for t in s.query(ObjectType)}
        n = 0
        for type_name, per_place in (("网吧", 3), ("易制毒化学品企业", 2), ("重点信息系统运营单位", 1)):
            for place in WUHUA + PANLONG:
                for _ in range(per_place):
                    n += 1
                    s.add(InspectedObject(name=f"{place[:2]}{type_name}{n:03d}", credit_code=make_code(n, "530102"),
                                          object_type_id=types[type_name], jurisdiction=place))
        s.add(InspectedObject(name="滇池网吧", credit_code=make_code(999, "530112"), object_type_id=types["网吧"],
                              jurisdiction="滇池度假区派出所"))
        people = [("五华分局治安大队", 3), ("华山派出所", 1), ("盘龙分局治安大队", 3), ("治安管理支队", 3)]
        badge = 530000
        for unit, count in people:
            for k in range(count):
                badge += 1
                s.add(Inspector(name=f"{unit[:2]}民警{k}", badge_no=str(badge), unit=unit))
    return db


def _hierarchy(db):
    with db.session() as s:
        import_rows(s, HIERARCHY, "张三", "层级.xlsx")


def _set_level(db, number: str, level: str) -> None:
    with db.session() as s:
        s.execute(select(PlanItem).where(PlanItem.number == number)).scalar().level = level


def county_of(db):
    with db.read_session() as s:
        return Hierarchy.load(s)


def test_the_plans_level_texts_name_their_rules():
    assert level_rules("市抽市查 县抽县查") == ("市抽市查", "县抽县查")
    assert level_rules("市抽市、县查") == ("市抽县查",)
    assert level_rules("市抽县查") == ("市抽县查",)
    assert level_rules("市抽市查") == ("市抽市查",)
    assert level_rules("") == ()


def test_the_hierarchy_table_resolves_units_and_辖区_to_county_and_city(kunming):
    _hierarchy(kunming)
    h = county_of(kunming)
    assert h.county_of("华山街道") == "五华分局" and h.county_of("华山派出所") == "五华分局"
    assert h.county_of("盘龙分局治安大队") == "盘龙分局" and h.city_of("拓东派出所") == "昆明市公安局"
    assert h.county_of("治安管理支队") is None and h.is_city_level("治安管理支队")
    assert h.county_of("滇池度假区派出所") is None
    with kunming.read_session() as s:
        rows = list_hierarchy(s)
    assert [(r.name, r.depth) for r in rows][:4] == [("昆明市公安局", 0), ("五华分局", 1), ("华山派出所", 2),
                                                     ("护国派出所", 2)]


def test_a_table_with_a_bad_row_saves_nothing_and_names_each_row(kunming):
    bad = HIERARCHY + [["官渡分局", "县", "不存在的市局", ""], ["关上派出所", "镇", "官渡分局", "华山街道"]]
    with pytest.raises(HierarchyImportError) as err:
        with kunming.session() as s:
            import_rows(s, bad, "张三", "层级.xlsx")
    text = str(err.value)
    assert "第 9 行，“上级”列：上级「不存在的市局」不存在" in text
    assert "第 10 行，“层级”列：层级「镇」无效" in text
    assert "第 10 行，“所属单位/辖区名称”列：「华山街道」已在第 5 行属于「华山派出所」" in text
    assert list_hierarchy(kunming.read_session()) == []


def test_县抽县查_draws_one_county_from_its_objects_with_its_officers(kunming):
    _hierarchy(kunming)
    with kunming.read_session() as s:
        asked = prepare_draw(s, 2024, "2")   # 网吧, 3户, 市抽市查 县抽县查
        prep = prepare_draw(s, 2024, "2", jurisdiction="五华分局")
    assert asked.level_rule == "市抽市查" and asked.responsible_units == ["治安管理支队"]
    assert prep.ready, prep.problems
    assert prep.level_rule == "县抽县查（五华分局）"
    assert {c.name[:2] for c in prep.candidates} == {"华山", "护国"} and prep.total_eligible == 9
    assert prep.sizes == {"全部": 3}
    assert set(prep.responsible_units) == {"五华分局治安大队", "华山派出所"}
    assert {p.unit for p in prep.inspectors} == {"五华分局治安大队", "华山派出所"}
    saved = sealed_draw(kunming, prep)
    assert saved.record["announcement"]["jurisdiction"] == "五华分局"
    with kunming.read_session() as s:
        places = {s.get(InspectedObject, p["id"]).jurisdiction for p in saved.picks}
    assert places <= {"华山派出所", "护国派出所", "华山街道"}
    assert all(i["unit"] in ("五华分局治安大队", "华山派出所") for a in saved.assignments for i in a["inspectors"])
    assert verify_record(saved.record).ok
    # 盘龙 draws its own round 1; 五华 cannot draw round 1 twice.
    with kunming.read_session() as s:
        panlong = prepare_draw(s, 2024, "2", jurisdiction="盘龙分局")
        again = prepare_draw(s, 2024, "2", jurisdiction="五华分局")
    assert panlong.ready and {c.name[:2] for c in panlong.candidates} == {"拓东", "鼓楼"}
    sealed_draw(kunming, panlong)
    with pytest.raises(UserError, match="已有抽取记录"):
        sealed_draw(kunming, again)


def test_a_county_only_item_asks_for_the_county(kunming):
    _hierarchy(kunming)
    _set_level(kunming, "2", "县抽县查")
    with kunming.read_session() as s:
        prep = prepare_draw(s, 2024, "2")
    assert "本事项为县抽县查，须按县（区）局分别抽取，请选择县（区）局：五华分局、盘龙分局" in prep.problems


def test_市抽县查_gives_each_pick_officers_of_its_objects_county_and_verifies(kunming):
    _hierarchy(kunming)
    with kunming.read_session() as s:
        prep = prepare_draw(s, 2024, "4", size_override=1)  # 废旧金属: none in the roster
        assert not prep.ready
        prep = prepare_draw(s, 2024, "12", size_override=6)   # 易制毒, 市抽县查
    assert prep.ready, prep.problems
    assert prep.level_rule == "市抽县查" and prep.total_eligible == 10
    saved = sealed_draw(kunming, prep)
    record = saved.record
    counties = dict(map(tuple, record["inspection"]["counties"]["objects"]))
    officers = dict(map(tuple, record["inspection"]["counties"]["inspectors"]))
    assert set(counties.values()) == {"五华分局", "盘龙分局"}
    assert officers and not any(i["unit"] == "治安管理支队" for i in record["inspection"]["inspectors"])
    for a in saved.assignments:
        assert len(a["inspectors"]) == 2
        assert {officers[i["id"]] for i in a["inspectors"]} == {counties[a["object_id"]]}
    assert verify_record(record, saved.record_hash).ok
    # Moving an officer to the other county after the fact is caught.
    forged = copy.deepcopy(record)
    pair = forged["inspection"]["counties"]["inspectors"][0]
    pair[1] = "盘龙分局" if pair[1] == "五华分局" else "五华分局"
    result = verify_record(forged)
    assert not result.ok and "设置指纹" in result.message


def test_an_object_whose_辖区_maps_to_no_county_is_reported_then_drawn_once_mapped(kunming):
    _hierarchy(kunming)
    _set_level(kunming, "2", "市抽县查")
    with kunming.read_session() as s:
        prep = prepare_draw(s, 2024, "2")
    assert not prep.ready
    assert any("1 个检查对象的辖区不属于任何县（区）局" in p and "滇池网吧（辖区：滇池度假区派出所）" in p
               for p in prep.problems)
    with kunming.session() as s:
        save_jurisdiction(s, JurisdictionData("滇池度假区派出所", "所", "五华分局"), "张三")
    with kunming.read_session() as s:
        prep = prepare_draw(s, 2024, "2")
    assert prep.ready and prep.total_eligible == 16


def test_市抽市查_uses_the_city_units_and_an_unset_hierarchy_changes_nothing(kunming):
    with kunming.read_session() as s:
        before = prepare_draw(s, 2024, "7")
    assert before.level_rule == "" and any("尚未设置本局的实施层级" in n for n in before.notes)
    _hierarchy(kunming)
    with kunming.read_session() as s:
        prep = prepare_draw(s, 2024, "7", size_override=2)
    assert prep.ready and prep.level_rule == "市抽市查"
    assert prep.responsible_units == ["治安管理支队"] and prep.total_eligible == 5
    saved = sealed_draw(kunming, prep)
    assert "counties" not in saved.record["inspection"]
    assert all(i["unit"] == "治安管理支队" for a in saved.assignments for i in a["inspectors"])


def test_a_closed_市抽县查_pick_is_substituted_and_a_县抽县查_draw_redrawn_under_the_same_rule(kunming):
    from models.draw_verify import link_problem
    from tests.models.draw_fixtures import sealed_redraw, sealed_substitute

    _hierarchy(kunming)
    with kunming.read_session() as s:
        citywide = prepare_draw(s, 2024, "12", size_override=3)
        county = prepare_draw(s, 2024, "2", jurisdiction="盘龙分局")
    first = sealed_draw(kunming, citywide)
    closed = first.picks[0]["id"]
    sub = sealed_substitute(kunming, first.id, closed, reason="该企业已停业")
    objects = dict(map(tuple, sub.record["inspection"]["counties"]["objects"]))
    officers = dict(map(tuple, sub.record["inspection"]["counties"]["inspectors"]))
    assert closed not in objects and len(sub.picks) == 1
    assert {officers[i["id"]] for i in sub.assignments[0]["inspectors"]} == {objects[sub.picks[0]["id"]]}
    assert verify_record(sub.record).ok and link_problem(sub.record, first.record) is None

    drawn = sealed_draw(kunming, county)
    again = sealed_redraw(kunming, drawn.id, reason="见证人未到场，重新抽取")
    assert again.record["announcement"]["jurisdiction"] == "盘龙分局"
    assert {i["unit"] for a in again.assignments for i in a["inspectors"]} <= {"盘龙分局治安大队"}
    assert link_problem(again.record, drawn.record) is None


def test_a_county_draw_names_the_objects_no_county_owns(kunming):
    _hierarchy(kunming)
    with kunming.read_session() as s:
        prep = prepare_draw(s, 2024, "2", jurisdiction="盘龙分局")
    assert prep.ready
    assert any("1 个检查对象的辖区不属于任何县（区）局" in n and "「滇池度假区派出所」" in n for n in prep.notes)
