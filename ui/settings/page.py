"""The 设置 section page: 单位与文号, 模板, 备份与恢复, 用户, 实施层级, 当前连接, 数据库连接 and 关于, one tab each."""
from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ui.about import AboutWidget
from ui.context import AppContext
from ui.settings.backup_tab import BackupTab
from ui.settings.connection_tab import ConnectionTab
from ui.settings.general_tab import GeneralTab
from ui.settings.hierarchy_tab import HierarchyTab
from ui.settings.seats_tab import SeatsTab
from ui.settings.templates_tab import TemplatesTab
from ui.settings.users_tab import UsersTab


class SettingsPage(QTabWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setDocumentMode(True)
        self.general = GeneralTab(ctx, self)
        self.templates = TemplatesTab(ctx, self)
        self.backups = BackupTab(ctx, self)
        self.users = UsersTab(ctx, self)
        self.hierarchy = HierarchyTab(ctx, self)
        self.seats = SeatsTab(ctx, self)
        self.connection = ConnectionTab(ctx, self)
        self.about = AboutWidget(ctx.db.location, self)
        self.addTab(self.general, "单位与文号")
        self.addTab(self.templates, "模板")
        self.addTab(self.backups, "备份与恢复")
        self.addTab(self.users, "用户")
        self.addTab(self.hierarchy, "实施层级")
        self.addTab(self.seats, "当前连接")
        self.addTab(self.connection, "数据库连接")
        self.addTab(self.about, "关于")

    def show_backups(self) -> None:
        self.setCurrentWidget(self.backups)
