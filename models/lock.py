"""One writer per database, any number of readers: an OS-level exclusive lock on "<db>.lock" beside the file.

The lock is held with fcntl.flock (POSIX) or msvcrt.locking (Windows). Both die with the
process, so a crashed or killed app never leaves a lock that blocks the next start; the
file itself stays and only tells the next opener who holds it (computer, user, since when).
(The database belongs on a local disk: SQLite's WAL mode needs shared memory that network
shares do not provide.)

Writers and readers. SQLite in WAL mode lets any number of connections read while one writes,
so only a program that changes data needs the lock: the desktop app and every command that
writes take it before opening the database, and the lock is also what keeps the writer's
start-up work (schema upgrade, the full integrity check's bookkeeping, the daily backup, a
restore) to one program. A reader (`stats`, every export, the lists, `verify-audit`, a second
window opened 只读) takes no lock and goes through open_for_reading(): the schema must already be
current (a reader never migrates; the command line then upgrades under the lock first, or says
who must close), the integrity check runs but is not recorded, nothing is written at start, and
its session role is 只读, so the services refuse every change in Chinese. The one thing a reader
still writes is an audit entry of its own (the log-in entry when log-in is on); such a transaction
begins with BEGIN IMMEDIATE (Database.session(immediate=True)): it waits for the writer's
current transaction to end (up to 15 s) and then reads the chain's true head, so the
chain never forks and the reader never fails with "database is locked" while the writer works.
The password is checked before that transaction (users.check_password), so the reader holds
SQLite's write lock for milliseconds only; a writer's transaction that had already read and wants
to write in exactly those milliseconds cannot wait (SQLite refuses to upgrade a stale or blocked
read) and is reported as "数据库正在被另一个程序写入…请稍后重试" with nothing saved.
A reader started before a restore keeps reading the replaced file until it is opened again.

The lock is keyed on the file itself, not on the path text: the lock file sits beside the
database's real path (symbolic links resolved), and on POSIX the database file is also
flock()ed, which holds for every hard link to it. (flock and SQLite's own fcntl byte-range locks
are independent on local disks; the descriptor is closed only after the engine is disposed.)

On a PostgreSQL server (a database URL instead of a path) there is no lock file: the server is
built for many programs at once, so DatabaseLock holds nothing there.
"""
from __future__ import annotations

import json
import os
import socket
import sys
import time
from datetime import datetime
from pathlib import Path

from models import clean_checks
from models.db import READ_ONLY_ROLE, Database, DatabaseError, is_database_url

# On Windows the locked byte range cannot be read by others, so the lock sits far past the
# holder's note at the start of the file.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DatabaseInUse(DatabaseError):
    """Another program holds the database (message names the computer, user and time)."""


def lock_path_for(db_path: str | os.PathLike) -> Path:
    """"<db>.lock" beside the database's real file, so every symbolic link to it finds the same lock."""
    real = Path(os.path.realpath(db_path))
    return real.with_name(real.name + ".lock")


