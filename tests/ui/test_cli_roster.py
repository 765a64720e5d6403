"""The roster commands from a terminal: exit codes, printed problems, and what ends up in the database."""
from __future__ import annotations

import json

import openpyxl
from sqlalchemy import func, select

from models.credit_code import make_code
from models.db import open_database
from models.roster import InspectedObject, Inspector, Recusal
from tests.helpers import workbook
from ui.cli import run


def counts(target) -> tuple[int, int, int]:
    db = open_database(target)
    try:
        with db.session() as s:
            return tuple(s.scalar(select(func.count()).select_from(m)) for m in (InspectedObject, Inspector, Recusal))
    finally:
        db.dispose()


HEADER = ["单位名称", "统一社会信用代码", "对象类型", "辖区", "风险等级"]


def test_import_objects_prints_a_summary_and_a_second_run_finds_nothing_new(tmp_path, db_target, capsys):
    path = str(workbook(tmp_path / "o.xlsx", {"检查对象": [
        HEADER, ["沂源县鑫源宾馆", make_code(1), "旅馆", "城关派出所", "低风险"],
        ["沂源县顺达网吧", make_code(2), "网吧", "南麻派出所", "中风险"]]}))
    assert run(["--db", db_target, "import-objects", path]) == 0
    assert "已导入检查对象：新增 2 条，更新 0 条（按统一社会信用代码），无变化 0 条。" in capsys.readouterr().out
    assert run(["--db", db_target, "import-objects", path]) == 0
    assert "无变化 2 条" in capsys.readouterr().out
    assert counts(db_target) == (2, 0, 0)


