"""Shared fixtures: every test gets a fresh database file and data folder; no dialog ever blocks."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

try:  # property tests: the same examples on every CI run, no timing-based failures on a loaded machine
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """The per-user data folder points into the test's temporary folder."""
    monkeypatch.setenv("SSJ_DATA_DIR", str(tmp_path / "userdata"))
    yield


@pytest.fixture(autouse=True)
def _quick_password_hashes(request, monkeypatch):
    """scrypt at its real cost (N=2^17, about a second here) only in the stories marked full_cost_hashes."""
    if "full_cost_hashes" not in request.keywords:
        monkeypatch.setattr("models.users.SCRYPT_N", 2 ** 14)
    yield


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path):
    """A freshly migrated database in a temporary file."""
    from models.db import open_database

    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def no_modal_dialogs(monkeypatch):
    """Record message boxes instead of showing them; tests assert on what was said."""
    pytest.importorskip("PySide6")
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def _record(kind, answer):
        def fake(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return answer
        return fake

    monkeypatch.setattr(QMessageBox, "information", _record("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "warning", _record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", _record("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", _record("question", QMessageBox.StandardButton.Yes))
    return shown
