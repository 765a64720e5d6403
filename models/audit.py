"""The hash-chained audit log: every change to rosters, plans and draws is appended here.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical
content, so deleting, inserting or altering an entry breaks the chain at that point.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from models.admin import AuditEntry
from models.base import now
from models.errors import DatabaseBusy

GENESIS = "0" * 64
# How long a seat waits for another seat's append to commit before giving up with DatabaseBusy: an
# append waits only for other transactions' last steps (milliseconds), so a long wait means a stuck one.
LOCK_WAIT_SECONDS = 30


def canonical_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, ts: datetime, user: str, action: str, entity: str, entity_id: str, detail: str) -> str:
    payload = "\n".join([prev_hash, ts.isoformat(sep=" "), user, action, entity, entity_id, detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _serialise_appends(session: Session) -> None:
    """On PostgreSQL, make this transaction the only one appending until it commits or rolls back.

    Without it two seats read the same last hash and the chain forks. EXCLUSIVE mode conflicts
    with itself and with every INSERT into audit_log, but not with plain SELECTs (verify-audit and
    the log screen read on). Under READ COMMITTED the SELECT of the last hash that follows runs
    after the lock is granted, so it sees every entry committed before: a stale hash is impossible.
    Taking it again in the same transaction costs nothing (the lock is already held).

    Lock order, to avoid deadlocks between seats: the whole-table locks a transaction needs for
    numbering (notices, draw_announcements) and its row locks (the plan item of a draw, the roster
    row being edited) come first, the audit_log lock last; services append their audit entry after
    their own writes, so a transaction holding this lock waits for nothing else. SQLite needs none
    of this: one writer at a time holds the whole database.
    """
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    # A bounded wait for this lock only (reset at once), so a stuck seat cannot hang every other one.
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(LOCK_WAIT_SECONDS * 1000)}ms'")
    try:
        conn.exec_driver_sql("LOCK TABLE audit_log IN EXCLUSIVE MODE")
    except OperationalError as e:
        state = getattr(e.orig, "sqlstate", None)
        if state not in ("55P03", "40P01"):  # lock_not_available, deadlock_detected
            raise
        why = (f"其他工作站正在写入数据库，等待超过 {LOCK_WAIT_SECONDS} 秒仍未完成" if state == "55P03"
               else "与其他工作站的操作互相等待，数据库已中止本次操作")
        raise DatabaseBusy(f"{why}。本次操作未保存，请稍后重试。") from None
    conn.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")


def append(session: Session, *, user: str, action: str, entity: str = "", entity_id: object = "",
           detail=None) -> AuditEntry:
    """Append one entry inside the caller's transaction (so it commits or rolls back with the change)."""
    session.flush()  # the caller's own writes first (their row locks), then the audit lock: see above
    _serialise_appends(session)
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    prev = last or GENESIS
    ts = now()
    detail_text = canonical_json(detail if detail is not None else {})
    eid = "" if entity_id is None else str(entity_id)
    entry = AuditEntry(
        ts=ts, user=user or "", action=action, entity=entity, entity_id=eid, detail=detail_text,
        prev_hash=prev, hash=entry_hash(prev, ts, user or "", action, entity, eid, detail_text),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass
class AuditCheck:
    ok: bool
    count: int
    message: str
    broken_id: int | None = None


def verify_chain(session: Session) -> AuditCheck:
    """Walk the log in order and report the first entry whose chain or content does not match."""
    prev = GENESIS
    count = 0
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        count += 1
        if e.prev_hash != prev:
            return AuditCheck(False, count,
                              f"审计日志第 {e.id} 条的前序哈希不符：其前面的记录被删除、插入或修改过。", e.id)
        expected = entry_hash(prev, e.ts, e.user, e.action, e.entity, e.entity_id, e.detail)
        if e.hash != expected:
            return AuditCheck(False, count, f"审计日志第 {e.id} 条（{e.action}）的内容被修改过：哈希不符。", e.id)
        prev = e.hash
    return AuditCheck(True, count, f"审计日志完整，共 {count} 条，哈希链一致。")
