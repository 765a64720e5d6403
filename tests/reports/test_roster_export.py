"""Exports and templates: the cells a clerk opens in Excel, formula-looking text kept as text, atomic saves."""
from __future__ import annotations

import openpyxl
import pytest

from models.credit_code import make_code
from models.roster_service import (InspectorData, ObjectData, ObjectFilter, add_inspector, add_object, add_recusal,
                                   list_objects, set_object_active)
from reports.roster_export import (export_inspectors, export_objects, write_inspectors_template,
                                   write_objects_template)
from usecases.roster_import import apply_import, preview_inspectors_import, preview_objects_import
from reports.xlsx_read import cell_text, read_sheet
from reports.xlsx_write import atomic_save, safe_row, text_width


@pytest.fixture
def roster(db):
    with db.session() as s:
        a = add_object(s, ObjectData("=HYPERLINK(\"http://x\",\"点我\")", make_code(1), "旅馆", "振兴路1号",
                                     "城关派出所", "张伟", "13805331234", "鲁公特旅字第0001号", "中风险", "在营"), "a")
        b = add_object(s, ObjectData("沂源县顺达网吧", make_code(2), "网吧", phone="+86 533 1234"), "a")
        set_object_active(s, b, False, "a")
        i = add_inspector(s, InspectorData("王强", "371323001", "治安大队", "鲁公执字001"), "a")
        add_recusal(s, i, a, "@亲属关系", "a")
    return db


def test_exported_objects_are_the_roster_cells_with_formula_text_kept_as_text(roster, tmp_path):
    path = tmp_path / "objects.xlsx"
    assert export_objects(roster, path) == 2
    ws = openpyxl.load_workbook(path)["检查对象"]
    assert [c.value for c in ws[1]] == ["单位名称", "统一社会信用代码", "对象类型", "地址", "辖区", "法定代表人",
                                        "联系电话", "许可证号", "风险等级", "经营状态", "证件类型", "国籍/签发国",
                                        "无证件原因", "是否启用"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:N3"
    first = ws[2]
    assert first[0].value == "=HYPERLINK(\"http://x\",\"点我\")"
    assert first[0].data_type == "s" and first[0].quotePrefix  # text, never a formula
    assert [c.value or "" for c in first[1:]] == [make_code(1), "旅馆", "振兴路1号", "城关派出所", "张伟",
                                                  "13805331234", "鲁公特旅字第0001号", "中风险", "在营",
                                                  "统一社会信用代码", "", "", "是"]
    assert ws[3][6].value == "+86 533 1234" and ws[3][6].data_type == "s"
    assert ws[3][13].value == "否"  # deactivated objects are exported too, marked


def test_export_follows_a_filter(roster, tmp_path):
    path = tmp_path / "o.xlsx"
    assert export_objects(roster, path, ObjectFilter()) == 1


def test_exported_inspectors_carry_the_recusal_sheet_and_round_trip(roster, db_path, tmp_path):
    from models.db import open_database

    path = tmp_path / "inspectors.xlsx"
    objects = tmp_path / "objects.xlsx"
    assert export_inspectors(roster, path) == 1
    export_objects(roster, objects)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["执法检查人员", "回避"]
    assert [c.value for c in book["回避"][2]] == ["371323001", "王强", make_code(1), "=HYPERLINK(\"http://x\",\"点我\")",
                                                 "@亲属关系", "统一社会信用代码", ""]
    fresh = open_database(tmp_path / "fresh.sqlite3")
    try:
        assert apply_import(fresh, preview_objects_import(fresh, objects), "a").new == 2
        done = apply_import(fresh, preview_inspectors_import(fresh, path), "a")
        assert (done.new, done.recusals_new) == (1, 1)
        # The deactivated object comes back deactivated, not on the roster again.
        assert [r[1] for r in objects_on_the_roster(fresh)] == ["=HYPERLINK(\"http://x\",\"点我\")"]
    finally:
        fresh.dispose()


def objects_on_the_roster(db):
    with db.session() as s:
        return list_objects(s, ObjectFilter())


def test_objects_template_has_a_frozen_header_and_dropdowns(db, tmp_path):
    path = tmp_path / "模板.xlsx"
    write_objects_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "检查对象" and "说明" in book.sheetnames
    ws = book["检查对象"]
    assert ws.freeze_panes == "A2" and ws[1][0].font.b
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(lists) == {"C2:C5001", "I2:I5001", "J2:J5001", "K2:K5001"}  # type, risk, status, 证件类型
    options = book["选项"]
    assert options.sheet_state == "hidden"
    assert [c.value for c in options["B"] if c.value][1:] == ["低风险", "中低风险", "中风险", "高风险"]
    assert [c.value for c in options["C"] if c.value][1:] == ["在营", "停业", "注销"]
    assert "旅馆" in [c.value for c in options["A"]]
    notes = [[c.value for c in r] for r in book["说明"].iter_rows(min_row=2, max_row=4)]
    assert notes[1][:3] == ["检查对象", "统一社会信用代码", "必填"]
    assert read_sheet(path)[0][:2] == ["单位名称", "统一社会信用代码"]
    # Filled in, the template imports cleanly: the 说明 and 选项 sheets are not mistaken for data.
    ws.append(["沂源县鑫源宾馆", make_code(1), "旅馆", None, None, None, None, None, "中风险", "在营"])
    book.save(path)
    preview = preview_objects_import(db, path)
    assert preview.ok and preview.new == 1


def test_inspectors_template_has_a_recusal_sheet(tmp_path):
    path = tmp_path / "t.xlsx"
    write_inspectors_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["执法检查人员", "回避", "说明"]
    assert [c.value for c in book["回避"][1]] == ["警号", "统一社会信用代码", "证件类型", "国籍/签发国", "回避原因"]
    assert book["回避"].freeze_panes == "A2"


def test_an_atomic_save_never_leaves_a_half_written_file(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    wb = openpyxl.Workbook()
    wb.active.append(safe_row(wb.active, ["=1+1", " -2", "\t@x", "正常"]))
    atomic_save(wb, path)
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == ["=1+1", " -2", "\t@x", "正常"]
    assert all(c.data_type == "s" for c in ws[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]

    class Broken:
        def save(self, name):
            with open(name, "wb") as f:
                f.write(b"half")
            raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        atomic_save(Broken(), path)
    assert openpyxl.load_workbook(path).active["D1"].value == "正常"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_cells_read_as_the_text_a_clerk_sees():
    import datetime as dt

    assert cell_text(13800000000.0) == "13800000000"
    assert cell_text(1.5) == "1.5"
    assert cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text(dt.datetime(2024, 5, 1, 8, 30)) == "2024-05-01 08:30:00"
    assert cell_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text(True) == "是" and cell_text(None) == ""
    assert text_width("宾馆ab") == 6
