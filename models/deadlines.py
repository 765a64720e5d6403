"""Deadlines that follow an inspection: serving the notice, rectifying, re-inspecting, and the to-do state."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from models.workdays import WorkCalendar, format_cn_date

__all__ = [
    "SERVE_WORKDAYS",
    "REINSPECT_WORKDAYS",
    "SOON_DAYS",
    "RectifyRule",
    "DEFAULT_RECTIFY_RULE",
    "TRAFFIC_RECTIFY_RULE",
    "add_months",
    "serve_due",
    "max_rectify_deadline",
    "check_rectify_deadline",
    "max_extended_deadline",
    "check_extension",
    "reinspect_trigger",
    "reinspect_due",
    "Status",
    "TodoState",
    "todo_state",
]

# 公安部令第93号 / seed 003: the notice is served within three working days of the inspection's end.
SERVE_WORKDAYS = 3
# Seed 003 (traffic): re-inspect within five working days of the deadline or the unit's report.
REINSPECT_WORKDAYS = 5
# A deadline this many calendar days away (or fewer) shows as "整改即将到期".
SOON_DAYS = 7


@dataclass(frozen=True)
class RectifyRule:
    """整改期限规则 — how long a unit may be given to rectify, and how far it may be extended.

    ``max_days`` and ``max_months`` count calendar time from the day the notice is
    served (that day not counted); when both are set the stricter one applies.
    ``extend_days`` is the longest total period after an extension (None = no
    extension allowed); ``extend_once`` forbids a second extension.
    """

    max_days: int | None = None
    max_months: int | None = 2
    extend_days: int | None = None
    extend_once: bool = True

    def describe(self) -> str:
        """The limit in words, for messages: "2个月" or "15日"."""
        parts = []
        if self.max_months is not None:
            parts.append(f"{self.max_months}个月")
        if self.max_days is not None:
            parts.append(f"{self.max_days}日")
        return "、".join(parts) or "无限制"


# 《企业事业单位内部治安保卫条例》 and seed 003 (financial institutions): at most two months.
DEFAULT_RECTIFY_RULE = RectifyRule()
# Seed 003 (鹿泉 traffic section): at most 15 days, extendable once to 30 with the chief's consent.
TRAFFIC_RECTIFY_RULE = RectifyRule(max_days=15, max_months=None, extend_days=30)


def add_months(d: date, months: int) -> date:
    """``d`` plus whole calendar months, clamped to the month's end (2024-12-31 + 2 → 2025-02-28)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last_day))


def _roll_to_workday(d: date, cal: WorkCalendar | None) -> date:
    # A legal period whose last day is a holiday ends on the next working day
    # (公安机关办理行政案件程序规定, 期间的计算), so the limit moves forward, never back.
    if cal is None:
        return d
    start = d
    try:
        while not cal.is_workday(d):
            d += timedelta(days=1)
    except OverflowError:
        from models.workdays import WorkdayRangeError, format_cn_date

        raise WorkdayRangeError(f"日期{format_cn_date(start)}之后已超出日历范围，无法计算期限。") from None
    return d


def serve_due(inspection_end: date, cal: WorkCalendar) -> date:
    """Last day to serve the notice: three working days after the inspection ended."""
    return cal.add_workdays(inspection_end, SERVE_WORKDAYS)


def max_rectify_deadline(served: date, rule: RectifyRule = DEFAULT_RECTIFY_RULE,
                         cal: WorkCalendar | None = None) -> date:
    """The latest deadline ``rule`` allows for a notice served on ``served``.

    With ``cal`` given, a limit that falls on a holiday or weekend moves to the next
    working day, as legal periods do; without it the plain calendar limit is returned.
    """
    candidates = []
    if rule.max_days is not None:
        candidates.append(served + timedelta(days=rule.max_days))
    if rule.max_months is not None:
        candidates.append(add_months(served, rule.max_months))
    if not candidates:
        raise ValueError("整改期限规则既没有最长天数也没有最长月数")
    return _roll_to_workday(min(candidates), cal)


def check_rectify_deadline(served: date, deadline: date, rule: RectifyRule = DEFAULT_RECTIFY_RULE,
                           cal: WorkCalendar | None = None) -> str | None:
    """A Chinese problem with ``deadline`` for a notice served on ``served``, or None when it is lawful."""
    if deadline <= served:
        return (f"整改期限（{format_cn_date(deadline)}）应当晚于送达日期"
                f"（{format_cn_date(served)}）")
    latest = max_rectify_deadline(served, rule, cal)
    if deadline > latest:
        return (f"整改期限（{format_cn_date(deadline)}）超过了最长期限："
                f"自送达之日起不得超过{rule.describe()}，即最晚{format_cn_date(latest)}")
    return None


