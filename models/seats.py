"""Who is on: the workstations connected to this database right now.

On the office's PostgreSQL server every program of ours names itself "shuangsuiji-desk|<computer>|<OS
user>" when it connects (models.db.application_name), so pg_stat_activity tells which workstations are
connected, as whom and since when. Other programs connected to the same database (psql, pgAdmin, a
backup job) are listed too, by their own name and address. On SQLite there is one writer per PC: the
holder of the lock file (models.lock) is the one seat there is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from models.db import APPLICATION_NAME, Database, DatabaseError


@dataclass(frozen=True)
class Seat:
    """One connection to the database: the workstation, the user, since when, and whether it is ours."""

    workstation: str
    user: str
    since: datetime | None
    program: str = "双随机 desk"
    this_program: bool = False   # the connection this very process holds
    pid: int | None = None

    def since_text(self) -> str:
        return f"{self.since:%Y-%m-%d %H:%M}" if self.since else "—"


# One row per client connection to this database. A session of another database role shows only its
# name, role and program to a role that is not a superuser (backend_type, address and start are NULL).
_ACTIVITY = text("""
    SELECT pid, application_name, usename, client_addr::text AS client_addr, client_hostname,
           backend_start, backend_type, pid = pg_backend_pid() AS mine
      FROM pg_stat_activity
     WHERE datname = current_database()
       AND (backend_type = 'client backend' OR (backend_type IS NULL AND usename IS NOT NULL))
     ORDER BY backend_start NULLS LAST, pid
""")


def decode_seat_field(value: str) -> str:
    """A computer or user name as models.db.application_name sent it (punycode for non-ASCII)."""
    if value.startswith("xn--"):
        try:
            return value[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            return value  # cut short at 63 bytes: shown as it came
    return value


def _seat_of(row) -> Seat:
    name = row.application_name or ""
    since = row.backend_start
    if since is not None and since.tzinfo is not None:
        since = since.astimezone().replace(tzinfo=None)  # the clerk's wall clock
    if name.startswith(APPLICATION_NAME + "|"):
        _, host, user = [decode_seat_field(part) for part in (name.split("|", 2) + ["", ""])[:3]]
        return Seat(workstation=host or (row.client_hostname or row.client_addr or "未知计算机"),
                    user=user or (row.usename or ""), since=since, this_program=bool(row.mine), pid=row.pid)
    where = row.client_hostname or row.client_addr or ("服务器本机" if row.backend_type else "未知计算机")
    program = name or "其他程序"
    if name == APPLICATION_NAME:  # an older version of this program, which did not name its computer
        program = "双随机 desk（旧版本）"
    return Seat(workstation=where, user=row.usename or "", since=since, program=program,
                this_program=bool(row.mine), pid=row.pid)


def server_seats(db: Database) -> list[Seat]:
    """The client connections to *db*'s PostgreSQL database, read from pg_stat_activity."""
    with db.engine.connect() as conn:
        return [_seat_of(row) for row in conn.execute(_ACTIVITY)]


def file_holder(path) -> Seat | None:
    """On SQLite: whoever holds the lock file beside the database file (None when nobody does)."""
    from models.lock import DatabaseLock, holder_info, lock_path_for

    if not lock_path_for(path).exists():
        return None
    probe = DatabaseLock(path)   # taken and given back at once when free: a stale note is not a holder
    try:
        probe.acquire()
    except DatabaseError:
        pass  # held: the note in the lock file says by whom
    else:
        probe.release()
        return None
    info = holder_info(path)
    try:
        since = datetime.fromisoformat(info.get("since", ""))
    except (TypeError, ValueError):
        since = None
    return Seat(workstation=info.get("host", "") or "未知计算机", user=info.get("user", ""), since=since,
                pid=info.get("pid") if isinstance(info.get("pid"), int) else None)


def lock_holder(db: Database) -> Seat | None:
    """On SQLite: whoever holds *db*'s lock file (this program, as a rule)."""
    return file_holder(db.path) if db.path is not None else None


def connected_seats(db: Database) -> list[Seat]:
    """Who is on *db* now: every connection on a server; on SQLite the lock holder, if any."""
    if db.is_sqlite:
        holder = lock_holder(db)
        return [holder] if holder is not None else []
    return server_seats(db)


def other_connections(db: Database) -> list[Seat]:
    """The connections to the server database other than the one this call makes."""
    return [s for s in server_seats(db) if not s.this_program]


def describe(seat: Seat) -> str:
    """One seat in a sentence, for messages: "计算机 X，用户 Y，自 12-04 09:30 起（程序）"."""
    known = seat.workstation not in ("未知计算机", "服务器本机")
    parts = [f"计算机 {seat.workstation}" if known else seat.workstation]
    if seat.user:
        parts.append(f"用户 {seat.user}")
    if seat.since:
        parts.append(f"自 {seat.since:%m-%d %H:%M} 起")
    text_ = "，".join(parts)
    return text_ if seat.program == "双随机 desk" else f"{text_}（{seat.program}）"
