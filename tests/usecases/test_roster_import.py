"""A clerk imports roster workbooks: synonyms, updates by key, every problem listed, nothing half-written."""
from __future__ import annotations


import openpyxl
import pytest
from sqlalchemy import func, select

from models.admin import AuditEntry
from models.credit_code import make_code
from models.roster import InspectedObject, Inspector, Recusal
from models.roster_service import (InspectorData, ObjectData, RosterError, add_inspector, add_object,
                                   get_object, list_objects, list_recusals, set_object_active)
from reports.roster_columns import match_headers
from tests.helpers import workbook
from usecases.roster_import import (ImportCancelled, apply_import, preview_inspectors_import, preview_objects_import,
                                   save_problems_xlsx)

SYNONYM_HEADERS = ["序号", "企业名称", "社会信用代码", "行业类别", "经营地址", "所属派出所", "负责人", "电话",
                   "许可证编号", "风险分类", "状态", "备注"]


def object_row(n: int, name: str | None = None, **kw) -> list:
    row = {"no": n, "name": f"沂源县鑫源宾馆{n}" if name is None else name, "code": make_code(n), "type": "旅馆",
           "address": f"沂源县历山街道振兴路{n}号", "jur": "城关派出所", "rep": "张伟", "phone": 13805331234,
           "licence": f"鲁公特旅字第{n:04d}号", "risk": "低风险", "status": "在营", "note": ""}
    row.update(kw)
    return list(row.values())


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_clerk_imports_a_workbook_with_synonym_headers_and_sees_the_rows(db, tmp_path):
    path = workbook(tmp_path / "名录.xlsx", {"Sheet1": [SYNONYM_HEADERS] + [object_row(n) for n in range(1, 4)]
                                              + [[None] * 12]  # an empty row is skipped
                                              + [object_row(4, type="民宿", risk="", status="")]})
    seen = []
    preview = preview_objects_import(db, path, progress=lambda d, t: seen.append((d, t)))
    assert preview.ok, preview.problem_lines()
    assert (preview.new, preview.updated, preview.unchanged) == (4, 0, 0)
    assert seen[-1][0] == seen[-1][1]
    assert count(db, InspectedObject) == 0  # a preview writes nothing
    done = apply_import(db, preview, "张三")
    assert done.summary() == "新增 4 条，更新 0 条（按统一社会信用代码），无变化 0 条"
    with db.session() as s:
        rows = list_objects(s)
        assert [r[1] for r in rows] == ["沂源县鑫源宾馆1", "沂源县鑫源宾馆2", "沂源县鑫源宾馆3", "沂源县鑫源宾馆4"]
        first = get_object(s, rows[0][0])
        assert first == ObjectData("沂源县鑫源宾馆1", make_code(1), "旅馆", "沂源县历山街道振兴路1号", "城关派出所",
                                   "张伟", "13805331234", "鲁公特旅字第0001号", "低风险", "在营")
        new_type = get_object(s, rows[3][0])
        assert (new_type.type_name, new_type.risk_level, new_type.status) == ("民宿", "低风险", "在营")
        created = s.scalar(select(InspectedObject.created_at).limit(1))
        assert created.year >= 2024  # bulk-written timestamps read back as datetimes
        entries = s.execute(select(AuditEntry.action, AuditEntry.detail)).all()
    assert len(entries) == 1 and entries[0][0] == "导入检查对象"
    assert '"file":"名录.xlsx"' in entries[0][1] and '"new":4' in entries[0][1]


