"""What a restore throws away, and what it must carry forward: read from the files, never opened as the app.

A restore replaces the live database with an older copy. Whatever the live file holds beyond
that copy (notices, 复查意见书, draws, sealed announcements made since) is gone from the
database, but not from the world: documents were printed, draws were witnessed. So the restored
copy gets (1) the highest 文号 ever issued, per kind and year, so they are never issued again
(models.doc_numbers), and (2) an audit entry naming what was discarded.

The live file may be damaged: every read here is tolerant and says what it could not read.
To track one more table, add a TrackedTable to BEYOND_BACKUP_TABLES.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from models.db import open_database
from models.db_checks import check_is_our_database

# Each audit entry lists at most this many discarded rows per table, then a count of the rest.
LISTED_PER_TABLE = 200


@dataclass(frozen=True)
class TrackedTable:
    """A table whose rows stand for something done in the world, so a restore must name the lost ones.

    ``key`` identifies the same row in two copies of the database; ``show`` formats one row
    (a str.format pattern over the row's columns) for the audit entry.
    """

    table: str
    key: str
    label: str
    show: str


BEYOND_BACKUP_TABLES: list[TrackedTable] = [
    TrackedTable("notices", "doc_number", "整改通知书", "{doc_number}"),
    TrackedTable("reinspections", "doc_number", "复查意见书", "{doc_number}"),
    TrackedTable("draw_records", "record_hash", "抽取记录", "抽取记录 {id}（第 {round} 轮，{created_at}）"),
    TrackedTable("draw_announcements", "commitment", "抽取公告", "{year} 年第 {number} 号抽取公告（{sealed_at}）"),
    # Keyed by the file's SHA-256 (the same text in a dump and in a file): a 执法记录仪 number alone has none.
    TrackedTable("inspection_attachments", "sha256", "证据材料",
                 "证据材料 #{id}“{original_name}”（检查记录 #{inspection_id}，{created_at}，SHA-256 {sha256}）"),
]


class LostRow(NamedTuple):
    """One row the live database has and the backup has not."""

    label: str
    table: str
    text: str


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    con.text_factory = lambda b: b.decode("utf-8", "replace")
    con.row_factory = sqlite3.Row
    return con


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _keys(con: sqlite3.Connection, t: TrackedTable) -> set:
    if t.table not in _tables(con):
        return set()
    return {r[0] for r in con.execute(f'SELECT "{t.key}" FROM "{t.table}"')}


def live_beyond_backup(live: str | Path, backup: str | Path,
                       tables: list[TrackedTable] | None = None) -> tuple[list[LostRow], list[str]]:
    """The rows of the tracked tables that *live* has and *backup* has not, and the tables it could not read.

    Both files are opened read-only. A damaged live file gives what can be read and names the rest.
    """
    lost: list[LostRow] = []
    unreadable: list[str] = []
    try:
        old = _connect(Path(backup))
        cur = _connect(Path(live))
    except sqlite3.Error:
        return [], [t.label for t in (tables or BEYOND_BACKUP_TABLES)]
    try:
        for t in tables or BEYOND_BACKUP_TABLES:
            try:
                if t.table not in _tables(cur):
                    continue
                known = _keys(old, t)
                for row in cur.execute(f'SELECT * FROM "{t.table}" ORDER BY id'):
                    if row[t.key] in known:
                        continue
                    try:
                        text = t.show.format(**dict(row))
                    except (KeyError, IndexError, ValueError):
                        text = str(row[t.key])
                    lost.append(LostRow(t.label, t.table, text))
            except (sqlite3.Error, ValueError, MemoryError):
                unreadable.append(t.label)
    finally:
        cur.close()
        old.close()
    return lost, unreadable


def highest_issued(path: str | Path) -> dict[str, dict[str, int]] | None:
    """The highest 文号 sequence per kind and year found in one database file, or None when unreadable.

    Counts the numbers in the rows and the floors the file already carries from earlier restores.
    """
    from models.doc_numbers import FLOORS_KEY

    found: dict[str, dict[str, int]] = {"notice": {}, "review": {}, "announcement": {}, "letter": {}}

    def note(kind: str, year, seq) -> None:
        if year is None or seq is None:
            return
        key = str(int(year))
        found[kind][key] = max(int(seq), found[kind].get(key, 0))

    try:
        con = _connect(Path(path))
    except sqlite3.Error:
        return None
    try:
        tables = _tables(con)
        if "notices" in tables:
            for year, seq in con.execute("SELECT year, MAX(seq) FROM notices GROUP BY year"):
                note("notice", year, seq)
        if "reinspections" in tables:
            counts: dict[str, int] = {}
            for (day,) in con.execute("SELECT date FROM reinspections"):
                counts[str(day)[:4]] = counts.get(str(day)[:4], 0) + 1
            for year, n in counts.items():
                if year.isdigit():
                    note("review", year, n)
        if "enforcement_steps" in tables:  # 抄告函: counted per year of issue, like the 复查意见书
            letters: dict[str, int] = {}
            for (day,) in con.execute("SELECT done_date FROM enforcement_steps "
                                      "WHERE kind = '通报抄告' AND done_date IS NOT NULL"):
                letters[str(day)[:4]] = letters.get(str(day)[:4], 0) + 1
            for year, n in letters.items():
                if year.isdigit():
                    note("letter", year, n)
        if "draw_announcements" in tables:
            for year, number in con.execute("SELECT year, MAX(number) FROM draw_announcements GROUP BY year"):
                note("announcement", year, number)
        if "settings" in tables:
            import json

            row = con.execute("SELECT value FROM settings WHERE key = ?", (FLOORS_KEY,)).fetchone()
            floors = json.loads(row[0]) if row and row[0] else {}
            for kind, years in (floors.items() if isinstance(floors, dict) else ()):
                for year, seq in (years.items() if isinstance(years, dict) and kind in found else ()):
                    note(kind, year, seq)
    except (sqlite3.Error, ValueError, TypeError, MemoryError):
        return None
    finally:
        con.close()
    return {k: v for k, v in found.items() if v}


def _merge(a: dict, b: dict) -> dict:
    out = {k: dict(v) for k, v in a.items()}
    for kind, years in b.items():
        for year, seq in years.items():
            out.setdefault(kind, {})[year] = max(seq, out.get(kind, {}).get(year, 0))
    return out


def prepare_restored_copy(staged: Path, live: Path | None, backup_file: Path, *, actor: str = "",
                          other_copies: list[Path] | None = None) -> dict:
    """Bring the copy of the backup at *staged* up to this version, carry the numbers forward and audit the restore.

    *live* is the database being replaced (None when there is none); when it cannot be read,
    the numbers are taken from *other_copies* (e.g. the other backups) instead. Returns the
    audit entry's detail. The copy passes SQLite's full integrity check before it is used.
    """
    from models import audit
    from models.doc_numbers import raise_floors
    from models.users import os_user

    highest = highest_issued(live) if live is not None else {}
    detail: dict = {"备份文件": backup_file.name}
    if highest is None:
        detail["当前数据库"] = "已损坏，无法读取；文号续编依据其他备份"
        highest = {}
        for other in other_copies or []:
            highest = _merge(highest, highest_issued(other) or {})
    lost, unreadable = live_beyond_backup(live, backup_file) if live is not None else ([], [])
    by_label: dict[str, list[str]] = {}
    for row in lost:
        by_label.setdefault(row.label, []).append(row.text)
    detail["舍弃"] = {label: texts[:LISTED_PER_TABLE] + ([f"等共 {len(texts)} 条"] if len(texts) > LISTED_PER_TABLE
                                                         else []) for label, texts in by_label.items()}
    if unreadable:
        detail["无法读取"] = unreadable
    db = open_database(staged, backup_dir=None)
    try:
        with db.session() as s:
            s.info["role_exempt"] = True
            detail["文号续编"] = raise_floors(s, highest)
            audit.append(s, user=actor or os_user(), action="从备份恢复", entity="database",
                         entity_id=backup_file.name, detail=detail)
    finally:
        db.dispose()
    con = sqlite3.connect(str(staged))
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    check_is_our_database(staged, thorough=True)
    return detail
