"""A world for the 综合查一次 stories: one hotel that three items of the 2024 plan all draw (the only object of its
type), and internet cafés a fourth item draws, each café for that item alone."""
from __future__ import annotations

from datetime import date, datetime

from models.draw_service import prepare_draw
from models.inspection_service import CheckInput, HazardInput
from models.joint_visit import JointItemResult, JointVisitData, joint_visit_form
from models.plan import ChecklistEntry, Plan, PlanItem
from models.roster import InspectedObject, Inspector, ObjectType
from tests.models.draw_fixtures import ENTROPY, WITNESSES, code, sealed_draw

DRAWN_AT = datetime(2024, 4, 22, 9, 30)
VISIT = date(2024, 5, 6)
HOTEL = "联合大酒店"
CHECKLISTS = {
    "1": ["是否按规定登记旅客身份信息", "视频监控录像是否保存30日以上"],
    "2": ["消防通道是否畅通", "灭火器是否在有效期内"],
    "3": ["是否建立内部治安保卫制度"],
}
ITEM_NAMES = {"1": "对旅馆业的治安管理检查", "2": "对消防安全的监督检查", "3": "对内部治安保卫工作的检查"}
# What the joint team finds: one hazard under item 1, two under item 2, none under item 3.
FOUND = {
    "1": [("监控录像保存不足30日", "《旅馆业治安管理办法》第六条")],
    "2": [("消防通道堆放杂物", "《中华人民共和国消防法》第二十八条"),
          ("灭火器过期", "《中华人民共和国消防法》第十六条")],
    "3": [],
}


def joint_world(db, *, items: tuple[str, ...] = ("1", "2", "3"), joint_group: str = "", more_hotels: int = 0,
                ratio_text: str = "1户") -> dict:
    """Plan 2024: items 1–3 on the one hotel (item 1 部门联合 with 市场监督管理局, led by 治安大队), item 4 on three
    cafés; every item in ``items`` drawn on 2024-04-22 (H1). ``more_hotels`` adds hotels beside it (the items
    then draw ``ratio_text`` of them). Returns the draw ids by item number."""
    with db.session() as s:
        hotel_type, cafe_type = ObjectType(name="旅馆"), ObjectType(name="网吧")
        s.add_all([hotel_type, cafe_type])
        s.flush()
        s.add(InspectedObject(name=HOTEL, credit_code=code(1), object_type_id=hotel_type.id,
                              jurisdiction="城关派出所", address="城关镇人民路1号", legal_rep="赵经理"))
        for n in range(more_hotels):
            s.add(InspectedObject(name=f"平安{n:02d}号宾馆", credit_code=code(100 + n), object_type_id=hotel_type.id))
        for n in range(3):
            s.add(InspectedObject(name=f"极速{n}网吧", credit_code=code(50 + n), object_type_id=cafe_type.id))
        s.add_all([Inspector(name=f"民警{n}", badge_no=f"0{n:05d}", unit="治安大队") for n in range(4)])
        s.add_all([Inspector(name=f"市监{n}", badge_no=f"S{n:05d}", unit="市场监督管理局") for n in range(2)])
        plan = Plan(year=2024, bureau="测试县公安局", title="2024年度抽查计划")
        for number in ("1", "2", "3"):
            item = PlanItem(number=number, seq=int(number), item=ITEM_NAMES[number], ratio_text=ratio_text,
                            mode="部门联合" if number == "1" else "公安内部", responsible_unit="治安大队",
                            initiator="治安大队" if number == "1" else "", joint_group=joint_group,
                            partners=["县市场监督管理局"] if number == "1" else [], object_types=[hotel_type])
            item.checklist = [ChecklistEntry(seq=n, text=t) for n, t in enumerate(CHECKLISTS[number], start=1)]
            plan.items.append(item)
        plan.items.append(PlanItem(number="4", seq=4, item="对网吧的监督检查", ratio_text="3户", mode="公安内部",
                                   responsible_unit="治安大队", object_types=[cafe_type]))
        s.add(plan)
    draws = {}
    for number in items:
        with db.session() as s:
            prep = prepare_draw(s, 2024, number)
        assert not prep.problems, prep.problems
        draws[number] = sealed_draw(db, prep, entropy=ENTROPY, witnesses=WITNESSES, place="治安大队会议室",
                                    operator="测试员", clock=lambda: DRAWN_AT).id
    return {"draws": draws}


def visit_data(db, task_id: int, *, found=FOUND, day=VISIT) -> JointVisitData:
    """The clerk's entry after the visit: the task's team, each item's verdicts (不符合 where something was found)."""
    with db.session() as s:
        form = joint_visit_form(s, task_id)
    items = []
    for pick, one in zip(form.detail.picks, form.forms):
        hazards = found.get(pick.item_number, [])
        items.append(JointItemResult(
            pick.pick_id, "发现问题已责令改正" if hazards else "未发现问题",
            checks=[CheckInput(e, "不符合" if hazards else "符合") for e, _seq, _t in one.checklist],
            hazards=[HazardInput(t, c) for t, c in hazards]))
    return JointVisitData(task_id, day, day, list(form.team_ids), items, executing_unit="治安大队")
