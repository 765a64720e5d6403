"""Nothing drops without trace: draw records, announcements, pick tables and the audit log checked against each other.

The hash chain alone cannot show a row deleted with its trigger dropped, nor a pick row edited
behind the record; every check here compares two independent places that must agree:
audit entries ↔ records and announcements (both ways), and the pick/assignment tables ↔ the
locked record JSON. ``check_against`` compares the database with an anchor printed earlier.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import draw_announcement
from models.admin import AuditEntry
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_record import record_hash
from models.errors import UserError
from models.event import DrawPickEvent, Event
from models.plan import PlanItem
from models.seal import AnnouncementVoid, DrawAnnouncement

_CHUNK = 900  # SQLite caps bound parameters per statement


class DrawTamperedError(UserError):
    """The pick or assignment tables no longer match a locked draw record: nothing is published from them."""


def _logged(session: Session, entity: str, key: str, ids: list[int] | None = None) -> dict[str, tuple[int, object]]:
    query = select(AuditEntry.id, AuditEntry.entity_id, AuditEntry.detail).where(AuditEntry.entity == entity)
    if ids is not None:
        query = query.where(AuditEntry.entity_id.in_([str(i) for i in ids]))
    result = {}
    for entry_id, entity_id, detail in session.execute(query):
        try:
            result[entity_id] = (entry_id, json.loads(detail).get(key))
        except (ValueError, AttributeError, RecursionError):
            result[entity_id] = (entry_id, None)
    return result


def _tables_of(session: Session, ids: list[int] | None = None) -> tuple[dict[int, list], dict[int, list]]:
    """(order, object) per record and (order, slot, inspector) per record, as the tables hold them."""
    picks: dict[int, list] = defaultdict(list)
    teams: dict[int, list] = defaultdict(list)
    order_of: dict[int, tuple[int, int]] = {}
    # A per-event pick (models/event_draw.py) stands for its event, the record's candidate id, and its object
    # must be that event's organiser (which cannot change once drawn).
    pick_query = (select(DrawPick.id, DrawPick.draw_id, DrawPick.order, DrawPick.object_id, DrawPickEvent.event_id,
                         Event.organiser_id)
                  .outerjoin(DrawPickEvent, DrawPickEvent.pick_id == DrawPick.id)
                  .outerjoin(Event, Event.id == DrawPickEvent.event_id))
    team_query = select(DrawAssignment.pick_id, DrawAssignment.slot, DrawAssignment.inspector_id)
    if ids is None:
        pick_queries, team_queries = [pick_query], [team_query]
    else:
        chunks = [ids[n:n + _CHUNK] for n in range(0, len(ids), _CHUNK)]
        pick_queries = [pick_query.where(DrawPick.draw_id.in_(c)) for c in chunks]
        team_queries = [team_query.join(DrawPick, DrawPick.id == DrawAssignment.pick_id)
                        .where(DrawPick.draw_id.in_(c)) for c in chunks]
    for query in pick_queries:
        for pid, did, order, oid, eid, organiser in session.execute(query):
            picks[did].append((order, oid if eid is None else eid if organiser == oid else -1))
            order_of[pid] = (did, order)
    for query in team_queries:
        for pick_id, slot, iid in session.execute(query):
            did, order = order_of.get(pick_id, (None, None))
            teams[did].append((order, slot, iid))
    return picks, teams


def _record_problems(rid: int, stored: str, text: str, logged: dict, picks: dict, teams: dict) -> list[str]:
    """What is wrong with one record: its audit entry, its own hash, and the tables against its picks and teams."""
    problems = []
    if str(rid) not in logged:
        problems.append(f"抽取记录 #{rid} 在审计日志中没有对应条目：审计日志的条目可能被删除。")
    elif logged[str(rid)][1] != stored:
        problems.append(f"抽取记录 #{rid} 的哈希与审计日志中记载的不符：记录可能被替换。")
    try:
        record = json.loads(text)
        # The text is saved canonical, so hashing it is enough; an older row saved otherwise is re-serialised.
        ok = hashlib.sha256(text.encode("utf-8")).hexdigest() == stored or record_hash(record) == stored
    except (ValueError, RecursionError, TypeError, AttributeError):
        record, ok = None, False
    if not ok or not isinstance(record, dict):
        problems.append(f"抽取记录 #{rid} 的内容与保存时的哈希值不符，记录可能被篡改。")
        return problems
    want_picks = [(p["order"], p["id"]) for p in record["picks"]]
    if sorted(picks.get(rid, [])) != want_picks:
        problems.append(f"抽取记录 #{rid} 的抽中对象表与锁定的记录不一致：抽中对象被改动或删除。")
    want_teams = sorted((a["order"], i["slot"], i["id"]) for a in record["assignments"] for i in a["inspectors"])
    if sorted(teams.get(rid, [])) != want_teams:
        problems.append(f"抽取记录 #{rid} 的检查人员分配表与锁定的记录不一致：检查人员被改动或删除。")
    return problems


def require_consistent(session: Session, record_ids, *, purpose: str) -> None:
    """Refuse (DrawTamperedError naming each draw) when any of these records disagrees with its tables or its entry.

    Publicity, statistics and documents read picks and inspectors from the tables; this is the
    check that what they read is what the locked record says, so a pick row changed behind the
    record (DROP TRIGGER, then UPDATE) is never published.
    """
    ids = sorted(set(record_ids))
    if not ids:
        return
    logged = _logged(session, "draw_record", "record_hash", ids)
    picks, teams = _tables_of(session, ids)
    problems: list[str] = []
    labels: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        for rid, stored, text, rnd, number, item in session.execute(
                select(DrawRecord.id, DrawRecord.record_hash, DrawRecord.record_json, DrawRecord.round,
                       PlanItem.number, PlanItem.item)
                .join(PlanItem, PlanItem.id == DrawRecord.plan_item_id)
                .where(DrawRecord.id.in_(ids[start:start + _CHUNK])).order_by(DrawRecord.id)):
            found = _record_problems(rid, stored, text, logged, picks, teams)
            if found:
                labels[rid] = f"抽取记录 #{rid}（{number}．{item}，第 {rnd} 轮）"
                problems += found
    if problems:
        raise DrawTamperedError(
            f"无法{purpose}：{'、'.join(labels.values())}与数据库中的抽中对象或检查人员不一致，"
            "不能据此公示或统计。" + "".join(problems)
            + "请运行 python main.py verify-audit 查明，并从篡改之前的备份恢复。")


def draw_problems(session: Session) -> list[str]:
    """Every disagreement between records, announcements, pick tables and the audit log (Chinese), or []."""
    problems: list[str] = []
    logged = _logged(session, "draw_record", "record_hash")
    picks, teams = _tables_of(session)
    seen: set[str] = set()
    for rid, stored, text in session.execute(
            select(DrawRecord.id, DrawRecord.record_hash, DrawRecord.record_json).order_by(DrawRecord.id)):
        seen.add(str(rid))
        problems += _record_problems(rid, stored, text, logged, picks, teams)
    for entity_id, (entry_id, _h) in sorted(logged.items(), key=lambda x: x[1][0]):
        if entity_id not in seen:
            problems.append(f"审计日志第 {entry_id} 条记载的抽取记录 #{entity_id} 在数据库中不存在：抽取记录被删除。")
    orphans = set(picks) - {int(x) for x in seen}
    if orphans:
        problems.append(f"抽中对象表中有不属于任何抽取记录的行（记录编号 {'、'.join(map(str, sorted(orphans)))}）。")
    problems += _announcement_problems(session)
    return problems


def _announcement_problems(session: Session) -> list[str]:
    problems = []
    logged = _logged(session, "draw_announcement", "commitment")
    seen = set()
    for aid, year, number, commitment, text in session.execute(
            select(DrawAnnouncement.id, DrawAnnouncement.year, DrawAnnouncement.number, DrawAnnouncement.commitment,
                   DrawAnnouncement.announcement_json).order_by(DrawAnnouncement.id)):
        seen.add(str(aid))
        label = draw_announcement.announcement_number(year, number)
        if str(aid) not in logged:
            problems.append(f"抽取公告 {label} 在审计日志中没有对应条目：审计日志的条目可能被删除。")
        elif logged[str(aid)][1] != commitment:
            problems.append(f"抽取公告 {label} 的承诺值与审计日志中记载的不符：公告可能被替换。")
        try:
            ok = draw_announcement.commitment(json.loads(text)) == commitment
        except ValueError:
            ok = False
        if not ok:
            problems.append(f"抽取公告 {label} 的内容与其承诺值不符，公告可能被篡改。")
    for entity_id, (entry_id, _c) in sorted(logged.items(), key=lambda x: x[1][0]):
        if entity_id not in seen:
            problems.append(f"审计日志第 {entry_id} 条记载的抽取公告（编号 {entity_id}）在数据库中不存在：公告被删除。")
    voids = {str(a) for (a,) in session.execute(select(AnnouncementVoid.announcement_id))}
    for entity_id, (entry_id, _r) in _logged(session, "draw_announcement_void", "reason").items():
        if entity_id not in voids:
            problems.append(f"审计日志第 {entry_id} 条记载的公告作废在数据库中不存在：作废记录被删除。")
    return problems


# How a printed table writes a 64-hex hash (four blocks of 16) and the lines verify-audit --against reads back.
_HEX = r"((?:[0-9a-f]{16}[ \u3000]?){3}[0-9a-f]{16})"
_GAP = r"[ \u3000]*"
_RECORD_LINE = re.compile(r"#(\d+)" + _GAP + "记录哈希" + _GAP + _HEX)
_ANNOUNCEMENT_LINE = re.compile("抽取公告" + _GAP + r"(\d{4})-(\d{3,})" + _GAP + "承诺值" + _GAP + _HEX)
_HEAD_LINE = re.compile("审计日志头：第" + _GAP + r"(\d+)" + _GAP + "条" + _GAP + "哈希" + _GAP + _HEX)


def hex_blocks(digest: str) -> str:
    """A 64-hex hash as printed: four blocks of 16, so a reader can compare it block by block."""
    return " ".join(digest[n:n + 16] for n in range(0, len(digest), 16))


def record_hash_line(record_id: int, digest: str) -> str:
    return f"#{record_id}　记录哈希 {hex_blocks(digest)}"


def announcement_line(label: str, commitment: str) -> str:
    return f"抽取公告 {label}　承诺值 {hex_blocks(commitment)}"


def audit_head_line(head: dict) -> str:
    return f"审计日志头：第 {head['id']} 条　哈希 {hex_blocks(head['hash'])}"


def listing_from_lines(lines) -> dict | None:
    """What a printed publicity table lists (records, announcements, audit head) as an anchor, or None if nothing."""
    head, records, announcements = None, {}, {}
    for line in lines:
        for m in _RECORD_LINE.finditer(line):
            records[int(m.group(1))] = "".join(m.group(2).split())
        for m in _ANNOUNCEMENT_LINE.finditer(line):
            announcements[(int(m.group(1)), int(m.group(2)))] = "".join(m.group(3).split())
        m = _HEAD_LINE.search(line)
        if m:
            head = {"id": int(m.group(1)), "hash": "".join(m.group(2).split())}
    if head is None and not records and not announcements:
        return None
    return {"anchor": "SSJ-AUDIT-ANCHOR-1", "audit_head": head or {},
            "records": [{"id": i, "record_hash": h} for i, h in sorted(records.items())],
            "announcements": [{"year": y, "number": n, "commitment": c} for (y, n), c in sorted(announcements.items())]}


def audit_head(session: Session) -> dict:
    """The newest audit entry (id and hash): printed on forms so a later database can be checked against it."""
    row = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return {"id": row[0], "hash": row[1]} if row else {"id": 0, "hash": "0" * 64}


def anchor(session: Session) -> dict:
    """An anchor file's content: the audit head and the hash of every draw record and announcement."""
    return {
        "anchor": "SSJ-AUDIT-ANCHOR-1",
        "audit_head": audit_head(session),
        "records": [{"id": i, "record_hash": h} for i, h in
                    session.execute(select(DrawRecord.id, DrawRecord.record_hash).order_by(DrawRecord.id))],
        "announcements": [{"year": y, "number": n, "commitment": c} for y, n, c in session.execute(
            select(DrawAnnouncement.year, DrawAnnouncement.number, DrawAnnouncement.commitment)
            .order_by(DrawAnnouncement.year, DrawAnnouncement.number))],
    }


