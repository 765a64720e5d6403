"""Roster transfers: the import dialog (check, preview, then commit) and the export and template actions."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget,
)

from models.roster import DEFAULT_OBJECT_TYPES
from models.roster_service import object_type_names
from reports import roster_export
from usecases import roster_import
from ui.context import AppContext, Topic
from ui.table_model import Column
from ui.widgets import RowTableView, ask_open_xlsx, ask_save_xlsx, error_message, show_error, show_info

KIND_TEXT = {"objects": "检查对象", "inspectors": "检查人员"}
# Rows are the preview's ImportProblem entries.
PROBLEM_COLUMNS = [Column("工作表", "sheet"), Column("行", "row", align_right=True), Column("列", "column"),
                   Column("问题", "message", tooltip=lambda p: p.message)]


class ImportDialog(QDialog):
    """Checks a workbook off the UI thread, shows what an import would do, and commits on 确认导入."""

    def __init__(self, ctx: AppContext, kind: str, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.path = Path(path)
        self.preview: roster_import.ImportPreview | None = None
        self.result_preview: roster_import.ImportPreview | None = None
        self.task = None
        self.setWindowTitle(f"导入{KIND_TEXT[kind]} — {self.path.name}")
        self.resize(760, 300)

        self.status = QLabel(f"正在检查文件 {self.path.name} ……")
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.problems = RowTableView(PROBLEM_COLUMNS, widths=(110, 60, 150, 480))
        self.problems.setObjectName("problems_table")
        self.problems.hide()
        self.save_problems_button = QPushButton("保存问题清单…")
        self.import_button = QPushButton("确认导入")
        self.cancel_button = QPushButton("取消")
        self.close_button = QPushButton("关闭")
        for b in (self.save_problems_button, self.import_button, self.close_button):
            b.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_problems_button)
        buttons.addStretch(1)
        for b in (self.import_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self.reject)
        self.import_button.clicked.connect(self.apply)
        self.save_problems_button.clicked.connect(self.save_problems)

    @property
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def start(self) -> None:
        """Begin checking the file in the background."""
        check = (roster_import.preview_objects_import if self.kind == "objects"
                 else roster_import.preview_inspectors_import)
        db, path = self.ctx.db, str(self.path)
        self._run(lambda progress, cancelled: check(db, path, progress=progress, cancelled=cancelled),
                  self._show_preview)

    def _run(self, fn, on_success, announce=()) -> None:
        self.progress.show()
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        # The clerk may close the dialog while the job runs: the runner then drops these callbacks.
        self.task = self.ctx.runner.run(self, fn, label=self.status.text(), on_success=on_success,
                                        on_failure=self._failed, show_dialog=False, announce=announce)
        self.task.signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    def _on_progress(self, done: int, total: int) -> None:
        if self.task is not None and self.task.cancel_event.is_set():
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def _show_preview(self, preview: roster_import.ImportPreview) -> None:
        self.preview = preview
        self.progress.hide()
        self.cancel_button.setText("取消")
        if preview.ok:
            self.status.setText(f"文件检查通过。导入后将：{preview.summary()}。\n确认后在一个事务中写入，"
                                "中途出错或取消则不写入任何数据。")
            self.import_button.show()
            self.import_button.setDefault(True)
        else:
            self.status.setText(f"文件中有 {len(preview.problems)} 处问题，未导入任何数据。"
                                "请按下表修改文件（可保存问题清单）后重新导入。")
            self.status.setStyleSheet("color: #b00000;")
            self.problems.set_rows(list(preview.problems), keep_id=False)
            self.problems.show()
            self.save_problems_button.show()
            self.resize(max(self.width(), 900), max(self.height(), 520))
            self.cancel_button.hide()
            self.close_button.show()

    def apply(self) -> None:
        if self.preview is None or not self.preview.ok or self.busy:
            return
        self.import_button.setEnabled(False)
        self.status.setText(f"正在导入 {self.path.name} ……")
        db, preview, actor = self.ctx.db, self.preview, self.ctx.actor()
        self._run(lambda progress, cancelled: roster_import.apply_import(
            db, preview, actor, progress=progress, cancelled=cancelled), self._applied, announce=(Topic.ROSTER,))

    def _applied(self, result: roster_import.ImportPreview) -> None:
        self.result_preview = result
        self.accept()
        show_info(self.parentWidget(), "导入完成", f"已导入 {self.path.name}：{result.summary()}。")

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        if isinstance(exc, roster_import.ImportCancelled):
            self.status.setText("已取消，未写入任何数据。")
            self.reject()
            return
        self.status.setText(f"导入失败，未写入任何数据：{error_message(exc)}")
        self.status.setStyleSheet("color: #b00000;")
        self.import_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        show_error(self, "导入失败", f"{self.path.name}：{error_message(exc)}\n未写入任何数据。")

    def _cancel(self) -> None:
        if self.busy:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("正在取消……")
        else:
            self.reject()

    def reject(self) -> None:
        # Closing the window while a check or an import runs asks it to stop; the runner
        # still reports back, and apply_import writes nothing when cancelled.
        if self.busy:
            self.task.cancel()
        super().reject()

    def save_problems(self) -> None:
        if self.preview is None:
            return
        target = ask_save_xlsx(self, "保存问题清单", f"{self.path.stem}_问题清单.xlsx")
        if target is None:
            return
        try:
            roster_import.save_problems_xlsx(self.preview.problems, target)
        except OSError as e:
            show_error(self, "无法保存问题清单", error_message(e))
            return
        show_info(self, "已保存", f"问题清单已保存到：\n{target}")


def start_import(ctx: AppContext, parent: QWidget, kind: str) -> ImportDialog | None:
    """Ask for a workbook and open the import dialog on it (non-blocking); the dialog is returned."""
    path = ask_open_xlsx(parent, f"导入{KIND_TEXT[kind]} — 选择 Excel 文件")
    if path is None:
        return None
    dlg = ImportDialog(ctx, kind, path, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    parent.import_dialog = dlg   # kept so tests and the caller can reach it
    dlg.open()
    dlg.start()
    return dlg


def start_export(ctx: AppContext, parent: QWidget, kind: str, flt=None):
    """Ask where to save, then export the roster (objects: as currently filtered) in the background."""
    name = "检查对象名录.xlsx" if kind == "objects" else "执法检查人员名录.xlsx"
    target = ask_save_xlsx(parent, f"导出{KIND_TEXT[kind]}", name)
    if target is None:
        return None
    db = ctx.db
    if kind == "objects":
        def job(progress, cancelled):
            return roster_export.export_objects(db, target, flt=flt, progress=progress, cancelled=cancelled)
    else:
        def job(progress, cancelled):
            return roster_export.export_inspectors(db, target, progress=progress, cancelled=cancelled)
    unit = "个检查对象" if kind == "objects" else "名检查人员"
    return ctx.runner.run(
        parent, job, label=f"正在导出到 {target.name} ……",
        on_success=lambda n: show_info(parent, "导出完成", f"已导出 {n:,} {unit}到：\n{target}"),
        on_failure=lambda e: _transfer_failed(parent, "导出失败", e))


def start_template(ctx: AppContext, parent: QWidget, kind: str):
    """Ask where to save, then write the blank import template in the background."""
    name = "检查对象导入模板.xlsx" if kind == "objects" else "检查人员导入模板.xlsx"
    target = ask_save_xlsx(parent, "下载导入模板", name)
    if target is None:
        return None
    db = ctx.db

    def job(progress, cancelled):
        if kind == "inspectors":
            return roster_export.write_inspectors_template(target)
        # The type dropdown offers the bureau's own types as well as the usual ones.
        with db.session() as s:
            types = object_type_names(s)
        return roster_export.write_objects_template(target, list(dict.fromkeys([*DEFAULT_OBJECT_TYPES, *types])))

    return ctx.runner.run(
        parent, job, label="正在生成导入模板……", cancellable=False,
        on_success=lambda _r: show_info(parent, "模板已保存", f"导入模板已保存到：\n{target}"),
        on_failure=lambda e: _transfer_failed(parent, "无法保存模板", e))


def _transfer_failed(parent: QWidget, title: str, exc: BaseException) -> None:
    if isinstance(exc, roster_import.ImportCancelled):
        show_info(parent, title.replace("失败", "已取消"), "已取消。")
        return
    show_error(parent, title, error_message(exc))
