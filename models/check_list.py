"""Checks that were not drawn, listed (the 检查记录 tab) and followed up: the reply to a complaint.

The reply is kept as a settings row ``complaint_reply:<inspection id>`` (see models.check_service's docstring).
"""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models.admin import Setting
from models.check_service import COMPLAINT_SOURCE, _text
from models.inspection import Hazard, Inspection, InspectionInspector
from models.inspection_service import InspectionError
from models.plan import PlanItem
from models.roster import InspectedObject, Inspector
from models.workdays import format_cn_date

__all__ = ["REPLY_KEY_PREFIX", "CheckRow", "replies", "record_reply", "list_checks", "check_years"]

REPLY_KEY_PREFIX = "complaint_reply:"


class CheckRow(NamedTuple):
    """检查记录 — one check that was not drawn, as the records list shows it."""

    inspection_id: int
    source: str
    source_ref: str
    date_to: date
    item_number: str
    object_name: str
    credit_code: str
    inspectors: str
    status: str
    hazards: int
    reply_due: date | None
    finished: bool



def _reply_key(inspection_id: int) -> str:
    return f"{REPLY_KEY_PREFIX}{inspection_id}"


def replies(session: Session, inspection_ids: list[int] | None = None) -> dict[int, date]:
    """{inspection id: the day its complainant was answered} (of ``inspection_ids``, or of every complaint)."""
    stmt = select(Setting.key, Setting.value).where(Setting.key.like(f"{REPLY_KEY_PREFIX}%"))
    if inspection_ids is not None:
        stmt = stmt.where(Setting.key.in_([_reply_key(i) for i in inspection_ids]))
    found = {}
    for key, value in session.execute(stmt):
        try:
            found[int(key[len(REPLY_KEY_PREFIX):])] = date.fromisoformat(value["date"])
        except (KeyError, TypeError, ValueError):
            continue
    return found


def record_reply(session: Session, inspection_id: int, reply_date: date, actor: str, note: str = "") -> None:
    """The complainant was answered on ``reply_date`` (kept beside the check, audited; see the module docstring)."""
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise InspectionError(f"没有编号为 {inspection_id} 的检查记录")
    if insp.source != COMPLAINT_SOURCE:
        raise InspectionError(f"检查记录 {inspection_id} 的来源是“{insp.source}”，不是举报投诉，无需答复")
    if not isinstance(reply_date, date):
        raise InspectionError("答复日期无效：请按 YYYY-MM-DD 填写")
    done = replies(session, [inspection_id])
    if done:
        raise InspectionError(f"该举报投诉已于{format_cn_date(done[inspection_id])}答复")
    if reply_date > date.today():
        raise InspectionError(f"答复日期（{format_cn_date(reply_date)}）晚于今天")
    if insp.source_date is not None and reply_date < insp.source_date:
        raise InspectionError(f"答复日期（{format_cn_date(reply_date)}）早于受理日期"
                              f"（{format_cn_date(insp.source_date)}）")
    note = _text(note)
    session.add(Setting(key=_reply_key(insp.id), value={"date": reply_date.isoformat(), "note": note,
                                                        "by": actor or ""}))
    session.flush()
    audit.append(session, user=actor, action="登记举报投诉答复", entity="inspection", entity_id=insp.id,
                 detail={"检查对象": insp.inspected_object.name, "举报投诉编号": insp.source_ref,
                         "答复日期": reply_date.isoformat(), "答复期限": insp.reply_due.isoformat()
                         if insp.reply_due else None, "说明": note})


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def list_checks(session: Session, year: int, source: str | None = None) -> list[CheckRow]:
    """The checks that were not drawn, made in ``year`` (by their end date), newest first."""
    stmt = (select(Inspection.id, Inspection.source, Inspection.source_ref, Inspection.date_to, PlanItem.number,
                   InspectedObject.name, func.coalesce(InspectedObject.credit_code, "").label("credit_code"),
                   Inspection.result_category,
                   Inspection.reply_due, Inspection.finished)
            .join(InspectedObject, InspectedObject.id == Inspection.object_id)
            .outerjoin(PlanItem, PlanItem.id == Inspection.plan_item_id)
            .where(Inspection.pick_id.is_(None), Inspection.date_to.between(*_year_range(year)))
            .order_by(Inspection.date_to.desc(), Inspection.id.desc()))
    if source:
        stmt = stmt.where(Inspection.source == source)
    rows = session.execute(stmt).all()
    ids = [r[0] for r in rows]
    hazards: dict[int, int] = {}
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), 900):  # SQLite caps bound parameters
        chunk = ids[start:start + 900]
        hazards.update(session.execute(select(Hazard.inspection_id, func.count(Hazard.id))
                                       .where(Hazard.inspection_id.in_(chunk)).group_by(Hazard.inspection_id)).all())
        for iid, name in session.execute(
                select(InspectionInspector.inspection_id, Inspector.name)
                .join(Inspector, Inspector.id == InspectionInspector.inspector_id)
                .where(InspectionInspector.inspection_id.in_(chunk)).order_by(InspectionInspector.id)):
            names.setdefault(iid, []).append(name)
    return [CheckRow(iid, src, ref, day, number or "", name, code, "、".join(names.get(iid, [])), category,
                     hazards.get(iid, 0), due, finished)
            for iid, src, ref, day, number, name, code, category, due, finished in rows]


def check_years(session: Session) -> list[int]:
    """The years in which checks that were not drawn were made."""
    days = session.scalars(select(Inspection.date_to).where(Inspection.pick_id.is_(None)).distinct())
    return sorted({d.year for d in days})
