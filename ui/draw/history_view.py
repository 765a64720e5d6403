"""抽取记录: every draw with its status, a read-only record view, 复核, and the way to a re-draw or a substitute."""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QPlainTextEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from models import draw_service as ds
from models import seal_service as seals
from ui.context import AppContext, Topic
from ui.draw.common import ResultRow, error_text, result_rows, short_hex, verify_saved
from ui.draw.result_view import RecordPanel
from ui.table_model import Column
from ui.widgets import FilterCombo, RowTableView, on_notify, show_error

RED, ORANGE, GREEN = "#b00020", "#a35a00", "#1b7a2b"


class HistoryRow(NamedTuple):
    """One draw record in the history list."""

    id: int
    time: str
    item: str
    round: int
    kind: str
    picks: int
    status: str
    replaces: int | None
    reason: str
    fingerprint: str


def _status_colour(row: HistoryRow) -> str | None:
    if row.status == ds.STATUS_REDRAWN:
        return RED
    if row.status != ds.STATUS_VALID:
        return ORANGE
    return None


HISTORY_COLUMNS = [
    Column("编号", "id", fmt=lambda v: f"#{v}"),
    Column("时间", "time"),
    Column("抽查事项", "item"),
    Column("轮次", "round", align_right=True),
    Column("类型", "kind"),
    Column("抽取数", "picks", align_right=True),
    Column("状态", "status", color=_status_colour),
    Column("替代记录", "replaces", fmt=lambda v: f"#{v}" if v else ""),
    Column("原因", "reason"),
    Column("名单指纹", "fingerprint", fmt=short_hex),
]


def _announcement_colour(a: seals.AnnouncementSummary) -> str | None:
    return RED if a.status == seals.STATUS_VOID else ORANGE if a.status == seals.STATUS_OPEN else None


def announcement_state(a: seals.AnnouncementSummary) -> str:
    """作废 / 已抽取（记录 #n） / 待抽取, as the history, list-draws and the task publicity say it."""
    return f"已抽取（记录 #{a.draw_id}）" if a.status == seals.STATUS_DRAWN else a.status


# Every announcement ever sealed, drawn, open or voided: none is ever removed from this list.
ANNOUNCEMENT_COLUMNS = [
    Column("公告编号", "label"),
    Column("封存时间", "sealed_at", fmt=lambda v: v.strftime("%Y-%m-%d %H:%M")),
    Column("抽查事项", "item_name"),
    Column("轮次", "round", align_right=True),
    Column("辖区", "jurisdiction", fmt=lambda v: v or "不限"),
    Column("类型", "kind", fmt=lambda v: ds.KIND_LABELS.get(v, v)),
    Column("状态", "status", color=_announcement_colour),
    Column("抽取记录", "draw_id", fmt=lambda v: f"#{v}" if v else ""),
    Column("作废原因", "void_reason"),
    Column("随机数来源", "entropy_source"),
    Column("承诺值", "commitment", fmt=short_hex),
]


def summary_row(d: ds.DrawSummary) -> HistoryRow:
    return HistoryRow(d.id, d.time.strftime("%Y-%m-%d %H:%M"), f"{d.year} {d.item_number}. {d.item_name}", d.round,
                      d.kind_label, d.picks, d.status, d.replaces_id, d.reason, d.fingerprint)


def ask_reason(parent: QWidget | None, title: str, label: str) -> str | None:
    """The reason for a re-draw (required); None when the clerk cancels."""
    while True:
        text, ok = QInputDialog.getMultiLineText(parent, title, label)
        if not ok:
            return None
        if text.strip():
            return text.strip()
        show_error(parent, title, "必须填写原因。")


def ask_void_reason(parent: QWidget | None, label: str) -> str | None:
    """Seal while announcement ``label`` is open: the reason to void it (required), or None to keep it."""
    return ask_reason(parent, "作废旧公告并重新封存",
                      f"本事项本轮次已有尚未抽取的抽取公告 {label}。\n"
                      f"如要作废 {label} 并封存新的公告，请写明作废原因（{label} 保留并显示为作废，编号不再使用）：")


