"""What every command needs: the database (opened on first use) and who is working."""
from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field
from pathlib import Path

from models.db import Database, DatabaseError, open_database
from models.paths import backup_dir_for, default_db_path


class CliError(Exception):
    """A problem to print in Chinese and exit non-zero, without a traceback."""


@dataclass
class CliContext:
    db_path: str | None = None
    user: str | None = None
    _db: Database | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        return Path(self.db_path) if self.db_path else default_db_path()

    def db(self) -> Database:
        if self._db is None:
            try:
                self._db = open_database(self.path, backup_dir=backup_dir_for(self.path))
            except DatabaseError as e:
                raise CliError(str(e)) from e
        return self._db

    def actor(self) -> str:
        """The name written into audit entries and records."""
        return self.user or getpass.getuser()

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


def fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code
