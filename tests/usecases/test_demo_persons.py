"""A new user opens the demo and finds persons on the roster: 废旧金属 collectors by 身份证号, an unlicensed stall
(无, with its reason) and foreigners by passport — each valid by its own rule, and loaded only once."""
from __future__ import annotations

from sqlalchemy import select

from models.identifiers import problems
from models.roster import InspectedObject
from usecases.demo_persons import DEMO_PERSONS, load_demo_persons


def test_the_demo_persons_are_valid_and_loaded_once(db):
    assert load_demo_persons(db) == {"persons": len(DEMO_PERSONS)}
    assert load_demo_persons(db) == {"persons": 0}
    with db.session() as s:
        rows = s.execute(select(InspectedObject.name, InspectedObject.id_kind, InspectedObject.credit_code,
                                InspectedObject.id_country, InspectedObject.no_id_reason)).all()
    kinds = {r.id_kind for r in rows}
    assert kinds == {"身份证", "护照", "其他证件", "无"}
    for r in rows:
        assert problems(r.id_kind, r.credit_code or "", r.id_country, r.no_id_reason) == [], r
