"""A small roster and plan for the draw-service stories: 41 open hotels, some closed or deactivated, a few internet
cafés."""
from __future__ import annotations

from models.plan import Plan, PlanItem
from models.roster import InspectedObject, Inspector, ObjectType, Recusal


def code(n: int) -> str:
    return f"91370000MA{n:08d}"


def build_world(db, *, hotels: int = 41, inspectors: int = 6, partners: int = 2, recusals=()) -> dict:
    """Plan 2024 item 1 (旅馆, 5%, 治安大队, 部门联合 with 市场监督管理局) and item 2 (网吧, 10户)."""
    with db.session() as s:
        hotel, cafe = ObjectType(name="旅馆"), ObjectType(name="网吧")
        s.add_all([hotel, cafe])
        s.flush()
        objs = []
        for n in range(hotels):
            objs.append(InspectedObject(name=f"平安{n:02d}号酒店", credit_code=code(n), object_type_id=hotel.id,
                                        jurisdiction="城关派出所" if n % 2 else "东城派出所",
                                        risk_level=("高风险", "中风险", "中低风险", "低风险")[n % 4]))
        objs.append(InspectedObject(name="停业宾馆", credit_code=code(900), object_type_id=hotel.id, status="停业"))
        objs.append(InspectedObject(name="停业旅社", credit_code=code(901), object_type_id=hotel.id, status="停业"))
        objs.append(InspectedObject(name="注销招待所", credit_code=code(902), object_type_id=hotel.id, status="注销"))
        objs.append(InspectedObject(name="停用客栈", credit_code=code(903), object_type_id=hotel.id, active=False))
        for n in range(3):
            objs.append(InspectedObject(name=f"极速{n}网吧", credit_code=code(950 + n), object_type_id=cafe.id))
        s.add_all(objs)
        people = [Inspector(name=f"民警{n}", badge_no=f"0{n:05d}", unit="治安大队") for n in range(inspectors)]
        people += [Inspector(name=f"市监{n}", badge_no=f"S{n:05d}", unit="市场监督管理局") for n in range(partners)]
        people.append(Inspector(name="退休民警", badge_no="099999", unit="治安大队", active=False))
        s.add_all(people)
        plan = Plan(year=2024, bureau="测试县公安局", title="2024年度抽查计划")
        plan.items.append(PlanItem(number="1", item="对旅馆的监督检查", mode="部门联合",
                                   ratio_text="全年抽查比例不低于5%，每年抽查1次",
                                   responsible_unit="治安大队", partners=["县市场监督管理局"], object_types=[hotel]))
        plan.items.append(PlanItem(number="2", item="对网吧的监督检查", mode="公安内部", ratio_text="2户",
                                   responsible_unit="治安大队", object_types=[cafe]))
        plan.items.append(PlanItem(number="3", item="大型群众性活动", ratio_text="按大型群众性活动实际执行",
                                   responsible_unit="治安大队", object_types=[hotel]))
        s.add(plan)
        s.flush()
        for insp_n, obj_n in recusals:
            s.add(Recusal(inspector_id=people[insp_n].id, object_id=objs[obj_n].id, reason="亲属"))
        return {"hotel_ids": [o.id for o in objs[:hotels]], "inspector_ids": [p.id for p in people],
                "closed_ids": [o.id for o in objs[hotels:hotels + 4]]}


WITNESSES = ["王监督", "李见证"]
ENTROPY = ["12 34 56", "骰子 3 5 6"]
SOURCE = "见证人王监督、李见证在局三楼会议室现场报数和掷骰子"


def sealed_draw(db, prep, *, entropy=ENTROPY, witnesses=WITNESSES, place="局三楼会议室", operator="张文书",
                clock=None, source=SOURCE):
    """Seal the prepared setup as an announcement, then draw against it (the two steps a clerk takes)."""
    from models.draw_service import draw_sealed
    from models.seal_service import seal

    when = {} if clock is None else {"clock": clock}
    ann = seal(db, prep, entropy_source=source, operator=operator, **when)
    return draw_sealed(db, ann.year, ann.number, entropy=entropy, witnesses=witnesses, place=place,
                       operator=operator, **when)


def sealed_redraw(db, record_id, *, reason, entropy=ENTROPY, witnesses=WITNESSES, place="", operator="张文书",
                  clock=None):
    """A 重抽: seal it with its reason, then draw against that seal."""
    from models.draw_service import draw_sealed
    from models.seal_service import seal_redraw

    when = {} if clock is None else {"clock": clock}
    ann = seal_redraw(db, record_id, reason=reason, entropy_source=SOURCE, operator=operator, **when)
    return draw_sealed(db, ann.year, ann.number, entropy=entropy, witnesses=witnesses, place=place,
                       operator=operator, **when)


def sealed_substitute(db, record_id, object_id, *, reason, entropy=ENTROPY, witnesses=WITNESSES, place="",
                      operator="张文书", clock=None):
    """A 替补 for one object: seal it with its reason, then draw against that seal."""
    from models.draw_service import draw_sealed
    from models.seal_service import seal_substitute

    when = {} if clock is None else {"clock": clock}
    ann = seal_substitute(db, record_id, object_id, reason=reason, entropy_source=SOURCE, operator=operator, **when)
    return draw_sealed(db, ann.year, ann.number, entropy=entropy, witnesses=witnesses, place=place,
                       operator=operator, **when)
