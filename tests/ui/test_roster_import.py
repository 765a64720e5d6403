"""A clerk imports rosters from Excel through the dialog, exports them and downloads the template."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from models import roster_service as rs
from models.credit_code import make_code
from models.roster import InspectedObject, Inspector, Recusal
from tests.helpers import workbook
from tests.ui.fit import OFFICE_SCREEN, problems
from tests.ui.screenshots import save_screenshot
from ui.roster.page import RosterPage

OBJECT_HEADER = ["序号", "企业名称", "统一社会信用代码", "行业类别", "经营地址", "所属派出所", "负责人",
                 "联系电话", "许可证号", "风险等级", "经营状态"]


def object_rows(n: int, start: int = 1) -> list[list]:
    return [[i, f"测试旅馆{i:03d}", make_code(i), "旅馆", f"城关镇{i}号", "城关派出所", "张三",
             "0533-3210000", f"特旅{i:04d}", "中风险" if i % 3 else "高风险", "在营"]
            for i in range(start, start + n)]


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A clerk's workbook: text that starts with "=" stays text, as Excel keeps it."""
    return workbook(path, sheets, formulas_as_text=True)


@pytest.fixture
def page(ctx, qtbot):
    p = RosterPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 600)
    p.show()
    qtbot.waitUntil(lambda: not p.objects.loading)   # the rows follow the tab's first paint
    return p


def choose_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), "Excel 工作簿 (*.xlsx)"))


def choose_save_target(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "Excel 工作簿 (*.xlsx)"))


def count(ctx, model) -> int:
    with ctx.db.session() as s:
        return s.query(model).count()


def open_import(view, qtbot):
    qtbot.mouseClick(view.import_button, Qt.MouseButton.LeftButton)
    dlg = view.import_dialog
    qtbot.waitUntil(lambda: dlg.preview is not None, timeout=20000)
    return dlg


def test_a_good_workbook_is_previewed_then_imported_and_the_rows_appear(page, ctx, qtbot, monkeypatch,
                                                                        tmp_path, no_modal_dialogs):
    with ctx.db.session() as s:   # one object already on the roster, changed in the file
        rs.add_object(s, rs.ObjectData(name="测试旅馆001", credit_code=make_code(1), type_name="旅馆"), "测试")
    ctx.notify("roster")
    rows = object_rows(30)
    rows[4][1] = "=A&B<旅馆>"          # looks odd, but is valid data and kept as written
    choose_file(monkeypatch, write_workbook(tmp_path / "objects.xlsx", {"名录": [OBJECT_HEADER, *rows]}))

    dlg = open_import(page.objects, qtbot)
    assert dlg.preview.ok
    assert "新增 29 条，更新 1 条" in dlg.status.text()
    assert dlg.import_button.isVisible() and dlg.import_button.isEnabled() and not dlg.problems.isVisible()
    assert count(ctx, InspectedObject) == 1             # nothing written before 确认导入

    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result_preview is not None, timeout=20000)
    assert count(ctx, InspectedObject) == 30
    view = page.objects
    assert view.count_label.text() == "共 30 个检查对象"
    assert "=A&B<旅馆>" in [r[1] for r in view.table.rows()]
    assert "城关派出所" in [view.jurisdiction_filter.itemText(i) for i in range(view.jurisdiction_filter.count())]
    assert no_modal_dialogs[-1][0] == "information" and "新增 29 条" in no_modal_dialogs[-1][1]


def test_a_bad_workbook_shows_every_problem_imports_nothing_and_the_list_can_be_saved(
        page, ctx, qtbot, monkeypatch, tmp_path, no_modal_dialogs):
    rows = object_rows(5)
    good = rows[1][2]
    rows[1][2] = good[:-1] + ("0" if good[-1] != "0" else "1")   # wrong check digit, sheet row 3
    rows[3][1] = ""                                             # missing name, sheet row 5
    rows[4][9] = "特高风险"                                       # unknown risk level, sheet row 6
    choose_file(monkeypatch, write_workbook(tmp_path / "bad.xlsx", {"名录": [OBJECT_HEADER, *rows]}))

    dlg = open_import(page.objects, qtbot)
    assert not dlg.preview.ok
    assert not dlg.import_button.isEnabled()          # 确认导入 waits until the file is corrected
    assert dlg.problems.isVisible() and dlg.save_problems_button.isVisible()
    shown = dlg.problems.rows()
    assert {r.row for r in shown} == {3, 5, 6}
    assert all(r.sheet == "名录" for r in shown)
    assert any("校验位" in r.message for r in shown)
    assert f"{len(shown)} 处问题" in dlg.status.text()
    assert count(ctx, InspectedObject) == 0

    target = tmp_path / "问题清单"          # the clerk typed no extension
    choose_save_target(monkeypatch, target)
    qtbot.mouseClick(dlg.save_problems_button, Qt.MouseButton.LeftButton)
    saved = target.with_name("问题清单.xlsx")
    assert saved.exists()
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(saved).active.iter_rows() for c in row)
    assert "校验位" in text
    assert page.objects.table.row_count() == 0


