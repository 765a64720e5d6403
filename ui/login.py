"""The log-in dialog shown at start when the administrator switched log-in on (always on a shared server),
and the dialog that names a new server database's first administrator."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from models import users
from models.db import Database


class LoginDialog(QDialog):
    """用户名 + 密码; on success ``self.user`` holds the users.Operator."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.user: users.Operator | None = None
        self.setWindowTitle("登录 — 双随机 desk")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        where = QLabel(f"数据库：{db.location}" if db.is_sqlite else f"办公室服务器：{db.location}")
        where.setWordWrap(True)  # a long path wraps instead of widening the dialog past the screen
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def try_login(self) -> None:
        try:
            with self.db.read_session() as s:  # the password's cost first, outside the write below
                checked = users.check_password(s, self.username.text(), self.password.text())
            with self.db.session(immediate=True) as s:  # a 只读 window's log-in entry too: see models.lock
                user = users.authenticate(s, self.username.text(), self.password.text(), checked=checked)
                self.user = users.Operator(user.username, user.role)
        except users.AuthError as e:
            self.message.setText(str(e))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """第一个管理员 of a new server database: the program's account (user name, password twice).

    ``name`` and ``password`` hold the answer once accepted; the password rules are the accounts' own.
    """

    def __init__(self, where: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("建立第一个管理员")
        intro = QLabel(f"数据库 {where} 将由本软件使用。多人共用的数据库必须启用登录，请设置第一个管理员"
                       "（登录本软件用的账户，不是数据库的用户名和密码）。"
                       "其他人的账户可由管理员在“设置 → 用户”中添加。")
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("admin_name")
        self.password = QLineEdit()
        self.password.setObjectName("admin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setObjectName("admin_password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("管理员用户名：", self.username)
        form.addRow(f"密码（至少 {users.MIN_PASSWORD} 位）：", self.password)
        form.addRow("再输一次：", self.password2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("建立")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @property
    def admin_password(self) -> str:
        return self.password.text()

    @property
    def name(self) -> str:
        return self.username.text().strip()

    def check(self) -> None:
        problem = ""
        if not self.name:
            problem = "请填写管理员用户名。"
        elif len(self.password.text()) < users.MIN_PASSWORD:
            problem = f"密码至少需要 {users.MIN_PASSWORD} 个字符。"
        elif self.password.text() != self.password2.text():
            problem = "两次输入的密码不一致。"
        if problem:
            self.message.setText(problem)
            return
        self.accept()
