"""The 用户 tab: switching log-in on or off, and the accounts with their roles (administrators only)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog,
    QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models import users
from models.db import PermissionDenied
from models.users import ROLES, AccountRow, Role
from ui.context import AppContext
from ui.settings.common import ADMIN_ONLY_NOTE, is_admin, note_label, read_settings, save_setting

ROLE_NOTES = (f"{Role.ADMIN}：设置、模板、恢复备份、用户管理，以及全部日常工作；"
              f"{Role.CLERK}：名录库、计划、抽取、检查与整改等日常工作；{Role.READ_ONLY}：查看和导出，不能修改数据。")


class UserDialog(QDialog):
    """新增用户: user name, display name, role, password twice."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("新增用户")
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(ROLES)
        self.role.setCurrentText(Role.CLERK)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow("用户名：", self.username)
        form.addRow("姓名：", self.display_name)
        form.addRow("角色：", self.role)
        form.addRow("密码：", self.password)
        form.addRow("再输一次：", self.password2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("添加")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersTab(QWidget):
    COLUMNS = ("用户名", "姓名", "角色", "状态")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.login = QCheckBox("启用登录（打开软件时须输入用户名和密码）")
        self.login.setObjectName("login_enabled")
        self.login.toggled.connect(self._login_toggled)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton("新增用户…")
        self.add_button.clicked.connect(self.add_user)
        self.role_button = QPushButton("更改角色…")
        self.role_button.clicked.connect(self.change_role)
        self.password_button = QPushButton("重设密码…")
        self.password_button.clicked.connect(self.reset_password)
        self.active_button = QPushButton("停用")
        self.active_button.clicked.connect(self.toggle_active)
        self.own_button = QPushButton("修改我的密码…")
        self.own_button.clicked.connect(self.change_own_password)
        actions = QHBoxLayout()
        for b in (self.add_button, self.role_button, self.password_button, self.active_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.own_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.login)
        layout.addWidget(note_label("未启用登录时，操作记录以本机操作系统的用户名记名，适合只有一名录入人员的单位。"))
        layout.addWidget(note_label(ROLE_NOTES))
        if not is_admin(ctx):
            layout.addWidget(note_label(ADMIN_ONLY_NOTE))
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self.who = QLabel(f"当前用户：{ctx.user}（{ctx.role}）")
        layout.addWidget(self.who)
        self.refresh()

    def refresh(self) -> None:
        self.login.blockSignals(True)
        self.login.setChecked(bool(read_settings(self.ctx)["login_enabled"]))
        self.login.blockSignals(False)
        with self.ctx.db.session() as s:
            self.accounts = users.list_accounts(s)
        self.table.setRowCount(len(self.accounts))
        for row, a in enumerate(self.accounts):
            state = "已停用" if not a.active else ("已锁定" if a.locked else "正常")
            for col, value in enumerate((a.username, a.display_name, a.role, state)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> AccountRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        admin = is_admin(self.ctx)
        chosen = self.selected()
        self.login.setEnabled(admin)
        self.add_button.setEnabled(admin)
        for b in (self.role_button, self.password_button, self.active_button):
            b.setEnabled(admin and chosen is not None)
        self.active_button.setText("启用" if chosen is not None and not chosen.active else "停用")
        self.own_button.setEnabled(any(a.username == self.ctx.user for a in self.accounts))

    def _run(self, action, done: str) -> bool:
        try:
            with self.ctx.db.session() as s:
                action(s)
        except (users.AuthError, PermissionDenied) as e:
            QMessageBox.warning(self, "用户", str(e))
            return False
        self.refresh()
        if done:
            QMessageBox.information(self, "用户", done)
        return True

    def _login_toggled(self, checked: bool) -> None:
        if not save_setting(self.ctx, self, "login_enabled", checked):
            self.refresh()

    def add_user(self) -> None:
        dialog = UserDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.password.text() != dialog.password2.text():
            QMessageBox.warning(self, "用户", "两次输入的密码不一致，未添加用户。")
            return
        name = dialog.username.text().strip()
        self._run(lambda s: users.create_user(s, name, dialog.password.text(), dialog.role.currentText(),
                                              actor=self.ctx.actor(), display_name=dialog.display_name.text()),
                  f"已新增用户 {name}。")

    def change_role(self) -> None:
        chosen = self.selected()
        role, ok = QInputDialog.getItem(self, "更改角色", f"{chosen.username} 的新角色：", list(ROLES),
                                        ROLES.index(chosen.role), False)
        if ok:
            self._run(lambda s: users.set_role(s, chosen.username, role, actor=self.ctx.actor()), "")

    def reset_password(self) -> None:
        chosen = self.selected()
        password, ok = QInputDialog.getText(self, "重设密码", f"{chosen.username} 的新密码：",
                                            QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda s: users.reset_password(s, chosen.username, password, actor=self.ctx.actor()),
                      f"已重设 {chosen.username} 的密码，并解除锁定。")

    def toggle_active(self) -> None:
        chosen = self.selected()
        if chosen.active:
            self._run(lambda s: users.deactivate(s, chosen.username, actor=self.ctx.actor()), "")
        else:
            self._run(lambda s: users.reactivate(s, chosen.username, actor=self.ctx.actor()), "")

    def change_own_password(self) -> None:
        old, ok = QInputDialog.getText(self, "修改我的密码", "原密码：", QLineEdit.EchoMode.Password)
        if not ok:
            return
        new, ok = QInputDialog.getText(self, "修改我的密码", "新密码：", QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda s: users.change_password(s, self.ctx.user, old, new), "密码已修改。")
