"""The dialog to add or edit one 执法检查人员."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from models import roster_service as rs
from ui.context import AppContext
from ui.roster.entry_dialog import EntryDialog

# Offered when the roster has no units yet; the clerk may type any other.
COMMON_UNITS = ("治安大队", "禁毒大队", "网安大队", "出入境管理大队", "交管支队", "派出所",
                "市场监督管理局", "生态环境局", "交通运输局", "网信办", "邮政管理局")


class InspectorDialog(EntryDialog):
    """新增/编辑检查人员; after ``exec()`` returns true, ``inspector_id`` is the saved inspector's id."""

    def __init__(self, ctx: AppContext, inspector_id: int | None = None, parent: QWidget | None = None):
        super().__init__(ctx, inspector_id, parent)
        self.setWindowTitle("编辑检查人员" if inspector_id else "新增检查人员")
        self.setMinimumWidth(420)
        self.name = QLineEdit()
        self.badge_no = QLineEdit()
        self.badge_no.setPlaceholderText("警号或工号，不可重复")
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.cert_no = QLineEdit()
        self.active = QCheckBox("在岗（可被抽取）")
        self.active.setChecked(True)

        with ctx.db.session() as s:
            units = rs.inspector_units(s)
            data = rs.get_inspector(s, inspector_id) if inspector_id else None
            # the version the form shows: saving from it is refused if another seat saved meanwhile
            self.version = rs.inspector_version(s, inspector_id) if inspector_id else None
        self.unit.addItems(sorted(set(units) | set(COMMON_UNITS), key=lambda u: (u not in units, u)))

        form = QFormLayout()
        form.addRow("姓名 *", self.name)
        form.addRow("警号 *", self.badge_no)
        form.addRow("所在单位 *", self.unit)
        form.addRow("执法证号", self.cert_no)
        form.addRow("", self.active)
        self._finish(form)

        if data is not None:
            self._fill(data)
        else:
            self.unit.setCurrentText("")
        for edit in (self.name, self.badge_no):
            edit.textChanged.connect(lambda _t: self._validate())
        self.unit.currentTextChanged.connect(lambda _t: self._validate())
        self._validate()

    @property
    def inspector_id(self) -> int | None:
        return self.entry_id

    def _fill(self, data: rs.InspectorData) -> None:
        self.name.setText(data.name)
        self.badge_no.setText(data.badge_no)
        self.unit.setCurrentText(data.unit)
        self.cert_no.setText(data.cert_no)
        self.active.setChecked(data.active)

    def _reload(self) -> None:
        with self.ctx.db.session() as s:
            data, self.version = rs.get_inspector(s, self.entry_id), rs.inspector_version(s, self.entry_id)
        self._fill(data)

    def _validate(self) -> bool:
        ok = all(w.strip() for w in (self.name.text(), self.badge_no.text(), self.unit.currentText()))
        self.ok_button.setEnabled(ok)
        return ok

    def data(self) -> rs.InspectorData:
        return rs.InspectorData(name=self.name.text().strip(), badge_no=self.badge_no.text().strip(),
                                unit=self.unit.currentText().strip(), cert_no=self.cert_no.text().strip(),
                                active=self.active.isChecked())

    def _store(self, session, data: rs.InspectorData) -> int:
        if self.entry_id:
            rs.update_inspector(session, self.entry_id, data, self.ctx.actor(), expected_version=self.version)
            return self.entry_id
        return rs.add_inspector(session, data, self.ctx.actor())
