"""A small 辖区 world for the routine-duty stories: hotels and pawnshops in two 派出所 areas, two officers.

Checks that were not drawn are recorded here as inspection rows (source 日常巡查, the duty when given),
exactly the columns the coverage reads (object_id, source, duty_id, date_to).
"""
from __future__ import annotations

from datetime import date

from models.inspection import Inspection, InspectionInspector
from models.roster import InspectedObject, Inspector, ObjectType
from tests.models.draw_fixtures import code

HOTELS = {"城关派出所": ["平安宾馆", "如家酒店城关店", "迎宾旅社"], "南麻派出所": ["南麻大酒店", "南麻客栈"]}
PAWNSHOPS = {"城关派出所": ["城关典当行"], "南麻派出所": ["南麻典当行"]}


def duty_world(db) -> dict:
    """Hotels and pawnshops (plus a 停业 hotel and a deactivated one that no duty covers); ids by name."""
    ids: dict[str, int] = {}
    with db.session() as s:
        hotel, pawn = ObjectType(name="旅馆"), ObjectType(name="典当行")
        s.add_all([hotel, pawn])
        s.flush()
        n = 0
        objs = []
        for kind, table in ((hotel, HOTELS), (pawn, PAWNSHOPS)):
            for where, names in table.items():
                for name in names:
                    n += 1
                    objs.append(InspectedObject(name=name, credit_code=code(n), object_type_id=kind.id,
                                                jurisdiction=where))
        objs.append(InspectedObject(name="停业招待所", credit_code=code(90), object_type_id=hotel.id,
                                    jurisdiction="城关派出所", status="停业"))
        objs.append(InspectedObject(name="停用客栈", credit_code=code(91), object_type_id=hotel.id,
                                    jurisdiction="城关派出所", active=False))
        officers = [Inspector(name="李警官", badge_no="100001", unit="城关派出所"),
                    Inspector(name="王警官", badge_no="100002", unit="城关派出所")]
        s.add_all(objs + officers)
        s.flush()
        ids = {o.name: o.id for o in objs}
        officer_ids = [i.id for i in officers]
    return {"objects": ids, "officers": officer_ids}


def round_check(db, object_id: int, day: date, *, duty_id: int | None = None, source: str = "日常巡查",
                officers=()) -> int:
    """A check of one object on ``day`` that was not drawn (the monthly round, a complaint …)."""
    with db.session() as s:
        insp = Inspection(pick_id=None, object_id=object_id, source=source, duty_id=duty_id, date_from=day,
                          date_to=day, result_category="未发现问题", executing_unit="城关派出所",
                          created_by="测试员")
        insp.inspectors = [InspectionInspector(inspector_id=i) for i in officers]
        s.add(insp)
        s.flush()
        return insp.id
