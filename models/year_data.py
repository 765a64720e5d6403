"""One year's draws, inspections and notices, loaded in a few bulk queries for the publicity tables and the statistics.

Only facts are gathered here; what is published (and what never is: phone numbers,
ID numbers, 警号) is decided by the callers. Rectification is judged on a given day
(``as_of``) so an export of the past can be reproduced.
"""
from __future__ import annotations

import json

from models.errors import UserError
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import settings as app_settings
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_announcement import announcement_number
from models.draw_audit import audit_head, require_consistent
from models.event_draw import beside_event, draw_event_details
from models.draw_history import KIND_REDRAW, KIND_SUBSTITUTE, DrawGraph, effective_picks
from models.inspection import Hazard, Inspection, InspectionInspector, RectificationNotice, Reinspection
from models.plan import Plan, PlanItem
from models.plan_service import PlanError
from models.identifiers import public_name
from models.roster import ID_KIND_CREDIT, InspectedObject
from models.seal import AnnouncementVoid, DrawAnnouncement

# 整改情况 as published; "—" when nothing had to be rectified.
RECT_DONE, RECT_ONGOING, RECT_OVERDUE, RECT_NONE = "已整改", "整改中", "逾期未整改", "—"
# What the publicity table says of a drawn object whose inspection is not recorded yet.
NOT_INSPECTED = "待检查"
ANN_OPEN, ANN_DRAWN, ANN_VOID = "待抽取", "已抽取", "作废"
_CHUNK = 900  # SQLite caps bound parameters per statement


class YearDataError(UserError, ValueError):
    """A year or record that cannot be published (message in Chinese)."""


@dataclass
class NoticeFacts:
    """The valid (not voided) rectification notice of an inspection and how it ended."""

    id: int
    doc_number: str
    deadline: date                 # the deadline in force (extended when it was)
    completion_reported: date | None
    rectified_on: date | None      # the first 复查 found 已整改
    failed_before: bool            # a 复查 found 未整改 before that


@dataclass
class InspectionFacts:
    id: int
    date_from: date
    date_to: date
    category: str
    subkind: str
    method: str
    executing_unit: str
    finished: bool
    hazards: int = 0
    inspector_ids: list[int] = field(default_factory=list)
    notice: NoticeFacts | None = None


@dataclass
class PickFacts:
    """A drawn object that counts (not re-drawn, not substituted), with its inspection if recorded."""

    pick_id: int
    draw_id: int
    plan_item_id: int
    object_id: int
    object_name: str
    credit_code: str
    drawn_at: datetime
    assigned_ids: list[int] = field(default_factory=list)
    inspection: InspectionFacts | None = None
    # 证件类型 (issue 19 item 6): public outputs mask a person's name and number (models/identifiers.py)
    id_kind: str = ID_KIND_CREDIT
    id_country: str = ""
    event: str = ""  # a per-event pick's event ("名称，日期，地点", models.event_draw), published beside the organiser


@dataclass
class RecordFacts:
    """One draw record (抽取记录) of the year, replaced or not."""

    id: int
    plan_item_id: int
    round: int
    kind: str
    replaces_id: int | None
    replaced_object_name: str
    reason: str
    created_at: datetime
    fingerprint: str
    effective: bool
    redrawn_by: int | None = None
    substitutes: list[int] = field(default_factory=list)   # records that replaced single objects of this one
    object_names: list[str] = field(default_factory=list)  # every object the record drew, in order
    record_hash: str = ""                                  # SHA-256 of the record file (sha256sum 记录.json)
    announcement: str = ""                                 # the 抽取公告 it was drawn against, e.g. 2024-002
    partner_gap_reason: str = ""                           # sealed reason a 部门联合 item went short of partners

    @property
    def label(self) -> str:
        """How a reader finds the record: its number and the start of its fingerprint."""
        return record_label(self.id, self.fingerprint)


@dataclass
class AnnouncementFacts:
    """One 抽取公告 of the year: drawn, open or voided — listed for ever, never dropped."""

    id: int
    label: str
    plan_item_id: int
    round: int
    jurisdiction: str
    kind: str
    sealed_at: datetime
    commitment: str
    draw_id: int | None
    void_reason: str | None

    @property
    def status(self) -> str:
        if self.draw_id is not None:
            return ANN_DRAWN
        return ANN_VOID if self.void_reason is not None else ANN_OPEN


