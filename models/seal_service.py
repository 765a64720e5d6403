"""Sealing a draw (封存): the 抽取公告 is numbered, hashed and saved before any entropy exists; voiding keeps it listed.

The announcement fixes the item, round, 辖区, rule and sizes, the whole candidate list and
inspection setup, and names the entropy source (witnesses at a place and time, or a public
lottery draw on a later date). Its commitment enters the seed of the draw made against it
(models/draw_service.py), so a record proves which announcement it came from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit, draw_announcement
from models.base import now
from models.db import Database
from models.doc_numbers import issued_floor
from models.text import REASON_MAX, SOURCE_MAX, limited
from models.text_hash import sha256_text
from models.identifiers import draw_code, public_name
from models.draw import DrawRecord
from models.draw_engine import DrawError
from models.draw_history import KIND_DRAW, KIND_LABELS, KIND_REDRAW, KIND_SUBSTITUTE, DrawGraph
from models.draw_prepare import DrawPreparation, prepare_draw
from models.draw_record import canonical_json_of_parts, prepare_draw as engine_prepare, shared_part, shared_texts
from models.named_rows import collector_paused
from models.plan import PlanItem
from models.roster import InspectedObject
from models.seal import AnnouncementVoid, DrawAnnouncement

MIN_SOURCE_CHARS = 4


class OpenAnnouncementError(DrawError):
    """An announcement is still open for the item, round and 辖区: void it (with a reason) or draw against it."""

    def __init__(self, message: str, label: str):
        super().__init__(message)
        self.label = label
STATUS_OPEN, STATUS_DRAWN, STATUS_VOID = "待抽取", "已抽取", "作废"


@dataclass(frozen=True)
class SealedAnnouncement:
    """A saved 抽取公告: its number, commitment and the canonical announcement object."""

    id: int
    year: int
    number: int
    commitment: str
    announcement: dict
    status: str = STATUS_OPEN
    draw_id: int | None = None
    void_reason: str = ""
    # The canonical JSON when known already (the bytes committed to), so it is not serialised again.
    text: str = field(default="", repr=False, compare=False)

    @property
    def label(self) -> str:
        return draw_announcement.announcement_number(self.year, self.number)

    @property
    def json_text(self) -> str:
        return self.text or draw_announcement.canonical_json(self.announcement)


def _params_to_json(params: dict) -> str:
    plain = {k: (sorted(v) if isinstance(v, (set, frozenset)) else v) for k, v in params.items()}
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)


def params_from_json(text: str) -> dict:
    params = json.loads(text or "{}")
    for key in ("_ignore_records", "_exclude_objects"):
        if key in params:
            params[key] = set(params[key])
    return params


def _engine_view(prep: DrawPreparation):
    if prep.problems:
        raise DrawError("无法封存：" + "；".join(prep.problems))
    if prep.engine is not None:
        return prep.engine
    return engine_prepare(candidates=prep.candidates, sizes=prep.sizes, stratify=prep.stratify,
                          inspectors=prep.inspectors, recusals=prep.recusals,
                          responsible_units=prep.responsible_units, partner_units=prep.partner_units,
                          per_object=prep.per_object)


def _shared_args(prep: DrawPreparation) -> dict:
    return dict(item={"id": prep.plan_item_id, "number": prep.item_number, "name": prep.item_name},
                round=prep.round, rule_text=prep.rule_text)


def shared_of(prep: DrawPreparation) -> dict:
    """The announcement's setup part (item … setup_fingerprint) for a prepared list."""
    return shared_part(_engine_view(prep), **_shared_args(prep))


def shared_texts_of(prep: DrawPreparation, shared: dict | None = None, with_candidates: bool = True) -> dict[str, str]:
    """The canonical JSON of each value of shared_of(prep), the candidate list written once (see shared_texts)."""
    return shared_texts(_engine_view(prep), shared, **_shared_args(prep), with_candidates=with_candidates)


def announcement_text(ann: dict, shared_json: dict[str, str]) -> str:
    """canonical_json(ann) for an announcement whose shared values' canonical JSON is known already."""
    parts = {k: draw_announcement.canonical_json(ann[k]) for k in draw_announcement.header_keys(ann)}
    parts.update((k, shared_json[k]) for k in draw_announcement.SHARED_KEYS)
    return canonical_json_of_parts(parts)


