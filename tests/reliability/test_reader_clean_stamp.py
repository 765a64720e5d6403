"""A clerk's quick look (show-settings, stats …) skips the checks on a file unchanged since they passed — and
damage still says 已损坏 at the next look, because writing the damage changed the file.

Issue 17: the integrity and schema checks were most of a light command's time on a 100,000-object file.
"""
from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import select

from models import clean_checks
from models import db as db_module
from models import db_checks
from models.db import DatabaseError, open_database
from models.lock import open_for_reading
from models.roster import ObjectType
from tests.reliability.damage import flip_random_bytes, index_named_in_bytes_that_are_not_text
from ui.cli import run

DAMAGED = "已损坏，请从备份恢复"


@pytest.fixture
def office(db_path, monkeypatch):
    """A database with two object types, settled (a stamp needs times older than the check: no wait here)."""
    db = open_database(db_path)
    with db.session() as s:
        s.add_all([ObjectType(name="旅馆"), ObjectType(name="网吧")])
    db.dispose()
    monkeypatch.setattr(clean_checks, "SETTLE_SECONDS", 0.0)
    time.sleep(0.05)  # past the file system's timestamp tick
    return db_path


@pytest.fixture
def checks(monkeypatch):
    """How many times the file's integrity check ran."""
    ran = []
    real = db_checks.check_is_our_database

    def counted(path, **kw):
        ran.append(path)
        return real(path, **kw)

    monkeypatch.setattr(db_checks, "check_is_our_database", counted)
    return ran


def _show_settings(path, capsys) -> tuple[int, str]:
    code = run(["--db", str(path), "show-settings"])
    return code, capsys.readouterr().err


def test_a_second_look_at_an_unchanged_file_skips_the_checks_and_damage_is_still_refused(office, checks, capsys):
    assert _show_settings(office, capsys) == (0, "")
    assert len(checks) == 1
    assert _show_settings(office, capsys) == (0, "")
    assert len(checks) == 1  # the file is as it was when the check passed

    index_named_in_bytes_that_are_not_text(office)  # damage quick_check would miss; writing it changed the file
    code, err = _show_settings(office, capsys)
    assert code == 1 and DAMAGED in err
    assert len(checks) == 2


def test_bytes_flipped_with_the_old_times_put_back_are_found(office, checks, capsys):
    assert _show_settings(office, capsys)[0] == 0
    before = os.stat(office)
    time.sleep(0.05)
    flip_random_bytes(office, seed=7, count=64)
    os.utime(office, ns=(before.st_atime_ns, before.st_mtime_ns))  # a careful editor restores mtime; ctime moves
    code, err = _show_settings(office, capsys)
    assert code == 1 and DAMAGED in err
    assert len(checks) == 2


def test_a_file_written_just_before_its_check_is_not_trusted(office, checks, capsys, monkeypatch):
    monkeypatch.setattr(clean_checks, "SETTLE_SECONDS", 3600.0)  # every write counts as "just now"
    assert _show_settings(office, capsys)[0] == 0
    assert _show_settings(office, capsys)[0] == 0
    assert len(checks) == 2
    assert not (clean_checks._stamps_path()).exists()


def test_a_writing_command_and_the_read_only_window_always_check(office, checks, capsys):
    assert _show_settings(office, capsys)[0] == 0
    open_for_reading(office).dispose()  # the app's 只读 window
    assert len(checks) == 2
    db = open_database(office)  # a writer's start
    with db.session() as s:
        assert sorted(s.scalars(select(ObjectType.name))) == ["旅馆", "网吧"]
    db.dispose()
    assert len(checks) == 3


def test_a_stamp_under_another_schema_revision_is_not_trusted(office, checks, capsys, monkeypatch):
    assert _show_settings(office, capsys)[0] == 0
    stamp = clean_checks.file_stamp(office)
    assert clean_checks.is_clean(office, stamp, db_module.head_from_scripts())
    assert not clean_checks.is_clean(office, stamp, "0001")


def test_an_unwritable_data_folder_only_means_checking_every_time(office, checks, capsys, monkeypatch, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    monkeypatch.setenv("SSJ_DATA_DIR", str(blocker / "sub"))
    assert _show_settings(office, capsys)[0] == 0
    assert _show_settings(office, capsys)[0] == 0
    assert len(checks) == 2


def test_open_database_refuses_damage_whatever_a_reader_noted(office, capsys):
    assert _show_settings(office, capsys)[0] == 0
    index_named_in_bytes_that_are_not_text(office)
    with pytest.raises(DatabaseError, match=DAMAGED):
        open_database(office)
