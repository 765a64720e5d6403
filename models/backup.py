"""Backups of the database: a daily one at first start, one on demand, listing, pruning and restoring.

Every copy is taken with SQLite's online backup API (never a file copy of a live database).
Names are "<db>-YYYYMMDD-HHMMSS-<reason>.sqlite3"; only automatic backups (每日, 升级前) are
pruned, the last KEEP_AUTOMATIC of them kept; manual and 恢复前 copies stay until deleted by hand.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models.db import BUSY_TIMEOUT_MS, DatabaseError, backup_to
from models.db_checks import check_is_our_database, damaged_message
from models.paths import backup_dir_for

KEEP_AUTOMATIC = 30
REASON_DAILY = "每日"
REASON_UPGRADE = "升级前"
REASON_MANUAL = "手动"
REASON_BEFORE_RESTORE = "恢复前"
AUTOMATIC_REASONS = frozenset({REASON_DAILY, REASON_UPGRADE})

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?-(?P<reason>[^-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when and why it was taken, and its size in bytes."""

    path: Path
    time: datetime
    reason: str
    size: int

    @property
    def automatic(self) -> bool:
        return self.reason in AUTOMATIC_REASONS

    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def _read_setting_raw(db_path: Path, key: str):
    """Read one setting straight from the file, for use before the database is opened."""
    import json

    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            row = con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
    except (sqlite3.Error, ValueError, MemoryError):  # a damaged file: the default folder serves
        return None
    if row is None or row[0] is None:
        return None
    try:
        return json.loads(row[0])
    except (TypeError, ValueError):
        return None


def backup_folder(db_path: str | os.PathLike) -> Path:
    """Where the backups of *db_path* go: the 备份文件夹 setting, else backups/ beside the database."""
    db_path = Path(db_path)
    chosen = _read_setting_raw(db_path, "backup_dir") if db_path.exists() else None
    return Path(chosen) if chosen else backup_dir_for(db_path)


def _new_name(db_path: Path, folder: Path, reason: str, when: datetime) -> Path:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    n = 2
    while candidate.exists():
        candidate = folder / f"{db_path.stem}-{stamp}-{n}-{reason}.sqlite3"
        n += 1
    return candidate


def backup_now(db_path: str | os.PathLike, target: str | os.PathLike | None = None, *,
               reason: str = REASON_MANUAL, folder: str | os.PathLike | None = None,
               when: datetime | None = None) -> Path:
    """Back up the live database with SQLite's online backup; safe while the app has it open.

    Without *target* the copy goes into the backup folder under a time-and-reason name.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise DatabaseError(f"数据库文件 {db_path} 不存在，无法备份。")
    if target is None:
        folder = Path(folder) if folder else backup_folder(db_path)
        folder.mkdir(parents=True, exist_ok=True)
        target = _new_name(db_path, folder, reason, when or datetime.now())
    target = Path(target)
    problem = _target_problem(target)
    if problem:
        raise DatabaseError(f"无法写入备份文件 {target}：{problem}。")
    clean_stale_parts(target.parent)
    try:
        return backup_to(db_path, target)
    except sqlite3.Error as e:
        raise DatabaseError(f"备份到 {target} 失败：{e}（请检查该文件夹是否可以写入、磁盘是否已满）。") from e
    except OSError as e:
        raise DatabaseError(f"无法写入备份文件 {target}：{e.strerror or e}。") from e


def _target_problem(target: Path) -> str | None:
    """Why *target* cannot become a file, in Chinese: it is a folder, or a file stands where a folder should."""
    if target.is_dir():
        return "这是一个文件夹，请给出备份文件的文件名"
    for parent in target.parents:
        if parent.exists():
            return None if parent.is_dir() else f"{parent} 是一个文件，不是文件夹"
    return None


def list_backups(folder: str | os.PathLike, db_stem: str | None = None) -> list[BackupInfo]:
    """The backups in *folder*, newest first (only those of *db_stem* when given)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for f in folder.glob("*.sqlite3"):
        m = _NAME.match(f.name)
        if m and (db_stem is None or m["stem"] == db_stem):
            when = datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
            reason = m["reason"]
        elif db_stem is None:
            when = datetime.fromtimestamp(f.stat().st_mtime).replace(microsecond=0)
            reason = "其他"
        else:
            continue
        found.append(BackupInfo(path=f, time=when, reason=reason, size=f.stat().st_size))
    found.sort(key=lambda b: (b.time, b.path.name), reverse=True)
    return found


def prune(folder: str | os.PathLike, db_stem: str, keep: int = KEEP_AUTOMATIC) -> list[Path]:
    """Delete automatic backups beyond the newest *keep*; returns what was deleted."""
    automatic = [b for b in list_backups(folder, db_stem) if b.automatic]
    removed = []
    for b in automatic[keep:]:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass  # a backup someone has open is kept until the next start
    return removed


def daily_backup_if_due(db_path: str | os.PathLike, folder: str | os.PathLike | None = None, *,
                        today: date | None = None, keep: int = KEEP_AUTOMATIC) -> Path | None:
    """At the first start of a day, take the 每日 backup and prune; None when today's exists."""
    db_path = Path(db_path)
    folder = Path(folder) if folder else backup_folder(db_path)
    today = today or date.today()
    if any(b.reason == REASON_DAILY and b.time.date() == today for b in list_backups(folder, db_path.stem)):
        return None
    when = datetime.combine(today, datetime.now().time().replace(microsecond=0))
    made = backup_now(db_path, reason=REASON_DAILY, folder=folder, when=when)
    prune(folder, db_path.stem, keep)
    return made


