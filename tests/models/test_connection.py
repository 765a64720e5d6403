"""A workstation keeps the office server's address in its own config and the password in the OS user's
pgpass file; 测试连接 says in Chinese what is wrong (or how many objects are there)."""
from __future__ import annotations

import json
import os
import socket
import stat
import sys

import pytest
from sqlalchemy import text

from models import connection
from models.connection import ConnectionSettingsError, ServerAddress
from models.db import DatabaseError, connection_problem, open_database
from models.settings import config_file, configured_server_url


@pytest.fixture
def pgpass(tmp_path, monkeypatch):
    path = tmp_path / "home" / ".pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


# --- the URL ---------------------------------------------------------------------------------------

def test_the_url_is_built_from_the_form_and_read_back_with_odd_characters():
    address = ServerAddress(host="10.0.0.5", port=5433, database="双随机 ssj?x", user="zhang@san:1")
    url = address.url
    assert url.startswith("postgresql+psycopg://") and "@10.0.0.5:5433/" in url
    assert ":" not in url.split("://", 1)[1].split("@")[0]  # no password part
    assert connection.parse_url(url) == address


def test_an_ipv6_host_round_trips():
    url = connection.build_url("[::1]", "5432", "ssj", "ssj")
    assert "[::1]:5432" in url
    assert connection.parse_url(url).host == "::1"


@pytest.mark.parametrize(("fields", "words"), [
    (("", 5432, "ssj", "ssj"), "主机"),
    (("srv", "abc", "ssj", "ssj"), "端口"),
    (("srv", 70000, "ssj", "ssj"), "端口"),
    (("srv", 5432, "", "ssj"), "数据库名"),
    (("srv", 5432, "ssj", " "), "用户名"),
    (("a b", 5432, "ssj", "ssj"), "主机"),
])
def test_a_missing_or_bad_field_is_refused_naming_it(fields, words):
    with pytest.raises(ConnectionSettingsError, match=words):
        connection.build_url(*fields)


def test_the_password_never_reaches_the_config_file(pgpass):
    from models.settings import set_configured_server_url

    set_configured_server_url("postgresql+psycopg://ssj:geheim@srv:5432/ssj")
    saved = json.loads(config_file().read_text(encoding="utf-8"))
    assert "geheim" not in config_file().read_text(encoding="utf-8")
    assert saved["server_url"] == "postgresql+psycopg://ssj@srv:5432/ssj"


# --- which database the app opens ------------------------------------------------------------------

def test_the_app_opens_db_then_the_environment_then_the_saved_server_then_the_file(monkeypatch, tmp_path, pgpass):
    monkeypatch.delenv("SSJ_DATABASE_URL", raising=False)
    from models.paths import default_db_path

    assert connection.database_target(None) == default_db_path()
    connection.save_server(ServerAddress("srv", 5432, "ssj", "clerk"), "pw")
    assert connection.database_target(None) == "postgresql+psycopg://clerk@srv:5432/ssj"
    assert connection.target_source(None) == "config"
    monkeypatch.setenv("SSJ_DATABASE_URL", "postgresql+psycopg://it@other:5432/ssj")
    assert connection.database_target(None) == "postgresql+psycopg://it@other:5432/ssj"
    assert connection.target_source(None) == "environment"
    assert connection.database_target(str(tmp_path / "x.sqlite3")) == tmp_path / "x.sqlite3"
    assert connection.target_source("x") == "argument"
    connection.use_local_file()
    monkeypatch.delenv("SSJ_DATABASE_URL")
    assert configured_server_url() == ""
    assert connection.database_target(None) == default_db_path()


# --- the pgpass file -------------------------------------------------------------------------------

def test_saving_writes_one_escaped_pgpass_line_readable_by_the_user_only(pgpass):
    address = ServerAddress("srv", 5432, "ssj", "zhang")
    connection.save_password(address, r"pa:ss\word")
    assert pgpass.read_text(encoding="utf-8") == "srv:5432:ssj:zhang:pa\\:ss\\\\word\n"
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(pgpass).st_mode) == 0o600
    assert connection.has_saved_password(address)


def test_saving_again_replaces_that_line_and_keeps_the_others(pgpass):
    pgpass.parent.mkdir(parents=True)
    pgpass.write_text("# mine\nother:5432:*:me:secret\nsrv:5432:ssj:zhang:old\n", encoding="utf-8")
    address = ServerAddress("srv", 5432, "ssj", "zhang")
    connection.save_password(address, "new")
    assert pgpass.read_text(encoding="utf-8") == "# mine\nother:5432:*:me:secret\nsrv:5432:ssj:zhang:new\n"
    odd = ServerAddress("srv", 5432, "a:b", "c\\d")
    connection.save_password(odd, "x")
    assert "srv:5432:a\\:b:c\\\\d:x\n" in pgpass.read_text(encoding="utf-8")
    assert connection.remove_password(address)
    assert pgpass.read_text(encoding="utf-8") == "# mine\nother:5432:*:me:secret\nsrv:5432:a\\:b:c\\\\d:x\n"
    assert not connection.remove_password(address)


def test_the_pgpass_file_is_where_libpq_looks(monkeypatch, tmp_path):
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    if sys.platform == "win32":
        assert connection.pgpass_file() == tmp_path / "AppData" / "postgresql" / "pgpass.conf"
    else:
        assert connection.pgpass_file() == tmp_path / ".pgpass"
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "p.conf"))
    assert connection.pgpass_file() == tmp_path / "p.conf"


