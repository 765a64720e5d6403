"""回避 pairs: the tab listing all of them, one side's list, and the dialog that adds a pair."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from models import roster_service as rs
from ui.context import AppContext, Topic
from ui.table_model import Column
from ui.widgets import (
    RowTableView, SearchEdit, confirm, error_label, error_message, ok_cancel_buttons, on_notify, show_error,
)

# Rows are rs.RecusalRow.
RECUSAL_COLUMNS = [
    Column("检查人员", "inspector_name"), Column("警号", "badge_no"), Column("单位", "unit"),
    Column("检查对象", "object_name", tooltip=lambda r: r.object_name), Column("信用代码", "credit_code"),
    Column("回避原因", "reason", tooltip=lambda r: r.reason or None),
]
RECUSAL_WIDTHS = (90, 100, 140, 270, 170, 200)
PICK_LIMIT = 300   # the picker is for finding one entry, not for browsing 100,000


class RecusalsView(QWidget):
    """The 回避关系 tab: every pair, with 新增 and 删除."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.count_label = QLabel()
        self.add_button = QPushButton("新增回避关系…")
        self.remove_button = QPushButton("删除")
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.table = RowTableView(RECUSAL_COLUMNS, widths=RECUSAL_WIDTHS)
        self.table.setObjectName("recusals_table")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add_pair)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.selection_changed.connect(self._update_buttons)
        on_notify(ctx, self, Topic.ROSTER, self.refresh)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            rows = rs.list_recusals(s)
        self.table.set_rows(rows)
        self.count_label.setText(f"共 {len(rows)} 对回避关系")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.ctx.can_write())
        self.remove_button.setEnabled(self.ctx.can_write() and bool(self.table.selected_rows()))

    def add_pair(self) -> None:
        self.add_dialog = AddRecusalDialog(self.ctx, parent=self)
        if self.add_dialog.exec():
            self.ctx.notify(Topic.ROSTER)

    def remove_selected(self) -> None:
        if remove_recusals(self.ctx, self, self.table.selected_rows()):
            self.ctx.notify(Topic.ROSTER)


def remove_recusals(ctx: AppContext, parent: QWidget, rows: list[rs.RecusalRow]) -> bool:
    """Ask, then delete the chosen pairs; true when something was deleted."""
    if not rows:
        return False
    if len(rows) == 1:
        (r,) = rows
        text = f"确定删除 {r.inspector_name}（{r.badge_no}）与 {r.object_name} 的回避关系吗？"
    else:
        text = f"确定删除选中的 {len(rows)} 对回避关系吗？"
    if not confirm(parent, "删除回避关系", text + "\n删除后二者可能被同时抽中。"):
        return False
    try:
        with ctx.db.session() as s:
            for r in rows:
                rs.remove_recusal(s, r.id, ctx.actor())
    except ValueError as e:
        show_error(parent, "无法删除回避关系", error_message(e))
        return False
    return True


class RecusalsDialog(QDialog):
    """The pairs of one inspector or one object, opened from that side's 回避关系… button."""

    def __init__(self, ctx: AppContext, *, inspector_id: int | None = None, object_id: int | None = None,
                 title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        assert (inspector_id is None) != (object_id is None), "exactly one side"
        self.ctx = ctx
        self.inspector_id = inspector_id
        self.object_id = object_id
        self.setWindowTitle(f"回避关系 — {title}")
        self.resize(820, 420)
        self.table = RowTableView(RECUSAL_COLUMNS, widths=RECUSAL_WIDTHS)
        # The fixed side is in the title already, so hide its columns.
        hidden = (0, 1, 2) if inspector_id is not None else (3, 4)
        for col in hidden:
            self.table.setColumnHidden(col, True)
        self.add_button = QPushButton("新增…")
        self.remove_button = QPushButton("删除")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        side = "该检查人员须回避的检查对象：" if inspector_id is not None else "须回避该检查对象的检查人员："
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(side))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_pair)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.selection_changed.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            rows = rs.list_recusals(s, inspector_id=self.inspector_id, object_id=self.object_id)
        self.table.set_rows(rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.ctx.can_write())
        self.remove_button.setEnabled(self.ctx.can_write() and bool(self.table.selected_rows()))

    def add_pair(self) -> None:
        self.add_dialog = AddRecusalDialog(self.ctx, inspector_id=self.inspector_id,
                                           object_id=self.object_id, parent=self)
        if self.add_dialog.exec():
            self.refresh()
            self.ctx.notify(Topic.ROSTER)

    def remove_selected(self) -> None:
        if remove_recusals(self.ctx, self, self.table.selected_rows()):
            self.refresh()
            self.ctx.notify(Topic.ROSTER)


