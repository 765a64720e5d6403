"""设置 on the office server: 当前连接 shows who is on, and 备份与恢复 dumps and restores the server database.

The server stories need SSJ_TEST_DATABASE_URL and the PostgreSQL client programs (else skipped); the
单机 story runs everywhere.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from models import pg_backup
from models.db import encode_seat_field, open_database
from models.roster import ObjectType
from tests.ui.fit import problems
from ui.app import build_main_window

SHOTS = os.environ.get("SSJ_H3_SHOTS")   # e.g. /work/shots: save what the tabs show


def _shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


@pytest.fixture
def server_window(qtbot, postgres_databases, no_modal_dialogs):
    try:
        pg_backup.client_tools("pg_dump", "pg_restore", "psql")
    except pg_backup.ToolsMissing:
        pytest.skip("pg_dump / pg_restore / psql are not installed")
    name = postgres_databases.fresh()
    url = postgres_databases.url_of(name)
    win = build_main_window(None, db=open_database(url))
    qtbot.addWidget(win)
    win.resize(1366, 728)
    win.show()
    yield win
    win.ctx.runner.wait()
    win.ctx.db.dispose()
    postgres_databases.drop(name)


def _other_seat(url: str, computer: str, user: str):
    return create_engine(url, connect_args={
        "application_name": f"shuangsuiji-desk|{encode_seat_field(computer)}|{encode_seat_field(user)}"})


def test_on_a_single_pc_the_connections_tab_says_it_is_a_single_pc_database(window):
    page = window.show_section("settings")
    page.setCurrentWidget(page.seats)
    assert "单机数据库" in page.seats.summary.text() and not page.seats.table.isVisibleTo(page.seats)


def test_the_connections_tab_lists_this_workstation_and_another_after_refresh(server_window):
    page = server_window.show_section("settings")
    page.setCurrentWidget(page.seats)
    tab = page.seats
    mine = [s for s in tab.seats if s.this_program]
    assert mine and mine[0].workstation == socket.gethostname()
    other = _other_seat(server_window.ctx.db.url, "治安大队-02", "张三")
    with other.connect() as conn:
        conn.execute(text("SELECT 1"))
        tab.refresh_button.click()
        rows = [[tab.table.item(r, c).text() for c in range(4)] for r in range(tab.table.rowCount())]
        assert any(r[0] == "治安大队-02" and r[1] == "张三" for r in rows)
        assert any(r[3].endswith("（本机）") for r in rows)
        assert f"当前共 {len(rows)} 个连接" in tab.summary.text()
        _shot(server_window, "h3_seats_tab.png")
        assert not problems(server_window)   # fits a 1366×768 office screen
    other.dispose()


def test_back_up_the_server_then_restore_it_from_the_backups_tab(server_window, no_modal_dialogs):
    ctx = server_window.ctx
    page = server_window.show_section("settings")
    page.show_backups()
    tab = page.backups
    assert "办公室服务器" in tab.db_label.text() and not tab.move_button.isVisibleTo(tab)
    with ctx.db.session() as s:
        s.add(ObjectType(name="旅馆"))
    tab.backup_button.click()
    assert no_modal_dialogs[-1][0] == "information" and ".dump" in no_modal_dialogs[-1][1]
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "手动"
    with ctx.db.session() as s:
        s.add(ObjectType(name="网吧"))

    # while another clerk is connected the restore is refused and nothing changes
    other = _other_seat(ctx.db.url, "网安大队-01", "lisi")
    with other.connect() as conn:
        conn.execute(text("SELECT 1"))
        tab.table.selectRow(0)
        tab.restore_button.click()
        kind, said = no_modal_dialogs[-1]
        assert kind == "critical" and "计算机 网安大队-01，用户 lisi" in said and "当前数据库未被替换" in said
    other.dispose()
    with ctx.db.session() as s:
        assert sorted(s.scalars(select(ObjectType.name))) == ["旅馆", "网吧"]

    tab.table.selectRow(0)
    tab.restore_button.click()
    assert no_modal_dialogs[-1][0] == "information" and "已从备份恢复" in no_modal_dialogs[-1][1]
    with ctx.db.session() as s:
        assert s.scalars(select(ObjectType.name)).all() == ["旅馆"]
    assert {tab.table.item(r, 1).text() for r in range(tab.table.rowCount())} == {"手动", "恢复前"}
    _shot(server_window, "h3_backup_tab_server.png")
    assert not problems(server_window)
