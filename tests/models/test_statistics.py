"""Stories: the leadership asks how the year went — planned vs drawn vs inspected, results, rectification, load,
coverage."""
from __future__ import annotations

import json
from datetime import date

import pytest

from models.plan_service import PlanError
from models.statistics import NOT_REACHED, REACHED, percent, year_stats
from models.year_data import (
    RECT_DONE, RECT_NONE, RECT_ONGOING, RECT_OVERDUE, InspectionFacts, NoticeFacts, rectification_status,
    rectified_in_time,
)
from tests.models.inspection_fixtures import record
from tests.reports.publicity_world import publicity_world


@pytest.fixture
def world(db, tmp_path):
    return publicity_world(db, tmp_path)


def _stats(db, **kw):
    with db.read_session() as s:
        return year_stats(s, 2024, **kw)


def test_each_item_shows_roster_plan_draw_and_inspections(db, world):
    stats = _stats(db, as_of=date(2024, 6, 1))
    hotels, cafes = stats.items[0], stats.items[1]
    # 41 open hotels of 44 active (2 停业, 1 注销); 5% of 41 rounded up is 3.
    assert (hotels.roster, hotels.eligible, hotels.planned, hotels.drawn, hotels.inspected) == (44, 41, 3, 3, 2)
    assert hotels.target == "比例≥5%，每年1次" and hotels.ratio == 0.05
    assert hotels.reached == NOT_REACHED
    assert percent(hotels.share) == "4.9%"
    # The re-drawn record no longer counts: two cafés drawn, not four.
    assert (cafes.planned, cafes.drawn, cafes.inspected) == (2, 2, 1)
    # 按大型群众性活动实际执行 has no number to reach.
    assert stats.items[2].planned is None and stats.items[2].reached == "—"


def test_results_notices_and_rectification_are_counted(db, world):
    stats = _stats(db, as_of=date(2024, 6, 1))
    assert stats.results["未发现问题"] == 1
    assert stats.results["发现问题待后续处理"] == 2
    assert list(stats.results)[:3] == ["未发现问题", "发现问题已责令改正", "发现问题待后续处理"]
    t = stats.total
    assert (t.problems, t.hazards, t.notices, t.on_time, t.late, t.open) == (2, 3, 2, 1, 0, 1)
    assert stats.rectification == {"按期整改": 1, "逾期整改": 0, "整改中": 1, "逾期未整改": 0}
    # The café's deadline (2024-06-06) passes without a 复查.
    later = _stats(db, as_of=date(2024, 7, 1))
    assert later.rectification == {"按期整改": 1, "逾期整改": 0, "整改中": 0, "逾期未整改": 1}


def test_the_plan_is_reached_once_every_drawn_hotel_is_inspected(db, world):
    record(db, world["hotels"][2].pick_id)
    stats = _stats(db)
    assert stats.items[0].inspected == 3 and stats.items[0].reached == REACHED
    unit = stats.units[0]
    assert unit.label == "治安大队" and unit.planned == 5 and unit.inspected == 4 and unit.reached == NOT_REACHED


def test_inspector_load_shows_who_was_drawn_and_who_went(db, world):
    stats = _stats(db)
    # Joint hotel item: two officers and one partner per hotel; cafés: two officers each.
    assert sum(x.drawn for x in stats.inspectors) == 3 * 3 + 2 * 2
    # Hotels A and B and one café were inspected by the drawn teams.
    assert sum(x.inspections for x in stats.inspectors) == 3 + 3 + 2
    # Every active inspector is listed, even with no work (that is what fairness is about);
    # the inactive officer who was never drawn is not.
    assert len(stats.inspectors) == 8 and "退休民警" not in {x.name for x in stats.inspectors}
    assert {x.unit for x in stats.inspectors} == {"治安大队", "市场监督管理局"}


def test_coverage_counts_objects_never_inspected_in_three_years(db, world):
    cov = _stats(db).coverage
    # Active and not 注销: 41 hotels + 2 停业 + 3 cafés.
    assert (cov.first_year, cov.last_year, cov.objects, cov.inspected, cov.never) == (2022, 2024, 46, 3, 43)
    assert {t: never for t, _n, never in cov.by_type} == {"旅馆": 41, "网吧": 2}


def test_figures_serialise_to_json(db, world):
    data = _stats(db, as_of=date(2024, 6, 1)).as_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert data["total"]["drawn"] == 5 and data["items"][0]["reached"] == NOT_REACHED
    assert "13800" not in text  # no phone numbers


def test_a_year_without_plan_is_refused_in_chinese(db, world):
    with db.read_session() as s, pytest.raises(PlanError, match="没有2023年度的抽查计划"):
        year_stats(s, 2023)


def test_cancel_stops_the_computation(db, world):
    from models.statistics import StatsCancelled

    with db.read_session() as s, pytest.raises(StatsCancelled):
        year_stats(s, 2024, cancelled=lambda: True)


def _insp(hazards=1, notice=None, finished=False):
    return InspectionFacts(1, date(2024, 5, 6), date(2024, 5, 6), "发现问题待后续处理", "", "实地检查", "", finished,
                           hazards, [], notice)


def test_rectification_status_rules():
    deadline = date(2024, 6, 6)
    open_notice = NoticeFacts(1, "X", deadline, None, None, False)
    assert rectification_status(None, date(2024, 6, 1)) == RECT_NONE
    assert rectification_status(_insp(hazards=0), date(2024, 6, 1)) == RECT_NONE
    assert rectification_status(_insp(notice=open_notice), date(2024, 6, 6)) == RECT_ONGOING
    assert rectification_status(_insp(notice=open_notice), date(2024, 6, 7)) == RECT_OVERDUE
    assert rectification_status(_insp(), date(2024, 6, 7)) == RECT_ONGOING
    assert rectification_status(_insp(finished=True), date(2024, 6, 7)) == RECT_DONE
    done = NoticeFacts(1, "X", deadline, None, date(2024, 6, 10), False)
    assert rectification_status(_insp(notice=done), date(2025, 1, 1)) == RECT_DONE


def test_late_means_a_failed_review_or_a_late_report():
    deadline = date(2024, 6, 6)
    assert rectified_in_time(NoticeFacts(1, "X", deadline, None, None, False)) is None
    assert rectified_in_time(NoticeFacts(1, "X", deadline, None, date(2024, 6, 10), False)) is True
    assert rectified_in_time(NoticeFacts(1, "X", deadline, None, date(2024, 7, 1), True)) is False
    assert rectified_in_time(NoticeFacts(1, "X", deadline, date(2024, 6, 9), date(2024, 6, 12), False)) is False
