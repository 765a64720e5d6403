"""The welcome at a new office: the bureau's name, then import rosters, load the demo data, or start empty —
or connect this workstation to the office's shared server instead."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from models import settings
from models.db import PermissionDenied
from ui.context import ALL_DATA, AppContext, Topic

IMPORT = "import"
DEMO = "demo"
EMPTY = "empty"
SERVER = "server"


class FirstRunDialog(QDialog):
    """欢迎使用: asks the bureau's name and short name; ``choice`` is IMPORT, DEMO or EMPTY once accepted,
    or SERVER when the clerk connected to the office server instead (no name needed: the server has it)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.choice: str | None = None
        self.setWindowTitle("欢迎使用 双随机 desk")
        title = QLabel("欢迎使用 双随机 desk")
        font = title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel("本软件用于公安机关“双随机、一公开”抽查工作：名录库、年度抽查计划、在见证下随机抽取、"
                       "检查与整改通知书、公示与统计。开始之前，请填写本单位名称。"
                       "（本单位已在办公室服务器上建立共用数据库的，直接点“连接办公室服务器”。）")
        intro.setWordWrap(True)
        self.bureau_name = QLineEdit()
        self.bureau_name.setObjectName("bureau_name")
        self.bureau_name.setPlaceholderText("例如：XX县公安局")
        self.bureau_short = QLineEdit()
        self.bureau_short.setObjectName("bureau_short")
        self.bureau_short.setPlaceholderText("文号中的机关代字，例如：X公(治)（可稍后在“设置”中填写）")
        self.message = QLabel("")
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("单位名称：", self.bureau_name)
        form.addRow("机关代字：", self.bureau_short)
        self.import_button = QPushButton("从 Excel 导入名录")
        self.import_button.setToolTip("打开名录库的导入功能，导入本单位的检查对象名录。")
        self.demo_button = QPushButton("载入演示数据")
        self.demo_button.setToolTip("生成约 3000 个演示检查对象和 60 名检查人员，用于熟悉软件。")
        self.empty_button = QPushButton("从空白开始")
        self.import_button.clicked.connect(lambda: self.choose(IMPORT))
        self.demo_button.clicked.connect(lambda: self.choose(DEMO))
        self.empty_button.clicked.connect(lambda: self.choose(EMPTY))
        self.server_button = QPushButton("连接办公室服务器")
        self.server_button.setObjectName("connect_server")
        self.server_button.setToolTip("本单位已在服务器上建立共用数据库（PostgreSQL）时，让本机连接到它。")
        self.server_button.clicked.connect(self.connect_server)
        self.server_button.setVisible(ctx.db.is_sqlite)
        buttons = QHBoxLayout()
        for b in (self.import_button, self.demo_button, self.empty_button, self.server_button):
            b.setMinimumHeight(40)
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("接下来："))
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def connect_server(self, dialog_class=None):
        """连接办公室服务器: the connection form as a dialog; accepted once the clerk saved a server."""
        from ui.settings.connection_tab import ConnectionDialog

        dialog = (dialog_class or ConnectionDialog)(self.ctx.runner, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not isinstance(dialog.target, str):
            return dialog
        self.choice = SERVER
        self.accept()
        return dialog

    def choose(self, choice: str) -> None:
        name = self.bureau_name.text().strip()
        if not name:
            self.message.setText("请填写单位名称（如 XX县公安局），它将印在通知书和公示表上。")
            self.bureau_name.setFocus()
            return
        try:
            with self.ctx.db.session() as s:
                settings.set(s, "bureau_name", name, actor=self.ctx.actor())
                if self.bureau_short.text().strip():
                    settings.set(s, "bureau_short", self.bureau_short.text(), actor=self.ctx.actor())
                settings.set(s, "first_run_done", True, actor=self.ctx.actor())
        except (settings.SettingError, PermissionDenied) as e:
            self.message.setText(str(e))
            return
        self.choice = choice
        self.ctx.notify(Topic.SETTINGS)
        self.accept()


def maybe_welcome(window, dialog_class=FirstRunDialog) -> str | None:
    """Show the welcome on a new database (administrators only) and act on the choice; returns it."""
    ctx: AppContext = window.ctx
    if not ctx.is_admin():
        return None
    with ctx.db.session() as s:
        if not settings.needs_first_run(s):
            return None
    dialog = dialog_class(ctx, window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
        return None
    if dialog.choice == SERVER:
        from ui.app import request_reopen

        request_reopen()  # the main window closes and the app opens the server, asking for log-in
        return SERVER
    from ui.app import window_title

    window.setWindowTitle(window_title(dialog.bureau_name.text().strip(), ctx.db))
    if dialog.choice == IMPORT:
        start_roster_import(window)
    elif dialog.choice == DEMO:
        load_demo_in_background(window)
    return dialog.choice


def start_roster_import(window) -> None:
    page = window.show_section("roster")
    button = getattr(getattr(page, "objects", None), "import_button", None)
    if button is not None:
        # After the welcome has closed, so the import dialog opens over the main window.
        QTimer.singleShot(0, button.click)


def load_demo_in_background(window):
    """Run usecases.demo.load_demo on the task runner with a progress dialog."""
    from usecases.demo import demo_summary, load_demo

    ctx: AppContext = window.ctx

    def done(result: dict) -> None:
        window.show_section("roster")
        QMessageBox.information(window, "演示数据", f"已载入演示数据：{demo_summary(result)}。")

    def failed(error: BaseException) -> None:
        QMessageBox.warning(window, "演示数据", f"未能载入演示数据：{error}")

    return ctx.runner.run(window, lambda progress, cancelled: load_demo(ctx.db, progress, cancelled),
                          label="正在载入演示数据……", on_success=done, on_failure=failed, announce=ALL_DATA)
