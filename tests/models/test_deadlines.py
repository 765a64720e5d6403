"""Stories about the deadlines after an inspection: serving, rectifying, extending, re-inspecting, to-do state."""
from __future__ import annotations

from datetime import date

import pytest

from models.deadlines import (
    DEFAULT_RECTIFY_RULE, TRAFFIC_RECTIFY_RULE, RectifyRule, Status, add_months,
    check_extension, check_rectify_deadline, max_extended_deadline, max_rectify_deadline,
    reinspect_due, reinspect_trigger, serve_due, todo_state,
)
from models.workdays import WorkCalendar


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- serving the notice: three working days -----------------------------------------

def test_notice_served_within_three_working_days_across_national_day(cal):
    # Friday 2024-09-27; Sunday 09-29 is a make-up working day, then 09-30, then the holiday.
    assert serve_due(date(2024, 9, 27), cal) == date(2024, 10, 8)


def test_notice_served_within_three_working_days_across_spring_festival(cal):
    # Friday 2025-01-24: Sunday 01-26 (调休), Monday 01-27, then Wednesday 02-05.
    assert serve_due(date(2025, 1, 24), cal) == date(2025, 2, 5)


def test_ordinary_week(cal):
    assert serve_due(date(2024, 11, 6), cal) == date(2024, 11, 11)  # Wed → next Mon


# --- the rectification deadline -----------------------------------------------------

def test_two_months_clamp_to_the_month_end():
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)
    assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 2) == date(2025, 1, 15)
    assert max_rectify_deadline(date(2024, 12, 31)) == date(2025, 2, 28)


def test_default_rule_accepts_two_months_and_rejects_a_day_more():
    served = date(2024, 12, 31)
    assert check_rectify_deadline(served, date(2025, 2, 28), DEFAULT_RECTIFY_RULE) is None
    problem = check_rectify_deadline(served, date(2025, 3, 1), DEFAULT_RECTIFY_RULE)
    assert problem is not None
    assert "2个月" in problem and "2025年2月28日" in problem and "2025年3月1日" in problem


def test_deadline_must_be_after_serving():
    problem = check_rectify_deadline(date(2024, 12, 31), date(2024, 12, 31), DEFAULT_RECTIFY_RULE)
    assert problem is not None and "晚于送达日期" in problem


def test_a_limit_falling_on_a_holiday_moves_to_the_next_working_day(cal):
    # Served 2024-08-01: two months end on 10-01, National Day, so 10-08 is still lawful.
    assert max_rectify_deadline(date(2024, 8, 1)) == date(2024, 10, 1)
    assert max_rectify_deadline(date(2024, 8, 1), cal=cal) == date(2024, 10, 8)
    assert check_rectify_deadline(date(2024, 8, 1), date(2024, 10, 8), cal=cal) is None
    assert check_rectify_deadline(date(2024, 8, 1), date(2024, 10, 9), cal=cal) is not None


def test_traffic_rule_fifteen_days():
    served = date(2024, 11, 4)
    assert max_rectify_deadline(served, TRAFFIC_RECTIFY_RULE) == date(2024, 11, 19)
    assert check_rectify_deadline(served, date(2024, 11, 19), TRAFFIC_RECTIFY_RULE) is None
    problem = check_rectify_deadline(served, date(2024, 11, 20), TRAFFIC_RECTIFY_RULE)
    assert problem is not None and "15日" in problem and "2024年11月19日" in problem


def test_traffic_rule_over_national_day(cal):
    # Served 2024-09-20: 15 days end on 10-05, inside the holiday.
    assert max_rectify_deadline(date(2024, 9, 20), TRAFFIC_RECTIFY_RULE, cal) == date(2024, 10, 8)


def test_stricter_of_days_and_months_applies():
    rule = RectifyRule(max_days=90, max_months=2)
    assert max_rectify_deadline(date(2024, 1, 1), rule) == date(2024, 3, 1)


def test_rule_without_limit_is_refused():
    with pytest.raises(ValueError, match="最长"):
        max_rectify_deadline(date(2024, 1, 1), RectifyRule(max_days=None, max_months=None))


# --- extensions -------------------------------------------------------------------

