"""Stories about China's working-day calendar: holidays, 调休 make-up days, unknown years and overrides."""
from __future__ import annotations

from datetime import date

import pytest

from models.workdays import WorkCalendar, format_cn_date


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_national_day_week_2024_is_skipped(cal):
    # The inspection ended the Monday before the 7-day National Day holiday.
    assert cal.add_workdays(date(2024, 9, 30), 1) == date(2024, 10, 8)
    assert all(not cal.is_workday(date(2024, 10, d)) for d in range(1, 8))


def test_make_up_saturday_is_a_working_day(cal):
    # 2024-10-12 is a Saturday worked in exchange for the National Day holiday (调休).
    assert date(2024, 10, 12).weekday() == 5
    assert cal.is_workday(date(2024, 10, 12))
    assert cal.holiday_name(date(2024, 10, 12)) == "National Day"
    # ... so Friday 10-11 plus one working day is that Saturday, not the Monday.
    assert cal.add_workdays(date(2024, 10, 11), 1) == date(2024, 10, 12)
    # An ordinary Saturday is not.
    assert not cal.is_workday(date(2024, 10, 19))


def test_spring_festival_2025(cal):
    # Holiday 2025-01-28 .. 02-04; Sunday 01-26 and Saturday 02-08 were make-up working days.
    assert cal.is_workday(date(2025, 1, 26))
    assert cal.is_workday(date(2025, 2, 8))
    assert not cal.is_workday(date(2025, 1, 28))
    assert not cal.is_workday(date(2025, 2, 4))
    assert cal.add_workdays(date(2025, 1, 27), 1) == date(2025, 2, 5)
    # Saturday 01-25 + 1 working day = the make-up Sunday 01-26.
    assert cal.add_workdays(date(2025, 1, 25), 1) == date(2025, 1, 26)
    # Three working days after 02-05 run through the make-up Saturday.
    assert cal.add_workdays(date(2025, 2, 5), 3) == date(2025, 2, 8)


def test_zero_and_negative_steps(cal):
    assert cal.add_workdays(date(2024, 10, 3), 0) == date(2024, 10, 3)
    assert cal.add_workdays(date(2024, 10, 8), -1) == date(2024, 9, 30)


def test_workdays_between_is_the_inverse_of_add(cal):
    start = date(2024, 9, 27)
    for n in range(15):
        assert cal.workdays_between(start, cal.add_workdays(start, n)) == n
    assert cal.workdays_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert cal.workdays_between(date(2024, 10, 8), date(2024, 9, 30)) == -1


def test_year_unknown_to_the_package_falls_back_to_monday_to_friday(cal):
    assert not cal.known_year(2027)
    assert cal.known_year(2025)
    # 2027-10-01 is a Friday: without published holidays it counts as a working day.
    assert cal.is_workday(date(2027, 10, 1))
    assert not cal.is_workday(date(2027, 10, 2))
    assert cal.add_workdays(date(2027, 10, 1), 1) == date(2027, 10, 4)
    assert cal.unknown_years([date(2026, 12, 30), date(2027, 1, 4), date(2027, 10, 1)]) == {2027}
    assert cal.holiday_name(date(2027, 10, 1)) is None


def test_clerk_overrides_for_2027_holidays():
    overrides = {date(2027, 10, d): False for d in range(1, 8)}
    overrides[date(2027, 10, 9)] = True  # a make-up Saturday
    cal = WorkCalendar(overrides)
    assert cal.known_year(2027)
    assert cal.unknown_years([date(2027, 10, 1)]) == set()
    assert not cal.is_workday(date(2027, 10, 1))
    assert cal.is_workday(date(2027, 10, 9))
    assert cal.add_workdays(date(2027, 9, 30), 1) == date(2027, 10, 8)
    assert cal.add_workdays(date(2027, 10, 8), 1) == date(2027, 10, 9)


def test_override_wins_over_the_package():
    # A local decision to work on 2024-10-01 (e.g. during a security operation).
    cal = WorkCalendar({date(2024, 10, 1): True})
    assert cal.is_workday(date(2024, 10, 1))
    assert cal.add_workdays(date(2024, 9, 30), 1) == date(2024, 10, 1)
    assert WorkCalendar().is_workday(date(2024, 10, 1)) is False


def test_chinese_date_format():
    assert format_cn_date(date(2024, 12, 31)) == "2024年12月31日"
    assert format_cn_date(date(2025, 2, 5)) == "2025年2月5日"
