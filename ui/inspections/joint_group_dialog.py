"""综合查一次分组: the clerk ticks the plan items checked together and names the group; their draws of one unit are
then grouped automatically (models.joint_service.set_joint_group)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)
from sqlalchemy import select

from models.errors import UserError
from models.joint_service import set_joint_group
from models.plan import Plan, PlanItem
from ui.context import Topic
from ui.widgets import error_label, ok_cancel_buttons


class JointGroupDialog(QDialog):
    def __init__(self, ctx, year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.setWindowTitle(f"综合查一次分组 — {year}年度")
        layout = QVBoxLayout(self)
        hint = QLabel("勾选同一次联合检查的抽查事项并填写分组名称。这些事项抽中同一单位时，"
                      "抽取后自动编为一个联合检查任务（一个检查组、一次检查、一份检查记录）。名称留空则取消所勾选事项的分组。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.items = QListWidget()
        with ctx.db.session() as s:
            rows = s.execute(select(PlanItem.number, PlanItem.item, PlanItem.joint_group)
                             .join(Plan, Plan.id == PlanItem.plan_id).where(Plan.year == year)
                             .order_by(PlanItem.seq, PlanItem.id)).all()
        for number, name, group in rows:
            entry = QListWidgetItem(f"{number}．{name}" + (f"　【{group}】" if group else ""))
            entry.setData(Qt.ItemDataRole.UserRole, number)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            entry.setToolTip(name)
            self.items.addItem(entry)
        layout.addWidget(self.items, 1)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("例如：网安综合查一次")
        form.addRow("分组名称", self.name)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        box = ok_cancel_buttons(self, "保存", self.save)
        box.buttons()[0].setEnabled(ctx.can_write())
        layout.addWidget(box)
        self.resize(640, 520)

    def chosen(self) -> list[str]:
        return [self.items.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.items.count())
                if self.items.item(i).checkState() == Qt.CheckState.Checked]

    def save(self) -> None:
        try:
            with self.ctx.db.session() as s:
                set_joint_group(s, self.year, self.chosen(), self.name.text(), self.ctx.actor())
        except UserError as e:
            self.error.setText(str(e))
            self.error.show()
            return
        self.ctx.notify(Topic.PLANS)
        self.accept()
