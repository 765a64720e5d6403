"""The full-screen projector view of a saved draw: very large type, each pick revealed one by one, then the result
table."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetricsF, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStackedWidget, QTableView,
    QVBoxLayout, QWidget,
)

from ui.draw.common import (
    RESULT_FIELDS, RESULT_HEADERS, VERIFY_HINT, counts_text, entropy_lines, group_hex, item_title, result_rows,
    short_hex, witnesses_text,
)
from ui.draw.projector_pages import TablePager, squeezed
from ui.draw.sequencer import RevealSequencer
from ui.table_model import Column, RowTableModel

BACKGROUND = "#000000"
WHITE = "#ffffff"
YELLOW = "#ffd600"
CYAN = "#8ee6ff"
GREEN = "#7CFC8A"
GREY = "#c8c8c8"
SPIN_GREY = "#9a9a9a"
REFERENCE_HEIGHT = 1080  # point sizes below are for a 1080-line projector and scale with the window

STYLE = f"""
ProjectorView {{ background: {BACKGROUND}; }}
QLabel {{ color: {WHITE}; background: transparent; }}
QPushButton {{ color: {WHITE}; background: #262626; border: 2px solid #5a5a5a; border-radius: 6px;
               padding: 8px 22px; }}
QPushButton:checked {{ background: #4a3f00; border-color: {YELLOW}; }}
QPushButton:disabled {{ color: #777777; }}
QTableView {{ background: {BACKGROUND}; color: {WHITE}; gridline-color: #444444; border: none;
              alternate-background-color: #141414; selection-background-color: #4a3f00; }}
QHeaderView::section {{ background: #1e1e1e; color: {YELLOW}; border: 1px solid #444444; padding: 6px; }}
"""

RESULT_COLUMNS = [Column(title, name) for title, name in zip(RESULT_HEADERS, RESULT_FIELDS)]


def _label(color: str, *, mono: bool = False, wrap: bool = True, center: bool = False) -> QLabel:
    label = QLabel()
    label.setStyleSheet(f"color: {color};")
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if mono:
        label.setProperty("mono", True)
    if center:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class ProjectorView(QWidget):
    """Shows a saved, locked draw to the room; never offers to change a pick.

    ``record`` is the canonical record dict (SavedDraw.record or load_record()); the
    result is already final, the sequencer only decides when each pick is shown.
    """

    save_docx_requested = Signal()
    closed = Signal()

    def __init__(self, record: dict, record_id: int, status: str = "有效", *, instant: bool = False,
                 auto: bool = False, spin_ms: int = 1500, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.record = record
        self.record_id = record_id
        self.setWindowTitle(f"随机抽取（投影） — 记录 #{record_id}")
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.sequencer = RevealSequencer(record, instant=instant, spin_ms=spin_ms, parent=self)
        self._sizes: dict[QWidget, float] = {}
        self._mono: set[QWidget] = set()

        # ---- header: what is drawn, that it is locked, and what anyone needs to re-check it
        self.item_label = _label(YELLOW)
        self.item_label.setText(item_title(record))
        self.counts_label = _label(WHITE)
        self.counts_label.setText(counts_text(record))
        self.locked_label = _label(GREEN, center=False)
        self.locked_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.locked_label.setText(f"记录已保存并锁定，编号 #{record_id}\n状态：{status}")
        fp = record.get("fingerprint", "")
        self.fingerprint_short_label = _label(WHITE, wrap=False)
        self.fingerprint_short_label.setText(f"名单指纹 {short_hex(fp)}")
        self.fingerprint_label = _label(GREY, mono=True)
        self.fingerprint_label.setText(group_hex(fp))
        self.fingerprint_label.setProperty("fingerprint", fp)
        self.witnesses_label = _label(WHITE)
        self.witnesses_label.setText(f"见证人：{witnesses_text(record)}")
        self.entropy_label = _label(WHITE)
        sealed = ""
        if record.get("commitment"):  # SSJ-DRAW-2: the announcement the witnesses signed, beside the entropy
            sealed = (f"抽取公告 {record.get('meta', {}).get('announcement_number', '')}　"
                      f"承诺值 {group_hex(record['commitment'])}\n")
        self._sealed_text = sealed.strip()
        self.entropy_label.setText(sealed + "现场随机数：" + "　｜　".join(entropy_lines(record)))
        self.seed_label = _label(GREY, mono=True)
        self.seed_label.setText(f"随机种子 {group_hex(record.get('seed', ''))}")
        self.verify_label = _label(GREEN)
        self.verify_label.setText(VERIFY_HINT)

        header = QGridLayout()
        header.setHorizontalSpacing(24)
        header.addWidget(self.item_label, 0, 0)
        header.addWidget(self.locked_label, 0, 1, 2, 1)
        header.addWidget(self.counts_label, 1, 0)
        header.addWidget(self.fingerprint_short_label, 2, 0)
        header.addWidget(self.fingerprint_label, 3, 0, 1, 2)
        header.addWidget(self.witnesses_label, 4, 0, 1, 2)
        header.addWidget(self.entropy_label, 5, 0, 1, 2)
        header.setColumnStretch(0, 3)
        header.setColumnStretch(1, 1)

        # ---- the reveal page
        self.progress_label = _label(GREY, center=True)
        self.name_label = _label(YELLOW, center=True)
        self.name_label.setObjectName("pick_name")
        self.detail_label = _label(WHITE, center=True)
        self.inspectors_label = _label(CYAN, center=True)
        self.inspectors_label.setObjectName("pick_inspectors")
        self.recent_label = _label(GREY, center=True)
        reveal = QWidget()
        rl = QVBoxLayout(reveal)
        rl.addStretch(1)
        rl.addWidget(self.progress_label)
        rl.addWidget(self.name_label)
        rl.addWidget(self.detail_label)
        rl.addSpacing(12)
        rl.addWidget(self.inspectors_label)
        rl.addStretch(1)
        rl.addWidget(self.recent_label)

        # ---- the result page
        self.table_model = RowTableModel(RESULT_COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("projector_table")
        self.table.setModel(self.table_model)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        self.table_title = _label(YELLOW)
        self.table_title.setText(f"抽取结果　共 {len(record.get('picks', []))} 个")
        # All picks are shown a page at a time (as many whole rows as the screen holds), never scrolled off.
        self.page_label = _label(YELLOW, wrap=False)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pager = TablePager(self.table, self)
        self.pager.changed.connect(self.page_label.setText)
        table_page = QWidget()
        tl = QVBoxLayout(table_page)
        tl.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.table_title, 1)
        title_row.addWidget(self.page_label)
        tl.addLayout(title_row)
        tl.addWidget(self.table, 1)

        self.pages = QStackedWidget()
        self.pages.addWidget(reveal)
        self.pages.addWidget(table_page)

        # ---- buttons: showing, saving and leaving only — nothing can change a pick here
        self.next_button = QPushButton("下一个（空格）")
        self.auto_button = QPushButton("自动揭晓")
        self.auto_button.setCheckable(True)
        self.all_button = QPushButton("全部显示")
        self.docx_button = QPushButton("保存记录表…")
        self.fullscreen_button = QPushButton("全屏（F11）")
        self.close_button = QPushButton("关闭（Esc）")
        buttons = QHBoxLayout()
        for b in (self.next_button, self.auto_button, self.all_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.docx_button, self.fullscreen_button, self.close_button):
            buttons.addWidget(b)
        for b in (self.next_button, self.auto_button, self.all_button, self.docx_button, self.fullscreen_button,
                  self.close_button):
            # The space bar must reach the view, not press whichever button has focus.
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        # The window is the screen: type shrinks to fit it (_apply_fonts), the window never grows past it.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.seed_label)
        layout.addWidget(self.verify_label)
        layout.addLayout(buttons)

        for widget, size in ((self.item_label, 40), (self.counts_label, 30), (self.locked_label, 24),
                             (self.fingerprint_short_label, 30), (self.fingerprint_label, 20),
                             (self.witnesses_label, 24), (self.entropy_label, 24), (self.seed_label, 20),
                             (self.verify_label, 18), (self.progress_label, 30), (self.name_label, 72),
                             (self.detail_label, 30), (self.inspectors_label, 44), (self.recent_label, 20),
                             (self.table_title, 32), (self.page_label, 32), (self.table, 24)):
            self._sizes[widget] = size
        for b in (self.next_button, self.auto_button, self.all_button, self.docx_button, self.fullscreen_button,
                  self.close_button):
            self._sizes[b] = 18
        self._mono = {self.fingerprint_label, self.seed_label}

        self.next_button.clicked.connect(self.advance)
        self.auto_button.toggled.connect(self.sequencer.set_auto)
        self.all_button.clicked.connect(self.show_all)
        self.docx_button.clicked.connect(self.save_docx_requested)
        self.fullscreen_button.clicked.connect(self.toggle_full_screen)
        self.close_button.clicked.connect(self.close)
        self.sequencer.changed.connect(self._refresh)
        self.sequencer.finished.connect(self._on_finished)
        self._recent: list[str] = []
        self.sequencer.revealed.connect(self._on_revealed)
        self.resize(1280, 800)
        self._apply_fonts()
        self._refresh()
        if auto:
            self.auto_button.setChecked(True)
            if self.sequencer.index < 0:
                self.sequencer.reveal_next()

    # ---- actions
    def advance(self) -> None:
        """Space / 下一个: next pick; after the last one, the result table."""
        if self.sequencer.is_finished and not self.sequencer.is_spinning():
            self.show_table()
        else:
            self.sequencer.reveal_next()

    def show_all(self) -> None:
        self.sequencer.reveal_all()
        self.show_table()

    def show_table(self) -> None:
        if not self.table_model.rows:
            # Units were read out at each reveal; the big table keeps to names so each row stays readable.
            self.table_model.set_rows(result_rows(self.record, units=False))
            self._size_table()
        self.pages.setCurrentIndex(1)
        self.next_button.setEnabled(False)
        self.auto_button.setEnabled(False)
        self.all_button.setEnabled(False)
        self._compact_header()
        QTimer.singleShot(0, self, self.pager.start)  # once the layout has given the table its height
        self.pager.start()

    def _compact_header(self) -> None:
        """With the table up, the header keeps what identifies the record (item, number and status, the
        announcement and its commitment) and leaves the screen to the picks."""
        for w in (self.counts_label, self.fingerprint_label, self.witnesses_label, self.seed_label):
            w.hide()
        if self._sealed_text:
            self.entropy_label.setText(self._sealed_text)
        else:
            self.entropy_label.hide()

    def showing_table(self) -> bool:
        return self.pages.currentIndex() == 1

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # ---- Qt events
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt naming
        key = event.key()
        forward = (Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self.showing_table() and key in (*forward, Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            (self.pager.previous_page if key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp) else self.pager.next_page)()
        elif key in forward:
            self.advance()
        elif key == Qt.Key.Key_Escape:
            self.close()
        elif key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._apply_fonts()
        if self.showing_table():
            QTimer.singleShot(0, self, self.pager.relayout)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.sequencer.stop()
        self.pager.stop()
        self.closed.emit()
        super().closeEvent(event)

    # ---- drawing
    def _scale(self) -> float:
        return max(0.45, self.height() / REFERENCE_HEIGHT)

    def _apply_fonts(self) -> None:
        # Type scales with the screen's height, and shrinks further until everything fits it
        # (a 1024×768 projector cannot hold the 1080-line layout scaled by height alone).
        s = self._scale()
        for _attempt in range(12):
            self._font_scale = s
            self._set_fonts(s)
            if not squeezed(self) or s <= 0.3:
                break
            s *= 0.92

    def _set_fonts(self, s: float) -> None:
        for widget, size in self._sizes.items():
            font = QFont(widget.font())
            if widget in self._mono:
                font.setFamilies(["DejaVu Sans Mono", "Consolas", "Noto Sans Mono", "monospace"])
                font.setStyleHint(QFont.StyleHint.Monospace)
            font.setPointSizeF(size * s)
            font.setBold(widget in (self.item_label, self.name_label, self.table_title))
            widget.setFont(font)
        # The reveal's lines keep their room while names roll (and before the first), so a longer name
        # never pushes the header or the buttons off the screen.
        for label, lines in ((self.progress_label, 1), (self.name_label, 1), (self.detail_label, 1),
                             (self.inspectors_label, 2), (self.recent_label, 1)):
            label.setMinimumHeight(int(QFontMetricsF(label.font()).lineSpacing() * lines) + 4)
        self._size_table()
        self._fit_name()

    def _size_table(self) -> None:
        font = self.table.font()
        fm = QFontMetricsF(font)
        # The style sheet styles header sections, so their size must be set there too.
        self.table.horizontalHeader().setStyleSheet(
            f"QHeaderView::section {{ font-size: {font.pointSizeF():.1f}pt; font-weight: bold; }}")
        pad = fm.horizontalAdvance("M") * 1.5
        fixed = [fm.horizontalAdvance("00000") + pad, fm.horizontalAdvance("91370000MA00000000") + pad,
                 fm.horizontalAdvance("中低风险") + pad]
        rest = max(self.width() - 100 - sum(fixed), 300)
        for col, width in zip(range(4), (fixed[0], rest * 0.5, fixed[1], fixed[2])):
            self.table.setColumnWidth(col, int(width))
        # Long names or joint inspections get two lines rather than an ellipsis; a sample keeps 5,000 rows fast.
        sample = self.table_model.rows[:300]
        widest = max((fm.horizontalAdvance(r[i]) / w for r in sample for i, w in ((1, rest * 0.5), (4, rest * 0.5))),
                     default=0)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setDefaultSectionSize(int(fm.height() * (2.9 if widest > 0.95 else 1.5)))

    def _fit(self, label: QLabel, text: str, lines: int = 1) -> None:
        """Largest type up to the label's scaled size that keeps *text* within *lines* lines; long text shrinks."""
        font = QFont(label.font())
        size = self._sizes[label] * getattr(self, "_font_scale", self._scale())
        available = max(self.width() - 120, 200) * lines * 0.95
        font.setPointSizeF(size)
        while text and size > 16 and QFontMetricsF(font).horizontalAdvance(text) > available:
            size *= 0.92
            font.setPointSizeF(size)
        label.setFont(font)

    def _fit_name(self) -> None:
        self._fit(self.name_label, self.name_label.text())
        self._fit(self.inspectors_label, self.inspectors_label.text(), lines=2)

    def _refresh(self) -> None:
        seq = self.sequencer
        self.progress_label.setText(seq.progress_text() if seq.index >= 0 else
                                    f"共 {seq.total} 个，按空格键或“下一个”开始揭晓")
        colour = SPIN_GREY if seq.is_spinning() else YELLOW
        self.name_label.setStyleSheet(f"color: {colour};")
        self.name_label.setText(seq.current_text())
        self.detail_label.setText(seq.current_detail())
        self.inspectors_label.setText(f"检查人员：{seq.current_inspectors()}" if seq.current_inspectors() else "")
        self._fit_name()

    def _on_revealed(self, index: int) -> None:
        self._recent = (self._recent + [self.sequencer.picks[index]["name"]])[-4:]
        earlier = self._recent[:-1]
        self.recent_label.setText("此前揭晓：" + "　".join(earlier) if earlier else "")

    def _on_finished(self) -> None:
        self.next_button.setText("查看结果表（空格）")
        self.progress_label.setText(f"{self.sequencer.progress_text()}　全部已揭晓")
        if self.sequencer.auto:
            # Leave the last pick on screen for a moment before the table replaces it.
            QTimer.singleShot(2000, self, self.show_table)
