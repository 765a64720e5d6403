"""A clerk sorts a long list by a text column: pinyin order, numbers by value, empty cells last.

The tables rank characters with Qt's ICU collator once and then compare plain strings
(ui/collation.py); these stories check the order is the collator's own on real roster text.
"""
from __future__ import annotations

import random

from ui.widgets import sort_order


def _collator():
    from PySide6.QtCore import QCollator, QLocale

    c = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    c.setNumericMode(True)
    return c


def test_the_demo_roster_sorts_by_name_exactly_as_the_collator_orders_it(qapp):
    from models.demo_roster import generate_roster

    objects, inspectors, _ = generate_roster()
    for texts in ([o.name for o in objects], [o.address for o in objects], [o.legal_rep for o in objects],
                  [o.credit_code for o in objects], [i.name for i in inspectors]):
        texts = list(texts)
        random.Random(7).shuffle(texts)
        ours = [texts[i] for i in sort_order(texts)]
        collator = _collator()
        assert ours == sorted(texts, key=collator.sortKey)


def test_names_with_numbers_sort_by_value_and_case_only_breaks_ties(qapp):
    texts = ["旅馆10", "张三宾馆", "旅馆2", "ABC网吧", "abc网吧", "", "安宁酒店", "旅馆02", None, 3]
    shown = [texts[i] for i in sort_order(texts)]
    # Chinese first (the Chinese locale's order), then Latin; lower case before upper only as a tie-break.
    assert shown == [3, "安宁酒店", "旅馆2", "旅馆02", "旅馆10", "张三宾馆", "abc网吧", "ABC网吧", "", None]
    text = [t for t in shown if isinstance(t, str) and t]
    assert text == sorted(text, key=_collator().sortKey)
    descending = [texts[i] for i in sort_order(texts, reverse=True)]
    assert descending[:2] == ["", None] and descending[2:6] == ["ABC网吧", "abc网吧", "张三宾馆", "旅馆10"]


def test_the_object_list_sorts_by_name_in_pinyin_when_the_clerk_clicks_the_header(ctx, qtbot):
    from PySide6.QtCore import Qt

    from tests.ui.test_roster_objects import add_objects
    from ui.roster.page import RosterPage

    add_objects(ctx.db, [(name, "旅馆", "城关派出所", "低风险", "在营")
                         for name in ["张家宾馆", "安家旅社", "李家网吧", "北方典当行"]])
    page = RosterPage(ctx)
    qtbot.addWidget(page)
    page.show()
    table = page.objects.table
    qtbot.waitUntil(lambda: table.row_count() == 4)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r.name for r in table.table_model.rows] == ["安家旅社", "北方典当行", "李家网吧", "张家宾馆"]
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in table.table_model.rows] == ["张家宾馆", "李家网吧", "北方典当行", "安家旅社"]


def test_a_column_of_texts_holding_the_joining_character_or_long_numbers_still_sorts_as_the_collator(qapp):
    """The keys are made for the whole column at once (issue 17): numbers longer than the old fixed padding
    keep the collator's numeric order, and a column whose text holds the character used to join it is keyed
    text by text, in the same order."""
    long_numbers = ["店" + "9" * 30, "店" + "1" + "0" * 30, "店" + "2" * 25, "店7", "旅馆2", "旅馆10"]
    ours = [long_numbers[i] for i in sort_order(long_numbers)]
    assert ours == sorted(long_numbers, key=_collator().sortKey)
    assert ours.index("店" + "2" * 25) < ours.index("店" + "9" * 30) < ours.index("店" + "1" + "0" * 30)
    joined = ["旅馆2", "旅馆10", "旅馆\x002", "旅馆1", "安宁酒店"]
    ours = [joined[i] for i in sort_order(joined)]
    assert ours[0] == "安宁酒店" and ours.index("旅馆1") < ours.index("旅馆2") < ours.index("旅馆10")


def test_a_programmatic_sort_of_a_long_list_sorts_it_once(qapp, monkeypatch):
    """QTableView.sortByColumn asks the model twice (the header's indicator, then itself): the second
    request finds the rows already in that order and leaves them, so a 100,000-row sort is not done twice."""
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from ui import widgets
    from ui.table_model import Column

    view = widgets.RowTableView([Column("单位名称", "name"), Column("辖区", "place")])
    rows = [SimpleNamespace(id=n, name=name, place=place) for n, (name, place) in
            enumerate([("张家宾馆", "城关"), ("安家旅社", "南麻"), ("李家网吧", "城关")])]
    view.set_rows(rows)
    sorts = []
    real = widgets.SortableRowModel._sorted
    monkeypatch.setattr(widgets.SortableRowModel, "_sorted", lambda self, r: sorts.append(1) or real(self, r))
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert len(sorts) == 1
    assert [r.name for r in view.rows()] == ["安家旅社", "李家网吧", "张家宾馆"]
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in view.rows()] == ["张家宾馆", "李家网吧", "安家旅社"] and len(sorts) == 2
    view.set_rows(rows + [SimpleNamespace(id=9, name="北方典当行", place="城关")])   # new rows: sorted again
    assert [r.name for r in view.rows()] == ["张家宾馆", "李家网吧", "北方典当行", "安家旅社"]
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [r.place for r in view.rows()] == ["城关", "城关", "城关", "南麻"] and len(sorts) == 4