@dataclass
class ItemFacts:
    id: int
    number: str
    item: str
    responsible_unit: str
    subject: str
    methods: list[str]


@dataclass
class YearData:
    year: int
    bureau: str
    items: dict[int, ItemFacts]
    records: dict[int, RecordFacts]
    picks: list[PickFacts]
    announcements: list[AnnouncementFacts] = field(default_factory=list)
    audit_head: dict = field(default_factory=dict)  # {"id", "hash"} of the newest audit entry when loaded


def record_label(record_id: int, fingerprint: str) -> str:
    return f"#{record_id}（{(fingerprint or '')[:8]}）"


def bureau_of(session: Session, plan: Plan | None) -> str:
    """The 单位名称 setting, else the bureau written on the plan ("" when neither is known)."""
    name = (app_settings.get(session, "bureau_name") or "").strip()
    if not name and plan is not None:
        name = (plan.bureau or "").strip()
    return name


def rectification_status(insp: InspectionFacts | None, as_of: date) -> str:
    """整改情况 of an inspection on ``as_of``: 已整改 / 整改中 / 逾期未整改, or "—" without hazards."""
    if insp is None or insp.hazards == 0:
        return RECT_NONE
    notice = insp.notice
    if notice is None:
        # Hazards found but no notice yet: finished means they were put right on the spot.
        return RECT_DONE if insp.finished else RECT_ONGOING
    if notice.rectified_on is not None:
        return RECT_DONE
    return RECT_OVERDUE if as_of > notice.deadline else RECT_ONGOING


def rectified_in_time(notice: NoticeFacts) -> bool | None:
    """True rectified on time, False rectified late, None not rectified yet.

    Late means a 复查 found the hazards still there, or the unit reported completion
    after the deadline; the 复查 itself comes after the deadline and does not count.
    """
    if notice.rectified_on is None:
        return None
    late = notice.failed_before or (notice.completion_reported is not None
                                    and notice.completion_reported > notice.deadline)
    return not late


def _chunks(ids: list[int]):
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _records(session: Session, year: int, graph: DrawGraph) -> dict[int, RecordFacts]:
    rows = session.execute(
        select(DrawRecord.id, DrawRecord.plan_item_id, DrawRecord.round, DrawRecord.kind, DrawRecord.replaces_id,
               DrawRecord.replaced_object_id, DrawRecord.reason, DrawRecord.created_at, DrawRecord.fingerprint,
               DrawRecord.record_hash)
        .join(PlanItem, PlanItem.id == DrawRecord.plan_item_id).join(Plan, Plan.id == PlanItem.plan_id)
        .where(Plan.year == year).order_by(DrawRecord.id)).all()
    replaced_ids = {r.replaced_object_id for r in rows if r.replaced_object_id is not None}
    names = {oid: public_name(kind, name) for oid, name, kind in session.execute(
        select(InspectedObject.id, InspectedObject.name, InspectedObject.id_kind)
        .where(InspectedObject.id.in_(replaced_ids)))} if replaced_ids else {}
    records = {rid: RecordFacts(rid, item_id, rnd, kind, rep, names.get(rep_obj, ""), reason or "", at, fp,
                                graph.effective(rid), graph.redrawn_by.get(rid),
                                sorted(graph.substituted.get(rid, {}).values()), record_hash=digest)
               for rid, item_id, rnd, kind, rep, rep_obj, reason, at, fp, digest in rows}
    ids = list(records)
    events = draw_event_details(session, ids)  # a per-event pick names its event beside the organiser
    for chunk in _chunks(ids):
        for draw_id, pick_id, name, kind in session.execute(
                select(DrawPick.draw_id, DrawPick.id, InspectedObject.name, InspectedObject.id_kind)
                .join(InspectedObject, InspectedObject.id == DrawPick.object_id)
                .where(DrawPick.draw_id.in_(chunk)).order_by(DrawPick.draw_id, DrawPick.order)):
            # published: a person as 张*
            records[draw_id].object_names.append(beside_event(public_name(kind, name), events.get(pick_id, "")))
    return records


