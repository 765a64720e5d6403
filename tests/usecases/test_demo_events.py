"""The demo shows the event register: three events of 2022 and a per-event draw over them that verifies."""
from __future__ import annotations

from sqlalchemy import func, select

from models.draw import DrawRecord
from models.draw_history import load_record
from models.draw_verify import verify_record
from models.event import DrawPickEvent
from models.event_service import list_events
from usecases.demo import demo_summary, load_demo


def test_the_demo_registers_fireworks_a_concert_and_a_marathon_and_draws_them(db):
    results = load_demo(db)
    assert results["events"] == {"events": 3, "draws": 1, "picks": 3}
    assert demo_summary(results)
    with db.read_session() as s:
        assert [e.name for e in list_events(s, year=2022)] == ["沂源半程马拉松", "鲁中之夏演唱会", "2022年国庆焰火晚会"]
        assert all(e.drawn for e in list_events(s, year=2022))
        assert s.scalar(select(func.count()).select_from(DrawPickEvent)) == 3
        rid = s.scalar(select(DrawRecord.id).join(DrawRecord.picks).join(DrawPickEvent).limit(1))
        assert verify_record(load_record(s, rid)).ok
