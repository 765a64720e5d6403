"""The to-do list reminds a clerk of a plan item not yet drawn as its 检查时间 closes (issue 19 item 8)."""
from __future__ import annotations

from datetime import date, datetime

from models.check_reminders import TO_DRAW
from models.draw_service import prepare_draw
from models.plan import PlanItem
from models.todo import todo_list
from tests.models.draw_fixtures import build_world, sealed_draw


def undrawn(db, today: date) -> list[str]:
    with db.read_session() as s:
        return [e.label for e in todo_list(s, today=today) if e.kind == TO_DRAW]


def test_an_item_not_drawn_is_on_the_list_as_its_window_closes_and_leaves_it_once_drawn(db):
    build_world(db)  # plan 2024: item 1 旅馆 (检查时间 5—10月 here); items 2 网吧 and 3 (no months: the year)
    with db.session() as s:
        item = s.query(PlanItem).filter_by(number="1").one()
        item.month_from, item.month_to, item.time_text = 5, 10, "5—10月"

    assert undrawn(db, date(2024, 9, 1)) == []  # weeks ahead: nothing yet
    soon = undrawn(db, date(2024, 10, 20))
    assert soon == ["抽查事项 1 对旅馆的监督检查：检查时间（5—10月）至2024年10月31日，尚未抽取"]
    late = undrawn(db, date(2024, 11, 5))
    assert late == ["抽查事项 1 对旅馆的监督检查：检查时间（5—10月）已于2024年10月31日结束，已逾期5天，尚未抽取"]
    assert len(undrawn(db, date(2024, 12, 20))) == 3  # the others' window is the plan year

    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1", today=date(2024, 10, 20))
    sealed_draw(db, prep, clock=lambda: datetime(2024, 10, 20, 9, 0))
    assert undrawn(db, date(2024, 11, 5)) == []

