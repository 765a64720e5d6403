"""The demo declares seed 003's routine duties, so a new user finds them on 巡查任务 and their coverage on 巡查覆盖."""
from __future__ import annotations

from datetime import date

from models.demo_roster import load_demo_roster
from models.duties import list_duties
from models.duty_coverage import coverage
from usecases.demo import DEMO_STEPS
from usecases.demo_duties import load_demo_duties


def test_the_demo_declares_the_seed_duties_and_they_cover_its_roster(db):
    assert "duties" in [step.key for step in DEMO_STEPS]
    load_demo_roster(db)
    assert load_demo_duties(db) == {"duties": 6}
    with db.session() as s:
        duties = list_duties(s)
        assert [(d.type_name, d.period, d.times, d.share_percent, d.unit_label) for d in duties] == [
            ("旅馆", "每月", 1, 100, "辖区派出所"), ("公章刻制", "每季度", 1, 100, "辖区派出所"),
            ("典当行", "每季度", 1, 100, "辖区派出所"), ("废旧金属收购", "每季度", 1, 100, "辖区派出所"),
            ("金融机构营业场所", "每年", 1, 100, "辖区派出所"), ("旅馆", "每季度", 1, 30, "治安大队")]
        found = coverage(s, date.today().year)
    hotels = found[0]
    # Every hotel 在营 on the demo roster is on some 派出所's monthly round.
    assert hotels.total > 500 and len(hotels.groups) == 10 and hotels.required == hotels.total
    special = found[-1]
    assert [g.group for g in special.groups] == ["治安大队"] and special.required * 10 >= special.total * 3
