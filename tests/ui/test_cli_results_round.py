"""Command-line story: 城关派出所 exports its May hotel round (`results-sheet --duty`), the team fills it, and
`import-results` records it whole — or, with one row missing its officers, nothing, naming the row and column."""
from __future__ import annotations

import json
from datetime import date

import openpyxl

from models.duties import DutyData, add_duty
from models.inspection import Inspection
from reports.results_sheet import COL_FROM, COL_OFFICERS, COL_RESULT, HEADER_ROW, SHEET
from tests.models.duty_fixtures import duty_world
from ui.cli import run


def cli(target, *args):
    return run(["--db", str(target), *args])


def fill(path, rows: dict[int, dict]) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    col = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    for seq, cells in rows.items():
        for title, value in cells.items():
            ws.cell(HEADER_ROW + seq, col[title]).value = value
    book.save(path)


def test_a_round_sheet_from_the_command_line_imports_whole_or_not_at_all(db, db_target, tmp_path, capsys):
    duty_world(db)
    with db.session() as s:
        duty = add_duty(s, DutyData("旅馆", "每月"), "治安大队")
    path = tmp_path / "城关5月巡查.xlsx"
    assert cli(db_target, "results-sheet", "--duty", str(duty), "--jurisdiction", "城关派出所", "--year", "2024",
               "--month", "5", str(path)) == 0
    out = capsys.readouterr().out
    assert "城关派出所 2024年5月 日常巡查" in out and "3 个检查对象" in out
    filled = {n: {COL_FROM: date(2024, 5, 6), COL_OFFICERS: "100001、100002", COL_RESULT: "未发现问题"}
              for n in (1, 2, 3)}
    fill(path, {**filled, 2: {**filled[2], COL_OFFICERS: None}})
    assert cli(db_target, "import-results", str(path)) == 1
    err = capsys.readouterr().err
    assert f"第 {HEADER_ROW + 2} 行，“{COL_OFFICERS}”列：检查人员未填" in err and "未导入任何数据" in err
    with db.session() as s:
        assert s.query(Inspection).count() == 0

    fill(path, filled)
    assert cli(db_target, "import-results", str(path)) == 0
    assert "新增检查记录 3 条" in capsys.readouterr().out
    assert cli(db_target, "duties", "--year", "2024", "--month", "5", "--duty", str(duty), "--jurisdiction",
               "城关派出所", "--date", "2024-05-20", "--json") == 0
    (cov,) = json.loads(capsys.readouterr().out)
    assert (cov["done"], cov["due"]) == (3, 0)

    # Everything done: nothing left to export. --month belongs to a round only.
    assert cli(db_target, "results-sheet", "--duty", str(duty), "--jurisdiction", "城关派出所", "--date",
               "2024-05-21", str(tmp_path / "again.xlsx")) == 1
    assert "没有待查的对象" in capsys.readouterr().err
    assert cli(db_target, "results-sheet", "--draw", "1", "--month", "5", str(tmp_path / "x.xlsx")) == 1
    assert "--month 只能与 --duty 同用" in capsys.readouterr().err
