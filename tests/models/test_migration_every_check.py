"""Upgrading an office's database to the schema of every check (migration 0005) keeps every record.

On SQLite, making inspections.pick_id nullable rebuilds the inspections table; with foreign keys
enforced, dropping the old table would have deleted the hazards, verdicts and officers that point at
it (ON DELETE CASCADE). The upgrade runs with the keys off and checks them before the commit.
"""
from __future__ import annotations

from alembic import command
from sqlalchemy import func, select

from models.db import open_database
from models.inspection import DRAWN_SOURCE, ChecklistResult, Hazard, Inspection, InspectionInspector
from models.migrate import alembic_config, current_revision, head_revision
from usecases.demo import DEMO_STEPS

COUNTED = (Inspection, Hazard, ChecklistResult, InspectionInspector)


def counts(db) -> dict[str, int]:
    with db.read_session() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) for t in COUNTED}


def downgrade_to(db, revision: str) -> None:
    """The database as the previous release left it (run the way models.migrate runs an upgrade)."""
    cfg = alembic_config()
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
        if db.is_sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def office_of_release_0004(db) -> None:
    """What an office held before 0005: the demo's roster, plans, draw, inspections and notices (its
    later steps add checks that were not drawn, which that release could not store)."""
    for step in DEMO_STEPS:
        if step.key in ("roster", "plans", "inspections"):
            step.run(db)


def test_an_office_with_inspections_upgrades_without_losing_a_hazard(db, db_target):
    office_of_release_0004(db)
    before = counts(db)
    assert before["hazards"] > 0 and before["checklist_results"] > 0
    downgrade_to(db, "0004")
    assert current_revision(db) == "0004"
    db.dispose()

    upgraded = open_database(db_target)  # as the new release opens it: the upgrade runs at start
    try:
        assert current_revision(upgraded) == head_revision()
        assert counts(upgraded) == before
        with upgraded.read_session() as s:
            sources = set(s.scalars(select(Inspection.source)))
            no_pick = s.scalar(select(func.count()).select_from(Inspection).where(Inspection.pick_id.is_(None)))
        assert sources == {DRAWN_SOURCE} and no_pick == 0  # every existing inspection came from a draw
    finally:
        upgraded.dispose()
