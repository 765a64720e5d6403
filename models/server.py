"""Setting up an office's shared PostgreSQL database: create the schema, its first administrator, log-in on."""
from __future__ import annotations

from sqlalchemy import func, inspect, select

from models import settings, users
from models.db import Database, DatabaseError, display_url, is_database_url, open_database
from models.schema import metadata


def require_server_url(url: str) -> str:
    """The URL itself, or a refusal in Chinese when a file path was given instead."""
    if not is_database_url(url or ""):
        raise DatabaseError(f"“{url}”不是数据库服务器地址：请给出 PostgreSQL 地址，"
                            "如 postgresql+psycopg://用户名@服务器:5432/ssj。")
    return url.strip()


def rows_in_use(db: Database) -> dict[str, int]:
    """Tables of *db* that hold rows (ours and any other program's), by name."""
    found = {}
    with db.engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        ours = {t.name: t for t in metadata.sorted_tables}
        for name in sorted(names - {"alembic_version"}):
            table = ours.get(name)
            if table is None:
                found[name] = -1  # another program's table: the database is not ours to fill
                continue
            count = conn.scalar(select(func.count()).select_from(table)) or 0
            if count:
                found[name] = count
    return found


def open_empty(url: str) -> Database:
    """Open the server database at *url*, refusing one that already holds data, and migrate it."""
    url = require_server_url(url)
    probe = open_database(url, migrate=False)
    try:
        used = rows_in_use(probe)
    finally:
        probe.dispose()
    if used:
        shown = "、".join(f"{name}（{n} 行）" if n >= 0 else f"{name}（不属于本软件）"
                         for name, n in list(used.items())[:5])
        raise DatabaseError(f"数据库 {display_url(url)} 不是空的：{shown}。"
                            "为免覆盖已有数据，只能在新建的空数据库上进行此操作。")
    return open_database(url)


def add_first_admin(db: Database, username: str, password: str, actor: str) -> None:
    """Create administrator *username* (unless it exists) and switch log-in on: a shared database needs it."""
    with db.session() as s:
        if users.find_user(s, username) is None:
            users.create_user(s, username, password, users.ADMIN, actor=actor)
        settings.set(s, "login_enabled", True, actor=actor)


def init_database(url: str, admin: str, password: str) -> Database:
    """Create and migrate an empty PostgreSQL database with its first administrator; log-in is on.

    The caller disposes the returned database.
    """
    db = open_empty(url)
    try:
        add_first_admin(db, admin, password, actor=admin)
    except BaseException:
        db.dispose()
        raise
    return db
