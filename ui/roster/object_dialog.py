"""The dialog to add or edit one 检查对象, with the credit code checked as the clerk types."""
from __future__ import annotations

import unicodedata

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from models import credit_code
from models import roster_service as rs
from models.roster import DEFAULT_OBJECT_TYPES, RISK_LEVELS, STATUSES
from ui.context import AppContext
from ui.roster.entry_dialog import EntryDialog

RED = "color: #b00000;"
GREEN = "color: #1a7f37;"


class ObjectDialog(EntryDialog):
    """新增/编辑检查对象; after ``exec()`` returns true, ``object_id`` is the saved object's id."""

    def __init__(self, ctx: AppContext, object_id: int | None = None, parent: QWidget | None = None):
        super().__init__(ctx, object_id, parent)
        self.setWindowTitle("编辑检查对象" if object_id else "新增检查对象")
        self.setMinimumWidth(520)

        self.name = QLineEdit()
        self.code = QLineEdit()
        self.code.setMaxLength(40)   # longer than 18 so a pasted code with spaces still fits
        self.code.setPlaceholderText("18位，如 91370323MA3C12345X")
        self.code_message = QLabel()
        self.code_message.setObjectName("code_message")
        self.code_message.setWordWrap(True)
        self.type_name = QComboBox()
        self.type_name.setEditable(True)
        self.type_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.address = QLineEdit()
        self.jurisdiction = QComboBox()
        self.jurisdiction.setEditable(True)
        self.jurisdiction.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.legal_rep = QLineEdit()
        self.phone = QLineEdit()
        self.licence_no = QLineEdit()
        self.risk = QComboBox()
        self.risk.addItems(RISK_LEVELS)
        self.status = QComboBox()
        self.status.addItems(STATUSES)

        with ctx.db.session() as s:
            types = rs.object_type_names(s)
            places = rs.jurisdictions(s)
            data = rs.get_object(s, object_id) if object_id else None
            # the version the form shows: saving from it is refused if another seat saved meanwhile
            self.version = rs.object_version(s, object_id) if object_id else None
        self.type_name.addItems(types or list(DEFAULT_OBJECT_TYPES))
        self.jurisdiction.addItems([""] + places)

        form = QFormLayout()
        form.addRow("单位名称 *", self.name)
        form.addRow("统一社会信用代码 *", self.code)
        form.addRow("", self.code_message)
        form.addRow("类型 *", self.type_name)
        form.addRow("地址", self.address)
        form.addRow("辖区", self.jurisdiction)
        form.addRow("法定代表人", self.legal_rep)
        form.addRow("联系电话", self.phone)
        form.addRow("许可证号", self.licence_no)
        form.addRow("风险等级", self.risk)
        form.addRow("状态", self.status)
        self._finish(form)

        if data is not None:
            self._fill(data)
        else:
            self.type_name.setCurrentText("")
        self.code.textEdited.connect(self._code_edited)
        self.code.textChanged.connect(lambda _t: self._validate())
        self.name.textChanged.connect(lambda _t: self._validate())
        self.type_name.currentTextChanged.connect(lambda _t: self._validate())
        self._validate()

    @property
    def object_id(self) -> int | None:
        return self.entry_id

    def _fill(self, d: rs.ObjectData) -> None:
        self.name.setText(d.name)
        self.code.setText(d.credit_code)
        self.type_name.setCurrentText(d.type_name)
        self.address.setText(d.address)
        self.jurisdiction.setCurrentText(d.jurisdiction)
        self.legal_rep.setText(d.legal_rep)
        self.phone.setText(d.phone)
        self.licence_no.setText(d.licence_no)
        self.risk.setCurrentText(d.risk_level)
        self.status.setCurrentText(d.status)

    def _reload(self) -> None:
        with self.ctx.db.session() as s:
            data, self.version = rs.get_object(s, self.entry_id), rs.object_version(s, self.entry_id)
        self._fill(data)

    def _code_edited(self, text: str) -> None:
        # Show the code as it will be stored (full-width → half-width, upper case) while typing;
        # surrounding spaces are only dropped on save so the cursor does not jump.
        shown = unicodedata.normalize("NFKC", text).upper()
        if shown != text:
            pos = self.code.cursorPosition()
            self.code.setText(shown)
            self.code.setCursorPosition(min(pos, len(shown)))

    def _validate(self) -> bool:
        code = credit_code.normalise(self.code.text())
        if not code:
            problem = "请填写统一社会信用代码" if self.code.isModified() else ""
            ok_code = False
        else:
            problem = credit_code.validate(code) or ""
            ok_code = not problem
        if ok_code:
            self.code_message.setStyleSheet(GREEN)
            self.code_message.setText("✓ 校验位正确")
        else:
            self.code_message.setStyleSheet(RED)
            self.code_message.setText(f"统一社会信用代码：{problem}" if problem else "")
        ok = ok_code and bool(self.name.text().strip()) and bool(self.type_name.currentText().strip())
        self.ok_button.setEnabled(ok)
        return ok

    def data(self) -> rs.ObjectData:
        return rs.ObjectData(
            name=self.name.text().strip(),
            credit_code=credit_code.normalise(self.code.text()),
            type_name=self.type_name.currentText().strip(),
            address=self.address.text().strip(),
            jurisdiction=self.jurisdiction.currentText().strip(),
            legal_rep=self.legal_rep.text().strip(),
            phone=self.phone.text().strip(),
            licence_no=self.licence_no.text().strip(),
            risk_level=self.risk.currentText(),
            status=self.status.currentText(),
        )

    def _store(self, session, data: rs.ObjectData) -> int:
        if self.entry_id:
            rs.update_object(session, self.entry_id, data, self.ctx.actor(), expected_version=self.version)
            return self.entry_id
        return rs.add_object(session, data, self.ctx.actor())
