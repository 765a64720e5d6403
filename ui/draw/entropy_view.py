"""Step 2 of a draw: the witnesses, the place and the randomness they contribute, each entry read back big before the
draw."""
from __future__ import annotations

from dataclasses import dataclass


from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models import draw_service as ds
from models import seal_service
from models.draw_entropy import (
    KIND_DICE, KIND_NUMBERS, KIND_OTHER, KIND_PUBLIC, KINDS, entry_problem, entry_text,
)
from ui.context import AppContext, Topic
from ui.draw.common import ask_save_path, error_text, group_hex, mono_font
from ui.widgets import show_error

PLACEHOLDERS = {
    KIND_NUMBERS: "见证人报出的数字，如：37 82 15",
    KIND_DICE: "当场掷出的点数（1-6），如：3 5 6 2",
    KIND_PUBLIC: "来源、日期和结果，如：福利彩票双色球 2025年5月6日 第2025051期 03 08 15 21 27 30 + 12",
    KIND_OTHER: "其他约定的随机内容",
}


@dataclass
class DrawTask:
    """What this step seals and then draws: a new draw of a prepared list, a re-draw or a substitute."""

    kind: str                       # draw / redraw / substitute
    title: str
    prep: ds.DrawPreparation | None = None
    record_id: int | None = None
    object_id: int | None = None
    reason: str = ""
    partner_gap_reason: str = ""    # a replacement's 配合部门缺员原因 (sealed with its announcement)


