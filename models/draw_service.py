"""The draw on the database (抽取): run the engine against a sealed announcement and save the locked record at once.

Re-draws and substitutes are new records pointing at the one they replace; nothing is
ever changed. A second draw for the same item and round excludes the objects already
drawn in records that still count, so an object is never inspected twice in a round.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import insert, select

from models import audit
from models.base import now
from models.db import Database
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_engine import DrawError
from models.draw_entropy import check_entropy
from models.named_rows import collector_paused
from models.draw_history import (  # noqa: F401 - re-exported: the service API lives here
    KIND_DRAW, KIND_LABELS, KIND_REDRAW, KIND_SUBSTITUTE, STATUS_ALL_SUBSTITUTED, STATUS_PARTIAL, STATUS_REDRAWN,
    STATUS_VALID, DrawGraph, DrawSummary, EffectivePick, effective_picks, list_draws, load_record, record_status,
)
from models.draw_prepare import (  # noqa: F401 - re-exported
    DrawPreparation, candidate_list_rows, prepare_draw,
)
from models.draw_record import complete_draw, record_json_with
from models.text_hash import sha256_text
from models.event_draw import refuse_replacing
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
    from models.text import WITNESS_MAX, limited

    cleaned = [limited(v, f"{what}（姓名和单位）", WITNESS_MAX, error=DrawError)
               for v in (values or []) if isinstance(v, str) and v.strip()]
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


@collector_paused()  # the setup derived again, the sealed list read back and the record: no cycles
def draw_sealed(db: Database, year: int, number: int, *, entropy: list[str], witnesses: list[str], place: str,
                operator: str, clock: Callable[[], datetime] = now) -> SavedDraw:
    """Draw against the sealed announcement *year*-*number* and save the locked record, picks and audit entry.

    Inside the one write transaction the setup is derived again from the database; any
    difference from the seal (a roster edit, a 回避 pair, an inspector's status, a unit) refuses
    the draw with what changed, and nothing is saved. The same goes for a voided or used seal,
    an item and round already drawn, a lottery date not yet reached, or entropy that is too thin.
    ``clock`` gives the record's time (the demo places its draw weeks back).
    """
    from models import draw_announcement
    from models.seal_diff import describe_changes
    from models.text import PLACE_MAX, limited
    from models.seal_service import (
        STATUS_DRAWN, STATUS_VOID, announcement_status, drawn_by, find_announcement, lock_item, params_from_json,
        plain_draw_of, shared_of, shared_texts_of,
    )
    from models.sealed_text import candidate_dicts, record_utf8, split_sealed, text_value

    normalised = check_entropy(entropy)
    witnesses = _clean_list(witnesses, "监督人/见证人")
    operator = (operator or "").strip()
    place = limited(place, "抽取地点", PLACE_MAX, error=DrawError)
    with db.session() as s:
        row = find_announcement(s, year, number)
        # Another seat drawing or voiding this item now waits here; after it commits the checks below see it.
        lock_item(s, row.plan_item_id)
        label = draw_announcement.announcement_number(row.year, row.number)
        status, draw_id, void_reason = announcement_status(s, row)
        if status == STATUS_VOID:
            raise DrawError(f"抽取公告 {label} 已作废（{void_reason}），不能据此抽取")
        if status == STATUS_DRAWN:
            raise DrawError(f"抽取公告 {label} 已用于抽取记录 #{draw_id}{drawn_by(s, draw_id)}，不能再次抽取")
        sealed_text = row.announcement_json
        s.expire(row, ["announcement_json"])  # only sealed_text holds it now: let go below once used
        # The saved bytes hash to the commitment (the usual case) or, parsed, canonicalise to it; else refused.
        text_committed = sha256_text(sealed_text) == row.commitment
        ann = None if text_committed else json.loads(sealed_text)  # committed: parsed below, list aside
        if not text_committed and draw_announcement.commitment(ann) != row.commitment:
            raise DrawError(f"抽取公告 {label} 的内容与封存时的承诺值不符，公告可能被篡改")
        time = clock().replace(microsecond=0)
        if time < row.sealed_at:
            raise DrawError(f"抽取时间早于抽取公告 {label} 的封存时间")
        if row.lottery_date is not None and time.date() < row.lottery_date:
            raise DrawError(f"抽取公告 {label} 指定以 {row.lottery_date:%Y-%m-%d} 的开奖结果为随机数，"
                            "开奖之前不能抽取")
        if row.kind == KIND_DRAW:
            done = plain_draw_of(s, row.plan_item_id, row.round, row.jurisdiction)
            if done is not None:
                raise DrawError(f"本事项第 {row.round} 轮已有抽取记录 #{done}{drawn_by(s, done)}，"
                                "同一事项同一轮次只能抽取一次")
        elif row.replaces_id is not None and not DrawGraph.load(s).effective(row.replaces_id):
            raise DrawError(f"公告所替代的抽取记录 #{row.replaces_id} 已被重抽替代，不能据此抽取")
        fresh = prepare_draw(s, **params_from_json(row.params_json))
        if fresh.problems:
            raise DrawError("无法抽取：" + "；".join(fresh.problems))
        # Compare the setup derived again with the sealed one by their canonical bytes, the candidates' JSON
        # compared in place and not parsed (models/sealed_text.py); only when they differ is the setup diffed.
        texts = shared_texts_of(fresh, with_candidates=False)
        parts = split_sealed(sealed_text, fresh.engine.candidates, texts) if text_committed else None
        if parts is not None:
            ann = parts.announcement  # its "candidates" an empty list, filled once the record's text is saved
            shared = {k: ann[k] for k in draw_announcement.SHARED_KEYS}  # equal to the fresh part, byte for byte
        else:
            ann = ann if ann is not None else json.loads(sealed_text)
            if text_committed and draw_announcement.commitment(ann) != row.commitment:  # saved bytes not canonical
                raise DrawError(f"抽取公告 {label} 的内容与封存时的承诺值不符，公告可能被篡改")
            texts = None
            shared = shared_of(fresh)
            changes = describe_changes({k: ann[k] for k in draw_announcement.SHARED_KEYS}, shared)
            if changes:
                raise DrawError(f"抽取公告 {label} 封存之后，抽取设置已发生变化，拒绝抽取，未保存任何结果：\n"
                                + "\n".join(f"· {c}" for c in changes)
                                + "\n如变化属实，请作废该公告（写明原因）并重新封存、公示新的公告。")
        replaces = ann["replaces"] or {}
        obj = replaces.get("object")
        meta = _meta(fresh, time=time, place=place, operator=operator, witnesses=witnesses, kind=row.kind,
                     replaces_id=row.replaces_id, replaces_hash=replaces.get("record_hash"), replaced_object=obj,
                     reason=row.reason)
        meta["announcement_number"] = label
        # fresh.engine is the checked, canonical view prepare_draw made (problems were refused above)
        record = complete_draw(fresh.engine, list(entropy), item=ann["item"], round=ann["round"],
                               rule_text=ann["rule"]["text"], meta=meta, announcement=ann, shared=shared,
                               commitment=row.commitment)
        assert record["entropy"]["normalised"] == normalised
        if parts is not None:  # the candidates' JSON is the sealed text's, encoded once into the record's bytes
            text = record_utf8(record, texts, sealed_text, parts)  # = record_to_json(record) in UTF-8
            digest = hashlib.sha256(text).hexdigest()  # = record_hash(record)
            del sealed_text
            text = text_value(s, text)
        else:
            del sealed_text
            text = record_json_with(record, texts or {})  # = record_to_json(record), the shared part not again
            digest = sha256_text(text)  # = record_hash(record), without a second dump or a UTF-8 copy
        saved = DrawRecord(
            plan_item_id=row.plan_item_id, round=row.round, kind=row.kind, replaces_id=row.replaces_id,
            replaced_object_id=row.replaced_object_id, reason=row.reason, algorithm_version=record["algorithm"],
            created_at=time, place=place, operator=operator, witnesses=witnesses,
            entropy=list(record["entropy"]["typed"]), fingerprint=record["fingerprint"], seed=record["seed"],
            record_json=text, record_hash=digest, announcement_id=row.id,
        )
        s.add(saved)
        s.flush()
        s.expire(saved, ["record_json"])  # saved: let the text (and a driver's UTF-8 copy on it) go
        del text
        if parts is not None:  # the sealed list, as json.loads gave it (the record and announcement share it)
            ann["candidates"] += candidate_dicts(fresh.engine.candidates)
        _save_picks(s, saved.id, record, fresh.event_organisers)
        audit.append(s, user=operator, action=AUDIT_ACTIONS[row.kind], entity="draw_record", entity_id=saved.id,
                     detail={"year": year, "item_number": fresh.item_number, "round": row.round, "kind": row.kind,
                             "announcement": label, "commitment": row.commitment,
                             "picks": len(record["picks"]), "fingerprint": record["fingerprint"],
                             "seed": record["seed"], "record_hash": digest, "replaces_id": row.replaces_id,
                             "replaced_object_id": row.replaced_object_id, "reason": row.reason})
        saved_draw = SavedDraw(saved.id, row.kind, record, digest)
    from models.joint_service import group_after_draw  # 综合查一次: a group's items are grouped once drawn

    group_after_draw(db, saved_draw.id, operator)
    return saved_draw


def _save_picks(session, draw_id: int, record: dict, organisers: dict[int, int] | None = None) -> None:
    # Core bulk inserts: a 5,000-pick draw saves in a fraction of what ORM objects would take.
    if not record["picks"]:
        return
    # Table-level inserts on the session's connection: one executemany each, no ORM bulk-insert layer.
    conn = session.connection()
    conn.execute(insert(DrawPick.__table__), [{"draw_id": draw_id, "order": p["order"], "stratum": p["stratum"],
                                               "object_id": p["id"] if organisers is None else organisers[p["id"]]}
                                              for p in record["picks"]])
    if organisers is not None:  # a per-event draw: each pick is the event's organiser, linked to the event
        from models.event_draw import link_picks

        link_picks(session, draw_id, record)
    pick_ids = dict(conn.execute(select(DrawPick.order, DrawPick.id).where(DrawPick.draw_id == draw_id)).all())
    rows = [{"pick_id": pick_ids[a["order"]], "slot": i["slot"], "inspector_id": i["id"]}
            for a in record["assignments"] for i in a["inspectors"]]
    if rows:
        conn.execute(insert(DrawAssignment.__table__), rows)


def _replaced_setup(record: dict, partner_gap_reason: str = "") -> dict:
    """The settings of a saved record that a re-draw or substitute keeps. Its 配合部门缺员原因 is the one the
    clerk gives for the replacement, else the record's own sealed one (docs/draw-protocol.md section 11): a
    record sealed police-only before a 部门联合 item needed a reason gets one only through its replacement."""
    meta = record.get("meta", {})
    insp = record["inspection"]
    return dict(year=meta["year"], item_number=record["item"]["number"], round=record["round"],
                jurisdiction=meta.get("jurisdiction"), responsible_units=list(insp["responsible_units"]),
                partner_units=list(insp["partner_units"]), per_object=insp["per_object"],
                partner_gap_reason=" ".join((partner_gap_reason or "").split())
                or (record.get("announcement") or {}).get("partner_gap_reason", ""))


def replacement_partner_gaps(s, record_id: int) -> list[str]:
    """What a 重抽 or 替补 of *record_id* lacks of its 部门联合 item's partner officers, when the record sealed no
    缺员原因 to carry over — e.g. a draw made police-only before the partner rule existed. Non-empty: the
    replacement is refused unless the clerk gives a reason (the screen asks for it, the command line takes
    --partner-gap-reason). [] when none is needed."""
    from models.departments import partner_setup
    from models.draw_prepare import find_item

    record = load_record(s, record_id)
    setup = _replaced_setup(record)
    if setup["partner_gap_reason"]:
        return []
    item = find_item(s, setup["year"], setup["item_number"])
    return partner_setup(s, item, [], setup["responsible_units"], setup["partner_units"], "").gaps


def redraw_preparation(s, record_id: int, partner_gap_reason: str = "") -> DrawPreparation:
    """The list a 重抽 of *record_id* draws from: the record's settings, its own picks drawable again."""
    row = s.get(DrawRecord, record_id)
    if row is None:
        raise DrawError(f"没有编号为 {record_id} 的抽取记录")
    if row.kind == KIND_SUBSTITUTE:
        raise DrawError(f"抽取记录 {record_id} 是替补记录，不能整体重抽；请对其中的对象再次替补，"
                        f"或对原记录 {row.replaces_id} 重抽")
    if not DrawGraph.load(s).effective(record_id):
        raise DrawError(f"抽取记录 {record_id} 已被重抽替代，请对最新的记录重抽")
    refuse_replacing(s, record_id)
    record = load_record(s, record_id)
    return prepare_draw(s, size_override=record["meta"].get("size_override"),
                        **_replaced_setup(record, partner_gap_reason), _ignore_records={record_id})


def substitute_preparation(s, record_id: int, object_id: int,
                           partner_gap_reason: str = "") -> tuple[int, DrawPreparation]:
    """(the record holding the object, the list a 替补 draws one object from).

    The candidates are the eligible objects minus every object drawn in this item and round
    so far; the new record points at the record holding the object (the given record or a
    substitute made within it).
    """
    if s.get(DrawRecord, record_id) is None:
        raise DrawError(f"没有编号为 {record_id} 的抽取记录")
    graph = DrawGraph.load(s)
    if not graph.effective(record_id):
        raise DrawError(f"抽取记录 {record_id} 已被重抽替代，不能在其中替补")
    refuse_replacing(s, record_id)
    family = graph.descendants(record_id)
    holder = None
    for draw_id, oid in s.execute(select(DrawPick.draw_id, DrawPick.object_id)
                                  .where(DrawPick.draw_id.in_(family), DrawPick.object_id == object_id)):
        if oid not in graph.substituted.get(draw_id, {}):
            holder = draw_id
    if holder is None:
        obj = s.get(InspectedObject, object_id)
        label = f"「{obj.name}」({obj.credit_code or '无证件'})" if obj else f"编号 {object_id}"
        raise DrawError(f"抽取记录 {record_id} 中没有仍然有效的检查对象{label}")
    record = load_record(s, record_id)
    return holder, prepare_draw(s, size_override=1, **_replaced_setup(record, partner_gap_reason),
                                _exclude_all_drawn=True, _exclude_objects={object_id})


def substitutable_objects(s, record_id: int) -> list[InspectedObject]:
    """The objects still standing in a record (its own picks and those of substitutes made within it), which a
    替补 may replace — what the screen offers as the record's rows."""
    if s.get(DrawRecord, record_id) is None:
        raise DrawError(f"没有编号为 {record_id} 的抽取记录")
    graph = DrawGraph.load(s)
    family = graph.descendants(record_id)
    ids = [oid for draw_id, oid in s.execute(select(DrawPick.draw_id, DrawPick.object_id)
                                             .where(DrawPick.draw_id.in_(family)).order_by(DrawPick.id))
           if oid not in graph.substituted.get(draw_id, {})]
    found = {o.id: o for o in s.scalars(select(InspectedObject).where(InspectedObject.id.in_(ids)))}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _object_label(obj: InspectedObject) -> str:
    number = f"{obj.id_kind} {obj.credit_code}" if obj.credit_code else "无证件"
    return f"编号 {obj.id}：{obj.name}（{number}）"


def find_substitute_object(s, record_id: int, text: str = "", object_id: int | None = None) -> InspectedObject:
    """The object a 替补 of ``record_id`` replaces, named as the clerk can: the roster 编号 (``object_id``, as the
    screen passes it; the only handle of a 证件类型 无 object that shares its name), the 统一社会信用代码 or
    证件号码 in full, or the name when one object of the record bears it. Refusals list the record's objects
    with their 编号 so the clerk can name one."""
    standing = substitutable_objects(s, record_id)

    def choices() -> str:
        return "；".join(_object_label(o) for o in standing) or "（无）"

    if object_id is not None:
        obj = s.get(InspectedObject, object_id)
        if obj is None:
            raise DrawError(f"检查对象名录中没有编号为 {object_id} 的对象。抽取记录 {record_id} 中的对象：{choices()}")
        return obj
    wanted = (text or "").strip()
    if not wanted:
        raise DrawError("请给出被替代的检查对象：统一社会信用代码或证件号码、名称，或对象编号")
    number = "".join(wanted.split()).upper()
    by_number = [o for o in standing if (o.credit_code or "").upper() == number]
    by_name = [o for o in standing if o.name == wanted]
    for matches in (by_number, by_name):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise DrawError(f"抽取记录 {record_id} 中有 {len(matches)} 个对象与「{wanted}」相符，"
                            f"请用对象编号指定：{'；'.join(_object_label(o) for o in matches)}")
    outside = s.execute(select(InspectedObject).where(InspectedObject.credit_code == number)).scalars().first()
    if outside is not None:   # on the roster but not (or no longer) in the record: the preparation says why
        return outside
    raise DrawError(f"抽取记录 {record_id} 中没有统一社会信用代码、证件号码或名称为「{wanted}」的检查对象。"
                    f"记录中的对象：{choices()}")
