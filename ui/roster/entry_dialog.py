"""What the add/edit dialogs of a 检查对象 and a 执法检查人员 share: the error line, 确定/取消 and saving."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from models.errors import ConcurrentEdit, UserError
from ui.context import AppContext
from ui.widgets import error_label, error_message, ok_cancel_buttons


class EntryDialog(QDialog):
    """Add (``entry_id`` None) or edit one roster entry; after ``exec()`` returns true, ``entry_id`` is the saved id.

    A subclass builds its form and passes it to ``_finish``, and supplies ``_validate``, ``data``
    and ``_store`` (add or update through the roster service).
    """

    def __init__(self, ctx: AppContext, entry_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.entry_id = entry_id

    def _finish(self, form: QFormLayout) -> None:
        """Lay out *form* with the error line and the buttons under it."""
        self.error = error_label()
        self.buttons = ok_cancel_buttons(self, on_ok=self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _validate(self) -> bool:
        """Enable 确定 only when the required fields are filled in correctly."""
        raise NotImplementedError

    def data(self):
        raise NotImplementedError

    def _store(self, session, data) -> int:
        """Add the entry, or update the one being edited; return its id."""
        raise NotImplementedError

    def _reload(self) -> None:
        """Fill the form again with the entry as it is stored now (another seat saved it meanwhile)."""
        raise NotImplementedError

    def save(self) -> None:
        if not self._validate():
            return
        data = self.data()
        try:
            with self.ctx.db.session() as s:
                saved_id = self._store(s, data)
        except ConcurrentEdit as e:  # another seat saved it since the form was filled: show theirs, not ours
            self._reload()
            self.error.setText(error_message(e) + "\n窗口中已重新载入最新内容，请核对后重新修改并保存。")
            self.error.show()
            return
        except (ValueError, UserError) as e:  # RosterError, DatabaseBusy …: the input stays for the clerk
            self.error.setText(error_message(e))
            self.error.show()
            return
        self.entry_id = saved_id
        self.accept()
