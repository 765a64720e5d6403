"""The 备份与恢复 tab: back up now, the list of backups, restoring one, and where the database and backups live.

A SQLite file is copied with SQLite's online backup (models.backup); the office's PostgreSQL server with
pg_dump / pg_restore (models.pg_backup, models.pg_restore), listed and restored from the same table.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from models import backup, pg_backup, settings
from models.db import DatabaseError, open_database
from models.pg_restore import restore_server
from ui.context import ALL_DATA, AppContext, Topic
from ui.settings.common import is_admin, note_label, open_folder, save_setting

# Topics the other screens listen to; after a restore every one of them must reload.
REFRESH_TOPICS = (*ALL_DATA, Topic.CALENDAR, Topic.USERS, Topic.DATABASE)

SHARED_FOLDER_NOTE = ("数据库默认保存在本机的用户数据文件夹中，请放在本机磁盘上：本软件使用 SQLite 的预写日志（WAL），"
                      "它不能在网络共享文件夹上安全工作，多台电脑同时打开可能损坏数据。"
                      "想在共享文件夹中留一份数据，请把“备份文件夹”设到共享文件夹：备份是完整的单个文件，放在网络上是安全的。")
SERVER_NOTE = ("数据库在办公室服务器（PostgreSQL）上，各工作站同时使用。"
               "备份用 PostgreSQL 客户端工具 pg_dump 做成一个 .dump 文件，放在本机的备份文件夹中（可设为共享文件夹），"
               "本机需装有 PostgreSQL 客户端工具。"
               "恢复会替换所有工作站的数据：只有在其他工作站都退出本软件后才能进行（见“当前连接”）。")
SERVER_AUTOMATIC_NOTE = ("服务器上的数据库不会在本机自动备份：请定期点“立即备份”，或由服务器管理员用 "
                         "python main.py backup 安排定时备份（见安装说明）。“恢复前”备份不会自动删除。")


def is_network_path(path: Path) -> bool:
    """A UNC path (\\\\server\\share) or, on Windows, a drive letter mapped to a network share."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32" and len(text) > 1 and text[1] == ":":
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(f"{text[0]}:\\") == 4  # DRIVE_REMOTE
    return False


def restore_in_app(ctx: AppContext, backup_file: Path) -> Path | None:
    """Replace the open database with *backup_file* and reopen it; returns the 恢复前 copy.

    The app keeps its lock on the database and moves it onto the restored file (the lock is keyed
    on the file itself); its engine is disposed first so no connection is open on the file while
    it is replaced.
    """
    path = ctx.db.path
    role, user = ctx.db.role, ctx.db.user
    folder = backup.backup_folder(path)
    ctx.runner.wait()
    backup.check_backup(backup_file)
    ctx.db.dispose()
    try:
        before = backup.restore(path, backup_file, folder=folder, actor=user)  # named in its audit entry
    finally:
        if ctx.lock is not None:
            ctx.lock.follow_replaced_file()
        ctx.db = open_database(path, backup_dir=folder)
        ctx.db.role, ctx.db.user = role, user
    ctx.notify(REFRESH_TOPICS)
    return before


def restore_server_in_app(ctx: AppContext, backup_file: Path) -> Path:
    """Replace the office's server database with the dump *backup_file* and reconnect; returns the 恢复前 dump.

    The dump is checked before this program lets go of its connections (they would count as another
    seat); the restore is refused while any other workstation is connected.
    """
    url, role, user = ctx.db.url, ctx.db.role, ctx.db.user
    folder = pg_backup.server_backup_folder(ctx.db)
    ctx.runner.wait()
    contents = pg_backup.check_dump(backup_file)
    ctx.db.dispose()
    try:
        done = restore_server(url, backup_file, actor=user, folder=folder, contents=contents)
    finally:
        ctx.db = open_database(url)
        ctx.db.role, ctx.db.user = role, user
    ctx.notify(REFRESH_TOPICS)
    return done.before