def test_re_import_updates_by_credit_code_and_reports_unchanged_rows(db, tmp_path):
    first = workbook(tmp_path / "a.xlsx", {"检查对象": [SYNONYM_HEADERS] + [object_row(n) for n in range(1, 4)]})
    apply_import(db, preview_objects_import(db, first), "a")
    with db.session() as s:
        add_object(s, ObjectData("沂源县顺达网吧", make_code(99), "网吧", risk_level="高风险"), "a")
    # Row 2 changes its address; row 3 leaves risk and status empty (kept); a new row 5.
    second = workbook(tmp_path / "b.xlsx", {"检查对象": [SYNONYM_HEADERS, object_row(1),
                                                         object_row(2, address="新地址"),
                                                         object_row(3, risk="", status=""),
                                                         object_row(99, name="沂源县顺达网吧", type="网吧", risk=""),
                                                         object_row(5)]})
    preview = preview_objects_import(db, second)
    assert (preview.new, preview.updated, preview.unchanged) == (1, 2, 2)
    done = apply_import(db, preview, "a")
    assert done.summary() == "新增 1 条，更新 2 条（按统一社会信用代码），无变化 2 条"
    with db.session() as s:
        by_code = {r[2]: r for r in list_objects(s)}
    assert by_code[make_code(2)][4] == "新地址"
    assert by_code[make_code(99)][9] == "高风险"  # an empty risk cell never lowers the stored level
    assert by_code[make_code(99)][4] == "沂源县历山街道振兴路99号"
    assert count(db, InspectedObject) == 5


def test_a_bad_file_imports_nothing_and_lists_every_problem(db, tmp_path):
    code3 = make_code(3)
    bad_digit = make_code(2)[:17] + ("0" if make_code(2)[17] != "0" else "1")
    path = workbook(tmp_path / "bad.xlsx", {"检查对象": [
        SYNONYM_HEADERS,
        object_row(1),
        object_row(2, code=bad_digit),
        object_row(3, name=""),
        object_row(4, code=code3),
        object_row(5, risk="极高"),
        object_row(6, status="歇业"),
        object_row(7, code="9137032312345"),
        object_row(8, name="长" * 201),
    ]})
    preview = preview_objects_import(db, path)
    assert not preview.ok
    lines = preview.problem_lines()
    expected = make_code(2)[17]
    assert lines == [
        f"第 3 行，“社会信用代码”列：统一社会信用代码 {bad_digit}："
        f"校验位错误（校验位应为 {expected}，实为 {bad_digit[17]}）",
        "第 4 行，“企业名称”列：单位名称不能为空",
        f"第 5 行，“社会信用代码”列：统一社会信用代码 {code3} 在文件中重复：第 4 行和第 5 行",
        "第 6 行，“风险分类”列：风险等级“极高”无效，应为：低风险、中低风险、中风险、高风险",
        "第 7 行，“状态”列：经营状态“歇业”无效，应为：在营、停业、注销",
        "第 8 行，“社会信用代码”列：统一社会信用代码 9137032312345：应为18位，实为13位",
        "第 9 行，“企业名称”列：长度超过 200 个字符（实为 201 个）",
    ]
    with pytest.raises(RosterError, match="7 处问题"):
        apply_import(db, preview, "a")
    assert count(db, InspectedObject) == 0 and count(db, AuditEntry) == 0

    out = tmp_path / "问题.xlsx"
    save_problems_xlsx(preview.problems, out)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["工作表", "行号", "列", "问题"]
    assert [c.value for c in ws[2]] == ["检查对象", 3, "社会信用代码", preview.problems[0].message]


def test_missing_and_duplicate_columns_are_reported_on_the_header_row(db, tmp_path):
    path = workbook(tmp_path / "h.xlsx", {"S": [["名称", "单位名称", "地址"], ["a", "b", "c"]]})
    preview = preview_objects_import(db, path)
    assert preview.problem_lines() == [
        "第 1 行，“单位名称”列：与“名称”列重复（都表示“单位名称”），请只保留一列",
        "第 1 行，“统一社会信用代码”列：缺少必填列“统一社会信用代码”"
        "（也可写作：社会信用代码、信用代码、证件号码、证件号、身份证号码、身份证号）",
        "第 1 行，“对象类型”列：缺少必填列“对象类型”（也可写作：行业类别、行业、检查对象类型）",
    ]


def test_header_matching_ignores_unknown_columns_and_decorations():
    mapping, problems = match_headers(["序号", " 单位名称* ", "统一社会信用代码（必填）", "行业", "备注"])
    assert mapping == {"name": 1, "credit_code": 2, "type_name": 3} and problems == []


def test_a_title_row_above_the_header_is_skipped(db, tmp_path):
    path = workbook(tmp_path / "t.xlsx", {"S": [["2024年检查对象名录"], SYNONYM_HEADERS, object_row(1, code="x")]})
    preview = preview_objects_import(db, path)
    assert preview.problems[0].row == 3


