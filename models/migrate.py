"""Schema upgrades with Alembic, run automatically at start after a backup of the old file."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from models.db import MIGRATIONS_DIR, Database, timestamped_backup


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_if_needed(db: Database, backup_dir: Path | None = None) -> bool:
    """Upgrade *db* to the newest schema; back the file up first when it already held data.

    Returns True when an upgrade ran.
    """
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return False
    if current is not None:
        known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current not in known:
            from models.db import DatabaseError

            raise DatabaseError(
                f"数据库 {db.location} 的结构版本（{current}）比本软件新，请使用新版本软件打开。"
            )
    if backup_dir is not None and current is not None and db.path is not None:
        timestamped_backup(db.path, backup_dir, "升级前")
    cfg = alembic_config()
    with db.engine.connect() as conn:
        sqlite = db.engine.dialect.name == "sqlite"
        if sqlite:
            # SQLite's way to change a column rebuilds its table (Alembic's batch mode): with foreign keys
            # enforced, dropping the old table would cascade into the rows that point at it. Off outside
            # the transaction (SQLite ignores the switch inside one), and every key checked before commit.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        from models.db import DatabaseError

                        raise DatabaseError(f"数据库 {db.location} 升级后有 {len(broken)} 处引用不一致"
                                            f"（表 {broken[0][0]}），升级未保存，数据库保持原样。")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    return True
