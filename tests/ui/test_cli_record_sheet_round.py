"""Command-line story: the 城关 派出所 clerk prints the records of this month's hotel round (`record-sheet --duty`)
for the hotels still due, with the two officers going — and is told in Chinese what cannot be printed."""
from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import docx_text
from tests.models.duty_fixtures import round_check
from tests.models.round_sheet_fixtures import CHECKLIST, CITY, round_world
from ui.cli import run


@pytest.fixture
def world(db):
    return round_world(db)


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_the_hotels_still_due_in_城关_are_printed_one_file_each(db, db_target, world, tmp_path, capsys):
    round_check(db, world["objects"]["迎宾旅社"], date(2024, 5, 2), duty_id=world["monthly"])
    out = tmp_path / "城关五月巡查"
    assert cli(db_target, "record-sheet", "--duty", str(world["monthly"]), "--jurisdiction", CITY,
               "--date", "2024-05-20", "--inspector", "100001", "100002", "--out-dir", str(out), "--combined") == 0
    captured = capsys.readouterr()
    due = sorted(["平安宾馆", "如家酒店城关店"])
    names = [f"{n:02d}-{name}-现场检查记录.docx" for n, name in enumerate(due, start=1)]
    bound = f"巡查任务{world['monthly']}-{CITY}-2024年5月-现场检查记录-合订本.docx"
    assert sorted(p.name for p in out.glob("*.docx")) == sorted([*names, bound])
    assert str(out / names[0]) in captured.out
    assert "城关派出所2024年5月日常巡查（旅馆 每月1次）待查的 2 个检查对象各打印一份现场检查记录" in captured.err
    for name, file in zip(due, names):
        text = docx_text(out / file)
        assert name in text and "日常巡查（旅馆 每月1次）" in text and "2024年5月20日" in text
        assert all(point in text for point in CHECKLIST)
        assert "鲁公执字100001" in text and "鲁公执字100002" in text


@pytest.mark.parametrize("args, message", [
    (["--duty", "999", "--out-dir", "{tmp}/x"], "巡查任务：没有编号为 999 的日常巡查任务"),
    (["--duty", "{duty}", "--jurisdiction", "东关派出所", "--out-dir", "{tmp}/x"],
     "辖区：名录库中没有辖区为“东关派出所”的检查对象"),
    (["--duty", "{duty}", "--month", "13", "--out-dir", "{tmp}/x"], "月份 13 无效，应为 1～12"),
    (["--duty", "{duty}", "--jurisdiction", CITY, "--year", "2024", "--month", "5", "--date", "2024-06-03",
      "--out-dir", "{tmp}/x"], "检查日期：2024年6月3日不在所选的一期"),
    (["--duty", "{duty}", "--inspector", "999999", "--out-dir", "{tmp}/x"], "名录库中没有警号为“999999”的执法检查人员"),
    (["--duty", "{duty}"], "使用 --duty 时请用 --out-dir 指定"),
    (["--duty", "{duty}", "--source", "举报投诉", "--out-dir", "{tmp}/x"], "--source 不能与 --duty 一起使用"),
    (["--object", "91000000XXXXXXXXX0", "--out", "{tmp}/x.docx", "--source", "日常巡查", "--month", "5"],
     "--month 只能与 --duty 一起使用"),
])
def test_refusals_are_in_chinese_and_write_nothing(db, db_target, world, tmp_path, capsys, args, message):
    values = {"tmp": str(tmp_path), "duty": str(world["monthly"])}
    assert cli(db_target, "record-sheet", *[a.format(**values) for a in args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.rglob("*.docx"))


def test_a_round_already_done_has_nothing_to_print(db, db_target, world, tmp_path, capsys):
    for name in ("平安宾馆", "如家酒店城关店", "迎宾旅社"):
        round_check(db, world["objects"][name], date(2024, 5, 6), duty_id=world["monthly"])
    assert cli(db_target, "record-sheet", "--duty", str(world["monthly"]), "--jurisdiction", CITY,
               "--date", "2024-05-20", "--out-dir", str(tmp_path / "x")) == 1
    assert "没有待查的对象（共 3 个对象，已查 3 个），不需要打印现场检查记录" in capsys.readouterr().err
