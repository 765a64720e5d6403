"""A 治安大队 clerk loads the county's first full roster into the new database (issue 17): the table's plain
indexes are set aside for the bulk insert and built again, and afterwards the database is exactly the
migrated schema — the same index definitions, the triggers, the models' metadata — whether the import
finished or was cancelled half-way; a later small import into the full table leaves the indexes alone."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from models import roster_bulk
from models.credit_code import make_code
from tests.helpers import workbook
from usecases.roster_import import ImportCancelled, apply_import, preview_objects_import

HEADER = ["单位名称", "统一社会信用代码", "对象类型", "辖区"]


def schema(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(text(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")))


def roster_file(tmp_path, name: str, first: int, count: int):
    rows = [HEADER] + [[f"沂源县第{n}旅馆", make_code(n), "旅馆", "城关派出所" if n % 2 else "南麻派出所"]
                       for n in range(first, first + count)]
    return workbook(tmp_path / name, {"检查对象": rows})


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(roster_bulk, "DEFER_INDEXES_FROM", 50)


@pytest.fixture
def index_statements(monkeypatch) -> list[str]:
    """The DROP INDEX / CREATE INDEX statements the bulk write sends to SQLite."""
    seen: list[str] = []
    real = roster_bulk.deferred_indexes

    def traced(s, table, incoming):
        s.connection().connection.driver_connection.set_trace_callback(
            lambda sql: seen.append(sql) if sql.upper().startswith(("DROP INDEX", "CREATE INDEX")) else None)
        return real(s, table, incoming)

    monkeypatch.setattr(roster_bulk, "deferred_indexes", traced)
    return seen


def test_a_first_big_import_rebuilds_the_indexes_and_leaves_the_schema_as_migrated(db_path, tmp_path,
                                                                                      small_threshold,
                                                                                      index_statements):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from models.db import open_database
    from models.schema import metadata

    db = open_database(db_path)
    before = schema(db)
    done = apply_import(db, preview_objects_import(db, roster_file(tmp_path, "a.xlsx", 1, 120)), "王")
    assert done.new == 120
    assert sorted(st.split()[2].strip('"') for st in index_statements if st.startswith("DROP")) == [
        "ix_inspected_objects_jurisdiction", "ix_inspected_objects_name", "ix_inspected_objects_object_type_id"]
    assert sum(st.upper().startswith("CREATE INDEX") for st in index_statements) == 3
    assert schema(db) == before
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        plan = " ".join(r[-1] for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM inspected_objects WHERE name = '沂源县第7旅馆'")))
        assert "ix_inspected_objects_name" in plan
        assert conn.execute(text("SELECT count(*) FROM inspected_objects WHERE jurisdiction = '城关派出所'")
                            ).scalar() == 60
    db.dispose()


def test_an_import_cancelled_half_way_keeps_the_indexes_and_writes_nothing(db_path, tmp_path, small_threshold,
                                                                           index_statements):
    from models.db import open_database

    db = open_database(db_path)
    before = schema(db)
    preview = preview_objects_import(db, roster_file(tmp_path, "a.xlsx", 1, 3000))
    ticks = []
    with pytest.raises(ImportCancelled):
        apply_import(db, preview, "王", cancelled=lambda: ticks.append(1) or len(ticks) > 3)
    assert any(st.startswith("DROP") for st in index_statements)   # cancelled after the drop: rolled back
    assert schema(db) == before
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM inspected_objects")).scalar() == 0
    db.dispose()


def test_a_small_import_into_a_full_roster_keeps_its_indexes(db_path, tmp_path, small_threshold, index_statements):
    from models.db import open_database

    db = open_database(db_path)
    apply_import(db, preview_objects_import(db, roster_file(tmp_path, "a.xlsx", 1, 200)), "王")
    index_statements.clear()
    done = apply_import(db, preview_objects_import(db, roster_file(tmp_path, "b.xlsx", 1000, 60)), "王")
    assert done.new == 60
    assert index_statements == []
    db.dispose()