def test_traffic_deadline_extended_once_to_thirty_days(cal):
    served = date(2024, 11, 4)
    assert max_extended_deadline(served, TRAFFIC_RECTIFY_RULE) == date(2024, 12, 4)
    assert check_extension(served, date(2024, 12, 4), TRAFFIC_RECTIFY_RULE,
                           current_deadline=date(2024, 11, 19)) is None
    too_late = check_extension(served, date(2024, 12, 5), TRAFFIC_RECTIFY_RULE)
    assert too_late is not None and "30日" in too_late and "2024年12月4日" in too_late
    second = check_extension(served, date(2024, 12, 1), TRAFFIC_RECTIFY_RULE, extensions_used=1)
    assert second is not None and "只能延长一次" in second
    earlier = check_extension(served, date(2024, 11, 18), TRAFFIC_RECTIFY_RULE,
                              current_deadline=date(2024, 11, 19))
    assert earlier is not None and "晚于原整改期限" in earlier


def test_extension_ending_on_a_sunday_moves_to_monday(cal):
    # 2024-09-20 + 30 days = Sunday 10-20.
    assert max_extended_deadline(date(2024, 9, 20), TRAFFIC_RECTIFY_RULE, cal) == date(2024, 10, 21)


def test_default_rule_allows_no_extension():
    problem = check_extension(date(2024, 11, 4), date(2024, 12, 4), DEFAULT_RECTIFY_RULE)
    assert problem == "该整改期限规则不允许延长整改期限"


# --- re-inspection ----------------------------------------------------------------

def test_reinspection_trigger_is_the_earlier_of_deadline_and_report():
    assert reinspect_trigger(date(2024, 10, 31), None) == date(2024, 10, 31)
    assert reinspect_trigger(date(2024, 10, 31), date(2024, 10, 20)) == date(2024, 10, 20)
    assert reinspect_trigger(date(2024, 10, 31), date(2024, 11, 5)) == date(2024, 10, 31)


def test_reinspection_within_five_working_days_with_a_make_up_saturday(cal):
    # Deadline Monday 2024-09-30: 10-08, 09, 10, 11 and the make-up Saturday 10-12.
    assert reinspect_due(date(2024, 9, 30), cal) == date(2024, 10, 12)


# --- the to-do state ----------------------------------------------------------------

def _state(today, **dates):
    return todo_state(today, WorkCalendar(), inspection_end=date(2024, 9, 27), **dates)


def test_notice_waiting_to_be_served_then_overdue():
    waiting = _state(date(2024, 9, 30))
    assert waiting.status is Status.TO_SERVE and waiting.due == date(2024, 10, 8)
    assert not waiting.overdue and "2024年10月8日" in waiting.label
    # The last day is still in time; the holiday does not make it late.
    assert _state(date(2024, 10, 8)).status is Status.TO_SERVE
    late = _state(date(2024, 10, 9))
    assert late.status is Status.SERVE_OVERDUE and late.overdue
    assert late.status.value == "送达逾期" and "已逾期1天" in late.label


def test_rectification_period_and_deadline_soon():
    dates = {"served": date(2024, 10, 8), "deadline": date(2024, 11, 29)}
    running = _state(date(2024, 10, 20), **dates)
    assert running.status is Status.RECTIFYING and running.due == date(2024, 11, 29)
    soon = _state(date(2024, 11, 22), **dates)
    assert soon.status is Status.DEADLINE_SOON and not soon.overdue and "还剩7天" in soon.label
    assert "今天到期" in _state(date(2024, 11, 29), **dates).label


def test_waiting_for_reinspection_after_the_deadline_then_overdue():
    dates = {"served": date(2024, 8, 1), "deadline": date(2024, 9, 30)}
    waiting = _state(date(2024, 10, 1), **dates)
    assert waiting.status is Status.TO_REINSPECT and waiting.due == date(2024, 10, 12)
    assert not waiting.overdue and "整改期限已届满" in waiting.label
    assert _state(date(2024, 10, 12), **dates).status is Status.TO_REINSPECT
    late = _state(date(2024, 10, 14), **dates)
    assert late.status is Status.REINSPECT_OVERDUE and late.overdue


def test_unit_reports_completion_early():
    dates = {"served": date(2024, 10, 8), "deadline": date(2024, 11, 29), "reported": date(2024, 10, 25)}
    state = _state(date(2024, 10, 28), **dates)
    assert state.status is Status.TO_REINSPECT
    assert state.due == date(2024, 11, 1)
    assert "单位已报告整改完毕" in state.label


def test_reinspected_notice_is_done():
    state = _state(date(2025, 1, 1), served=date(2024, 10, 8), deadline=date(2024, 11, 29),
                   reinspected=date(2024, 12, 2))
    assert state.status is Status.DONE and state.due is None and not state.overdue
    assert state.label.startswith("已完结")


def test_served_notice_without_deadline_is_an_error():
    with pytest.raises(ValueError, match="缺少整改期限"):
        _state(date(2024, 10, 10), served=date(2024, 10, 8))