def check_entropy_source(text: str, lottery_date: date | None, sealed_at: datetime) -> str:
    text = limited(" ".join((text or "").split()), "随机数来源", SOURCE_MAX, error=DrawError)
    if len(text) < MIN_SOURCE_CHARS:
        raise DrawError("请写明熵值来源：由哪些见证人在何时何地报数或掷骰子，或哪一期公开彩票的开奖结果"
                        f"（至少 {MIN_SOURCE_CHARS} 个字）")
    if lottery_date is not None and lottery_date <= sealed_at.date():
        raise DrawError(f"开奖日期 {lottery_date:%Y-%m-%d} 须晚于封存日期 {sealed_at:%Y-%m-%d}："
                        "封存时开奖结果必须尚未产生")
    return text


def _jurisdiction(value: str | None) -> str:
    return (value or "").strip()


# --- several seats at once ----------------------------------------------------------------------
# On PostgreSQL two seats may seal or draw the same item and round at the same moment; each check
# below ("already drawn?", "an announcement still open?", "this announcement used or voided?") is
# only true while nobody else can write the answer. So every seal, draw and void first locks the
# plan item's row (SELECT … FOR UPDATE, held to commit): the second seat waits, then reads what the
# first committed and is refused by name. Sealing also locks draw_announcements against other
# writers, since announcement numbers run per year across all items. Lock order, the same in
# every path (see models/audit.py): draw_announcements table → plan item row → audit_log.
# SQLite has one writer at a time and needs neither (FOR UPDATE is not emitted there).

def lock_item(s: Session, plan_item_id: int) -> None:
    """Hold the plan item's row until commit: seals, draws and voids of one item take turns."""
    s.execute(select(PlanItem.id).where(PlanItem.id == plan_item_id).with_for_update())


def _lock_numbering(s: Session) -> None:
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE draw_announcements IN SHARE ROW EXCLUSIVE MODE")


def drawn_by(s: Session, record_id: int) -> str:
    """"（张三 于 2026-05-06 09:30 抽取）": who made a draw record and when, for a refusal."""
    row = s.execute(select(DrawRecord.operator, DrawRecord.created_at).where(DrawRecord.id == record_id)).first()
    if row is None:
        return ""
    return f"（{row.operator or '未署名'} 于 {row.created_at:%Y-%m-%d %H:%M} 抽取）"


def sealed_by(row: DrawAnnouncement) -> str:
    return f"（{row.operator or '未署名'} 于 {row.sealed_at:%Y-%m-%d %H:%M} 封存）"


def plain_draw_of(s: Session, item_id: int, round_: int, jurisdiction: str) -> int | None:
    """The plain draw (not a 重抽 or 替补) already made for this item, round and 辖区, if any."""
    rows = s.execute(select(DrawRecord.id, DrawRecord.announcement_id, DrawRecord.record_json)
                     .where(DrawRecord.plan_item_id == item_id, DrawRecord.round == round_,
                            DrawRecord.kind == KIND_DRAW)).all()
    for rid, ann_id, text in rows:
        if ann_id is not None:
            where = s.execute(select(DrawAnnouncement.jurisdiction).where(DrawAnnouncement.id == ann_id)).scalar()
        else:
            where = (json.loads(text).get("meta") or {}).get("jurisdiction")
        if _jurisdiction(where) == jurisdiction:
            return rid
    return None


def _open_announcement(s: Session, item_id: int, round_: int, jurisdiction: str) -> DrawAnnouncement | None:
    used = select(DrawRecord.announcement_id).where(DrawRecord.announcement_id.is_not(None))
    voided = select(AnnouncementVoid.announcement_id)
    return s.execute(select(DrawAnnouncement).where(
        DrawAnnouncement.plan_item_id == item_id, DrawAnnouncement.round == round_,
        DrawAnnouncement.jurisdiction == jurisdiction, DrawAnnouncement.id.not_in(used),
        DrawAnnouncement.id.not_in(voided))).scalars().first()


