"""The draw on the database (抽取): run the engine on a prepared list and save the locked record, its picks and the audit entry at once.

Re-draws and substitutes are new records pointing at the one they replace; nothing is
ever changed. A second draw for the same item and round excludes the objects already
drawn in records that still count, so an object is never inspected twice in a round.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import insert, select

from models import audit
from models.base import now
from models.db import Database
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_engine import DrawError
from models.draw_history import (  # noqa: F401 - re-exported: the service API lives here
    KIND_DRAW, KIND_LABELS, KIND_REDRAW, KIND_SUBSTITUTE, STATUS_ALL_SUBSTITUTED, STATUS_PARTIAL, STATUS_REDRAWN,
    STATUS_VALID, DrawGraph, DrawSummary, EffectivePick, effective_picks, list_draws, load_record, record_status,
)
from models.draw_prepare import (  # noqa: F401 - re-exported
    DrawPreparation, candidate_list_rows, prepare_draw,
)
from models.draw_record import record_to_json, run_draw
from models.roster import InspectedObject

AUDIT_ACTIONS = {KIND_DRAW: "抽取检查对象", KIND_REDRAW: "重新抽取", KIND_SUBSTITUTE: "替补抽取"}


@dataclass
class SavedDraw:
    """A draw just saved: its record id and the canonical record (what verify-draw checks)."""

    id: int
    kind: str
    record: dict
    record_hash: str

    @property
    def seed(self) -> str:
        return self.record["seed"]

    @property
    def picks(self) -> list[dict]:
        return self.record["picks"]

    @property
    def assignments(self) -> list[dict]:
        return self.record["assignments"]


def _clean_list(values, what: str) -> list[str]:
    cleaned = [v.strip() for v in (values or []) if isinstance(v, str) and v.strip()]
    if not cleaned:
        raise DrawError(f"请至少填写一名{what}")
    return cleaned


def _meta(prep: DrawPreparation, *, time, place, operator, witnesses, kind, replaces_id, replaces_hash,
          replaced_object, reason) -> dict:
    return {
        "year": prep.year, "bureau": prep.bureau, "item_number": prep.item_number, "item_name": prep.item_name,
        "rule_text": prep.rule_text, "rule_desc": prep.rule_desc, "round": prep.round,
        "jurisdiction": prep.jurisdiction, "size_override": prep.size_override, "excluded": prep.excluded,
        "time": time.isoformat(), "place": place, "operator": operator, "witnesses": witnesses,
        "kind": kind, "replaces_id": replaces_id, "replaces_record_hash": replaces_hash,
        "replaced_object": replaced_object, "reason": reason,
    }


def execute_draw(db: Database, prep: DrawPreparation, *, entropy: list[str], witnesses: list[str], place: str,
                 operator: str, replaces_id: int | None = None, reason: str = "", kind: str = KIND_DRAW,
                 replaced_object_id: int | None = None, clock: Callable[[], datetime] = now) -> SavedDraw:
    """Draw objects and inspectors from the prepared list and save everything in one transaction.

    ``clock`` gives the record's time; the screens and commands never pass it (a draw is
    stamped with the real time); the demo data uses it to place its draw weeks back.

    The list is prepared again inside the transaction; if its fingerprint changed (roster
    edited, or another draw of the same round saved meanwhile) nothing is drawn. Any
    DrawError (e.g. too few inspectors for an object) leaves the database untouched.
    """
    if prep.problems:
        raise DrawError("无法抽取：" + "；".join(prep.problems))
    if kind not in KIND_LABELS:
        raise DrawError(f"抽取类型「{kind}」无效")
    reason = (reason or "").strip()
    if kind != KIND_DRAW and (replaces_id is None or not reason):
        raise DrawError(f"{KIND_LABELS[kind]}必须注明被替代的抽取记录和原因")
    if kind == KIND_SUBSTITUTE and replaced_object_id is None:
        raise DrawError("替补抽取必须注明被替代的检查对象")
    witnesses = _clean_list(witnesses, "监督人/见证人")
    operator = (operator or "").strip()
    place = (place or "").strip()
    with db.session() as s:
        fresh = prepare_draw(s, **prep.params)
        if fresh.problems:
            raise DrawError("无法抽取：" + "；".join(fresh.problems))
        if (fresh.fingerprint, fresh.setup_fingerprint, fresh.sizes) != (prep.fingerprint, prep.setup_fingerprint,
                                                                           prep.sizes):
            raise DrawError("准备抽取之后，待抽名单或检查人员名单已发生变化（名录被修改，或同一轮次已有其他抽取），"
                            "请重新准备并重新公示待抽名单后再抽取")
        replaces_hash = replaced_object = None
        if replaces_id is not None:
            old = s.get(DrawRecord, replaces_id)
            if old is None:
                raise DrawError(f"没有编号为 {replaces_id} 的抽取记录")
            if not DrawGraph.load(s).effective(replaces_id):
                raise DrawError(f"抽取记录 {replaces_id} 已被重抽替代，不能再替代它")
            replaces_hash = old.record_hash
        if replaced_object_id is not None:
            obj = s.get(InspectedObject, replaced_object_id)
            if obj is None:
                raise DrawError(f"没有编号为 {replaced_object_id} 的检查对象")
            replaced_object = {"id": obj.id, "code": obj.credit_code, "name": obj.name}
        time = clock().replace(microsecond=0)
        meta = _meta(prep, time=time, place=place, operator=operator, witnesses=witnesses, kind=kind,
                     replaces_id=replaces_id, replaces_hash=replaces_hash, replaced_object=replaced_object,
                     reason=reason)
        record = run_draw(candidates=prep.candidates, sizes=prep.sizes, stratify=prep.stratify,
                          inspectors=prep.inspectors, recusals=prep.recusals,
                          responsible_units=prep.responsible_units, partner_units=prep.partner_units,
                          per_object=prep.per_object, entropy=list(entropy),
                          item={"id": prep.plan_item_id, "number": prep.item_number, "name": prep.item_name},
                          round=prep.round, rule_text=prep.rule_text, meta=meta)
        if record["fingerprint"] != prep.fingerprint:
            raise DrawError("抽取时的名单指纹与公示的指纹不一致，已停止抽取")
        text = record_to_json(record)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()  # = record_hash(record), without a second dump
        row = DrawRecord(
            plan_item_id=prep.plan_item_id, round=prep.round, kind=kind, replaces_id=replaces_id,
            replaced_object_id=replaced_object_id, reason=reason, algorithm_version=record["algorithm"],
            created_at=time, place=place, operator=operator, witnesses=witnesses,
            entropy=list(record["entropy"]["typed"]), fingerprint=record["fingerprint"], seed=record["seed"],
            record_json=text, record_hash=digest,
        )
        s.add(row)
        s.flush()
        _save_picks(s, row.id, record)
        audit.append(s, user=operator, action=AUDIT_ACTIONS[kind], entity="draw_record", entity_id=row.id, detail={
            "year": prep.year, "item_number": prep.item_number, "round": prep.round, "kind": kind,
            "picks": len(record["picks"]), "fingerprint": record["fingerprint"], "seed": record["seed"],
            "record_hash": digest, "replaces_id": replaces_id, "replaced_object_id": replaced_object_id,
            "reason": reason,
        })
        return SavedDraw(row.id, kind, record, digest)


def _save_picks(session, draw_id: int, record: dict) -> None:
    # Core bulk inserts: a 5,000-pick draw saves in a fraction of what ORM objects would take.
    if not record["picks"]:
        return
    session.execute(insert(DrawPick), [{"draw_id": draw_id, "order": p["order"], "stratum": p["stratum"],
                                        "object_id": p["id"]} for p in record["picks"]])
    pick_ids = dict(session.execute(select(DrawPick.order, DrawPick.id).where(DrawPick.draw_id == draw_id)).all())
    rows = [{"pick_id": pick_ids[a["order"]], "slot": i["slot"], "inspector_id": i["id"]}
            for a in record["assignments"] for i in a["inspectors"]]
    if rows:
        session.execute(insert(DrawAssignment), rows)


def _replaced_setup(record: dict) -> dict:
    """The settings of a saved record that a re-draw or substitute keeps."""
    meta = record.get("meta", {})
    insp = record["inspection"]
    return dict(year=meta["year"], item_number=record["item"]["number"], round=record["round"],
                jurisdiction=meta.get("jurisdiction"), responsible_units=list(insp["responsible_units"]),
                partner_units=list(insp["partner_units"]), per_object=insp["per_object"])


def redraw(db: Database, record_id: int, *, reason: str, entropy: list[str], witnesses: list[str], place: str,
           operator: str, clock: Callable[[], datetime] = now) -> SavedDraw:
    """Draw the whole item and round again; the old record stays and shows 已被重抽替代."""
    if not (reason or "").strip():
        raise DrawError("重新抽取必须填写原因")
    with db.read_session() as s:
        row = s.get(DrawRecord, record_id)
        if row is None:
            raise DrawError(f"没有编号为 {record_id} 的抽取记录")
        if row.kind == KIND_SUBSTITUTE:
            raise DrawError(f"抽取记录 {record_id} 是替补记录，不能整体重抽；请对其中的对象再次替补，"
                            f"或对原记录 {row.replaces_id} 重抽")
        if not DrawGraph.load(s).effective(record_id):
            raise DrawError(f"抽取记录 {record_id} 已被重抽替代，请对最新的记录重抽")
        record = load_record(s, record_id)
        setup = _replaced_setup(record)
        prep = prepare_draw(s, size_override=record["meta"].get("size_override"), **setup,
                            _ignore_records={record_id})
    return execute_draw(db, prep, entropy=entropy, witnesses=witnesses, place=place, operator=operator,
                        replaces_id=record_id, reason=reason, kind=KIND_REDRAW, clock=clock)


def substitute(db: Database, record_id: int, object_id: int, *, reason: str, entropy: list[str],
               witnesses: list[str], place: str, operator: str,
               clock: Callable[[], datetime] = now) -> SavedDraw:
    """Draw one replacement for one object of a record (e.g. found 注销 on arrival).

    The candidates are the eligible objects minus every object drawn in this item and round
    so far; the new record points at the record holding the object (the given record or a
    substitute made within it).
    """
    if not (reason or "").strip():
        raise DrawError("替补抽取必须填写原因")
    with db.read_session() as s:
        if s.get(DrawRecord, record_id) is None:
            raise DrawError(f"没有编号为 {record_id} 的抽取记录")
        graph = DrawGraph.load(s)
        if not graph.effective(record_id):
            raise DrawError(f"抽取记录 {record_id} 已被重抽替代，不能在其中替补")
        family = graph.descendants(record_id)
        holder = None
        for draw_id, oid in s.execute(select(DrawPick.draw_id, DrawPick.object_id)
                                      .where(DrawPick.draw_id.in_(family), DrawPick.object_id == object_id)):
            if oid not in graph.substituted.get(draw_id, {}):
                holder = draw_id
        if holder is None:
            obj = s.get(InspectedObject, object_id)
            label = f"「{obj.name}」({obj.credit_code})" if obj else f"编号 {object_id}"
            raise DrawError(f"抽取记录 {record_id} 中没有仍然有效的检查对象{label}")
        record = load_record(s, record_id)
        prep = prepare_draw(s, size_override=1, **_replaced_setup(record), _exclude_all_drawn=True,
                            _exclude_objects={object_id})
    return execute_draw(db, prep, entropy=entropy, witnesses=witnesses, place=place, operator=operator,
                        replaces_id=holder, reason=reason, kind=KIND_SUBSTITUTE, replaced_object_id=object_id,
                        clock=clock)


def find_object_by_code(session, code: str) -> InspectedObject:
    """The roster object with this 统一社会信用代码 (for the command line)."""
    obj = session.execute(select(InspectedObject).where(InspectedObject.credit_code == code.strip())).scalar()
    if obj is None:
        raise DrawError(f"检查对象名录中没有统一社会信用代码为「{code}」的单位")
    return obj
