"""A saved draw on the desk screen: who was drawn, with what seed and entropy, and its record as .docx / .json /
print."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.draw_history import STATUS_REDRAWN
from models.draw_record import record_to_json
from models.full_coverage import load_summary
from reports.atomic import write_text_atomic
from reports.draw_docs import current_audit_head, record_events, write_draw_record_docx
from ui.context import AppContext
from ui.draw.common import (
    DOCX_FILTER, JSON_FILTER, RESULT_FIELDS, RESULT_HEADERS, VERIFY_COMMAND, VERIFY_HINT, ask_save_path, counts_text,
    entropy_lines, error_text, group_hex, item_title, mono_font, result_rows, witnesses_text,
)
from ui.table_model import Column
from ui.widgets import RowTableView, show_error, show_info

GREEN = "#1b7a2b"
RESULT_COLUMNS = [Column(title, name) for title, name in zip(RESULT_HEADERS, RESULT_FIELDS)]
KIND_TEXT = {"draw": "抽取", "redraw": "重新抽取", "substitute": "替补抽取"}


def write_json(record: dict, path: Path) -> Path:
    """The canonical record file that verify-draw checks; written whole or not at all."""
    return write_text_atomic(path, record_to_json(record), ".json")


def save_record_docx(ctx: AppContext, parent: QWidget, record_id: int, record: dict, status: str,
                     events: dict[int, str] | None = None) -> None:
    """Ask where, then write the 抽取结果记录表 in the background."""
    number = record.get("item", {}).get("number", "")
    path = ask_save_path(parent, "保存抽取结果记录表", f"抽取结果记录表-#{record_id}-{number}.docx", DOCX_FILTER,
                         ".docx")
    if path is None:
        return
    ctx.runner.run(parent, lambda progress=None, cancelled=None: write_draw_record_docx(
        record, status, path, audit_head=current_audit_head(ctx.db), events=events),
                   label="正在生成抽取结果记录表……",
                   on_success=lambda p: show_info(parent, "已保存", f"抽取结果记录表已保存到：\n{p}"),
                   on_failure=lambda e: show_error(parent, "保存失败", error_text(e)))


class RecordPanel(QWidget):
    """Read-only view of one saved record; nothing here can change a pick or an inspector."""

    project_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.record: dict | None = None
        self.record_id: int | None = None
        self.status = ""
        self.events: dict[int, str] = {}  # pick order → organiser with its event, for a per-event record

        self.locked_label = QLabel()
        self.locked_label.setObjectName("locked")
        font = QFont(self.locked_label.font())
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.locked_label.setFont(font)
        self.locked_label.setStyleSheet(f"color: {GREEN};")
        self.title_label = QLabel()
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.counts_label = QLabel()
        self.when_label = QLabel()
        self.when_label.setWordWrap(True)
        self.witnesses_label = QLabel()
        self.witnesses_label.setWordWrap(True)
        self.entropy_label = QLabel()
        self.entropy_label.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        self.fingerprint_label = QLabel()
        self.seed_label = QLabel()
        for w in (self.fingerprint_label, self.seed_label):
            w.setFont(mono_font(self.font().pointSizeF() + 1))
            w.setWordWrap(True)  # between the 8-digit blocks, on a narrow screen
        self.verify_hint = QLabel(f"{VERIFY_HINT}；记录文件用“导出记录 .json”得到")
        self.verify_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("抽取", self.counts_label)
        form.addRow("时间地点", self.when_label)
        form.addRow("见证人", self.witnesses_label)
        form.addRow("现场随机数", self.entropy_label)
        form.addRow("原因", self.reason_label)
        form.addRow("名单指纹", self.fingerprint_label)
        form.addRow("随机种子", self.seed_label)

        self.table = RowTableView(RESULT_COLUMNS, widths=(60, 300, 190, 80))
        self.table.setObjectName("result_table")
        self.docx_button = QPushButton("保存记录表 .docx…")
        self.json_button = QPushButton("导出记录 .json…")
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("生成抽取结果记录表并用 Word/WPS 打开，以便打印和签名")
        self.project_button = QPushButton("投影显示")
        self.sheets_button = QPushButton("打印现场检查记录…")
        self.sheets_button.setToolTip("为本次抽中的每个对象各打印一份现场检查记录（检查笔录），带到现场填写并签字")
        self.buttons = QHBoxLayout()
        for b in (self.docx_button, self.json_button, self.print_button, self.project_button, self.sheets_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.locked_label)
        layout.addWidget(self.title_label)
        layout.addLayout(form)
        layout.addWidget(self.verify_hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

        self.docx_button.clicked.connect(self.save_docx)
        self.json_button.clicked.connect(self.save_json)
        self.print_button.clicked.connect(self.print_record)
        self.project_button.clicked.connect(self.project_requested)
        self.sheets_button.clicked.connect(self.print_sheets)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for b in (self.docx_button, self.json_button, self.print_button, self.project_button):
            b.setEnabled(on)
        # A re-drawn record's objects are no longer checked: nothing to take on site.
        self.sheets_button.setEnabled(on and self.status != STATUS_REDRAWN)

    def show_record(self, record_id: int, record: dict, status: str) -> None:
        self.record, self.record_id, self.status = record, record_id, status
        self.events = record_events(self.ctx.db, record_id)
        meta = record.get("meta", {})
        kind = KIND_TEXT.get(meta.get("kind", "draw"), "抽取")
        self.locked_label.setText(f"记录已保存并锁定，编号 #{record_id}　（{kind}，状态：{status}）")
        self.title_label.setText(item_title(record))
        # The responsible officers' load (even under the least-loaded assignment), and a sealed 缺员原因.
        gap = record.get("announcement", {}).get("partner_gap_reason", "")
        extra = [load_summary(record), f"配合部门缺员原因：{gap}" if gap else ""]
        self.counts_label.setText("　".join(t for t in [counts_text(record), *extra] if t))
        self.when_label.setText(f"{meta.get('time', '')[:19].replace('T', ' ')}　{meta.get('place', '')}"
                                f"　操作人：{meta.get('operator', '')}")
        self.witnesses_label.setText(witnesses_text(record))
        self.entropy_label.setText("；".join(entropy_lines(record)))
        reason = meta.get("reason") or ""
        if meta.get("replaces_id"):
            replaced = meta.get("replaced_object") or {}
            what = f"替代记录 #{meta['replaces_id']}" + (f" 中的「{replaced.get('name')}」" if replaced else "")
            reason = f"{what}：{reason}"
        self.reason_label.setText(reason or "—")
        self.fingerprint_label.setText(group_hex(record.get("fingerprint", "")))
        self.seed_label.setText(group_hex(record.get("seed", "")))
        self.table.set_rows(result_rows(record, events=self.events), keep_id=False)
        self.table.setColumnWidth(1, 520 if self.events else 300)  # an organiser with its event needs the room
        self._enable(True)

    def _suggested(self, suffix: str) -> str:
        item = (self.record or {}).get("item", {})
        return f"抽取结果记录表-#{self.record_id}-{item.get('number', '')}{suffix}"

    def save_docx(self) -> None:
        if self.record is not None:
            save_record_docx(self.ctx, self, self.record_id, self.record, self.status, self.events)

    def _write_docx(self, path: Path, then) -> None:
        record, status, events = self.record, self.status, self.events
        self.ctx.runner.run(self, lambda progress=None, cancelled=None: write_draw_record_docx(
            record, status, path, audit_head=current_audit_head(self.ctx.db), events=events),
                            label="正在生成抽取结果记录表……", on_success=then,
                            on_failure=lambda e: show_error(self, "保存失败", error_text(e)))

    def save_json(self) -> None:
        if self.record is None:
            return
        path = ask_save_path(self, "导出抽取记录", f"抽取记录-#{self.record_id}.json", JSON_FILTER, ".json")
        if path is None:
            return
        try:
            write_json(self.record, path)
        except OSError as e:
            show_error(self, "导出失败", error_text(e))
            return
        show_info(self, "已导出", f"抽取记录已保存到：\n{path}\n\n"
                                  f"任何人可用验证页面.html 或 {VERIFY_COMMAND} {path.name} 复核。")

    def print_sheets(self) -> None:
        from ui.inspections.record_sheet_dialog import open_draw_sheets

        if self.record_id is not None:
            open_draw_sheets(self.ctx, self.record_id, self, label=self.record.get("item", {}).get("name", ""))

    def print_record(self) -> None:
        if self.record is None:
            return
        folder = Path(tempfile.mkdtemp(prefix="draw-print-"))
        path = folder / self._suggested(".docx")
        self._write_docx(path, lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p))))


class ResultView(QWidget):
    """Step 3: the draw just saved, with its documents and a way back to step 1."""

    new_draw_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.panel = RecordPanel(ctx, self)
        self.new_button = QPushButton("新建抽取")
        self.panel.buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)
        self.new_button.clicked.connect(self.new_draw_requested)

    def show_saved(self, saved, status: str = "有效") -> None:
        self.panel.show_record(saved.id, saved.record, status)
