"""新增/修改日常巡查任务: the fields of one duty, or the seed's sentence read into them (识别)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget,
)

from models import duties as ds
from models.duties import DutyData
from models.errors import UserError
from models.roster import DEFAULT_OBJECT_TYPES
from models.roster_service import object_type_names
from models.supervision import DUTY_PERIODS
from ui.context import AppContext
from ui.roster.entry_dialog import EntryDialog
from ui.widgets import error_message


def _label(d: DutyData) -> str:
    return ds.duty_label(d.type_name, d.period, d.times, d.share_percent)


class DutyDialog(EntryDialog):
    """Add (``duty_id`` None) or edit one duty; a sentence stating several duties (印章、典当业…) adds them all."""

    def __init__(self, ctx: AppContext, duty_id: int | None = None, parent: QWidget | None = None):
        super().__init__(ctx, duty_id, parent)
        self.setWindowTitle("修改日常巡查任务" if duty_id else "新增日常巡查任务")
        self.setMinimumWidth(620)
        self.several: list[DutyData] = []     # a sentence that states more than one duty (add only)

        self.sentence = QLineEdit()
        self.sentence.setPlaceholderText("例如：旅馆业要求每月对辖区所有旅馆进行1次监督检查")
        self.read_button = QPushButton("识别")
        self.read_button.setToolTip("按原文填写下面各项（例如“印章、典当业每季度不少于1次”会产生两项任务）")
        self.read_button.clicked.connect(self.read_sentence)
        self.type_name = QComboBox()
        self.type_name.setEditable(True)
        self.type_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("留空：由对象所在辖区的派出所负责")
        self.period = QComboBox()
        self.period.addItems(list(DUTY_PERIODS))
        self.times = QSpinBox()
        self.times.setRange(1, ds.MAX_TIMES)
        self.times.setSuffix(" 次")
        self.share = QSpinBox()
        self.share.setRange(1, 100)
        self.share.setValue(100)
        self.share.setSuffix(" %")
        self.share.setToolTip("每期至少检查的对象比例；100% 为全部对象")
        self.basis = QLineEdit()
        self.basis.setPlaceholderText("制度原文或上级下达的指标")
        self.note = QLabel()
        self.note.setWordWrap(True)

        with ctx.db.session() as s:
            types = object_type_names(s)
            row = ds.get_duty(s, duty_id) if duty_id else None
        self.version = row.version if row else None
        self.type_name.addItems(types or list(DEFAULT_OBJECT_TYPES))

        sentence_row = QHBoxLayout()
        sentence_row.addWidget(self.sentence, 1)
        sentence_row.addWidget(self.read_button)
        form = QFormLayout()
        form.addRow("巡查要求原文", sentence_row)
        form.addRow("", self.note)
        form.addRow("对象类型 *", self.type_name)
        form.addRow("频次 *", self.period)
        form.addRow("每期检查次数", self.times)
        form.addRow("检查对象比例", self.share)
        form.addRow("责任单位", self.unit)
        form.addRow("依据", self.basis)
        self._finish(form)
        if row is not None:
            self._fill(DutyData(row.type_name, row.period, row.times, row.share_percent, row.unit, row.basis))
        else:
            self.type_name.setCurrentText("")
        self.sentence.textEdited.connect(lambda _t: self._single())
        self.type_name.currentTextChanged.connect(lambda _t: self._validate())
        self._validate()

    @property
    def duty_id(self) -> int | None:
        return self.entry_id

    def _fill(self, d: DutyData) -> None:
        self.type_name.setCurrentText(d.type_name)
        self.period.setCurrentText(d.period)
        self.times.setValue(d.times)
        self.share.setValue(d.share_percent)
        self.unit.setText(d.unit)
        self.basis.setText(d.basis)

    def _fields_enabled(self, on: bool) -> None:
        for w in (self.type_name, self.period, self.times, self.share):
            w.setEnabled(on)

    def _single(self) -> None:
        """The sentence was edited: what it stated before no longer holds."""
        if self.several:
            self.several = []
            self._fields_enabled(True)
            self.note.clear()
        self._validate()

    def read_sentence(self) -> None:
        text = self.sentence.text().strip()
        try:
            with self.ctx.db.session() as s:
                found = ds.duties_from_sentence(s, text)
        except UserError as e:
            self.note.setStyleSheet("color: #b00000;")
            self.note.setText(error_message(e))
            return
        self.note.setStyleSheet("")
        self._fill(found[0])
        if len(found) == 1:
            self.several = []
            self._fields_enabled(True)
            self.note.setText(f"已识别：{_label(found[0])}")
        elif self.duty_id is None:
            self.several = found
            self._fields_enabled(False)
            self.note.setText(f"原文包含 {len(found)} 项任务，确定后全部新增："
                              + "；".join(_label(d) for d in found))
        else:
            self.note.setStyleSheet("color: #b00000;")
            self.note.setText(f"原文包含 {len(found)} 项任务，修改时只能对应一项；请只写本任务的要求")
        self._validate()

    def _validate(self) -> bool:
        ok = bool(self.several) or bool(self.type_name.currentText().strip())
        self.ok_button.setEnabled(ok and self.ctx.can_write())
        return ok

    def data(self) -> DutyData:
        return DutyData(type_name=self.type_name.currentText().strip(), period=self.period.currentText(),
                        times=self.times.value(), share_percent=self.share.value(), unit=self.unit.text().strip(),
                        basis=self.basis.text().strip())

    def _store(self, session, data: DutyData) -> int:
        if self.duty_id is not None:
            ds.update_duty(session, self.duty_id, data, self.ctx.actor(), self.version)
            return self.duty_id
        if self.several:
            ids = []
            for d in self.several:
                d.unit, d.basis = data.unit, data.basis
                ids.append(ds.add_duty(session, d, self.ctx.actor()))
            return ids[0]
        return ds.add_duty(session, data, self.ctx.actor())

    def _reload(self) -> None:
        with self.ctx.db.session() as s:
            row = ds.get_duty(s, self.duty_id)
        self.version = row.version
        self._fill(DutyData(row.type_name, row.period, row.times, row.share_percent, row.unit, row.basis))
