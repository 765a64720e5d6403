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
