"""Coverage of the routine duties (巡查覆盖): per duty, per 辖区 (or the named unit) and per period, which
objects are done, which are due and which are overdue.

Definitions (the screen, the ``duties`` command, the to-do list and the year report all read these):
- The objects of a duty: today's roster objects of its type that are active and 在营 (a 停业 or 注销 unit
  cannot be visited; past rosters are not kept). A duty with unit "" is split by the objects' 辖区 (the
  派出所 responsible); a duty with a named unit is one group, that unit.
- Periods split the calendar year: 每月 12, 每两个月 6 (1—2月 …), 每季度 4, 每半年 2, 每年 1.
- A check counts for a duty when its inspection's object is one of the duty's, its 检查结束日期 (date_to)
  falls in the period, and either it was recorded for this duty (duty_id), or it was recorded for no duty
  and its source is an on-site check of the whole unit: 日常巡查, 全面检查, 专项检查, 专项督察 or 双随机抽查
  (COUNTING_SOURCES). A check made for a complaint, a case, an errand from above or 暗访 looks at one
  matter, not the unit's whole duty, and does not count (models.check_service refuses to mark one for a
  duty); a check recorded for another duty counts for that one only.
- An object is done (已查) once it has ``times`` counting checks in the period. The group requires every
  object (share 100%) or ceil(share × objects) of them; while fewer are done the rest are 待查 (the
  period is running), 逾期 (the period is over) or 未开始 (a period still to come). With a share below
  100% and the quota met, the objects not checked read 本期不需.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models.duties import DutyRow, list_duties
from models.errors import UserError
from models.inspection import DRAWN_SOURCE, Inspection
from models.roster import InspectedObject
from models.supervision import DUTY_PERIODS
from models.workdays import format_cn_date

__all__ = ["COUNTING_SOURCES", "DONE", "DUE", "OVERDUE", "UPCOMING", "NOT_NEEDED", "NO_JURISDICTION",
           "ObjectCoverage", "GroupCoverage", "DutyCoverage", "DutyYear", "period_count", "period_bounds",
           "period_index", "period_name", "coverage", "duty_year", "due_this_week", "due_label", "DUTY_DUE",
           "CoverageError"]

COUNTING_SOURCES = ("日常巡查", "全面检查", "专项检查", "专项督察", DRAWN_SOURCE)
DONE, DUE, OVERDUE, UPCOMING, NOT_NEEDED = "已查", "待查", "逾期", "未开始", "本期不需"
NO_JURISDICTION = "（未填辖区）"
DUE_SOON_DAYS = 7
DUTY_DUE = "日常巡查到期"      # the to-do list's kind for a duty whose period ends this week


class CoverageError(UserError, ValueError):
    """A period or year that does not exist (message in Chinese)."""


def period_count(period: str) -> int:
    return 12 // DUTY_PERIODS[period]


def period_bounds(period: str, year: int, index: int) -> tuple[date, date]:
    """First and last day of period ``index`` (1-based) of ``year``."""
    months = DUTY_PERIODS[period]
    if not 1 <= index <= period_count(period):
        raise CoverageError(f"期次 {index} 无效：{period}的任务一年共 {period_count(period)} 期")
    first = (index - 1) * months + 1
    last = first + months - 1
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return date(year, first, 1), end - timedelta(days=1)


def period_index(period: str, month: int) -> int:
    return (month - 1) // DUTY_PERIODS[period] + 1


def period_name(period: str, year: int, index: int) -> str:
    """2024年5月 / 2024年5—6月 / 2024年第2季度 / 2024年上半年 / 2024年."""
    months = DUTY_PERIODS[period]
    first = (index - 1) * months + 1
    if months == 1:
        return f"{year}年{first}月"
    if months == 2:
        return f"{year}年{first}—{first + 1}月"
    if months == 3:
        return f"{year}年第{index}季度"
    if months == 6:
        return f"{year}年{'上' if index == 1 else '下'}半年"
    return f"{year}年"


@dataclass
class ObjectCoverage:
    """One object of a duty in one period."""

    object_id: int
    name: str
    credit_code: str
    jurisdiction: str
    state: str                      # DONE, DUE, OVERDUE, UPCOMING or NOT_NEEDED
    checks: int                     # counting checks in the period
    last_date: date | None
    inspection_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {"object_id": self.object_id, "name": self.name, "credit_code": self.credit_code,
                "jurisdiction": self.jurisdiction, "state": self.state, "checks": self.checks,
                "last_date": self.last_date.isoformat() if self.last_date else None,
                "inspection_ids": list(self.inspection_ids)}


@dataclass
class GroupCoverage:
    """One 辖区 (or the named unit) of a duty in one period."""

    duty_id: int
    duty_label: str
    group: str                      # the 辖区, or the duty's named unit
    period: str                     # the period's name, e.g. 2024年5月
    index: int
    start: date
    end: date
    required: int
    objects: list[ObjectCoverage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.objects)

    @property
    def done(self) -> int:
        return sum(1 for o in self.objects if o.state == DONE)

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.done)

    @property
    def due(self) -> int:
        """Objects still to check in the running period (with a share: how many more the quota needs)."""
        return self.shortfall if any(o.state == DUE for o in self.objects) else 0

    @property
    def overdue(self) -> int:
        """Objects the period ended without (with a share: how many the quota lacked)."""
        return self.shortfall if any(o.state == OVERDUE for o in self.objects) else 0

    @property
    def rate(self) -> float | None:
        return min(self.done, self.required) / self.required if self.required else None

    def of_state(self, state: str) -> list[ObjectCoverage]:
        return [o for o in self.objects if o.state == state]

    def as_dict(self) -> dict:
        return {"group": self.group, "objects": self.total, "required": self.required, "done": self.done,
                "due": self.due, "overdue": self.overdue, "rate": self.rate,
                "done_objects": [o.as_dict() for o in self.of_state(DONE)],
                "due_objects": [o.as_dict() for o in self.of_state(DUE)],
                "overdue_objects": [o.as_dict() for o in self.of_state(OVERDUE)]}


@dataclass
class DutyCoverage:
    """One duty in one period: its groups."""

    duty: DutyRow
    year: int
    index: int
    start: date
    end: date
    groups: list[GroupCoverage] = field(default_factory=list)

    @property
    def period_name(self) -> str:
        return period_name(self.duty.period, self.year, self.index)

    def _sum(self, name: str) -> int:
        return sum(getattr(g, name) for g in self.groups)

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def required(self) -> int:
        return self._sum("required")

    @property
    def done(self) -> int:
        return self._sum("done")

    @property
    def due(self) -> int:
        return self._sum("due")

    @property
    def overdue(self) -> int:
        return self._sum("overdue")

    @property
    def done_toward(self) -> int:
        """Done objects that count toward the requirement (a group's extra ones beyond its quota do not)."""
        return sum(min(g.done, g.required) for g in self.groups)

    def as_dict(self) -> dict:
        d = self.duty
        return {"duty_id": d.id, "object_type": d.type_name, "unit": d.unit_label, "period": d.period,
                "times": d.times, "share_percent": d.share_percent, "basis": d.basis, "active": d.active,
                "year": self.year, "period_index": self.index, "period_name": self.period_name,
                "start": self.start.isoformat(), "end": self.end.isoformat(), "objects": self.total,
                "required": self.required, "done": self.done, "due": self.due, "overdue": self.overdue,
                "groups": [g.as_dict() for g in self.groups]}


def _required(count: int, share: int) -> int:
    return count if share >= 100 else min(count, math.ceil(count * share / 100))


def _objects(session: Session, duty: DutyRow, type_id: int) -> list[tuple]:
    o = InspectedObject
    return session.execute(
        select(o.id, o.name, func.coalesce(o.credit_code, "").label("credit_code"), o.jurisdiction)
        .where(o.object_type_id == type_id, o.active.is_(True), o.status == "在营")
        .order_by(o.jurisdiction, o.name, o.id)).all()


def _checks(session: Session, duty: DutyRow, type_id: int, start: date, end: date) -> dict[int, list[tuple]]:
    """object id -> [(date_to, inspection id)] of the checks counting for ``duty`` between start and end."""
    i = Inspection
    rows = session.execute(
        select(i.object_id, i.date_to, i.id)
        .join(InspectedObject, InspectedObject.id == i.object_id)
        .where(InspectedObject.object_type_id == type_id, i.date_to >= start, i.date_to <= end,
               or_(i.duty_id == duty.id, and_(i.duty_id.is_(None), i.source.in_(COUNTING_SOURCES))))
        .order_by(i.date_to, i.id)).all()
    found: dict[int, list[tuple]] = defaultdict(list)
    for object_id, day, iid in rows:
        found[object_id].append((day, iid))
    return found


def _build(duty: DutyRow, year: int, index: int, objects: list[tuple], checks: dict[int, list[tuple]],
           today: date, jurisdiction: str | None) -> DutyCoverage:
    start, end = period_bounds(duty.period, year, index)
    result = DutyCoverage(duty, year, index, start, end)
    open_state = OVERDUE if today > end else (UPCOMING if today < start else DUE)
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in objects:
        where = row[3] or NO_JURISDICTION
        if jurisdiction is not None and where != jurisdiction:
            continue
        grouped[duty.unit or where].append(row)
    name = period_name(duty.period, year, index)
    for group, rows in grouped.items():
        g = GroupCoverage(duty.id, duty.label, group, name, index, start, end, _required(len(rows),
                                                                                         duty.share_percent))
        states = []
        for object_id, obj_name, code, where in rows:
            hits = [(d, iid) for d, iid in checks.get(object_id, ()) if start <= d <= end]
            state = DONE if len(hits) >= duty.times else open_state
            states.append(ObjectCoverage(object_id, obj_name, code, where or NO_JURISDICTION, state, len(hits),
                                         hits[-1][0] if hits else None, tuple(iid for _d, iid in hits)))
        g.objects = states
        if g.shortfall == 0:
            for o in g.objects:
                if o.state != DONE:
                    o.state = NOT_NEEDED
        result.groups.append(g)
    result.groups.sort(key=lambda g: (g.group == NO_JURISDICTION, g.group))
    return result


def _pick_index(duty: DutyRow, year: int, today: date, month: int | None, index: int | None) -> int:
    if index is not None:
        if not 1 <= index <= period_count(duty.period):
            raise CoverageError(f"期次 {index} 无效：任务“{duty.label}”一年共 {period_count(duty.period)} 期；"
                                "要看各任务含某月的那一期，请按月份选择（--month）")
        return index
    if month is None:
        month = today.month if year == today.year else (12 if year < today.year else 1)
    if not 1 <= month <= 12:
        raise CoverageError(f"月份 {month} 无效，应为 1～12")
    return period_index(duty.period, month)


def coverage(session: Session, year: int, *, month: int | None = None, index: int | None = None,
             today: date | None = None, duty_ids: list[int] | None = None,
             jurisdiction: str | None = None) -> list[DutyCoverage]:
    """Every active duty (or those of ``duty_ids``) in the period containing ``month`` of ``year`` (default:
    the current period; a past year's last, a future year's first), or in period ``index``; optionally one 辖区."""
    today = today or date.today()
    if not 2000 <= year <= 2100:
        raise CoverageError(f"年度 {year} 无效")
    duties = list_duties(session, include_inactive=duty_ids is not None)
    if duty_ids is not None:
        duties = [d for d in duties if d.id in set(duty_ids)]
    out = []
    for duty in duties:
        n = _pick_index(duty, year, today, month, index)
        type_id = duty.type_id
        start, end = period_bounds(duty.period, year, n)
        out.append(_build(duty, year, n, _objects(session, duty, type_id),
                          _checks(session, duty, type_id, start, end), today, jurisdiction))
    return out


@dataclass
class DutyYear:
    """A duty over the whole year, for the statistics: every period's required and done."""

    duty: DutyRow
    year: int
    periods: list[DutyCoverage]
    as_of: date

    @property
    def elapsed(self) -> list[DutyCoverage]:
        """The periods begun by ``as_of`` (a running one counts with what is done so far)."""
        return [p for p in self.periods if p.start <= self.as_of]

    @property
    def required(self) -> int:
        return sum(p.required for p in self.elapsed)

    @property
    def done(self) -> int:
        return sum(p.done_toward for p in self.elapsed)

    @property
    def overdue(self) -> int:
        return sum(p.overdue for p in self.elapsed)

    @property
    def rate(self) -> float | None:
        return self.done / self.required if self.required else None

    def as_dict(self) -> dict:
        d = self.duty
        return {"duty_id": d.id, "duty": d.label, "unit": d.unit_label, "required": self.required,
                "done": self.done, "overdue": self.overdue, "rate": self.rate,
                "periods": [{"period": p.period_name, "required": p.required, "done": p.done_toward,
                             "overdue": p.overdue} for p in self.periods]}


def duty_year(session: Session, year: int, as_of: date | None = None) -> list[DutyYear]:
    """Every active duty over ``year``: per period, objects required and done (one query per duty)."""
    as_of = as_of or date.today()
    out = []
    for duty in list_duties(session):
        type_id = duty.type_id
        objects = _objects(session, duty, type_id)
        checks = _checks(session, duty, type_id, date(year, 1, 1), date(year, 12, 31))
        periods = [_build(duty, year, n, objects, checks, as_of, None)
                   for n in range(1, period_count(duty.period) + 1)]
        out.append(DutyYear(duty, year, periods, as_of))
    return out


def due_this_week(session: Session, today: date | None = None,
                  days: int = DUE_SOON_DAYS) -> list[GroupCoverage]:
    """Groups of the active duties whose current period ends within ``days`` days with objects not yet done."""
    today = today or date.today()
    found = []
    for cov in coverage(session, today.year, month=today.month, today=today):
        if (cov.end - today).days >= days:
            continue
        found.extend(g for g in cov.groups if g.due)
    return found


def due_label(group: GroupCoverage) -> str:
    """The to-do line of a group falling due (日常巡查 旅馆 每月1次：城关派出所2024年5月还有3个对象未查，…本期结束)."""
    return (f"日常巡查 {group.duty_label}：{group.group}{group.period}还有{group.due}个对象未查，"
            f"{format_cn_date(group.end)}本期结束")
