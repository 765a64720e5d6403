"""A small 辖区 world for the routine-duty stories: hotels and pawnshops in two 派出所 areas, two officers.

Checks that were not drawn are recorded through models.check_service (the `check` command's service), by the
world's two officers; a check made for a duty carries its duty_id through the same service (check --duty).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models.check_service import CheckData, record_check
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
                officers=None) -> int:
    """A check of one object on ``day`` that was not drawn (the monthly round, a complaint …), no hazard found."""
    with db.session() as s:
        if officers is None:
            officers = list(s.scalars(select(Inspector.id).order_by(Inspector.id).limit(2)))
        complaint = source == "举报投诉"
        data = CheckData(object_id=object_id, source=source, date_from=day, date_to=day, inspector_ids=list(officers),
                         result_category="未发现问题", executing_unit="城关派出所",
                         source_ref="TS-2024-001" if complaint else "", source_date=day if complaint else None,
                         duty_id=duty_id)
        return record_check(s, data, "测试员")
