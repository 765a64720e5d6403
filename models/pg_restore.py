"""Restoring the office's PostgreSQL database from a pg_dump backup, in one transaction (see models.pg_backup).

Steps: check the dump (models.pg_backup.check_dump); refuse while another workstation is connected;
read from the live database what the restore must carry forward (the highest 文号 issued, per kind and
year) and what it discards (notices, 复查意见书, draws, announcements the dump lacks); dump the live
database as 恢复前; then feed psql, as ONE transaction: our tables dropped, the dump's SQL
(pg_restore --clean --if-exists --no-owner), the raised doc_number_floors and the 从备份恢复 audit
entry chained onto the dump's last one, and COMMIT only after pg_restore has finished cleanly. Last,
the schema is brought up to this version (a dump from an older version is upgraded, as on SQLite).
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from models import pg_backup
from models.backup import REASON_BEFORE_RESTORE
from models.db import Database, DatabaseError, display_url, make_engine, normalized_url
from models.restore_audit import BEYOND_BACKUP_TABLES, LISTED_PER_TABLE, LostRow
from models.seats import describe, other_connections

_CHUNK = 1 << 16


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the 恢复前 dump of the replaced database and the audit entry's detail."""

    before: Path
    detail: dict


def _probe(url: str) -> Database:
    from sqlalchemy.orm import sessionmaker

    engine = make_engine(url)
    return Database(path=None, engine=engine, sessions=sessionmaker(bind=engine), url=normalized_url(url))


def refuse_if_others_connected(db: Database) -> None:
    """A restore replaces everyone's data: refuse while any other connection to the database is open."""
    others = other_connections(db)
    if others:
        shown = "；".join(describe(s) for s in others[:5]) + (f" 等 {len(others)} 个连接" if len(others) > 5 else "")
        raise pg_backup.SeatsConnected(
            f"还有其他工作站连接着数据库 {db.location}：{shown}。恢复会替换所有人的数据，"
            "请先让他们退出本软件（或断开连接），再恢复。")


def _live_tables(conn) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def live_highest(conn, tables: set[str]) -> dict[str, dict[str, int]]:
    """The highest 文号 sequence per kind and year in the live database, floors from earlier restores included."""
    from models.doc_numbers import FLOORS_KEY

    found: dict[str, dict[str, int]] = {"notice": {}, "review": {}, "announcement": {}, "letter": {}}

    def note(kind: str, year, seq) -> None:
        if year is not None and seq is not None:
            key = str(int(year))
            found[kind][key] = max(int(seq), found[kind].get(key, 0))

    if "notices" in tables:
        for year, seq in conn.execute(text("SELECT year, MAX(seq) FROM notices GROUP BY year")):
            note("notice", year, seq)
    if "reinspections" in tables:
        counts: dict[str, int] = {}
        for (day,) in conn.execute(text("SELECT date FROM reinspections")):
            counts[str(day)[:4]] = counts.get(str(day)[:4], 0) + 1
        for year, n in counts.items():
            if year.isdigit():
                note("review", year, n)
    if "enforcement_steps" in tables:  # 抄告函: counted per year of issue, like the 复查意见书
        letters: dict[str, int] = {}
        for (day,) in conn.execute(text("SELECT done_date FROM enforcement_steps "
                                        "WHERE kind = '通报抄告' AND done_date IS NOT NULL")):
            letters[str(day)[:4]] = letters.get(str(day)[:4], 0) + 1
        for year, n in letters.items():
            if year.isdigit():
                note("letter", year, n)
    if "draw_announcements" in tables:
        for year, number in conn.execute(text("SELECT year, MAX(number) FROM draw_announcements GROUP BY year")):
            note("announcement", year, number)
    if "settings" in tables:
        floors = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": FLOORS_KEY}).scalar()
        if isinstance(floors, str):
            floors = json.loads(floors)
        for kind, years in (floors.items() if isinstance(floors, dict) else ()):
            for year, seq in (years.items() if isinstance(years, dict) and kind in found else ()):
                note(kind, year, seq)
    return {k: v for k, v in found.items() if v}


def live_beyond_dump(conn, tables: set[str], dump: pg_backup.DumpContents) -> list[LostRow]:
    """The rows of the tracked tables the live database has and the dump has not."""
    lost = []
    for t in BEYOND_BACKUP_TABLES:
        if t.table not in tables:
            continue
        known = dump.keys(t.table) if t.table in dump.tables else set()
        for row in conn.execute(text(f'SELECT * FROM "{t.table}" ORDER BY id')).mappings():
            if row[t.key] in known:
                continue
            try:
                shown = t.show.format(**dict(row))
            except (KeyError, IndexError, ValueError):
                shown = str(row[t.key])
            lost.append(LostRow(t.label, t.table, shown))
    return lost


def merged_floors(dump: pg_backup.DumpContents, highest: dict[str, dict[str, int]]) -> dict:
    """The dump's own floors raised to *highest* (never lowered), as models.doc_numbers.raise_floors keeps them."""
    from models.doc_numbers import FLOORS_KEY, KINDS

    stored = dump.setting(FLOORS_KEY)
    stored = stored if isinstance(stored, dict) else {}
    merged = {kind: dict(stored.get(kind, {})) if isinstance(stored.get(kind), dict) else {} for kind in KINDS}
    for kind, years in highest.items():
        if kind in KINDS:
            for year, seq in years.items():
                merged[kind][str(year)] = max(int(seq), int(merged[kind].get(str(year), 0) or 0))
    return {k: v for k, v in merged.items() if v}


def _literal(value: str) -> str:
    """A SQL string literal (standard_conforming_strings is on in pg_restore's output)."""
    return "'" + str(value).replace("\0", "").replace("'", "''") + "'"