def check_against(session: Session, data) -> list[str]:
    """What an anchor (or a draw record, or an announcement) lists that the database no longer holds as listed."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["文件内容不是可识别的锚点、抽取记录或抽取公告"]
    if "algorithm" in data and "picks" in data:  # a draw record file
        digest = record_hash(data)
        if session.execute(select(DrawRecord.id).where(DrawRecord.record_hash == digest)).first() is None:
            problems.append(f"数据库中没有哈希为 {digest} 的抽取记录：该记录已丢失或被改动。")
        return problems
    if data.get("protocol") == draw_announcement.PROTOCOL and "candidates" in data:  # an announcement file
        digest = draw_announcement.commitment(data)
        if session.execute(select(DrawAnnouncement.id).where(DrawAnnouncement.commitment == digest)).first() is None:
            problems.append(f"数据库中没有承诺值为 {digest} 的抽取公告 "
                            f"{draw_announcement.announcement_number(data.get('year', 0), data.get('number', 0))}。")
        return problems
    if data.get("anchor") != "SSJ-AUDIT-ANCHOR-1":
        return ["文件内容不是可识别的锚点、抽取记录或抽取公告"]
    head = data.get("audit_head") or {}
    stored = session.execute(select(AuditEntry.hash).where(AuditEntry.id == head.get("id"))).scalar()
    if head.get("id") and stored != head.get("hash"):
        problems.append(f"审计日志第 {head.get('id')} 条" + ("已不存在" if stored is None else "的哈希已改变")
                        + "：打印之后数据库被重建或审计日志被改写。")
    held = dict(session.execute(select(DrawRecord.id, DrawRecord.record_hash)).all())
    for r in data.get("records", []):
        if held.get(r.get("id")) is None:
            problems.append(f"文件列出的抽取记录 #{r.get('id')} 在数据库中已不存在。")
        elif held[r.get("id")] != r.get("record_hash"):
            problems.append(f"抽取记录 #{r.get('id')} 的哈希与文件所列不同：记录已被替换。")
    sealed = {(y, n): c for y, n, c in session.execute(
        select(DrawAnnouncement.year, DrawAnnouncement.number, DrawAnnouncement.commitment))}
    for a in data.get("announcements", []):
        key = (a.get("year"), a.get("number"))
        label = draw_announcement.announcement_number(key[0] or 0, key[1] or 0)
        if key not in sealed:
            problems.append(f"文件列出的抽取公告 {label} 在数据库中已不存在。")
        elif sealed[key] != a.get("commitment"):
            problems.append(f"抽取公告 {label} 的承诺值与文件所列不同：公告已被替换。")
    return problems
