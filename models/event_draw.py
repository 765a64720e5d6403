"""The draw of a per-event item (按大型群众性活动实际执行): its candidates are the registered events of the period.

A per-event draw is an ordinary sealed SSJ-DRAW-2 draw (docs/draw-protocol.md §14) whose candidates are events,
not roster objects: each candidate's ``id`` is the event's register number, its ``code`` the event's canonical
identity (dates, 审批文号, the organiser's identifier), its ``name`` the event with its organiser and place, its
``risk`` the word 活动. Recusal pairs name the event whose organiser the inspector must not inspect. So the record
verifies with the same verifier, and each pick is saved against the organiser (the object inspected) and linked
to its event by draw_pick_events.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models.draw import DrawPick, DrawRecord
from models.draw_engine import ALL_STRATUM, Candidate, DrawError, InspectorCandidate, canonical_candidates
from models.draw_engine import fingerprint_canonical
from models.draw_record import prepare_canonical
from models.event import DrawPickEvent, Event
from models.identifiers import draw_code, public_name
from models.roster import InspectedObject, Inspector, Recusal

EVENT_RISK = "活动"
EXCLUDED_EVENT_DRAWN = "本事项已抽取的活动"
EXCLUDED_EVENT_OTHER_JURISDICTION = "其他辖区的活动"
EXCLUDED_EVENT_ORGANISER_INACTIVE = "举办单位已停用"


# A per-event rule ("按…实际执行") concerns registered events when the item or its rule names one; others
# (按排放偶发性强烈噪声实际执行) still draw a count of roster objects the clerk states.
_EVENT_WORDS = re.compile("活动|焰火|烟花|晚会|演唱会|演出|赛事|比赛|马拉松|展会|庙会|灯会|安保任务")


def is_event_item(item) -> bool:
    return bool(_EVENT_WORDS.search(f"{item.item or ''} {item.ratio_text or ''}"))


def event_code(date_from: date, date_to: date, approval_no: str, organiser_code: str | None) -> str:
    """The canonical identity of an event in a draw record (§14): "开始至结束｜审批文号｜举办单位证件号码"."""
    return f"{date_from.isoformat()}至{date_to.isoformat()}｜{approval_no or '无文号'}｜{organiser_code or '无:'}"


def event_label(name: str, organiser_name: str, place: str) -> str:
    """The candidate name of an event in a draw record (§14): "名称（举办单位，地点）"."""
    return f"{name}（{organiser_name}，{place}）" if place else f"{name}（{organiser_name}）"


def default_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def period_of(year: int, event_period) -> tuple[date, date]:
    """The period an event draw covers: [from, to] as given (ISO texts), else the plan year."""
    if not event_period:
        return default_period(year)
    try:
        first, last = (date.fromisoformat(str(v)) for v in event_period)
    except (TypeError, ValueError):
        raise DrawError(f"活动期间「{event_period}」无效，请写成 YYYY-MM-DD 至 YYYY-MM-DD") from None
    if last < first:
        raise DrawError(f"活动期间的结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}")
    return first, last


def drawn_events(session: Session, item_id: int) -> set[int]:
    """Events any record of this item ever drew (a per-event item covers each event once)."""
    rows = session.execute(select(DrawPickEvent.event_id).join(DrawPick, DrawPick.id == DrawPickEvent.pick_id)
                           .join(DrawRecord, DrawRecord.id == DrawPick.draw_id)
                           .where(DrawRecord.plan_item_id == item_id))
    return {eid for (eid,) in rows}


def prepare_event_draw(session: Session, item, year: int, round_: int, jurisdiction: str | None,
                       size_override: int | None, event_share: int | None, event_period,
                       responsible_units: list[str] | None, partner_units: list[str] | None, per_object: int,
                       today: date | None):
    """DrawPreparation of a per-event item: all the period's events (default), a share of them, or a count."""
    from models.draw_prepare import (
        JOINT_MODE, MIN_PER_OBJECT, DrawPreparation, _active_units, default_partner_units,
        default_responsible_units, item_rule, outside_window_note,
    )

    problems: list[str] = []
    notes: list[str] = []
    if round_ < 1:
        problems.append(f"抽查轮次「{round_}」应为正整数")
    outside = outside_window_note(year, item.month_from, item.month_to, today or date.today())
    if outside:
        notes.append(outside)
    try:
        first, last = period_of(year, event_period)
    except DrawError as e:  # a problem of this preparation, so the screen keeps the period there to correct
        problems.append(str(e))
        first, last = default_period(year)
    drawn = drawn_events(session, item.id)
    excluded: Counter[str] = Counter()
    rows = session.execute(
        select(Event.id, Event.name, Event.place, Event.date_from, Event.date_to, Event.approval_no,
               InspectedObject.id, InspectedObject.name, InspectedObject.credit_code, InspectedObject.active,
               InspectedObject.jurisdiction, InspectedObject.id_kind, InspectedObject.id_country)
        .join(InspectedObject, InspectedObject.id == Event.organiser_id)
        .where(Event.active.is_(True), Event.date_from >= first, Event.date_from <= last)).all()
    cands: list[Candidate] = []
    organisers: dict[int, int] = {}
    for eid, name, place, d1, d2, approval, oid, oname, ocode, oactive, ojuris, okind, ocountry in rows:
        if eid in drawn:
            excluded[EXCLUDED_EVENT_DRAWN] += 1
        elif jurisdiction and (ojuris or "").strip() != jurisdiction:
            excluded[EXCLUDED_EVENT_OTHER_JURISDICTION] += 1
        elif not oactive:
            excluded[EXCLUDED_EVENT_ORGANISER_INACTIVE] += 1
        else:
            # a person organising is published as the draw publishes persons (masked, §13)
            cands.append(Candidate(eid, event_label(name, public_name(okind, oname), place),
                                   event_code(d1, d2, approval, draw_code(okind, ocode, ocountry or "")), EVENT_RISK))
            organisers[eid] = oid
    period_text = f"{first.isoformat()} 至 {last.isoformat()}"
    notes.insert(0, f"本期（{period_text}）登记活动 {len(cands)} 场")
    ordered = canonical_candidates(cands)
    eligible = len(ordered)
    if not eligible:
        problems.append(f"本期（{period_text}）没有可抽取的登记活动：请先在“活动登记”中登记本期的活动")
    if size_override is not None and event_share is not None:
        problems.append("请在“抽取场数”和“抽取比例”中只填一项")
    if size_override is not None:
        if size_override < 1:
            problems.append(f"指定的抽取场数「{size_override}」应为正整数")
        elif size_override > eligible:
            notes.append(f"指定的抽取场数 {size_override} 超过本期活动数 {eligible}，按全部 {eligible} 场抽取")
        size = max(0, min(size_override, eligible))
    elif event_share is not None:
        if not 1 <= event_share <= 100:
            problems.append(f"抽取比例「{event_share}%」应在 1%～100% 之间")
            size = 0
        else:
            size = min(eligible, math.ceil(eligible * event_share / 100))
            notes.append(f"按 {event_share}% 抽取：{eligible} 场中抽取 {size} 场")
    else:
        size = eligible
    sizes = {ALL_STRATUM: size}

    units = _active_units(session)
    responsible = list(responsible_units) if responsible_units is not None else default_responsible_units(item, units)
    partners = (list(partner_units) if partner_units is not None
                else default_partner_units(item, units, responsible))
    if isinstance(per_object, bool) or not isinstance(per_object, int) or per_object < MIN_PER_OBJECT:
        problems.append(f"每场活动的检查人员不得少于 {MIN_PER_OBJECT} 人")
    if not responsible:
        problems.append(f"责任单位「{item.responsible_unit or '（空）'}」在检查人员名录中没有在岗人员，请指定责任单位")
    if (item.mode or "").strip() == JOINT_MODE and not partners:
        notes.append("部门联合抽查：名录中没有配合部门的检查人员，本次只抽取责任单位人员")
    people = [InspectorCandidate(i, n, b, u) for i, n, b, u in session.execute(
        select(Inspector.id, Inspector.name, Inspector.badge_no, Inspector.unit)
        .where(Inspector.active.is_(True), Inspector.unit.in_(set(responsible) | set(partners))))]
    per_unit = Counter(p.unit for p in people)
    n_responsible = sum(per_unit[u] for u in responsible)
    if responsible and n_responsible < per_object:
        problems.append(f"责任单位（{'、'.join(responsible)}）在岗检查人员仅 {n_responsible} 人，"
                        f"每场活动需要 {per_object} 人")
    for unit in partners:
        if not per_unit[unit]:
            problems.append(f"配合部门「{unit}」没有在岗检查人员")
    ids = {p.id for p in people}
    events_of: dict[int, list[int]] = {}
    for eid, oid in organisers.items():
        events_of.setdefault(oid, []).append(eid)
    # 回避 is about the organiser: an inspector recused from it is recused from each of its events.
    recusals = {(i, eid) for i, o in session.execute(select(Recusal.inspector_id, Recusal.object_id))
                if i in ids for eid in events_of.get(o, ())}

    setup = fp = ""
    engine_view = None
    if not problems:
        try:
            engine_view = prepare_canonical(ordered, sizes=sizes, stratify=False, inspectors=people,
                                            recusals=recusals, responsible_units=responsible,
                                            partner_units=partners, per_object=per_object)
            setup, fp = engine_view.setup_fingerprint, engine_view.fingerprint
        except DrawError as e:
            problems.append(str(e))
    if not fp:
        fp = fingerprint_canonical(ordered)
    prep = DrawPreparation(
        plan_item_id=item.id, year=year, item_number=item.number, item_name=item.item, round=round_,
        rule_text=item.ratio_text, rule_desc=item_rule(item).describe(), jurisdiction=jurisdiction,
        strata={ALL_STRATUM: ordered}, sizes=sizes, responsible_units=responsible, partner_units=partners,
        per_object=per_object, inspectors=people, recusals=recusals, fingerprint=fp, excluded=dict(excluded),
        problems=problems, notes=notes, stratify=False, bureau=item.plan.bureau, size_override=size_override,
        level=(item.level or "").strip(), setup_fingerprint=setup, engine=engine_view,
        params=dict(year=year, item_number=item.number, round=round_, jurisdiction=jurisdiction,
                    size_override=size_override, responsible_units=responsible, partner_units=partners,
                    per_object=per_object, event_share=event_share,
                    event_period=[first.isoformat(), last.isoformat()]),
    )
    prep.event_organisers = organisers
    return prep


