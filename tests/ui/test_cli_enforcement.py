"""Stories about enforce, enforce-done and enforcement: a clerk follows up a failed 复查 from the command line."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models.inspection import RectificationNotice
from models.notice_service import record_served
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from ui.cli import run
from usecases.notice_issue import issue_notice, record_reinspection

FIRST = "X公(治)限改字〔2024〕第001号"


@pytest.fixture
def world(db, tmp_path):
    """Two hotels with notices 第001/002号, served; the first re-inspected 2024-06-10 and found 未整改."""
    world = drawn_world(db)
    ids = []
    for pick in world["picks"][:2]:
        notice = issue_notice(db, record(db, pick.pick_id, hazards=HAZARDS), deadline=date(2024, 6, 6),
                              issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path / "n")
        record_served(db, notice.notice_id, date(2024, 5, 8), "内勤")
        ids.append(notice.notice_id)
    record_reinspection(db, ids[0], date(2024, 6, 10), "未整改", "", "内勤", out_dir=tmp_path / "r")
    world["notices"] = ids
    return world


def cli(target, *args):
    return run(["--db", str(target), *args])


def todo(target, capsys, day="2024-06-25"):
    capsys.readouterr()
    assert cli(target, "todo", "--date", day, "--json") == 0
    return [e for e in json.loads(capsys.readouterr().out) if e["doc_number"] == FIRST]


def test_a_case_opened_without_its_number_stays_on_the_to_do_list_until_enforce_done(db, db_target, world, capsys):
    assert [e["kind"] for e in todo(db_target, capsys)] == ["复查未整改"]
    assert cli(db_target, "enforce", "--notice", FIRST, "--kind", "立案查处", "--date", "2024-06-20") == 0
    out = capsys.readouterr().out
    assert "已登记立案查处，尚待办结" in out
    [entry] = todo(db_target, capsys)
    assert "立案查处：待补录案件编号" in entry["label"]
    assert cli(db_target, "enforcement", "--open", "--json") == 0
    [step] = json.loads(capsys.readouterr().out)
    assert step["notice"] == FIRST and step["open"]
    assert cli(db_target, "enforce-done", "--step", str(step["id"]), "--date", "2024-06-21") == 1
    assert "请填写案件编号" in capsys.readouterr().err
    assert cli(db_target, "enforce-done", "--step", str(step["id"]), "--ref", "鹿公(治)立字〔2024〕118号",
               "--date", "2024-06-21") == 0
    assert todo(db_target, capsys) == []
    assert cli(db_target, "enforcement", "--notice", FIRST) == 0
    assert "已办结：案件编号 鹿公(治)立字〔2024〕118号" in capsys.readouterr().out


def test_reorder_and_letter_write_their_documents(db, db_target, world, tmp_path, capsys):
    new = tmp_path / "再次责令.docx"
    assert cli(db_target, "enforce", "--notice", FIRST, "--kind", "再次责令限期整改", "--date", "2024-06-20",
               "--deadline", "2024-07-05", "--out", str(new)) == 0
    assert "新通知书 X公(治)限改字〔2024〕第003号" in capsys.readouterr().out
    assert "于2024年7月5日前整改完毕" in docx_text(new)
    letter = tmp_path / "抄告函.docx"
    assert cli(db_target, "enforce", "--notice", str(world["notices"][0]), "--kind", "通报抄告", "--date", "2024-06-20",
               "--department", "鹿泉区消防救援大队", "--out", str(letter)) == 0
    assert "已制作抄告函 X公(治)抄告字〔2024〕第001号" in capsys.readouterr().out
    text = docx_text(letter)
    assert "鹿泉区消防救援大队：" in text and world["picks"][0].object_name in text and FIRST in text
    with db.session() as s:
        assert s.query(RectificationNotice).filter_by(year=2024).count() == 3


def test_refusals_are_chinese_with_exit_1(db, db_target, world, capsys):
    second = "X公(治)限改字〔2024〕第002号"
    assert cli(db_target, "enforce", "--notice", second, "--kind", "立案查处") == 1
    assert "尚未复查" in capsys.readouterr().err
    assert cli(db_target, "enforce", "--notice", "不存在的文号", "--kind", "立案查处") == 1
    assert "没有文号（或编号）为“不存在的文号”的整改通知书" in capsys.readouterr().err
    assert cli(db_target, "enforce", "--notice", FIRST, "--kind", "再次责令限期整改", "--deadline", "2024-13-01") == 1
    assert "格式不正确" in capsys.readouterr().err
    assert cli(db_target, "enforce-done", "--step", "99") == 1
    assert "没有编号为 99 的后续处理" in capsys.readouterr().err
