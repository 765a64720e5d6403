"""The single-writer lock holds for the file itself, whatever name a second program uses for it.

The outside test opened the database through a symbolic link and through a hard link: the second
program got past a held lock and then died on a raw `database is locked`.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.db import open_database
from models.lock import DatabaseInUse, DatabaseLock
from ui.cli import run

ROOT = Path(__file__).resolve().parents[2]
IN_USE = "数据库正在被另一个程序使用"


@pytest.fixture
def database(db_path):
    open_database(db_path).dispose()
    return db_path


def _aliases(path: Path) -> dict[str, Path]:
    symlink = path.with_name("via-symlink.sqlite3")
    symlink.symlink_to(path)
    hardlink = path.with_name("via-hardlink.sqlite3")
    os.link(path, hardlink)
    other_dir = path.parent / "sub"
    other_dir.mkdir()
    return {"symlink": symlink, "hardlink": hardlink, "dotted": other_dir / ".." / path.name}


@pytest.mark.skipif(sys.platform == "win32", reason="hard links and flock are POSIX here")
@pytest.mark.parametrize("alias", ["symlink", "hardlink", "dotted"])
def test_a_second_opener_through_an_alias_is_refused(database, alias):
    aliases = _aliases(database)
    with DatabaseLock(database):
        with pytest.raises(DatabaseInUse, match=IN_USE):
            DatabaseLock(aliases[alias]).acquire()
    with DatabaseLock(aliases[alias]):  # released: the alias gets it, and then the real name waits
        with pytest.raises(DatabaseInUse):
            DatabaseLock(database).acquire()


@pytest.mark.skipif(sys.platform == "win32", reason="hard links and flock are POSIX here")
@pytest.mark.parametrize("alias", ["symlink", "hardlink"])
def test_a_command_racing_another_program_through_an_alias_is_refused_in_chinese(database, alias, capsys):
    aliases = _aliases(database)
    code = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from models.lock import DatabaseLock
        from models.db import open_database
        lock = DatabaseLock({str(database)!r}).acquire()
        db = open_database({str(database)!r})
        with db.engine.connect() as conn:   # a long import holding SQLite's write lock
            conn.exec_driver_sql("UPDATE settings SET key = key WHERE 0")
            print("busy", flush=True)
            sys.stdin.readline()
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "busy"
        assert run(["--db", str(aliases[alias]), "set-setting", "bureau_name", "某局"]) == 1
        err = capsys.readouterr().err
        assert IN_USE in err and "Traceback" not in err and "database is locked" not in err
    finally:
        child.stdin.close()
        child.wait(timeout=20)


@pytest.mark.skipif(sys.platform == "win32", reason="hard links and flock are POSIX here")
def test_a_hard_link_made_to_a_database_being_created_is_refused_too(tmp_path):
    new = tmp_path / "new.sqlite3"
    with DatabaseLock(new):
        db = open_database(new)       # the first program creates the file under its lock
        os.link(new, tmp_path / "later-link.sqlite3")
        with pytest.raises(DatabaseInUse, match=IN_USE):
            DatabaseLock(tmp_path / "later-link.sqlite3").acquire()
        db.dispose()


@pytest.mark.skipif(sys.platform == "win32", reason="hard links and flock are POSIX here")
def test_after_a_restore_the_lock_holds_the_new_file(database, tmp_path):
    from models import backup

    copy = backup.backup_now(database, tmp_path / "copy.sqlite3")
    lock = DatabaseLock(database).acquire()
    try:
        backup.restore(database, copy)
        lock.follow_replaced_file()
        os.link(database, tmp_path / "link-to-restored.sqlite3")
        with pytest.raises(DatabaseInUse):
            DatabaseLock(tmp_path / "link-to-restored.sqlite3").acquire()
    finally:
        lock.release()
