"""A clerk connects this workstation to the office's PostgreSQL server: 设置 → 数据库连接 tests the connection in
Chinese and saves the address (the password into the OS user's pgpass file, never the config); the first-run
welcome offers 连接办公室服务器; on the server the app always asks for a log-in and says where the data is."""
from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialog

from sqlalchemy import select

from models import connection, server, settings, users
from models.admin import AuditEntry
from models.connection import ServerAddress
from models.db import open_database
from tests.ui.screenshots import save_screenshot
from ui.app import build_main_window, open_and_run, server_log_in
from ui.first_run import SERVER, FirstRunDialog, maybe_welcome
from ui.login import FirstAdminDialog, LoginDialog
from ui.settings.connection_tab import ConnectionDialog, ConnectionForm, ConnectionTab

PASSWORD = "Geheim-2026!"


@pytest.fixture(autouse=True)
def own_pgpass(tmp_path, monkeypatch):
    """The OS user's home, APPDATA and pgpass file are the test's own."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "home" / ".pgpass"))
    monkeypatch.delenv("SSJ_DATABASE_URL", raising=False)
    return tmp_path / "home" / ".pgpass"


@pytest.fixture
def reopened(monkeypatch):
    """Records request_reopen() instead of quitting the test's application."""
    asked = []
    monkeypatch.setattr("ui.app.request_reopen", lambda: asked.append(True))
    return asked


def settings_tab(window) -> ConnectionTab:
    page = window.show_section("settings")
    page.setCurrentWidget(page.connection)
    return page.connection


def fill(form: ConnectionForm, address: ServerAddress, password: str = "") -> None:
    form.server.setChecked(True)
    form.host.setText(address.host)
    form.port.setValue(address.port)
    form.database.setText(address.database)
    form.user.setText(address.user)
    form.password.setText(password)


def press_test(qtbot, form: ConnectionForm) -> str:
    form.test_button.click()
    qtbot.waitUntil(lambda: form.verdict is not None and form.test_button.isEnabled(), timeout=20000)
    return form.result.text()


@pytest.fixture
def office_server(postgres_databases):
    """A migrated database on the test server with its first administrator (as init-db leaves it)."""
    name = postgres_databases.fresh()
    url = postgres_databases.url_of(name)
    db = open_database(url)
    server.add_first_admin(db, "admin", PASSWORD, actor="admin")
    db.dispose()
    yield url
    postgres_databases.drop(name)


def test_the_tab_shows_the_database_file_in_use(window):
    tab = settings_tab(window)
    assert "本机数据库文件" in tab.current.text() and str(window.ctx.db.path) in tab.current.text()
    assert tab.form.local.isChecked() and not tab.form.server_box.isEnabled()
    save_screenshot(window, "h4_settings_connection_file.png")


def test_postgresql_a_clerk_tests_the_office_server_and_sees_it_answer(qtbot, window, office_server):
    tab = settings_tab(window)
    fill(tab.form, connection.parse_url(office_server))
    text = press_test(qtbot, tab.form)
    assert tab.form.verdict.kind == connection.OK
    assert text.startswith("连接成功") and "0 个检查对象" in text
    save_screenshot(window, "h4_settings_connection_ok.png")


def test_a_wrong_port_says_the_server_cannot_be_reached(qtbot, window):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    tab = settings_tab(window)
    fill(tab.form, ServerAddress("127.0.0.1", closed, "ssj", "ssj"), "x")
    text = press_test(qtbot, tab.form)
    assert "无法连接到服务器" in text and tab.form.verdict.kind == connection.UNREACHABLE
    assert not tab.form.setup_button.isVisible()
    save_screenshot(window, "h4_settings_connection_unreachable.png")


def test_a_missing_host_is_named_before_anything_is_tried(window):
    tab = settings_tab(window)
    fill(tab.form, ServerAddress("srv", 5432, "ssj", "ssj"))
    tab.form.host.clear()
    assert tab.form.test() is None
    assert "请填写“主机”" in tab.form.result.text()