def _replaces(s: Session, kind: str, replaces_id: int | None, replaced_object_id: int | None,
              reason: str) -> dict | None:
    if kind == KIND_DRAW:
        if replaces_id is not None or replaced_object_id is not None:
            raise DrawError("普通抽取不能指明被替代的记录")
        return None
    if replaces_id is None or not reason:
        raise DrawError(f"{KIND_LABELS[kind]}必须注明被替代的抽取记录和原因")
    old = s.get(DrawRecord, replaces_id)
    if old is None:
        raise DrawError(f"没有编号为 {replaces_id} 的抽取记录")
    if not DrawGraph.load(s).effective(replaces_id):
        raise DrawError(f"抽取记录 {replaces_id} 已被重抽替代，不能再替代它")
    obj = None
    if kind == KIND_SUBSTITUTE:
        found = s.get(InspectedObject, replaced_object_id) if replaced_object_id is not None else None
        if found is None:
            raise DrawError("替补抽取必须注明被替代的检查对象")
        # as the draw published it (a person masked, docs/draw-protocol.md section 13), to match the record's pick
        obj = {"id": found.id, "code": draw_code(found.id_kind, found.credit_code, found.id_country),
               "name": public_name(found.id_kind, found.name)}
    return {"record_id": replaces_id, "record_hash": old.record_hash, "object": obj}


@collector_paused()  # the setup derived again and serialised: 100,000s of acyclic objects
def seal(db: Database, prep: DrawPreparation, *, entropy_source: str, operator: str,
         lottery_date: date | None = None, kind: str = KIND_DRAW, replaces_id: int | None = None,
         replaced_object_id: int | None = None, reason: str = "", replace_open: str | None = None,
         clock: Callable[[], datetime] = now) -> SealedAnnouncement:
    """Seal the prepared setup as the next 抽取公告 of its year; refused (nothing saved) when it cannot be drawn.

    An announcement still open for the same item, round and 辖区 refuses the seal, unless ``replace_open``
    gives the reason to void it: then it is voided with that reason in the same transaction and stays listed.
    """
    if kind not in KIND_LABELS:
        raise DrawError(f"抽取类型「{kind}」无效")
    reason = limited(reason, "重抽或替补原因", REASON_MAX, error=DrawError)
    limited(replace_open, "作废旧公告的原因", REASON_MAX, error=DrawError)
    with db.session() as s:
        _lock_numbering(s)
        lock_item(s, prep.plan_item_id)
        fresh = prepare_draw(s, **prep.params)
        shared = shared_of(fresh)
        sealed_at = clock().replace(microsecond=0)
        source = check_entropy_source(entropy_source, lottery_date, sealed_at)
        jurisdiction = _jurisdiction(fresh.jurisdiction)
        if kind == KIND_DRAW:
            done = plain_draw_of(s, fresh.plan_item_id, fresh.round, jurisdiction)
            if done is not None:
                raise DrawError(f"{fresh.item_number}．{fresh.item_name}第 {fresh.round} 轮"
                                f"{'（' + jurisdiction + '）' if jurisdiction else ''}已有抽取记录 #{done}"
                                f"{drawn_by(s, done)}："
                                "同一事项同一轮次只能抽取一次；如需重抽请对该记录申请重抽并写明原因，或抽取新一轮")
        open_one = _open_announcement(s, fresh.plan_item_id, fresh.round, jurisdiction)
        if open_one is not None:
            why = " ".join((replace_open or "").split())
            if not why:
                label = draw_announcement.announcement_number(open_one.year, open_one.number)
                raise OpenAnnouncementError(f"本事项本轮次已有尚未抽取的抽取公告 {label}{sealed_by(open_one)}："
                                            "请先作废该公告（须写明原因）后再封存新的公告，"
                                            "或在封存时选择作废旧公告并写明原因", label)
            _void_row(s, open_one, why, operator, clock)
        # After the refusals that name who came first (a seat that lost the race is told who drew or
        # sealed, not only that the list moved), the setup must still be the one the clerk prepared.
        if (fresh.fingerprint, fresh.setup_fingerprint, fresh.sizes) != (prep.fingerprint, prep.setup_fingerprint,
                                                                           prep.sizes):
            raise DrawError("准备之后，待抽名单或检查人员名单已发生变化，请重新准备后再封存")
        replaces = _replaces(s, kind, replaces_id, replaced_object_id, reason)
        highest = s.execute(select(func.max(DrawAnnouncement.number))
                            .where(DrawAnnouncement.year == fresh.year)).scalar() or 0
        # numbers sealed before a restore are on paper already: continue above them
        number = max(highest, issued_floor(s, "announcement", fresh.year)) + 1
        # The values are plain JSON already (no round trip); serialised once, the candidates by a direct writer.
        ann = draw_announcement.announcement_object(
            shared=shared, year=fresh.year, number=number, bureau=fresh.bureau or "",
            sealed_at=sealed_at.isoformat(), jurisdiction=jurisdiction, entropy_source=source,
            lottery_date=lottery_date.isoformat() if lottery_date else None, kind=kind, replaces=replaces,
            reason=reason, partner_gap_reason=fresh.partner_gap_reason)
        text = announcement_text(ann, shared_texts_of(fresh, shared))
        digest = sha256_text(text)  # = draw_announcement.commitment(ann), hashed in pieces
        row = DrawAnnouncement(
            year=fresh.year, number=number, plan_item_id=fresh.plan_item_id, round=fresh.round,
            jurisdiction=jurisdiction, kind=kind, replaces_id=replaces_id, replaced_object_id=replaced_object_id,
            reason=reason, sealed_at=sealed_at, operator=(operator or "").strip(), entropy_source=source,
            lottery_date=lottery_date, announcement_json=text,
            params_json=_params_to_json(fresh.params), commitment=digest)
        s.add(row)
        s.flush()
        audit.append(s, user=operator, action="封存抽取公告", entity="draw_announcement", entity_id=row.id, detail={
            "year": fresh.year, "number": number, "item_number": fresh.item_number, "round": fresh.round,
            "jurisdiction": jurisdiction, "kind": kind, "commitment": digest, "entropy_source": source,
            "lottery_date": ann["entropy_source"]["lottery_date"], "replaces_id": replaces_id, "reason": reason,
            "partner_gap_reason": fresh.partner_gap_reason})
        # Not text=text: that long text (and the driver's UTF-8 copy on it) would live as long as the caller's copy
        return SealedAnnouncement(row.id, fresh.year, number, digest, ann)