def _backup_revision(path: Path) -> str | None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or "inspected_objects" not in tables:
                raise DatabaseError(f"文件 {path} 是 SQLite 数据库，但不是本软件的数据库或其备份，不能用来恢复。")
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            con.close()
    except (sqlite3.Error, ValueError) as e:
        raise DatabaseError(damaged_message(path, str(e))) from e


def _check_audit_chain(path: Path) -> None:
    """Refuse a copy whose hash-chained audit log was altered (read-only; the file is not touched)."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from models.audit import verify_chain

    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as s:
            check = verify_chain(s)
    except Exception as e:
        raise DatabaseError(f"备份文件 {path} 的审计日志无法读取（{e}），不能用来恢复。") from e
    finally:
        engine.dispose()
    if not check.ok:
        raise DatabaseError(f"备份文件 {path} 的审计日志被改动过，不能用来恢复：{check.message}")


def check_backup(backup_file: str | os.PathLike) -> None:
    """Refuse a damaged, tampered or foreign file, or one written by a newer version of the software.

    Runs SQLite's full integrity_check and walks the audit log's hash chain, so a bad copy is
    refused, with the reason, before anything is replaced.
    """
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise DatabaseError(f"备份文件 {backup_file} 不存在。")
    check_is_our_database(backup_file, thorough=True)
    revision = _backup_revision(backup_file)
    from alembic.script import ScriptDirectory

    from models.migrate import alembic_config

    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision is not None and revision not in known:
        raise DatabaseError(f"备份文件 {backup_file} 来自更新版本的软件（结构版本 {revision}），请使用新版本软件恢复。")
    _check_audit_chain(backup_file)


def restore(db_path: str | os.PathLike, backup_file: str | os.PathLike, *,
            folder: str | os.PathLike | None = None, actor: str = "") -> Path | None:
    """Replace the live database with *backup_file*; returns where the previous file was put aside.

    Works whatever state the live file is in: it is never opened through the app, only read
    where it can be (what it has beyond the backup, the highest 文号 issued). The caller must
    have disposed its engine and hold the database lock (models.lock). Steps: check the
    backup (integrity and audit chain); copy it beside the database and, in that copy, carry
    the highest issued 文号 forward and audit what the restore discards (restore_audit);
    put the current file aside as 恢复前 (an online backup, or a plain copy when damaged);
    then move the prepared copy over the database in one step, so a crash leaves either the
    old or the new database, never a mixture.
    """
    from models.restore_audit import prepare_restored_copy

    db_path = Path(db_path)
    backup_file = Path(backup_file)
    check_backup(backup_file)
    if db_path.exists() and _same_file(backup_file, db_path):
        raise DatabaseError("不能用数据库文件本身来恢复。")
    folder = Path(folder) if folder else backup_folder(db_path)
    staged = db_path.with_name(db_path.name + ".restore.part")
    _discard(staged)
    live = db_path if db_path.exists() and db_path.stat().st_size > 0 else None
    try:
        src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        dst = sqlite3.connect(str(staged))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        prepare_restored_copy(staged, live, backup_file, actor=actor,
                              other_copies=[b.path for b in list_backups(folder, db_path.stem)])
        before = _set_aside(live, folder) if live is not None else None
        # A leftover -wal from the old file would be replayed into the new one: remove it first.
        for suffix in ("-wal", "-shm", "-journal"):
            _discard(db_path.with_name(db_path.name + suffix))
        os.replace(staged, db_path)
    except sqlite3.Error as e:
        raise DatabaseError(f"恢复失败，当前数据库未被替换：{e}") from e
    except OSError as e:
        where = e.filename or db_path.parent
        raise DatabaseError(f"恢复失败，当前数据库未被替换：无法写入 {where}（{e.strerror or e}）。") from e
    finally:
        _discard(staged)
    return before


def _set_aside(live: Path, folder: Path) -> Path:
    """Keep the current file as a 恢复前 backup: an online copy when SQLite can read it, else the raw bytes."""
    try:
        check_is_our_database(live, thorough=False)
        return backup_now(live, reason=REASON_BEFORE_RESTORE, folder=folder)
    except DatabaseError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    before = _new_name(live, folder, REASON_BEFORE_RESTORE, datetime.now())
    shutil.copyfile(live, before)
    wal = live.with_name(live.name + "-wal")
    if wal.exists():  # a damaged file's log is kept with it, for whoever examines it
        shutil.copyfile(wal, before.with_name(before.name + "-wal"))
    return before


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


STALE_PART_SECONDS = 10 * 60


def clean_stale_parts(folder: str | os.PathLike, older_than: float = STALE_PART_SECONDS) -> list[Path]:
    """Delete "*.sqlite3.part" left by a backup that was killed; a fresh one may be another backup at work."""
    import time

    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for f in folder.glob("*.sqlite3*.part"):
        try:
            if time.time() - f.stat().st_mtime > older_than:
                f.unlink()
                removed.append(f)
        except OSError:
            pass
    return removed
