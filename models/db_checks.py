"""Is this file our database, sound, and of the schema this version reads? The checks at every opening.

SQLite's integrity_check (full on small files and weekly on big ones, quick_check otherwise), the file's
header and tables, and the columns of every table against the models; each refusal is one Chinese
message that names the file and how to restore it. models.db opens the database and calls these.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from models.db import BUSY_TIMEOUT_MS, Database, DatabaseError

DAMAGED_HINT = "恢复方法：命令行 python main.py restore 备份文件，或在“设置 → 备份与恢复”中选择备份。"
# A full integrity_check reads every page and cross-checks every index; quick_check skips the
# index contents and missed a third of the damage a reliability test caused. Small files get
# the full check at every start (it takes well under a second); big ones at most once a week.
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024
FULL_CHECK_EVERY_SECONDS = 7 * 24 * 3600
_CHECKED_KEY = "integrity_checked_at"


def damaged_message(path: Path, detail: str = "") -> str:
    """The one Chinese message for a database file that SQLite cannot read soundly."""
    detail = f"（{detail}）" if detail else ""
    return f"数据库文件 {path} 已损坏，请从备份恢复{detail}。{DAMAGED_HINT}"


def _decode(raw: bytes) -> str:
    # A damaged page can make SQLite report bytes that are not UTF-8; never let that crash the check.
    return raw.decode("utf-8", "replace")


def _read_only(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    con.text_factory = _decode
    return con


def _last_full_check(con: sqlite3.Connection) -> float:
    try:
        row = con.execute("SELECT value FROM settings WHERE key = ?", (_CHECKED_KEY,)).fetchone()
        return float(str(row[0]).strip('"')) if row and row[0] is not None else 0.0
    except (sqlite3.Error, ValueError, TypeError):
        return 0.0


def check_is_our_database(path: Path, *, thorough: bool | None = None) -> bool:
    """Refuse a file that is not a SQLite database, or is damaged, with a Chinese message.

    *thorough*: True runs SQLite's full integrity_check, False only quick_check, None decides
    by size and by when the file was last fully checked. Returns whether the full check ran.
    Whatever SQLite reports (even bytes that are not text) becomes a DatabaseError.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            header = f.read(16)
    except OSError as e:
        raise DatabaseError(f"无法读取数据库文件 {path}：{e}") from e
    if header != b"SQLite format 3\x00":
        raise DatabaseError(
            f"文件 {path} 不是本软件的数据库（不是 SQLite 数据库文件）。"
            "请检查路径是否选错，或在“设置 → 备份与恢复”中从备份恢复。"
        )
    try:
        con = _read_only(path)
        try:
            if thorough is None:
                thorough = (path.stat().st_size <= FULL_CHECK_MAX_BYTES
                            or time.time() - _last_full_check(con) > FULL_CHECK_EVERY_SECONDS)
            pragma = "integrity_check(20)" if thorough else "quick_check(20)"
            rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except DatabaseError:
        raise
    except (sqlite3.Error, ValueError, OSError, MemoryError) as e:
        raise DatabaseError(damaged_message(path, _decode(str(e).encode("utf-8", "replace")))) from e
    if rows != ["ok"]:
        # SQLite lists every damaged page; a clerk needs the verdict and a hint, not a hundred lines.
        found = [line for row in rows for line in str(row).splitlines() if line.strip() and "***" not in line]
        shown = "；".join(line[:120] for line in found[:3]) + (f" 等 {len(found)} 处问题" if len(found) > 3 else "")
        raise DatabaseError(damaged_message(path, f"完整性检查未通过：{shown or '无结果'}"))
    # Another program's SQLite file would otherwise get our tables added to it by the upgrade.
    if tables and "alembic_version" not in tables:
        raise DatabaseError(
            f"文件 {path} 是 SQLite 数据库，但不是本软件的数据库或其备份。"
            "请检查路径是否选错，或在“设置 → 备份与恢复”中从备份恢复。"
        )
    return bool(thorough)


def record_full_check(db: Database) -> None:
    """Note in the settings table when the file last passed the full integrity_check."""
    from models.admin import Setting

    try:
        with db.session() as s:
            s.info["role_exempt"] = True
            s.merge(Setting(key=_CHECKED_KEY, value=str(round(time.time()))))
    except Exception:  # noqa: BLE001, S110 - bookkeeping only: the next start simply checks again
        pass


def check_schema_matches(db: Database) -> None:
    """Refuse a file whose tables lack a column this version reads.

    An altered schema text (damage, or an edit with a SQLite tool) passes SQLite's checks and
    would surface only as "no such column" in the middle of some later screen.
    """
    from models.schema import metadata

    try:
        present = stored_columns(db)
        problems = []
        for table in metadata.sorted_tables:
            if table.name not in present:
                problems.append(f"缺少表 {table.name}")
                continue
            have = present[table.name]
            problems.extend(f"表 {table.name} 缺少列 {c.name}" for c in table.columns if c.name not in have)
    except Exception as e:  # any failure to read the schema is damage
        if db.path is None:
            raise DatabaseError(f"无法读取数据库 {db.location} 的结构：{e}") from e
        raise DatabaseError(damaged_message(db.path, f"无法读取数据库结构：{e}")) from e
    if problems:
        shown = "；".join(problems[:3]) + (f" 等 {len(problems)} 处" if len(problems) > 3 else "")
        if db.path is None:
            raise DatabaseError(f"数据库 {db.location} 的结构与本软件不符：{shown}。")
        raise DatabaseError(damaged_message(db.path, f"数据库结构与本软件不符：{shown}"))


# Every table's columns in one query: SQLAlchemy's inspector asked once per table and parsed every column
# type, a tenth of a second of each program start (issue 17).
_COLUMNS_SQL = {
    "sqlite": "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
              "WHERE m.type = 'table'",
    "postgresql": "SELECT table_name, column_name FROM information_schema.columns "
                  "WHERE table_schema = current_schema()",
}


def stored_columns(db: Database) -> dict[str, set[str]]:
    """The tables the database holds, each with the names of its columns."""
    tables: dict[str, set[str]] = {}
    with db.engine.connect() as conn:
        for table, column in conn.exec_driver_sql(_COLUMNS_SQL[db.engine.dialect.name]):
            tables.setdefault(table, set()).add(column)
    return tables