@pytest.fixture
def office_font(qapp):
    """The font the app really starts with (a CJK UI font), so what fits here fits on the clerk's PC."""
    from ui.app import ensure_app, pick_ui_font

    ensure_app()
    before = qapp.font()
    qapp.setFont(pick_ui_font())
    yield
    qapp.setFont(before)


def header_texts(table) -> list[str]:
    model = table.model()
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def cell_texts(table, row: int) -> list[str]:
    model = table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_clerk_sees_which_column_went_where_and_the_first_rows_before_confirming(
        page, ctx, qtbot, monkeypatch, tmp_path, no_modal_dialogs, office_font):
    # The county's own sheet: 社会信用代码 for 统一社会信用代码, an extra 备注 column the app does not know,
    # a name typed with spaces around it and a code in lower case.
    header = ["序号", "企业名称", "社会信用代码", "行业类别", "备注", "风险等级"]
    rows = [[i, f"沂源县旅馆{i:03d}", make_code(i), "旅馆", f"第{i}次年检", "中风险"] for i in range(1, 36)]
    rows[0][1] = "  沂源县鑫源宾馆 "
    rows[0][2] = make_code(1).lower()
    rows[1][5] = ""                       # no 风险等级: a new row gets 低风险
    with ctx.db.session() as s:           # one unit already on the roster, unchanged in the file
        rs.add_object(s, rs.ObjectData(name="沂源县旅馆003", credit_code=make_code(3), type_name="旅馆",
                                       risk_level="中风险"), "测试")
    choose_file(monkeypatch, write_workbook(tmp_path / "沂源名录.xlsx", {"名录": [header, *rows]}))

    dlg = open_import(page.objects, qtbot)

    # Which file column went to which field, and which were left out.
    mapping = [(c.letter, c.header, c.title) for c in dlg.mapping.rows()]
    assert mapping == [("B", "企业名称", "单位名称"), ("C", "社会信用代码", "统一社会信用代码"),
                       ("D", "行业类别", "对象类型"), ("F", "风险等级", "风险等级")]
    assert dlg.mapping.isVisible()
    assert dlg.ignored.isVisible()
    assert "A 列“序号”" in dlg.ignored.text() and "E 列“备注”" in dlg.ignored.text()

    # The first 20 rows as they will be stored, under the app's own column titles.
    assert header_texts(dlg.sample) == ["行", "导入后", "单位名称", "统一社会信用代码", "对象类型", "风险等级"]
    assert dlg.sample.row_count() == 20 and dlg.sample.isVisible()
    assert cell_texts(dlg.sample, 0) == ["2", "新增", "沂源县鑫源宾馆", make_code(1), "旅馆", "中风险"]
    assert cell_texts(dlg.sample, 1)[1:] == ["新增", "沂源县旅馆002", make_code(2), "旅馆", "低风险"]
    assert cell_texts(dlg.sample, 2)[:2] == ["4", "无变化"]
    assert "前 20 行" in dlg.sample_box.title() and "共 35 行" in dlg.sample_box.title()

    # The counts, and 确认导入 ready.
    assert "新增 34 条" in dlg.counts.text() and "更新 0 条" in dlg.counts.text()
    assert "无变化 1 条" in dlg.counts.text() and "问题 0 处" in dlg.counts.text()
    assert dlg.import_button.isVisible() and dlg.import_button.isEnabled()
    assert count(ctx, InspectedObject) == 1

    # All of it fits a 1366×768 office PC above the taskbar.
    assert dlg.width() <= OFFICE_SCREEN[0] and dlg.height() <= OFFICE_SCREEN[1]
    assert problems(dlg, OFFICE_SCREEN) == []
    dlg.resize(1180, 680)                 # as it opens on the office screen (offscreen the screen is 800×800)
    assert problems(dlg, OFFICE_SCREEN) == []
    save_screenshot(dlg, "import_preview.png")

    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result_preview is not None, timeout=20000)
    with ctx.db.session() as s:
        stored = {o.credit_code: o for o in s.query(InspectedObject)}
        assert len(stored) == 35
        first = stored[make_code(1)]
        assert (first.name, first.risk_level) == ("沂源县鑫源宾馆", "中风险")
        assert stored[make_code(2)].risk_level == "低风险"


