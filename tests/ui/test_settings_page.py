"""An administrator uses 设置: names the bureau, backs up and restores, manages users; a 只读 user can change
nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from sqlalchemy import select

from models import backup, settings, users
from models.roster import ObjectType
from ui.app import build_main_window
from tests.ui.screenshots import save_screenshot



def _shot(widget, name: str) -> None:
    save_screenshot(widget, name)


def _setting(win, key):
    with win.ctx.db.session() as s:
        return settings.get(s, key)


def test_the_bureau_name_typed_on_the_settings_page_lands_in_the_database(window, no_modal_dialogs):
    page = window.show_section("settings")
    tab = page.general
    tab.edits["bureau_name"].setText("平邑县公安局")
    tab.edits["bureau_short"].setText("平公(治)")
    assert tab.examples["notice_number_pattern"].text().startswith("示例：平公(治)限改字〔")
    tab.save_button.click()
    assert _setting(window, "bureau_name") == "平邑县公安局"
    assert _setting(window, "bureau_short") == "平公(治)"
    assert no_modal_dialogs[-1] == ("information", "已保存 2 项设置。")
    _shot(window, "settings_general.png")


def test_a_bad_number_pattern_is_explained_and_not_saved(window, no_modal_dialogs):
    tab = window.show_section("settings").general
    tab.edits["notice_number_pattern"].setText("限改字〔{year}〕")
    assert tab.examples["notice_number_pattern"].text().startswith("⚠")
    tab.save_button.click()
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning" and "整改通知书文号格式" in text
    assert _setting(window, "notice_number_pattern") == "{short}限改字〔{year}〕第{seq:03d}号"


def test_back_up_now_then_restore_the_selected_backup(window, qtbot, no_modal_dialogs):
    page = window.show_section("settings")
    page.show_backups()
    tab = page.backups
    with window.ctx.db.session() as s:
        s.add(ObjectType(name="旅馆"))
    tab.backup_button.click()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "手动"
    with window.ctx.db.session() as s:
        s.add(ObjectType(name="网吧"))
    old_db = window.ctx.db
    tab.table.selectRow(0)
    assert tab.restore_button.isEnabled()
    tab.restore_button.click()
    assert no_modal_dialogs[-2][0] == "question" and "恢复前" in no_modal_dialogs[-2][1]
    assert no_modal_dialogs[-1][0] == "information" and "已从备份恢复" in no_modal_dialogs[-1][1]
    assert window.ctx.db is not old_db, "the app reopened the database"
    with window.ctx.db.session() as s:
        assert s.scalars(select(ObjectType.name)).all() == ["旅馆"]
    assert {tab.table.item(r, 1).text() for r in range(tab.table.rowCount())} == {"手动", "恢复前"}
    _shot(window, "settings_backups.png")


def test_an_administrator_adds_a_user_and_switches_login_on(window, monkeypatch, no_modal_dialogs):
    from ui.settings.users_tab import UserDialog

    page = window.show_section("settings")
    tab = page.users
    page.setCurrentWidget(tab)

    def fill(dialog):
        dialog.username.setText("zhang")
        dialog.display_name.setText("张三")
        dialog.role.setCurrentText("管理员")
        dialog.password.setText("zhang-pass")
        dialog.password2.setText("zhang-pass")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(UserDialog, "exec", fill)
    tab.login.setChecked(True)  # refused: no administrator account yet
    assert no_modal_dialogs[-1][0] == "warning" and "管理员账户" in no_modal_dialogs[-1][1]
    assert not tab.login.isChecked()
    tab.add_button.click()
    assert [a[:3] for a in tab.accounts] == [("zhang", "张三", "管理员")]
    tab.login.setChecked(True)
    assert _setting(window, "login_enabled") is True
    with window.ctx.db.session() as s:
        assert users.authenticate(s, "zhang", "zhang-pass").role == "管理员"
    _shot(window, "settings_users.png")


def test_restore_default_templates_fills_the_template_folder(window, no_modal_dialogs):
    tab = window.show_section("settings").templates
    tab.restore_button.click()
    folder = Path(_setting(window, "template_dir"))
    assert (folder / "责令限期整改治安隐患通知书.docx").exists()
    assert tab.files.count() >= 2
    tab.check_button.click()
    assert "可以使用" in no_modal_dialogs[-1][1]


def test_the_about_tab_names_the_version_database_and_draw_algorithm(window):
    about = window.show_section("settings").about
    assert about.values["软件版本"].text().startswith("0.1.0")
    assert about.values["数据库"].text() == str(window.ctx.db.path)
    assert about.values["抽取算法版本"].text() == "SSJ-DRAW-2"
    assert window.about_action.text() == "关于 双随机 desk"


@pytest.fixture
def read_only_window(qtbot, db_path, no_modal_dialogs):
    win = build_main_window(db_path, user="viewer", role="只读")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ctx.db.dispose()


def test_a_read_only_user_sees_no_enabled_write_buttons(read_only_window):
    win = read_only_window
    page = win.show_section("settings")
    assert not page.general.save_button.isEnabled()
    assert page.general.edits["bureau_name"].isReadOnly()
    assert not page.templates.restore_button.isEnabled()
    assert not page.users.add_button.isEnabled()
    assert not page.users.login.isEnabled()
    page.backups.table.selectRow(0)
    assert not page.backups.restore_button.isEnabled()
    roster = win.show_section("roster")
    assert not roster.objects.add_button.isEnabled()
    assert not roster.objects.import_button.isEnabled()
    # and the services refuse even if a button were reached
    with pytest.raises(Exception, match="只读"):
        with win.ctx.db.session() as s:
            s.add(ObjectType(name="网吧"))
    _shot(win, "settings_readonly.png")


def test_a_damaged_database_at_start_offers_the_backups(db_path, qtbot, monkeypatch, no_modal_dialogs):
    from models.db import open_database
    from ui.app import open_with_recovery
    from ui.settings.recovery import RecoveryDialog

    db = open_database(db_path)
    with db.session() as s:
        s.add(ObjectType(name="旅馆"))
    db.dispose()
    backup.daily_backup_if_due(db_path)
    db_path.write_bytes(b"\x00garbage" * 2048)

    seen = []

    def choose_latest(dialog):
        qtbot.addWidget(dialog)
        seen.append(dialog.list.count())
        seen.append(dialog.findChild(QLabel, "message").text())
        _shot(dialog, "recovery.png")
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", choose_latest)
    reopened = open_with_recovery(db_path)
    assert reopened is not None
    with reopened.session() as s:
        assert s.scalars(select(ObjectType.name)).all() == ["旅馆"]
    reopened.dispose()
    assert seen[0] == 1 and "不是本软件的数据库" in seen[1]
    assert any(b.reason == "恢复前" for b in backup.list_backups(backup.backup_folder(db_path)))


def test_giving_up_on_a_damaged_database_ends_without_a_traceback(db_path, monkeypatch):
    from ui.app import open_with_recovery
    from ui.settings.recovery import RecoveryDialog

    db_path.write_bytes(b"not a database at all" * 100)
    monkeypatch.setattr(RecoveryDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert open_with_recovery(db_path) is None


def test_the_login_dialog_explains_a_wrong_password_and_accepts_the_right_one(qtbot, db):
    from ui.login import LoginDialog

    with db.session() as s:
        users.create_user(s, "admin", "admin-pass", "管理员", actor="setup")
        users.create_user(s, "viewer", "viewer-pass", "只读", actor="admin")
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.username.setText("viewer")
    dialog.password.setText("nope")
    dialog.try_login()
    assert "再错 4 次将锁定账户" in dialog.message.text()
    assert dialog.password.text() == "" and dialog.user is None
    dialog.password.setText("viewer-pass")
    dialog.try_login()
    assert dialog.user == ("viewer", "只读")
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_second_copy_of_the_app_is_told_the_database_is_in_use(db_path, no_modal_dialogs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from models.lock import DatabaseLock
    from ui.app import run_gui

    # It is offered a read-only window (tests/ui/test_read_only_window.py); the clerk declines.
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _title, text, *a, **k: no_modal_dialogs.append(
        ("question", text)) or QMessageBox.StandardButton.No)
    with DatabaseLock(db_path):
        assert run_gui(["--db", str(db_path)]) == 1
    kind, text = no_modal_dialogs[-1]
    assert kind == "question"
    assert text.startswith("数据库正在被另一个程序使用（计算机 ")


def _edited_notice_template(tmp_path, name, old, new):
    """The bundled notice template with one run's text changed, as a clerk would do it in Word."""
    from docx import Document

    from reports.notice_docs import NOTICE_TEMPLATE, default_template_dir

    doc = Document(str(default_template_dir() / NOTICE_TEMPLATE))
    runs = [r for p in doc.paragraphs for r in p.runs if old in r.text]
    assert runs, old
    runs[0].text = runs[0].text.replace(old, new)
    path = tmp_path / name
    doc.save(str(path))
    return path


