"""A small roster and plan for the draw-screen stories: open hotels, some closed or deactivated, and inspectors."""
from __future__ import annotations

from models.plan import Plan, PlanItem
from models.roster import InspectedObject, Inspector, ObjectType

WITNESSES = [("王监督", "县纪委"), ("李见证", "群众代表")]


def code(n: int) -> str:
    return f"91530000MA{n:08d}"


def build_world(db, *, hotels: int = 41, inspectors: int = 6) -> dict:
    """Plan 2024 item 1: 旅馆, 全年抽查比例不低于5% (41 open hotels → 3), 治安大队."""
    with db.session() as s:
        hotel = ObjectType(name="旅馆")
        s.add(hotel)
        s.flush()
        objs = [InspectedObject(name=f"春城{n:02d}号宾馆", credit_code=code(n), object_type_id=hotel.id,
                                jurisdiction="城关派出所", risk_level=("高风险", "中风险", "中低风险", "低风险")[n % 4])
                for n in range(hotels)]
        objs.append(InspectedObject(name="停业旅社", credit_code=code(900), object_type_id=hotel.id, status="停业"))
        objs.append(InspectedObject(name="停用客栈", credit_code=code(901), object_type_id=hotel.id, active=False))
        s.add_all(objs)
        s.add_all([Inspector(name=f"民警{n}", badge_no=f"0{n:05d}", unit="治安大队") for n in range(inspectors)])
        plan = Plan(year=2024, bureau="测试县公安局", title="2024年度抽查计划")
        plan.items.append(PlanItem(number="1", item="对旅馆的监督检查", mode="公安内部",
                                   ratio_text="全年抽查比例不低于5%，每年抽查1次", responsible_unit="治安大队",
                                   object_types=[hotel]))
        s.add(plan)
        s.flush()
        return {"object_ids": [o.id for o in objs]}