class Picker(QWidget):
    """Find one object or inspector by typing; ``selected_id()`` is the chosen one's id."""

    changed = Signal()

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        if kind == "object":
            self.search = SearchEdit("输入单位名称或统一社会信用代码")
            columns = [Column("单位名称", "name"), Column("统一社会信用代码", "credit_code"),
                       Column("类型", "type_name"), Column("辖区", "jurisdiction")]
            widths = (220, 170, 100, 100)
        else:
            self.search = SearchEdit("输入姓名、警号或执法证号")
            columns = [Column("姓名", "name"), Column("警号", "badge_no"), Column("所在单位", "unit")]
            widths = (100, 100, 180)
        self.table = RowTableView(columns, widths=widths)
        self.table.setSelectionMode(RowTableView.SelectionMode.SingleSelection)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.search.search_changed.connect(lambda _t: self.reload())
        self.table.selection_changed.connect(self.changed.emit)
        self.reload()

    def reload(self) -> None:
        text = self.search.text().strip()
        with self.ctx.db.session() as s:
            if self.kind == "object":
                rows = rs.list_objects(s, rs.ObjectFilter(text=text))
            else:
                rows = rs.list_inspectors(s, rs.InspectorFilter(text=text))
        shown = rows[:PICK_LIMIT]
        self.table.set_rows(shown, keep_id=False)
        if len(rows) > PICK_LIMIT:
            self.hint.setText(f"找到 {len(rows):,} 条，仅显示前 {PICK_LIMIT} 条，请输入更多文字缩小范围")
        else:
            self.hint.setText(f"找到 {len(rows)} 条" if rows else "没有找到，请换个搜索词")
        if len(shown) == 1:
            self.table.selectRow(0)
        self.changed.emit()

    def selected_id(self) -> int | None:
        row = self.table.selected_row()
        return None if row is None else row.id


class AddRecusalDialog(QDialog):
    """Adds one 回避 pair; a side given by id is fixed, the other is picked with a search box."""

    def __init__(self, ctx: AppContext, *, inspector_id: int | None = None, object_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.inspector_id = inspector_id
        self.object_id = object_id
        self.recusal_id: int | None = None
        self.setWindowTitle("新增回避关系")
        self.resize(720, 560)
        form = QFormLayout()
        self.inspector_picker = self.object_picker = None
        with ctx.db.session() as s:
            if inspector_id is not None:
                d = rs.get_inspector(s, inspector_id)
                form.addRow("检查人员", QLabel(f"{d.name}（{d.badge_no}，{d.unit}）"))
            if object_id is not None:
                o = rs.get_object(s, object_id)
                form.addRow("检查对象", QLabel(f"{o.name}（{o.credit_code}）"))
        if inspector_id is None:
            self.inspector_picker = Picker(ctx, "inspector")
            self.inspector_picker.changed.connect(self._validate)
            form.addRow("检查人员 *", self.inspector_picker)
        if object_id is None:
            self.object_picker = Picker(ctx, "object")
            self.object_picker.changed.connect(self._validate)
            form.addRow("检查对象 *", self.object_picker)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("如：近亲属任法定代表人、曾在该单位任职、有经济往来")
        self.reason.textChanged.connect(lambda _t: self._validate())
        form.addRow("回避原因 *", self.reason)
        self.error = error_label()
        self.buttons = ok_cancel_buttons(self, on_ok=self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._validate()

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def chosen(self) -> tuple[int | None, int | None]:
        inspector = self.inspector_id if self.inspector_picker is None else self.inspector_picker.selected_id()
        obj = self.object_id if self.object_picker is None else self.object_picker.selected_id()
        return inspector, obj

    def _validate(self) -> bool:
        inspector, obj = self.chosen()
        ok = inspector is not None and obj is not None and bool(self.reason.text().strip())
        self.ok_button.setEnabled(ok)
        return ok

    def save(self) -> None:
        if not self._validate():
            return
        inspector, obj = self.chosen()
        try:
            with self.ctx.db.session() as s:
                new_id = rs.add_recusal(s, inspector, obj, self.reason.text().strip(), self.ctx.actor())
        except ValueError as e:   # e.g. the pair exists already
            self.error.setText(error_message(e))
            self.error.show()
            return
        self.recusal_id = new_id
        self.accept()
