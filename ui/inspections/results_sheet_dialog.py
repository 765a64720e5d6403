"""The team's result sheet on the 检查记录 tab: 导出结果填报表… for a draw, and 导入结果填报表… (a draw's or a
round's sheet) with a preview (new / updated / unchanged / skipped / problems, the first rows) before 确认导入, both
on the task runner; start_round_export serves the 巡查覆盖 tab's 导出巡查填报表…."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QProgressBar, QPushButton, QSplitter,
    QVBoxLayout, QWidget,
)

from models.draw_history import KIND_SUBSTITUTE, STATUS_REDRAWN, list_draws
from reports.results_sheet import export_draw_sheet, export_round_sheet
from usecases import results_import
from usecases.roster_import import save_problems_xlsx
from ui.context import Topic
from ui.table_model import Column
from ui.widgets import RowTableView, ask_open_xlsx, ask_save_xlsx, error_message, show_error, show_info

PROBLEM_RED = "#b00000"
PREFERRED = (1100, 640)


def _red(row) -> str | None:
    return PROBLEM_RED if row.outcome == results_import.OUTCOME_PROBLEM else (
        "#757575" if row.outcome == results_import.OUTCOME_SKIPPED else None)


# Rows are results_import.ResultsSample.
SAMPLE_COLUMNS = [Column("行", "row", align_right=True, color=_red), Column("序号", "seq", color=_red),
                  Column("单位名称", "object_name", color=_red), Column("导入后", "outcome", color=_red),
                  Column("检查结果", "result", color=_red), Column("检查人员", "officers", color=_red),
                  Column("隐患", "hazards", fmt=lambda n: str(n) if n else "", align_right=True, color=_red)]
# Rows are ImportProblem.
PROBLEM_COLUMNS = [Column("工作表", "sheet"), Column("行", "row", align_right=True), Column("列", "column"),
                   Column("问题", "message", tooltip=lambda p: p.message)]


def counts_text(p: results_import.ResultsPreview) -> str:
    return (f"新增 {p.new} 条　　更新 {p.updated} 条　　无变化 {p.unchanged} 条　　"
            f"未填写而跳过 {p.skipped} 行　　问题 {p.problem_count} 处")


class ResultsImportDialog(QDialog):
    """Checks a filled sheet off the UI thread (the real service, rolled back), shows what would happen, imports
    on 确认导入 in one transaction."""

    def __init__(self, ctx, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.path = Path(path)
        self.preview: results_import.ResultsPreview | None = None
        self.result: results_import.ResultsPreview | None = None
        self.task = None
        self.setWindowTitle(f"导入结果填报表 — {self.path.name}")
        self.status = QLabel(f"正在检查文件 {self.path.name} ……")
        self.status.setObjectName("results_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.update_box = QCheckBox("按表更新已录入的检查记录（不勾选时，与已录入内容不同的行被拒绝）")
        self.update_box.toggled.connect(lambda _on: self.start())
        self.counts = QLabel()
        self.counts.setObjectName("results_counts")
        self.counts.setStyleSheet("font-weight: bold;")
        self.sample = RowTableView(SAMPLE_COLUMNS, widths=(40, 40, 180, 90, 150, 150))
        self.sample.setSortingEnabled(False)
        self.sample_box = QGroupBox("前几行（导入后的样子）")
        QVBoxLayout(self.sample_box).addWidget(self.sample)
        self.problems = RowTableView(PROBLEM_COLUMNS, widths=(80, 50, 170))
        self.problems_box = QGroupBox("问题")
        QVBoxLayout(self.problems_box).addWidget(self.problems)
        self.problems_box.hide()
        area = QSplitter(Qt.Orientation.Vertical)
        area.setChildrenCollapsible(False)
        area.addWidget(self.sample_box)
        area.addWidget(self.problems_box)
        self.save_problems_button = QPushButton("保存问题清单…")
        self.import_button = QPushButton("确认导入")
        self.cancel_button = QPushButton("取消")
        self.save_problems_button.hide()
        self.import_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_problems_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        for w in (self.status, self.progress, self.update_box, self.counts):
            layout.addWidget(w)
        layout.addWidget(area, 1)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self._cancel)
        self.import_button.clicked.connect(self.apply)
        self.save_problems_button.clicked.connect(self.save_problems)
        self._fit_screen()

    def _fit_screen(self) -> None:
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
        """Check the file (again, when 按表更新 is switched) in the background."""
        if self.busy:
            self.task.cancel()
        self.import_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(f"正在按检查记录的规则逐行检查 {self.path.name} ……")
        db, path, update, actor = self.ctx.db, str(self.path), self.update_box.isChecked(), self.ctx.actor()
        self._run(lambda progress, cancelled: results_import.preview_results_import(
            db, path, update=update, actor=actor, progress=progress, cancelled=cancelled), self._show_preview)

    def _run(self, fn, on_success, announce=()) -> None:
        self.progress.show()
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.task = self.ctx.runner.run(self, fn, label=self.status.text(), on_success=on_success,
                                        on_failure=self._failed, show_dialog=False, announce=announce,
                                        key=("results_import", id(self)))
        self.task.signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)

    def _on_progress(self, done: int, total: int) -> None:
        if self.task is not None and not self.task.cancel_event.is_set():
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))

    def _show_preview(self, preview: results_import.ResultsPreview) -> None:
        self.preview = preview
        self.progress.hide()
        self.counts.setText(counts_text(preview))
        self.sample.set_rows(list(preview.sample_rows), keep_id=False)
        shown = len(preview.sample_rows)
        self.sample_box.setTitle(f"{preview.title}：前 {shown} 行（共 {preview.total_rows} 行）"
                                 if shown < preview.total_rows else f"{preview.title}：全部 {shown} 行")
        self.problems.set_rows(list(preview.problems), keep_id=False)
        self.problems_box.setVisible(not preview.ok)
        self.save_problems_button.setVisible(not preview.ok)
        self.problems_box.setTitle(f"问题（{preview.problem_count} 处）")
        if preview.ok and (preview.new or preview.updated):
            self.status.setText(f"文件检查通过，每一行都按检查记录的规则检查过。导入后将：{preview.summary()}。"
                                "确认后在一个事务中写入，中途出错或取消则不写入任何数据。")
            self.import_button.setEnabled(True)
            self.import_button.setDefault(True)
        elif preview.ok:
            self.status.setText(f"文件中没有要导入的内容：{preview.summary()}。")
        else:
            self.status.setText(f"文件中有 {preview.problem_count} 处问题，不能导入（任何一行有误，整个文件都不导入）。"
                                "请按下表修改文件后重新导入。")
            self.status.setStyleSheet(f"color: {PROBLEM_RED};")

    def apply(self) -> None:
        if self.preview is None or not self.preview.ok or self.busy:
            return
        self.import_button.setEnabled(False)
        self.update_box.setEnabled(False)
        self.status.setText(f"正在导入 {self.path.name} ……")
        db, preview, actor = self.ctx.db, self.preview, self.ctx.actor()
        self._run(lambda progress, cancelled: results_import.apply_results_import(
            db, preview, actor, progress=progress, cancelled=cancelled), self._applied,
            announce=(Topic.INSPECTIONS,))

    def _applied(self, result: results_import.ResultsPreview) -> None:
        self.result = result
        self.accept()
        show_info(self.parentWidget(), "导入完成", f"已导入 {self.path.name}：{result.summary()}。")

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.update_box.setEnabled(True)
        if isinstance(exc, results_import.ImportCancelled):
            self.status.setText("已取消，未写入任何数据。")
            return
        self.status.setText(f"未导入任何数据：{error_message(exc)}")
        self.status.setStyleSheet(f"color: {PROBLEM_RED};")
        show_error(self, "导入失败", f"{self.path.name}：{error_message(exc)}\n未写入任何数据。")

    def _cancel(self) -> None:
        if self.busy:
            self.task.cancel()
            self.status.setText("正在取消……")
        else:
            self.reject()

    def reject(self) -> None:
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
            save_problems_xlsx(self.preview.problems, target)
        except OSError as e:
            show_error(self, "无法保存问题清单", error_message(e))
            return
        show_info(self, "已保存", f"问题清单已保存到：\n{target}")


def draw_choices(ctx, year: int | None) -> list[tuple[int, str]]:
    """The year's draws a sheet can be made for: (record id, label), substitutes within them included."""
    if year is None:
        return []
    with ctx.db.session() as s:
        draws = list_draws(s, year)
    return [(d.id, f"抽取记录 {d.id}：事项{d.item_number} {d.item_name}，第{d.round}轮，{d.picks} 个对象"
                   f"（{d.time:%Y-%m-%d}）") for d in draws if d.kind != KIND_SUBSTITUTE and d.status != STATUS_REDRAWN]


