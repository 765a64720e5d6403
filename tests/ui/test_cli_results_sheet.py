"""Command-line stories: results-sheet for a draw, the team fills it, import-results --dry-run, then the import."""
from __future__ import annotations

from datetime import date

from models.inspection import Hazard, Inspection
from reports.results_sheet import COL_CODE, COL_FROM, COL_HAZARDS, COL_OFFICERS, COL_RESULT, HEADER_ROW
from tests.models.inspection_fixtures import drawn_world
from tests.usecases.test_results_import import Sheet, drawn_badges
from ui.cli import run


def cli(target, *args):
    return run(["--db", str(target), *args])


def fill_one_hotel(db, world, path) -> Sheet:
    sheet = Sheet(path)
    sheet.fill(1, {COL_FROM: date(2024, 5, 6), COL_OFFICERS: "、".join(drawn_badges(db, world["picks"][0])),
                   COL_RESULT: "发现问题已责令改正", "检查内容1": "不符合", "检查内容2": "符合", "检查内容3": "符合",
                   COL_HAZARDS: "未按规定登记旅客身份信息::《旅馆业治安管理办法》第六条"})
    return sheet


def test_results_sheet_dry_run_then_import(db, db_target, tmp_path, capsys):
    world = drawn_world(db)
    path = tmp_path / "结果.xlsx"
    assert cli(db_target, "results-sheet", "--draw", str(world["draw_id"]), str(path)) == 0
    assert "3 个检查对象" in capsys.readouterr().out
    fill_one_hotel(db, world, path).save()

    assert cli(db_target, "import-results", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "新增检查记录 1 条" in out and "未填写而跳过 2 行" in out and "未写入任何数据" in out
    with db.session() as s:
        assert s.query(Inspection).count() == 0           # the dry run changed nothing

    assert cli(db_target, "import-results", str(path)) == 0
    assert "新增检查记录 1 条" in capsys.readouterr().out
    with db.session() as s:
        inspection = s.query(Inspection).one()
        assert inspection.pick_id == world["picks"][0].pick_id and inspection.result_category == "发现问题已责令改正"
        assert [h.clause for h in s.query(Hazard)] == ["《旅馆业治安管理办法》第六条"]


def test_import_results_refuses_an_edited_code_naming_file_sheet_row_and_column(db, db_target, tmp_path, capsys):
    world = drawn_world(db)
    path = tmp_path / "结果.xlsx"
    assert cli(db_target, "results-sheet", "--draw", str(world["draw_id"]), str(path)) == 0
    sheet = fill_one_hotel(db, world, path)
    sheet.ws.protection.sheet = False
    sheet.fill(1, {COL_CODE: "91370000MA77777777"})
    sheet.save()
    capsys.readouterr()
    assert cli(db_target, "import-results", str(path)) == 1
    err = capsys.readouterr().err
    assert (f"文件 结果.xlsx，工作表“结果填报”，第 {HEADER_ROW + 1} 行，“统一社会信用代码”列："
            "此列是导出时填好的内容，不得修改") in err
    assert "未导入任何数据" in err and "Traceback" not in err
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_results_sheet_for_an_unknown_draw(db, db_target, tmp_path, capsys):
    drawn_world(db)
    assert cli(db_target, "results-sheet", "--draw", "99", str(tmp_path / "x.xlsx")) == 1
    assert "没有编号为 99 的抽取记录" in capsys.readouterr().err
