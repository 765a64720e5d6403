"""Command-line stories of the event register and a per-event item's draw over it."""
from __future__ import annotations

import json

from openpyxl import load_workbook

from models.draw_verify import verify_record
from tests.models.event_fixtures import event_world
from ui.cli import run

DRAW = ["--witness", "王监督", "--witness", "李见证", "--entropy", "12 34 56", "--entropy", "骰子 3 5 6"]
SOURCE = ["--entropy-source", "见证人王监督、李见证在会议室现场报数和掷骰子"]


def _run(target, *args) -> int:
    return run(["--db", str(target), *args])


def test_a_clerk_registers_events_on_the_command_line_and_draws_the_fireworks_item_over_them(
        db, db_target, data_dir, tmp_path, capsys):
    event_world(db, data_dir, events=False)
    assert _run(db_target, "add-event", "--name", "2022年国庆焰火晚会", "--organiser", "沂源县文化旅游发展有限公司",
                "--date", "2022-10-01", "--place", "沂河公园广场", "--scale", "8000",
                "--approval", "沂公安许〔2022〕12号") == 0
    assert "已登记：#1\t2022-10-01\t2022年国庆焰火晚会" in capsys.readouterr().out
    # a bad organiser is refused in Chinese, exit 1, nothing saved
    assert _run(db_target, "add-event", "--name", "演唱会", "--organiser", "无此公司", "--date", "2022-07-16") == 1
    assert "不在检查对象名录中" in capsys.readouterr().err
    template = tmp_path / "模板.xlsx"
    assert _run(db_target, "template-events", str(template)) == 0
    wb = load_workbook(template)
    ws = wb["活动登记"]
    assert [c.value for c in ws[1]][:4] == ["活动名称", "举办单位（名称或统一社会信用代码）", "地点", "开始日期"]
    ws.append(["鲁中之夏演唱会", "91370303MA3D000033", "沂源县体育场", "2022-07-16", "", "12000",
               "沂公安许〔2022〕9号"])
    ws.append(["沂源半程马拉松", "沂源县体育中心", "县城环线", "2022-13-08", "", "", ""])
    wb.save(template)
    capsys.readouterr()
    assert _run(db_target, "import-events", str(template)) == 1
    err = capsys.readouterr().err
    assert "第 3 行，“开始日期”列" in err and "没有登记任何活动" in err
    ws.cell(row=3, column=4, value="2022-05-08")
    wb.save(template)
    assert _run(db_target, "import-events", str(template)) == 0
    assert "已登记 2 场活动" in capsys.readouterr().out
    assert _run(db_target, "events", "--year", "2022", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["name"] for e in listed] == ["沂源半程马拉松", "鲁中之夏演唱会", "2022年国庆焰火晚会"]

    # 对焰火晚会… (seed 002 item 6) covers the events of the second half-year: two of them
    assert _run(db_target, "seal", "--year", "2022", "--item", "6", "--events-from", "2022-07-01", *SOURCE) == 0
    out = capsys.readouterr().out
    assert "本期（2022-07-01 至 2022-12-31）登记活动 2 场" in out
    assert _run(db_target, "draw", "--year", "2022", "--seal", "1", *DRAW) == 0
    capsys.readouterr()
    record_file = tmp_path / "记录.json"
    assert _run(db_target, "export-draw", "--record-id", "1", str(record_file)) == 0
    capsys.readouterr()
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert {p["name"] for p in record["picks"]} == {"鲁中之夏演唱会（淄博鲁中演艺有限公司，沂源县体育场）",
                                                    "2022年国庆焰火晚会（沂源县文化旅游发展有限公司，沂河公园广场）"}
    assert verify_record(record).ok
    assert _run(db_target, "verify-draw", str(record_file)) == 0
    assert "一致" in capsys.readouterr().out
    assert _run(db_target, "verify-audit") == 0
    assert _run(db_target, "events", "--year", "2022") == 0
    assert capsys.readouterr().out.count("已抽取") == 2


def test_a_share_of_the_events_is_sealed_from_the_command_line(db, db_target, data_dir, capsys):
    event_world(db, data_dir)
    assert _run(db_target, "seal", "--year", "2022", "--item", "5", "--share", "50", *SOURCE) == 0
    out = capsys.readouterr().out
    assert "按 50% 抽取：3 场中抽取 2 场" in out


