"""The table of a year's plan items with their parsed rules and what a draw would take against today's roster."""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.plan_service import NO_TYPE, PER_EVENT, UNPARSED, PlanError, delete_item, plan_overview
from ui.context import AppContext, Topic
from ui.table_model import Column
from ui.widgets import RowTableView, confirm, error_message, show_error

RED = "#c00000"
AMBER = "#8a5a00"

WHY = {
    NO_TYPE: "未关联名录库的对象类型：抽取时无从选取检查对象，请在“编辑”的“对象类型”页勾选。",
    UNPARSED: "抽查比例和频次无法自动识别，请在“编辑”的“规则”页手动设置规则。",
    PER_EVENT: "按活动实际执行：没有固定比例，每次活动时确定抽取数量。",
}


class ItemRow(NamedTuple):
    """抽查事项 — one plan item as the table shows it, with what a draw would take today."""

    id: int
    number: str
    item: str
    type_names: tuple[str, ...]
    rule_text: str
    ratio_text: str
    responsible_unit: str
    time_text: str
    roster_count: int
    eligible: int
    draw_size: int | str | None      # "按活动" for a per-event item, None when it cannot be computed
    problems: tuple[str, ...]


def _colour(row: ItemRow) -> str | None:
    if NO_TYPE in row.problems or UNPARSED in row.problems:
        return RED
    return AMBER if PER_EVENT in row.problems else None


def _why(row: ItemRow) -> str | None:
    return "\n".join(WHY.get(p, p) for p in row.problems) or None


def _size(value) -> str:
    return "—" if value is None else str(value)


# The rule and what it takes against today's roster come right after the item, so they are on
# screen at the default window size; the texts as written follow.
ITEM_COLUMNS = [
    Column("编号", "number", color=_colour, tooltip=_why),
    Column("抽查事项", "item", color=_colour, tooltip=lambda r: r.item),
    Column("检查对象类型", "type_names", fmt=lambda v: "、".join(v) or "（未关联）", color=_colour, tooltip=_why),
    Column("规则", "rule_text", color=_colour, tooltip=_why),
    Column("名录数", "roster_count", align_right=True, color=_colour,
           tooltip=lambda r: f"名录库中该类型的对象 {r.roster_count} 个，其中在营 {r.eligible} 个"),
    Column("在营", "eligible", align_right=True, color=_colour,
           tooltip=lambda r: f"在营的 {r.eligible} 个对象参加抽取（停业、注销的不参加）"),
    Column("预计抽取", "draw_size", fmt=_size, align_right=True, color=_colour,
           tooltip=lambda r: f"按规则从在营的 {r.eligible} 个对象中抽取" if isinstance(r.draw_size, int) else _why(r)),
    Column("比例和频次原文", "ratio_text", color=_colour, tooltip=lambda r: r.ratio_text or None),
    Column("责任单位", "responsible_unit", color=_colour),
    Column("检查时间", "time_text", color=_colour),
]
COLUMN_WIDTHS = (50, 240, 140, 160, 60, 50, 70, 200, 90, 110)


def overview_rows(ctx: AppContext, year: int) -> list[ItemRow]:
    with ctx.db.session() as s:
        return [
            ItemRow(r.item_id, r.number, r.item, tuple(r.type_names), r.rule_text, r.ratio_text, r.responsible_unit,
                    r.time_text, r.roster_count, r.eligible,
                    "按活动" if PER_EVENT in r.problems else r.draw_size, tuple(r.problems))
            for r in plan_overview(s, year)
        ]


def _number_key(number: str) -> tuple:
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


class ItemsView(QWidget):
    """The items of one plan; double-click or 编辑 opens the item editor."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year: int | None = None
        self.dialog = None
        self.table = RowTableView(ITEM_COLUMNS, self, widths=COLUMN_WIDTHS)
        self.table.setObjectName("plan_items")
        self.summary = QLabel()
        self.summary.setObjectName("plan_summary")
        self.add_button = QPushButton("新增事项…")
        self.edit_button = QPushButton("编辑…")
        self.delete_button = QPushButton("删除")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self.table.row_activated.connect(lambda row: self.edit_item(row.id))
        self.table.selection_changed.connect(self._update_buttons)
        self.add_button.clicked.connect(lambda: self.edit_item(None))
        self.edit_button.clicked.connect(self._edit_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        self._update_buttons()

    def show_year(self, year: int | None) -> None:
        self.year = year
        self.refresh()

    def refresh(self) -> None:
        rows = sorted(overview_rows(self.ctx, self.year), key=lambda r: _number_key(r.number)) if self.year else []
        self.table.set_rows(rows)
        flagged = sum(1 for r in rows if NO_TYPE in r.problems or UNPARSED in r.problems)
        text = f"共 {len(rows)} 个抽查事项"
        if flagged:
            text += f"，<span style='color:{RED}'>{flagged} 个需要处理（红色行，鼠标悬停查看原因）</span>"
        self.summary.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self.ctx.can_write() and self.year is not None
        selected = self.table.selected_row() is not None
        self.add_button.setEnabled(writable)
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(writable and selected)

    def _edit_selected(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self.edit_item(row.id)

    def edit_item(self, item_id: int | None):
        """Open the editor (window-modal, not blocking); returns the dialog."""
        if self.year is None:
            return None
        from ui.plans.item_dialog import ItemDialog

        self.dialog = ItemDialog(self.ctx, self.year, item_id, self)
        self.dialog.saved.connect(self._after_save)
        self.dialog.open()
        return self.dialog

    def _after_save(self, item_id: int) -> None:
        self.refresh()
        self.table.select_id(item_id)
        self.ctx.notify(Topic.PLANS)
        self.changed.emit()

    def _delete_selected(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        if not confirm(self, "删除抽查事项", f"确定删除编号 {row.number}“{row.item[:30]}”吗？\n删除后无法恢复。"):
            return
        try:
            with self.ctx.db.session() as s:
                delete_item(s, row.id, self.ctx.actor())
        except PlanError as e:
            show_error(self, "无法删除", error_message(e))
            return
        self.refresh()
        self.ctx.notify(Topic.PLANS)
        self.changed.emit()
