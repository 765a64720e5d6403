"""The history of draws: which records and picks still count, derived from the locked records alone.

Records are never changed. A record is 已被重抽替代 when a later ``redraw`` record points
to it (or to the record it is a substitute within); single objects are replaced by
``substitute`` records that name the replaced object.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_engine import DrawError
from models.draw_record import record_hash
from models.plan import Plan, PlanItem
from models.roster import InspectedObject, Inspector

KIND_DRAW, KIND_REDRAW, KIND_SUBSTITUTE = "draw", "redraw", "substitute"
KIND_LABELS = {KIND_DRAW: "抽取", KIND_REDRAW: "重抽", KIND_SUBSTITUTE: "替补"}
STATUS_VALID = "有效"
STATUS_REDRAWN = "已被重抽替代"
STATUS_PARTIAL = "部分替代"
STATUS_ALL_SUBSTITUTED = "已全部替代"


@dataclass
class _Link:
    id: int
    kind: str
    replaces_id: int | None
    replaced_object_id: int | None


class DrawGraph:
    """How records point at each other; answers "does this record still count" without touching the rows."""

    def __init__(self, links: list[_Link]) -> None:
        self.links = {link.id: link for link in links}
        self.redrawn_by: dict[int, int] = {}
        self.substituted: dict[int, dict[int, int]] = {}  # record -> {replaced object: substitute record}
        for link in sorted(links, key=lambda x: x.id):
            if link.replaces_id is None:
                continue
            if link.kind == KIND_REDRAW:
                self.redrawn_by.setdefault(link.replaces_id, link.id)
            elif link.kind == KIND_SUBSTITUTE and link.replaced_object_id is not None:
                self.substituted.setdefault(link.replaces_id, {}).setdefault(link.replaced_object_id, link.id)

    @classmethod
    def load(cls, session: Session) -> DrawGraph:
        rows = session.execute(select(DrawRecord.id, DrawRecord.kind, DrawRecord.replaces_id,
                                      DrawRecord.replaced_object_id))
        return cls([_Link(*r) for r in rows])

    def effective(self, record_id: int, ignore: set[int] = frozenset()) -> bool:
        """Not re-drawn (nor ignored) and, for a substitute, its parent record still counts."""
        seen = set()
        current = record_id
        while current is not None and current not in seen:
            seen.add(current)
            if current in self.redrawn_by or current in ignore:
                return False
            link = self.links.get(current)
            if link is None or link.kind != KIND_SUBSTITUTE:
                return True
            current = link.replaces_id
        return True

    def descendants(self, record_id: int) -> set[int]:
        """The record and every substitute made within it (recursively)."""
        result = {record_id}
        frontier = [record_id]
        while frontier:
            parent = frontier.pop()
            for sub in self.substituted.get(parent, {}).values():
                if sub not in result:
                    result.add(sub)
                    frontier.append(sub)
        return result

    def status(self, record_id: int, picked_objects: set[int]) -> str:
        if not self.effective(record_id):
            return STATUS_REDRAWN
        replaced = set(self.substituted.get(record_id, {})) & picked_objects
        if not replaced:
            return STATUS_VALID
        return STATUS_ALL_SUBSTITUTED if replaced == picked_objects else STATUS_PARTIAL


@dataclass
class EffectivePick:
    """A drawn object that counts: from a record not re-drawn, and not replaced by a substitute."""

    draw_id: int
    pick_id: int
    plan_item_id: int
    item_number: str
    round: int
    order: int
    stratum: str
    object_id: int
    object_name: str
    credit_code: str
    drawn_at: datetime
    inspectors: list[tuple[int, str, str]] = field(default_factory=list)  # (id, name, unit) in slot order


@dataclass
class DrawSummary:
    """One line of the draw history."""

    id: int
    time: datetime
    year: int
    plan_item_id: int
    item_number: str
    item_name: str
    round: int
    kind: str
    kind_label: str
    picks: int
    status: str
    replaces_id: int | None
    replaced_object_id: int | None
    reason: str
    fingerprint: str
    operator: str


def _picked_objects(session: Session, record_ids: list[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {rid: set() for rid in record_ids}
    if record_ids:
        for draw_id, object_id in session.execute(
                select(DrawPick.draw_id, DrawPick.object_id).where(DrawPick.draw_id.in_(record_ids))):
            result[draw_id].add(object_id)
    return result


def record_status(session: Session, record_id: int) -> str:
    """有效 / 部分替代 / 已全部替代 / 已被重抽替代 for one record."""
    if session.get(DrawRecord, record_id) is None:
        raise DrawError(f"没有编号为 {record_id} 的抽取记录")
    graph = DrawGraph.load(session)
    return graph.status(record_id, _picked_objects(session, [record_id])[record_id])


def list_draws(session: Session, year: int | None = None) -> list[DrawSummary]:
    """Every draw record (newest last), each with its derived status."""
    query = (select(DrawRecord, PlanItem.number, PlanItem.item, Plan.year)
             .join(PlanItem, PlanItem.id == DrawRecord.plan_item_id).join(Plan, Plan.id == PlanItem.plan_id)
             .order_by(DrawRecord.id))
    if year is not None:
        query = query.where(Plan.year == year)
    rows = session.execute(query).all()
    graph = DrawGraph.load(session)
    picked = _picked_objects(session, [r[0].id for r in rows])
    return [DrawSummary(
        id=rec.id, time=rec.created_at, year=y, plan_item_id=rec.plan_item_id, item_number=number,
        item_name=name, round=rec.round, kind=rec.kind, kind_label=KIND_LABELS.get(rec.kind, rec.kind),
        picks=len(picked[rec.id]), status=graph.status(rec.id, picked[rec.id]), replaces_id=rec.replaces_id,
        replaced_object_id=rec.replaced_object_id, reason=rec.reason, fingerprint=rec.fingerprint,
        operator=rec.operator,
    ) for rec, number, name, y in rows]


def load_record(session: Session, record_id: int) -> dict:
    """The canonical record dict of a saved draw, after checking it still hashes to the stored record_hash."""
    rec = session.get(DrawRecord, record_id)
    if rec is None:
        raise DrawError(f"没有编号为 {record_id} 的抽取记录")
    try:
        record = json.loads(rec.record_json)
    except (ValueError, RecursionError) as e:  # RecursionError: nested past any real record
        raise DrawError(f"抽取记录 {record_id} 的内容已损坏，无法读取（{e}）") from e
    if record_hash(record) != rec.record_hash:
        raise DrawError(f"抽取记录 {record_id} 的内容与保存时的哈希值不符，记录可能被篡改")
    return record


def picks_in_round(session: Session, item_id: int, round_: int) -> set[int]:
    """Every object any record ever drew for this item and round, replaced or not."""
    rows = session.execute(select(DrawPick.object_id).join(DrawRecord)
                           .where(DrawRecord.plan_item_id == item_id, DrawRecord.round == round_))
    return {oid for (oid,) in rows}


def effective_picks(session: Session, year: int, item_id: int | None = None, *,
                    ignore_records: set[int] = frozenset(), with_inspectors: bool = True) -> list[EffectivePick]:
    """The picks that count for a year (optionally one item), in record and pick order.

    ``ignore_records`` treats those records (and their substitutes) as replaced — what a
    re-draw of them would leave.
    """
    graph = DrawGraph.load(session)
    query = (select(DrawPick.id, DrawPick.draw_id, DrawPick.order, DrawPick.stratum, DrawPick.object_id,
                    DrawRecord.plan_item_id, DrawRecord.round, DrawRecord.created_at, PlanItem.number,
                    InspectedObject.name, func.coalesce(InspectedObject.credit_code, "").label("credit_code"))
             .join(DrawRecord, DrawRecord.id == DrawPick.draw_id)
             .join(PlanItem, PlanItem.id == DrawRecord.plan_item_id).join(Plan, Plan.id == PlanItem.plan_id)
             .join(InspectedObject, InspectedObject.id == DrawPick.object_id)
             .where(Plan.year == year).order_by(DrawRecord.id, DrawPick.order))
    if item_id is not None:
        query = query.where(DrawRecord.plan_item_id == item_id)
    ignored: set[int] = set()
    for rid in ignore_records:
        ignored |= graph.descendants(rid)
    result = []
    for pid, did, order, stratum, oid, iid, rnd, at, number, name, code in session.execute(query):
        if not graph.effective(did, ignored) or oid in graph.substituted.get(did, {}):
            continue
        result.append(EffectivePick(did, pid, iid, number, rnd, order, stratum, oid, name, code, at))
    if with_inspectors and result:
        by_pick = {p.pick_id: p for p in result}
        ids = list(by_pick)
        for start in range(0, len(ids), 900):  # SQLite caps bound parameters
            chunk = ids[start:start + 900]
            rows = session.execute(
                select(DrawAssignment.pick_id, Inspector.id, Inspector.name, Inspector.unit)
                .join(Inspector, Inspector.id == DrawAssignment.inspector_id)
                .where(DrawAssignment.pick_id.in_(chunk)).order_by(DrawAssignment.pick_id, DrawAssignment.slot))
            for pick_id, iid, name, unit in rows:
                by_pick[pick_id].inspectors.append((iid, name, unit))
    return result
