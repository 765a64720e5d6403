"""An inspection to file evidence with, files a clerk picks, and changing stored bytes behind the program."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from models.admin import AuditEntry
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from tests.tamper import tamper
from usecases.demo_evidence import png_bytes

PHOTO = png_bytes(64, 48, (200, 60, 40), stripe=6)   # the phone photo of the hazard
SCAN = png_bytes(60, 85, (245, 245, 240), stripe=4)  # the scanned signed record
OTHER_PHOTO = png_bytes(64, 48, (40, 160, 60))       # what a swap puts in its place


def inspected_world(db) -> dict:
    """The drawn hotels, the first one inspected with two hazards (its id as world["inspection_id"])."""
    world = drawn_world(db)
    world["inspection_id"] = record(db, world["picks"][0].pick_id, hazards=HAZARDS)
    return world


def clerk_files(folder) -> dict[str, object]:
    """The photo and the scan as files in the clerk's folder."""
    folder.mkdir(parents=True, exist_ok=True)
    photo, scan = folder / "门口照片.png", folder / "现场检查记录扫描.png"
    photo.write_bytes(PHOTO)
    scan.write_bytes(SCAN)
    return {"photo": photo, "scan": scan}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_literal(db, data: bytes) -> str:
    """*data* as an SQL literal on the database's engine (SQLite X'..', PostgreSQL bytea)."""
    return f"X'{data.hex()}'" if db.is_sqlite else f"decode('{data.hex()}', 'hex')"


def swap_file(db, attachment_id: int, data: bytes) -> None:
    """Someone with the owner's rights replaces a stored file's bytes (dropping the lock trigger first)."""
    tamper(db, f"UPDATE attachment_contents SET data = {blob_literal(db, data)} WHERE attachment_id = {attachment_id}",
           unlock=("attachment_contents",))


def logged_sha(db, attachment_id: int) -> str:
    with db.read_session() as s:
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.entity == "inspection_attachment",
                                                          AuditEntry.entity_id == str(attachment_id)))
    return json.loads(detail)["sha256"]
