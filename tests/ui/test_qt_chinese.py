"""A clerk never meets Qt's English: standard buttons, message boxes and file dialogs speak Chinese."""
from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton, QDialogButtonBox, QFileDialog, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
)

from ui.app import ensure_app

Std = QDialogButtonBox.StandardButton
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _english(texts) -> list[str]:
    # "(&Y)" style accelerators and file patterns such as "(*)" are not English words.
    return [t for t in texts if LATIN_WORD.search(re.sub(r"\(&[A-Z]\)|\(\*[^)]*\)", "", t))]


def test_every_standard_button_is_chinese(qtbot):
    ensure_app()
    buttons = (Std.Ok | Std.Cancel | Std.Yes | Std.No | Std.Save | Std.Open | Std.Close | Std.Discard
               | Std.Apply | Std.Reset | Std.RestoreDefaults | Std.Help | Std.SaveAll | Std.YesToAll
               | Std.NoToAll | Std.Abort | Std.Retry | Std.Ignore)
    box = QDialogButtonBox(buttons)
    qtbot.addWidget(box)
    texts = [b.text() for b in box.buttons()]
    assert len(texts) == 18
    assert _english(texts) == []
    assert box.button(Std.Ok).text() == "确定" and box.button(Std.Cancel).text() == "取消"
    assert box.button(Std.Yes).text() == "是(&Y)" and box.button(Std.No).text() == "否(&N)"


def test_a_question_box_asks_with_chinese_buttons(qtbot):
    ensure_app()
    box = QMessageBox(QMessageBox.Icon.Question, "作废通知书", "确定作废吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("详细原因")
    qtbot.addWidget(box)
    box.show()
    texts = [b.text() for b in box.findChildren(QAbstractButton) if b.isVisible()]
    assert texts and _english(texts) == [], texts


def test_the_file_dialog_is_chinese(qtbot):
    ensure_app()
    dialog = QFileDialog(None, "导出", "", "Excel 工作簿 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)   # the native one speaks the OS language
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()]
    buttons = [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisible() and b.text()]
    assert "查找范围(&L)：" in labels and any(t.startswith("文件名") for t in labels)
    assert _english(labels + buttons) == [], labels + buttons


def test_the_edit_menu_of_a_text_box_is_chinese(qtbot):
    ensure_app()
    for widget in (QLineEdit(), QPlainTextEdit()):
        qtbot.addWidget(widget)
        menu = widget.createStandardContextMenu()
        texts = [a.text() for a in menu.actions() if a.text()]
        assert "复制(&C)" in texts[0:8] or any(t.startswith("复制") for t in texts), texts
        assert _english([t.split("\t")[0] for t in texts]) == [], texts
