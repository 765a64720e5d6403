"""A reader's open of a SQLite file that has not changed since its last clean check skips the checks.

A light command (show-settings, list-plans, stats …) that only reads spent most of its time on the
file's integrity check and the schema check (every table's columns, which loads every model). Issue 14
wants damage caught at open; a file caught clean before and not written since holds the same bytes.
So after a reader's checks pass, the file's stamp is noted in the user's data folder: device, inode,
size, mtime and ctime of the database and of its -wal file (committed changes live there until a
checkpoint). A later reader that finds the same stamp and the same schema revision skips both checks.

Any write — a command, the app, a restore, a copy over the file, a byte changed by a repair tool —
changes the ctime, which no program can set back (``touch`` sets mtime only), so the full checks
come back by themselves. A stamp is noted only when the file had settled before the check began
(its times at least SETTLE_SECONDS older), so a write within the same timestamp tick as the check
cannot hide behind an equal stamp. The app's start, every writing command and every restore still
check as before (models.db.open_database); only models.lock.open_for_reading(trust_clean_stamp=True),
used by the command line's reading commands, consults the stamps.
"""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

STAMPS_FILE = "clean_checks.json"
SETTLE_SECONDS = 2.0
KEEP = 32  # files remembered (most recent checks first)


def _stamps_path() -> Path:
    from models.paths import data_dir

    return data_dir() / STAMPS_FILE


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def file_stamp(path: Path) -> dict:
    """What identifies the file's exact state: the stats of the database and of its -wal file.

    An empty -wal holds nothing (SQLite creates one on opening, even read-only): the same as none.
    """
    wal = _stat(Path(f"{path}-wal"))
    return {"db": _stat(path), "wal": wal if wal and wal[2] else None}


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _load() -> dict:
    try:
        data = json.loads(_stamps_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_clean(path: Path, stamp: dict, revision: str | None) -> bool:
    """True when *path* passed the checks in exactly this state, under this schema revision."""
    if stamp["db"] is None or revision is None:
        return False
    noted = _load().get(_key(path))
    return isinstance(noted, dict) and noted.get("stamp") == stamp and noted.get("revision") == revision


def settled(stamp: dict, started: float) -> bool:
    """Whether every time in *stamp* lies SETTLE_SECONDS or more before *started* (time.time())."""
    limit = (started - SETTLE_SECONDS) * 1e9
    return all(s is None or (s[3] <= limit and s[4] <= limit) for s in (stamp["db"], stamp["wal"]))


def note_clean(path: Path, stamp: dict, revision: str | None, started: float) -> bool:
    """Remember that *path* passed the checks begun at *started* in state *stamp* (taken before them, and
    found again once the file's own check was done); False when not noted (not settled, or the data
    folder cannot be written)."""
    if stamp["db"] is None or revision is None or not settled(stamp, started):
        return False
    data = _load()
    data.pop(_key(path), None)
    data = {_key(path): {"stamp": stamp, "revision": revision, "checked": round(started)},
            **dict(list(data.items())[:KEEP - 1])}
    target = _stamps_path()
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(part, target)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        return False
    return True

