"""The dialog to add or edit one 检查对象 (a unit or a person), with its identifier checked as the clerk types."""
from __future__ import annotations

import unicodedata

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from models import credit_code, identifiers
from models import roster_service as rs
from models.roster import (DEFAULT_OBJECT_TYPES, ID_KIND_CREDIT, ID_KIND_NONE, ID_KIND_RESIDENT, ID_KINDS,
                           RISK_LEVELS, STATUSES)
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
        self.id_kind = QComboBox()
        self.id_kind.addItems(ID_KINDS)
        self.id_kind.setObjectName("id_kind")
        self.id_country = QLineEdit()
        self.id_country.setMaxLength(identifiers.COUNTRY_MAX)
        self.id_country.setPlaceholderText("护照、其他证件必填，如 美国、中国香港")
        self.no_id_reason = QLineEdit()
        self.no_id_reason.setPlaceholderText("如：流动摊贩，未办理营业执照")
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
        self.form = form
        form.addRow("单位名称 *", self.name)
        form.addRow("证件类型", self.id_kind)
        form.addRow("统一社会信用代码 *", self.code)
        form.addRow("国籍/签发国 *", self.id_country)
        form.addRow("无证件原因 *", self.no_id_reason)
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
        self._kind_changed()
        self.id_kind.currentTextChanged.connect(lambda _t: (self._kind_changed(), self._validate()))
        self.id_country.textChanged.connect(lambda _t: self._validate())
        self.no_id_reason.textChanged.connect(lambda _t: self._validate())
        self.code.textEdited.connect(self._code_edited)
        self.code.textChanged.connect(lambda _t: self._validate())
        self.name.textChanged.connect(lambda _t: self._validate())
        self.type_name.currentTextChanged.connect(lambda _t: self._validate())
        self._validate()

    @property
    def object_id(self) -> int | None:
        return self.entry_id

    def _kind_changed(self) -> None:
        """Labels and rows for the chosen 证件类型: a country for travel documents, a reason for 无."""
        kind = self.id_kind.currentText()
        person = kind != ID_KIND_CREDIT
        self.form.labelForField(self.name).setText("名称/姓名 *" if person else "单位名称 *")
        self.form.setRowVisible(self.code, kind != ID_KIND_NONE)
        self.form.labelForField(self.code).setText("证件号码 *" if person else "统一社会信用代码 *")
        self.form.setRowVisible(self.id_country, kind in identifiers.TRAVEL_KINDS)
        self.form.setRowVisible(self.no_id_reason, kind == ID_KIND_NONE)
        self.code.setPlaceholderText({ID_KIND_CREDIT: "18位，如 91370323MA3C12345X",
                                      ID_KIND_RESIDENT: "18位（或旧式15位），如 11010519491231002X"}.get(
                                          kind, "5至20位字母或数字"))

    def _fill(self, d: rs.ObjectData) -> None:
        self.name.setText(d.name)
        self.id_kind.setCurrentText(d.id_kind)
        self.id_country.setText(d.id_country)
        self.no_id_reason.setText(d.no_id_reason)
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
        kind = self.id_kind.currentText()
        title = identifiers.number_title(kind)
        code = identifiers.normalise_number(kind, self.code.text()) if kind != ID_KIND_NONE else ""
        found = identifiers.problems(kind, code, self.id_country.text().strip(), self.no_id_reason.text().strip())
        fields = {"credit_code": title, "id_country": "国籍/签发国", "no_id_reason": "无证件原因",
                  "id_kind": "证件类型"}
        if not code and kind != ID_KIND_NONE and not self.code.isModified():
            found = []   # the number not typed yet: nothing to say, 确定 stays off
            ok_code = False
        else:
            ok_code = not found
        problem = "；".join(f"{fields[f]}：{m}" for f, m in found)
        if ok_code:
            self.code_message.setStyleSheet(GREEN)
            self.code_message.setText({ID_KIND_CREDIT: "✓ 校验位正确", ID_KIND_RESIDENT: "✓ 校验位正确",
                                       ID_KIND_NONE: "✓ 无证件，已写明原因"}.get(kind, "✓ 证件号码格式正确"))
        else:
            self.code_message.setStyleSheet(RED)
            self.code_message.setText(problem)
        ok = ok_code and bool(self.name.text().strip()) and bool(self.type_name.currentText().strip())
        self.ok_button.setEnabled(ok)
        return ok

    def data(self) -> rs.ObjectData:
        return rs.ObjectData(
            name=self.name.text().strip(),
            credit_code="" if self.id_kind.currentText() == ID_KIND_NONE else credit_code.normalise(self.code.text()),
            type_name=self.type_name.currentText().strip(),
            address=self.address.text().strip(),
            jurisdiction=self.jurisdiction.currentText().strip(),
            legal_rep=self.legal_rep.text().strip(),
            phone=self.phone.text().strip(),
            licence_no=self.licence_no.text().strip(),
            risk_level=self.risk.currentText(),
            status=self.status.currentText(),
            id_kind=self.id_kind.currentText(),
            id_country=self.id_country.text().strip() if self.id_kind.currentText() in identifiers.TRAVEL_KINDS else "",
            no_id_reason=self.no_id_reason.text().strip() if self.id_kind.currentText() == ID_KIND_NONE else "",
        )

    def _store(self, session, data: rs.ObjectData) -> int:
        if self.entry_id:
            rs.update_object(session, self.entry_id, data, self.ctx.actor(), expected_version=self.version)
            return self.entry_id
        return rs.add_object(session, data, self.ctx.actor())