def choose_draw(parent: QWidget, choices: list[tuple[int, str]], preferred: int | None) -> int | None:
    if not choices:
        show_info(parent, "导出结果填报表", "本年度还没有有效的抽取记录。")
        return None
    if len(choices) == 1:
        return choices[0][0]
    labels = [label for _id, label in choices]
    current = next((i for i, (rid, _l) in enumerate(choices) if rid == preferred), 0)
    label, ok = QInputDialog.getItem(parent, "导出结果填报表", "为哪一次抽取导出填报表：", labels, current, False)
    return choices[labels.index(label)][0] if ok else None


def start_export(ctx, parent: QWidget, year: int | None, preferred_draw: int | None = None):
    """Ask for the draw and the file, then write the sheet in the background."""
    draw_id = choose_draw(parent, draw_choices(ctx, year), preferred_draw)
    if draw_id is None:
        return None
    target = ask_save_xlsx(parent, "导出结果填报表", f"检查结果填报表_抽取记录{draw_id}.xlsx")
    if target is None:
        return None
    db = ctx.db
    return ctx.runner.run(
        parent, lambda progress, cancelled: export_draw_sheet(db, draw_id, target),
        label=f"正在导出结果填报表到 {target.name} ……", cancellable=False,
        on_success=lambda done: show_info(parent, "导出完成", f"已导出{done[1]}（{done[0]} 个检查对象）到：\n{target}\n"
                                                            "检查组填写白色列后，用“导入结果填报表…”导入。"),
        on_failure=lambda e: show_error(parent, "导出失败", error_message(e)))