def _announcements(session: Session, year: int, records: dict[int, RecordFacts]) -> list[AnnouncementFacts]:
    """Every announcement sealed for the year's plan, with the record drawn against it or its void reason."""
    drawn = dict(session.execute(select(DrawRecord.announcement_id, DrawRecord.id)
                                 .where(DrawRecord.announcement_id.is_not(None))).all())
    voids = dict(session.execute(select(AnnouncementVoid.announcement_id, AnnouncementVoid.reason)).all())
    result = []
    for aid, y, number, item_id, rnd, where, kind, at, digest, params in session.execute(
            select(DrawAnnouncement.id, DrawAnnouncement.year, DrawAnnouncement.number, DrawAnnouncement.plan_item_id,
                   DrawAnnouncement.round, DrawAnnouncement.jurisdiction, DrawAnnouncement.kind,
                   DrawAnnouncement.sealed_at, DrawAnnouncement.commitment, DrawAnnouncement.params_json)
            .join(PlanItem, PlanItem.id == DrawAnnouncement.plan_item_id).join(Plan, Plan.id == PlanItem.plan_id)
            .where(Plan.year == year).order_by(DrawAnnouncement.year, DrawAnnouncement.number)):
        label = announcement_number(y, number)
        facts = AnnouncementFacts(aid, label, item_id, rnd, where or "", kind, at, digest, drawn.get(aid),
                                  voids.get(aid))
        if facts.draw_id in records:
            records[facts.draw_id].announcement = label
            if params and '"partner_gap_reason"' in params:  # the same value the announcement sealed
                records[facts.draw_id].partner_gap_reason = json.loads(params).get("partner_gap_reason") or ""
        result.append(facts)
    return result


def _notices(session: Session, inspection_ids: list[int]) -> dict[int, NoticeFacts]:
    result: dict[int, NoticeFacts] = {}
    for chunk in _chunks(inspection_ids):
        rows = session.execute(
            select(RectificationNotice.id, RectificationNotice.inspection_id, RectificationNotice.doc_number,
                   RectificationNotice.deadline, RectificationNotice.extended_deadline,
                   RectificationNotice.completion_reported)
            .where(RectificationNotice.inspection_id.in_(chunk), RectificationNotice.voided.is_(False))
            .order_by(RectificationNotice.id)).all()
        by_id = {}
        chains: dict[int, list[NoticeFacts]] = {}
        for nid, insp_id, number, deadline, extended, reported in rows:
            facts = NoticeFacts(nid, number, extended or deadline, reported, None, False)
            result[insp_id] = facts  # the latest valid notice wins (a reissue voids the older one)
            by_id[nid] = facts
            chains.setdefault(insp_id, []).append(facts)
        if not by_id:
            continue
        for nid, day, outcome in session.execute(
                select(Reinspection.notice_id, Reinspection.date, Reinspection.result)
                .where(Reinspection.notice_id.in_(list(by_id))).order_by(Reinspection.date, Reinspection.id)):
            facts = by_id[nid]
            if facts.rectified_on is not None:
                continue
            if outcome == "已整改":
                facts.rectified_on = day
            else:
                facts.failed_before = True
        # A 再次责令限期整改 notice follows one whose 复查 failed (models.enforcement): even rectified in its own
        # time, the hazard was not put right by the first deadline.
        for chain in chains.values():
            if any(f.failed_before for f in chain[:-1]):
                chain[-1].failed_before = True
    return result


def _inspections(session: Session, pick_ids: list[int]) -> dict[int, InspectionFacts]:
    by_pick: dict[int, InspectionFacts] = {}
    for chunk in _chunks(pick_ids):
        for row in session.execute(
                select(Inspection.pick_id, Inspection.id, Inspection.date_from, Inspection.date_to,
                       Inspection.result_category, Inspection.result_subkind, Inspection.method,
                       Inspection.executing_unit, Inspection.finished)
                .where(Inspection.pick_id.in_(chunk))):
            by_pick[row.pick_id] = InspectionFacts(*row[1:])
    by_id = {f.id: f for f in by_pick.values()}
    ids = list(by_id)
    for chunk in _chunks(ids):
        for insp_id, n in session.execute(select(Hazard.inspection_id, func.count(Hazard.id))
                                          .where(Hazard.inspection_id.in_(chunk)).group_by(Hazard.inspection_id)):
            by_id[insp_id].hazards = n
        for insp_id, inspector_id in session.execute(
                select(InspectionInspector.inspection_id, InspectionInspector.inspector_id)
                .where(InspectionInspector.inspection_id.in_(chunk)).order_by(InspectionInspector.id)):
            by_id[insp_id].inspector_ids.append(inspector_id)
    for insp_id, notice in _notices(session, ids).items():
        by_id[insp_id].notice = notice
    return by_pick


