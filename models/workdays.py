"""China's official working-day calendar (法定节假日与调休).

With clerk-entered overrides for years the package does not know yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache

import chinese_calendar

from models.errors import UserError

__all__ = ["MAX_WORKDAYS", "WorkCalendar", "WorkdayRangeError", "format_cn_date", "package_knows_year"]

# No deadline in this work is years away; counting further only burns time (a count of a billion
# ran for 20 s before failing) or runs off the calendar.
MAX_WORKDAYS = 2500


class WorkdayRangeError(UserError, ValueError):
    """A working-day count or span too large to mean anything here (message in Chinese)."""


@cache
def package_knows_year(year: int) -> bool:
    """True when the chinesecalendar package has the State Council's holiday data for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def format_cn_date(d: date) -> str:
    """Format a date the way official documents write it: 2024年12月31日 (no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


class WorkCalendar:
    """工作日历 — official working days plus the clerk's overrides.

    ``overrides`` maps a date to True (a working day, e.g. a 调休 make-up Saturday)
    or False (a holiday). Overrides win over the package, so a clerk can enter next
    year's holidays as soon as the State Council publishes them, before the package
    is updated. Years known to neither fall back to plain Monday–Friday.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        self._override_years = {d.year for d in self._overrides}

    @property
    def overrides(self) -> dict[date, bool]:
        """A copy of the clerk-entered overrides."""
        return dict(self._overrides)

    def known_year(self, year: int) -> bool:
        """True when the year's holidays are known (from the package or from overrides)."""
        return package_knows_year(year) or year in self._override_years

    def is_workday(self, d: date) -> bool:
        """Whether people work on ``d`` under China's official calendar."""
        override = self._overrides.get(d)
        if override is not None:
            return override
        if package_knows_year(d.year):
            return chinese_calendar.is_workday(d)
        return d.weekday() < 5

    def holiday_name(self, d: date) -> str | None:
        """The package's name for the festival behind ``d`` (holiday or 调休 day), if any."""
        if d in self._overrides or not package_knows_year(d.year):
            return None
        _, name = chinese_calendar.get_holiday_detail(d)
        return name

    def add_workdays(self, d: date, n: int) -> date:
        """The date ``n`` working days after ``d`` (``d`` itself not counted); n=0 returns ``d``.

        Negative ``n`` counts backwards, so ``add_workdays(add_workdays(d, n), -n)``
        lands on a working day at or before ``d``.
        """
        if abs(n) > MAX_WORKDAYS:
            raise WorkdayRangeError(f"工作日数 {n} 超出范围：最多可计算前后 {MAX_WORKDAYS} 个工作日（约十年）。")
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        current = d
        try:
            while remaining:
                current += timedelta(days=step)
                if self.is_workday(current):
                    remaining -= 1
        except OverflowError:
            raise WorkdayRangeError(f"从{format_cn_date(d)}起计算 {n} 个工作日超出了日历范围。") from None
        return current

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in the half-open span (a, b]; negative when b is before a.

        This is the inverse of :meth:`add_workdays`: ``workdays_between(d, add_workdays(d, n)) == n``.
        """
        if b < a:
            return -self.workdays_between(b, a)
        if (b - a).days > MAX_WORKDAYS * 2:
            raise WorkdayRangeError(f"{format_cn_date(a)}至{format_cn_date(b)}相隔过远，无法计算工作日数。")
        count = 0
        current = a
        while current < b:
            current += timedelta(days=1)
            if self.is_workday(current):
                count += 1
        return count

    def unknown_years(self, dates: Iterable[date]) -> set[int]:
        """Years among ``dates`` whose holidays are unknown, so the UI can warn the clerk."""
        return {d.year for d in dates if not self.known_year(d.year)}
