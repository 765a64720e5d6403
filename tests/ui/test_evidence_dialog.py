"""Stories on the 证据材料 dialog: a clerk adds the photo and the signed record (thumbnails appear), registers the
执法记录仪 number, opens and saves a checked copy, withdraws a mistaken photo; an oversize file is refused."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from models.evidence import MAX_FILE_BYTES
from tests.models.evidence_fixtures import OTHER_PHOTO, PHOTO, SCAN, clerk_files, inspected_world
from tests.ui import fit
from tests.ui.screenshots import save_screenshot
from ui.context import AppContext
from ui.inspections import evidence_dialog
from ui.inspections.evidence_dialog import EvidenceDialog
from ui.tasks import TaskRunner


@pytest.fixture
def dialog(qtbot, db, tmp_path, no_modal_dialogs):
    world = inspected_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤小王")
    dlg = EvidenceDialog(ctx, world["inspection_id"])
    qtbot.addWidget(dlg)
    dlg.world = world
    dlg.files = clerk_files(tmp_path / "相机")
    yield dlg
    ctx.runner.wait()


def pick_files(monkeypatch, *paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))


def answer(monkeypatch, text: str | None) -> None:
    monkeypatch.setattr(evidence_dialog, "ask_text", lambda *a, **k: text)


def select(dlg, n: int) -> None:
    dlg.list.setCurrentRow(n)
    dlg.list.item(n).setSelected(True)


def test_a_clerk_files_the_photo_and_the_signed_record_and_sees_thumbnails(qtbot, dialog, monkeypatch, tmp_path):
    assert dialog.list.count() == 0 and not dialog.open_button.isEnabled()
    pick_files(monkeypatch, dialog.files["photo"])
    dialog.note.setText("门口")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10000)
    dialog.kind.setCurrentText("签字检查记录")
    pick_files(monkeypatch, dialog.files["scan"])
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=10000)
    answer(monkeypatch, "DSJ-0231 0915-0942")
    qtbot.mouseClick(dialog.footage_button, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 3
    texts = [dialog.list.item(n).text() for n in range(3)]
    assert "[照片]　门口照片.png" in texts[0] and "门口" in texts[0] and "内勤小王" in texts[0]
    assert "[签字检查记录]　现场检查记录扫描.png" in texts[1]
    assert "[执法记录仪]　编号 DSJ-0231 0915-0942" in texts[2] and "只登记编号" in texts[2]
    qtbot.waitUntil(lambda: len(dialog.thumbnails) == 2, timeout=10000)
    assert all(p.width() <= 96 and p.height() <= 72 for p in dialog.thumbnails.values())
    assert dialog.count.text() == "共 3 份（文件 2 个）"

    opened: list[Path] = []
    monkeypatch.setattr(evidence_dialog, "open_with_system", lambda path, parent=None: opened.append(path) or True)
    select(dialog, 1)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].read_bytes() == SCAN
    out = tmp_path / "导出的照片.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    select(dialog, 0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes() == PHOTO
    select(dialog, 2)
    assert not dialog.open_button.isEnabled() and dialog.withdraw_button.isEnabled()

    dialog.resize(dialog.size().boundedTo(dialog.screen().availableSize()))
    dialog.resize(min(dialog.width(), fit.OFFICE_SCREEN[0]), min(dialog.height(), fit.OFFICE_SCREEN[1]))
    dialog.show()
    assert fit.problems(dialog) == []
    save_screenshot(dialog, "evidence_dialog.png")


def test_a_mistaken_photo_is_withdrawn_with_a_reason_and_stays_listed(qtbot, dialog, monkeypatch, tmp_path):
    wrong = tmp_path / "另一家旅馆.png"
    wrong.write_bytes(OTHER_PHOTO)
    dialog.add_paths([wrong])
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10000)
    select(dialog, 0)
    answer(monkeypatch, "拍错了单位")
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert "（已撤回：拍错了单位）" in dialog.list.item(0).text()
    assert not dialog.withdraw_button.isEnabled() and dialog.open_button.isEnabled()
    assert dialog.count.text() == "共 1 份（文件 0 个，已撤回 1 份）"


def test_an_oversize_file_is_refused_with_its_name_and_size_and_nothing_is_added(qtbot, dialog, tmp_path,
                                                                                 no_modal_dialogs):
    big = tmp_path / "全程录像.mp4"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES * 2)
    dialog.add_paths([dialog.files["photo"], big])
    qtbot.waitUntil(lambda: bool(no_modal_dialogs), timeout=10000)
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning" and "“全程录像.mp4”大小为 40 MB" in text and "未添加任何文件" in text
    dialog.refresh()
    assert dialog.list.count() == 0


def test_the_records_tab_opens_the_evidence_of_the_selected_inspection(qtbot, db, monkeypatch, no_modal_dialogs):
    from ui.inspections.records_view import RecordsView

    world = inspected_world(db)
    ctx = AppContext(db=db, runner=TaskRunner(), user="内勤")
    view = RecordsView(ctx)
    qtbot.addWidget(view)
    view.year.setCurrentIndex(view.year.findData(2024))
    view.refresh()
    opened = []
    monkeypatch.setattr(EvidenceDialog, "exec", lambda self: opened.append(self.inspection_id) or 0)
    view.table.select_id(world["picks"][1].pick_id)   # not inspected yet: nothing to file evidence with
    assert not view.evidence_button.isEnabled()
    view.table.select_id(world["picks"][0].pick_id)
    assert view.evidence_button.isEnabled()
    qtbot.mouseClick(view.evidence_button, Qt.MouseButton.LeftButton)
    assert opened == [world["inspection_id"]]
    ctx.runner.wait()
