"""Evidence in and out of the database: attaching files in one transaction, saving a checked copy out.

The rules are models.evidence's; this module opens the transaction (attach) or the read (save a
copy), and writes copies atomically (reports.atomic): a copy under the clerk's chosen name is
either the whole, checked file or not there at all.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from models import evidence
from models.db import Database
from models.evidence import AttachmentRow, EvidenceError, FileInput
from reports.atomic import atomic_write, open_in

__all__ = ["add_files", "add_footage", "save_copy", "temp_copy", "withdraw", "thumbnail_bytes"]

Progress = Callable[[int, int], None]


def add_files(db: Database, inspection_id: int, sources: Sequence[str | Path | FileInput], *, kind: str | None = None,
              reference: str = "", note: str = "", actor: str, progress: Progress | None = None,
              cancelled: Callable[[], bool] | None = None) -> list[int]:
    """Attach every file to the inspection, or none of them (one transaction); returns the new ids."""
    with db.session() as s:
        return evidence.attach_files(s, inspection_id, sources, kind=kind, reference=reference, note=note,
                                     actor=actor, progress=progress, cancelled=cancelled)


def add_footage(db: Database, inspection_id: int, reference: str, *, note: str = "", actor: str,
                kind: str | None = None) -> int:
    """登记执法记录仪编号 without a file (*kind*, when given, must be 执法记录仪)."""
    with db.session() as s:
        return evidence.register_footage(s, inspection_id, reference, note=note, actor=actor, kind=kind)


def withdraw(db: Database, attachment_id: int, reason: str, *, actor: str) -> None:
    with db.session() as s:
        evidence.withdraw(s, attachment_id, reason, actor)


def _checked(db: Database, attachment_id: int) -> tuple[AttachmentRow, bytes]:
    s = db.read_session()
    try:
        return evidence.attachment_data(s, attachment_id)
    finally:
        s.close()


def save_copy(db: Database, attachment_id: int, out: str | os.PathLike) -> Path:
    """Write the stored file, checked against its SHA-256, to *out* (atomic); returns the path written."""
    row, data = _checked(db, attachment_id)
    suffix = Path(row.name).suffix or ".bin"
    return atomic_write(out, lambda tmp: Path(tmp).write_bytes(data), suffix, error=EvidenceError,
                        explain=open_in("其他程序"))


def temp_copy(db: Database, attachment_id: int, folder: str | os.PathLike | None = None) -> Path:
    """A checked copy in a private temporary folder, named ``<id>-<name>``, for opening in its own program.

    The folder is per attachment (the program showing the file keeps it open; a second 打开 must not
    collide) and left for the system's temporary-file cleaning.
    """
    row, data = _checked(db, attachment_id)
    base = Path(folder) if folder is not None else Path(tempfile.gettempdir()) / "ssj-证据材料"
    base.mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix=f"{row.id}-", dir=base)) / evidence.export_name(row)
    return atomic_write(target, lambda tmp: Path(tmp).write_bytes(data), Path(row.name).suffix or ".bin",
                        error=EvidenceError, explain=None)


def thumbnail_bytes(db: Database, attachment_ids: Sequence[int],
                    cancelled: Callable[[], bool] | None = None) -> dict[int, bytes | None]:
    """The stored bytes of these image attachments, for thumbnails: None for one whose hash no longer matches."""
    found: dict[int, bytes | None] = {}
    for aid in attachment_ids:
        if cancelled is not None and cancelled():
            break
        try:
            found[aid] = _checked(db, aid)[1]
        except evidence.EvidenceTampered:
            found[aid] = None
    return found
