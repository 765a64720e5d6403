"""A clerk starts the app: the main window opens on a fresh database with every section in the navigation."""
from __future__ import annotations

from ui.app import build_main_window
from ui.sections import SECTIONS


def test_the_app_opens_with_every_section(qtbot, db_path):
    window = build_main_window(db_path)
    qtbot.addWidget(window)
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["名录库", "抽查计划", "随机抽取", "检查与整改", "公示与统计", "设置"]
    assert db_path.exists()
    for section in SECTIONS:
        page = window.show_section(section.key)
        assert window.stack.currentWidget() is page
    window.ctx.db.dispose()
