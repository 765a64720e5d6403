"""Command-line stories of the routine duties: import-duties (whole or nothing), add-duty, and duties --json."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models.duties import list_duties
from tests.helpers import workbook
from tests.models.duty_fixtures import duty_world, round_check
from ui.cli import run


@pytest.fixture
def world(db):
    return duty_world(db)


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_a_table_of_duties_imports_whole(db, db_target, world, tmp_path, capsys):
    path = workbook(tmp_path / "巡查任务.xlsx", {"任务": [
        ["对象类型", "责任单位", "频次", "次数", "比例", "依据"],
        ["旅馆", "", "每月", 1, "", "旅馆业要求每月对辖区所有旅馆进行1次监督检查"],
        ["典当行", "", "每季度", "", "", "印章、典当业每季度不少于1次"],
        ["废旧金属收购", "", "每季不少于1次全面检查", "", "", ""],
        ["旅馆", "治安大队", "每季度", "", "30%", "专项督察：抽查面每次不少于30%"],
    ]})
    assert cli(db_target, "import-duties", str(path)) == 0
    assert "已导入 4 项日常巡查任务" in capsys.readouterr().out
    with db.session() as s:
        assert [(d.type_name, d.unit, d.period, d.times, d.share_percent) for d in list_duties(s)] == [
            ("旅馆", "", "每月", 1, 100), ("典当行", "", "每季度", 1, 100), ("废旧金属收购", "", "每季度", 1, 100),
            ("旅馆", "治安大队", "每季度", 1, 30)]


def test_a_column_of_the_seed_sentences_imports_too(db, db_target, world, tmp_path, capsys):
    path = tmp_path / "巡查要求.txt"
    path.write_text("巡查要求\n其中旅馆业要求每月对辖区所有旅馆进行1次监督检查，印章、典当业每季度不少于1次；\n"
                    "\n公安机关对辖区内银行业金融机构的巡查频次每年不少于1次。\n", encoding="utf-8")
    assert cli(db_target, "import-duties", str(path)) == 0
    with db.session() as s:
        assert [(d.type_name, d.period) for d in list_duties(s)] == [
            ("旅馆", "每月"), ("公章刻制", "每季度"), ("典当行", "每季度"), ("金融机构营业场所", "每年")]


def test_one_bad_row_imports_nothing_and_names_the_row(db, db_target, world, tmp_path, capsys):
    path = tmp_path / "巡查任务.tsv"
    path.write_text("对象类型\t频次\t比例\t依据\n"
                    "旅馆\t每月\t\t\n"
                    "典当行\t每周\t\t\n"
                    "\t\t\t对举报投诉的随报随查\n"
                    "网吧\t每季度\t120%\t\n"
                    "旅馆\t每月\t\t\n", encoding="utf-8")
    assert cli(db_target, "import-duties", str(path)) == 1
    err = capsys.readouterr().err
    assert "第 3 行，“频次”列：频次“每周”无法识别" in err
    assert "第 4 行，“依据”列：“对举报投诉的随报随查”中没有可识别的检查频次" in err
    assert "第 5 行，“比例”列：比例“120%”应为 1%～100% 之间的整数百分比" in err
    assert "第 6 行：与第 2 行的任务（旅馆，辖区派出所，每月）重复" in err
    assert "导入未进行，数据库未作任何修改" in err
    with db.session() as s:
        assert list_duties(s, include_inactive=True) == []


def test_add_duty_then_duties_json_gives_the_coverage_per_jurisdiction(db, db_target, world, capsys):
    assert cli(db_target, "add-duty", "--text", "旅馆业要求每月对辖区所有旅馆进行1次监督检查") == 0
    assert "已新增日常巡查任务 #1：旅馆 每月1次，责任单位：辖区派出所" in capsys.readouterr().out
    ids = world["objects"]
    round_check(db, ids["平安宾馆"], date(2024, 5, 6), duty_id=1)
    round_check(db, ids["南麻客栈"], date(2024, 5, 7))
    assert cli(db_target, "duties", "--year", "2024", "--month", "5", "--date", "2024-06-02", "--json") == 0
    (duty,) = json.loads(capsys.readouterr().out)
    assert (duty["object_type"], duty["unit"], duty["period_name"], duty["start"], duty["end"]) == (
        "旅馆", "辖区派出所", "2024年5月", "2024-05-01", "2024-05-31")
    assert (duty["objects"], duty["required"], duty["done"], duty["due"], duty["overdue"]) == (5, 5, 2, 0, 3)
    groups = {g["group"]: g for g in duty["groups"]}
    assert [o["name"] for o in groups["城关派出所"]["done_objects"]] == ["平安宾馆"]
    assert [o["name"] for o in groups["城关派出所"]["overdue_objects"]] == ["如家酒店城关店", "迎宾旅社"]
    assert [o["name"] for o in groups["南麻派出所"]["overdue_objects"]] == ["南麻大酒店"]

    assert cli(db_target, "duties", "--year", "2024", "--period", "5", "--date", "2024-05-20",
               "--jurisdiction", "城关派出所", "--objects") == 0
    out = capsys.readouterr().out
    assert "#1 旅馆 每月1次　责任单位：辖区派出所　2024年5月（2024-05-01—2024-05-31）" in out
    assert "城关派出所\t对象 3\t应查 3\t已查 1\t待查 2\t逾期 0" in out and "待查：如家酒店城关店、迎宾旅社" in out
    assert "南麻派出所" not in out


def test_duties_refusals_in_chinese(db, db_target, world, capsys):
    assert cli(db_target, "add-duty", "--type", "旅馆", "--period", "每周") == 1
    assert "频次：“每周”无效" in capsys.readouterr().err
    assert cli(db_target, "add-duty", "--text", "印章、典当业每季度不少于1次") == 0
    capsys.readouterr()
    assert cli(db_target, "duties", "--period", "5") == 1
    assert "期次 5 无效：任务“公章刻制 每季度1次”一年共 4 期" in capsys.readouterr().err
    assert cli(db_target, "duties", "--duty", "9") == 1
    assert "没有编号为 9 的日常巡查任务" in capsys.readouterr().err


def test_todo_names_the_round_falling_due_this_week(db, db_target, world, capsys):
    assert cli(db_target, "add-duty", "--type", "典当行", "--period", "每季度") == 0
    round_check(db, world["objects"]["城关典当行"], date(2024, 6, 3))
    capsys.readouterr()
    assert cli(db_target, "todo", "--date", "2024-06-26") == 0
    out = capsys.readouterr().out
    assert ("南麻派出所\t-\t日常巡查 典当行 每季度1次：南麻派出所2024年第2季度还有1个对象未查，"
            "2024年6月30日本期结束") in out
    assert "城关派出所\t-\t日常巡查" not in out
