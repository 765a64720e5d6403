"""Command-line story: 城关派出所 records its May hotel round with `check --duty`; `duties` counts it for that duty
only and the internal ledger (export-checks) names the duty."""
from __future__ import annotations

import json

from openpyxl import load_workbook

from models.duties import DutyData, add_duty
from models.inspection import Inspection
from tests.models.draw_fixtures import code
from tests.models.duty_fixtures import duty_world
from ui.cli import run


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_a_round_recorded_for_a_duty_counts_for_it_and_shows_in_the_ledger(db, db_target, tmp_path, capsys):
    duty_world(db)
    with db.session() as s:
        monthly = add_duty(s, DutyData("旅馆", "每月"), "治安大队")
        yearly = add_duty(s, DutyData("旅馆", "每年", unit="治安大队"), "治安大队")
    base = ["check", "--object", code(1), "--date", "2024-05-06", "--inspector", "100001", "100002",
            "--result", "未发现问题"]
    assert cli(db_target, *base, "--source", "日常巡查", "--duty", str(monthly)) == 0
    assert f"计入日常巡查任务 #{monthly}（旅馆 每月1次）" in capsys.readouterr().out

    assert cli(db_target, "duties", "--year", "2024", "--month", "5", "--date", "2024-05-20", "--json") == 0
    found = {d["duty_id"]: d for d in json.loads(capsys.readouterr().out)}
    assert found[monthly]["done"] == 1 and found[yearly]["done"] == 0
    city = next(g for g in found[monthly]["groups"] if g["group"] == "城关派出所")
    assert [o["name"] for o in city["done_objects"]] == ["平安宾馆"]

    # A complaint check cannot stand for the round; a pawnshop's duty is not a hotel's.
    assert cli(db_target, *base, "--source", "举报投诉", "--ref", "城关举〔2024〕3号", "--source-date", "2024-05-06",
               "--duty", str(monthly)) == 1
    assert "巡查任务：检查来源为“举报投诉”的检查不能计入日常巡查任务" in capsys.readouterr().err
    assert cli(db_target, *base, "--source", "日常巡查", "--duty", "99") == 1
    assert "巡查任务：没有编号为 99 的日常巡查任务" in capsys.readouterr().err
    with db.session() as s:
        assert [(i.source, i.duty_id) for i in s.query(Inspection)] == [("日常巡查", monthly)]

    ledger = tmp_path / "台账.xlsx"
    assert cli(db_target, "export-checks", "--year", "2024", "--as-of", "2024-05-31", str(ledger)) == 0
    book = load_workbook(ledger, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    body = [dict(zip(rows[2], r)) for r in rows[3:] if r[0] and str(r[0]).isdigit()]
    assert [(b["检查对象名称"], b["巡查任务"]) for b in body] == [("平安宾馆", f"#{monthly} 旅馆 每月1次")]