def load_year(session: Session, year: int, *, record_id: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> YearData:
    """The year's items, draw records and effective picks with their inspections.

    With ``record_id`` only that task is kept: the record and the substitutes made within
    it. A record replaced by a re-draw cannot be published as a task (its picks no longer
    count); the message names the record that replaced it.
    """
    plan = session.execute(select(Plan).where(Plan.year == year)).scalar_one_or_none()
    if plan is None:
        raise PlanError(f"没有{year}年度的抽查计划。")
    steps = 4
    if progress:
        progress(0, steps)
    items = {it.id: ItemFacts(it.id, it.number, it.item, it.responsible_unit or "", it.subject or "",
                              list(it.methods or [])) for it in plan.items}
    graph = DrawGraph.load(session)
    records = _records(session, year, graph)
    if progress:
        progress(1, steps)
    effective = effective_picks(session, year, with_inspectors=False)
    if record_id is not None:
        if record_id not in records:
            raise YearDataError(f"{year}年度没有编号为 {record_id} 的抽取记录")
        if not records[record_id].effective:
            newer = graph.redrawn_by.get(record_id)
            hint = f"，请导出重抽后的记录 #{newer}" if newer else ""
            raise YearDataError(f"抽取记录 #{record_id} 已被重抽替代{hint}")
        family = graph.descendants(record_id)
        effective = [p for p in effective if p.draw_id in family]
        records = {rid: rec for rid, rec in records.items() if rid in family}
    # The picks and inspectors below come from the tables: refuse unless they are what the locked records say.
    require_consistent(session, list(records), purpose=f"公示或统计{year}年度的抽查结果")
    announcements = _announcements(session, year, records)
    if record_id is not None:
        announcements = [a for a in announcements if a.draw_id in records]
    persons = {oid: (kind, country) for oid, kind, country in session.execute(
        select(InspectedObject.id, InspectedObject.id_kind, InspectedObject.id_country)
        .where(InspectedObject.id_kind != ID_KIND_CREDIT))}
    picks = [PickFacts(p.pick_id, p.draw_id, p.plan_item_id, p.object_id, p.object_name, p.credit_code or "",
                       p.drawn_at, [], None, *persons.get(p.object_id, (ID_KIND_CREDIT, "")))
             for p in effective]
    by_pick = {p.pick_id: p for p in picks}
    for pick_id, detail in draw_event_details(session, {p.draw_id for p in picks}).items():
        if pick_id in by_pick:
            by_pick[pick_id].event = detail
    for chunk in _chunks(list(by_pick)):
        for pick_id, inspector_id in session.execute(
                select(DrawAssignment.pick_id, DrawAssignment.inspector_id)
                .where(DrawAssignment.pick_id.in_(chunk)).order_by(DrawAssignment.pick_id, DrawAssignment.slot)):
            by_pick[pick_id].assigned_ids.append(inspector_id)
    if progress:
        progress(2, steps)
    for pick_id, facts in _inspections(session, list(by_pick)).items():
        by_pick[pick_id].inspection = facts
    if progress:
        progress(3, steps)
    data = YearData(year, bureau_of(session, plan), items, records, picks, announcements, audit_head(session))
    if progress:
        progress(steps, steps)
    return data


def replacement_note(rec: RecordFacts) -> str:
    """备注 for rows drawn by a re-draw or a substitute: what it replaced and why."""
    if rec.replaces_id is None:
        return ""
    reason = rec.reason.strip() or "未注明"
    if rec.kind == KIND_REDRAW:
        return f"原抽取记录 #{rec.replaces_id} 已重抽，原因：{reason}"
    if rec.kind == KIND_SUBSTITUTE:
        who = f"中的“{rec.replaced_object_name}”" if rec.replaced_object_name else "中的一个对象"
        return f"替补原抽取记录 #{rec.replaces_id}{who}，原因：{reason}"
    return ""

