"""The database: engine set-up, real transactions, schema upgrades and online backups.

The database is bound late: callers (the app, the command line, each test) pass a SQLite file
path (one PC, the default) or a PostgreSQL URL such as ``postgresql+psycopg://user@host:5432/ssj``
(an office's shared server). File-level matters (integrity checks, online file backups, the lock
file) belong to SQLite only; the checks made at every opening are models/db_checks.py.
"""
from __future__ import annotations

from models.errors import UserError
import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 5000
_IMMEDIATE = "ssj_begin_immediate"  # execution option: begin this SQLite transaction with BEGIN IMMEDIATE


class DatabaseError(UserError):
    """A database problem explained in Chinese for the clerk (damaged file, foreign file, in use)."""


class PermissionDenied(UserError):
    """The working user's role does not allow this operation (message in Chinese)."""


READ_ONLY_ROLE = "只读"
READ_ONLY_MESSAGE = "当前用户为只读角色，不能修改数据。"


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_database_url(target: str | os.PathLike | None) -> bool:
    """True for a server URL (``postgresql+psycopg://…``), False for a file path (also C:\\…)."""
    return isinstance(target, str) and bool(_URL.match(target.strip()))


def normalized_url(url: str) -> str:
    """The URL with the driver this program ships (psycopg 3); other schemes are refused in Chinese."""
    url = url.strip()
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg3"):
        return "postgresql+psycopg://" + rest
    raise DatabaseError(f"不支持的数据库地址“{scheme}://…”：请使用数据库文件路径，"
                        "或 PostgreSQL 地址（如 postgresql+psycopg://用户名@服务器:5432/ssj）。")


def display_url(url: str) -> str:
    """The URL as shown to a clerk: the password, if any, masked."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown without its credentials part
        return url.split("://", 1)[0] + "://" + url.rsplit("@", 1)[-1]


def connection_problem(url: str, error: BaseException) -> str:
    """What is wrong with a server connection, in Chinese (host, password, database, other)."""
    where = display_url(url)
    raw = str(getattr(error, "orig", None) or error)
    low = raw.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        why = "用户名或密码错误"
    elif "does not exist" in low and "database" in low:
        why = "服务器上没有这个数据库，请先创建（见安装说明）"
    elif "role" in low and "does not exist" in low:
        why = "服务器上没有这个用户（角色）"
    elif any(k in low for k in ("connection refused", "could not translate host", "timeout", "timed out",
                                "no route to host", "name or service not known")):
        why = "无法连接到服务器，请检查服务器地址、端口以及服务器是否已启动"
    else:
        why = raw.strip().splitlines()[0] if raw.strip() else type(error).__name__
    return f"无法打开数据库 {where}：{why}。"


APPLICATION_NAME = "shuangsuiji-desk"


def application_name() -> str:
    """What this program calls itself on the server: "shuangsuiji-desk|<computer>|<OS user>", so 设置 and
    the `who` command can say which workstations are connected. PostgreSQL keeps 63 ASCII bytes of it,
    so a Chinese name travels as IDNA-style punycode ("xn--…"; models.seats.decode_seat_field)."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - some service accounts have no name; the computer still shows
        user = ""
    host = encode_seat_field(socket.gethostname())[:24]
    return f"{APPLICATION_NAME}|{host}|{encode_seat_field(user)}"[:63]


def encode_seat_field(value: str) -> str:
    value = value.replace("|", "/")
    return value if value.isascii() and value.isprintable() else "xn--" + value.encode("punycode").decode("ascii")


