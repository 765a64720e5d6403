"""A new user opens the demo and finds the 实施层级 at work: 昆明市公安局 with three districts over the roster's
派出所, item 2 drawn for 五华分局 alone (县抽县查) and item 4 drawn citywide with each object's district officers."""
from __future__ import annotations

import json

from sqlalchemy import select

from models.draw import DrawRecord
from models.draw_verify import verify_record
from models.hierarchy import Hierarchy
from models.plan import Plan, PlanItem
from usecases.demo import load_demo
from usecases.demo_hierarchy import CITY_COUNTY_ITEM, COUNTY, COUNTY_ITEM, PLAN_YEAR, load_demo_hierarchy


def _record(s, number: str) -> tuple[dict, str]:
    row = s.scalars(select(DrawRecord).join(PlanItem).join(Plan)
                    .where(Plan.year == PLAN_YEAR, Plan.bureau == "昆明市公安局", PlanItem.number == number)).one()
    return json.loads(row.record_json), row.record_hash


def test_demo_describes_the_hierarchy_and_draws_by_its_levels(db):
    results = load_demo(db)
    assert results["hierarchy"] == {"levels": 14, "draws": 2}
    with db.read_session() as s:
        h = Hierarchy.load(s)
        assert h.counties() == ["五华分局", "官渡分局", "盘龙分局"]
        assert h.county_of("城关派出所") == "五华分局" and h.county_of("历山街道") == "五华分局"
        assert h.is_city_level("治安大队")
        county, county_hash = _record(s, COUNTY_ITEM)
        city, city_hash = _record(s, CITY_COUNTY_ITEM)
    assert county["announcement"]["jurisdiction"] == COUNTY
    assert all(h.county_of(i["unit"]) == COUNTY for a in county["assignments"] for i in a["inspectors"])
    objects = dict(map(tuple, city["inspection"]["counties"]["objects"]))
    officers = dict(map(tuple, city["inspection"]["counties"]["inspectors"]))
    for a in city["assignments"]:
        assert {officers[i["id"]] for i in a["inspectors"]} == {objects[a["object_id"]]}
    assert verify_record(county, county_hash).ok and verify_record(city, city_hash).ok
    assert load_demo_hierarchy(db) == {"levels": 0, "draws": 0}   # a second run adds nothing