def test_a_password_with_a_line_break_is_refused(pgpass):
    with pytest.raises(ConnectionSettingsError, match="换行"):
        connection.save_password(ServerAddress("srv", 5432, "ssj", "u"), "a\nb")


# --- the verdicts ----------------------------------------------------------------------------------

class _Raw(Exception):
    pass


@pytest.mark.parametrize(("raw", "kind", "words"), [
    ('connection failed: FATAL:  password authentication failed for user "ssj"', connection.WRONG_PASSWORD,
     "用户名或密码错误"),
    ("fe_sendauth: no password supplied", connection.WRONG_PASSWORD, "用户名或密码错误"),
    ('FATAL:  database "ssj" does not exist', connection.NO_DATABASE, "没有这个数据库"),
    ('FATAL:  role "zhang" does not exist', connection.NO_ROLE, "没有这个用户"),
    ("connection refused", connection.UNREACHABLE, "无法连接到服务器"),
])
def test_each_server_error_becomes_a_chinese_verdict(raw, kind, words):
    message = connection_problem("postgresql+psycopg://ssj:secret@srv:5432/ssj", _Raw(raw))
    assert words in message and "secret" not in message
    assert connection.problem_kind(message) == kind


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_host_is_reported_as_such(pgpass):
    verdict = connection.test_connection(f"postgresql+psycopg://ssj@127.0.0.1:{_closed_port()}/ssj", "x")
    assert verdict.kind == connection.UNREACHABLE and not verdict.connected
    assert "无法连接到服务器" in verdict.message


@pytest.fixture
def server(postgres_databases):
    """A URL on the test server whose database name is not created yet; dropped afterwards."""
    postgres_databases.count += 1
    name = f"{postgres_databases.prefix}_conn{postgres_databases.count}"
    postgres_databases.drop(name)
    yield name, postgres_databases.url_of(name)
    postgres_databases.drop(name)


def test_postgresql_a_missing_database_is_named(server):
    _, url = server
    verdict = connection.test_connection(url)
    assert verdict.kind == connection.NO_DATABASE and "没有这个数据库" in verdict.message


def test_postgresql_an_empty_database_is_offered_for_set_up_and_then_answers_ok(server, postgres_databases):
    name, url = server
    postgres_databases._execute(f"CREATE DATABASE {name}")
    verdict = connection.test_connection(url)
    assert verdict.kind == connection.EMPTY and verdict.connected and "空的" in verdict.message
    from models import server as server_setup

    server_setup.init_database(url, "admin", "Geheim-2026!").dispose()
    verdict = connection.test_connection(url)
    assert verdict.kind == connection.OK and verdict.objects == 0
    assert "连接成功" in verdict.message and "0 个检查对象" in verdict.message


def test_postgresql_a_migrated_database_without_accounts_asks_for_the_first_administrator(server, postgres_databases):
    name, url = server
    postgres_databases._execute(f"CREATE DATABASE {name}")
    open_database(url).dispose()
    verdict = connection.test_connection(url)
    assert verdict.kind == connection.NO_ACCOUNTS and "第一个管理员" in verdict.message


def test_postgresql_a_schema_newer_than_this_program_is_refused(server, postgres_databases):
    name, url = server
    postgres_databases._execute(f"CREATE DATABASE {name}")
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('ffff')"))
    engine.dispose()
    verdict = connection.test_connection(url)
    assert verdict.kind == connection.NEWER_SCHEMA
    assert "由更新版本的本软件创建（结构版本 ffff），请先升级本软件" in verdict.message
    for migrate in (True, False):
        with pytest.raises(DatabaseError, match="结构版本 ffff"):
            open_database(url, migrate=migrate)


def test_postgresql_another_programs_database_is_not_ours(server, postgres_databases):
    name, url = server
    postgres_databases._execute(f"CREATE DATABASE {name}")
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id int)"))
    engine.dispose()
    assert connection.test_connection(url).kind == connection.FOREIGN


def test_postgresql_a_workstation_sets_up_an_empty_database_with_its_first_administrator(server, postgres_databases):
    name, url = server
    postgres_databases._execute(f"CREATE DATABASE {name}")
    connection.set_up_server(url, None, "  zhang  ", "Geheim-2026!")
    db = open_database(url)
    try:
        from models import users

        with db.session() as s:
            assert users.login_required(s)
            assert users.authenticate(s, "zhang", "Geheim-2026!").role == users.Role.ADMIN
    finally:
        db.dispose()
    with pytest.raises(DatabaseError, match="已有用户"):
        connection.set_up_server(url, None, "li", "Geheim-2026!")


def test_postgresql_a_migrated_database_without_accounts_gets_its_first_administrator(server, postgres_databases):
    name, url = server
    postgres_databases._execute(f"CREATE DATABASE {name}")
    open_database(url).dispose()
    connection.set_up_server(url, None, "wang", "Geheim-2026!")
    assert connection.test_connection(url).kind == connection.OK


def test_choosing_a_database_file_later_leaves_the_server(pgpass, tmp_path, monkeypatch):
    monkeypatch.delenv("SSJ_DATABASE_URL", raising=False)
    from models.settings import set_configured_db_path

    connection.save_server(ServerAddress("srv", 5432, "ssj", "clerk"), None)
    set_configured_db_path(tmp_path / "office.sqlite3")
    assert connection.database_target(None) == (tmp_path / "office.sqlite3").resolve()
