"""A clerk double-clicks a "尚未抽取" line in 待办 and lands on 随机抽取, where the draw is made."""
from __future__ import annotations

from datetime import date

from models.check_reminders import TO_DRAW
from tests.models.draw_fixtures import build_world


def test_double_clicking_an_undrawn_item_opens_the_draw_section(db, qtbot, monkeypatch):
    from models import check_reminders
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    build_world(db)
    real = check_reminders.reminder_entries
    monkeypatch.setattr(check_reminders, "reminder_entries",
                        lambda s, today, *a, **k: real(s, date(2024, 12, 20), *a, **k))
    window = MainWindow(AppContext(db=db, runner=TaskRunner(), user="内勤"))
    qtbot.addWidget(window)
    window.show()
    todo = window.show_section("inspections").todo
    todo.refresh()
    entry = next(e for e in todo.table.rows() if e.kind == TO_DRAW)
    todo._open(entry)
    assert window.stack.currentWidget() is window.page("draw")
    window.ctx.runner.wait()
