"""Two clerks at two workstations on one database: what the other saved appears when this one presses F5.

On the office server several seats write at once; a screen shows what it read. The 查看 → 刷新 action
(F5) reads every screen again, so a clerk who knows a colleague has just imported or added something
sees it without restarting. (Writes that depend on what a screen shows are checked again in the
services: roster versions, the draw's row locks; see tests/concurrency.)
"""
from __future__ import annotations

from PySide6.QtGui import QKeySequence

from models import roster_service as rs
from models.credit_code import make_code
from models.db import open_database
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def test_a_colleagues_new_object_appears_after_f5(db, db_target, qtbot):
    with db.session() as s:
        rs.add_object(s, rs.ObjectData(name="沂源县鑫源宾馆", credit_code=make_code(1), type_name="旅馆"), "张三")
    window = MainWindow(AppContext(db=db, runner=TaskRunner(), user="张三"))
    qtbot.addWidget(window)
    window.show()
    roster = window.show_section("roster")
    roster.objects.refresh()
    assert roster.objects.count_label.text() == "共 1 个检查对象"

    colleague = open_database(db_target)  # the other workstation, its own connection
    try:
        with colleague.session() as s:
            rs.add_object(s, rs.ObjectData(name="星空网吧", credit_code=make_code(2), type_name="网吧"), "李四")
    finally:
        colleague.dispose()
    assert roster.objects.count_label.text() == "共 1 个检查对象"  # nothing told this window yet

    assert window.refresh_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Refresh)
    window.refresh_action.trigger()
    assert roster.objects.count_label.text() == "共 2 个检查对象"
    assert "星空网吧" in [r.name for r in roster.objects.table.rows()]
    assert window.statusBar().currentMessage() == "已重新读取数据库中的最新数据"
    window.ctx.runner.wait()
