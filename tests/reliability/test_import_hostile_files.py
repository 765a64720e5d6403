"""Nothing silently wrong, nothing unbounded: what an import cannot read for certain is refused with its row
and column, and huge or hostile workbooks stop early with a clear limit.

The outside test found a formula cell without a cached value in 风险等级 / 经营状态 stored as the
default (低风险 / 在营) although its formula gave 高风险 / 注销; a date or a number in the 名称
column stored as "2024-05-06" / "12345"; a plan ratio "-3%" stored as 3%; a 1,048,576-row sheet
refused only after 117 s and 1.5 GB with 2 million problem lines; one 300 MB cell taking 976 MB.
"""
from __future__ import annotations

import datetime as dt
import time
import zipfile

import pytest
from sqlalchemy import func, select

from models.credit_code import make_code
from models.plan_rules import parse_rule
from models.roster import InspectedObject
from reports import roster_sheets, xlsx_read
from tests.helpers import workbook
from usecases.roster_import import preview_objects_import
from ui.cli import run

HEADERS = ["单位名称", "统一社会信用代码", "对象类型", "地址", "风险等级", "经营状态"]


def _row(n: int, **kw) -> list:
    row = {"name": f"沂源县鑫源宾馆{n}", "code": make_code(n), "type": "旅馆", "address": f"振兴路{n}号",
           "risk": "低风险", "status": "在营"}
    row.update(kw)
    return list(row.values())


def _objects(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(InspectedObject))


def test_a_formula_without_its_result_is_refused_with_row_and_column(db, db_target, tmp_path, capsys):
    path = workbook(tmp_path / "公式.xlsx", {"名录": [HEADERS, _row(1),
                                                    _row(2, risk='=IF(1,"高风险","低风险")'),
                                                    _row(3, status='=IF(1,"注销","在营")')]})
    preview = preview_objects_import(db, path)
    lines = "\n".join(preview.problem_lines())
    assert "第 3 行，“风险等级”列：单元格是公式，但文件中没有保存其计算结果" in lines
    assert "第 4 行，“经营状态”列：单元格是公式" in lines
    assert run(["--db", db_target, "import-objects", str(path)]) == 1
    assert _objects(db) == 0  # never stored as 低风险 / 在营


def test_a_formula_whose_result_is_saved_is_read_as_that_result(db, tmp_path):
    path = workbook(tmp_path / "已计算.xlsx", {"名录": [HEADERS, _row(1), _row(2, risk='=IF(1,"高风险","低风险")')]})
    # what Excel does on saving: the computed value stored beside the formula
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/"))
    parts[sheet] = parts[sheet].replace(b"</f><v></v>", b'</f><v>\xe9\xab\x98\xe9\xa3\x8e\xe9\x99\xa9</v>').replace(
        b"<c r=\"E3\">", b'<c r="E3" t="str">')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    preview = preview_objects_import(db, path)
    assert preview.ok, preview.problem_lines()
    assert [v["risk_level"] for _, v in preview.sheets[0].rows] == ["低风险", "高风险"]


@pytest.mark.parametrize("value, kind", [(dt.date(2024, 5, 6), "日期"), (12345, "数字"),
                                         (dt.datetime(2024, 5, 6, 9, 30), "日期")])
def test_a_date_or_number_in_the_name_column_is_refused(db, tmp_path, value, kind):
    path = workbook(tmp_path / "错位.xlsx", {"名录": [HEADERS, _row(1), _row(2, name=value)]})
    preview = preview_objects_import(db, path)
    assert not preview.ok
    shown = xlsx_read.cell_text(value)
    assert preview.problem_lines() == [f"第 3 行，“单位名称”列：应为文字，但单元格是{kind}（{shown}），"
                                       "可能是列错位；如确实如此，请在 Excel 中把该单元格设为文本格式后重新输入"]


@pytest.mark.parametrize("text", ["-3%", "抽查比例-3%，每年1次", "−5%", "－3%", "-3户"])
def test_a_negative_plan_ratio_or_count_is_not_read_as_positive(text):
    rule = parse_rule(text)
    assert not rule.parsed and "负数" in rule.problem


def test_a_range_of_ratios_is_not_mistaken_for_a_negative_one():
    assert "多个不同的抽查比例" in parse_rule("5%-10%").problem
    assert parse_rule("每半年1-2次").parsed


def test_a_sheet_with_too_many_rows_is_refused_before_it_is_read(db, db_target, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(xlsx_read, "MAX_ROWS", 50)
    path = workbook(tmp_path / "很长.xlsx", {"名录": [HEADERS] + [_row(n) for n in range(1, 60)]})
    started = time.monotonic()
    assert run(["--db", db_target, "import-objects", str(path)]) == 1
    err = capsys.readouterr().err
    assert "有 60 行，超过一次可导入的上限 50 行" in err and "Traceback" not in err
    assert time.monotonic() - started < 10


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_unpacked(db, db_target, tmp_path, monkeypatch,
                                                                           capsys):
    monkeypatch.setattr(xlsx_read, "MAX_UNPACKED_BYTES", 200_000)
    big_cell = "很" * 100_000  # 300 KB in one cell, the shape of the 300 MB one
    path = workbook(tmp_path / "大单元格.xlsx", {"名录": [HEADERS, _row(1, address=big_cell)]})
    assert run(["--db", db_target, "import-objects", str(path)]) == 1
    err = capsys.readouterr().err
    assert "解压后有" in err and "超过上限" in err


def test_a_file_with_a_mistake_in_every_row_lists_the_first_ones_and_counts_the_rest(db, db_target, tmp_path,
                                                                                     monkeypatch, capsys):
    monkeypatch.setattr(roster_sheets, "MAX_LISTED_PROBLEMS", 20)
    path = workbook(tmp_path / "全错.xlsx", {"名录": [HEADERS] + [_row(n, type="") for n in range(1, 201)]})
    preview = preview_objects_import(db, path)
    lines = preview.problem_lines()
    assert len(lines) == 21 and lines[-1].startswith("……另有 180 处问题未列出（共 200 处）")
    assert run(["--db", db_target, "import-objects", str(path)]) == 1
    assert len(capsys.readouterr().err.splitlines()) < 30