def test_a_file_with_problems_shows_the_preview_but_confirm_stays_disabled(
        page, ctx, qtbot, monkeypatch, tmp_path, no_modal_dialogs, office_font):
    rows = object_rows(25)
    rows[2][9] = "特高风险"                       # sheet row 4
    choose_file(monkeypatch, write_workbook(tmp_path / "bad.xlsx", {"名录": [OBJECT_HEADER, *rows]}))
    dlg = open_import(page.objects, qtbot)
    assert not dlg.import_button.isEnabled()
    assert "问题 1 处" in dlg.counts.text()
    assert [r.row for r in dlg.problems.rows()] == [4]
    assert cell_texts(dlg.sample, 2)[:2] == ["4", "有问题"]
    assert dlg.save_problems_button.isVisible()
    dlg.resize(1180, 680)
    assert problems(dlg, OFFICE_SCREEN) == []
    save_screenshot(dlg, "import_preview_problems.png")
    assert count(ctx, InspectedObject) == 0


def test_inspectors_and_their_recusal_sheet_are_imported_together(page, ctx, qtbot, monkeypatch, tmp_path,
                                                                  no_modal_dialogs):
    with ctx.db.session() as s:
        rs.add_object(s, rs.ObjectData(name="恒通典当行", credit_code=make_code(7), type_name="典当行"), "测试")
    path = write_workbook(tmp_path / "people.xlsx", {
        "检查人员": [["姓名", "警号", "所在单位", "执法证号"], ["李明", "370001", "治安大队", "鲁A001"],
                 ["孙丽", "SJ-015", "市场监督管理局", ""]],
        "回避": [["警号", "统一社会信用代码", "回避原因"], ["370001", make_code(7), "其兄为该典当行股东"]],
    })
    choose_file(monkeypatch, path)
    dlg = open_import(page.inspectors, qtbot)
    assert dlg.preview.ok, dlg.preview.problems
    assert "回避关系新增 1 条" in dlg.status.text()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.result_preview is not None, timeout=20000)
    assert sorted(r[1] for r in page.inspectors.table.rows()) == sorted(["李明", "孙丽"])
    assert [(r[2], r[6]) for r in page.recusals.table.rows()] == [("李明", "恒通典当行")]
    assert (count(ctx, Inspector), count(ctx, Recusal)) == (2, 1)


def test_cancelling_the_file_choice_opens_nothing(page, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    page.objects.import_button.click()
    assert getattr(page.objects, "import_dialog", None) is None


def test_export_and_template_are_written_where_the_clerk_chose(page, ctx, qtbot, monkeypatch, tmp_path,
                                                              no_modal_dialogs):
    with ctx.db.session() as s:
        for n in range(1, 4):
            rs.add_object(s, rs.ObjectData(name=f"网吧{n}", credit_code=make_code(n), type_name="网吧"), "测试")
    ctx.notify("roster")
    view = page.objects
    choose_save_target(monkeypatch, tmp_path / "名录.xlsx")
    view.export_button.click()
    qtbot.waitUntil(lambda: any(kind == "information" for kind, _ in no_modal_dialogs), timeout=20000)
    assert "已导出 3 个检查对象" in no_modal_dialogs[-1][1]
    ws = openpyxl.load_workbook(tmp_path / "名录.xlsx").active
    assert ws.max_row == 4

    choose_save_target(monkeypatch, tmp_path / "模板.xlsx")
    view.template_button.click()
    qtbot.waitUntil(lambda: len(no_modal_dialogs) == 2, timeout=20000)
    assert no_modal_dialogs[-1][0] == "information", no_modal_dialogs
    wb = openpyxl.load_workbook(tmp_path / "模板.xlsx")
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[:3] == ["单位名称", "统一社会信用代码", "对象类型"]
    assert wb.worksheets[0].freeze_panes == "A2"