def make_engine(path: str | os.PathLike) -> Engine:
    """An engine on one SQLite file with foreign keys, WAL, a busy timeout and real transactions,
    or, for a server URL, on that PostgreSQL database (connections checked before use)."""
    if is_database_url(path):
        return create_engine(normalized_url(str(path)), pool_pre_ping=True,
                             connect_args={"connect_timeout": 10, "application_name": application_name()})
    engine = create_engine(
        f"sqlite:///{Path(path)}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # pysqlite's own transaction handling would skip BEGIN for some statements; we
        # switch it off and emit BEGIN ourselves (SQLAlchemy's documented SQLite recipe),
        # so a failed import really rolls back everything it wrote.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Database.session(immediate=True) asks for the write lock up front (see there).
        if conn.get_execution_options().get(_IMMEDIATE):
            _begin_immediate(conn.connection.dbapi_connection)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


IMMEDIATE_WAIT_SECONDS = 15.0


def _begin_immediate(dbapi_conn) -> None:
    """BEGIN IMMEDIATE, tried again every few milliseconds for up to IMMEDIATE_WAIT_SECONDS.

    SQLite's own busy handler backs off to 100 ms sleeps, and against a writer that commits and
    begins again at once it can lose every time until the busy timeout ends; polling finds the gap.
    """
    import random

    deadline = time.monotonic() + IMMEDIATE_WAIT_SECONDS
    dbapi_conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if ("locked" not in str(e) and "busy" not in str(e)) or time.monotonic() > deadline:
                    raise
            time.sleep(random.uniform(0.0005, 0.003))  # jitter, so two waiting programs do not keep colliding
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@dataclass
class Database:
    """One opened database: its file path (SQLite; None on a server), engine and session factory."""

    path: Path | None
    engine: Engine
    sessions: sessionmaker
    # The working user's role; the session guard below refuses writes for 只读.
    role: str = "管理员"
    user: str = ""
    url: str = ""  # the server URL (PostgreSQL); empty for a SQLite file

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        """Where the data is, for messages: the file path, or the server URL without its password."""
        return str(self.path) if self.path is not None else display_url(self.url)

    @contextlib.contextmanager
    def session(self, *, immediate: bool = False) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back on any error.

        *immediate* (SQLite; nothing on PostgreSQL): begin with BEGIN IMMEDIATE, taking the write
        lock before the first read. For a transaction that reads and then writes (an audit entry reads
        the chain's last hash) in a program that is not the one writer (models.lock): a plain BEGIN
        would fail at once with "database is locked" if the writer committed after the read; this one
        waits up to the busy timeout for the writer's transaction and then reads the current head.
        """
        s = self.sessions()
        if immediate and self.is_sqlite:
            s.connection(execution_options={_IMMEDIATE: True})
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def read_session(self) -> Session:
        """A session for reading only; the caller closes it."""
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(path: str | os.PathLike, *, migrate: bool = True, backup_dir: Path | None = None) -> Database:
    """Open (creating if needed) the database at *path* and bring its schema up to date.

    Before upgrading an existing file, a backup is written with SQLite's online backup.
    *path* may also be a PostgreSQL URL (see open_server_database).
    """
    if is_database_url(path):
        return open_server_database(str(path), migrate=migrate)
    from models.db_checks import (
        FULL_CHECK_MAX_BYTES, check_is_our_database, check_schema_matches, damaged_message, record_full_check,
    )

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    fully_checked = check_is_our_database(path) if existed else False
    engine = make_engine(path)
    db = Database(path=path, engine=engine, sessions=sessionmaker(bind=engine, expire_on_commit=False))
    install_role_guard(db)
    if migrate:
        head = head_from_scripts()
        # Importing alembic costs about a third of a second; skip it when the file is already current.
        try:
            if not (existed and head is not None and schema_revision(db) == head):
                from models.migrate import upgrade_if_needed

                upgrade_if_needed(db, backup_dir=backup_dir if existed else None)
            if existed:
                check_schema_matches(db)
        except BaseException as e:
            db.dispose()
            if existed and isinstance(e, (sqlite3.Error, sa_exc.DBAPIError)):
                raise DatabaseError(damaged_message(path, f"无法升级或读取数据库结构：{e}")) from e
            raise
    if fully_checked and path.stat().st_size > FULL_CHECK_MAX_BYTES:
        record_full_check(db)
    return db


def open_server_database(url: str, *, migrate: bool = True) -> Database:
    """Open the PostgreSQL database at *url* and bring its schema up to date.

    The file checks (integrity_check, header, size) and the file backup before an upgrade are
    SQLite matters and are skipped; a connection problem is a DatabaseError in Chinese.
    """
    from models.db_checks import check_schema_matches

    engine = make_engine(url)
    db = Database(path=None, engine=engine, sessions=sessionmaker(bind=engine, expire_on_commit=False),
                  url=normalized_url(url))
    install_role_guard(db)
    try:
        with engine.connect():
            pass
    except sa_exc.DBAPIError as e:
        db.dispose()
        raise DatabaseError(connection_problem(url, e)) from e
    known = known_revisions()
    try:
        current = schema_revision(db)
    except sa_exc.DBAPIError as e:
        db.dispose()
        raise DatabaseError(f"无法读取数据库 {db.location} 的结构：{e.orig or e}") from e
    if current and known is not None and current not in known:
        db.dispose()
        raise DatabaseError(newer_schema_message(db.location, current))
    if migrate:
        try:
            if current != head_from_scripts():
                from models.migrate import upgrade_if_needed

                upgrade_if_needed(db, backup_dir=None)
            if current is not None:
                check_schema_matches(db)
        except sa_exc.DBAPIError as e:
            db.dispose()
            raise DatabaseError(f"无法升级或读取数据库 {db.location} 的结构：{e.orig or e}") from e
        except BaseException:
            db.dispose()
            raise
    return db


_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$""", re.M)


def newer_schema_message(location: str, revision: str) -> str:
    return f"数据库 {location} 由更新版本的本软件创建（结构版本 {revision}），请先升级本软件。"


def known_revisions() -> set[str] | None:
    """Every schema revision this program knows, read from its migration scripts; None when unsure."""
    found = set()
    try:
        for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
            revision = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8"))).get("revision")
            if revision is None:
                return None
            found.add(revision.strip("'\""))
    except OSError:
        return None
    return found or None


def head_from_scripts() -> str | None:
    """The newest schema revision, read from the migration scripts without importing alembic.

    None when unsure (a merge, an unreadable script): the caller then asks alembic itself.
    """
    revisions, parents = set(), set()
    try:
        scripts = list((MIGRATIONS_DIR / "versions").glob("*.py"))
        for script in scripts:
            found = {k: v.strip("'\"") for k, v in _REVISION_LINE.findall(script.read_text(encoding="utf-8"))}
            if "revision" not in found:
                return None
            revisions.add(found["revision"])
            if found.get("down_revision", "None") != "None":
                parents.add(found["down_revision"])
    except OSError:
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def install_role_guard(db: Database) -> None:
    """Refuse every write from a 只读 user in the services themselves, not only in the UI.

    ORM changes are caught at flush; Core bulk statements (imports use insert()) and raw
    SQL at execute. A session may opt out with ``session.info["role_exempt"] = True`` (used
    for a user's own log-in bookkeeping), and an audit entry alone is allowed so that a
    read-only user's exports can still be logged.
    """
    db.sessions.configure(info={"db": db})

    def read_only(session: Session) -> bool:
        return db.role == READ_ONLY_ROLE and not session.info.get("role_exempt")

    @event.listens_for(db.sessions, "before_flush")
    def _guard_flush(session, _flush_context, _instances):
        if not read_only(session):
            return
        if (session.dirty or session.deleted) and (
                any(session.is_modified(o) for o in session.dirty) or session.deleted):
            raise PermissionDenied(READ_ONLY_MESSAGE)
        if any(type(o).__name__ != "AuditEntry" for o in session.new):
            raise PermissionDenied(READ_ONLY_MESSAGE)

    @event.listens_for(db.sessions, "do_orm_execute")
    def _guard_execute(state):
        if not read_only(state.session):
            return
        if state.is_insert or state.is_update or state.is_delete:
            raise PermissionDenied(READ_ONLY_MESSAGE)
        sql = str(state.statement).lstrip().split(None, 1)
        if sql and sql[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE", "DROP", "ALTER", "CREATE"):
            raise PermissionDenied(READ_ONLY_MESSAGE)


def backup_to(db_path: Path, target: Path) -> Path:
    """Copy a live database into *target* with SQLite's online backup (safe while in use)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    if tmp.exists():
        tmp.unlink()
    src = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_MS / 1000)
    dst = sqlite3.connect(str(tmp))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.replace(tmp, target)
    return target


def timestamped_backup(db_path: Path, backup_dir: Path, reason: str) -> Path:
    """A backup named after the time and the reason, e.g. 20261123-101500-升级前.sqlite3."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return backup_to(db_path, Path(backup_dir) / f"{db_path.stem}-{stamp}-{reason}.sqlite3")


def schema_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not db.is_sqlite:  # a failed statement would abort a PostgreSQL transaction: ask first
            from sqlalchemy import inspect

            if not inspect(conn).has_table("alembic_version"):
                return None
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001 - an unreadable version table means no known revision (None)
            return None
