"""Demo data for the event register (issue 19 item 4): three registered events of 沂源's 2022 plan year — a
焰火晚会, a 演唱会 and a 马拉松 — and one witnessed per-event draw of the 大型群众性活动 item over them."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from models.db import Database
from models.draw_service import draw_sealed, prepare_draw
from models.event_service import EventData, add_event
from models.plan import Plan, PlanItem
from models.roster import InspectedObject, ObjectType
from models.seal_service import seal
from usecases.demo_inspections import DEMO_ENTROPY, DEMO_WITNESSES

YEAR = 2022
# (名称, 地点, 开始, 结束, 规模, 审批文号); organisers are taken from the demo roster.
EVENTS = [
    ("沂源半程马拉松", "县城环线（沂河路起终点）", date(2022, 5, 8), date(2022, 5, 8), 3000, "沂公安许〔2022〕5号"),
    ("鲁中之夏演唱会", "沂源县体育场", date(2022, 7, 16), date(2022, 7, 16), 12000, "沂公安许〔2022〕9号"),
    ("2022年国庆焰火晚会", "沂河公园广场", date(2022, 10, 1), date(2022, 10, 1), 8000, "沂公安许〔2022〕12号"),
]


def load_demo_events(db: Database, actor: str = "演示", progress=None, cancelled=None) -> dict:
    with db.session() as s:
        item = s.scalar(select(PlanItem).join(Plan).where(Plan.year == YEAR, PlanItem.per_event.is_(True),
                                                          PlanItem.item.contains("大型群众性活动")))
        # the roster's 大型群众性活动承办单位 organise them
        organisers = s.scalars(select(InspectedObject).join(ObjectType)
                               .where(InspectedObject.active.is_(True), InspectedObject.status == "在营",
                                      InspectedObject.credit_code.is_not(None), ObjectType.name.contains("活动"))
                               .order_by(InspectedObject.id).limit(len(EVENTS))).all()
        if item is None or len(organisers) < len(EVENTS):
            return {"events": 0, "draws": 0}
        number = item.number
        for (name, place, first, last, scale, approval), org in zip(EVENTS, organisers):
            add_event(s, EventData(name, org.credit_code, first, last, place, scale, approval), actor)
    if progress is not None:
        progress(1, 2)
    drawn = datetime(YEAR, 4, 28, 9, 30)
    with db.session() as s:
        prep = prepare_draw(s, YEAR, number, today=drawn.date())
    if not prep.ready:
        return {"events": len(EVENTS), "draws": 0}
    where = "治安大队会议室"
    ann = seal(db, prep, entropy_source=f"见证人在{where}现场报数并掷骰子", operator=actor,
               clock=lambda: drawn - timedelta(hours=1))
    saved = draw_sealed(db, ann.year, ann.number, entropy=DEMO_ENTROPY, witnesses=DEMO_WITNESSES, place=where,
                        operator=actor, clock=lambda: drawn)
    if progress is not None:
        progress(2, 2)
    return {"events": len(EVENTS), "draws": 1, "picks": len(saved.record["picks"])}
