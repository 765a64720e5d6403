"""Asking where to save a publicity document and running the export off the UI thread with a progress bar."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QFileDialog, QWidget

from models.statistics import StatsCancelled
from reports.table_docs import ExportCancelled
from ui.widgets import error_message, show_error, show_info

FILTERS = {".xlsx": "Excel 工作簿 (*.xlsx)", ".docx": "Word 文档 (*.docx)"}


def ask_save(parent: QWidget | None, title: str, suggested_name: str, suffix: str) -> Path | None:
    """The file the clerk chose, with ``suffix`` added when it was left out; None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / f"{suggested_name}{suffix}"),
                                          FILTERS[suffix])
    if not path:
        return None
    p = Path(path)
    return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)


def run_export(ctx, parent: QWidget, label: str, job: Callable[..., Path], title: str,
               on_done: Callable[[Path], None] | None = None) -> None:
    """Run ``job(progress=, cancelled=)`` on the task runner; tell the clerk where the file went, or why not."""
    def done(path: Path) -> None:
        if on_done is not None:
            on_done(path)
        show_info(parent, title, f"已保存：{path}")

    def failed(exc: BaseException) -> None:
        if isinstance(exc, (ExportCancelled, StatsCancelled)):
            show_info(parent, title, "已取消，未生成文件。")
        else:
            show_error(parent, title, error_message(exc))

    ctx.runner.run(parent, job, label=label, on_success=done, on_failure=failed)
