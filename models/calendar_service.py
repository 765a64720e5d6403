"""The working-day calendar as the office uses it: the package's official data plus the clerk's holiday overrides."""
from __future__ import annotations

from models.errors import UserError
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from models import audit
from models.admin import HolidayOverride
from models.workdays import WorkCalendar, format_cn_date, package_knows_year

__all__ = [
    "CalendarError", "OverrideRow", "load_calendar", "list_overrides", "add_override", "remove_override",
    "year_warning", "deadline_warnings", "year_status",
]


class CalendarError(UserError, ValueError):
    """A holiday entry that cannot be stored (message in Chinese)."""


@dataclass(frozen=True)
class OverrideRow:
    """One clerk-entered day: a holiday or a make-up working day (调休上班)."""

    day: date
    is_workday: bool
    name: str

    @property
    def kind(self) -> str:
        return "调休上班" if self.is_workday else "放假"


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar every deadline is computed with: package data, overridden by the clerk's entries."""
    rows = session.execute(select(HolidayOverride.day, HolidayOverride.is_workday)).all()
    return WorkCalendar({day: bool(is_workday) for day, is_workday in rows})


def list_overrides(session: Session, year: int | None = None) -> list[OverrideRow]:
    """The clerk's entries, by date; only those of ``year`` when given."""
    stmt = select(HolidayOverride).order_by(HolidayOverride.day)
    if year is not None:
        stmt = stmt.where(extract("year", HolidayOverride.day) == year)
    return [OverrideRow(o.day, bool(o.is_workday), o.name or "") for o in session.scalars(stmt)]


def add_override(session: Session, day: date, is_workday: bool, name: str, actor: str) -> OverrideRow:
    """Enter (or correct) one day: ``is_workday`` True for a 调休 working weekend, False for a holiday."""
    if not isinstance(day, date):
        raise CalendarError("日期无效：请按 YYYY-MM-DD 填写日期")
    name = (name or "").strip()
    if len(name) > 50:
        raise CalendarError("节日名称过长（最多 50 个字）")
    row = session.get(HolidayOverride, day)
    old = None
    if row is None:
        row = HolidayOverride(day=day, is_workday=bool(is_workday), name=name)
        session.add(row)
    else:
        old = {"类型": "调休上班" if row.is_workday else "放假", "名称": row.name}
        row.is_workday = bool(is_workday)
        row.name = name
    session.flush()
    entry = OverrideRow(day, bool(is_workday), name)
    audit.append(session, user=actor, action="录入节假日", entity="节假日", entity_id=day.isoformat(),
                 detail={"日期": day.isoformat(), "类型": entry.kind, "名称": name, "原值": old})
    return entry


def remove_override(session: Session, day: date, actor: str) -> None:
    """Delete the clerk's entry for ``day``; the package (or Monday–Friday) applies again."""
    row = session.get(HolidayOverride, day)
    if row is None:
        raise CalendarError(f"{format_cn_date(day)}没有录入过节假日，无需删除")
    detail = {"日期": day.isoformat(), "类型": "调休上班" if row.is_workday else "放假", "名称": row.name}
    session.delete(row)
    session.flush()
    audit.append(session, user=actor, action="删除节假日", entity="节假日", entity_id=day.isoformat(),
                 detail=detail)


def year_warning(year: int) -> str:
    """The warning shown when a deadline falls in a year with no holiday data."""
    return f"{year}年节假日数据尚未录入，期限按周一至周五计算，请在“节假日”页录入"


def deadline_warnings(cal: WorkCalendar, dates: Iterable[date | None]) -> list[str]:
    """One warning per year among ``dates`` whose holidays neither the package nor the clerk knows."""
    return [year_warning(y) for y in sorted(cal.unknown_years(d for d in dates if d is not None))]


def year_status(session: Session, year: int) -> str:
    """Where the holidays of ``year`` come from, in words for the 节假日 page."""
    entered = len(list_overrides(session, year))
    if package_knows_year(year):
        extra = f"，另有手工录入 {entered} 天（优先于内置数据）" if entered else ""
        return f"{year}年：使用内置的国务院节假日安排{extra}"
    if entered:
        return f"{year}年：内置数据尚无该年安排，使用手工录入的 {entered} 天"
    return year_warning(year)
