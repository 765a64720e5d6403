"""A 派出所 with hundreds of objects opens the 检查对象 tab: the first screenful shows at once, the whole
list follows from a background read, and what the clerk clicked meanwhile (a sort, a search) holds."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from models import roster_service as rs
from models.credit_code import make_code
from ui.roster import objects_view
from ui.roster.objects_view import FIRST_SCREEN_ROWS, ObjectsView
from ui.sorting import key_ranks
from ui.widgets import sort_order, text_sort_keys

PREFIXES = ["鑫源宾馆", "悦来旅社", "华安保安", "星空网吧", "恒通典当", "阿里旅馆", "zhang旅馆", "Zhang旅馆",
            "ＡＢ旅馆", "ab旅馆", "中原宾馆", "白云宾馆"]
TOTAL = 3 * FIRST_SCREEN_ROWS


def add_many(db) -> list[str]:
    names = [f"{PREFIXES[n % len(PREFIXES)]}{n}" for n in range(TOTAL)]
    with db.session() as s:
        for n, name in enumerate(names, start=1):
            rs.add_object(s, rs.ObjectData(name=name, credit_code=make_code(n), type_name="旅馆",
                                           jurisdiction=("城关派出所", "南麻派出所")[n % 2], risk_level="低风险",
                                           status="在营", address=f"沂源县某路{n}号", legal_rep="张三"), "测试")
    return names


@pytest.fixture
def held_load(monkeypatch):
    """The background read waits until the test lets it finish, so the clerk can act while it runs."""
    release = threading.Event()
    read = objects_view._read_roster

    def slow_read(db, flt):
        result = read(db, flt)
        release.wait(10)
        return result

    monkeypatch.setattr(objects_view, "_read_roster", slow_read)
    yield release
    release.set()


def open_tab(ctx, qtbot, keep: bool = True) -> ObjectsView:
    view = ObjectsView(ctx)
    if keep:   # qtbot closes it after the test (and holds it until then)
        qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    qtbot.waitUntil(lambda: view.table.row_count() > 0)
    return view


def pinyin_sorted(rows, reverse=False):
    return [rows[i] for i in sort_order([r.name for r in rows], reverse)]


def test_first_screenful_shows_at_once_and_a_sort_clicked_meanwhile_applies_to_all_rows(ctx, qtbot, held_load):
    add_many(ctx.db)
    with ctx.db.session() as s:
        everything = rs.list_objects(s)
    view = open_tab(ctx, qtbot)

    # The first rows are those the whole list starts with; the label does not pretend they are all.
    assert view.loading
    assert view.table.rows() == everything[:FIRST_SCREEN_ROWS]
    assert view.count_label.text() == "正在载入检查对象……"

    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)   # 单位名称, Z → A, before the list is in
    held_load.set()
    qtbot.waitUntil(lambda: not view.loading)

    assert view.table.rows() == pinyin_sorted(everything, reverse=True)
    assert view.count_label.text() == f"共 {TOTAL:,} 个检查对象"
    assert view.jurisdiction_filter.findText("南麻派出所") >= 0   # the filter choices came with the rows
    # Sorting again uses the keys read with the rows and gives the clerk's pinyin order both ways.
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert view.table.rows() == pinyin_sorted(everything)
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)   # by credit code, then by name: stable
    by_code = view.table.rows()
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert view.table.rows() == pinyin_sorted(by_code, reverse=True)


def test_a_search_typed_while_loading_wins_over_the_older_background_read(ctx, qtbot, held_load):
    add_many(ctx.db)
    view = open_tab(ctx, qtbot)
    assert view.loading

    view.search.setText("星空网吧")
    view.search.flush()
    assert not view.loading
    shown = [r.name for r in view.table.rows()]
    assert shown and all(name.startswith("星空网吧") for name in shown)
    assert view.count_label.text() == f"共 {len(shown):,} 个检查对象（已筛选）"

    held_load.set()   # the unfiltered list read before the search arrives late and is dropped
    qtbot.wait(200)
    assert [r.name for r in view.table.rows()] == shown
    assert view.count_label.text() == f"共 {len(shown):,} 个检查对象（已筛选）"


def test_a_small_roster_is_read_whole_at_once(ctx, qtbot):
    with ctx.db.session() as s:
        rs.add_object(s, rs.ObjectData(name="沂源县鑫源宾馆", credit_code=make_code(1), type_name="旅馆",
                                       risk_level="低风险", status="在营"), "测试")
    view = open_tab(ctx, qtbot)
    qtbot.waitUntil(lambda: not view.loading)
    assert [r.name for r in view.table.rows()] == ["沂源县鑫源宾馆"]
    assert view.count_label.text() == "共 1 个检查对象"


@pytest.mark.parametrize("reverse", [False, True])
def test_precomputed_name_keys_sort_exactly_as_a_header_click_without_them(reverse):
    values = ["旅馆10", "旅馆2", "", "ab旅馆", "ＡＢ旅馆", "Ab旅馆", "阿里", "中原", "白云", "", "旅馆2", None]
    keys = text_sort_keys(values)
    by_keys = sorted(range(len(values)), key=keys.__getitem__, reverse=reverse)
    assert by_keys == sort_order(values, reverse)
    assert text_sort_keys(["旅馆", 3]) is None   # a column holding numbers sorts the ordinary way


@pytest.mark.parametrize("reverse", [False, True])
def test_name_ranks_order_rows_exactly_as_their_keys_ties_included(reverse):
    values = ["旅馆10", "旅馆2", "", "ab旅馆", "ＡＢ旅馆", "阿里", "中原", "旅馆2", "阿里", None, "白云", "中原"]
    keys = text_sort_keys(values)
    ranks = key_ranks(keys)
    assert sorted(range(len(values)), key=ranks.__getitem__, reverse=reverse) == sort_order(values, reverse)
    assert all((ranks[i] == ranks[j]) == (keys[i] == keys[j]) for i in range(len(keys)) for j in range(len(keys)))
    assert sorted(set(ranks)) == list(range(len(set(keys))))   # dense: 0, 1, 2 … one per distinct name


def test_units_sharing_a_name_stay_in_the_order_of_the_clerks_previous_sort(ctx, qtbot):
    # Two 分店 registered under one name: sorting by name keeps them in the order the clerk had before
    # (here by credit code, highest first), in either direction, as a header click without keys did.
    with ctx.db.session() as s:
        for n in range(1, TOTAL + 1):
            rs.add_object(s, rs.ObjectData(name=f"{PREFIXES[n % len(PREFIXES)]}{n % 20}", credit_code=make_code(n),
                                           type_name="旅馆", risk_level="低风险", status="在营"), "测试")
    view = open_tab(ctx, qtbot)
    qtbot.waitUntil(lambda: not view.loading and view.table.table_model.has_sort_keys(0))
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    by_code = view.table.rows()
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert view.table.rows() == pinyin_sorted(by_code)
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert view.table.rows() == pinyin_sorted(by_code, reverse=True)
    names = [r.name for r in view.table.rows()]
    assert len(set(names)) < len(names)   # the names did repeat


def test_a_closed_tab_frees_its_rows_at_once_not_at_the_next_garbage_collection(ctx, qtbot):
    # A clerk closes the 检查对象 tab of a big roster: its rows (300,000 of them: about 170 MB) must go with it,
    # not wait for Python's cyclic collector, which may not run for a long while.
    add_many(ctx.db)
    listening = len(ctx.listeners)
    view = open_tab(ctx, qtbot, keep=False)
    tab, rows = weakref.ref(view), weakref.ref(view.table.table_model)
    qtbot.waitUntil(lambda: not tab().loading and rows().has_sort_keys(0))
    assert len(ctx.listeners) > listening
    gc.collect()
    gc.disable()
    try:
        view.close()
        view.deleteLater()
        del view
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        assert tab() is None and rows() is None
        assert len(ctx.listeners) == listening
    finally:
        gc.enable()
