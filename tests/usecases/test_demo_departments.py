"""A new user opens the demo and finds the partner departments at work: the plans' wordings linked to the
roster's units, and this year's 寄递 item drawn as a 部门联合 check with a postal officer on every team."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from models.departments import match_department, unmatched_wordings
from models.draw import DrawRecord
from models.draw_verify import verify_record
from models.plan import Plan, PlanItem
from usecases.demo import load_demo
from usecases.demo_departments import POSTAL_ITEM, load_demo_departments


def test_demo_links_the_aliases_and_draws_the_postal_item_with_partners(db):
    results = load_demo(db)
    assert results["departments"] == {"aliases": 5, "draws": 1}
    year = date.today().year
    with db.session() as s:
        assert match_department(s, "市邮政管理部门") == "邮政管理局"
        assert match_department(s, "市委网信办") == "网信办"
        # the copied county plan's 住建 wording stays for the clerk to see (the demo roster has no such unit)
        assert [u.wording for u in unmatched_wordings(s, year)] == ["住房城乡建设等相关部门"]
        row = s.scalars(select(DrawRecord).join(PlanItem).join(Plan)
                        .where(Plan.year == year, PlanItem.number == POSTAL_ITEM)).one()
        record = json.loads(row.record_json)
    assert record["inspection"]["partner_units"] == ["邮政管理局"]
    assert "partner_gap_reason" not in record["announcement"]
    for team in record["assignments"]:
        assert [i["unit"] for i in team["inspectors"]].count("邮政管理局") == 1
    assert verify_record(record, row.record_hash).ok
    assert load_demo_departments(db) == {"aliases": 0, "draws": 0}   # a second run adds nothing