def link_picks(session: Session, draw_id: int, record: dict) -> None:
    """Write draw_pick_events for a saved per-event record: pick (by order) → the event its candidate id names."""
    conn = session.connection()
    pick_ids = dict(conn.execute(select(DrawPick.order, DrawPick.id).where(DrawPick.draw_id == draw_id)).all())
    rows = [{"pick_id": pick_ids[p["order"]], "event_id": p["id"]} for p in record["picks"]]
    if rows:
        conn.execute(insert(DrawPickEvent.__table__), rows)


def pick_events(session: Session, pick_ids) -> dict[int, Event]:
    """The event each of these picks covers (only picks of per-event draws appear)."""
    ids = list(pick_ids)
    result: dict[int, Event] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for pid, event in session.execute(select(DrawPickEvent.pick_id, Event)
                                          .join(Event, Event.id == DrawPickEvent.event_id)
                                          .where(DrawPickEvent.pick_id.in_(chunk))):
            result[pid] = event
    return result


def event_text(event: Event) -> str:
    """"焰火晚会（2024-10-01，沂河广场）": the event beside its organiser on lists and the publicity."""
    from models.event_service import event_dates

    where = f"，{event.place}" if event.place else ""
    return f"{event.name}（{event_dates(event.date_from, event.date_to)}{where}）"


