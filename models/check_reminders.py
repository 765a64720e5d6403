"""Reminders for the to-do list (issue 18 item 6, issue 19 item 8): plan items not yet drawn and drawn objects
not yet inspected as their item's 检查时间 window closes, and complaints (举报投诉) whose reply deadline is near
or past with no reply recorded.

The window of a plan item is its 检查时间 as parsed on import (PlanItem.month_from/month_to, e.g. "5—9月"): it
closes on the last day of ``month_to`` of the plan year; an item without a parsed window closes at the end of the
plan year. A drawn object is due from DRAW_REMIND_DAYS before that day until it is inspected; once the window has
closed it stays, overdue, until the end of the following year (older plans are history, not work).

A complaint is answered once its reply is recorded (models.check_service.record_reply); until then it is listed
from SOON_DAYS before its reply deadline.
"""
from __future__ import annotations

import calendar
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.deadlines import SOON_DAYS
from models.draw_history import effective_picks
from models.inspection import Inspection
from models.plan import Plan, PlanItem
from models.roster import InspectedObject
from models.workdays import format_cn_date

__all__ = ["TO_DRAW", "TO_INSPECT", "INSPECT_OVERDUE", "TO_REPLY", "REPLY_OVERDUE", "DRAW_REMIND_DAYS", "window_end",
           "reminder_entries", "KINDS"]

TO_DRAW = "事项未抽取"
TO_INSPECT = "抽中待检查"
INSPECT_OVERDUE = "检查时间已过"
TO_REPLY = "举报投诉待答复"
REPLY_OVERDUE = "举报投诉答复逾期"
# A drawn object shows up this many days before its item's 检查时间 closes: enough to plan a visit.
DRAW_REMIND_DAYS = 14
KINDS = (TO_DRAW, TO_INSPECT, INSPECT_OVERDUE, TO_REPLY, REPLY_OVERDUE)


def window_end(year: int, month_to: int | None) -> date:
    """The last day of an item's 检查时间: the end of ``month_to`` of the plan year, else the year's end."""
    if month_to is None or not 1 <= month_to <= 12:
        return date(year, 12, 31)
    return date(year, month_to, calendar.monthrange(year, month_to)[1])


def _late(today: date, due: date) -> str:
    return f"已逾期{(today - due).days}天"


def _draw_entries(session: Session, today: date, make) -> list:
    years = session.scalars(select(Plan.year).where(Plan.year.between(today.year - 1, today.year + 1))).all()
    entries = []
    for year in years:
        picks = effective_picks(session, year, with_inspectors=False)
        if not picks:
            continue
        windows = {i: (window_end(year, m_to), f"{number} {name}", text) for i, m_to, number, name, text in
                   session.execute(select(PlanItem.id, PlanItem.month_to, PlanItem.number, PlanItem.item,
                                          PlanItem.time_text).join(Plan).where(Plan.year == year))}
        done = set(session.scalars(select(Inspection.pick_id).where(Inspection.pick_id.is_not(None))))
        for p in picks:
            end, label, text = windows[p.plan_item_id]
            if p.pick_id in done or (end - today).days > DRAW_REMIND_DAYS:
                continue
            late = today > end
            when = f"检查时间（{text}）" if text else "检查时间（未规定，按计划年度）"
            head = f"抽取记录 {p.draw_id}，事项 {label}：{when}"
            label_text = (f"{head}已于{format_cn_date(end)}结束，{_late(today, end)}，尚未录入检查结果" if late
                          else f"{head}至{format_cn_date(end)}，尚未录入检查结果")
            entries.append(make(INSPECT_OVERDUE if late else TO_INSPECT, label_text, end, late, p.object_name,
                                None, p.pick_id))
    return entries


def _undrawn_entries(session: Session, today: date, make) -> list:
    """This year's items that can be drawn (object types linked) with no draw record yet, from
    DRAW_REMIND_DAYS before their 检查时间 closes to the end of the year (then they are history)."""
    from models.draw import DrawRecord
    from models.plan import plan_item_types

    drawn = set(session.scalars(select(DrawRecord.plan_item_id)))
    linked = set(session.scalars(select(plan_item_types.c.item_id)))
    rows = session.execute(select(PlanItem.id, PlanItem.month_to, PlanItem.number, PlanItem.item, PlanItem.time_text)
                           .join(Plan).where(Plan.year == today.year).order_by(PlanItem.id))
    entries = []
    for item_id, m_to, number, name, text in rows:
        end = window_end(today.year, m_to)
        if item_id in drawn or item_id not in linked or (end - today).days > DRAW_REMIND_DAYS:
            continue
        late = today > end
        when = f"检查时间（{text}）" if text else "检查时间（未规定，按计划年度）"
        label = (f"抽查事项 {number} {name}：{when}已于{format_cn_date(end)}结束，{_late(today, end)}，尚未抽取" if late
                 else f"抽查事项 {number} {name}：{when}至{format_cn_date(end)}，尚未抽取")
        entries.append(make(TO_DRAW, label, end, late, "", None, None))
    return entries


def _complaint_entries(session: Session, today: date, soon_days: int, make) -> list:
    from models.check_list import replies
    from models.check_service import COMPLAINT_SOURCE

    rows = session.execute(
        select(Inspection.id, Inspection.source_ref, Inspection.source_date, Inspection.reply_due,
               InspectedObject.name).join(InspectedObject, InspectedObject.id == Inspection.object_id)
        .where(Inspection.source == COMPLAINT_SOURCE, Inspection.reply_due.is_not(None),
               Inspection.reply_due <= date.fromordinal(today.toordinal() + soon_days)))
    answered = replies(session)
    entries = []
    for iid, ref, received, due, name in rows:
        if iid in answered:
            continue
        late = today > due
        head = f"举报投诉 {ref}" + (f"（{format_cn_date(received)}受理）" if received else "")
        label = (f"{head}：答复期限{format_cn_date(due)}，{_late(today, due)}，尚未登记答复" if late
                 else f"{head}：请于{format_cn_date(due)}前答复举报人")
        entries.append(make(REPLY_OVERDUE if late else TO_REPLY, label, due, late, name, iid, None))
    return entries


def reminder_entries(session: Session, today: date, soon_days: int = SOON_DAYS, *, make) -> list:
    """The reminders due on ``today``; ``make(kind, label, due, overdue, unit, inspection_id, pick_id)`` builds
    each line (models.todo passes its TodoEntry maker, so this module needs nothing of it)."""
    return (_undrawn_entries(session, today, make) + _draw_entries(session, today, make)
            + _complaint_entries(session, today, soon_days, make))