def _lock_file_itself(db_path: Path) -> int | None:
    """flock() the database file (POSIX): refuses a second program that came through a hard link.

    Returns the descriptor holding it, None where not applicable (Windows, unreadable), or
    raises DatabaseInUse.
    """
    if sys.platform == "win32":
        return None
    try:
        # A database about to be created is created empty now, so a hard link made to it later is covered.
        fd = os.open(os.path.realpath(db_path), os.O_RDONLY | (0 if db_path.exists() else os.O_CREAT), 0o644)
    except OSError:
        return None  # unreadable: opening the database will say so in Chinese
    if not _try_lock(fd):
        os.close(fd)
        raise DatabaseInUse(in_use_message({}))
    return fd


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def holder_info(db_path: str | os.PathLike) -> dict:
    """What the holder wrote into the lock file (empty when unreadable)."""
    try:
        with open(lock_path_for(db_path), "rb") as f:
            raw = f.read(4096)
        return json.loads(raw.split(b"\0", 1)[0].decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def in_use_message(info: dict) -> str:
    parts = []
    if info.get("host"):
        parts.append(f"计算机 {info['host']}")
    if info.get("user"):
        parts.append(f"用户 {info['user']}")
    since = info.get("since", "")
    if since:
        try:
            parts.append(f"自 {datetime.fromisoformat(since):%H:%M} 起")
        except ValueError:
            pass
    detail = f"（{'，'.join(parts)}）" if parts else ""
    return (f"数据库正在被另一个程序使用{detail}。"
            "为防止数据损坏，同一时间只能有一个程序修改数据库（查看、统计和导出可以同时进行）；"
            "请先关闭另一个程序，再重试。")


def holder_name(info: dict) -> str:
    """Who holds the write lock, for a title or a question: "计算机 X 上的用户 Y", or "另一个程序"."""
    host, user = info.get("host") or "", info.get("user") or ""
    if host and user:
        return f"计算机 {host} 上的用户 {user}"
    if host or user:
        return f"计算机 {host}" if host else f"用户 {user}"
    return "另一个程序"


class DatabaseLock:
    """The exclusive lock on one database; use as a context manager or acquire()/release()."""

    def __init__(self, db_path: str | os.PathLike):
        # A server URL: nothing to lock (self.path is None, acquire() and release() do nothing).
        self.on_server = is_database_url(db_path)
        self.db_path = None if self.on_server else Path(db_path)
        self.path = None if self.on_server else lock_path_for(db_path)
        self._fd: int | None = None
        self._file_fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> DatabaseLock:
        """Take the lock or raise DatabaseInUse; taking it twice in one object is harmless."""
        if self._fd is not None or self.on_server:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise DatabaseError(f"无法创建锁文件 {self.path}：{e}") from e
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseInUse(in_use_message(holder_info(self.db_path)))
        try:
            self._file_fd = _lock_file_itself(self.db_path)
        except DatabaseInUse:
            _unlock(fd)
            os.close(fd)
            raise
        self._fd = fd
        from models.users import os_user

        note = json.dumps({"host": socket.gethostname(), "user": os_user(), "pid": os.getpid(),
                           "since": datetime.now().replace(microsecond=0).isoformat()},
                          ensure_ascii=False).encode("utf-8")
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, note + b"\0")
        return self

    def follow_replaced_file(self) -> None:
        """Lock the file now at the database's path, after a restore moved a new file there.

        The lock file stays held throughout; only the lock on the file itself moves to the new one.
        """
        if self._fd is None or self.on_server:
            return
        old, self._file_fd = self._file_fd, _lock_file_itself(self.db_path)
        if old is not None:
            os.close(old)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        file_fd, self._file_fd = self._file_fd, None
        if file_fd is not None:
            os.close(file_fd)  # closing drops the flock
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, b"\0")
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self):  # the OS would drop it anyway; this keeps tests tidy
        try:
            self.release()
        except Exception:  # noqa: BLE001, S110 - a finaliser must not raise; the OS drops the lock anyway
            pass


class SchemaNotCurrent(DatabaseError):
    """A reader found a schema older (or newer) than this program: only the writer may upgrade it."""


def upgrade_first_message(db_path: str | os.PathLike, info: dict) -> str:
    """A reader cannot open a database that needs a schema upgrade while another program holds the write lock."""
    return (f"数据库 {db_path} 需要先升级结构才能查看，而它正由{holder_name(info)}以可写方式打开；"
            "请先关闭那个程序（或在那里完成升级），再重试。")


def open_for_reading(db_path: str | os.PathLike, *, trust_clean_stamp: bool = False) -> Database:
    """Open an existing SQLite database as a reader: no lock, no upgrade, no write at start, role 只读.

    Raises DatabaseError (in Chinese) for a missing, foreign or damaged file, and SchemaNotCurrent
    when the schema is not this program's newest (the caller upgrades under the lock, or refuses).
    The caller logs in afterwards and then sets ``db.role = READ_ONLY_ROLE`` again (log-in sets the
    account's own role); every write of the session is then refused except audit entries.
    ``trust_clean_stamp`` (the command line's reading commands): a file not changed since its checks
    last passed skips the integrity and schema checks (models/clean_checks.py); the app always checks.
    """
    from sqlalchemy.orm import sessionmaker

    from models.db import head_from_scripts, install_role_guard, make_engine, schema_revision
    from models.db_checks import check_is_our_database, check_schema_matches

    path = Path(db_path)
    if not path.is_file() or path.stat().st_size == 0:
        raise DatabaseError(f"数据库文件 {path} 不存在或为空，无法以只读方式打开。")
    head = head_from_scripts()
    started, stamp = time.time(), clean_checks.file_stamp(path)
    checks = not (trust_clean_stamp and clean_checks.is_clean(path, stamp, head))
    # The same integrity check as a writer's start-up (full on small files, weekly on big ones: a
    # quick check misses damage to indexes), but the reader does not record that it ran.
    if checks:
        check_is_our_database(path)
        # the state checked is the stamp's only if nothing wrote meanwhile (our own connection adds a -wal)
        unchanged = clean_checks.file_stamp(path) == stamp
    engine = make_engine(path)
    db = Database(path=path, engine=engine, sessions=sessionmaker(bind=engine, expire_on_commit=False),
                  role=READ_ONLY_ROLE)
    install_role_guard(db)
    try:
        if head is None or schema_revision(db) != head:
            raise SchemaNotCurrent(f"数据库 {path} 的结构不是本软件的最新版本，请先用可写方式打开一次以升级数据库。")
        if checks:
            check_schema_matches(db)
            if trust_clean_stamp and unchanged:
                clean_checks.note_clean(path, stamp, head, started)
    except BaseException:
        db.dispose()
        raise
    return db