def max_extended_deadline(served: date, rule: RectifyRule,
                          cal: WorkCalendar | None = None) -> date | None:
    """The latest deadline after an extension, or None when ``rule`` allows no extension."""
    if rule.extend_days is None:
        return None
    return _roll_to_workday(served + timedelta(days=rule.extend_days), cal)


def check_extension(served: date, new_deadline: date, rule: RectifyRule, *,
                    current_deadline: date | None = None, extensions_used: int = 0,
                    cal: WorkCalendar | None = None) -> str | None:
    """A Chinese problem with extending the deadline to ``new_deadline``, or None when allowed.

    ``current_deadline`` is the deadline being extended and ``extensions_used`` how
    many extensions the notice already had; both are optional so a form can check
    the new date alone.
    """
    latest = max_extended_deadline(served, rule, cal)
    if latest is None:
        return "该整改期限规则不允许延长整改期限"
    if rule.extend_once and extensions_used >= 1:
        return "整改期限只能延长一次，该通知书已经延长过"
    if current_deadline is not None and new_deadline <= current_deadline:
        return (f"延长后的整改期限（{format_cn_date(new_deadline)}）应当晚于原整改期限"
                f"（{format_cn_date(current_deadline)}）")
    if new_deadline <= served:
        return (f"延长后的整改期限（{format_cn_date(new_deadline)}）应当晚于送达日期"
                f"（{format_cn_date(served)}）")
    if new_deadline > latest:
        return (f"延长后的整改期限（{format_cn_date(new_deadline)}）超过了最长期限："
                f"自送达之日起不得超过{rule.extend_days}日，即最晚{format_cn_date(latest)}")
    return None


def reinspect_trigger(deadline: date, reported: date | None) -> date:
    """The day re-inspection becomes due: the deadline, or the unit's earlier report of completion."""
    if reported is None:
        return deadline
    return min(deadline, reported)


def reinspect_due(deadline_or_report: date, cal: WorkCalendar) -> date:
    """Last day to re-inspect: five working days after the trigger day (see :func:`reinspect_trigger`)."""
    return cal.add_workdays(deadline_or_report, REINSPECT_WORKDAYS)


class Status(str, Enum):
    """待办状态 — where a rectification notice stands in its life."""

    TO_SERVE = "待送达"
    SERVE_OVERDUE = "送达逾期"
    RECTIFYING = "整改期内"
    DEADLINE_SOON = "整改即将到期"
    TO_REINSPECT = "待复查"
    REINSPECT_OVERDUE = "复查逾期"
    UNRECTIFIED = "复查未整改"       # the 复查 found the hazards still there: next steps (models.enforcement)
    DONE = "已完结"


@dataclass(frozen=True)
class TodoState:
    """The to-do state of one notice: what is due next, by when, and whether it is late (shown red)."""

    status: Status
    due: date | None
    overdue: bool
    label: str


def _late_by(today: date, due: date) -> str:
    return f"已逾期{(today - due).days}天"


def todo_state(today: date, cal: WorkCalendar, *, inspection_end: date,
               served: date | None = None, deadline: date | None = None,
               reported: date | None = None, reinspected: date | None = None,
               soon_days: int = SOON_DAYS) -> TodoState:
    """The to-do state on ``today`` of a notice with the given dates (None = not happened yet).

    The deadline day itself still belongs to the rectification period ("于…前整改完毕"),
    so re-inspection becomes due the day after it, or at once when the unit reports
    completion earlier.
    """
    if reinspected is not None:
        return TodoState(Status.DONE, None, False, f"已完结：{format_cn_date(reinspected)}已复查")

    if served is None:
        due = serve_due(inspection_end, cal)
        if today > due:
            return TodoState(Status.SERVE_OVERDUE, due, True,
                             f"送达逾期：应于{format_cn_date(due)}前送达，{_late_by(today, due)}")
        return TodoState(Status.TO_SERVE, due, False, f"待送达：请于{format_cn_date(due)}前送达")

    if deadline is None:
        raise ValueError("已送达的通知书缺少整改期限")

    if reported is not None or today > deadline:
        due = reinspect_due(reinspect_trigger(deadline, reported), cal)
        if today > due:
            return TodoState(Status.REINSPECT_OVERDUE, due, True,
                             f"复查逾期：应于{format_cn_date(due)}前复查，{_late_by(today, due)}")
        reason = "单位已报告整改完毕" if reported is not None and reported <= deadline else "整改期限已届满"
        return TodoState(Status.TO_REINSPECT, due, False,
                         f"待复查：{reason}，请于{format_cn_date(due)}前复查")

    days_left = (deadline - today).days
    if days_left <= soon_days:
        when = "今天到期" if days_left == 0 else f"还剩{days_left}天"
        return TodoState(Status.DEADLINE_SOON, deadline, False,
                         f"整改即将到期：整改期限{format_cn_date(deadline)}，{when}")
    return TodoState(Status.RECTIFYING, deadline, False,
                     f"整改期内：整改期限{format_cn_date(deadline)}")
