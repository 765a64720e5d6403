"""设置 → 数据库连接: where this workstation's data is — the database file on this PC or the office's
PostgreSQL server — with 测试连接 (off the UI thread) and 保存. The same form opens as a dialog from the
first-run welcome and when the saved server cannot be reached at start."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QRadioButton, QSpinBox, QVBoxLayout, QWidget,
)

from models import connection
from models.connection import ServerAddress
from models.settings import configured_db_path, configured_server_url
from ui.tasks import TaskRunner
from ui.widgets import error_message

OK_STYLE = "color: #1b5e20;"
BAD_STYLE = "color: #b00020;"
TODO_STYLE = "color: #8a5a00;"   # connected, but the database needs setting up first


def _initial_address(current_url: str = "") -> ServerAddress | None:
    for url in (current_url, configured_server_url()):
        if url:
            try:
                return connection.parse_url(url)
            except Exception:  # noqa: BLE001 - a damaged saved address just leaves the form empty
                continue
    return None


class ConnectionForm(QWidget):
    """本机数据库文件 or 办公室服务器 (主机、端口、数据库名、用户名、密码); 测试连接, 建立数据库…, 保存.

    ``saved`` is emitted with the new target (a URL without password, or the file's Path) after 保存.
    """

    saved = Signal(object)

    def __init__(self, runner: TaskRunner, current_url: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.verdict: connection.Verdict | None = None
        self.local = QRadioButton("本机数据库文件（一台电脑使用）")
        self.local.setObjectName("use_local")
        self.server = QRadioButton("办公室服务器（PostgreSQL，多台电脑共用）")
        self.server.setObjectName("use_server")
        choice = QButtonGroup(self)
        choice.addButton(self.local)
        choice.addButton(self.server)
        self.file_label = QLabel(f"数据库文件：{configured_db_path()}（可在“备份与恢复”中选择其他文件）")
        self.file_label.setWordWrap(True)

        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText("服务器的计算机名或 IP 地址，例如 192.168.1.10")
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setValue(connection.DEFAULT_PORT)
        self.database = QLineEdit(connection.DEFAULT_DATABASE)
        self.database.setObjectName("database")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.user.setPlaceholderText("服务器上为本软件建立的数据库用户，例如 ssj")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        address = _initial_address(current_url)
        if address is not None:
            self.host.setText(address.host)
            self.port.setValue(address.port)
            self.database.setText(address.database)
            self.user.setText(address.user)
        server_form = QFormLayout()
        server_form.addRow("主机：", self.host)
        server_form.addRow("端口：", self.port)
        server_form.addRow("数据库名：", self.database)
        server_form.addRow("用户名：", self.user)
        server_form.addRow("密码：", self.password)
        note = QLabel(f"密码保存在本机当前用户的 PostgreSQL 密码文件（{connection.pgpass_file()}）中，"
                      "不保存在共享数据库或本软件的设置文件里。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        server_form.addRow(note)
        self.server_box = QGroupBox("办公室服务器")
        self.server_box.setLayout(server_form)

        self.test_button = QPushButton("测试连接")
        self.test_button.setObjectName("test_connection")
        self.test_button.clicked.connect(self.test)
        self.setup_button = QPushButton("建立数据库…")
        self.setup_button.setObjectName("set_up")
        self.setup_button.setToolTip("在空数据库中建立本软件的数据表，并设置第一个管理员（启用登录）。")
        self.setup_button.clicked.connect(self.set_up)
        self.setup_button.hide()
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("save_connection")
        self.save_button.clicked.connect(self.save)
        self.result = QLabel("")
        self.result.setObjectName("verdict")
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.setup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.file_label)
        layout.addWidget(self.server)
        layout.addWidget(self.server_box)
        layout.addWidget(self.result)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.server.toggled.connect(self._mode_changed)
        (self.server if (current_url or configured_server_url()) else self.local).setChecked(True)
        self._mode_changed()
        self._show_saved_password()

    # --- state ---------------------------------------------------------------------------------

    def _mode_changed(self) -> None:
        on_server = self.server.isChecked()
        self.server_box.setEnabled(on_server)
        self.test_button.setEnabled(on_server)
        self.file_label.setEnabled(not on_server)
        if not on_server:
            self.setup_button.hide()

    def _show_saved_password(self) -> None:
        try:
            saved = connection.has_saved_password(self.address())
        except connection.ConnectionSettingsError:
            saved = False
        self.password.setPlaceholderText("（已保存在本机，留空则沿用）" if saved else "数据库用户的密码")

    def address(self) -> ServerAddress:
        """The form's server, checked (ConnectionSettingsError names the field that is wrong)."""
        connection.build_url(self.host.text(), self.port.value(), self.database.text(), self.user.text())
        host = self.host.text().strip()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        return ServerAddress(host, self.port.value(), self.database.text().strip(), self.user.text().strip())

    def say(self, text: str, good: bool, style: str = "") -> None:
        self.result.setStyleSheet(style or (OK_STYLE if good else BAD_STYLE))
        self.result.setText(text)

    # --- actions -------------------------------------------------------------------------------

    def test(self):
        """测试连接 on the task runner; the verdict appears under the form."""
        try:
            url = self.address().url
        except connection.ConnectionSettingsError as e:
            self.say(str(e), False)
            return None
        password = self.password.text() or None
        self.say("正在连接服务器……", True)
        self.test_button.setEnabled(False)
        return self.runner.run(self, lambda progress, cancelled: connection.test_connection(url, password),
                               label="正在连接服务器……", cancellable=False,
                               on_success=self.show_verdict, on_failure=self._failed)

    def show_verdict(self, verdict: connection.Verdict) -> None:
        self.verdict = verdict
        self.test_button.setEnabled(self.server.isChecked())
        ok = verdict.kind == connection.OK
        self.say(verdict.message, ok, TODO_STYLE if verdict.connected and not ok else "")
        self.setup_button.setVisible(verdict.kind in (connection.EMPTY, connection.NO_ACCOUNTS))

    def _failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(self.server.isChecked())
        self.say(error_message(error), False)

    def set_up(self) -> None:
        """建立数据库…: the first administrator's name and password, then init-db's work on the runner."""
        from ui.login import FirstAdminDialog

        try:
            address = self.address()
        except connection.ConnectionSettingsError as e:
            self.say(str(e), False)
            return
        dialog = FirstAdminDialog(connection.display_url(address.url), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        password = self.password.text() or None
        admin, admin_password = dialog.name, dialog.admin_password

        def done(_result) -> None:
            self.setup_button.hide()
            self.say(f"已建立数据库，第一个管理员为 {admin}，已启用登录。请点“保存”，之后以 {admin} 登录。", True)

        self.runner.run(self, lambda progress, cancelled: connection.set_up_server(
                            address.url, password, admin, admin_password),
                        label="正在建立数据库……", cancellable=False, on_success=done, on_failure=self._failed)

    def save(self) -> bool:
        """保存: the choice goes into this OS user's config (and the password into the pgpass file)."""
        try:
            if self.server.isChecked():
                address = self.address()
                target = connection.save_server(address, self.password.text() or None)
                where = f"办公室服务器 {connection.display_url(target)}"
                self.password.clear()
                self._show_saved_password()
            else:
                connection.use_local_file()
                target = configured_db_path()
                where = f"本机数据库文件 {target}"
        except (connection.ConnectionSettingsError, OSError) as e:
            self.say(error_message(e), False)
            return False
        text = f"已保存：本工作站将使用{where}。"
        if os.environ.get(connection.SERVER_ENV, "").strip():
            text += f"（注意：环境变量 {connection.SERVER_ENV} 已设置，它优先于此处的设置。）"
        self.say(text, True)
        self.saved.emit(target)
        return True


class ConnectionTab(QWidget):
    """设置 → 数据库连接: the database in use now, and the form to change it (takes effect on reopening)."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        db = ctx.db
        kind = "本机数据库文件" if db.is_sqlite else "办公室服务器（PostgreSQL）"
        self.current = QLabel(f"当前数据库：{kind} {db.location}")
        self.current.setObjectName("current_database")
        self.current.setWordWrap(True)
        self.form = ConnectionForm(ctx.runner, "" if db.is_sqlite else db.url, self)
        self.form.saved.connect(self._saved)
        self.form.setMaximumWidth(900)  # a form stretched over a wide screen is hard to read
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.form, 1)

    def _saved(self, target) -> None:
        from ui.app import request_reopen
        from ui.widgets import confirm

        if _same_database(target, self.ctx.db):
            return
        if confirm(self, "数据库连接", "已保存。现在就切换到新的数据库吗？\n\n"
                                       "本窗口将关闭，软件随即打开新的数据库（办公室服务器须登录）。"
                                       "选“否”则在下次启动时切换。"):
            request_reopen()


def _same_database(target, db) -> bool:
    if isinstance(target, Path):
        return db.path is not None and Path(db.path).resolve() == target.resolve()
    return not db.is_sqlite and connection.without_password(db.url) == connection.without_password(str(target))


class ConnectionDialog(QDialog):
    """连接办公室服务器 as a dialog (first-run welcome, or a saved server that does not answer at start).

    Accepted after 保存; ``target`` then holds what was saved.
    """

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None, *, problem: str = "",
                 current_url: str = ""):
        super().__init__(parent)
        self.setWindowTitle("连接办公室服务器")
        self.target = None
        layout = QVBoxLayout(self)
        if problem:
            trouble = QLabel(problem)
            trouble.setObjectName("problem")
            trouble.setWordWrap(True)
            trouble.setStyleSheet(BAD_STYLE)
            layout.addWidget(trouble)
        self.form = ConnectionForm(runner, current_url, self)
        if not current_url:
            self.form.server.setChecked(True)
        self.form.saved.connect(self._saved)
        layout.addWidget(self.form)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.setMinimumWidth(560)

    def _saved(self, target) -> None:
        self.target = target
        self.accept()