class EntropyView(QWidget):
    """Collects witnesses and entropy; the list is fixed (锁定) before 开始抽取 may run the draw."""

    drawn = Signal(object)      # SavedDraw
    back = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.task: DrawTask | None = None
        self.locked = False

        self.title_label = QLabel()
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() + 4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.fixed_label = QLabel()
        self.fixed_label.setWordWrap(True)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setFont(mono_font(self.font().pointSizeF() + 3))

        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("随机数来源，如：见证人在局三楼会议室现场报数并掷骰子；"
                                            "或 福利彩票双色球第2025051期开奖号码")
        self.lottery_check = QCheckBox("以公开彩票开奖为随机数，开奖日期")
        self.lottery_date = QDateEdit(QDate.currentDate().addDays(1))
        self.lottery_date.setCalendarPopup(True)
        self.lottery_date.setDisplayFormat("yyyy-MM-dd")
        self.lottery_date.setEnabled(False)
        self.seal_button = QPushButton("封存抽取公告")
        self.print_seal_button = QPushButton("打印公告（见证人签名）…")
        self.seal_label = QLabel()
        self.seal_label.setWordWrap(True)
        self.seal_label.setFont(mono_font(self.font().pointSizeF() + 2))
        self.seal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        seal_row = QHBoxLayout()
        seal_row.addWidget(self.source_edit, 3)
        seal_row.addWidget(self.lottery_check)
        seal_row.addWidget(self.lottery_date)
        seal_row.addWidget(self.seal_button)
        seal_row.addWidget(self.print_seal_button)
        seal_outer = QVBoxLayout()
        seal_outer.addLayout(seal_row)
        seal_outer.addWidget(self.seal_label)
        self.seal_box = QGroupBox("第一步：封存抽取公告（在任何随机数产生之前；见证人核对承诺值并签名）")
        self.seal_box.setLayout(seal_outer)
        self.sealed: seal_service.SealedAnnouncement | None = None

        self.witness_table = QTableWidget(2, 2)
        self.witness_table.setHorizontalHeaderLabels(["见证人/监督人姓名", "单位或身份"])
        self.witness_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.witness_table.setMaximumHeight(150)
        self.add_witness_button = QPushButton("添加见证人")
        self.remove_witness_button = QPushButton("删除选中")
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText("例如：局治安大队会议室")
        self.operator_label = QLabel(ctx.actor())
        wbuttons = QHBoxLayout()
        wbuttons.addWidget(self.add_witness_button)
        wbuttons.addWidget(self.remove_witness_button)
        wbuttons.addStretch(1)
        people = QFormLayout()
        people.addRow("见证人", self.witness_table)
        people.addRow("", wbuttons)
        people.addRow("抽取地点", self.place_edit)
        people.addRow("操作人", self.operator_label)
        people_box = QGroupBox("见证人与地点")
        people_outer = QVBoxLayout(people_box)
        people_outer.addLayout(people)
        people_outer.addStretch(1)

        self.kind_combo = QComboBox()
        self.kind_combo.addItems(KINDS)
        self.entry_edit = QLineEdit()
        self.add_entry_button = QPushButton("加入")
        self.remove_entry_button = QPushButton("删除选中")
        self.entry_list = QListWidget()
        self.entry_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        list_font = QFont(self.entry_list.font())
        list_font.setPointSizeF(list_font.pointSizeF() + 5)
        self.entry_list.setFont(list_font)
        self.readback_label = QLabel()
        self.readback_label.setObjectName("readback")
        self.readback_label.setWordWrap(True)
        self.readback_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.readback_label.setStyleSheet("background: #000; color: #ffd600; padding: 12px;")
        rb_font = QFont(self.readback_label.font())
        rb_font.setPointSize(30)
        rb_font.setBold(True)
        self.readback_label.setFont(rb_font)
        self.readback_label.setMinimumHeight(120)
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.kind_combo)
        entry_row.addWidget(self.entry_edit, 1)
        entry_row.addWidget(self.add_entry_button)
        entropy = QVBoxLayout()
        entropy.addLayout(entry_row)
        entropy.addWidget(self.entry_list)
        er = QHBoxLayout()
        er.addWidget(self.remove_entry_button)
        er.addStretch(1)
        entropy.addLayout(er)
        entropy.addWidget(QLabel("读回（请见证人核对屏幕上的内容）："))
        entropy.addWidget(self.readback_label)
        entropy_box = QGroupBox("现场随机数（由见证人提供，锁定后才计算随机种子）")
        entropy_box.setLayout(entropy)

        self.back_button = QPushButton("返回上一步")
        self.lock_button = QPushButton("确认随机数（锁定）")
        self.unlock_button = QPushButton("返回修改")
        self.start_button = QPushButton("开始抽取（投影）")
        self.start_button.setDefault(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.status_label, 2)
        for b in (self.lock_button, self.unlock_button, self.start_button):
            buttons.addWidget(b)

        columns = QHBoxLayout()
        columns.addWidget(people_box, 2)
        columns.addWidget(entropy_box, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.fixed_label)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.seal_box)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

        self.kind_combo.currentTextChanged.connect(lambda k: self.entry_edit.setPlaceholderText(PLACEHOLDERS[k]))
        self.entry_edit.setPlaceholderText(PLACEHOLDERS[KIND_NUMBERS])
        self.entry_edit.returnPressed.connect(self.add_entry_from_form)
        self.add_entry_button.clicked.connect(self.add_entry_from_form)
        self.remove_entry_button.clicked.connect(self._remove_entry)
        self.entry_list.currentTextChanged.connect(lambda t: self.locked or self.readback_label.setText(t))
        self.add_witness_button.clicked.connect(lambda: self.witness_table.insertRow(self.witness_table.rowCount()))
        self.remove_witness_button.clicked.connect(self._remove_witness)
        self.back_button.clicked.connect(self.back)
        self.lock_button.clicked.connect(self.lock)
        self.unlock_button.clicked.connect(self.unlock)
        self.start_button.clicked.connect(self.start)
        self.lottery_check.toggled.connect(self.lottery_date.setEnabled)
        self.seal_button.clicked.connect(self.seal)
        self.print_seal_button.clicked.connect(self.print_seal)
        self._update_state()

    # ---- entering a task
    def begin(self, task: DrawTask) -> None:
        """Start step 2 for *task* with an empty entropy list (the witnesses' entries are new each time)."""
        self.task = task
        self.title_label.setText(task.title)
        if task.prep is not None:
            p = task.prep
            self.fixed_label.setText(f"待抽名单已固定：可抽 {p.total_eligible} 户，抽取 {p.total_size} 户。"
                                     f"名单指纹（请与公示的名单核对）：")
            self.fingerprint_label.setText(group_hex(p.fingerprint))
        else:
            gap = f"\n配合部门缺员原因（随公告封存）：{task.partner_gap_reason}" if task.partner_gap_reason else ""
            self.fixed_label.setText(f"原因：{task.reason}{gap}\n"
                                     "待抽名单在抽取时按原记录的设置重新生成，名单指纹记入新记录。")
            self.fingerprint_label.setText("")
        self.sealed = None
        self.seal_label.clear()
        self.entry_list.clear()
        self.readback_label.clear()
        self.status_label.clear()
        if not self.place_edit.text().strip():
            self.place_edit.setText(self._default_place())
        self.locked = False
        self._update_state()

    def _default_place(self) -> str:
        try:
            from models import settings
            with self.ctx.db.session() as s:
                return str(settings.get(s, "default_place") or "")
        except Exception:  # noqa: BLE001 - a missing setting only means no default
            return ""

    # ---- sealing
    def seal(self, replace_open: str | None = None) -> None:
        """Seal the announcement (numbered, hashed, saved) before any entropy exists; then entropy may be entered.

        ``replace_open``: the clerk's reason to void the announcement still open for this item and round.
        """
        task = self.task
        if task is None or self.sealed is not None:
            return
        lottery = self.lottery_date.date().toPython() if self.lottery_check.isChecked() else None
        kwargs = dict(entropy_source=self.source_edit.text(), operator=self.ctx.actor(), lottery_date=lottery,
                      prep=task.prep, record_id=task.record_id, object_id=task.object_id, reason=task.reason,
                      replace_open=replace_open, partner_gap_reason=task.partner_gap_reason)
        db = self.ctx.db
        self.seal_button.setEnabled(False)
        self.ctx.runner.run(self, lambda progress=None, cancelled=None: seal_service.seal_for(db, task.kind, **kwargs),
                            label="正在封存抽取公告……", on_success=self._sealed, on_failure=self._seal_failed,
                            cancellable=False, key=("draw-seal", id(self)), announce=(Topic.DRAWS,))

    # The runner calls these only while this screen exists, after announcing Topic.DRAWS.
    def _sealed(self, ann) -> None:
        self.sealed = ann
        self.seal_label.setText(f"抽取公告 {ann.label} 已封存。承诺值：\n{group_hex(ann.commitment)}\n"
                                "请打印公告，由见证人核对承诺值并签名后，再录入现场随机数。")
        self.status_label.clear()
        self._update_state()

    def _seal_failed(self, exc: BaseException) -> None:
        self.status_label.setText(f"<span style='color:#b00020'>未封存：{error_text(exc)}</span>")
        self._update_state()
        if isinstance(exc, seal_service.OpenAnnouncementError):
            from ui.draw import history_view

            reason = history_view.ask_void_reason(self, exc.label)
            if reason:
                self.seal(replace_open=reason)
            return
        show_error(self, "未封存", error_text(exc))

    def print_seal(self) -> None:
        ann = self.sealed
        if ann is None:
            return
        path = ask_save_path(self, "打印抽取公告", f"抽取公告-{ann.label}.docx", "Word 文档 (*.docx)", ".docx")
        if path is None:
            return
        from reports.draw_docs import current_audit_head
        from reports.seal_docs import write_announcement_docx

        self.ctx.runner.run(self, lambda progress=None, cancelled=None: write_announcement_docx(
            ann.announcement, ann.commitment, path, audit_head=current_audit_head(self.ctx.db)),
            label="正在生成抽取公告……",
            on_success=lambda p: self.status_label.setText(f"抽取公告已保存到 {p}"),
            on_failure=lambda e: show_error(self, "保存失败", error_text(e)))

    # ---- witnesses
    def set_witnesses(self, people: list[tuple[str, str]]) -> None:
        self.witness_table.setRowCount(max(len(people), 1))
        for r, (name, unit) in enumerate(people):
            self.witness_table.setItem(r, 0, QTableWidgetItem(name))
            self.witness_table.setItem(r, 1, QTableWidgetItem(unit))

    def witnesses(self) -> list[str]:
        """"姓名（单位）" for each row with a name."""
        result = []
        for r in range(self.witness_table.rowCount()):
            name = (self.witness_table.item(r, 0).text() if self.witness_table.item(r, 0) else "").strip()
            unit = (self.witness_table.item(r, 1).text() if self.witness_table.item(r, 1) else "").strip()
            if name:
                result.append(f"{name}（{unit}）" if unit else name)
        return result

    def _remove_witness(self) -> None:
        rows = sorted({i.row() for i in self.witness_table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.witness_table.removeRow(r)

    # ---- entropy
    def add_entry(self, kind: str, text: str) -> bool:
        """Add one entry and read it back big; False (with the reason shown) when refused."""
        if self.locked:
            return False
        if self.sealed is None:
            self.status_label.setText("<span style='color:#b00020'>请先封存抽取公告，再录入现场随机数</span>")
            return False
        problem = entry_problem(kind, text)
        if problem:
            self.status_label.setText(f"<span style='color:#b00020'>{problem}</span>")
            return False
        entry = entry_text(kind, text)
        self.entry_list.addItem(entry)
        self.entry_list.setCurrentRow(self.entry_list.count() - 1)
        self.readback_label.setText(entry)
        self.status_label.clear()
        self._update_state()
        return True

    def add_entry_from_form(self) -> None:
        if self.add_entry(self.kind_combo.currentText(), self.entry_edit.text()):
            self.entry_edit.clear()

    def entries(self) -> list[str]:
        return [self.entry_list.item(i).text() for i in range(self.entry_list.count())]

    def _remove_entry(self) -> None:
        row = self.entry_list.currentRow()
        if row >= 0 and not self.locked:
            self.entry_list.takeItem(row)
            self.readback_label.clear()
            self._update_state()

    # ---- lock and start
    def lock(self) -> bool:
        """Fix the entropy list; the whole list is read back for the witnesses to confirm."""
        if not self.entries():
            self.status_label.setText("<span style='color:#b00020'>请至少输入一项现场随机数</span>")
            return False
        self.locked = True
        self.readback_label.setText("\n".join(self.entries()))
        self.status_label.setText("随机数已锁定。请见证人核对后点击“开始抽取（投影）”。")
        self._update_state()
        return True

    def unlock(self) -> None:
        self.locked = False
        self.status_label.clear()
        self._update_state()

    def start(self) -> None:
        """Run the draw (saved and locked in one transaction); the projector only shows it afterwards."""
        task = self.task
        if task is None or not self.locked:
            return
        witnesses = self.witnesses()
        if not witnesses:
            show_error(self, "不能抽取", "请至少填写一名见证人（监督人）的姓名。")
            return
        entropy, place, operator = self.entries(), self.place_edit.text().strip(), self.ctx.actor()
        db, ann = self.ctx.db, self.sealed
        if ann is None:
            return

        def job(progress=None, cancelled=None):
            return ds.draw_sealed(db, ann.year, ann.number, entropy=entropy, witnesses=witnesses, place=place,
                                  operator=operator)

        self.start_button.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.status_label.setText("正在抽取并保存记录……")
        self.ctx.runner.run(self, job, label="正在抽取并保存记录……", on_success=self._done,
                            on_failure=self._failed, cancellable=False, key=("draw-run", id(self)),
                            announce=(Topic.DRAWS,))

    def _done(self, saved) -> None:
        self.status_label.setText(f"记录已保存并锁定，编号 #{saved.id}")
        self.task = None
        self.locked = False
        self._update_state()
        self.drawn.emit(saved)

    def _failed(self, exc: BaseException) -> None:
        # Nothing was saved: the service draws and saves in one transaction.
        self.status_label.setText(f"<span style='color:#b00020'>未抽取，未保存任何记录：{error_text(exc)}</span>")
        self._update_state()
        show_error(self, "抽取未完成", f"{error_text(exc)}\n\n未保存任何抽取记录。")

    def _update_state(self) -> None:
        sealed = self.sealed is not None
        for w in (self.source_edit, self.lottery_check):
            w.setEnabled(not sealed and self.task is not None)
        self.lottery_date.setEnabled(not sealed and self.lottery_check.isChecked())
        self.seal_button.setEnabled(not sealed and self.task is not None and self.ctx.can_write())
        self.print_seal_button.setEnabled(sealed)
        editable = not self.locked and sealed
        for w in (self.kind_combo, self.entry_edit, self.add_entry_button, self.remove_entry_button,
                  self.witness_table, self.add_witness_button, self.remove_witness_button, self.place_edit):
            w.setEnabled(editable)
        self.lock_button.setEnabled(editable and bool(self.entries()) and self.task is not None)
        self.back_button.setEnabled(not self.locked)
        self.unlock_button.setEnabled(self.locked)
        self.start_button.setEnabled(self.locked and self.task is not None and self.ctx.can_write())
        self.back_button.setEnabled(not self.locked)