def seal_redraw(db: Database, record_id: int, *, reason: str, entropy_source: str, operator: str,
                lottery_date: date | None = None, replace_open: str | None = None,
                clock: Callable[[], datetime] = now, partner_gap_reason: str = "") -> SealedAnnouncement:
    """Seal a 重抽 of a whole record: same item, round and setup, the record's own picks drawable again.

    *partner_gap_reason*: why a 部门联合 item is re-drawn short of partner officers (sealed with the new
    announcement, protocol section 11); without it the record's own sealed reason, if any, is carried over."""
    from models.draw_service import redraw_preparation

    if not (reason or "").strip():
        raise DrawError("重新抽取必须填写原因")
    with db.read_session() as s:
        prep = redraw_preparation(s, record_id, partner_gap_reason)
    return seal(db, prep, entropy_source=entropy_source, operator=operator, lottery_date=lottery_date,
                kind=KIND_REDRAW, replaces_id=record_id, reason=reason, replace_open=replace_open, clock=clock)


def seal_substitute(db: Database, record_id: int, object_id: int, *, reason: str, entropy_source: str,
                    operator: str, lottery_date: date | None = None, replace_open: str | None = None,
                    clock: Callable[[], datetime] = now, partner_gap_reason: str = "") -> SealedAnnouncement:
    """Seal a 替补 for one object: one object from everything not yet drawn in the item and round
    (*partner_gap_reason* as for seal_redraw)."""
    from models.draw_service import substitute_preparation

    if not (reason or "").strip():
        raise DrawError("替补抽取必须填写原因")
    with db.read_session() as s:
        holder, prep = substitute_preparation(s, record_id, object_id, partner_gap_reason)
    return seal(db, prep, entropy_source=entropy_source, operator=operator, lottery_date=lottery_date,
                kind=KIND_SUBSTITUTE, replaces_id=holder, replaced_object_id=object_id, reason=reason,
                replace_open=replace_open, clock=clock)


def seal_for(db: Database, kind: str, *, entropy_source: str, operator: str, lottery_date: date | None = None,
             prep: DrawPreparation | None = None, record_id: int | None = None, object_id: int | None = None,
             reason: str = "", replace_open: str | None = None, partner_gap_reason: str = "") -> SealedAnnouncement:
    """Seal a draw, a 重抽 or a 替补 — the one entry the screens call, whatever the task (a new draw's 缺员原因
    is in *prep*; a replacement's is *partner_gap_reason*)."""
    common = dict(entropy_source=entropy_source, operator=operator, lottery_date=lottery_date,
                  replace_open=replace_open)
    if kind == KIND_REDRAW:
        return seal_redraw(db, record_id, reason=reason, partner_gap_reason=partner_gap_reason, **common)
    if kind == KIND_SUBSTITUTE:
        return seal_substitute(db, record_id, object_id, reason=reason, partner_gap_reason=partner_gap_reason,
                               **common)
    if prep is None:
        raise DrawError("请先准备待抽名单")
    return seal(db, prep, **common)


