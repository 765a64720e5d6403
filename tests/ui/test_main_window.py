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


def test_the_app_icon_is_drawn_from_resources_and_the_about_box_shows_it(qtbot, db_path):
    from PySide6.QtWidgets import QLabel

    from ui.about import AboutDialog
    from ui.app import app_icon

    # ensure_app() puts this icon on the QApplication at start-up, so every window and the task bar wear it.
    icon = app_icon()
    assert not icon.isNull()
    assert icon.pixmap(32, 32).toImage().pixelColor(16, 4).blue() > 120  # the blue tile, not an empty pixmap
    about = AboutDialog(db_path)
    qtbot.addWidget(about)
    logos = [label for label in about.findChildren(QLabel) if not label.pixmap().isNull()]
    assert len(logos) == 1 and logos[0].pixmap().width() == 56


def test_the_screens_part_of_the_self_test_finds_icon_font_and_pinyin_order(qapp):
    from ui.selftest import PINYIN_ORDER, gui_checks

    lines = gui_checks()
    assert "界面：软件图标已载入。" in lines
    assert "界面：名单按拼音排序正确。" in lines
    assert PINYIN_ORDER == ["安宁", "北京", "李娜", "王强", "张伟"]
