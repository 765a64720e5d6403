"""A clerk works the 执法检查人员 and 回避关系 tabs: search, unit filter, add, deactivate, and 回避 pairs."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from models import roster_service as rs
from models.credit_code import make_code
from models.roster import Inspector, Recusal
from ui.roster.inspector_dialog import InspectorDialog
from ui.roster.page import RosterPage
from ui.roster.recusal_views import AddRecusalDialog, RecusalsDialog

PEOPLE = [("李明", "370001", "治安大队"), ("王芳", "370002", "治安大队"),
          ("赵强", "370003", "城关派出所"), ("孙丽", "SJ-015", "市场监督管理局")]


@pytest.fixture
def ctx(ctx):
    """The shared context (tests/ui/conftest.py) on a roster with PEOPLE and three objects."""
    with ctx.db.session() as s:
        for name, badge, unit in PEOPLE:
            rs.add_inspector(s, rs.InspectorData(name=name, badge_no=badge, unit=unit, cert_no=f"鲁{badge}"), "测试")
        for n, name in enumerate(["沂源县鑫源宾馆", "星空网吧", "恒通典当行"], start=1):
            rs.add_object(s, rs.ObjectData(name=name, credit_code=make_code(n), type_name="旅馆"), "测试")
    return ctx


@pytest.fixture
def page(ctx, qtbot):
    p = RosterPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 600)
    p.show()
    p.setCurrentWidget(p.inspectors)
    return p


def names(view) -> list[str]:
    return [r[1] for r in view.table.rows()]


def inspector_id(ctx, badge: str) -> int:
    with ctx.db.session() as s:
        return s.query(Inspector).filter_by(badge_no=badge).one().id


def test_search_and_unit_filter_narrow_the_inspectors(page, qtbot):
    view = page.inspectors
    assert view.count_label.text() == "共 4 名检查人员"
    headers = [view.table.table_model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["姓名", "警号", "所在单位", "执法证号", "状态"]
    qtbot.keyClicks(view.search, "37000")
    qtbot.waitUntil(lambda: view.table.row_count() == 3)
    view.unit_filter.set_value("治安大队")
    assert sorted(names(view)) == ["李明", "王芳"]
    view.search.clear()
    view.search.flush()  # the count is 2 before and after: wait for the search itself, not the count
    assert sorted(names(view)) == ["李明", "王芳"]
    view.unit_filter.set_value("市场监督管理局")
    assert names(view) == ["孙丽"]


def test_adding_an_inspector_with_a_taken_badge_number_is_refused_in_the_dialog(page, ctx, qtbot):
    dlg = InspectorDialog(ctx)
    qtbot.addWidget(dlg)
    assert not dlg.ok_button.isEnabled()
    dlg.name.setText("周杰")
    dlg.badge_no.setText("370001")
    dlg.unit.setCurrentText("治安大队")
    assert dlg.ok_button.isEnabled()
    dlg.save()
    assert dlg.error.isVisibleTo(dlg) and "警号" in dlg.error.text()
    dlg.badge_no.setText("370009")
    dlg.save()
    assert dlg.inspector_id is not None
    ctx.notify("roster")
    assert "周杰" in names(page.inspectors)


def test_deactivating_an_inspector_keeps_the_record(page, ctx, qtbot):
    view = page.inspectors
    view.table.select_id(inspector_id(ctx, "370003"))
    qtbot.mouseClick(view.toggle_button, Qt.MouseButton.LeftButton)
    assert "赵强" not in names(view)
    with ctx.db.session() as s:
        assert s.query(Inspector).filter_by(badge_no="370003").one().active is False
    view.include_inactive.setChecked(True)
    row = next(r for r in view.table.rows() if r[1] == "赵强")
    assert view.table.table_model.data(view.table.table_model.index(view.table.rows().index(row), 4)) == "已停用"


def test_adding_a_recusal_pair_from_an_inspectors_dialog(page, ctx, qtbot, monkeypatch):
    view = page.inspectors
    view.table.select_id(inspector_id(ctx, "370002"))
    opened = {}

    def clerk_adds_pair(dlg: AddRecusalDialog):
        assert dlg.inspector_picker is None          # the inspector is given
        picker = dlg.object_picker
        picker.search.insert("网吧")
        qtbot.waitUntil(lambda: picker.table.row_count() == 1)
        assert picker.selected_id() is not None      # a single match is chosen for the clerk
        assert not dlg.ok_button.isEnabled()         # the reason is required
        dlg.reason.insert("其配偶为该网吧法定代表人")
        assert dlg.ok_button.isEnabled()
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        return dlg.result()

    def open_side_dialog(dlg: RecusalsDialog):
        opened["dialog"] = dlg
        monkeypatch.setattr(AddRecusalDialog, "exec", clerk_adds_pair)
        dlg.add_pair()
        opened["rows"] = dlg.table.rows()
        return 0

    monkeypatch.setattr(RecusalsDialog, "exec", open_side_dialog)
    qtbot.mouseClick(view.recusal_button, Qt.MouseButton.LeftButton)

    assert [(r[2], r[6], r[8]) for r in opened["rows"]] == [("王芳", "星空网吧", "其配偶为该网吧法定代表人")]
    # The 回避关系 tab shows the new pair too
    assert [(r[3], r[6]) for r in page.recusals.table.rows()] == [("370002", "星空网吧")]
    assert page.recusals.count_label.text() == "共 1 对回避关系"


def test_the_same_pair_twice_is_refused_and_deleting_asks_first(page, ctx, qtbot, no_modal_dialogs):
    with ctx.db.session() as s:
        obj_id = rs.list_objects(s, rs.ObjectFilter(text="鑫源"))[0][0]
        rs.add_recusal(s, inspector_id(ctx, "370001"), obj_id, "曾在该宾馆任职", "测试")
    ctx.notify("roster")
    # From the object's side this time: pick the inspector
    dlg = AddRecusalDialog(ctx, object_id=obj_id)
    qtbot.addWidget(dlg)
    dlg.inspector_picker.search.setText("370001")
    dlg.inspector_picker.search.flush()
    dlg.reason.setText("重复")
    dlg.save()
    assert "已存在" in dlg.error.text()

    tab = page.recusals
    assert tab.table.row_count() == 1
    tab.table.selectRow(0)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert no_modal_dialogs[-1][0] == "question" and "李明" in no_modal_dialogs[-1][1]
    assert tab.table.row_count() == 0
    with ctx.db.session() as s:
        assert s.query(Recusal).count() == 0


def test_a_search_typed_just_before_leaving_the_tab_applies_at_once(page, qtbot):
    """The clerk types a badge number and switches to another tab before the pause: the search is
    applied then (while the database is open), and the list is filtered when the clerk comes back."""
    view = page.inspectors
    qtbot.keyClicks(view.search, "SJ-")
    page.setCurrentWidget(page.objects)
    assert names(view) == ["孙丽"]