def test_saving_keeps_the_address_in_the_config_and_the_password_in_pgpass(window, own_pgpass, reopened,
                                                                           no_modal_dialogs):
    tab = settings_tab(window)
    fill(tab.form, ServerAddress("10.1.2.3", 5433, "ssj", "zhang"), "pa:ss")
    assert tab.form.save()
    config = json.loads(settings.config_file().read_text(encoding="utf-8"))
    assert config["server_url"] == "postgresql+psycopg://zhang@10.1.2.3:5433/ssj"
    assert "pa:ss" not in settings.config_file().read_text(encoding="utf-8")
    assert own_pgpass.read_text(encoding="utf-8") == "10.1.2.3:5433:ssj:zhang:pa\\:ss\n"
    assert "已保存" in tab.form.result.text() and "办公室服务器" in tab.form.result.text()
    assert tab.form.password.text() == "" and "已保存在本机" in tab.form.password.placeholderText()
    # The clerk agreed to switch now: the app reopens on the server.
    assert any("现在就切换" in text for _, text in no_modal_dialogs) and reopened == [True]
    assert connection.database_target(None) == "postgresql+psycopg://zhang@10.1.2.3:5433/ssj"
    # And back to the file on this PC.
    tab.form.local.setChecked(True)
    assert tab.form.save()
    assert "server_url" not in json.loads(settings.config_file().read_text(encoding="utf-8"))
    assert connection.database_target(None) == settings.configured_db_path()


@pytest.fixture
def empty_server(postgres_databases):
    postgres_databases.count += 1
    name = f"{postgres_databases.prefix}_h4empty{postgres_databases.count}"
    postgres_databases.drop(name)
    postgres_databases._execute(f"CREATE DATABASE {name}")
    yield postgres_databases.url_of(name)
    postgres_databases.drop(name)


def test_postgresql_an_empty_server_database_is_set_up_from_the_form(qtbot, window, empty_server, monkeypatch):
    tab = settings_tab(window)
    fill(tab.form, connection.parse_url(empty_server))
    text = press_test(qtbot, tab.form)
    assert "空的" in text and tab.form.setup_button.isVisible()
    save_screenshot(window, "h4_settings_connection_empty.png")

    def answer(dialog):
        dialog.username.setText("zhang")
        dialog.password.setText(PASSWORD)
        dialog.password2.setText(PASSWORD)
        save_screenshot(dialog, "h4_first_admin.png")
        dialog.check()
        return dialog.result()

    monkeypatch.setattr(FirstAdminDialog, "exec", answer)
    tab.form.setup_button.click()
    qtbot.waitUntil(lambda: "已建立数据库" in tab.form.result.text(), timeout=30000)
    assert "zhang" in tab.form.result.text()
    db = open_database(empty_server)
    try:
        with db.session() as s:
            assert users.login_required(s)
            assert users.authenticate(s, "zhang", PASSWORD).role == users.Role.ADMIN
    finally:
        db.dispose()


def test_the_first_admin_dialog_checks_the_password_twice(qtbot):
    dialog = FirstAdminDialog("postgresql+psycopg://ssj@srv:5432/ssj")
    qtbot.addWidget(dialog)
    dialog.username.setText("zhang")
    dialog.password.setText(PASSWORD)
    dialog.password2.setText(PASSWORD + "x")
    dialog.check()
    assert "不一致" in dialog.message.text() and dialog.result() != QDialog.DialogCode.Accepted


def test_the_welcome_offers_to_connect_to_the_office_server(window, monkeypatch, reopened):
    saved = "postgresql+psycopg://zhang@10.1.2.3:5432/ssj"

    def connect(dialog):
        assert not dialog.server_button.isHidden()
        save_screenshot(dialog, "h4_first_run.png")

        class Saved:
            def __init__(self, runner, parent):
                self.target = saved

            def exec(self):
                return QDialog.DialogCode.Accepted

        dialog.connect_server(Saved)
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", connect)
    assert maybe_welcome(window) == SERVER
    assert reopened == [True]
    with window.ctx.db.session() as s:  # the local file's welcome is not marked done: the server has its name
        assert not settings.get(s, "first_run_done")


def test_the_connection_dialog_opens_on_the_server_form(qtbot, window):
    dialog = ConnectionDialog(window.ctx.runner, window, problem="无法打开数据库：无法连接到服务器。")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.form.server.isChecked() and dialog.form.server_box.isEnabled()
    save_screenshot(dialog, "h4_connection_dialog.png")


# --- the app on the server ---------------------------------------------------------------------------

def log_in_as(name: str, password: str):
    def fake_exec(dialog):
        dialog.username.setText(name)
        dialog.password.setText(password)
        dialog.try_login()
        return dialog.result()
    return fake_exec


