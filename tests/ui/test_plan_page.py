"""A clerk opens the 抽查计划 screen, edits an item's ratio text and sees the rule follow as she types."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from usecases.plan_import import import_plan_file
from models.plan_service import find_item, item_to_dict
from models.roster import DEFAULT_OBJECT_TYPES, InspectedObject, ObjectType
from ui.context import AppContext
from ui.plans.page import PlanPage
from ui.tasks import TaskRunner

RED = "#c00000"


@pytest.fixture
def page(qtbot, db, data_dir, no_modal_dialogs):
    with db.session() as s:
        s.add_all(ObjectType(name=n) for n in DEFAULT_OBJECT_TYPES)
        s.flush()
        hotel = s.query(ObjectType).filter_by(name="旅馆").one()
        for i in range(41):
            s.add(InspectedObject(name=f"旅馆{i}", credit_code=f"9137{i:014d}", object_type_id=hotel.id))
    import_plan_file(db, data_dir / "seed_002_yiyuan_2022.tsv", 2022, "张三")
    ctx = AppContext(db=db, runner=TaskRunner(), user="张三")
    widget = PlanPage(ctx)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    ctx.runner.wait()


def row_of(page, number: str) -> int:
    return next(i for i, r in enumerate(page.items.table.rows()) if r.number == number)


def cell(page, number: str, title: str, role=Qt.ItemDataRole.DisplayRole):
    """What the clerk sees in the column headed *title* on the row of item *number*."""
    model = page.items.table.table_model
    column = next(i for i, c in enumerate(model.columns) if c.title == title)
    return model.data(model.index(row_of(page, number), column), role)


def test_the_page_shows_the_plan_with_rules_roster_counts_and_flags(page):
    assert page.year_combo.currentData() == 2022
    assert page.title.text() == "沂源县公安局2022年度“双随机、一公开”抽查工作计划"
    assert page.items.table.row_count() == 12
    # 5% of 41 hotels, rounded up.
    assert cell(page, "1", "规则") == "比例≥5%，每年1次"
    assert cell(page, "1", "名录数") == "41" and cell(page, "1", "预计抽取") == "3"
    unlinked = cell(page, "7", "检查对象类型")
    assert unlinked == "（未关联）"
    assert cell(page, "7", "检查对象类型", Qt.ItemDataRole.ForegroundRole).color().name() == RED
    assert "未关联名录库的对象类型" in cell(page, "7", "检查对象类型", Qt.ItemDataRole.ToolTipRole)
    assert cell(page, "1", "检查对象类型", Qt.ItemDataRole.ForegroundRole) is None
    assert cell(page, "5", "预计抽取") == "按活动"


def test_the_rule_and_the_draw_size_are_on_screen_without_scrolling(page, qtbot):
    # The page's size inside the main window at its default 1280×800.
    page.resize(1020, 752)
    qtbot.waitUntil(lambda: page.items.table.viewport().width() > 900)
    table = page.items.table
    for title in ("编号", "抽查事项", "检查对象类型", "规则", "名录数", "在营", "预计抽取"):
        column = next(i for i, c in enumerate(table.table_model.columns) if c.title == title)
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= table.viewport().width(), title
    assert cell(page, "1", "在营") == "41"


def test_a_clerk_edits_the_ratio_text_and_sees_the_rule_update_live(page, qtbot):
    table = page.items.table
    index = table.table_model.index(row_of(page, "1"), 1)
    table.doubleClicked.emit(index)
    dialog = page.items.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.rule.parsed.text() == "比例≥5%，每年1次"

    dialog.tabs.setCurrentWidget(dialog.rule)
    dialog.rule.text.clear()
    # QTest cannot type CJK keys; the Chinese words go in as an input method would insert them.
    dialog.rule.text.insert("随机抽取")
    qtbot.keyClicks(dialog.rule.text, "20")
    assert dialog.rule.parsed.text().startswith("无法识别")
    qtbot.keyClicks(dialog.rule.text, "%")
    assert dialog.rule.text.text() == "随机抽取20%"
    assert dialog.rule.parsed.text() == "比例20%"
    assert "1a7f37" in dialog.rule.parsed.styleSheet()

    dialog.rule.text.setText("看情况再定")
    assert dialog.rule.parsed.text().startswith("无法识别")
    assert "c00000" in dialog.rule.parsed.styleSheet()

    dialog.rule.text.setText("随机抽取20%")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert cell(page, "1", "规则") == "比例20%"
    assert cell(page, "1", "比例和频次原文") == "随机抽取20%"
    assert cell(page, "1", "预计抽取") == "9"          # 20% of 41, rounded up
    with page.ctx.db.session() as s:
        d = item_to_dict(find_item(s, 2022, "1"))
    assert (d["ratio"], d["ratio_kind"], d["ratio_text"]) == (0.2, "exact", "随机抽取20%")
    assert d["checklist"][0] == "是否取得特种行业许可证，开展农村旅馆业特种行业许可证复核工作"


def test_an_unparsable_text_is_saved_as_written_and_the_row_turns_red(page):
    dialog = page.items.edit_item(page.items.table.rows()[row_of(page, "3")].id)
    dialog.rule.text.setText("视检查情况而定")
    dialog.save()
    assert cell(page, "3", "规则").startswith("无法识别")
    assert cell(page, "3", "规则", Qt.ItemDataRole.ForegroundRole).color().name() == RED
    assert "手动设置规则" in cell(page, "3", "规则", Qt.ItemDataRole.ToolTipRole)
    assert page.items.table.rows()[row_of(page, "3")].problems == ("规则无法解析",)


def test_a_rule_set_by_hand_links_types_and_edits_the_checklist(page):
    dialog = page.items.edit_item(page.items.table.rows()[row_of(page, "7")].id)
    dialog.rule.manual.setChecked(True)
    dialog.rule.per_event.setChecked(False)
    dialog.rule.use_ratio.setChecked(False)
    dialog.rule.count.setValue(2)
    dialog.rule.rounds_min.setValue(1)
    dialog.rule.rounds_max.setValue(1)
    assert dialog.rule.manual_preview.text() == "固定2户，每年1次"
    for i in range(dialog.types.count()):
        if dialog.types.item(i).text() == "娱乐场所":
            dialog.types.item(i).setCheckState(Qt.CheckState.Checked)
    checklist = dialog.checklist
    checklist.add_entry()
    checklist.entries.item(checklist.entries.count() - 1).setText("是否设置噪声监测设备")
    checklist.entries.setCurrentRow(checklist.entries.count() - 1)
    checklist.move_entry(-1)
    dialog.save()
    assert cell(page, "7", "检查对象类型") == "娱乐场所" and cell(page, "7", "规则") == "固定2户，每年1次"
    with page.ctx.db.session() as s:
        d = item_to_dict(find_item(s, 2022, "7"))
    assert d["rule_manual"] and d["count"] == 2 and d["ratio_text"] == "按排放偶发性强烈噪声实际执行"
    assert d["checklist"] == ["是否设置噪声监测设备", "对环境噪声污染进行检查，依法对违法行为进行查处"]


def test_copying_the_plan_into_a_new_year_selects_it(page):
    dialog = page.copy_plan()
    dialog.target.setValue(2023)
    dialog.accept()
    assert page.year_combo.currentData() == 2023
    assert page.items.table.row_count() == 12
    assert {r.item for r in page.items.table.rows()} >= {"对保安服务公司开展活动情况的检查"}
    assert [r.rule_text for r in page.items.table.rows()][0] == "比例≥5%，每年1次"
    assert page.items.table.rows()[0].draw_size == 3


def test_the_import_dialog_previews_and_imports_in_the_background(page, qtbot, data_dir):
    dialog = page.import_plan()
    dialog.path.setText(str(data_dir / "seed_004_kunming_2024.tsv"))
    dialog.year.setValue(2024)
    dialog.run_preview()
    assert dialog.import_button.isEnabled() and dialog.table.row_count() == 12
    with qtbot.waitSignal(dialog.imported, timeout=10000):
        dialog.run_import()
    assert page.year_combo.currentData() == 2024 and page.items.table.row_count() == 12

    again = page.import_plan()
    again.path.setText(str(data_dir / "seed_004_kunming_2024.tsv"))
    again.year.setValue(2024)
    again.run_preview()
    assert not again.import_button.isEnabled()
    assert "已有 12 个抽查事项" in again.problems.item(0).text()
