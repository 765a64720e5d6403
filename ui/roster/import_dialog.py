"""Roster transfers: the import dialog (check, preview, then commit) and the export and template actions."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSplitter, QVBoxLayout, QWidget,
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
# Rows are the preview's MappedColumn entries: which file column fills which field.
MAPPING_COLUMNS = [Column("列", "letter"), Column("文件中的列名", "header"), Column("导入为", "title")]
PROBLEM_RED = "#b00000"
# The size the preview asks for; never more than the screen (1366×728 on an office PC above the taskbar).
PREFERRED = (1180, 680)


def sample_columns(titles: list[str]) -> list[Column]:
    """The preview's first rows: sheet row, what happens to the row, then each stored field by the app's title."""
    def red(row) -> str | None:
        return PROBLEM_RED if row.outcome == roster_import.OUTCOME_PROBLEM else None

    columns = [Column("行", "row", align_right=True, color=red), Column("导入后", "outcome", color=red)]
    for i, title in enumerate(titles):
        columns.append(Column(title, "values", fmt=lambda v, i=i: v[i], sort_key=lambda v, i=i: v[i], color=red))
    return columns


def counts_text(preview: roster_import.ImportPreview) -> str:
    text = (f"新增 {preview.new:,} 条　　更新 {preview.updated:,} 条（{roster_import.KEY_TEXT[preview.kind]}）　　"
            f"无变化 {preview.unchanged:,} 条　　问题 {preview.problem_count:,} 处")
    if preview.has_recusal_sheet or preview.recusals_new:
        text += f"　　回避关系新增 {preview.recusals_new:,} 条"
    return text


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
        self.counts = QLabel()
        self.counts.setObjectName("import_counts")
        self.counts.setWordWrap(True)
        self.counts.setStyleSheet("font-weight: bold;")
        self.counts.hide()
        self.mapping = RowTableView(MAPPING_COLUMNS, widths=(32, 120))
        self.mapping.setObjectName("mapping_table")
        self.ignored = QLabel()
        self.ignored.setObjectName("ignored_columns")
        self.ignored.setWordWrap(True)
        self.sample = RowTableView([])
        self.sample.setObjectName("sample_table")
        self.sample.setSortingEnabled(False)   # the file's order is the point
        self.sample_box = QGroupBox("前几行（导入后的样子）")
        self.problems = RowTableView(PROBLEM_COLUMNS, widths=(110, 60, 150, 480))
        self.problems.setObjectName("problems_table")
        self.problems_box = QGroupBox("问题")
        self.preview_area = self._preview_area()
        self.preview_area.hide()
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
        layout.addWidget(self.counts)
        layout.addWidget(self.preview_area, 1)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self._cancel)
        self.close_button.clicked.connect(self.reject)
        self.import_button.clicked.connect(self.apply)
        self.save_problems_button.clicked.connect(self.save_problems)

    def _preview_area(self) -> QSplitter:
        """Left the column mapping and the columns left out, right the first rows; the problems below."""
        mapping_box = QGroupBox("列的对应（文件中的列 → 导入为）")
        box = QVBoxLayout(mapping_box)
        box.addWidget(self.mapping, 1)
        box.addWidget(self.ignored)
        QVBoxLayout(self.sample_box).addWidget(self.sample)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(mapping_box)
        top.addWidget(self.sample_box)
        top.setStretchFactor(1, 1)
        top.setSizes([330, 800])
        QVBoxLayout(self.problems_box).addWidget(self.problems)
        self.problems_box.hide()
        area = QSplitter(Qt.Orientation.Vertical)
        area.setChildrenCollapsible(False)
        area.addWidget(top)
        area.addWidget(self.problems_box)
        area.setStretchFactor(0, 3)
        area.setStretchFactor(1, 2)
        return area

    def _fit_screen(self) -> None:
        """The preview's size, within the screen's available area (an office PC: 1366×728 above the taskbar)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = PREFERRED
        if screen is not None:
            avail = screen.availableGeometry()
            width, height = min(width, avail.width() - 20), min(height, avail.height() - 40)
        self.resize(width, height)

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
        self._show_columns_and_rows(preview)
        self.import_button.show()
        if preview.ok:
            self.status.setText(f"文件检查通过。导入后将：{preview.summary()}。请核对列的对应和前几行；"
                                "确认后在一个事务中写入，中途出错或取消则不写入任何数据。")
            self.import_button.setDefault(True)
        else:
            self.status.setText(f"文件中有 {len(preview.problems)} 处问题，未导入任何数据。"
                                "请按下表修改文件（可保存问题清单）后重新导入。")
            self.status.setStyleSheet(f"color: {PROBLEM_RED};")
            self.import_button.setEnabled(False)
            self.import_button.setToolTip("文件中有问题，改正后重新导入")
            self.problems.set_rows(list(preview.problems), keep_id=False)
            self.problems_box.setTitle(f"问题（{preview.problem_count:,} 处）")
            self.problems_box.show()
            self.save_problems_button.show()
            self.cancel_button.hide()
            self.close_button.show()
        self._fit_screen()

    def _show_columns_and_rows(self, preview: roster_import.ImportPreview) -> None:
        self.counts.setText(counts_text(preview))
        self.counts.show()
        self.mapping.set_rows(list(preview.columns), keep_id=False)
        if preview.ignored_columns:
            self.ignored.setText("未导入的列（文件中有，本软件不用）："
                                 + "、".join(f"{c.letter} 列“{c.header}”" for c in preview.ignored_columns))
            self.ignored.setStyleSheet("color: #8a5a00;")
        else:
            self.ignored.setText("文件中的列都已导入。")
        self.sample.table_model.beginResetModel()
        self.sample.table_model.columns = sample_columns(preview.sample_titles)
        self.sample.table_model.endResetModel()
        self.sample.set_rows(list(preview.sample_rows), keep_id=False)
        self.sample.resizeColumnsToContents()
        for col in range(len(preview.sample_titles) + 2):
            self.sample.setColumnWidth(col, min(self.sample.columnWidth(col), 260))
        shown = len(preview.sample_rows)
        where = f"工作表“{preview.sheet_name}”，列名在第 {preview.header_row} 行"
        self.sample_box.setTitle(f"前 {shown} 行（导入后的样子；共 {preview.total_rows:,} 行，{where}）"
                                 if shown < preview.total_rows else f"全部 {shown} 行（导入后的样子；{where}）")
        self.preview_area.show()

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