def start_round_export(ctx, parent: QWidget, duty_id: int, jurisdiction: str | None, year: int, month: int,
                       label: str):
    """Ask for the file, then write the round sheet of ``duty_id`` (its objects still due in the period containing
    ``month`` of ``year``, in ``jurisdiction`` or all) in the background."""
    where = f"_{jurisdiction}" if jurisdiction else ""
    target = ask_save_xlsx(parent, "导出巡查填报表", f"巡查填报表_{label}{where}_{year}年{month}月.xlsx")
    if target is None:
        return None
    db = ctx.db
    return ctx.runner.run(
        parent, lambda progress, cancelled: export_round_sheet(db, duty_id, target, jurisdiction=jurisdiction,
                                                               year=year, month=month),
        label=f"正在导出巡查填报表到 {target.name} ……", cancellable=False,
        on_success=lambda done: show_info(parent, "导出完成", f"已导出{done[1]}（{done[0]} 个待查对象）到：\n{target}\n"
                                                            "检查组填写白色列（检查人员必填）后，在“检查记录”页用"
                                                            "“导入结果填报表…”导入，每行记为一次日常巡查。"),
        on_failure=lambda e: show_error(parent, "导出失败", error_message(e)))


def start_import(ctx, parent: QWidget) -> ResultsImportDialog | None:
    """Ask for the filled sheet and open the preview dialog on it (non-blocking)."""
    path = ask_open_xlsx(parent, "导入结果填报表 — 选择填好的 Excel 文件")
    if path is None:
        return None
    dialog = ResultsImportDialog(ctx, path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    parent.results_dialog = dialog       # kept so tests and the caller can reach it
    dialog.open()
    dialog.start()
    return dialog


class ResultsSheetBar(QWidget):
    """结果填报表： [导出结果填报表…] [导入结果填报表…] under the 检查记录 table."""

    def __init__(self, ctx, year_of, selected_draw, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("检查组批量填报："))
        self.export_button = QPushButton("导出结果填报表…")
        self.export_button.setToolTip("为一次抽取导出 Excel 填报表：每个抽中对象一行，"
                                      "检查组填写检查结果、检查结论和隐患")
        self.import_button = QPushButton("导入结果填报表…")
        self.import_button.setToolTip("导入填好的填报表（抽取的，或“巡查覆盖”页导出的巡查填报表）："
                                      "先逐行检查并预览，确认后一次写入；任何一行有误则整个文件不导入")
        layout.addWidget(self.export_button)
        layout.addWidget(self.import_button)
        layout.addStretch(1)
        self.export_button.clicked.connect(lambda: start_export(ctx, self, year_of(), selected_draw()))
        self.import_button.clicked.connect(lambda: start_import(ctx, self))
        self.import_button.setEnabled(ctx.can_write())
