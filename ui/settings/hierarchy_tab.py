"""The 实施层级 tab: the bureau's 市局 → 县（区）局 → 派出所 tree with the units and 辖区 names of each level,
edited one level at a time or imported from a table, and the names no level owns yet."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from models.errors import UserError
from models.hierarchy import (
    CITY, COUNTY, LEVEL_NAMES, PARENT_LEVEL, STATION, JurisdictionData, JurisdictionRow, list_hierarchy,
    remove_jurisdiction, save_jurisdiction, split_units, unmapped_names,
)
from ui.context import AppContext, Topic
from ui.widgets import ask_open_xlsx, ask_save_xlsx, confirm, on_notify, show_error, show_info

INTRO = ("实施层级决定“县抽县查”“市抽市查”“市抽县查”的抽查事项从哪些对象中抽取、由哪些单位的人员检查。"
         "每一级列出属于它的检查人员单位（如 五华分局治安大队）和检查对象辖区（如 华山派出所）；"
         "派出所本身的名称即是辖区，不必再列。")


class JurisdictionDialog(QDialog):
    """新增/修改一级: 名称, 层级, 上级, 所属单位和辖区 (one per line or separated by 、)."""

    def __init__(self, rows: list[JurisdictionRow], row: JurisdictionRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("修改实施层级" if row else "新增实施层级")
        self.rows = rows
        self.name = QLineEdit(row.name if row else "")
        self.name.setPlaceholderText("例如：五华分局、华山派出所")
        self.level = QComboBox()
        for level in (CITY, COUNTY, STATION):
            self.level.addItem(LEVEL_NAMES[level], level)
        self.parent_combo = QComboBox()
        self.units = QPlainTextEdit("\n".join(row.units) if row else "")
        self.units.setPlaceholderText("每行一个：属于这一级的检查人员单位或检查对象辖区名称")
        self.units.setMinimumSize(420, 160)
        form = QFormLayout(self)
        form.addRow("名称：", self.name)
        form.addRow("层级：", self.level)
        form.addRow("上级：", self.parent_combo)
        form.addRow("所属单位和辖区：", self.units)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.level.currentIndexChanged.connect(self._fill_parents)
        if row is not None:
            self.level.setCurrentIndex(max(self.level.findData(row.level), 0))
        else:
            self.level.setCurrentIndex(2 if any(r.level == COUNTY for r in rows) else
                                       1 if any(r.level == CITY for r in rows) else 0)
        self._fill_parents()
        if row is not None and row.parent:
            self.parent_combo.setCurrentIndex(max(self.parent_combo.findText(row.parent), 0))

    def _fill_parents(self) -> None:
        want = PARENT_LEVEL.get(self.level.currentData())
        self.parent_combo.clear()
        if want is None:
            self.parent_combo.addItem("（市局没有上级）", "")
        for r in self.rows:
            if r.level == want and r.name != self.name.text().strip():
                self.parent_combo.addItem(r.name, r.name)
        self.parent_combo.setEnabled(want is not None)

    def data(self) -> JurisdictionData:
        return JurisdictionData(self.name.text(), self.level.currentData(), self.parent_combo.currentData() or "",
                                split_units(self.units.toPlainText()))


class HierarchyTab(QWidget):
    COLUMNS = ("名称", "层级", "所属单位和辖区")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[JurisdictionRow] = []
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.setHeaderLabels(self.COLUMNS)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 110)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_level())
        self.add_button = QPushButton("新增…")
        self.add_button.clicked.connect(self.add_level)
        self.edit_button = QPushButton("修改…")
        self.edit_button.clicked.connect(self.edit_level)
        self.remove_button = QPushButton("删除")
        self.remove_button.clicked.connect(self.remove_level)
        self.import_button = QPushButton("导入表格…")
        self.import_button.setToolTip("列为 名称、层级（市/县/所）、上级、所属单位/辖区名称；"
                                      "任何一行有误则整个文件不导入")
        self.import_button.clicked.connect(self.import_table)
        self.export_button = QPushButton("导出表格…")
        self.export_button.clicked.connect(self.export_table)
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        self.unmapped_label = QLabel()
        self.unmapped_label.setWordWrap(True)
        self.unmapped_label.setStyleSheet("color: #8a5a00;")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(actions)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.unmapped_label)
        on_notify(ctx, self, (Topic.SETTINGS, Topic.ROSTER), self.reload)
        self.reload()

    # ---- showing
    def reload(self) -> None:
        with self.ctx.db.read_session() as s:
            self.rows = list_hierarchy(s)
            units, places = unmapped_names(s)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for r in self.rows:
            item = QTreeWidgetItem([r.name, r.level_name, "、".join(r.units)])
            item.setToolTip(2, "\n".join(r.units))
            parent = items.get(r.parent)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[r.name] = item
        self.tree.expandAll()
        lines = []
        if not self.rows:
            lines.append("尚未设置实施层级：实施层级为“县抽县查”“市抽县查”的事项暂按全市统一抽取。")
        if units:
            lines.append(f"未列入实施层级的检查人员单位（{len(units)} 个）：{'、'.join(units[:12])}"
                         + ("……" if len(units) > 12 else ""))
        if places:
            lines.append(f"未列入实施层级的检查对象辖区（{len(places)} 个）：{'、'.join(places[:12])}"
                         + ("……" if len(places) > 12 else ""))
        self.unmapped_label.setText("\n".join(lines))
        self._update_buttons()

    def selected(self) -> JurisdictionRow | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        name = items[0].text(0)
        return next((r for r in self.rows if r.name == name), None)

    def _update_buttons(self) -> None:
        can = self.ctx.can_write()
        chosen = self.selected() is not None
        self.add_button.setEnabled(can)
        self.import_button.setEnabled(can)
        self.edit_button.setEnabled(can and chosen)
        self.remove_button.setEnabled(can and chosen)

    # ---- editing (each through models.hierarchy, as the command line does)
    def _save(self, dialog: JurisdictionDialog) -> None:
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                with self.ctx.db.session() as s:
                    save_jurisdiction(s, dialog.data(), self.ctx.actor())
            except UserError as e:
                show_error(self, "无法保存实施层级", str(e))
                continue
            self.ctx.notify(Topic.SETTINGS)
            return

    def add_level(self) -> None:
        self._save(JurisdictionDialog(self.rows, None, self))

    def edit_level(self) -> None:
        row = self.selected()
        if row is not None and self.ctx.can_write():
            self._save(JurisdictionDialog(self.rows, row, self))

    def remove_level(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not confirm(self, "删除实施层级", f"删除「{row.name}」？其所属单位和辖区将不再属于任何层级。"):
            return
        try:
            with self.ctx.db.session() as s:
                remove_jurisdiction(s, row.name, self.ctx.actor())
        except UserError as e:
            show_error(self, "无法删除", str(e))
            return
        self.ctx.notify(Topic.SETTINGS)

    def import_table(self, path=None) -> None:
        path = path or ask_open_xlsx(self, "导入实施层级")
        if not path:
            return
        from usecases.hierarchy_import import import_hierarchy_file

        db, actor = self.ctx.db, self.ctx.actor()

        def job(progress=None, cancelled=None):
            return import_hierarchy_file(db, path, actor)

        self.ctx.runner.run(self, job, label="正在导入实施层级……", announce=(Topic.SETTINGS,),
                            on_success=lambda saved: show_info(self, "导入实施层级", f"已导入 {len(saved)} 级。"),
                            on_failure=lambda e: show_error(self, "导入未进行", str(e)))

    def export_table(self, path=None) -> None:
        path = path or ask_save_xlsx(self, "导出实施层级", "实施层级.xlsx")
        if not path:
            return
        from reports.hierarchy_table import write_hierarchy_table

        rows = list(self.rows)
        self.ctx.runner.run(self, lambda progress=None, cancelled=None: write_hierarchy_table(rows, path),
                            label="正在导出实施层级……",
                            on_success=lambda p: show_info(self, "导出实施层级", f"已导出：{p}"),
                            on_failure=lambda e: show_error(self, "导出失败", str(e)))
