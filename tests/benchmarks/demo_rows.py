"""The benchmarks' roster: *rows* objects of the demo's types and places (models.demo_roster), filled with a
Core bulk insert. One builder, so that bench_roster_screen, bench_startup, bench_postgres and
bench_roster_import time the same rows."""
from __future__ import annotations


def fill_roster(db, rows: int, *, first_code: int = 1, tag: str = "", inactive_every: int = 50) -> None:
    """Object n is the demo's object n (cycling), named with *tag* and n, with the code make_code(first_code + n);
    one in *inactive_every* is 停用 (0: none)."""
    from sqlalchemy import insert

    from models.credit_code import make_code
    from models.demo_roster import generate_roster
    from models.roster import InspectedObject, ObjectType

    demo, _, _ = generate_roster()
    with db.session() as s:
        s.execute(insert(ObjectType), [{"name": t} for t in sorted({d.type_name for d in demo})])
        type_id = {t.name: t.id for t in s.query(ObjectType)}
        batch = []
        for n in range(rows):
            d = demo[n % len(demo)]
            batch.append({"name": f"{d.name}{tag}{n}", "credit_code": make_code(first_code + n),
                          "object_type_id": type_id[d.type_name], "address": d.address,
                          "jurisdiction": d.jurisdiction, "legal_rep": d.legal_rep, "phone": d.phone,
                          "licence_no": d.licence_no, "risk_level": d.risk_level, "status": d.status,
                          "active": not inactive_every or n % inactive_every != 0})
            if len(batch) == 20_000:
                s.execute(insert(InspectedObject), batch)
                batch.clear()
        if batch:
            s.execute(insert(InspectedObject), batch)
