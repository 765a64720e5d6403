"""What every command needs: the database (opened on first use) and who is working.

A command writes unless its registration wraps it in reads(): then several of it may run beside
the one program that writes (the desktop app, an import), see models.lock.
"""
from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from models.backup import backup_folder
from models.db import Database, DatabaseError, is_database_url, open_database
from models.errors import UserError
from models.settings import configured_db_path
from models.users import Role, os_user


class CliError(UserError):
    """A problem to print in Chinese and exit non-zero, without a traceback."""


def reads(command):
    """Register *command* as one that only reads: it opens the database without the write lock
    (models.lock.open_for_reading), so it runs while another program writes; every change it
    attempted would be refused as from a 只读 user."""
    @functools.wraps(command)
    def run(args, ctx: CliContext) -> int:
        ctx.writes = False
        return command(args, ctx)

    return run


@dataclass
class CliContext:
    """The command's database and who asked for it. Who is working, once logged in, is kept on the
    Database (``db.user``, ``db.role``); ``actor()`` and ``role`` read it there."""

    db_path: str | None = None
    user: str | None = None       # --user as given: the account to log in as
    writes: bool = True           # False for a command registered with reads(): no write lock taken
    _db: Database | None = field(default=None, repr=False)
    _lock: object = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        return Path(self.db_path) if self.db_path else configured_db_path()

    @property
    def target(self) -> str | Path:
        """What the command opens, as the app does: --db (path or URL), else SSJ_DATABASE_URL, else the
        office server saved in 设置 → 数据库连接, else the file path."""
        if self.db_path and is_database_url(self.db_path):
            return self.db_path
        server = os.environ.get("SSJ_DATABASE_URL", "").strip()
        if not self.db_path and is_database_url(server):
            return server
        if not self.db_path:
            from models.settings import configured_server_url

            if saved := configured_server_url():
                return saved
        return self.path

    @property
    def on_server(self) -> bool:
        return is_database_url(self.target)

    def lock(self) -> None:
        """Take the same lock as the desktop app: the two never work on one database at once."""
        if self._lock is None:
            from models.lock import DatabaseLock

            try:
                self._lock = DatabaseLock(self.target).acquire()
            except DatabaseError as e:
                raise CliError(str(e)) from e

    def db(self) -> Database:
        """The database, locked, upgraded and logged into (see ui.cli.admin_cmds.cli_login);
        for a reading command (reads()) opened without the lock instead, see _reader()."""
        if self._db is None and not self.writes and not self.on_server:
            self._db = self._reader()
        if self._db is None:
            self.lock()
            try:
                db = open_database(self.target, backup_dir=None if self.on_server else backup_folder(self.path))
            except DatabaseError as e:
                raise CliError(str(e)) from e
            from ui.cli.admin_cmds import cli_login

            try:
                cli_login(db, self.user)
            except BaseException:
                db.dispose()
                raise
            self._db = db
        return self._db

    def _reader(self) -> Database | None:
        """The file opened for reading beside a running writer, logged in, role 只读; None when it does
        not exist yet (the writing path creates it, as before). A schema this program must upgrade
        is upgraded under the lock first, which is refused (naming the holder) while another
        program writes."""
        from models.db import READ_ONLY_ROLE
        from models.lock import DatabaseInUse, SchemaNotCurrent, holder_info, open_for_reading, upgrade_first_message

        path = self.path
        if not path.is_file() or path.stat().st_size == 0:
            return None
        try:
            try:
                db = open_for_reading(path, trust_clean_stamp=True)
            except SchemaNotCurrent:
                try:
                    self.lock()
                except CliError as e:
                    if not isinstance(e.__cause__, DatabaseInUse):
                        raise
                    raise CliError(upgrade_first_message(path, holder_info(path))) from e
                open_database(path, backup_dir=backup_folder(path)).dispose()
                self._lock.release()
                self._lock = None
                db = open_for_reading(path, trust_clean_stamp=True)
        except DatabaseError as e:
            raise CliError(str(e)) from e
        from ui.cli.admin_cmds import cli_login

        try:
            cli_login(db, self.user)
        except BaseException:
            db.dispose()
            raise
        db.role = READ_ONLY_ROLE  # log-in set the account's own role; a reader changes nothing
        return db

    def login_without_lock(self) -> Database:
        """Log in (as db() does) without taking the lock, for work that is safe beside a running app.

        The schema is not upgraded; the engine is kept until close().
        """
        if self._db is not None:
            return self._db
        try:
            db = open_database(self.target, migrate=False)
        except DatabaseError as e:
            raise CliError(str(e)) from e
        from ui.cli.admin_cmds import cli_login

        try:
            cli_login(db, self.user)
        except BaseException:
            db.dispose()
            raise
        self._db = db
        return db

    def relock(self) -> None:
        """Lock the new file after a restore replaced it (the lock is keyed on the file itself)."""
        if self._lock is None:
            self.lock()
        else:
            self._lock.follow_replaced_file()

    def close_database(self) -> None:
        """Dispose the engine but keep the lock (a restore replaces the file in between)."""
        if self._db is not None:
            self._db.dispose()
            self._db = None

    @property
    def role(self) -> str:
        """The working role: the logged-in one, else 管理员 (log-in off, database not opened yet)."""
        return self._db.role if self._db is not None else Role.ADMIN.value

    def actor(self) -> str:
        """The name written into audit entries and records."""
        return self._db.user if self._db is not None and self._db.user else (self.user or os_user())

    def close(self) -> None:
        self.close_database()
        if self._lock is not None:
            self._lock.release()
            self._lock = None


# The last command's large result, never freed one object at a time: the program ends a command with
# os._exit (main.end_command), and freeing 100,000 imported rows costs 0.06-0.09 s of an import
# (issue 17). Only the last command's is kept, so tests running many commands in one process hold one.
_KEPT: list = []


def keep_until_exit(result) -> None:
    """Keep *result* referenced until the process ends (replacing the previous command's)."""
    _KEPT[:] = [result]


def fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code