def test_a_bad_file_exits_non_zero_prints_each_problem_and_changes_nothing(tmp_path, db_target, capsys):
    bad = make_code(1)[:17] + ("0" if make_code(1)[17] != "0" else "1")
    path = str(workbook(tmp_path / "bad.xlsx", {"检查对象": [HEADER, ["", make_code(3), "旅馆", "", "低风险"],
                                                             ["沂源县鑫源宾馆", bad, "旅馆", "", "极高"]]}))
    assert run(["--db", db_target, "import-objects", path]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "第 2 行，“单位名称”列：单位名称不能为空"
    assert err[1].startswith(f"第 3 行，“统一社会信用代码”列：统一社会信用代码 {bad}："
                             f"校验位错误（校验位应为 {make_code(1)[17]}")
    assert err[2] == "第 3 行，“风险等级”列：风险等级“极高”无效，应为：低风险、中低风险、中风险、高风险"
    assert err[3] == "文件 " + path + " 中有 3 处问题，未导入任何数据。"
    assert counts(db_target) == (0, 0, 0)


def test_problems_in_a_several_sheet_workbook_name_the_sheet(tmp_path, db_target, capsys):
    path = str(workbook(tmp_path / "i.xlsx", {
        "人员": [["姓名", "警号", "所在单位"], ["王强", "371323001", "治安大队"]],
        "回避": [["警号", "统一社会信用代码", "回避原因"], ["371323001", make_code(1), "亲属关系"],
                 ["371323002", make_code(1), "亲属关系"]]}))
    assert run(["--db", db_target, "import-inspectors", path]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (f"工作表“回避”，第 2 行，“统一社会信用代码”列：统一社会信用代码 {make_code(1)} "
            "既不在检查对象名录库中，也不在本文件中") in err
    assert "工作表“回避”，第 3 行，“警号”列：警号 371323002 既不在执法检查人员名录库中，也不在本文件中" in err
    assert counts(db_target) == (0, 0, 0)


def test_a_file_that_is_not_a_workbook_is_named_in_the_error(tmp_path, db_target, capsys):
    fake = tmp_path / "名录.xlsx"
    fake.write_text("not a workbook")
    assert run(["--db", db_target, "import-objects", str(fake)]) == 1
    assert "名录.xlsx 不是 .xlsx 格式" in capsys.readouterr().err


def test_demo_then_stats_json_then_export_and_reimport(tmp_path, db_target, capsys):
    assert run(["--db", db_target, "demo"]) == 0
    out = capsys.readouterr().out
    assert "已载入演示数据：检查对象 3000 个" in out and f"数据库：{db_target}" in out  # the server, not a file
    for what in ("年度抽查计划 3 份", "抽取记录 1 条", "检查记录 8 条", "整改通知书 3 份（已送达 2 份，已复查 1 份）"):
        assert what in out
    assert run(["--db", db_target, "demo"]) == 1
    assert "不能再载入演示数据" in capsys.readouterr().err

    assert run(["--db", db_target, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["objects"]["total"] == 3008 and sum(stats["objects"]["by_type"].values()) == stats["objects"]["active"]
    assert set(stats["objects"]["by_risk"]) == {"低风险", "中低风险", "中风险", "高风险"}
    assert set(stats["objects"]["by_status"]) == {"在营", "停业", "注销"}
    assert 50 <= stats["inspectors"]["total"] <= 70 and stats["recusals"] == 15

    assert run(["--db", db_target, "stats"]) == 0
    assert "检查对象：共 3008 个" in capsys.readouterr().out

    objects, people = tmp_path / "o.xlsx", tmp_path / "i.xlsx"
    assert run(["--db", db_target, "export-objects", str(objects)]) == 0
    assert run(["--db", db_target, "export-inspectors", str(people)]) == 0
    capsys.readouterr()
    other = tmp_path / "other.sqlite3"
    assert run(["--db", str(other), "import-objects", str(objects)]) == 0
    assert run(["--db", str(other), "import-inspectors", str(people)]) == 0
    assert "回避关系新增 15 条" in capsys.readouterr().out
    assert counts(other) == (3008, stats["inspectors"]["total"], 15)
    # The officers the demo marks as having left are still deactivated after the round trip.
    assert run(["--db", str(other), "stats", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["inspectors"] == stats["inspectors"] and again["objects"] == stats["objects"]
    assert stats["inspectors"]["active"] < stats["inspectors"]["total"]


def test_templates_are_written(tmp_path, db_path, capsys):
    assert run(["--db", str(db_path), "template-objects", str(tmp_path / "o.xlsx")]) == 0
    assert run(["--db", str(db_path), "template-inspectors", str(tmp_path / "i.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "i.xlsx").sheetnames == ["执法检查人员", "回避", "说明"]
    assert run(["--db", str(db_path), "export-objects", str(tmp_path / "missing" / "o.xlsx")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_help_lists_the_roster_commands(capsys):
    import pytest

    with pytest.raises(SystemExit):
        run(["--help"])
    out = capsys.readouterr().out
    for command in ("import-objects", "import-inspectors", "export-objects", "export-inspectors", "demo", "stats"):
        assert command in out


def test_dry_run_prints_the_mapping_the_first_rows_and_the_counts_and_writes_nothing(tmp_path, db_target, capsys):
    # The county's sheet: 社会信用代码 for 统一社会信用代码 and a 备注 column the app does not know.
    rows = [["企业名称", "社会信用代码", "行业类别", "备注", "风险等级"]]
    rows += [[f" 沂源县旅馆{i:03d} ", make_code(i).lower(), "旅馆", "年检", "中风险"] for i in range(1, 31)]
    path = str(workbook(tmp_path / "沂源名录.xlsx", {"名录": rows}))

    assert run(["--db", db_target, "import-objects", "--dry-run", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  A 列“企业名称” → 单位名称" in out
    assert "  B 列“社会信用代码” → 统一社会信用代码" in out
    assert "未导入的列：D 列“备注”" in out
    assert "前 20 行（导入后的样子；共 30 行）：" in out
    table = out.index("行\t导入后\t单位名称\t统一社会信用代码\t对象类型\t风险等级")
    assert out[table + 1] == f"2\t新增\t沂源县旅馆001\t{make_code(1)}\t旅馆\t中风险"
    assert out[table + 20].startswith("21\t新增\t沂源县旅馆020")
    assert "导入后将：新增 30 条，更新 0 条（按统一社会信用代码），无变化 0 条；问题 0 处。" in out
    assert out[-1].startswith("试运行（--dry-run）：未写入任何数据。")
    assert counts(db_target) == (0, 0, 0)

    # Imported for real, the same file then shows as unchanged.
    assert run(["--db", db_target, "import-objects", path]) == 0
    assert counts(db_target) == (30, 0, 0)
    capsys.readouterr()
    assert run(["--db", db_target, "import-objects", "--dry-run", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("行\t导入后\t单位名称\t统一社会信用代码\t对象类型\t风险等级") + 1].startswith("2\t无变化\t")
    assert "导入后将：新增 0 条，更新 0 条（按统一社会信用代码），无变化 30 条；问题 0 处。" in out


def test_dry_run_of_a_bad_inspector_file_prints_the_preview_and_the_problems_and_exits_1(tmp_path, db_target, capsys):
    path = str(workbook(tmp_path / "i.xlsx", {"人员": [["序号", "姓名", "工号", "所在单位"],
                                                       [1, "王强", "371323001", "治安大队"],
                                                       [2, "李明", "371323001", "治安大队"]]}))
    assert run(["--db", db_target, "import-inspectors", "--dry-run", path]) == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert "  C 列“工号” → 警号" in out and "未导入的列：A 列“序号”" in out
    assert "3\t有问题\t李明\t371323001\t治安大队" in out
    assert "第 3 行，“工号”列：警号 371323001 在文件中重复：第 2 行和第 3 行" in captured.err
    assert not any(line.startswith("试运行") for line in out)
    assert counts(db_target) == (0, 0, 0)


# ---------------------------------------------------------------- the workbook read while the program loads

def test_an_import_from_the_command_line_parses_its_workbook_once_started_before_the_database_opens(
        tmp_path, db_target, capsys, monkeypatch):
    """A clerk's import-objects: the file is read on a thread as the command starts (ui/cli/early.py) and the
    import takes those rows — calamine opens the workbook once, and the objects land in the database."""
    import python_calamine

    from ui.cli import early

    path = str(workbook(tmp_path / "o.xlsx", {"检查对象": [
        HEADER, ["沂源县鑫源宾馆", make_code(1), "旅馆", "城关派出所", "低风险"]]}))
    assert early.workbook_argument(["--db", "x.db", "import-objects", "--dry-run", path], "import-objects") == path
    opened = []
    real = python_calamine.CalamineWorkbook.from_path
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path",
                        lambda p, *a, **k: opened.append(p) or real(p, *a, **k))
    assert run(["--db", db_target, "import-objects", path]) == 0
    assert "新增 1 条" in capsys.readouterr().out
    assert len(opened) == 1
    assert counts(db_target) == (1, 0, 0)


def test_a_workbook_changed_after_the_early_read_began_is_read_as_it_is_now(tmp_path):
    """The clerk saves the sheet again between starting the read and the import: the rows come from the
    file as saved last, never from the read of the older version."""
    import os

    from reports import xlsx_read

    path = workbook(tmp_path / "o.xlsx", {"检查对象": [HEADER, ["旧名称", make_code(1), "旅馆", "", ""]]})
    xlsx_read.start_early_read(path)
    workbook(tmp_path / "new.xlsx", {"检查对象": [HEADER, ["新名称", make_code(1), "旅馆", "", ""]]})
    os.replace(tmp_path / "new.xlsx", path)
    rows = xlsx_read.read_sheets(path, raw=True)["检查对象"]
    assert rows[1][0] == "新名称"
    assert not xlsx_read._EARLY_READS


def test_a_mistyped_option_ends_the_command_and_forgets_its_early_read(tmp_path, capsys):
    import pytest

    from reports import xlsx_read

    path = str(workbook(tmp_path / "o.xlsx", {"检查对象": [HEADER]}))
    with pytest.raises(SystemExit) as ended:
        run(["import-objects", path, "--no-such-option"])
    assert ended.value.code == 2
    assert "--no-such-option" in capsys.readouterr().err
    assert not xlsx_read._EARLY_READS


def test_an_import_leaves_its_rows_to_the_end_of_the_process_and_the_next_command_lets_them_go(tmp_path, db_target):
    """The command line ends with os._exit: the imported rows are kept rather than freed one by one (issue 17);
    one command's at a time, so a long session of commands in one process does not pile them up."""
    from ui.cli import context

    first = str(workbook(tmp_path / "a.xlsx", {"检查对象": [HEADER, ["沂源县鑫源宾馆", make_code(1), "旅馆", "", ""]]}))
    second = str(workbook(tmp_path / "b.xlsx", {"检查对象": [HEADER, ["沂源县顺达网吧", make_code(2), "网吧", "", ""],
                                                              ["沂源县悦来客栈", make_code(3), "旅馆", "", ""]]}))
    assert run(["--db", db_target, "import-objects", first]) == 0
    assert [k.total_rows for k in context._KEPT] == [1]
    assert run(["--db", db_target, "import-objects", second]) == 0
    assert [k.total_rows for k in context._KEPT] == [2]
    assert counts(db_target) == (3, 0, 0)
