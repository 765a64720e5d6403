"""Ways to damage a database file on purpose, for the stories that recover from it."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path


def index_named_in_bytes_that_are_not_text(path: Path) -> None:
    """An index whose name is not UTF-8 and whose entries no longer match its table.

    SQLite's integrity check then reports the damage in bytes Python cannot decode (a raw
    UnicodeDecodeError before), and quick_check does not notice it at all.
    """
    con = sqlite3.connect(str(path))
    con.executescript("CREATE TABLE scratch(a, b); CREATE INDEX ix_scratch ON scratch(a);"
                      "INSERT INTO scratch VALUES (1, 2), (3, 4);")
    con.commit()
    con.execute("PRAGMA writable_schema=ON")
    sql = b'CREATE INDEX "x\xff" ON scratch(b)\n'
    con.execute("UPDATE sqlite_master SET name = CAST(? AS TEXT), sql = CAST(? AS TEXT) WHERE name = 'ix_scratch'",
                (b"x\xff", sql))
    con.commit()
    con.close()


def flip_random_bytes(path: Path, seed: int, count: int = 8) -> None:
    """Overwrite *count* random bytes past the header (what a bad disk or a careless editor does)."""
    rnd = random.Random(seed)
    data = bytearray(path.read_bytes())
    for _ in range(count):
        at = rnd.randrange(100, len(data))
        data[at] = rnd.randrange(256)
    path.write_bytes(bytes(data))