def epilogue_sql(dump: pg_backup.DumpContents, floors: dict, *, actor: str, detail: dict) -> str:
    """The statements that end the restore's transaction: the floors, the audit entry, COMMIT."""
    from models.audit import GENESIS, canonical_json, entry_hash
    from models.base import now
    from models.doc_numbers import FLOORS_KEY

    entries = dump.rows.get("audit_log", [])
    last = max(entries, key=lambda r: int(r["id"])) if entries else None
    prev = last["hash"] if last else GENESIS
    ts = now()
    user, action, entity = (actor or "")[:50], "从备份恢复", "database"
    entity_id = dump.path.name[:40]
    detail_text = canonical_json(detail)
    digest = entry_hash(prev, ts, user, action, entity, entity_id, detail_text)
    sql = []
    if floors:
        sql.append(f"INSERT INTO public.settings (key, value) VALUES ({_literal(FLOORS_KEY)}, "
                   f"{_literal(json.dumps(floors, ensure_ascii=False))}) "
                   "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;")
    sql.append('INSERT INTO public.audit_log (ts, "user", action, entity, entity_id, detail, prev_hash, hash) VALUES ('
               + ", ".join(_literal(v) for v in (ts.isoformat(sep=" "), user, action, entity, entity_id,
                                                  detail_text, prev, digest)) + ");")
    sql.append("COMMIT;")
    return "\n" + "\n".join(sql) + "\n"


def _run_in_one_transaction(url: str, dump: Path, prologue: str, epilogue: str) -> None:
    """pg_restore's SQL piped through psql between *prologue* (which opens the transaction) and *epilogue*.

    COMMIT (in the epilogue) is sent only once pg_restore has finished cleanly; any failure closes
    psql's connection with the transaction open, so the server rolls all of it back.
    """
    tools = pg_backup.client_tools("pg_restore", "psql")
    env = pg_backup.client_env(url)
    extra = pg_backup._no_window()
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        psql = subprocess.Popen([str(tools["psql"]), "--no-psqlrc", "--quiet", "--no-password",
                                 "--set", "ON_ERROR_STOP=1", "--file", "-"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env, **extra)
        source = subprocess.Popen([str(tools["pg_restore"]), "--clean", "--if-exists", "--no-owner",
                                   "--file", "-", str(dump)],
                                  stdout=subprocess.PIPE, stderr=restore_err, **extra)
        fed = True
        try:
            psql.stdin.write(prologue.encode("utf-8"))
            for chunk in iter(lambda: source.stdout.read(_CHUNK), b""):
                psql.stdin.write(chunk)
        except (BrokenPipeError, OSError):
            fed = False  # psql stopped (ON_ERROR_STOP): its own message says why
        source.stdout.close()
        restored = source.wait() == 0
        if not fed or not restored:
            if source.poll() is None:
                source.kill()
            psql.kill()  # the transaction is still open: the server rolls it back
            psql.wait()
            errors = restore_err if not restored and fed else psql_err
            errors.seek(0)
            why = errors.read().decode("utf-8", "replace")
            raise DatabaseError(f"恢复失败，服务器上的数据库未被改动："
                                f"{pg_backup._tool_problem('psql' if fed and restored else 'pg_restore', url, why)}")
        try:
            psql.stdin.write(epilogue.encode("utf-8"))
            psql.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        code = psql.wait()
        if code != 0:
            psql_err.seek(0)
            why = psql_err.read().decode("utf-8", "replace")
            raise DatabaseError(f"恢复失败，服务器上的数据库未被改动：{pg_backup._tool_problem('psql', url, why)}")


def restore_server(url: str, backup_file: str | os.PathLike, *, actor: str, folder: str | os.PathLike,
                   contents: pg_backup.DumpContents | None = None) -> RestoreResult:
    """Replace the server database at *url* with the dump *backup_file* (checked first unless *contents*).

    The caller has checked that the actor is an administrator and closed its own connections.
    """
    from models.db import open_database
    from models.schema import metadata

    dump = contents or pg_backup.check_dump(backup_file)
    probe = _probe(url)
    try:
        refuse_if_others_connected(probe)
        with probe.engine.connect() as conn:
            tables = _live_tables(conn)
            highest = live_highest(conn, tables)
            lost = live_beyond_dump(conn, tables, dump)
        before = pg_backup.backup_server(url, folder=folder, reason=REASON_BEFORE_RESTORE)
        refuse_if_others_connected(probe)   # someone may have started the app while the copy was made
    finally:
        probe.dispose()
    by_label: dict[str, list[str]] = {}
    for row in lost:
        by_label.setdefault(row.label, []).append(row.text)
    floors = merged_floors(dump, highest)
    detail = {"备份文件": dump.path.name, "恢复前备份": before.name,
              "舍弃": {label: texts[:LISTED_PER_TABLE] + ([f"等共 {len(texts)} 条"] if len(texts) > LISTED_PER_TABLE
                                                         else []) for label, texts in by_label.items()},
              "文号续编": floors}
    ours = {t.name for t in metadata.sorted_tables} | {"alembic_version"}
    drop = sorted((tables & ours) - dump.tables)   # tables a newer schema added: the dump does not drop them
    prologue = "BEGIN;\n" + "".join(f'DROP TABLE IF EXISTS public."{name}" CASCADE;\n' for name in drop)
    _run_in_one_transaction(url, dump.path, prologue, epilogue_sql(dump, floors, actor=actor, detail=detail))
    try:
        open_database(url).dispose()   # a dump from an older version is upgraded now
    except DatabaseError as e:
        raise DatabaseError(f"已从 {dump.path.name} 恢复数据库 {display_url(url)}，但升级其结构失败：{e}") from e
    return RestoreResult(before=before, detail=detail)
