"""Stories about `record-sheet`: the 现场检查记录 printed for a whole draw, or for one object, from the command line."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models.draw import DrawPick
from models.roster import InspectedObject, Inspector
from tests.helpers import docx_text
from tests.models.inspection_fixtures import CHECKLIST, drawn_world
from ui.cli import run


@pytest.fixture
def world(db):
    world = drawn_world(db)
    with db.session() as s:
        for inspector in s.scalars(select(Inspector)):
            inspector.cert_no = f"鲁公执字{inspector.badge_no}"
    return world


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_a_whole_draw_is_printed_into_a_folder_one_file_per_object(db, db_target, world, tmp_path, capsys):
    out = tmp_path / "外出检查"
    assert cli(db_target, "record-sheet", "--draw", str(world["draw_id"]), "--out-dir", str(out), "--combined") == 0
    captured = capsys.readouterr()
    names = sorted(p.name for p in out.glob("*.docx"))
    picks = world["picks"]
    assert names == sorted([f"{n:02d}-{p.object_name}-现场检查记录.docx" for n, p in enumerate(picks, 1)]
                           + [f"抽取记录{world['draw_id']}-现场检查记录-合订本.docx"])
    assert "3 个检查对象各打印一份现场检查记录，另有合订本一份" in captured.err
    first = docx_text(out / f"01-{picks[0].object_name}-现场检查记录.docx")
    assert picks[0].credit_code in first and all(point in first for point in CHECKLIST)
    assert "鲁公执字" in first and "双随机抽查" in first


def test_a_complaint_check_on_one_object_writes_its_source_and_officers(db, db_target, world, tmp_path, capsys):
    with db.session() as s:
        hotel = s.scalars(select(InspectedObject).where(
            InspectedObject.id.not_in(select(DrawPick.object_id)))).first()
        badges = list(s.scalars(select(Inspector.badge_no).where(Inspector.active.is_(True)).limit(2)))
        code, name = hotel.credit_code, hotel.name
    out = tmp_path / "投诉检查.docx"
    assert cli(db_target, "record-sheet", "--object", code, "--out", str(out), "--source", "日常巡查",
               "--ref", "五月旅馆巡查", "--inspector", *badges, "--item", "2024:1", "--date", "2024-05-20") == 0
    assert "已打印现场检查记录" in capsys.readouterr().out
    text = docx_text(out)
    assert name in text and "日常巡查（五月旅馆巡查）" in text and "2024年5月20日" in text
    assert all(f"鲁公执字{b}" in text for b in badges) and all(p in text for p in CHECKLIST)


@pytest.mark.parametrize("args, message", [
    (["--draw", "999", "--out-dir", "{tmp}/x"], "没有编号为 999 的抽取记录"),
    (["--object", "91000000XXXXXXXXX0", "--out", "{tmp}/x.docx", "--source", "日常巡查"],
     "名录库中没有统一社会信用代码（或名称）为“91000000XXXXXXXXX0”的检查对象"),
    (["--draw", "{draw}", "--out-dir", "{tmp}/a-file.txt"], "是一个文件，不是文件夹"),
    (["--draw", "{draw}"], "请用 --out-dir 指定"),
    (["--object", "{code}", "--out", "{tmp}/x.docx"], "请用 --source 写明检查来源"),
    (["--object", "{code}", "--out", "{tmp}/x.docx", "--source", "日常巡查", "--date", "5月20日"],
     "日期“5月20日”格式不正确"),
    (["--draw", "{draw}", "--out-dir", "{tmp}/y", "--source", "日常巡查"], "--source 只能与 --object 一起使用"),
])
def test_refusals_are_in_chinese_and_write_nothing(db, db_target, world, tmp_path, capsys, args, message):
    (tmp_path / "a-file.txt").write_text("这是一个文件")
    values = {"tmp": str(tmp_path), "draw": str(world["draw_id"]), "code": world["picks"][0].credit_code}
    assert cli(db_target, "record-sheet", *[a.format(**values) for a in args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.rglob("*.docx"))