class BackupTab(QWidget):
    COLUMNS = ("时间", "原因", "大小", "文件")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db_label = QLabel()
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_label.setWordWrap(True)
        self.move_button = QPushButton("更改数据库位置…")
        self.move_button.clicked.connect(self.choose_database)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_button = QPushButton("更改备份文件夹…")
        self.folder_button.clicked.connect(self.choose_backup_folder)
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复所选…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.open_button = QPushButton("打开备份文件夹")
        self.open_button.clicked.connect(lambda: open_folder(self.folder()))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        where = QHBoxLayout()
        where.addWidget(self.db_label, 1)
        where.addWidget(self.move_button)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        actions = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.open_button):
            actions.addWidget(b)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(where)
        on_server = not ctx.db.is_sqlite
        layout.addWidget(note_label(SERVER_NOTE if on_server else SHARED_FOLDER_NOTE))
        layout.addLayout(folder_row)
        layout.addWidget(note_label(SERVER_AUTOMATIC_NOTE if on_server else
                                    f"每天第一次启动时自动备份一次，升级软件前也自动备份；自动备份保留最近 "
                                    f"{backup.KEEP_AUTOMATIC} 份，手动备份和“恢复前”备份不会自动删除。"))
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self.move_button.setEnabled(is_admin(ctx))
        self.move_button.setVisible(not on_server)   # a server is chosen in 数据库连接
        self.folder_button.setEnabled(is_admin(ctx))
        # A server's dump holds every account of the office: as on the command line, administrators only.
        self.backup_button.setEnabled(is_admin(ctx) or not on_server)
        ctx.subscribe(self._on_notify)
        self.refresh()

    def _on_notify(self, topic: str) -> None:
        if topic in (Topic.SETTINGS, Topic.DATABASE):
            self.refresh()

    def folder(self) -> Path:
        """Where the backups of the open database go (a server's: this workstation's backup folder)."""
        if self.ctx.db.is_sqlite:
            return backup.backup_folder(self.ctx.db.path)
        return pg_backup.server_backup_folder(self.ctx.db)

    def refresh(self) -> None:
        path = self.ctx.db.path
        if path is None:
            self.db_label.setText(f"当前数据库：办公室服务器 {self.ctx.db.location}")
            folder = self.folder()
            self.backups = pg_backup.list_server_backups(folder, pg_backup.database_name(self.ctx.db.url))
        else:
            chosen = Path(settings.read_config().get("db_path") or path)
            text = f"当前数据库：{path}"
            if chosen.resolve() != path.resolve():
                text += f"\n下次启动默认打开：{chosen}"
            self.db_label.setText(text)
            folder = backup.backup_folder(path)
            self.backups = backup.list_backups(folder, path.stem)
        self.folder_label.setText(f"备份文件夹：{folder}")
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            for col, value in enumerate((f"{b.time:%Y-%m-%d %H:%M:%S}", b.reason, b.size_text(), b.path.name)):
                item = QTableWidgetItem(value)
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(is_admin(self.ctx) and self.selected() is not None)

    def backup_now(self) -> None:
        try:
            if self.ctx.db.is_sqlite:
                made = backup.backup_now(self.ctx.db.path)
            else:
                made = pg_backup.backup_server(self.ctx.db.url, folder=self.folder())
        except DatabaseError as e:
            QMessageBox.warning(self, "备份失败", str(e))
            return
        self.refresh()
        QMessageBox.information(self, "备份完成", f"已备份到：\n{made}")

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not is_admin(self.ctx):
            return
        answer = QMessageBox.question(
            self, "恢复备份",
            f"将用 {chosen.time:%Y-%m-%d %H:%M:%S} 的备份（{chosen.reason}）替换当前数据库。\n\n"
            "1. 先把当前数据库备份为“恢复前”，万一选错还能恢复回来；\n"
            "2. 此备份之后录入的数据将不再出现；\n"
            "3. 恢复完成后软件自动重新打开数据库。\n\n确定恢复吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            if self.ctx.db.is_sqlite:
                before = restore_in_app(self.ctx, chosen.path)
            else:
                before = restore_server_in_app(self.ctx, chosen.path)
        except (DatabaseError, OSError) as e:
            QMessageBox.critical(self, "恢复失败", f"{e}\n\n当前数据库未被替换。")
            self.refresh()
            return
        self.refresh()
        QMessageBox.information(self, "恢复完成", f"已从备份恢复。\n恢复前的数据库已备份为：\n{before}")

    def choose_backup_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择备份文件夹", str(self.folder()))
        if chosen and save_setting(self.ctx, self, "backup_dir", chosen):
            self.refresh()

    def choose_database(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "选择数据库文件（下次启动时打开）", str(self.ctx.db.path.parent / "shuangsuiji.sqlite3"),
            "双随机 desk 数据库 (*.sqlite3)", options=QFileDialog.Option.DontConfirmOverwrite)
        if not chosen:
            return
        target = Path(chosen)
        if is_network_path(target):
            QMessageBox.warning(self, "数据库位置", "数据库不能放在网络共享文件夹中（可能损坏数据）。"
                                "请选择本机磁盘上的位置；共享文件夹可用作备份文件夹。")
            return
        copied = ""
        if not target.exists():
            answer = QMessageBox.question(self, "数据库位置", f"{target} 还不存在。\n是否把当前数据库复制过去（推荐）？"
                                          "\n选“否”则下次启动时在该位置新建一个空数据库。")
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    backup.backup_now(self.ctx.db.path, target)
                except DatabaseError as e:
                    QMessageBox.warning(self, "复制失败", str(e))
                    return
                copied = "已把当前数据库复制过去。\n"
        settings.set_configured_db_path(target)
        self.refresh()
        QMessageBox.information(self, "数据库位置", f"{copied}下次启动时将打开：\n{target}")