def find_announcement(s: Session, year: int, number: int) -> DrawAnnouncement:
    row = s.execute(select(DrawAnnouncement).where(DrawAnnouncement.year == year,
                                                   DrawAnnouncement.number == number)).scalar_one_or_none()
    if row is None:
        raise DrawError(f"没有 {draw_announcement.announcement_number(year, number)} 号抽取公告")
    return row


def void(db: Database, year: int, number: int, *, reason: str, operator: str,
         clock: Callable[[], datetime] = now) -> SealedAnnouncement:
    """作废 an announcement not yet drawn; it stays listed with the reason, its number is never reused."""
    reason = limited(" ".join((reason or "").split()), "作废原因", REASON_MAX, error=DrawError)
    if not reason:
        raise DrawError("作废抽取公告必须写明原因")
    with db.session() as s:
        row = find_announcement(s, year, number)
        lock_item(s, row.plan_item_id)  # a draw against it at the same moment waits, or makes this one refused
        state = announcement_state(s, row)
        if state.status != STATUS_OPEN:
            what = (f"已抽取（记录 #{state.draw_id}{drawn_by(s, state.draw_id)}）" if state.status == STATUS_DRAWN
                    else "已作废")
            raise DrawError(f"抽取公告 {state.label} {what}，不能作废")
        _void_row(s, row, reason, operator, clock)
        return announcement_state(s, row)


def _void_row(s: Session, row: DrawAnnouncement, reason: str, operator: str, clock: Callable[[], datetime]) -> None:
    """Write the void and its audit entry inside the caller's transaction."""
    s.add(AnnouncementVoid(announcement_id=row.id, reason=reason, voided_at=clock().replace(microsecond=0),
                           operator=(operator or "").strip()))
    s.flush()
    audit.append(s, user=operator, action="作废抽取公告", entity="draw_announcement_void", entity_id=row.id,
                 detail={"year": row.year, "number": row.number, "commitment": row.commitment, "reason": reason})


def announcement_status(s: Session, row: DrawAnnouncement) -> tuple[str, int | None, str]:
    """(status, the record drawn against it, the void reason) without reading the announcement's JSON."""
    draw_id = s.execute(select(DrawRecord.id).where(DrawRecord.announcement_id == row.id)).scalar()
    voided = s.execute(select(AnnouncementVoid.reason).where(AnnouncementVoid.announcement_id == row.id)).scalar()
    status = STATUS_DRAWN if draw_id is not None else STATUS_VOID if voided is not None else STATUS_OPEN
    return status, draw_id, voided or ""


def announcement_state(s: Session, row: DrawAnnouncement) -> SealedAnnouncement:
    status, draw_id, void_reason = announcement_status(s, row)
    return SealedAnnouncement(row.id, row.year, row.number, row.commitment, json.loads(row.announcement_json),
                              status, draw_id, void_reason)


@dataclass(frozen=True)
class AnnouncementSummary:
    """One line of the announcement list (公告), drawn, open or voided — never removed."""

    id: int
    year: int
    number: int
    label: str
    sealed_at: datetime
    item_number: str
    item_name: str
    round: int
    jurisdiction: str
    kind: str
    status: str
    draw_id: int | None
    void_reason: str
    entropy_source: str
    lottery_date: date | None
    commitment: str


def list_announcements(s: Session, year: int | None = None) -> list[AnnouncementSummary]:
    query = (select(DrawAnnouncement, PlanItem.number, PlanItem.item)
             .join(PlanItem, PlanItem.id == DrawAnnouncement.plan_item_id)
             .order_by(DrawAnnouncement.year, DrawAnnouncement.number))
    if year is not None:
        query = query.where(DrawAnnouncement.year == year)
    drawn = dict(s.execute(select(DrawRecord.announcement_id, DrawRecord.id)
                           .where(DrawRecord.announcement_id.is_not(None))).all())
    voids = dict(s.execute(select(AnnouncementVoid.announcement_id, AnnouncementVoid.reason)).all())
    result = []
    for row, number, name in s.execute(query):
        status = STATUS_DRAWN if row.id in drawn else STATUS_VOID if row.id in voids else STATUS_OPEN
        result.append(AnnouncementSummary(
            row.id, row.year, row.number, draw_announcement.announcement_number(row.year, row.number), row.sealed_at,
            number, name, row.round, row.jurisdiction, row.kind, status, drawn.get(row.id), voids.get(row.id, ""),
            row.entropy_source, row.lottery_date, row.commitment))
    return result
