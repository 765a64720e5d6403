"""What someone with the database owner's rights can do behind the program, on a SQLite file or on the server.

Stories about tampering (a pick swapped, an audit entry edited, a draw deleted) switch the append-only
triggers off and change rows directly; the program must notice. On SQLite that is `DROP TRIGGER` in the
file; on PostgreSQL the owner drops the trigger on the table. Foreign keys are off for the change.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine

from models.db import Database, is_database_url, normalized_url


def tamper(target: Database | str, *statements: str, unlock: tuple[str, ...] = ()) -> None:
    """Drop the append-only triggers of the tables in *unlock*, then run *statements* (portable SQL) in one go."""
    if isinstance(target, Database):
        target = str(target.path) if target.is_sqlite else target.url
    if not is_database_url(target):
        con = sqlite3.connect(target)
        con.execute("PRAGMA foreign_keys=OFF")
        for table in unlock:
            con.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            con.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        for sql in statements:
            con.execute(sql)
        con.commit()
        con.close()
        return
    # The driver's own cursor, no parameters: the statements' text (JSON with ":3", "%") is sent as written.
    engine = create_engine(normalized_url(target))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET LOCAL session_replication_role = replica")  # foreign keys off
        for table in unlock:
            cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        for sql in statements:
            cur.execute(sql)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def scalar(target: Database | str, sql: str):
    """One value read straight from the database (for a story that needs an id the program chose)."""
    if isinstance(target, Database):
        target = str(target.path) if target.is_sqlite else target.url
    if not is_database_url(target):
        con = sqlite3.connect(target)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    engine = create_engine(normalized_url(target))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(sql)
        return cur.fetchone()[0]
    finally:
        raw.close()
        engine.dispose()
