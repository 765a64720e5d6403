"""昆明's clerk describes the hierarchy from the command line, then seals a 县抽县查 draw for one district with
--county and a 市抽县查 draw, and verify-draw agrees with what was drawn."""
from __future__ import annotations

import json

from openpyxl import Workbook

from models.organisation import Jurisdiction
from tests.helpers import docx_text
from tests.usecases.test_draw_levels import HIERARCHY, kunming  # noqa: F401 - the fixture
from ui.cli import run

SOURCE = "见证人王监督、李见证在市局三楼会议室现场报数"


def cli(target, *args):
    return run(["--db", str(target), *args])


def _xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_list_resolve_and_export_the_hierarchy(db, db_target, kunming, tmp_path, capsys):  # noqa: F811
    assert cli(db_target, "import-hierarchy", str(_xlsx(tmp_path / "层级.xlsx", HIERARCHY))) == 0
    out = capsys.readouterr().out
    assert "已导入实施层级 7 级" in out and "　　华山派出所（派出所）：华山街道" in out
    assert cli(db_target, "hierarchy", "--resolve", "华山街道", "--resolve", "治安管理支队",
               "--resolve", "滇池度假区派出所") == 0
    out = capsys.readouterr().out
    assert "华山街道：五华分局，昆明市公安局" in out and "治安管理支队：市局本级，昆明市公安局" in out
    assert "滇池度假区派出所：未列入实施层级" in out
    assert cli(db_target, "set-jurisdiction", "滇池度假区派出所", "--level", "派出所", "--parent", "五华分局") == 0
    assert cli(db_target, "hierarchy", "--json") == 0
    rows = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert {"name": "滇池度假区派出所", "level": "所", "parent": "五华分局", "units": []} in rows
    exported = tmp_path / "导出.xlsx"
    assert cli(db_target, "hierarchy", "--export", str(exported)) == 0
    assert cli(db_target, "remove-jurisdiction", "五华分局") == 1
    assert "下还有 3 个下级" in capsys.readouterr().err
    assert cli(db_target, "remove-jurisdiction", "滇池度假区派出所") == 0
    # The exported table imports again unchanged.
    assert cli(db_target, "import-hierarchy", str(exported)) == 0
    with db.session() as s:
        assert s.query(Jurisdiction).count() == 8


def test_a_bad_table_is_refused_row_by_row_and_nothing_is_saved(db, db_target, kunming, tmp_path, capsys):  # noqa: F811
    bad = HIERARCHY + [["官渡分局", "县", "五华分局", ""]]
    assert cli(db_target, "import-hierarchy", str(_xlsx(tmp_path / "层级.xlsx", bad))) == 1
    err = capsys.readouterr().err
    assert "第 9 行，“上级”列：上级「五华分局」是县（区）局，县（区）局的上级应为市局" in err
    assert "数据库未作任何修改" in err and "Traceback" not in err
    with db.session() as s:
        assert s.query(Jurisdiction).count() == 0


def test_seal_county_draws_that_district_and_a_市抽县查_draw_verifies(db, db_target, kunming, tmp_path,  # noqa: F811
                                                                   capsys):
    assert cli(db_target, "import-hierarchy", str(_xlsx(tmp_path / "层级.xlsx", HIERARCHY))) == 0
    assert cli(db_target, "seal", "--year", "2024", "--item", "2", "--county", "西山分局",
               "--entropy-source", SOURCE) == 1
    assert "实施层级中没有名为「西山分局」的县（区）局，可选：五华分局、盘龙分局" in capsys.readouterr().err
    assert cli(db_target, "seal", "--year", "2024", "--item", "2", "--county", "五华分局",
               "--entropy-source", SOURCE) == 0
    out = capsys.readouterr().out
    assert "实施层级：市抽市查 县抽县查（本次按县抽县查（五华分局）抽取）" in out and "可抽检查对象：9 户" in out
    assert cli(db_target, "draw", "--year", "2024", "--seal", "1", "--witness", "王监督", "--entropy", "3 1 4") == 0
    capsys.readouterr()
    assert cli(db_target, "seal", "--year", "2024", "--item", "12", "--size", "4",
               "--entropy-source", SOURCE) == 0
    out = capsys.readouterr().out
    assert "本次按市抽县查抽取" in out and "各县（区）局可抽对象：五华分局 6 户；盘龙分局 4 户" in out
    assert cli(db_target, "draw", "--year", "2024", "--seal", "2", "--witness", "王监督", "--entropy", "2 7 1") == 0
    record = tmp_path / "记录.json"
    capsys.readouterr()
    assert cli(db_target, "export-draw", "--record-id", "2", str(record)) == 0
    assert cli(db_target, "verify-draw", str(record)) == 0
    assert "一致" in capsys.readouterr().out
    saved = json.loads(record.read_text(encoding="utf-8"))
    assert len(saved["inspection"]["counties"]["objects"]) == 10
    # The signed 抽取结果记录表 says the rule and each pick's district.
    sheet = tmp_path / "记录表.docx"
    assert cli(db_target, "export-draw", "--record-id", "2", str(sheet)) == 0
    text = docx_text(sheet)
    assert "市抽县查：检查人员来自检查对象所在的县（区）局" in text
    counties = dict(map(tuple, saved["inspection"]["counties"]["objects"]))
    first = saved["picks"][0]
    assert f"1. {first['name']}：{counties[first['id']]}" in text
