"""The database keeps its promises: real transactions, foreign keys, locked draw records, a tamper-evident log."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from models import audit
from models.db import DatabaseError, open_database
from models.roster import InspectedObject, ObjectType


def _triggers(db) -> set[str]:
    """The names of the triggers in the database (SQLite's schema table, PostgreSQL's catalogue)."""
    sql = ("SELECT name FROM sqlite_master WHERE type = 'trigger'" if db.is_sqlite
           else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    with db.engine.connect() as conn:
        return {name for (name,) in conn.execute(text(sql))}


def test_a_new_database_has_the_whole_schema_and_wal(db):
    from sqlalchemy import inspect

    tables = set(inspect(db.engine).get_table_names())
    assert {"inspected_objects", "inspectors", "recusals", "plans", "draw_records", "audit_log"} <= tables
    if db.is_sqlite:  # a server keeps its own log; WAL and the foreign-key switch are SQLite's
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrations_match_the_models(db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from models.schema import metadata

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_a_failed_unit_of_work_leaves_nothing_behind(db):
    with pytest.raises(RuntimeError):
        with db.session() as s:
            s.add(ObjectType(name="旅馆"))
            s.flush()
            raise RuntimeError("import failed half-way")
    with db.session() as s:
        assert s.scalars(select(ObjectType)).all() == []


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(InspectedObject(name="某酒店", credit_code="91370000000000000X", object_type_id=999))


def test_a_saved_draw_record_refuses_edits_and_deletion(db):
    from models.draw import DrawRecord
    from models.plan import Plan, PlanItem

    with db.session() as s:
        plan = Plan(year=2024, bureau="测试县公安局", title="计划")
        plan.items.append(PlanItem(number="1", item="对旅馆的检查"))
        s.add(plan)
        s.flush()
        s.add(DrawRecord(plan_item_id=plan.items[0].id, algorithm_version="SSJ-DRAW-1",
                         fingerprint="f" * 64, seed="s" * 64, record_json="{}", record_hash="h" * 64))
    with pytest.raises(Exception, match="已锁定"):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE draw_records SET seed='x'"))
    with pytest.raises(Exception, match="已锁定"):
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM draw_records"))
    with db.session() as s:
        assert s.scalars(select(DrawRecord.seed)).one() == "s" * 64


def test_every_append_only_table_is_locked_by_the_database_itself(db):
    """The draw records, their picks and assignments, the audit log and the sealed announcements."""
    locked = ("draw_records", "draw_picks", "draw_assignments", "audit_log",
              "draw_announcements", "draw_announcement_voids")
    suffixes = ("_no_update", "_no_delete") if db.is_sqlite else ("_no_change",)
    assert {t + suffix for t in locked for suffix in suffixes} <= _triggers(db)


def test_audit_chain_detects_an_altered_entry(db):
    with db.session() as s:
        audit.append(s, user="张三", action="新增检查对象", entity="object", entity_id=1, detail={"name": "甲"})
        audit.append(s, user="张三", action="修改检查对象", entity="object", entity_id=1, detail={"name": "乙"})
    with db.session() as s:
        assert audit.verify_chain(s).ok
    # Someone edits the data behind the app's back (dropping the lock trigger first).
    if db.is_sqlite:
        con = sqlite3.connect(db.path)
        con.execute("DROP TRIGGER audit_log_no_update")
        con.execute("UPDATE audit_log SET detail='{\"name\":\"丙\"}' WHERE id=1")
        con.commit()
        con.close()
    else:
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
            conn.execute(text("UPDATE audit_log SET detail='{\"name\":\"丙\"}' WHERE id=1"))
    with db.session() as s:
        check = audit.verify_chain(s)
    assert not check.ok and check.broken_id == 1 and "被修改" in check.message


def test_a_foreign_file_gets_a_clear_message(tmp_path):
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is a spreadsheet, not a database" * 10)
    with pytest.raises(DatabaseError, match="不是本软件的数据库"):
        open_database(bad)


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path):
    other = tmp_path / "other-app.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="不是本软件的数据库"):
        open_database(other)
    con = sqlite3.connect(other)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert tables == {"customers"}


def test_reopening_an_existing_database_keeps_its_rows(db_path):
    first = open_database(db_path)
    with first.session() as s:
        s.add(ObjectType(name="网吧"))
    first.dispose()
    again = open_database(db_path)
    with again.session() as s:
        assert [t.name for t in s.scalars(select(ObjectType))] == ["网吧"]
    again.dispose()


def test_going_back_before_sealed_announcements_keeps_the_draw_records_locked(db):
    """Downgrading 0003 rebuilds draw_records on SQLite; its lock triggers must come back with it."""
    from alembic import command

    from models.migrate import alembic_config

    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    triggers = _triggers(db)
    expected = ({"draw_records_no_update", "draw_records_no_delete"} if db.is_sqlite
                else {"draw_records_no_change"})
    assert expected <= triggers
    assert not any(t.startswith("draw_announcement") for t in triggers)