def test_odd_looking_values_are_valid_and_kept_exactly(db, tmp_path):
    odd = ["A&B <宾馆>", "=HYPERLINK(\"x\")宾馆", "+86宾馆", "-宾馆-", "@宾馆", "'引号'宾馆"]
    rows = [object_row(n, name=f"  {name} ") for n, name in enumerate(odd, start=1)]
    rows.append(object_row(9, code=f"  {make_code(9).lower()}  "))
    path = workbook(tmp_path / "odd.xlsx", {"S": [SYNONYM_HEADERS] + rows})
    # openpyxl would store "=…" as a formula; keep it text as a clerk's Excel would.
    wb = openpyxl.load_workbook(path)
    wb.active["B3"].data_type = "s"
    wb.save(path)
    preview = preview_objects_import(db, path)
    assert preview.ok, preview.problem_lines()
    apply_import(db, preview, "a")
    with db.session() as s:
        names = {r[1] for r in list_objects(s)}
        codes = {r[2] for r in list_objects(s)}
    assert set(odd) <= names
    assert make_code(9) in codes


def test_cancelling_mid_import_leaves_the_database_unchanged(db, tmp_path):
    path = workbook(tmp_path / "big.xlsx", {"S": [SYNONYM_HEADERS] + [object_row(n) for n in range(1, 1201)]})
    with pytest.raises(ImportCancelled):
        preview_objects_import(db, path, cancelled=lambda: True)
    preview = preview_objects_import(db, path)
    calls = []

    def cancel_half_way() -> bool:
        calls.append(1)
        return len(calls) > 3  # after a few chunks have been written
    with pytest.raises(ImportCancelled):
        apply_import(db, preview, "a", cancelled=cancel_half_way)
    assert count(db, InspectedObject) == 0 and count(db, AuditEntry) == 0
    apply_import(db, preview, "a")
    assert count(db, InspectedObject) == 1200


def test_recusal_sheet_in_an_inspectors_workbook(db, tmp_path):
    with db.session() as s:
        add_object(s, ObjectData("沂源县鑫源宾馆", make_code(1), "旅馆"), "a")
        add_inspector(s, InspectorData("李强", "371323009", "禁毒大队"), "a")
    path = workbook(tmp_path / "人员.xlsx", {
        "执法检查人员": [["姓名", "工号", "部门", "执法证件号"],
                   ["王强", "371323001", "治安大队", "鲁公执字001"],
                   ["刘芳", "SJ2024001", "市场监督管理局", None]],
        "回避": [["警号", "姓名", "统一社会信用代码", "原因"],
               ["371323001", "王强", make_code(1), "亲属关系"],
               ["371323009", "李强", make_code(1), "曾在该单位任职"]],
    })
    preview = preview_inspectors_import(db, path)
    assert preview.ok, preview.problem_lines()
    assert preview.summary() == "新增 2 条，更新 0 条（按警号），无变化 0 条；回避关系新增 2 条"
    apply_import(db, preview, "a")
    with db.session() as s:
        pairs = {(r[3], r[7], r[8]) for r in list_recusals(s)}
    assert pairs == {("371323001", make_code(1), "亲属关系"), ("371323009", make_code(1), "曾在该单位任职")}
    again = preview_inspectors_import(db, path)
    assert (again.new, again.unchanged, again.recusals_new) == (0, 2, 0)


