"""Command-line stories: publish the year's results and tasks, make the leadership report, print the year's figures."""
from __future__ import annotations

import json

import openpyxl
import pytest
from docx import Document

from tests.reports.publicity_world import REDRAW_REASON, publicity_world
from tests.tamper import tamper
from ui.cli import run


@pytest.fixture
def world(db, tmp_path):
    return publicity_world(db, tmp_path)


def _run(target, *argv) -> int:
    return run(["--db", str(target), *argv])


def test_export_results_for_the_year_and_for_one_record(db_target, world, tmp_path, capsys):
    out = tmp_path / "结果.xlsx"
    assert _run(db_target, "export-results", "--year", "2024", "--as-of", "2024-07-01", str(out)) == 0
    assert "已导出2024年度抽查结果公示表" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0].endswith("2024年度“双随机、一公开”抽查结果公示")
    assert sum(1 for r in rows if r[7] == "待检查") == 2
    one = tmp_path / "任务.docx"
    assert _run(db_target, "export-results", "--year", "2024", "--record", str(world["redraw_id"]), str(one)) == 0
    body = [[c.text for c in r.cells] for r in Document(str(one)).tables[0].rows[1:]]
    assert len(body) == 2 and all(REDRAW_REASON in r[10] for r in body)


def test_a_redrawn_record_is_refused_with_a_chinese_message(db_target, world, tmp_path, capsys):
    code = _run(db_target, "export-results", "--year", "2024", "--record", str(world["first_cafe_id"]),
                str(tmp_path / "x.xlsx"))
    assert code == 1
    assert "已被重抽替代" in capsys.readouterr().err


def test_export_tasks_and_report(db_target, world, tmp_path, capsys):
    tasks = tmp_path / "任务公示.xlsx"
    assert _run(db_target, "export-tasks", "--year", "2024", str(tasks)) == 0
    rows = list(openpyxl.load_workbook(tasks).active.iter_rows(values_only=True))
    assert rows[0][0].endswith("抽查任务公示") and rows[3][3] == "3"
    report = tmp_path / "年度报告.docx"
    assert _run(db_target, "export-report", "--year", "2024", str(report)) == 0
    doc = Document(str(report))
    assert doc.paragraphs[0].text.endswith("抽查工作统计报告") and len(doc.inline_shapes) == 4
    assert "已生成2024年度统计报告" in capsys.readouterr().out


def test_stats_with_a_year_adds_the_years_figures(db_target, world, capsys):
    assert _run(db_target, "stats", "--year", "2024", "--json") == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["objects"]["total"] > 0  # the roster's figures stay
    year = figures["year"]
    assert year["year"] == 2024 and year["total"]["drawn"] == 5 and year["total"]["inspected"] == 3
    assert year["items"][0]["planned"] == 3 and year["results"]["未发现问题"] == 1
    assert year["coverage"]["never"] == 43
    assert _run(db_target, "stats", "--year", "2024") == 0
    text = capsys.readouterr().out
    assert "2024年度：计划" in text and "已抽取 5 户" in text


def test_errors_name_the_problem(db_target, world, tmp_path, capsys):
    assert _run(db_target, "stats", "--year", "2019", "--json") == 1
    assert "没有2019年度的抽查计划" in capsys.readouterr().err
    assert _run(db_target, "export-report", "--year", "2024", str(tmp_path / "r.xlsx")) == 1
    assert "请使用 .docx" in capsys.readouterr().err
    assert _run(db_target, "export-results", "--year", "2024", "--as-of", "明天", str(tmp_path / "r.xlsx")) == 1
    assert "--as-of 日期" in capsys.readouterr().err


def test_a_printed_publicity_table_checks_a_later_database(db, db_target, world, copy_database, tmp_path, capsys):
    # The clerk posts the tasks (Word) and the results (Excel); a year later an auditor holds them against the database.
    tasks, results = tmp_path / "任务公示.docx", tmp_path / "结果公示.xlsx"
    assert _run(db_target, "export-tasks", "--year", "2024", str(tasks)) == 0
    assert _run(db_target, "export-results", "--year", "2024", str(results)) == 0
    for printed in (tasks, results):
        assert _run(db_target, "verify-audit", "--against", str(printed)) == 0
        assert f"与 {printed} 所列一致" in capsys.readouterr().out
    redraw = world["redraw_id"]
    # Someone rebuilds the database without the newest entries and swaps the re-draw's record.
    rebuilt = copy_database(db_target, "rebuilt", db=db)
    tamper(rebuilt, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
           f"UPDATE draw_records SET record_hash = '{'0' * 64}' WHERE id = {redraw}",
           unlock=("audit_log", "draw_records"))
    for printed in (tasks, results):
        assert _run(rebuilt, "verify-audit", "--against", str(printed)) == 1
        err = capsys.readouterr().err
        assert "已不存在：打印之后数据库被重建或审计日志被改写" in err
        assert f"抽取记录 #{redraw} 的哈希与文件所列不同" in err
    # An announcement the tasks table lists is deleted from the database.
    gone = copy_database(db_target, "gone", db=db)
    tamper(gone, "DELETE FROM draw_announcements WHERE number = 1", unlock=("draw_announcements",))
    assert _run(gone, "verify-audit", "--against", str(tasks)) == 1
    assert "文件列出的抽取公告 2024-001 在数据库中已不存在" in capsys.readouterr().err


def test_verify_audit_against_a_foreign_spreadsheet_says_what_is_missing(db_target, world, tmp_path, capsys):
    foreign = tmp_path / "别的表.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "与抽取无关"
    book.save(foreign)
    assert _run(db_target, "verify-audit", "--against", str(foreign)) == 1
    assert "没有可核对的记录哈希" in capsys.readouterr().err
    broken = tmp_path / "坏的.docx"
    broken.write_bytes(b"not a zip")
    assert _run(db_target, "verify-audit", "--against", str(broken)) == 1
    assert "无法读取" in capsys.readouterr().err