class SubstituteDialog(QDialog):
    """Which drawn object is replaced, and why."""

    def __init__(self, rows: list[ResultRow], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("替换单个对象")
        self.object_combo = QComboBox()
        for r in rows:
            self.object_combo.addItem(f"{r.order}. {r.name}（{r.code}）", r.object_id)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("例如：到场核实该单位已注销")
        form = QFormLayout(self)
        form.addRow("被替换的对象", self.object_combo)
        form.addRow("原因（必填）", self.reason_edit)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self._accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def _accept(self) -> None:
        if not self.reason_edit.toPlainText().strip():
            show_error(self, "替换单个对象", "必须填写原因。")
            return
        self.accept()


def ask_substitute(parent: QWidget | None, rows: list[tuple]) -> tuple[int, str, str] | None:
    """(object id, its label, reason) or None when cancelled."""
    dlg = SubstituteDialog(rows, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return (dlg.object_combo.currentData(), dlg.object_combo.currentText(), dlg.reason_edit.toPlainText().strip())


class RecordDialog(QDialog):
    """One record, read-only, with 复核 and the requests for a re-draw or a substitute."""

    redraw_requested = Signal(int, str, str)                 # record id, reason, 配合部门缺员原因
    substitute_requested = Signal(int, int, str, str, str)   # record id, object id, object label, reason, 缺员原因
    project_requested = Signal(int)

    def __init__(self, ctx: AppContext, record_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.record_id = record_id
        self.setWindowTitle(f"抽取记录 #{record_id}")
        self.resize(1100, 720)
        self.panel = RecordPanel(ctx, self)
        self.verify_label = QLabel()
        self.verify_label.setWordWrap(True)
        self.verify_button = QPushButton("复核")
        self.verify_button.setToolTip("由记录本身重新计算名单指纹、随机种子、抽中对象和检查人员，并与记录比对")
        self.redraw_button = QPushButton("重新抽取…")
        self.substitute_button = QPushButton("替换单个对象…")
        close = QPushButton("关闭")
        row = QHBoxLayout()
        for b in (self.verify_button, self.redraw_button, self.substitute_button):
            row.addWidget(b)
        row.addWidget(self.verify_label, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addLayout(row)
        self.verify_button.clicked.connect(self.verify)
        self.redraw_button.clicked.connect(self._redraw)
        self.substitute_button.clicked.connect(self._substitute)
        self.panel.project_requested.connect(lambda: self.project_requested.emit(self.record_id))
        close.clicked.connect(self.close)
        self.load()

    def load(self) -> None:
        try:
            with self.ctx.db.session() as s:
                record = ds.load_record(s, self.record_id)
                status = ds.record_status(s, self.record_id)
                kind = record.get("meta", {}).get("kind", ds.KIND_DRAW)
        except ds.DrawError as e:
            self.verify_label.setText(f"<span style='color:{RED}'>{error_text(e)}</span>")
            for b in (self.redraw_button, self.substitute_button):
                b.setEnabled(False)
            return
        self.panel.show_record(self.record_id, record, status)
        writable = self.ctx.can_write() and status != ds.STATUS_REDRAWN
        self.redraw_button.setEnabled(writable and kind != ds.KIND_SUBSTITUTE)
        self.substitute_button.setEnabled(writable)

    def verify(self) -> bool:
        with self.ctx.db.session() as s:
            result = verify_saved(s, self.record_id)
        colour = GREEN if result.ok else RED
        self.verify_label.setText(f"<b style='color:{colour}'>复核结果：{result.message}</b>")
        return result.ok

    def _redraw(self) -> None:
        reason = ask_reason(self, "重新抽取", f"重新抽取记录 #{self.record_id} 的原因（必填，将记入新记录）：")
        gap = self._gap_reason() if reason else None
        if reason and gap is not None:
            self.redraw_requested.emit(self.record_id, reason, gap)
            self.close()

    def _gap_reason(self) -> str | None:
        """The 配合部门缺员原因 a replacement of this record needs — a 部门联合 record drawn police-only before such a
        draw needed a reason — asked with what is missing; "" when none is needed, None when the clerk cancels."""
        try:
            with self.ctx.db.read_session() as s:
                gaps = ds.replacement_partner_gaps(s, self.record_id)
        except ds.DrawError as e:
            show_error(self, "无法重新抽取", error_text(e))
            return None
        if not gaps:
            return ""
        return ask_reason(self, "配合部门缺员原因",
                          "本记录为部门联合抽查，抽取时未带配合部门检查人员（" + "；".join(gaps) + "）。\n"
                          "新的抽取沿用原记录的设置，仍只由公安人员检查。请写明原因\n"
                          "（随抽取公告封存，并在抽查任务公示中列明）：")

    def _substitute(self) -> None:
        if self.panel.record is None:
            return
        answer = ask_substitute(self, result_rows(self.panel.record))
        if answer:
            object_id, label, reason = answer
            gap = self._gap_reason()
            if gap is not None:
                self.substitute_requested.emit(self.record_id, object_id, label, reason, gap)
                self.close()


class HistoryView(QWidget):
    """All draws, newest last, with status 有效 / 已被重抽替代 / 部分替代; filter by year."""

    redraw_requested = Signal(int, str, str)
    substitute_requested = Signal(int, int, str, str, str)
    project_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: RecordDialog | None = None
        self.year_filter = FilterCombo(all_text="全部年度")
        self.count_label = QLabel()
        self.open_button = QPushButton("查看记录…")
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_filter)
        top.addStretch(1)
        top.addWidget(self.count_label)
        top.addWidget(self.open_button)
        self.table = RowTableView(HISTORY_COLUMNS, widths=(60, 130, 440, 50, 60, 60, 100, 70, 220))
        self.table.setObjectName("history_table")
        self.announcements_label = QLabel()
        self.announcements = RowTableView(ANNOUNCEMENT_COLUMNS, widths=(80, 130, 300, 50, 80, 60, 70, 70, 200, 220))
        self.announcements.setObjectName("announcement_table")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.announcements_label)
        layout.addWidget(self.announcements, 2)
        self.year_filter.value_changed.connect(lambda _v: self.refresh())
        self.table.row_activated.connect(lambda row: self.open_record(row.id))
        self.open_button.clicked.connect(self._open_selected)
        on_notify(ctx, self, Topic.DRAWS, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        year = self.year_filter.value()
        try:
            with self.ctx.db.session() as s:
                every = ds.list_draws(s)
                sealed = seals.list_announcements(s)
        except Exception as e:  # noqa: BLE001 - the list must still open and say why it is empty
            self.count_label.setText(error_text(e))
            return
        years = sorted({str(d.year) for d in every} | {str(a.year) for a in sealed}, reverse=True)
        self.year_filter.blockSignals(True)
        self.year_filter.set_values(years)
        self.year_filter.blockSignals(False)
        year = self.year_filter.value()
        rows = [summary_row(d) for d in every if year is None or str(d.year) == year]
        self.table.set_rows(rows)
        self.count_label.setText(f"共 {len(rows)} 条抽取记录")
        shown = [a for a in sealed if year is None or str(a.year) == year]
        self.announcements.set_rows(shown)
        voided = sum(1 for a in shown if a.status == seals.STATUS_VOID)
        self.announcements_label.setText(
            f"抽取公告（共 {len(shown)} 份，其中作废 {voided} 份；作废和已抽取的公告永久保留）")

    def announcement_status(self, label: str) -> tuple[str, str] | None:
        """(状态, 作废原因) of the announcement listed under ``label`` (e.g. 2024-001), or None."""
        for a in self.announcements.rows():
            if a.label == label:
                return announcement_state(a), a.void_reason
        return None

    def status_of(self, record_id: int) -> str | None:
        for row in self.table.rows():
            if row.id == record_id:
                return row.status
        return None

    def _open_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self.open_record(row.id)

    def open_record(self, record_id: int) -> RecordDialog:
        try:
            dlg = RecordDialog(self.ctx, record_id, self)
        except Exception as e:
            show_error(self, "无法打开记录", error_text(e))
            raise
        dlg.redraw_requested.connect(self.redraw_requested)
        dlg.substitute_requested.connect(self.substitute_requested)
        dlg.project_requested.connect(self.project_requested)
        self.dialog = dlg
        dlg.show()
        return dlg
