"""The 活动登记 tab: the registered events a per-event item (大型群众性活动, 焰火晚会 …) is drawn over, with
登记 / 修改 / 停用 / 导入 / 导入模板, and the dialog that registers or edits one event."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from models import event_service as es
from ui.context import AppContext, Topic
from ui.table_model import Column
from ui.widgets import (
    RowTableView, ask_open_xlsx, ask_save_xlsx, confirm, error_label, error_message, ok_cancel_buttons, on_notify,
    show_error, show_info,
)

# Rows are es.EventRow.
EVENT_COLUMNS = [
    Column("编号", "id"), Column("日期", "dates"), Column("活动名称", "name", tooltip=lambda r: r.name),
    Column("举办单位", "organiser_name", tooltip=lambda r: f"{r.organiser_name}（{r.organiser_code or '无证件'}）"),
    Column("地点", "place", tooltip=lambda r: r.place or None),
    Column("规模（人）", "scale", fmt=lambda v: "" if v is None else str(v), align_right=True),
    Column("审批文号", "approval_no"),
    Column("状态", "status"),
]
EVENT_WIDTHS = (50, 150, 220, 220, 160, 80, 170, 70)
ALL_YEARS = "全部年度"


class EventsView(QWidget):
    """Every registered event of a year, newest plan year first; writes go through models.event_service."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = QComboBox()
        self.year.setObjectName("events_year")
        this = date.today().year
        self.year.addItems([str(y) for y in range(this + 1, this - 6, -1)] + [ALL_YEARS])
        self.year.setCurrentText(str(this))
        self.show_stopped = QCheckBox("含已停用")
        self.add_button = QPushButton("登记活动…")
        self.edit_button = QPushButton("修改…")
        self.stop_button = QPushButton("停用")
        self.import_button = QPushButton("从 Excel 导入…")
        self.template_button = QPushButton("下载导入模板…")
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year)
        top.addWidget(self.show_stopped)
        for b in (self.add_button, self.edit_button, self.stop_button, self.import_button, self.template_button):
            top.addWidget(b)
        top.addStretch(1)
        top.addWidget(self.count_label)
        self.table = RowTableView(EVENT_COLUMNS, widths=EVENT_WIDTHS)
        self.table.setObjectName("events_table")
        hint = QLabel("抽查比例为“按大型群众性活动实际执行”等的事项，抽取时从本期登记的活动中抽取（全部或按比例），"
                      "每场活动抽取检查人员；举办单位须在检查对象名录中。")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        self.year.currentTextChanged.connect(lambda _t: self.refresh())
        self.show_stopped.toggled.connect(lambda _b: self.refresh())
        self.add_button.clicked.connect(self.add_event)
        self.edit_button.clicked.connect(self.edit_selected)
        self.stop_button.clicked.connect(self.toggle_selected)
        self.import_button.clicked.connect(self.import_file)
        self.template_button.clicked.connect(self.save_template)
        self.table.row_activated.connect(lambda _r: self.edit_selected())
        self.table.selection_changed.connect(self._update_buttons)
        on_notify(ctx, self, (Topic.ROSTER, Topic.DRAWS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self.year.currentText()
        year = None if text == ALL_YEARS else int(text)
        with self.ctx.db.read_session() as s:
            rows = es.list_events(s, year=year, include_inactive=self.show_stopped.isChecked())
        self.table.set_rows(rows)
        self.count_label.setText(f"共 {len(rows)} 场活动")
        self._update_buttons()

    def _selected(self) -> es.EventRow | None:
        rows = self.table.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def _update_buttons(self) -> None:
        writes = self.ctx.can_write()
        row = self._selected()
        for b in (self.add_button, self.import_button):
            b.setEnabled(writes)
        self.edit_button.setEnabled(writes and row is not None)
        self.stop_button.setEnabled(writes and row is not None)
        self.stop_button.setText("启用" if row is not None and not row.active else "停用")

    def add_event(self) -> None:
        self.dialog = EventDialog(self.ctx, parent=self)
        if self.dialog.exec():
            self.ctx.notify(Topic.ROSTER)

    def edit_selected(self) -> None:
        row = self._selected()
        if row is None or not self.ctx.can_write():
            return
        self.dialog = EventDialog(self.ctx, row, parent=self)
        if self.dialog.exec():
            self.ctx.notify(Topic.ROSTER)

    def toggle_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        if row.active and not confirm(self, "停用活动", f"确定停用「{row.name}」（{row.dates}）吗？"
                                                     "停用的活动不再参加抽取，登记保留。"):
            return
        try:
            with self.ctx.db.session() as s:
                es.set_event_active(s, row.id, not row.active, self.ctx.user)
        except Exception as e:  # noqa: BLE001 - shown to the clerk
            show_error(self, "无法保存", error_message(e))
            return
        self.ctx.notify(Topic.ROSTER)

    def import_file(self) -> None:
        path = ask_open_xlsx(self, "选择活动登记表")
        if path is not None:
            self.start_import(path)

    def start_import(self, path):
        """Check every row, then register all of them on the task runner (nothing when any row is wrong)."""
        from usecases.event_import import import_event_file

        db, user = self.ctx.db, self.ctx.user

        def job(progress, cancelled):
            return import_event_file(db, path, user)

        return self.ctx.runner.run(
            self, job, label=f"正在导入 {path.name} ……", cancellable=False, announce=[Topic.ROSTER],
            on_success=lambda ids: show_info(self, "导入完成", f"已登记 {len(ids)} 场活动（{path.name}）。"),
            on_failure=lambda e: show_error(self, "导入未进行", error_message(e)))

    def save_template(self) -> None:
        path = ask_save_xlsx(self, "保存活动登记导入模板", "活动登记导入模板.xlsx")
        if path is None:
            return
        from reports.event_sheet import write_event_template

        self.ctx.runner.run(self, lambda progress, cancelled: write_event_template(path), label="正在生成导入模板……",
                            cancellable=False,
                            on_success=lambda _r: show_info(self, "模板已保存", f"导入模板已保存到：\n{path}"),
                            on_failure=lambda e: show_error(self, "无法保存模板", error_message(e)))


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class EventDialog(QDialog):
    """登记活动 / 修改活动: every field checked by the service; a refusal says which field, in red."""

    def __init__(self, ctx: AppContext, row: es.EventRow | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.setWindowTitle("修改活动" if row else "登记活动")
        self.name = QLineEdit(row.name if row else "")
        self.organiser = QLineEdit((row.organiser_code or row.organiser_name) if row else "")
        self.organiser.setPlaceholderText("检查对象名录中的单位名称或统一社会信用代码")
        self.place = QLineEdit(row.place if row else "")
        today = date.today()
        self.date_from = QDateEdit(_qdate(row.date_from if row else today))
        self.date_to = QDateEdit(_qdate(row.date_to if row else today))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.scale = QLineEdit("" if row is None or row.scale is None else str(row.scale))
        self.scale.setPlaceholderText("预计人数，可不填")
        self.approval = QLineEdit(row.approval_no if row else "")
        self.note = QLineEdit(row.note if row else "")
        form = QFormLayout()
        for label, w in (("活动名称", self.name), ("举办单位", self.organiser), ("地点", self.place),
                         ("开始日期", self.date_from), ("结束日期", self.date_to), ("规模（人）", self.scale),
                         ("审批文号", self.approval), ("备注", self.note)):
            form.addRow(label, w)
        if row is not None and row.drawn:
            form.addRow(QLabel("本活动已被抽取：只能修改规模和备注。"))
        self.date_from.dateChanged.connect(self._keep_order)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, "保存", self.save))
        self.setMinimumWidth(480)

    def _keep_order(self, value: QDate) -> None:
        """A one-day event by default: the end follows the start unless it already lies a little after it."""
        if self.date_to.date() < value or value.daysTo(self.date_to.date()) > 31:
            self.date_to.setDate(value)

    def data(self) -> es.EventData:
        return es.EventData(name=self.name.text(), organiser=self.organiser.text(),
                            date_from=_pydate(self.date_from.date()), date_to=_pydate(self.date_to.date()),
                            place=self.place.text(), scale=self.scale.text(), approval_no=self.approval.text(),
                            note=self.note.text())

    def save(self) -> None:
        try:
            with self.ctx.db.session() as s:
                if self.row is None:
                    es.add_event(s, self.data(), self.ctx.user)
                else:
                    es.update_event(s, self.row.id, self.data(), self.ctx.user, expected_version=self.row.version)
        except Exception as e:  # noqa: BLE001 - every refusal is shown to the clerk
            self.error.setText(error_message(e))
            self.error.show()
            return
        self.accept()
