"""A 治安大队 clerk imports the 废旧金属 and 出入境 lists that hold persons (issue 19 item 6): a 证件类型 column beside
the number, a 姓名 column for the name; old sheets without 证件类型 keep working; nothing is written when a row
is wrong, and the message names the file, the row and the column."""
from __future__ import annotations

import openpyxl
from sqlalchemy import select

from models.credit_code import make_code
from models.roster import InspectedObject
from reports.roster_export import export_objects, write_objects_template
from tests.helpers import workbook
from ui.cli import run
from usecases.roster_import import apply_import, preview_objects_import

HEADERS = ["姓名", "证件类型", "证件号码", "国籍/签发国", "无证件原因", "对象类型", "地址", "辖区"]
WANG = "11010519491231002X"
ROWS = [
    ["沂源县恒达再生资源回收有限公司", "", make_code(1), "", "", "废旧金属收购", "振兴路1号", "城关派出所"],
    ["王建国", "身份证", "110105491231002", "", "", "废旧金属收购", "城关镇西关村", "城关派出所"],   # 15 digits
    ["John Smith", "护照", "E1234 5678", "美国", "", "出入境人员", "", "城关派出所"],
    ["李记废品站", "无", "", "", "流动摊贩，未办理营业执照", "废旧金属收购", "南关集市", "城关派出所"],
]


def stored(db) -> dict[str, tuple]:
    with db.session() as s:
        return {r.name: (r.id_kind, r.credit_code, r.id_country, r.no_id_reason) for r in s.execute(
            select(InspectedObject.name, InspectedObject.id_kind, InspectedObject.credit_code,
                   InspectedObject.id_country, InspectedObject.no_id_reason))}


def test_a_sheet_of_persons_and_units_is_accepted_and_each_kind_stored(db, tmp_path):
    path = workbook(tmp_path / "废旧金属.xlsx", {"名单": [HEADERS, *ROWS]})
    preview = preview_objects_import(db, path)
    assert preview.ok, preview.problem_lines()
    assert preview.new == 4
    apply_import(db, preview, "录入员")
    rows = stored(db)
    assert rows["王建国"] == ("身份证", WANG, "", "")                       # stored as 18 digits
    assert rows["John Smith"] == ("护照", "E12345678", "美国", "")
    assert rows["李记废品站"] == ("无", None, "", "流动摊贩，未办理营业执照")
    assert rows["沂源县恒达再生资源回收有限公司"] == ("统一社会信用代码", make_code(1), "", "")
    # The same sheet again changes nothing: persons match by kind and number, 无 by name and address.
    again = preview_objects_import(db, path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4), again.problem_lines()


def test_a_wrong_check_digit_is_refused_naming_file_row_and_column(db, db_target, tmp_path, capsys):
    bad = [*ROWS[:1], ["王建国", "身份证", "110105194912310021", "", "", "废旧金属收购", "", ""], *ROWS[2:]]
    path = workbook(tmp_path / "有误.xlsx", {"名单": [HEADERS, *bad]})
    assert run(["--db", db_target, "import-objects", str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 3 行，“证件号码”列：证件号码 110105194912310021：校验位错误（校验位应为 X，实为 1）" in err
    assert "有误.xlsx" in err
    assert stored(db) == {}   # all or nothing


def test_a_passport_without_country_and_an_unknown_kind_are_refused(db, tmp_path):
    bad = [["John Smith", "护照", "E12345678", "", "", "出入境人员", "", ""],
           ["张三", "驾驶证", "123456", "", "", "废旧金属收购", "", ""],
           ["李四", "无", "", "", "", "废旧金属收购", "", ""]]
    preview = preview_objects_import(db, workbook(tmp_path / "x.xlsx", {"名单": [HEADERS, *bad]}))
    assert preview.problem_lines() == [
        "第 2 行，“国籍/签发国”列：护照须填写国籍/签发国",
        "第 3 行，“证件类型”列：证件类型“驾驶证”无效，应为：统一社会信用代码、身份证、护照、其他证件、无",
        "第 4 行，“无证件原因”列：证件类型为“无”时须填写无证件的原因",
    ]


def test_the_same_person_twice_in_a_file_is_named_with_both_rows(db, tmp_path):
    rows = [ROWS[1], ["王建国", "居民身份证", WANG, "", "", "废旧金属收购", "", ""]]
    preview = preview_objects_import(db, workbook(tmp_path / "x.xlsx", {"名单": [HEADERS, *rows]}))
    assert preview.problem_lines() == [f"第 3 行，“证件号码”列：证件号码 {WANG} 在文件中重复：第 2 行和第 3 行"]


def test_the_export_writes_the_kind_and_imports_back_unchanged_and_the_template_has_the_columns(db, tmp_path):
    apply_import(db, preview_objects_import(db, workbook(tmp_path / "a.xlsx", {"名单": [HEADERS, *ROWS]})), "a")
    out = tmp_path / "导出.xlsx"
    assert export_objects(db, out) == 4
    ws = openpyxl.load_workbook(out).active
    head = [c.value for c in ws[1]]
    cells = {row[0]: dict(zip(head, row)) for row in ws.iter_rows(min_row=2, values_only=True)}
    assert cells["王建国"]["证件类型"] == "身份证" and cells["王建国"]["统一社会信用代码"] == WANG
    assert cells["John Smith"]["国籍/签发国"] == "美国"
    assert cells["李记废品站"]["无证件原因"] == "流动摊贩，未办理营业执照"
    assert not cells["李记废品站"]["统一社会信用代码"]
    back = preview_objects_import(db, out)
    assert (back.new, back.updated, back.unchanged) == (0, 0, 4), back.problem_lines()
    template = tmp_path / "模板.xlsx"
    write_objects_template(template)
    titles = [c.value for c in openpyxl.load_workbook(template)["检查对象"][1]]
    assert {"证件类型", "国籍/签发国", "无证件原因"} <= set(titles)
