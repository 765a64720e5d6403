"""The 模板 tab: where the Word templates live, checking an edited one, and putting the defaults back."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLineEdit, QListWidget, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from models import settings
from ui.context import AppContext
from ui.settings.common import ADMIN_ONLY_NOTE, is_admin, note_label, open_folder, read_settings, save_setting


def template_problems(path: Path) -> list[str]:
    """Problems the notice engineer's checker finds in an edited template (empty = usable)."""
    from reports.notice_docs import NOTICE_TEMPLATE, REVIEW_TEMPLATE, check_notice_template, check_review_template

    if path.name == NOTICE_TEMPLATE:
        return check_notice_template(path)
    if path.name == REVIEW_TEMPLATE:
        return check_review_template(path)
    return []


class TemplatesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.folder = QLineEdit()
        self.folder.setObjectName("template_dir")
        self.folder.setReadOnly(True)
        self.folder.setPlaceholderText("（使用软件自带的模板）")
        self.choose_button = QPushButton("选择文件夹…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.bundled_button = QPushButton("改用自带模板")
        self.bundled_button.clicked.connect(lambda: self._set_folder(""))
        self.restore_button = QPushButton("恢复默认模板")
        self.restore_button.setToolTip("把软件自带的模板复制到模板文件夹；已修改的模板先改名保存为 .bak。")
        self.restore_button.clicked.connect(self.restore_defaults)
        self.open_button = QPushButton("打开模板文件夹")
        self.open_button.clicked.connect(lambda: open_folder(self.current_folder()))
        self.check_button = QPushButton("检查模板")
        self.check_button.clicked.connect(self.check)
        self.files = QListWidget()
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.bundled_button)
        actions = QHBoxLayout()
        for b in (self.restore_button, self.check_button, self.open_button):
            actions.addWidget(b)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note_label("通知书和复查意见书按 Word 模板生成。可以把模板复制到自己的文件夹中修改措辞和版式；"
                                    "模板中的 {{ 字段 }} 不能删除。修改后请点“检查模板”。"))
        layout.addLayout(row)
        layout.addLayout(actions)
        layout.addWidget(self.files, 1)
        if not is_admin(ctx):
            layout.addWidget(note_label(ADMIN_ONLY_NOTE))
        for b in (self.choose_button, self.bundled_button, self.restore_button):
            b.setEnabled(is_admin(ctx))
        self.load()

    def current_folder(self) -> Path:
        value = self.folder.text().strip()
        return Path(value) if value else settings.bundled_template_dir()

    def load(self) -> None:
        self.folder.setText(read_settings(self.ctx)["template_dir"])
        self.files.clear()
        for f in sorted(self.current_folder().glob("*.docx")):
            self.files.addItem(f.name)

    def _set_folder(self, value: str) -> bool:
        ok = save_setting(self.ctx, self, "template_dir", value)
        self.load()
        return ok

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择模板文件夹", str(self.current_folder()))
        if chosen:
            self._set_folder(chosen)

    def restore_defaults(self) -> None:
        folder = self.folder.text().strip()
        if not folder:
            folder = str(self.ctx.db.path.parent / "templates")
            if not self._set_folder(folder):
                return
        written = settings.restore_default_templates(folder)
        self.load()
        QMessageBox.information(self, "恢复默认模板",
                                f"已把 {len(written)} 个默认模板放入 {folder}。\n原来修改过的模板已改名保存为 .bak 文件。")

    def check(self) -> None:
        lines = []
        for f in sorted(self.current_folder().glob("*.docx")):
            problems = template_problems(f)
            lines.append(f"{f.name}：" + ("可以使用" if not problems else "；".join(problems)))
        QMessageBox.information(self, "检查模板", "\n".join(lines) or "模板文件夹中没有 Word 模板。")
