"""The 模板 tab: where the Word templates live, checking an edited one, and putting the defaults back."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QInputDialog, QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
    QVBoxLayout, QWidget,
)

from models import audit, settings
from models.paths import templates_dir
from ui.context import AppContext
from ui.settings.common import ADMIN_ONLY_NOTE, is_admin, note_label, open_folder, read_settings, save_setting


def template_problems(path: Path) -> list[str]:
    """Problems the notice engineer's checker finds in an edited template (empty = usable)."""
    from reports.notice_docs import TEMPLATE_CHECKS

    check = TEMPLATE_CHECKS.get(path.name)  # 整改通知书, 复查意见书, 抄告函 …
    return check(path) if check else []


def template_problems_for(name: str, path: Path) -> list[str]:
    """Problems of ``path`` used as the template ``name`` (whatever the file is called)."""
    from reports.notice_docs import TEMPLATE_CHECKS

    return TEMPLATE_CHECKS[name](path)


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
        self.replace_button = QPushButton("替换模板…")
        self.replace_button.setToolTip("选择在 Word 中改好的模板：先检查字段并试填充，通过后才替换，"
                                       "原模板另存为 .bak。")
        self.replace_button.clicked.connect(self.replace_template)
        self.files = QListWidget()
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.bundled_button)
        actions = QHBoxLayout()
        for b in (self.replace_button, self.restore_button, self.check_button, self.open_button):
            actions.addWidget(b)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note_label("通知书、复查意见书、抄告函和现场检查记录按 Word 模板生成。"
                                    "可以把模板复制到自己的文件夹中修改措辞和版式；模板中的 {{ 字段 }} 不能删除。"
                                    "改好后用“替换模板”换入：有问题的模板不会被采用，仍使用原来的模板。"))
        layout.addLayout(row)
        layout.addLayout(actions)
        layout.addWidget(self.files, 1)
        if not is_admin(ctx):
            layout.addWidget(note_label(ADMIN_ONLY_NOTE))
        for b in (self.choose_button, self.bundled_button, self.restore_button, self.replace_button):
            b.setEnabled(is_admin(ctx))
        self.load()

    def current_folder(self) -> Path:
        value = self.folder.text().strip()
        return Path(value) if value else templates_dir()

    def load(self) -> None:
        self.folder.setText(read_settings(self.ctx)["template_dir"])
        selected = self.files.currentItem().data(Qt.ItemDataRole.UserRole) if self.files.currentItem() else None
        self.files.clear()
        from reports.notice_docs import TEMPLATE_CHECKS, find_template

        custom = self.folder.text().strip()
        for name in TEMPLATE_CHECKS:
            used = find_template(name, custom or None)
            where = "软件自带的模板" if used.parent == templates_dir() else "模板文件夹中的自定义模板"
            item = QListWidgetItem(f"{name}　（正在使用：{where}）")
            item.setToolTip(str(used))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.files.addItem(item)
            if name == selected:
                self.files.setCurrentItem(item)  # a reload (after a replacement) keeps the clerk's choice

    def _set_folder(self, value: str) -> bool:
        ok = save_setting(self.ctx, self, "template_dir", value)
        self.load()
        return ok

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择模板文件夹", str(self.current_folder()))
        if chosen:
            self._set_folder(chosen)

    def _own_folder(self) -> str | None:
        """The clerk's template folder, created beside the database when there is none yet."""
        folder = self.folder.text().strip()
        if not folder:
            folder = str(self.ctx.db.path.parent / "templates")
            if not self._set_folder(folder):
                return None
        return folder

    def replace_template(self) -> None:
        from reports.docx_render import TemplateRenderError
        from reports.notice_docs import TEMPLATE_CHECKS, install_template

        item = self.files.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if name not in TEMPLATE_CHECKS:
            name, ok = QInputDialog.getItem(self, "替换模板", "要替换哪一个模板？", list(TEMPLATE_CHECKS), 0, False)
            if not ok:
                return
        source, _ = QFileDialog.getOpenFileName(self, f"选择新的“{name}”", "", "Word 文档 (*.docx)")
        if not source:
            return
        # Check before touching the folder setting, so a rejected file changes nothing at all.
        problems = template_problems_for(name, Path(source))
        if problems:
            QMessageBox.warning(self, "模板未替换", f"“{Path(source).name}”不能用作{name}，未替换，仍使用原来的模板：\n"
                                + "\n".join(f"· {p}" for p in problems))
            return
        folder = self._own_folder()
        if folder is None:
            return
        try:
            target, backup = install_template(source, folder, name)
        except (TemplateRenderError, OSError) as exc:
            QMessageBox.warning(self, "模板未替换", f"未替换，仍使用原来的模板：\n{exc}")
            return
        with self.ctx.db.session() as s:
            audit.append(s, user=self.ctx.actor(), action="替换模板", entity="设置", entity_id=name,
                         detail={"模板": str(target), "来源": str(source),
                                 "原模板备份": str(backup) if backup else None})
        self.load()
        kept = f"\n原模板已另存为 {backup.name}。" if backup else ""
        QMessageBox.information(self, "模板已替换", f"新模板检查通过，已替换：{target}{kept}")

    def restore_defaults(self) -> None:
        folder = self._own_folder()
        if folder is None:
            return
        written = settings.restore_default_templates(folder)
        self.load()
        QMessageBox.information(self, "恢复默认模板",
                                f"已把 {len(written)} 个默认模板放入 {folder}。\n"
                                "原来修改过的模板已改名保存为 .bak 文件。")

    def check(self) -> None:
        from reports.notice_docs import TEMPLATE_CHECKS, find_template

        lines = []
        for name in TEMPLATE_CHECKS:
            problems = template_problems(find_template(name, self.folder.text().strip() or None))
            lines.append(f"{name}：" + ("可以使用" if not problems else "；".join(problems)))
        QMessageBox.information(self, "检查模板", "\n".join(lines))
