"""配合部门: the departments with the names plans call them by, and the year's wordings that match none.

The clerk links an unmatched wording (市邮政管理部门) to a unit on the inspector roster once; the plan import
and the draw then match it (models/departments.py, the same service as `link-department`).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from models.departments import link_department, list_departments, unmatched_wordings
from models.errors import UserError
from ui.context import AppContext, Topic
from ui.widgets import error_message, show_error

HEADERS = ("部门（名录中的单位）", "类别", "在岗检查人员", "别名（计划中的写法）")


class DepartmentsDialog(QDialog):
    """List departments and aliases; link a plan's unmatched 配合部门 wording to a unit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, year: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.setWindowTitle("配合部门")
        self.resize(900, 640)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.unmatched = QListWidget()
        self.unmatched.setMaximumHeight(130)
        self.unmatched_label = QLabel()
        self.unmatched_label.setWordWrap(True)
        self.wording_combo = QComboBox()
        self.wording_combo.setEditable(True)
        self.wording_combo.setMinimumWidth(260)
        self.wording_combo.lineEdit().setPlaceholderText("计划中写的部门名称，如：市邮政管理部门")
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(260)
        self.link_button = QPushButton("关联")
        self.link_button.setEnabled(ctx.can_write())
        self.link_button.setToolTip("" if ctx.can_write() else "当前用户为只读角色，不能修改")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        link_box = QGroupBox("关联计划中的名称（关联一次，以后导入和抽取都按此匹配）")
        form = QFormLayout(link_box)
        form.addRow("计划中的名称", self.wording_combo)
        row = QHBoxLayout()
        row.addWidget(self.unit_combo, 1)
        row.addWidget(self.link_button)
        form.addRow("关联到", row)
        form.addRow("", self.result_label)
        unmatched_box = QGroupBox("本年度计划中尚未匹配的配合部门")
        inner = QVBoxLayout(unmatched_box)
        inner.addWidget(self.unmatched_label)
        inner.addWidget(self.unmatched)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("部门即检查人员名录中的单位；部门联合抽查按计划中的配合部门名称匹配到部门，"
                                "再从该部门的在岗检查人员中抽取。"))
        layout.addWidget(self.table, 1)
        layout.addWidget(unmatched_box)
        layout.addWidget(link_box)
        layout.addWidget(buttons)

        self.unmatched.currentItemChanged.connect(self._wording_chosen)
        self.link_button.clicked.connect(self.link)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.db.read_session() as s:
            found = list_departments(s)
            gaps = unmatched_wordings(s, self.year) if self.year else []
        self.table.setRowCount(len(found))
        for r, d in enumerate(found):
            for c, text in enumerate((d.name, d.kind, f"{d.officers} 人", "、".join(d.aliases))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.unmatched.clear()
        for g in gaps:
            item = QListWidgetItem(f"{g.wording}　（事项 {'、'.join(g.items)}）")
            item.setData(256, g.wording)  # Qt.UserRole
            self.unmatched.addItem(item)
        year = f"{self.year} 年度" if self.year else "所选年度"
        self.unmatched_label.setText(
            f"{year}计划的配合部门均已匹配。" if not gaps else
            f"{year}计划中有 {len(gaps)} 个配合部门名称找不到对应单位；抽取这些事项前请关联，或写明缺员原因。")
        keep_unit = self.unit_combo.currentText()
        self.unit_combo.clear()
        self.unit_combo.addItems([d.name for d in found])
        if keep_unit:
            self.unit_combo.setCurrentText(keep_unit)
        keep = self.wording_combo.currentText()
        self.wording_combo.clear()
        self.wording_combo.addItems([g.wording for g in gaps])
        self.wording_combo.setCurrentText(keep if keep and keep not in {d.name for d in found} else
                                          (gaps[0].wording if gaps else ""))

    def _wording_chosen(self, current: QListWidgetItem | None, _previous=None) -> None:
        if current is not None:
            self.wording_combo.setCurrentText(current.data(256))

    def link(self) -> bool:
        wording, unit = self.wording_combo.currentText(), self.unit_combo.currentText()
        try:
            with self.ctx.db.session() as s:
                dept = link_department(s, wording, unit, self.ctx.actor())
                name = dept.name
        except UserError as exc:
            show_error(self, "关联配合部门", error_message(exc))
            return False
        self.result_label.setText(f"已关联：“{' '.join(wording.split())}”即“{name}”。")
        self.wording_combo.setCurrentText("")
        self.ctx.notify(Topic.PLANS)
        self.refresh()
        return True
