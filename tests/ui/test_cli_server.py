"""An office's shared PostgreSQL server from the command line: --db URL or SSJ_DATABASE_URL, no lock file.

Runs only with SSJ_TEST_DATABASE_URL (see tests/conftest.py); on SQLite the same commands are
covered by the other command-line stories.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models.credit_code import make_code
from models.roster import InspectedObject
from tests.helpers import workbook
from ui.cli import run

HEADER = ["单位名称", "统一社会信用代码", "对象类型", "辖区", "风险等级"]


@pytest.fixture
def server(db):
    if db.is_sqlite:
        pytest.skip("a server database: the SQLite file path is covered by the other command-line stories")
    return db


def _objects(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(InspectedObject))


def test_a_clerk_imports_into_the_office_server_named_by_url(server, tmp_path, capsys):
    path = str(workbook(tmp_path / "o.xlsx", {"检查对象": [
        HEADER, ["沂源县鑫源宾馆", make_code(1), "旅馆", "城关派出所", "低风险"]]}))
    assert run(["--db", server.url, "import-objects", path]) == 0
    assert "新增 1 条" in capsys.readouterr().out
    assert _objects(server) == 1
    assert not list(tmp_path.rglob("*.lock"))  # a server has no lock file


def test_the_workstation_setting_ssj_database_url_is_used_without_db(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SSJ_DATABASE_URL", server.url)
    path = str(workbook(tmp_path / "o.xlsx", {"检查对象": [
        HEADER, ["沂源县顺达网吧", make_code(2), "网吧", "南麻派出所", "中风险"]]}))
    assert run(["import-objects", path]) == 0
    assert _objects(server) == 1


def test_a_missing_server_database_is_explained_in_chinese(server, capsys):
    missing = server.url.rsplit("/", 1)[0] + "/ssj_no_such_database"
    assert run(["--db", missing, "list-plans"]) == 1
    err = capsys.readouterr().err
    assert "没有这个数据库" in err and "Traceback" not in err


@pytest.fixture
def empty_server(postgres_databases):
    """A new, empty database on the test server (no schema at all), as the office's IT person creates it."""
    postgres_databases.count += 1
    name = f"{postgres_databases.prefix}_empty{postgres_databases.count}"
    postgres_databases.drop(name)
    postgres_databases._execute(f"CREATE DATABASE {name}")
    yield postgres_databases.url_of(name)
    postgres_databases.drop(name)


def test_postgresql_init_db_creates_the_schema_and_first_administrator_with_log_in_on(
        empty_server, capsys, monkeypatch):
    from models import settings, users
    from models.db import open_database

    monkeypatch.setenv("SSJ_NEW_PASSWORD", "zhang-pass-2026")
    assert run(["init-db", empty_server, "--admin", "zhangsan"]) == 0
    assert "已启用登录" in capsys.readouterr().out
    db = open_database(empty_server)
    try:
        with db.session() as s:
            assert users.find_user(s, "zhangsan").role == "管理员"
            assert settings.get(s, "login_enabled") is True
    finally:
        db.dispose()
    # Every seat must now log in: without --user the command is refused, with it it works.
    monkeypatch.delenv("SSJ_PASSWORD", raising=False)
    assert run(["--db", empty_server, "list-plans"]) == 1
    assert "已启用登录" in capsys.readouterr().err
    monkeypatch.setenv("SSJ_PASSWORD", "zhang-pass-2026")
    assert run(["--db", empty_server, "--user", "zhangsan", "list-users"]) == 0
    assert "zhangsan" in capsys.readouterr().out


def test_postgresql_init_db_refuses_a_database_that_already_holds_data(server, capsys, monkeypatch):
    monkeypatch.setenv("SSJ_NEW_PASSWORD", "zhang-pass-2026")
    assert run(["init-db", server.url, "--admin", "zhangsan"]) == 0  # migrated but empty: accepted
    capsys.readouterr()
    assert run(["init-db", server.url, "--admin", "lisi"]) == 1
    err = capsys.readouterr().err
    assert "不是空的" in err and "users" in err and "Traceback" not in err


# backup, list-backups and restore on a server database (pg_dump / pg_restore): tests/ui/test_cli_pg_backup.py


# ---------------------------------------------------------------- migrate-to: a PC's database moves to the server

def _sha256(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def pc_database(tmp_path, capsys):
    """The office's PC database until today: the demo (rosters, plans, a sealed draw, inspections, notices)."""
    path = tmp_path / "pc" / "office.sqlite3"
    assert run(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    return path


def test_postgresql_migrate_to_moves_the_pc_database_and_every_seat_then_works_on_the_server(
        pc_database, empty_server, tmp_path, capsys, monkeypatch):
    before = _sha256(pc_database)
    monkeypatch.setenv("SSJ_NEW_PASSWORD", "zhang-pass-2026")
    assert run(["--db", str(pc_database), "migrate-to", empty_server, "--admin", "zhangsan"]) == 0
    out = capsys.readouterr().out
    assert "核对通过" in out and "检查对象 3008" in out and "抽取记录 8 条重新计算与哈希一致" in out
    assert "已在服务器上创建管理员 zhangsan" in out and "已启用登录" in out
    assert _sha256(pc_database) == before  # the source is left untouched

    # Every seat logs in; the audit chain and the draw check out on the server.
    monkeypatch.setenv("SSJ_PASSWORD", "zhang-pass-2026")
    assert run(["--db", empty_server, "--user", "zhangsan", "verify-audit"]) == 0
    assert "哈希链一致" in capsys.readouterr().out
    record = tmp_path / "record-1.json"
    assert run(["--db", empty_server, "--user", "zhangsan", "export-draw", "--record-id", "1", str(record)]) == 0
    capsys.readouterr()
    assert run(["verify-draw", str(record)]) == 0
    assert capsys.readouterr().out.strip() == "一致"
    assert run(["--db", empty_server, "--user", "zhangsan", "list-plans"]) == 0
    assert "沂源县公安局" in capsys.readouterr().out


def test_postgresql_migrate_to_refuses_a_server_database_that_holds_data_before_asking_for_a_password(
        pc_database, server, capsys, monkeypatch):
    monkeypatch.setenv("SSJ_NEW_PASSWORD", "li-pass-2026")
    assert run(["init-db", server.url, "--admin", "lisi"]) == 0
    capsys.readouterr()
    monkeypatch.delenv("SSJ_NEW_PASSWORD")  # no terminal either: asking for it would fail differently
    before = _sha256(pc_database)
    assert run(["--db", str(pc_database), "migrate-to", server.url, "--admin", "zhangsan"]) == 1
    err = capsys.readouterr().err
    assert "不是空的" in err and "Traceback" not in err
    assert _sha256(pc_database) == before


def test_migrate_to_needs_a_server_address_and_an_administrator_for_the_shared_database(pc_database, capsys):
    assert run(["--db", str(pc_database), "migrate-to", str(pc_database.parent / "copy.sqlite3")]) == 1
    assert "不是数据库服务器地址" in capsys.readouterr().err
    # The demo has no accounts: the server's administrator must be named (checked before any server is reached).
    assert run(["--db", str(pc_database), "migrate-to", "postgresql+psycopg://office@127.0.0.1:1/ssj"]) == 1
    err = capsys.readouterr().err
    assert "--admin" in err and "Traceback" not in err
    assert run(["--db", str(pc_database.parent / "missing.sqlite3"), "migrate-to",
                "postgresql+psycopg://office@127.0.0.1:1/ssj", "--admin", "zhangsan"]) == 1
    assert "不存在" in capsys.readouterr().err
