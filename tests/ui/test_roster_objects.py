"""A clerk works the 检查对象 tab: searching, filtering, adding with a checked credit code, deactivating."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models import roster_service as rs
from models.credit_code import make_code
from models.roster import InspectedObject
from ui.roster.object_dialog import ObjectDialog
from ui.roster.page import RosterPage

OBJECTS = [
    # name, type, jurisdiction, risk, status
    ("沂源县鑫源宾馆", "旅馆", "城关派出所", "高风险", "在营"),
    ("沂源县悦来旅社", "旅馆", "南麻派出所", "低风险", "在营"),
    ("华安保安服务有限公司", "保安服务公司", "城关派出所", "中风险", "在营"),
    ("星空网吧", "网吧", "南麻派出所", "高风险", "停业"),
    ("恒通典当行", "典当行", "城关派出所", "中低风险", "在营"),
]


def add_objects(db, rows=OBJECTS) -> list[int]:
    ids = []
    with db.session() as s:
        for n, (name, type_name, place, risk, status) in enumerate(rows, start=1):
            ids.append(rs.add_object(s, rs.ObjectData(
                name=name, credit_code=make_code(n), type_name=type_name, jurisdiction=place,
                risk_level=risk, status=status, address=f"沂源县某路{n}号", legal_rep="张三"), "测试"))
    return ids


@pytest.fixture
def page(ctx, qtbot):
    add_objects(ctx.db)
    p = RosterPage(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 700)
    p.show()
    qtbot.waitUntil(lambda: not p.objects.loading)   # the rows follow the tab's first paint
    return p


def shown_names(view) -> list[str]:
    return [r[1] for r in view.table.rows()]


def test_the_tab_lists_every_active_object_with_its_count(page):
    view = page.objects
    assert sorted(shown_names(view)) == sorted(o[0] for o in OBJECTS)
    assert view.count_label.text() == "共 5 个检查对象"
    model = view.table.table_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["单位名称", "统一社会信用代码", "证件类型", "类型", "地址", "辖区", "法定代表人", "联系电话",
                       "许可证号", "风险等级", "状态"]   # the kind beside the number it qualifies
    # 高风险 stands out in dark red
    row = next(i for i, r in enumerate(view.table.rows()) if r[1] == "星空网吧")
    brush = model.data(model.index(row, headers.index("风险等级")), Qt.ItemDataRole.ForegroundRole)
    assert brush.color().name() == "#a40000"


def test_typing_part_of_a_name_narrows_the_table(page, qtbot):
    view = page.objects
    view.search.setFocus()
    view.search.insert("旅")   # Chinese arrives committed by the input method, not as key presses
    qtbot.waitUntil(lambda: view.table.row_count() == 1)
    assert shown_names(view) == ["沂源县悦来旅社"]
    assert "共 1 个检查对象" in view.count_label.text()
    view.search.clear()
    qtbot.waitUntil(lambda: view.table.row_count() == 5)


def test_searching_by_credit_code_in_lower_case_finds_the_object(page, qtbot):
    view = page.objects
    code = make_code(3)
    qtbot.keyClicks(view.search, code[-8:].lower())
    qtbot.waitUntil(lambda: view.table.row_count() == 1)
    assert view.table.rows()[0][2] == code


def test_filters_combine(page, qtbot):
    view = page.objects
    view.jurisdiction_filter.set_value("城关派出所")
    assert sorted(shown_names(view)) == ["华安保安服务有限公司", "恒通典当行", "沂源县鑫源宾馆"]
    view.type_filter.set_value("旅馆")
    assert shown_names(view) == ["沂源县鑫源宾馆"]
    view.risk_filter.set_value("低风险")
    assert shown_names(view) == []
    assert view.count_label.text().startswith("共 0 个检查对象")
    view.jurisdiction_filter.set_value(None)
    assert shown_names(view) == ["沂源县悦来旅社"]
    view.type_filter.set_value(None)
    view.risk_filter.set_value(None)
    view.status_filter.set_value("停业")
    assert shown_names(view) == ["星空网吧"]


def test_sorting_by_a_column_orders_the_rows(page):
    view = page.objects
    view.table.sortByColumn(9, Qt.SortOrder.DescendingOrder)   # 风险等级: highest risk first, not by pinyin
    risks = [r[9] for r in view.table.rows()]
    assert risks == sorted(risks, key=["低风险", "中低风险", "中风险", "高风险"].index, reverse=True)
    assert risks[0] == "高风险" and len(set(risks)) > 2
    # The order holds when the rows reload after a search
    view.reload()
    assert [r[9] for r in view.table.rows()] == risks


def test_a_wrong_check_digit_blocks_ok_until_fixed_then_the_object_is_saved(page, ctx, qtbot, monkeypatch):
    good = make_code(99)
    wrong_last = "0" if good[-1] != "0" else "1"
    seen = {}

    def clerk_fills_in(dlg: ObjectDialog):
        dlg.name.insert("城关镇如家快捷酒店")
        dlg.type_name.setCurrentText("旅馆")
        qtbot.keyClicks(dlg.code, (good[:-1] + wrong_last).lower())
        seen["typed_upper"] = dlg.code.text() == good[:-1] + wrong_last
        seen["message"] = dlg.code_message.text()
        seen["ok_while_wrong"] = dlg.ok_button.isEnabled()
        dlg.code.setFocus()
        qtbot.keyClick(dlg.code, Qt.Key.Key_Backspace)
        qtbot.keyClicks(dlg.code, good[-1])
        seen["ok_when_fixed"] = dlg.ok_button.isEnabled()
        dlg.risk.setCurrentText("中风险")
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        return dlg.result()

    monkeypatch.setattr(ObjectDialog, "exec", clerk_fills_in)
    qtbot.mouseClick(page.objects.add_button, Qt.MouseButton.LeftButton)

    assert seen["typed_upper"]
    assert "校验位错误" in seen["message"] and good[-1] in seen["message"]
    assert seen["ok_while_wrong"] is False
    assert seen["ok_when_fixed"] is True
    assert "城关镇如家快捷酒店" in shown_names(page.objects)
    assert page.objects.table.selected_row()[1] == "城关镇如家快捷酒店"
    with ctx.db.session() as s:
        obj = s.query(InspectedObject).filter_by(name="城关镇如家快捷酒店").one()
        assert (obj.credit_code, obj.risk_level, obj.object_type.name) == (good, "中风险", "旅馆")


def test_a_duplicate_code_is_shown_in_the_dialog_which_keeps_the_input(page, ctx, qtbot):
    dlg = ObjectDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.name.setText("另一家宾馆")
    dlg.type_name.setCurrentText("旅馆")
    dlg.code.setText(make_code(1))          # already used by 沂源县鑫源宾馆
    assert dlg.ok_button.isEnabled()
    dlg.save()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.error.isVisibleTo(dlg) and "统一社会信用代码" in dlg.error.text()
    assert dlg.name.text() == "另一家宾馆" and dlg.code.text() == make_code(1)
    with ctx.db.session() as s:
        assert s.query(InspectedObject).filter_by(name="另一家宾馆").count() == 0


def test_editing_an_object_by_double_click_changes_it(page, ctx, qtbot, monkeypatch):
    view = page.objects
    def clerk_edits(dlg: ObjectDialog):
        assert dlg.name.text() == "恒通典当行"
        dlg.status.setCurrentText("停业")
        dlg.save()
        return dlg.result()

    monkeypatch.setattr(ObjectDialog, "exec", clerk_edits)
    row = next(i for i, r in enumerate(view.table.rows()) if r[1] == "恒通典当行")
    index = view.table.table_model.index(row, 0)
    view.table.selectRow(row)
    rect = view.table.visualRect(index)
    # QTest's double click alone skips the press an item view waits for, so press first as a hand would.
    qtbot.mousePress(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    changed = next(r for r in view.table.rows() if r[1] == "恒通典当行")
    assert changed[10] == "停业"


def test_deactivating_hides_the_object_but_keeps_it_in_the_database(page, ctx, qtbot):
    view = page.objects
    assert view.table.select_id(next(r[0] for r in view.table.rows() if r[1] == "星空网吧"))
    assert view.toggle_button.text() == "停用"
    qtbot.mouseClick(view.toggle_button, Qt.MouseButton.LeftButton)
    assert "星空网吧" not in shown_names(view)
    assert view.count_label.text() == "共 4 个检查对象"
    with ctx.db.session() as s:
        obj = s.query(InspectedObject).filter_by(name="星空网吧").one()
        assert obj.active is False
    view.include_inactive.setChecked(True)
    row = next(r for r in view.table.rows() if r[1] == "星空网吧")
    view.table.select_id(row[0])
    model = view.table.table_model
    i = view.table.rows().index(row)
    assert model.data(model.index(i, 0), Qt.ItemDataRole.ForegroundRole).color().name() == "#8a8a8a"
    assert view.toggle_button.text() == "启用"
    qtbot.mouseClick(view.toggle_button, Qt.MouseButton.LeftButton)
    with ctx.db.session() as s:
        assert s.query(InspectedObject).filter_by(name="星空网吧").one().active is True


def test_a_read_only_user_cannot_change_anything(ctx, qtbot):
    add_objects(ctx.db)
    ctx.role = "只读"
    p = RosterPage(ctx)
    qtbot.addWidget(p)
    view = p.objects
    p.show()
    qtbot.waitUntil(lambda: not view.loading)
    view.table.selectRow(0)
    for b in (view.add_button, view.edit_button, view.toggle_button, view.import_button,
              p.inspectors.add_button, p.recusals.add_button):
        assert not b.isEnabled()
    assert view.export_button.isEnabled() and view.recusal_button.isEnabled()


def test_a_clerk_enters_a_foreigner_by_passport_and_a_stall_without_any_licence(page, ctx, qtbot, monkeypatch):
    seen = {}

    def passport(dlg: ObjectDialog):
        dlg.name.insert("John Smith")
        dlg.type_name.setCurrentText("出入境人员")
        dlg.id_kind.setCurrentText("护照")
        seen["label"] = dlg.form.labelForField(dlg.code).text()
        qtbot.keyClicks(dlg.code, "e12345678")
        seen["without_country"] = (dlg.ok_button.isEnabled(), dlg.code_message.text())
        dlg.id_country.insert("美国")   # typed through the input method: keyClicks sends Latin keys only
        seen["with_country"] = dlg.ok_button.isEnabled()
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        return dlg.result()

    def stall(dlg: ObjectDialog):
        dlg.name.insert("李记废品站")
        dlg.type_name.setCurrentText("废旧金属收购")
        dlg.id_kind.setCurrentText("无")
        seen["code_hidden"] = not dlg.code.isVisibleTo(dlg)
        seen["without_reason"] = dlg.ok_button.isEnabled()
        dlg.no_id_reason.insert("流动摊贩，未办理营业执照")
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        return dlg.result()

    monkeypatch.setattr(ObjectDialog, "exec", passport)
    qtbot.mouseClick(page.objects.add_button, Qt.MouseButton.LeftButton)
    monkeypatch.setattr(ObjectDialog, "exec", stall)
    qtbot.mouseClick(page.objects.add_button, Qt.MouseButton.LeftButton)

    assert seen["label"] == "证件号码 *"
    assert seen["without_country"] == (False, "国籍/签发国：护照须填写国籍/签发国")
    assert seen["with_country"] and seen["code_hidden"] and seen["without_reason"] is False
    with ctx.db.session() as s:
        rows = {r.name: r for r in rs.list_objects(s)}
    assert (rows["John Smith"].id_kind, rows["John Smith"].credit_code, rows["John Smith"].id_country) == (
        "护照", "E12345678", "美国")
    assert (rows["李记废品站"].id_kind, rows["李记废品站"].credit_code) == ("无", "")
    shown = {r[1]: r for r in page.objects.table.rows()}
    assert shown["John Smith"].id_kind == "护照"
