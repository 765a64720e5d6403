"""The office's IT person backs up and restores the shared server database with the same commands as a file.

`backup`, `list-backups` and `restore` on a PostgreSQL URL use pg_dump / pg_restore; `who` lists the
connected workstations. Needs SSJ_TEST_DATABASE_URL and the PostgreSQL client programs (else skipped);
`who` on a SQLite file runs everywhere.
"""
from __future__ import annotations

import socket

import pytest
from sqlalchemy import create_engine, select, text

from models import pg_backup
from models.db import encode_seat_field, open_database
from models.roster import ObjectType
from ui.cli import run


@pytest.fixture
def server(postgres_databases):
    try:
        pg_backup.client_tools("pg_dump", "pg_restore", "psql")
    except pg_backup.ToolsMissing:
        pytest.skip("pg_dump / pg_restore / psql are not installed")
    name = postgres_databases.fresh()
    yield postgres_databases.url_of(name)
    postgres_databases.drop(name)


def _types(url):
    db = open_database(url)
    try:
        with db.session() as s:
            return sorted(s.scalars(select(ObjectType.name)))
    finally:
        db.dispose()


def _add_type(url, name):
    db = open_database(url)
    with db.session() as s:
        s.add(ObjectType(name=name))
    db.dispose()


def test_backup_list_and_restore_the_office_server_from_the_command_line(server, tmp_path, capsys):
    _add_type(server, "旅馆")
    folder = tmp_path / "共享备份"
    assert run(["--db", server, "set-setting", "backup_dir", str(folder)]) == 0
    assert run(["--db", server, "backup"]) == 0
    out = capsys.readouterr().out
    made = next(folder.glob("*-手动.dump"))
    assert f"已备份到：{made}" in out

    _add_type(server, "网吧")   # entered after the backup
    assert run(["--db", server, "list-backups"]) == 0
    out = capsys.readouterr().out
    assert f"备份文件夹：{folder}" in out and "手动" in out and made.name in out

    assert run(["--db", server, "restore", str(made), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "已从" in out and "恢复前的数据库已备份为" in out
    assert _types(server) == ["旅馆"]
    assert len(list(folder.glob("*-恢复前.dump"))) == 1


def test_restore_is_refused_while_another_seat_is_connected_and_a_damaged_dump_before_anything(
        server, tmp_path, capsys):
    _add_type(server, "旅馆")
    made = tmp_path / "a.dump"
    assert run(["--db", server, "backup", str(made)]) == 0
    _add_type(server, "网吧")
    name = f"shuangsuiji-desk|{encode_seat_field('禁毒大队')}|wangwu"
    other = create_engine(server, connect_args={"application_name": name})
    with other.connect() as seat:
        seat.execute(text("SELECT 1"))
        capsys.readouterr()
        assert run(["--db", server, "who"]) == 0
        out = capsys.readouterr().out
        assert "共 2 个连接" in out and "禁毒大队\twangwu" in out and f"{socket.gethostname()}\t" in out

        assert run(["--db", server, "restore", str(made), "--yes"]) == 1
        err = capsys.readouterr().err
        assert "还有其他工作站连接着数据库" in err and "计算机 禁毒大队，用户 wangwu" in err
        assert "Traceback" not in err
    other.dispose()

    broken = tmp_path / "broken.dump"
    broken.write_bytes(made.read_bytes()[:-300])
    assert run(["--db", server, "restore", str(broken), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "不能用此备份恢复" in err and "已损坏或不完整" in err
    assert _types(server) == ["旅馆", "网吧"]


def test_only_an_administrator_backs_up_a_server_with_log_in_on(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SSJ_NEW_PASSWORD", "admin-pass-2026")
    assert run(["--db", server, "add-user", "guanli", "--role", "管理员"]) == 0
    assert run(["--db", server, "add-user", "luru", "--role", "录入员"]) == 0
    monkeypatch.setenv("SSJ_PASSWORD", "admin-pass-2026")
    assert run(["--db", server, "--user", "guanli", "set-setting", "login_enabled", "是"]) == 0
    capsys.readouterr()
    assert run(["--db", server, "--user", "luru", "backup", str(tmp_path / "x.dump")]) == 1
    assert "只有管理员" in capsys.readouterr().err
    assert not (tmp_path / "x.dump").exists()
    assert run(["--db", server, "--user", "guanli", "backup", str(tmp_path / "x.dump")]) == 0


def test_who_on_a_single_pc_file_names_the_program_that_has_it_open(tmp_path, capsys):
    from models.lock import DatabaseLock

    path = tmp_path / "office.sqlite3"
    open_database(path).dispose()
    assert run(["--db", str(path), "who"]) == 0
    out = capsys.readouterr().out
    assert "单机数据库" in out and "当前没有程序以可写方式打开它" in out
    with DatabaseLock(path):
        assert run(["--db", str(path), "who"]) == 0
        out = capsys.readouterr().out
    assert "单机数据库" in out and f"正在使用它的程序：计算机 {socket.gethostname()}" in out
