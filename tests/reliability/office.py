"""A small office database for the reliability stories: a drawn plan, inspections with hazards, notices."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from models.db import open_database
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record


def office_with_pending_notices(path: Path, pending: int = 3) -> dict:
    """A database at *path* with *pending* inspections that found hazards and have no notice yet."""
    db = open_database(path)
    try:
        world = drawn_world(db)
        world["inspections"] = [record(db, p.pick_id, hazards=HAZARDS) for p in world["picks"][:pending]]
    finally:
        db.dispose()
    return world


ISSUED = date(2024, 5, 7)
