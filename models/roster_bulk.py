"""Bulk writing of roster rows keyed by 统一社会信用代码 / 警号.

The one fast path shared by the Excel import and the demo.

Rows are plain dicts of trimmed text; existing rows are pre-loaded into dicts by key and
written with Core executemany statements, never one ORM object per row.
"""
from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Callable, Iterable

from sqlalchemy import Boolean, DateTime, bindparam, insert, select, update
from sqlalchemy.orm import Session

from models.errors import ConcurrentEdit
from models.roster import ID_KIND_CREDIT, ID_KIND_NONE, InspectedObject, Inspector, ObjectType, Recusal
from models.roster_service import RosterError

OBJECT_CMP = ("name", "type_name", "address", "jurisdiction", "legal_rep", "phone", "licence_no", "risk_level",
              "status", "active", "id_kind", "id_country", "no_id_reason")
INSPECTOR_CMP = ("name", "unit", "cert_no", "active")
KEYS = {"objects": "credit_code", "inspectors": "badge_no"}
OBJECT_INSERT = ("name", "credit_code", "object_type_id", "address", "jurisdiction", "legal_rep", "phone",
                 "licence_no", "risk_level", "status", "active", "created_at", "updated_at", "id_kind", "id_country",
                 "no_id_reason")
INSPECTOR_INSERT = ("name", "badge_no", "unit", "cert_no", "active", "created_at", "updated_at")


