"""昆明's clerk sets up the 实施层级 in 设置 → 实施层级 (a table imported, one level added by hand, the names still
unmapped listed), then in 随机抽取 picks 五华分局 for a 县抽县查 item and sees a 市抽县查 item's districts."""
from __future__ import annotations

from openpyxl import Workbook
from PySide6.QtWidgets import QDialog

from models.organisation import Jurisdiction
from tests.ui.screenshots import save_screenshot
from tests.usecases.test_draw_levels import HIERARCHY, kunming  # noqa: F401 - the fixture
from ui.context import AppContext
from ui.tasks import TaskRunner


def _xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_the_settings_tab_imports_edits_and_lists_what_is_unmapped(qtbot, kunming, ctx, tmp_path,  # noqa: F811
                                                                  no_modal_dialogs):
    from ui.settings.hierarchy_tab import HierarchyTab, JurisdictionDialog

    tab = HierarchyTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1300, 600)
    tab.show()
    assert "尚未设置实施层级" in tab.unmapped_label.text()
    tab.import_table(_xlsx(tmp_path / "层级.xlsx", HIERARCHY))
    ctx.runner.wait()
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 1, timeout=5000)
    city = tab.tree.topLevelItem(0)
    assert city.text(0) == "昆明市公安局" and city.text(2) == "治安管理支队、网络安全保卫支队"
    assert [city.child(i).text(0) for i in range(city.childCount())] == ["五华分局", "盘龙分局"]
    assert city.child(0).child(0).text(2) == "华山街道"
    assert "未列入实施层级的检查对象辖区（1 个）：滇池度假区派出所" in tab.unmapped_label.text()

    # 新增… through the dialog: the new station maps the last 辖区.
    dialog = JurisdictionDialog(tab.rows, None, tab)
    dialog.name.setText("滇池度假区派出所")
    dialog.level.setCurrentIndex(dialog.level.findData("所"))
    dialog.parent_combo.setCurrentIndex(dialog.parent_combo.findText("盘龙分局"))
    dialog.units.setPlainText("滇池路\n海埂")
    answers = iter([QDialog.DialogCode.Accepted])
    dialog.exec = lambda: next(answers, QDialog.DialogCode.Rejected)
    tab._save(dialog)
    qtbot.waitUntil(lambda: "检查对象辖区" not in tab.unmapped_label.text(), timeout=5000)
    with kunming.read_session() as s:
        added = s.query(Jurisdiction).filter_by(name="滇池度假区派出所").one()
        assert added.parent.name == "盘龙分局"
    save_screenshot(tab, "hierarchy_tab.png")

    # A refused save says why and keeps the dialog open for a fix.
    bad = JurisdictionDialog(tab.rows, None, tab)
    bad.name.setText("西山分局")
    bad.level.setCurrentIndex(bad.level.findData("县"))
    bad.units.setPlainText("华山街道")
    answers = iter([QDialog.DialogCode.Accepted])
    bad.exec = lambda: next(answers, QDialog.DialogCode.Rejected)
    tab._save(bad)
    assert any("「华山街道」已属于「华山派出所」" in text for _kind, text in no_modal_dialogs)


def test_the_draw_screen_offers_the_districts_and_shows_the_rule_applied(qtbot, kunming, no_modal_dialogs):  # noqa: F811
    from models.hierarchy import import_rows
    from ui.draw.page import DrawPage

    with kunming.session() as s:
        import_rows(s, HIERARCHY, "张三")
    runner = TaskRunner()
    ctx = AppContext(db=kunming, runner=runner, user="张录入")
    page = DrawPage(ctx)
    page.full_screen = False
    qtbot.addWidget(page)
    page.resize(1366, 728)
    page.show()
    pv = page.prepare_view
    pv.select(2024, "2")
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.item_number == "2" and not pv._timer.isActive(),
                    timeout=10000)
    runner.wait()
    assert pv.county_combo.isEnabled()
    pv.county_combo.set_value("五华分局")
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.jurisdiction == "五华分局" and not pv._timer.isActive(),
                    timeout=10000)
    qtbot.waitUntil(lambda: pv.next_button.isEnabled(), timeout=10000)
    assert "本次按县抽县查（五华分局）抽取" in pv.rule_label.text()
    assert not pv.jurisdiction_combo.isEnabled()
    assert pv.prep.total_eligible == 9
    save_screenshot(page, "draw_county.png")
    pv.county_combo.set_value(None)
    pv.select(2024, "12")
    qtbot.waitUntil(lambda: pv.prep is not None and pv.prep.item_number == "12" and not pv._timer.isActive()
                    and "市抽县查" in pv.rule_label.text(), timeout=10000)
    assert "各县（区）局可抽：五华分局 6 户；盘龙分局 4 户" in pv.rule_label.text()
    save_screenshot(page, "draw_city_county.png")
    runner.wait()
