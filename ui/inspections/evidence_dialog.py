"""证据材料 of one inspection: add files (copied into the database with their SHA-256), register a 执法记录仪
number, see photos as thumbnails, open or save a checked copy, withdraw a mistaken one with a reason.

Thumbnails are decoded on the task runner's worker thread (QImageReader scales while decoding, so a 20 MB
photo never becomes a full-size pixmap) and reach the list as QImage; the list shows at once with plain icons.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListView,
    QListWidget, QListWidgetItem, QPushButton, QStyle, QVBoxLayout, QWidget,
)

from models.evidence import MAX_FILE_BYTES, AttachmentRow, export_name, list_attachments, size_text
from models.inspection import Inspection
from models.supervision import ATTACHMENT_KINDS
from ui.context import Topic
from ui.widgets import error_message, show_error, show_info
from usecases import evidence_files

THUMB = QSize(96, 72)
BY_TYPE = "按文件类型"
FILE_FILTER = ("所有文件 (*);;图片 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.webp);;PDF 扫描件 (*.pdf);;"
               "视频 (*.mp4 *.avi *.mov *.mkv *.3gp *.wmv)")


def open_with_system(path: Path, parent: QWidget | None = None) -> bool:
    """Open *path* in the program the system uses for its type; tells the clerk in Chinese when there is none."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve()))):
        return True
    show_error(parent, "无法打开", f"系统中没有能打开此类文件的程序。已核对的副本保存在：{path}")
    return False


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """One line of text from the clerk, or None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


def scaled_thumbnail(data: bytes, size: QSize = THUMB) -> QImage:
    """A thumbnail decoded straight at (about) *size*: cheap for a large photo, safe off the UI thread."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    full = reader.size()
    if full.isValid() and (full.width() > size.width() or full.height() > size.height()):
        reader.setScaledSize(full.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if not image.isNull() and (image.width() > size.width() or image.height() > size.height()):
        image = image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image


def boxed(pixmap: QPixmap) -> QIcon:
    """*pixmap* centred on a transparent THUMB-sized canvas, so every row's text starts at the same place."""
    canvas = QPixmap(THUMB)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.drawPixmap((THUMB.width() - pixmap.width()) // 2, (THUMB.height() - pixmap.height()) // 2, pixmap)
    painter.end()
    return QIcon(canvas)


def describe(row: AttachmentRow) -> str:
    """The list's two lines for one attachment."""
    first = f"#{row.id}　[{row.kind}]　{row.title}"
    if row.withdrawn:
        first += f"　（已撤回：{row.withdrawn_reason}）"
    facts = [size_text(row.size)] if row.has_file else ["只登记编号，无文件"]
    if row.has_file and row.reference:
        facts.append(f"编号 {row.reference}")
    if row.note:
        facts.append(row.note)
    facts.append(f"{row.created_by} {row.created_at:%Y-%m-%d %H:%M}")
    if row.has_file:
        facts.append(f"SHA-256 {row.sha256[:16]}…")
    return first + "\n" + "　·　".join(facts)


class EvidenceDialog(QDialog):
    """The 证据材料 of one inspection."""

    def __init__(self, ctx, inspection_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.inspection_id = inspection_id
        self.rows: list[AttachmentRow] = []
        self.thumbnails: dict[int, QPixmap] = {}
        with ctx.db.session() as s:
            insp = s.get(Inspection, inspection_id)
            name = insp.inspected_object.name if insp is not None else ""
            when = f"{insp.date_to:%Y-%m-%d}" if insp is not None else ""
            source = insp.source if insp is not None else ""
        self.setWindowTitle(f"证据材料 — {name}")
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{name}</b>　检查记录 #{inspection_id}（{when}，{source}）")
        head.setWordWrap(True)
        layout.addWidget(head)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("类别"))
        self.kind = QComboBox()
        self.kind.addItems([BY_TYPE, *ATTACHMENT_KINDS])
        bar.addWidget(self.kind)
        bar.addWidget(QLabel("说明"))
        self.note = QLineEdit()
        self.note.setPlaceholderText("可不填，例如：检查时现场拍摄")
        bar.addWidget(self.note, 1)
        self.add_button = QPushButton("添加文件…")
        self.add_button.clicked.connect(self.add_files)
        self.footage_button = QPushButton("登记执法记录仪编号…")
        self.footage_button.clicked.connect(self.add_footage)
        bar.addWidget(self.add_button)
        bar.addWidget(self.footage_button)
        layout.addLayout(bar)

        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.ListMode)
        self.list.setIconSize(THUMB)
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        layout.addWidget(self.list, 1)

        actions = QHBoxLayout()
        self.open_button = QPushButton("打开")
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton("另存为…")
        self.save_button.clicked.connect(self.save_selected)
        self.withdraw_button = QPushButton("撤回…")
        self.withdraw_button.setToolTip("误添加的材料可撤回（须写明原因）；文件和登记保留，不会删除")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        for b in (self.open_button, self.save_button, self.withdraw_button):
            actions.addWidget(b)
        self.count = QLabel()
        actions.addWidget(self.count, 1)
        layout.addLayout(actions)
        hint = QLabel(f"文件复制保存在数据库中（每个不超过 {size_text(MAX_FILE_BYTES)}），并记录其 SHA-256："
                      "打开或另存时先核对，verify-audit 能发现被替换的文件。执法记录仪的长视频请只登记编号。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555555;")
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 600)
        self.refresh()

    # ------------------------------------------------------------ the list

    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self.selected_id()
        with self.ctx.db.session() as s:
            self.rows = list_attachments(s, self.inspection_id)
        self.list.clear()
        style = self.style()
        plain = {kind: boxed(style.standardIcon(kind).pixmap(QSize(40, 40)))
                 for kind in (QStyle.StandardPixmap.SP_MediaPlay, QStyle.StandardPixmap.SP_FileIcon)}
        for row in self.rows:
            item = QListWidgetItem(describe(row))
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            if row.id in self.thumbnails:
                item.setIcon(boxed(self.thumbnails[row.id]))
            else:
                item.setIcon(plain[QStyle.StandardPixmap.SP_FileIcon if row.has_file
                                   else QStyle.StandardPixmap.SP_MediaPlay])
            if row.withdrawn:
                item.setForeground(QBrush(QColor("#8a8a8a")))
            self.list.addItem(item)
            if row.id == keep:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        files = sum(1 for r in self.rows if r.has_file and not r.withdrawn)
        withdrawn = sum(1 for r in self.rows if r.withdrawn)
        gone = f"，已撤回 {withdrawn} 份" if withdrawn else ""
        self.count.setText(f"共 {len(self.rows)} 份（文件 {files} 个{gone}）")
        self._update_buttons()
        self._load_thumbnails()

    def _load_thumbnails(self) -> None:
        wanted = [r.id for r in self.rows if r.is_image and r.id not in self.thumbnails]
        if not wanted:
            return
        db = self.ctx.db

        def job(progress, cancelled):
            data = evidence_files.thumbnail_bytes(db, wanted, cancelled)
            return {aid: scaled_thumbnail(b) for aid, b in data.items() if b is not None}

        self.ctx.runner.run(self, job, label="正在读取缩略图…", show_dialog=False,
                            key=("evidence-thumbnails", self.inspection_id), on_success=self._show_thumbnails)

    def _show_thumbnails(self, images: dict) -> None:
        for aid, image in images.items():
            if not image.isNull():
                self.thumbnails[aid] = QPixmap.fromImage(image)
        for n in range(self.list.count()):
            item = self.list.item(n)
            aid = item.data(Qt.ItemDataRole.UserRole)
            if aid in self.thumbnails:
                item.setIcon(boxed(self.thumbnails[aid]))

    def selected_id(self) -> int | None:
        items = self.list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def selected_row(self) -> AttachmentRow | None:
        aid = self.selected_id()
        return next((r for r in self.rows if r.id == aid), None)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        writable = self.ctx.can_write()
        self.add_button.setEnabled(writable)
        self.footage_button.setEnabled(writable)
        self.open_button.setEnabled(row is not None and row.has_file)
        self.save_button.setEnabled(row is not None and row.has_file)
        self.withdraw_button.setEnabled(writable and row is not None and not row.withdrawn)

    # ------------------------------------------------------------ adding

    def chosen_kind(self) -> str | None:
        kind = self.kind.currentText()
        return None if kind == BY_TYPE else kind

    def add_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, "选择要添加的证据材料（可多选）", "", FILE_FILTER)
        if paths:
            self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        """Attach *paths* on the task runner (all or none), then show them."""
        db, actor, kind, note, iid = (self.ctx.db, self.ctx.actor(), self.chosen_kind(), self.note.text(),
                                      self.inspection_id)

        def job(progress, cancelled):
            return evidence_files.add_files(db, iid, paths, kind=kind, note=note, actor=actor, progress=progress,
                                            cancelled=cancelled)

        def done(ids) -> None:
            self.note.clear()
            self.refresh(select=ids[-1] if ids else None)

        self.ctx.runner.run(self, job, label=f"正在添加 {len(paths)} 个文件…", announce=(Topic.INSPECTIONS,),
                            on_success=done, on_failure=lambda e: show_error(self, "未添加", error_message(e)))

    def add_footage(self) -> None:
        number = ask_text(self, "登记执法记录仪编号", "执法记录仪编号（或视频片段编号、时间段）：")
        if number is None:
            return
        try:
            aid = evidence_files.add_footage(self.ctx.db, self.inspection_id, number, note=self.note.text(),
                                             actor=self.ctx.actor())
        except Exception as e:  # noqa: BLE001 - shown to the clerk in Chinese
            show_error(self, "未登记", error_message(e))
            return
        self.note.clear()
        self.ctx.notify(Topic.INSPECTIONS)
        self.refresh(select=aid)

    # ------------------------------------------------------------ using

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.has_file:
            return
        try:
            path = evidence_files.temp_copy(self.ctx.db, row.id)
        except Exception as e:  # noqa: BLE001 - shown to the clerk in Chinese
            show_error(self, "无法打开", error_message(e))
            return
        open_with_system(path, self)

    def save_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.has_file:
            return
        suggested = str(Path.home() / export_name(row))
        path, _filter = QFileDialog.getSaveFileName(self, "证据材料另存为", suggested, "所有文件 (*)")
        if not path:
            return
        try:
            written = evidence_files.save_copy(self.ctx.db, row.id, path)
        except Exception as e:  # noqa: BLE001 - shown to the clerk in Chinese
            show_error(self, "未保存", error_message(e))
            return
        show_info(self, "已保存", f"已核对 SHA-256 并保存到：{written}")

    def withdraw_selected(self) -> None:
        row = self.selected_row()
        if row is None or row.withdrawn:
            return
        reason = ask_text(self, "撤回证据材料", f"撤回“{row.title}”的原因（文件和登记保留，不会删除）：")
        if reason is None:
            return
        try:
            evidence_files.withdraw(self.ctx.db, row.id, reason, actor=self.ctx.actor())
        except Exception as e:  # noqa: BLE001 - shown to the clerk in Chinese
            show_error(self, "未撤回", error_message(e))
            return
        self.ctx.notify(Topic.INSPECTIONS)
        self.refresh(select=row.id)