def event_detail(event: Event) -> str:
    """"焰火晚会，2024-10-01，沂河广场": name, dates and place of an event, for a bracket beside its organiser."""
    from models.event_service import event_dates

    return "，".join(t for t in (event.name, event_dates(event.date_from, event.date_to), event.place) if t)


def beside_event(name: str, detail: str) -> str:
    """"沂源县体育中心（活动：沂源半程马拉松，2022-05-08，县城环线）"; ``name`` alone when there is no event."""
    return f"{name}（活动：{detail}）" if detail else name


def pick_event_details(session: Session, pick_ids) -> dict[int, str]:
    """event_detail of each pick of a per-event draw among ``pick_ids`` (ordinary picks are absent)."""
    return {pid: event_detail(event) for pid, event in pick_events(session, pick_ids).items()}


def draw_event_details(session: Session, draw_ids) -> dict[int, str]:
    """Pick id → event_detail for every per-event pick of these draw records (one query per 900 records)."""
    ids = list(draw_ids)
    result: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        for pid, event in session.execute(select(DrawPickEvent.pick_id, Event)
                                          .join(Event, Event.id == DrawPickEvent.event_id)
                                          .join(DrawPick, DrawPick.id == DrawPickEvent.pick_id)
                                          .where(DrawPick.draw_id.in_(ids[start:start + 900]))):
            result[pid] = event_detail(event)
    return result


def record_event_names(session: Session, record_id: int) -> dict[int, str]:
    """Pick order → "举办单位（活动：名称，日期，地点）" for a per-event record, the organiser masked as the record
    writes a person (§13); {} for an ordinary record, so its documents and screens stay as they were."""
    rows = session.execute(select(DrawPick.order, InspectedObject.name, InspectedObject.id_kind, Event)
                           .join(DrawPickEvent, DrawPickEvent.pick_id == DrawPick.id)
                           .join(Event, Event.id == DrawPickEvent.event_id)
                           .join(InspectedObject, InspectedObject.id == DrawPick.object_id)
                           .where(DrawPick.draw_id == record_id))
    return {order: beside_event(public_name(kind, name), event_detail(event)) for order, name, kind, event in rows}


def record_is_per_event(session: Session, record_id: int) -> bool:
    return session.scalar(select(DrawPickEvent.pick_id).join(DrawPick, DrawPick.id == DrawPickEvent.pick_id)
                          .where(DrawPick.draw_id == record_id).limit(1)) is not None


def refuse_replacing(session: Session, record_id: int) -> None:
    """A per-event record is not redrawn or substituted (its list is the period's events, not the roster)."""
    if record_is_per_event(session, record_id):
        raise DrawError(f"抽取记录 #{record_id} 是按活动抽取的记录，不能重抽或替补：活动取消或改期时，"
                        "请在“活动登记”中停用或登记新的活动，再对本事项抽取新一轮")