class ImportCancelled(Exception):
    """The clerk cancelled; the transaction is rolled back and nothing is written."""


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building 100,000s of rows: none of them form
    cycles, and its repeated passes over the growing heap cost a fifth of an import."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def large_cache(s: Session, kib: int = 65536):
    """A bigger SQLite page cache on this connection while a bulk write updates the indexes.

    Nothing to do on a server (PostgreSQL sizes its own shared buffers)."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


# A bulk insert at least this large into a table at most as large drops the table's plain indexes and builds
# them again afterwards (deferred_indexes).
DEFER_INDEXES_FROM = 10_000


@contextlib.contextmanager
def deferred_indexes(s: Session, table, incoming: int):
    """Drop *table*'s plain (non-unique) indexes for a bulk insert of *incoming* rows, and build them again.

    SQLite builds an index over rows already there by one sort, which at 100,000 objects is a third of the
    cost of updating three indexes row by row. Only when the insert is large and the table not larger
    (rebuilding a big table's indexes for a few rows would cost more). The indexes are created again from
    their own stored SQL, so the schema ends exactly as it was; both happen inside the caller's
    transaction, so a cancelled or failed import rolls the drop back with everything else. Unique
    indexes stay: they are the constraint the insert must meet. Nothing to do on a server.
    """
    conn = s.connection()
    indexes = []
    if conn.dialect.name == "sqlite" and incoming >= DEFER_INDEXES_FROM:
        present = conn.exec_driver_sql(f"SELECT count(*) FROM {table.name}").scalar()
        if present <= incoming:
            indexes = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
                "AND upper(sql) NOT LIKE 'CREATE UNIQUE%' ORDER BY name", (table.name,)).all()
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.exec_driver_sql(sql)


class Checkpoints:
    """Progress every ~1% and a cancel check, for loops over many rows."""

    def __init__(self, total: int, progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None, offset: int = 0, grand_total: int | None = None):
        self.total = total
        self.step = max(1, total // 100)
        self.progress = progress
        self.cancelled = cancelled
        self.offset = offset
        self.grand_total = grand_total if grand_total is not None else total

    def at(self, done: int) -> None:
        if done % self.step == 0 or done == self.total:
            self.tick(done)

    def tick(self, done: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled("已取消导入，数据库未作任何修改。")
        if self.progress is not None:
            self.progress(self.offset + done, self.grand_total)


@dataclass
class Plan:
    """What writing some rows means for the roster: new rows, changed fields by id, unchanged count."""

    new: list[dict]
    updates: list[tuple[int, dict]]
    unchanged: int
    # The version each updated row had when planned: the write bumps it and refuses a row changed since.
    versions: dict[int, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.new) + len(self.updates)


def plan_rows(s: Session, kind: str, rows: Iterable[dict]) -> Plan:
    """Split rows into new ones, changed ones (only the fields that differ) and unchanged ones.

    A row may omit a field (its column was absent or, for risk, status and the active flag,
    empty): the stored value is then kept. "active" is a bool when given.
    """
    if kind == "objects":
        o = InspectedObject
        cmp_fields = OBJECT_CMP
        stmt = (select(o.credit_code, o.id, o.name, ObjectType.name, o.address, o.jurisdiction, o.legal_rep, o.phone,
                       o.licence_no, o.risk_level, o.status, o.active, o.id_kind, o.id_country, o.no_id_reason,
                       o.version)
                .join(ObjectType, ObjectType.id == o.object_type_id))
    else:
        i = Inspector
        cmp_fields = INSPECTOR_CMP
        stmt = select(i.badge_no, i.id, i.name, i.unit, i.cert_no, i.active, i.version)
    position = {f: n + 2 for n, f in enumerate(cmp_fields)}
    key = KEYS[kind]
    rows = list(rows)
    if kind == "objects":
        # A unit by its bare code (as always); a person by (kind, country, number); 无 by (无, name, address).
        k, c, n, a = position["id_kind"], position["id_country"], position["name"], position["address"]
        keys = [row_key(v) if "id_kind" in v else v[key] for v in rows]

        def stored_key(r):
            if r[k] == ID_KIND_CREDIT:
                return r[0]
            return (r[k], r[n], r[a]) if r[k] == ID_KIND_NONE else (r[k], r[c], r[0])
    else:
        keys = [v[key] for v in rows]
        stored_key = itemgetter(0)
    # The stored rows stream by in batches and only those the file names are kept: holding every row of a
    # 200,000-object roster cost 200 MB of an import that adds 100,000 new ones.
    wanted = set(keys)
    existing = {}
    for r in s.execute(stmt.execution_options(yield_per=5000)):
        if (found := stored_key(r)) in wanted:
            existing[found] = r
    plan = Plan([], [], 0)
    for v, row_key_ in zip(rows, keys):
        old = existing.get(row_key_)
        if old is None:
            plan.new.append(v)
            continue
        changes = {f: val for f, val in v.items() if f != key and val != old[position[f]]}
        if changes:
            plan.updates.append((old[1], changes))
            plan.versions[old[1]] = old[-1]
        else:
            plan.unchanged += 1
    return plan


def row_key(v: dict):
    """The key of an objects row that names its 证件类型 (see plan_rows; reports/roster_sheets.object_key)."""
    kind = v["id_kind"]
    if kind == ID_KIND_CREDIT:
        return v["credit_code"]
    if kind == ID_KIND_NONE:
        return (kind, v.get("name", ""), v.get("address", ""))
    return (kind, v.get("id_country", ""), v["credit_code"])


def write_plan(s: Session, kind: str, plan: Plan, ts, checks: Checkpoints) -> None:
    """Insert the new rows and update the changed ones, in chunks with progress and cancel checks."""
    if kind == "objects":
        with large_cache(s):
            _write_objects(s, plan, ts, checks)
    else:
        new, stamps = plan.new, repeat(_stamp(s, ts))
        rows = list(zip(_column(new, "name"), _column(new, "badge_no"), _column(new, "unit"),
                        _column(new, "cert_no", ""), map(int, _column(new, "active", True)), stamps, stamps))
        _raw_insert(s, Inspector.__table__, INSPECTOR_INSERT, rows, checks, 0)
        changes = [{**c, "id": iid, "updated_at": ts} for iid, c in plan.updates]
        _versioned_updates(s, Inspector.__table__, changes, plan.versions, checks, len(rows))


def _raw_insert(s: Session, table, columns: tuple[str, ...], rows: list[tuple], checks: Checkpoints,
                offset: int) -> None:
    """executemany straight on the driver: SQLAlchemy's per-row parameter handling costs more
    than SQLite's own work at 100,000 rows. Still inside the session's transaction."""
    conn = s.connection()
    if conn.dialect.name == "postgresql":
        # The server's own bulk path: COPY through psycopg, in the session's transaction (about twice as
        # fast as batched INSERTs at 100,000 rows); booleans as booleans (SQLite keeps 0/1).
        flags = [isinstance(table.c[c].type, Boolean) for c in columns]
        statement = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with conn.connection.dbapi_connection.cursor() as cur:
            for chunk in _chunks(rows, checks, offset):
                with cur.copy(statement) as copy:
                    for row in chunk:
                        copy.write_row([bool(v) if f else v for f, v in zip(flags, row)])
        return
    if conn.dialect.name != "sqlite":
        # Another server: SQLAlchemy's batched executemany.
        flags = [isinstance(table.c[c].type, Boolean) for c in columns]
        for chunk in _chunks(rows, checks, offset):
            s.execute(insert(table), [{c: (bool(v) if f else v) for c, f, v in zip(columns, flags, row)}
                                      for row in chunk])
        return
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    for chunk in _chunks(rows, checks, offset):
        conn.exec_driver_sql(sql, chunk)


def _stamp(s: Session, ts) -> str:
    """*ts* as the text SQLAlchemy's SQLite DateTime stores, so raw and ORM writes read back alike."""
    dialect = s.get_bind().dialect
    process = DateTime().dialect_impl(dialect).bind_processor(dialect)
    return process(ts) if process is not None else ts  # a server's driver takes the datetime itself


def _chunk_size(checks: Checkpoints) -> int:
    return max(500, checks.step)


def _slices(items: list, size: int):
    """(start, items[start:start + size]) over *items*."""
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def _chunks(items: list, checks: Checkpoints, offset: int):
    """Chunks of *items*, each followed by a progress tick (and a cancel check) for the rows done so far."""
    for start, chunk in _slices(items, _chunk_size(checks)):
        yield chunk
        checks.tick(offset + start + len(chunk))


def type_ids(s: Session, names: set[str]) -> dict[str, int]:
    """Object type ids by name, creating the types the roster does not know yet."""
    ids = dict(s.execute(select(ObjectType.name, ObjectType.id)).all())
    missing = sorted(n for n in names if n not in ids)
    if missing:
        s.execute(insert(ObjectType), [{"name": n} for n in missing])
        ids = dict(s.execute(select(ObjectType.name, ObjectType.id)).all())
    return ids


def _write_objects(s: Session, plan: Plan, ts, checks: Checkpoints) -> None:
    wanted = {v["type_name"] for v in plan.new} | {c["type_name"] for _, c in plan.updates if "type_name" in c}
    ids = type_ids(s, wanted)
    new, stamp = plan.new, _stamp(s, ts)
    with deferred_indexes(s, InspectedObject.__table__, len(new)):
        # Insert tuples one chunk at a time: all 100,000 at once held 18 MB more at the import's peak.
        for start, chunk in _slices(new, _chunk_size(checks)):
            rows = _object_tuples(chunk, ids, stamp)
            if any(r[-3] == ID_KIND_NONE for r in rows):   # no identifier: NULL, never "" (unique within kind)
                rows = [(r[0], None, *r[2:]) if r[-3] == ID_KIND_NONE else r for r in rows]
            _raw_insert(s, InspectedObject.__table__, OBJECT_INSERT, rows, checks, start)
    changes = []
    for oid, c in plan.updates:
        c = {**c, "id": oid, "updated_at": ts}
        if "type_name" in c:
            c["object_type_id"] = ids[c.pop("type_name")]
        changes.append(c)
    _versioned_updates(s, InspectedObject.__table__, changes, plan.versions, checks, len(new))


def _object_tuples(new: list[dict], ids: dict[str, int], stamp) -> list[tuple]:
    """The new objects as OBJECT_INSERT tuples: a field a row omits takes the new row's default."""
    stamps = repeat(stamp)
    return list(zip(_column(new, "name"), _column(new, "credit_code"), map(ids.__getitem__, _column(new, "type_name")),
                    _column(new, "address", ""), _column(new, "jurisdiction", ""), _column(new, "legal_rep", ""),
                    _column(new, "phone", ""), _column(new, "licence_no", ""), _column(new, "risk_level", "低风险"),
                    _column(new, "status", "在营"), map(int, _column(new, "active", True)), stamps, stamps,
                    _column(new, "id_kind", ID_KIND_CREDIT), _column(new, "id_country", ""),
                    _column(new, "no_id_reason", "")))


_REQUIRED = object()


def _column(rows: list[dict], f: str, default=_REQUIRED) -> list:
    """Field *f* of every row, *default* where a row omits it (a required field raises KeyError).

    One C-level pass when every row has the field, as a sheet's rows usually do: building insert tuples
    column by column and zipping them, instead of a dict.get per field and row, saves a tenth of a
    100,000-row import.
    """
    try:
        return list(map(itemgetter(f), rows))
    except KeyError:
        if default is _REQUIRED:
            raise
        return [v.get(f, default) for v in rows]


def _versioned_updates(s: Session, table, changes: list[dict], versions: dict[int, int], checks: Checkpoints,
                       offset: int) -> None:
    """UPDATE each row's changed fields by id and bump its version, as an ORM edit does (models/roster.py).

    A dialog open on one of these rows then loses its race honestly (ConcurrentEdit). Each row must
    still have the version it had when planned; one changed since by another seat refuses the whole
    import (the transaction rolls back). Rows are grouped by the set of fields they change, one
    executemany per group, so 100,000 updates stay batched.
    """
    for chunk in _chunks(changes, checks, offset):
        groups: dict[tuple[str, ...], list[dict]] = {}
        for c in chunk:
            groups.setdefault(tuple(sorted(k for k in c if k != "id")), []).append(c)
        for keys, rows in groups.items():
            stmt = (update(table)
                    .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                    .values({**{k: bindparam(f"v_{k}", type_=table.c[k].type) for k in keys},
                             "version": table.c.version + 1}))
            params = [{"b_id": c["id"], "b_version": versions[c["id"]], **{f"v_{k}": c[k] for k in keys}}
                      for c in rows]
            done = s.connection().execute(stmt, params).rowcount
            if done != len(params):
                raise ConcurrentEdit("导入期间，其他用户修改了名录中的部分记录，本次导入未写入任何数据。"
                                     "请重新导入（将按最新名录重新比对）。")


def object_key(kind: str, country: str | None, number: str | None):
    """An object as a 回避 row names it: a unit by its bare 统一社会信用代码 (as always), a person by
    (证件类型, 国籍/签发国, 证件号码) — the identity the object import matches by (see row_key)."""
    return number if kind == ID_KIND_CREDIT else (kind, country or "", number)


def _object_keys(s: Session):
    o = InspectedObject
    return s.execute(select(o.id_kind, o.id_country, o.credit_code, o.id).where(o.credit_code.is_not(None)))


def existing_pairs(s: Session) -> set[tuple]:
    """The stored 回避 pairs as (警号, object_key)."""
    o = InspectedObject
    stmt = (select(Inspector.badge_no, o.id_kind, o.id_country, o.credit_code).select_from(Recusal)
            .join(Inspector, Inspector.id == Recusal.inspector_id)
            .join(o, o.id == Recusal.object_id))
    return {(badge, object_key(kind, country, code)) for badge, kind, country, code in s.execute(stmt)}


def known_keys(s: Session) -> dict[str, set]:
    return {"badges": set(s.scalars(select(Inspector.badge_no))),
            "codes": {object_key(kind, country, code) for kind, country, code, _id in _object_keys(s)}}


def write_recusals(s: Session, rows: Iterable[dict], ts, checks: Checkpoints, offset: int = 0) -> int:
    """Add the 回避 pairs ({badge_no, object_key, reason}; a unit may be given by credit_code alone) not stored
    yet; returns how many were added."""
    stored = existing_pairs(s)
    pairs: dict[tuple, str] = {}
    for v in rows:
        key = (v["badge_no"], v.get("object_key", v.get("credit_code")))
        if key not in stored:
            pairs[key] = v["reason"]
    if not pairs:
        return 0
    # Whole maps rather than IN lists: a long 回避 sheet would pass SQLite's parameter limit.
    badge_ids = dict(s.execute(select(Inspector.badge_no, Inspector.id)).all())
    code_ids = {object_key(kind, country, code): oid for kind, country, code, oid in _object_keys(s)}
    out = []
    for (badge, code), reason in pairs.items():
        if badge not in badge_ids or code not in code_ids:
            shown = code if isinstance(code, str) else " ".join(filter(None, code))
            raise RosterError(f"回避关系无法写入：警号 {badge} 或检查对象 {shown} 不在名录库中。")
        out.append({"inspector_id": badge_ids[badge], "object_id": code_ids[code], "reason": reason, "created_at": ts})
    for chunk in _chunks(out, checks, offset):
        s.execute(insert(Recusal), chunk)
    return len(out)
