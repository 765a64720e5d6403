"""The 检查对象 list of a county (issue 17): hundreds of hotels in one 辖区, of one 类型, at one 风险等级 — the list
keeps one string per such value instead of one per row (300,000 objects went from 356 to 150 MB), and reads
exactly as the database holds it: 是否启用 a bool, a person without any identifier an empty code (None)."""
from __future__ import annotations

from sqlalchemy import update

from models import roster_service as rs
from models.credit_code import make_code
from models.roster import ID_KIND_NONE, InspectedObject


def test_repeated_values_are_one_string_and_every_field_reads_as_stored(db):
    with db.session() as s:
        for n in range(1, 41):
            rs.add_object(s, rs.ObjectData(
                name=f"沂源县第{n}旅馆", credit_code=make_code(n), type_name="旅馆", jurisdiction="城关派出所",
                risk_level="中风险", status="在营", address="沂源县城关镇", legal_rep="张三", phone="0533-3221100"),
                "王")
        rs.add_object(s, rs.ObjectData(name="李记废品站", credit_code="", type_name="废旧金属收购",
                                       jurisdiction="南麻派出所", id_kind=ID_KIND_NONE, no_id_reason="流动摊贩"), "王")
        # Four hotels closed for good: 停用 (the list shows them with include_inactive).
        closed = [f"沂源县第{n}旅馆" for n in (10, 20, 30, 40)]
        s.execute(update(InspectedObject).where(InspectedObject.name.in_(closed)).values(active=False))
    with db.read_session() as s:
        rows = rs.list_objects(s, rs.ObjectFilter(include_inactive=True))
        first = rs.list_objects(s, rs.ObjectFilter(include_inactive=True), limit=5)
    assert len(rows) == 41 and first == rows[:5]
    hotels = [r for r in rows if r.type_name == "旅馆"]
    for field in ("type_name", "jurisdiction", "risk_level", "status", "address", "legal_rep", "phone", "id_kind"):
        assert len({id(getattr(r, field)) for r in hotels}) == 1, field
    assert {r.active for r in hotels} == {True, False} and all(type(r.active) is bool for r in rows)
    assert sum(not r.active for r in hotels) == 4
    stall = next(r for r in rows if r.name == "李记废品站")
    assert stall.id_kind == ID_KIND_NONE and not stall.credit_code
