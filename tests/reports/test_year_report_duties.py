"""Story: the year report and the statistics count the routine duties — per duty, objects required vs done per
period, and the overall rate — beside the drawn inspections."""
from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from models.duties import DutyData, add_duty
from models.roster import InspectedObject
from models.statistics import year_stats
from reports.year_report import ROUTINE_HEADERS, ROUTINE_PERIOD_HEADERS, export_report, summary_lines
from tests.models.duty_fixtures import round_check
from tests.models.inspection_fixtures import drawn_world

pytestmark = pytest.mark.filterwarnings("error:.*[Gg]lyph.*missing")


@pytest.fixture
def world(db):
    world = drawn_world(db)    # 41 hotels 在营 on the roster, plan 2024
    with db.session() as s:
        world["duty"] = add_duty(s, DutyData("旅馆", "每季度", basis="旅馆业每季度检查1次"), "治安大队")
        hotels = [i for (i,) in s.query(InspectedObject.id).filter(InspectedObject.status == "在营",
                                                                   InspectedObject.active.is_(True))
                  .order_by(InspectedObject.id)]
    for object_id in hotels[:30]:
        round_check(db, object_id, date(2024, 2, 10), duty_id=world["duty"])
    for object_id in hotels[:5]:
        round_check(db, object_id, date(2024, 4, 10))      # unmarked 日常巡查: counts too
    return world


def test_statistics_give_required_and_done_per_period(db, world):
    with db.session() as s:
        stats = year_stats(s, 2024, as_of=date(2024, 6, 1))
    (duty,) = stats.routine
    # Two quarters begun by 1 June: 2 × 41 required; Q1 30 done (11 overdue), Q2 5 done so far.
    assert (duty.required, duty.done, duty.overdue) == (82, 35, 11)
    figures = stats.as_dict()["routine_duties"][0]
    assert [(p["period"], p["required"], p["done"], p["overdue"]) for p in figures["periods"]] == [
        ("2024年第1季度", 41, 30, 11), ("2024年第2季度", 41, 5, 0), ("2024年第3季度", 41, 0, 0),
        ("2024年第4季度", 41, 0, 0)]
    assert "日常巡查任务1项，截至统计日应查82户次，已查35户次（完成率42.7%），期满未查11户次。" in summary_lines(stats)


def test_the_year_report_has_a_routine_duties_section(db, world, tmp_path):
    path = export_report(db, 2024, tmp_path / "年度报告.docx", as_of=date(2024, 6, 1))
    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "八、日常巡查任务完成情况" in paragraphs
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in doc.tables}
    summary = tables[tuple(ROUTINE_HEADERS)]
    assert [c.text for c in summary.rows[1].cells] == ["旅馆 每季度1次", "辖区派出所", "2", "82", "35", "11", "42.7%"]
    periods = tables[tuple(ROUTINE_PERIOD_HEADERS)]
    assert [[c.text for c in r.cells] for r in periods.rows[1:]] == [
        ["旅馆 每季度1次", "2024年第1季度", "41", "30", "11", "73.2%"],
        ["旅馆 每季度1次", "2024年第2季度", "41", "5", "0", "12.2%"]]