def test_postgresql_the_app_on_the_server_asks_for_a_log_in_and_shows_where_the_data_is(
        qtbot, office_server, monkeypatch, no_modal_dialogs):
    db = open_database(office_server)
    try:
        monkeypatch.setattr(LoginDialog, "exec", log_in_as("admin", PASSWORD))
        who = server_log_in(db)
        assert who == users.Operator("admin", users.Role.ADMIN)
        window = build_main_window(None, db=db, user=who.name, role=who.role)
        qtbot.addWidget(window)
        assert "办公室服务器" in window.windowTitle() and "127.0.0.1" in window.windowTitle()
        assert "办公室服务器：postgresql+psycopg://" in window.where_label.text()
        assert "用户：admin（管理员）" in window.where_label.text()
        window.resize(1366, 728)
        window.show()
        tab = settings_tab(window)
        save_screenshot(window, "h4_settings_connection_on_server.png")
        assert window.where_label.isVisible() and "办公室服务器" in window.where_label.text()
        assert "办公室服务器（PostgreSQL）" in tab.current.text() and tab.form.server.isChecked()
        assert tab.form.host.text() == "127.0.0.1"
        # The audit log records the logged-in user, not the operating-system user.
        with db.session() as s:
            settings.set(s, "bureau_name", "沂源县公安局", actor=window.ctx.actor())
        with db.session() as s:
            last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
            assert last.user == "admin" and last.action == "修改设置"
        window.close()
    finally:
        db.dispose()


def test_postgresql_a_server_database_without_accounts_is_refused_unless_an_administrator_is_set_up(
        qtbot, postgres_databases, monkeypatch, no_modal_dialogs):
    name = postgres_databases.fresh()
    db = open_database(postgres_databases.url_of(name))
    try:
        from PySide6.QtWidgets import QMessageBox

        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
        assert server_log_in(db) is None  # never the operating-system user on a shared database

        def asked(parent, title, text, *args, **kwargs):
            no_modal_dialogs.append(("question", text))
            return QMessageBox.StandardButton.Yes

        monkeypatch.setattr(QMessageBox, "question", asked)

        def first_admin(dialog):
            dialog.username.setText("li")
            dialog.password.setText(PASSWORD)
            dialog.password2.setText(PASSWORD)
            dialog.check()
            return dialog.result()

        monkeypatch.setattr(FirstAdminDialog, "exec", first_admin)
        monkeypatch.setattr(LoginDialog, "exec", log_in_as("li", PASSWORD))
        assert server_log_in(db) == users.Operator("li", users.Role.ADMIN)
        text = no_modal_dialogs[-1][1]
        assert "还没有任何用户" in text and "init-db" in text and "必须启用登录" in text
        with db.session() as s:
            assert users.login_required(s)
    finally:
        db.dispose()
        postgres_databases.drop(name)


def test_a_server_given_with_db_that_does_not_answer_is_explained_at_start(qapp, no_modal_dialogs):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    code = open_and_run(qapp, f"postgresql+psycopg://ssj@127.0.0.1:{closed}/ssj", 0.0)
    assert code == 1
    assert any(kind == "critical" and "无法连接到服务器" in text for kind, text in no_modal_dialogs)


def test_a_saved_server_that_does_not_answer_opens_the_connection_form_at_start(qapp, monkeypatch,
                                                                               no_modal_dialogs):
    import socket

    from ui.app import REOPEN

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    connection.save_server(ServerAddress("127.0.0.1", closed, "ssj", "ssj"), None)
    seen = []

    def fix(dialog):
        seen.append(dialog)
        save_screenshot(dialog, "h4_start_unreachable.png")
        dialog.form.local.setChecked(True)
        dialog.form.save()
        return dialog.result()

    monkeypatch.setattr(ConnectionDialog, "exec", fix)
    assert open_and_run(qapp, None, 0.0) == REOPEN
    assert "无法连接到服务器" in seen[0].findChild(type(seen[0].form.result), "problem").text()
    assert connection.database_target(None) == settings.configured_db_path()


def test_postgresql_the_command_line_opens_the_server_saved_in_settings(office_server, monkeypatch, capsys):
    from ui.cli import run

    connection.save_server(connection.parse_url(office_server), None)
    monkeypatch.setenv("SSJ_PASSWORD", PASSWORD)
    assert run(["--user", "admin", "show-settings"]) == 0
    assert run(["list-plans"]) == 1  # log-in is on there: no --user, no work
    assert "--user" in capsys.readouterr().err
    assert not settings.configured_db_path().exists()  # the file on this PC was not created
