"""The 沂源 (seed 002) plan with a roster of organisers and 治安大队 officers, for the per-event stories."""
from __future__ import annotations

from datetime import date

from models.event_service import EventData, add_event
from models.roster import InspectedObject, Inspector, ObjectType, Recusal
from usecases.plan_import import import_plan_file

ORGANISERS = [("沂源县文化旅游发展有限公司", "91370323MA3C000011"), ("沂源县体育中心", "12370323MB0000002X"),
              ("淄博鲁中演艺有限公司", "91370303MA3D000033")]
# Three events a clerk registers for 2022: 焰火晚会, 演唱会, 马拉松.
EVENTS = [
    EventData("2022年国庆焰火晚会", "沂源县文化旅游发展有限公司", date(2022, 10, 1), date(2022, 10, 1), "沂河公园广场",
              8000, "沂公安许〔2022〕12号"),
    EventData("鲁中之夏演唱会", "91370303MA3D000033", "2022-07-16", "2022-07-16", "沂源县体育场", "12000",
              "沂公安许〔2022〕9号"),
    EventData("沂源半程马拉松", "沂源县体育中心", "2022年5月8日", "", "县城环线", None, "沂公安许〔2022〕5号"),
]


def event_world(db, data_dir, *, events=True) -> dict:
    with db.session() as s:
        t = ObjectType(name="大型活动承办单位")
        s.add(t)
        s.flush()
        objs = [InspectedObject(name=n, credit_code=c, object_type_id=t.id, jurisdiction="城关派出所")
                for n, c in ORGANISERS]
        people = [Inspector(name=f"民警{n}", badge_no=f"37032{n:04d}", unit="治安大队") for n in range(5)]
        s.add_all(objs + people)
        s.flush()
        s.add(Recusal(inspector_id=people[0].id, object_id=objs[1].id, reason="亲属在体育中心任职"))
        ids = {"organisers": [o.id for o in objs], "inspectors": [p.id for p in people]}
    preview, _n = import_plan_file(db, data_dir / "seed_002_yiyuan_2022.tsv", 2022, "张三")
    assert preview.ok
    if events:
        with db.session() as s:
            ids["events"] = [add_event(s, e, "张文书") for e in EVENTS]
    return ids
