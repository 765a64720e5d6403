"""Stories about the notice, workdays, todo, void-notice and holiday commands."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models.admin import HolidayOverride
from models.inspection import RectificationNotice
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from ui.cli import run


@pytest.fixture
def world(db):
    world = drawn_world(db)
    world["inspections"] = [record(db, p.pick_id, hazards=HAZARDS) for p in world["picks"][:2]]
    return world


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_notice_for_one_object_of_a_draw(db, db_target, world, tmp_path, capsys):
    pick = world["picks"][0]
    out = tmp_path / "通知书.docx"
    code = cli(db_target, "notice", "--object", pick.credit_code, "--draw", str(world["draw_id"]), "--out", str(out),
               "--issue-date", "2024-05-07", "--deadline", "2024-06-06")
    assert code == 0
    assert "X公(治)限改字〔2024〕第001号" in capsys.readouterr().out
    text = docx_text(out)
    assert pick.object_name in text and "于2024年6月6日前整改完毕" in text and HAZARDS[0][0] in text
    # Asking again writes the same notice; no new number is used.
    again = tmp_path / "again.docx"
    assert cli(db_target, "notice", "--object", pick.credit_code, "--draw", str(world["draw_id"]),
               "--out", str(again)) == 0
    assert "第001号" in docx_text(again)
    with db.session() as s:
        assert s.query(RectificationNotice).count() == 1


def test_notice_refuses_an_unrecorded_object_in_chinese(db, db_target, world, tmp_path, capsys):
    pick = world["picks"][2]
    code = cli(db_target, "notice", "--object", pick.credit_code, "--draw", str(world["draw_id"]),
               "--out", str(tmp_path / "x.docx"))
    assert code == 1 and "尚未录入检查结果" in capsys.readouterr().err


def test_all_pending_then_void_and_todo(db, db_target, world, tmp_path, capsys):
    assert cli(db_target, "notice", "--all-pending", "--out-dir", str(tmp_path / "out"),
               "--issue-date", "2024-05-07") == 0
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2
    capsys.readouterr()
    assert cli(db_target, "todo", "--date", "2024-05-13", "--json") == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["kind"] for e in entries] == ["送达逾期", "送达逾期"] and all(e["overdue"] for e in entries)
    assert cli(db_target, "void-notice", "--number", "X公(治)限改字〔2024〕第002号", "--reason", "打印错误") == 0
    with db.session() as s:
        n = s.query(RectificationNotice).filter_by(seq=2).one()
        assert n.voided and n.void_reason == "打印错误"
    capsys.readouterr()
    assert cli(db_target, "todo", "--date", "2024-05-08") == 0
    out = capsys.readouterr().out
    assert "待制作通知书" in out and "第001号" in out


def test_workdays_across_national_day_without_a_database(tmp_path, capsys):
    missing = tmp_path / "none.sqlite3"
    assert cli(missing, "workdays", "--from", "2024-09-27", "--add", "3") == 0
    assert capsys.readouterr().out.strip() == "2024-10-08"
    assert not missing.exists()
    assert cli(missing, "workdays", "--from", "2024-09-28", "--add", "1") == 0  # Sunday 09-29 is 调休
    assert capsys.readouterr().out.strip() == "2024-09-29"
    assert cli(missing, "workdays", "--from", "2099-01-01", "--add", "1") == 0
    assert "2099年节假日数据尚未录入" in capsys.readouterr().err
    assert cli(missing, "workdays", "--from", "2024-13-01", "--add", "1") == 1
    assert "格式不正确" in capsys.readouterr().err


def test_holiday_entry(db, db_target, capsys):
    assert cli(db_target, "holiday", "--add", "2099-01-01", "--holiday", "--name", "元旦") == 0
    assert cli(db_target, "holiday", "--add", "2099-01-03", "--workday") == 0
    with db.session() as s:
        assert {(o.day, o.is_workday) for o in s.query(HolidayOverride)} == {
            (date(2099, 1, 1), False), (date(2099, 1, 3), True)}
    assert "调休上班" in capsys.readouterr().out
    # workdays shows the calendar the deadlines use, entered days included: from Wed 2098-12-31, two
    # working days skip the holiday on Thu 01-01 and count Fri 01-02 and the make-up Saturday 01-03.
    assert cli(db_target, "workdays", "--from", "2098-12-31", "--add", "2") == 0
    out = capsys.readouterr()
    assert out.out.strip() == "2099-01-03" and "2099年节假日数据尚未录入" not in out.err