def test_a_replaced_template_is_checked_and_a_bad_one_keeps_the_last_good(window, tmp_path, monkeypatch,
                                                                          no_modal_dialogs):
    from PySide6.QtWidgets import QFileDialog

    from reports.notice_docs import (
        NOTICE_TEMPLATE, TEMPLATE_CHECKS, find_template, render_notice, sample_notice_context,
    )
    from tests.helpers import docx_text

    page = window.show_section("settings")
    tab = page.templates
    page.setCurrentWidget(tab)
    window.resize(1100, 560)
    names = [tab.files.item(i).text() for i in range(tab.files.count())]
    # Every template the program fills is listed: the notice, the 复查意见书, the 现场检查记录 …
    assert len(names) == len(TEMPLATE_CHECKS) and all("软件自带" in n for n in names)
    assert any(n.startswith("现场检查记录.docx") for n in names)
    tab.files.setCurrentRow(0)
    assert tab.files.currentItem().text().startswith(NOTICE_TEMPLATE)

    chosen = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen[-1]), ""))
    from PySide6.QtWidgets import QInputDialog
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: pytest.fail("the selected template was forgotten"))
    # 1. The clerk deleted the deadline and misspelt the unit: refused, naming both; nothing changes.
    bad = _edited_notice_template(tmp_path, "坏模板.docx", "{{ deadline_text }}", "{{ unit_nmae }}")
    chosen.append(bad)
    tab.replace_button.click()
    kind, text = no_modal_dialogs[-1]
    assert kind == "warning" and "未替换" in text and "deadline_text" in text and "unit_nmae" in text
    assert _setting(window, "template_dir") == ""
    # 2. A good edit (new wording) is accepted into a folder beside the database and used from then on.
    good = _edited_notice_template(tmp_path, "新模板.docx", "整改期间", "在整改期间")
    chosen.append(good)
    tab.replace_button.click()
    assert no_modal_dialogs[-1][0] == "information" and "检查通过" in no_modal_dialogs[-1][1]
    folder = Path(_setting(window, "template_dir"))
    in_use = find_template(NOTICE_TEMPLATE, folder)
    assert in_use == folder / NOTICE_TEMPLATE
    out = render_notice(in_use, sample_notice_context(), tmp_path / "n.docx")
    assert "在整改期间" in docx_text(out)
    assert "自定义模板" in tab.files.item(0).text() and "软件自带" in tab.files.item(1).text()
    _shot(window, "audit5_settings_templates.png")
    # 3. Another bad one later: still refused, and the good template stays in place, unchanged.
    before = (folder / NOTICE_TEMPLATE).read_bytes()
    chosen.append(bad)
    tab.replace_button.click()
    assert "未替换" in no_modal_dialogs[-1][1]
    assert (folder / NOTICE_TEMPLATE).read_bytes() == before
    # 4. A second good one replaces it; the previous good template is kept as .bak.
    chosen.append(_edited_notice_template(tmp_path, "再改.docx", "逾期不整改", "逾期未整改"))
    tab.replace_button.click()
    assert "原模板已另存为" in no_modal_dialogs[-1][1]
    assert [p.read_bytes() for p in folder.glob("*.docx.bak")] == [before]