def test_recusal_rows_naming_unknown_people_or_units_are_problems(db, tmp_path):
    path = workbook(tmp_path / "r.xlsx", {
        "执法检查人员": [["姓名", "警号", "所在单位"], ["王强", "371323001", "治安大队"], ["王强二", "371323001", ""],
                   ["", "371323003", "治安大队"]],
        "回避": [["警号", "统一社会信用代码", "回避原因"],
               ["371323001", make_code(1), "亲属关系"],
               ["999", "91350100M000100Y43", ""],
               ["371323001", make_code(1), "亲属关系"]],
    })
    preview = preview_inspectors_import(db, path)
    assert preview.problem_lines() == [
        "工作表“执法检查人员”，第 3 行，“警号”列：警号 371323001 在文件中重复：第 2 行和第 3 行",
        "工作表“执法检查人员”，第 3 行，“所在单位”列：所在单位不能为空",
        "工作表“执法检查人员”，第 4 行，“姓名”列：姓名不能为空",
        f"工作表“回避”，第 2 行，“统一社会信用代码”列：统一社会信用代码 {make_code(1)} "
        "既不在检查对象名录库中，也不在本文件中",
        "工作表“回避”，第 3 行，“警号”列：警号 999 既不在执法检查人员名录库中，也不在本文件中",
        "工作表“回避”，第 3 行，“统一社会信用代码”列：统一社会信用代码 91350100M000100Y43 "
        "既不在检查对象名录库中，也不在本文件中",
        "工作表“回避”，第 3 行，“回避原因”列：回避原因不能为空",
        f"工作表“回避”，第 4 行，“统一社会信用代码”列：统一社会信用代码 {make_code(1)} "
        "既不在检查对象名录库中，也不在本文件中",
        "工作表“回避”，第 4 行，“警号”列：回避关系重复：第 2 行和第 4 行",
    ]
    assert count(db, Inspector) == 0 and count(db, Recusal) == 0


def test_files_that_are_not_workbooks_are_refused_by_name(db, tmp_path):
    fake = tmp_path / "名录.xlsx"
    fake.write_text("单位名称,统一社会信用代码\n", encoding="utf-8")
    with pytest.raises(RosterError, match="名录.xlsx 不是 .xlsx 格式"):
        preview_objects_import(db, fake)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RosterError, match="旧版 .xls"):
        preview_objects_import(db, old)
    with pytest.raises(RosterError, match="找不到文件"):
        preview_objects_import(db, tmp_path / "missing.xlsx")


def test_the_active_flag_in_a_re_imported_export_is_kept_and_changed(db, tmp_path):
    # A clerk exports the roster, marks one unit 停用 and one officer 否, and imports it back:
    # the flags take effect; a blank 是否启用 keeps the stored flag; a new row without it is active.
    headers = ["单位名称", "统一社会信用代码", "对象类型", "是否启用"]
    with db.session() as s:
        add_object(s, ObjectData("沂源县鑫源宾馆", make_code(1), "旅馆"), "a")
        set_object_active(s, add_object(s, ObjectData("沂源县顺达网吧", make_code(2), "网吧"), "a"), False, "a")
    path = workbook(tmp_path / "o.xlsx", {"检查对象": [
        headers, ["沂源县鑫源宾馆", make_code(1), "旅馆", "停用"], ["沂源县顺达网吧", make_code(2), "网吧", None],
        ["沂源县新开宾馆", make_code(3), "旅馆", None], ["沂源县旧宾馆", make_code(4), "旅馆", False]]})
    preview = preview_objects_import(db, path)
    assert preview.ok and (preview.new, preview.updated, preview.unchanged) == (2, 1, 1)
    apply_import(db, preview, "a")
    with db.session() as s:
        flags = dict(s.execute(select(InspectedObject.credit_code, InspectedObject.active)).all())
    assert flags == {make_code(1): False, make_code(2): False, make_code(3): True, make_code(4): False}

    with db.session() as s:
        add_inspector(s, InspectorData("王强", "371323001", "治安大队", active=False), "a")
    people = workbook(tmp_path / "i.xlsx", {"执法检查人员": [
        ["姓名", "警号", "所在单位", "状态"], ["王强", "371323001", "治安大队", "在职"],
        ["李娜", "371323002", "治安大队", "离职"], ["张伟", "371323003", "治安大队", "在岗"]]})
    apply_import(db, preview_inspectors_import(db, people), "a")
    with db.session() as s:
        flags = dict(s.execute(select(Inspector.badge_no, Inspector.active)).all())
    assert flags == {"371323001": True, "371323002": False, "371323003": True}


def test_an_unknown_active_value_is_a_problem_and_nothing_is_written(db, tmp_path):
    path = workbook(tmp_path / "o.xlsx", {"检查对象": [
        ["单位名称", "统一社会信用代码", "对象类型", "是否启用"], ["沂源县鑫源宾馆", make_code(1), "旅馆", "暂停"]]})
    preview = preview_objects_import(db, path)
    assert preview.problem_lines() == ["第 2 行，“是否启用”列：是否启用“暂停”无效，应为：是、否（或 启用、停用）"]
    assert count(db, InspectedObject) == 0
