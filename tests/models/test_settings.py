"""An administrator sets the bureau's name and document-number patterns; every change is validated and audited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import settings
from models.admin import AuditEntry, Setting
from models.db import PermissionDenied


def test_defaults_come_from_the_declarations(db):
    with db.session() as s:
        values = settings.all_settings(s)
    assert values["bureau_name"] == ""
    assert values["login_enabled"] is False
    assert values["notice_number_pattern"] == "{short}限改字〔{year}〕第{seq:03d}号"
    assert list(values) == [d.key for d in settings.SETTINGS]


def test_a_change_is_stored_and_audited_with_the_actor(db):
    with db.session() as s:
        settings.set(s, "bureau_name", "  平邑县公安局 ", actor="张科长")
        settings.set(s, "bureau_short", "平公(治)", actor="张科长")
    with db.session() as s:
        assert settings.get(s, "bureau_name") == "平邑县公安局"
        assert s.get(Setting, "bureau_name").value == "平邑县公安局"
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "修改设置")).all()
        assert [e.entity_id for e in entries] == ["bureau_name", "bureau_short"]
        assert all(e.user == "张科长" for e in entries)
        assert settings.doc_number(s, "notice", 2024, 12) == "平公(治)限改字〔2024〕第012号"
        assert settings.doc_number(s, "review", 2024, 3) == "平公(治)复查字〔2024〕第003号"


def test_a_bad_number_pattern_is_refused_in_chinese(db):
    with db.session() as s, pytest.raises(settings.SettingError, match="整改通知书文号格式.*序号"):
        settings.set(s, "notice_number_pattern", "限改字〔{year}〕", actor="a")
    with db.session() as s:
        assert settings.get(s, "notice_number_pattern") == "{short}限改字〔{year}〕第{seq:03d}号"


def test_booleans_accept_chinese_words_and_unknown_keys_are_named(db):
    assert settings.coerce("first_run_done", "是") is True
    assert settings.coerce("first_run_done", "否") is False
    with pytest.raises(settings.SettingError, match="只能是"):
        settings.coerce("first_run_done", "也许")
    with db.session() as s, pytest.raises(settings.SettingError, match="没有名为“colour”的设置项"):
        settings.get(s, "colour")


def test_login_cannot_be_switched_on_without_an_administrator_account(db):
    from models.users import create_user

    with db.session() as s, pytest.raises(settings.SettingError, match="管理员账户"):
        settings.set(s, "login_enabled", True, actor="a")
    with db.session() as s:
        create_user(s, "admin", "secret123", "管理员", actor="a")
        settings.set(s, "login_enabled", True, actor="a")
    with db.session() as s:
        assert settings.get(s, "login_enabled") is True


def test_a_clerk_may_not_change_settings(db):
    db.role = "录入员"
    with db.session() as s, pytest.raises(PermissionDenied, match="管理员"):
        settings.set(s, "bureau_name", "某局", actor="b")
    # marking the welcome as shown is not an administrator's matter
    with db.session() as s:
        settings.set(s, "first_run_done", True, actor="b")


def test_first_run_is_needed_only_on_an_empty_unnamed_database(db):
    with db.session() as s:
        assert settings.needs_first_run(s)
        settings.set(s, "bureau_name", "某县公安局", actor="a")
    with db.session() as s:
        assert not settings.needs_first_run(s)


def test_the_chosen_database_file_is_remembered_outside_the_database(tmp_path):
    from models.paths import default_db_path

    assert settings.configured_db_path() == default_db_path()
    settings.set_configured_db_path(tmp_path / "shared" / "office.sqlite3")
    assert settings.configured_db_path() == (tmp_path / "shared" / "office.sqlite3").resolve()
    settings.set_configured_db_path(None)
    assert settings.configured_db_path() == default_db_path()
