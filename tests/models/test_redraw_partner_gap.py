"""A 2024 hotel round of the 部门联合 item was drawn police-only before a 部门联合 draw needed a reason (here: the
item was still 公安内部 when drawn; the plan has since been corrected). The picks prove wrong and the clerk re-draws
— the replacement keeps the record's setup, so it is short of the 市场监督管理局 officers: refused with what to do,
and accepted once the clerk gives a 缺员原因, which is sealed with the new announcement and verifies."""
from __future__ import annotations

import json

import pytest

from models.draw_engine import DrawError
from models.draw_service import prepare_draw, replacement_partner_gaps
from models.plan import PlanItem
from models.seal_service import seal_redraw, seal_substitute
from tests.models.draw_fixtures import SOURCE, build_world, sealed_draw
from ui.cli import run

GAP = "原记录抽取时未派市场监管人员，本次重抽沿用原检查组设置"
DRAW = ["--witness", "王监督", "--witness", "李见证", "--entropy", "12 34 56", "--entropy", "骰子 3 5 6"]


@pytest.fixture
def old_record(db) -> int:
    """Record 1: item 1 drawn police-only while it was 公安内部; then the plan says 部门联合 again."""
    build_world(db)
    with db.session() as s:
        s.query(PlanItem).filter_by(number="1").one().mode = "公安内部"
    with db.session() as s:
        prep = prepare_draw(s, 2024, "1")
    assert not prep.problems and prep.partner_units == []
    saved = sealed_draw(db, prep)
    with db.session() as s:
        s.query(PlanItem).filter_by(number="1").one().mode = "部门联合"
    return saved.id


def test_a_redraw_of_an_old_police_only_record_needs_and_seals_a_reason(db, old_record):
    with db.read_session() as s:
        assert replacement_partner_gaps(s, old_record) == ["未选择配合部门"]
    with pytest.raises(DrawError, match="--partner-gap-reason"):
        seal_redraw(db, old_record, reason="见证人未到场", entropy_source=SOURCE, operator="张文书")
    ann = seal_redraw(db, old_record, reason="见证人未到场", entropy_source=SOURCE, operator="张文书",
                      partner_gap_reason=f"  {GAP} ")
    assert ann.announcement["partner_gap_reason"] == GAP
    assert ann.announcement["inspection"]["partner_units"] == []        # the record's setup, as drawn


def test_a_substitute_in_the_old_record_takes_the_reason_too(db, old_record):
    from models.draw_service import load_record
    with db.read_session() as s:
        gone = load_record(s, old_record)["picks"][0]["id"]
    with pytest.raises(DrawError, match="缺员原因"):
        seal_substitute(db, old_record, gone, reason="已停业", entropy_source=SOURCE, operator="张文书")
    ann = seal_substitute(db, old_record, gone, reason="已停业", entropy_source=SOURCE, operator="张文书",
                          partner_gap_reason=GAP)
    assert ann.announcement["partner_gap_reason"] == GAP


def test_a_record_that_sealed_its_reason_needs_none_again(db):
    build_world(db, partners=0)
    with db.session() as s:
        prep = prepare_draw(s, 2024, "1", partner_gap_reason="市场监管局本月无人可派")
    saved = sealed_draw(db, prep)
    with db.read_session() as s:
        assert replacement_partner_gaps(s, saved.id) == []
    ann = seal_redraw(db, saved.id, reason="见证人未到场", entropy_source=SOURCE, operator="张文书")
    assert ann.announcement["partner_gap_reason"] == "市场监管局本月无人可派"   # carried over as sealed


def test_the_command_line_redraw_takes_the_reason_and_the_redraw_verifies(db, db_target, old_record, tmp_path,
                                                                           capsys):
    old, new, tasks = tmp_path / "原记录.json", tmp_path / "重抽.json", tmp_path / "任务公示.xlsx"
    assert run(["--db", db_target, "export-draw", "--record-id", str(old_record), str(old)]) == 0
    args = ["--db", db_target, "redraw", "--record-id", str(old_record), "--reason", "见证人未到场",
            "--entropy-source", SOURCE]
    assert run(args) == 1
    err = capsys.readouterr().err
    assert "未选择配合部门" in err and "--partner-gap-reason" in err and "Traceback" not in err
    assert run([*args, "--partner-gap-reason", GAP]) == 0, capsys.readouterr().err
    assert f"配合部门缺员原因（随公告封存并公示）：{GAP}" in capsys.readouterr().out
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "2", *DRAW, "--record", str(new)]) == 0
    record = json.loads(new.read_text(encoding="utf-8"))
    assert record["announcement"]["partner_gap_reason"] == GAP
    assert run(["--db", db_target, "verify-draw", str(new), "--replaces", str(old)]) == 0
    assert "一致" in capsys.readouterr().out
    assert run(["--db", db_target, "export-tasks", "--year", "2024", str(tasks)]) == 0
    import openpyxl
    text = "\n".join(str(v) for row in openpyxl.load_workbook(tasks).active.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert GAP in text
