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


# PostgreSQL: with SSJ_TEST_DATABASE_URL set (e.g. from `bash .ci/postgres.sh`), every test that
# takes the `db` fixture runs twice, as test[sqlite] and test[postgresql]; `-k postgresql` picks the
# second. Each PostgreSQL test gets a fresh database copied from a template migrated once per run.
# A test about files (backup copies, lock files, PRAGMA) is marked
# @pytest.mark.sqlite_only("why") and is skipped on PostgreSQL with that reason.
TEST_DATABASE_URL = os.environ.get("SSJ_TEST_DATABASE_URL", "").strip()
ENGINES = ["sqlite", "postgresql"] if TEST_DATABASE_URL else None


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(reason): the test is about SQLite files; skipped on PostgreSQL")


class _PostgresDatabases:
    """Fresh databases on the test server: CREATE DATABASE … TEMPLATE a once-migrated one."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.prefix = f"ssj_t{os.getpid()}"
        self.template: str | None = None
        self.count = 0

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        if self.template is None:
            from models.db import open_database

            name = f"{self.prefix}_template"
            self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self._execute(f"CREATE DATABASE {name}")
            open_database(self.url_of(name)).dispose()
            self.template = name
        self.count += 1
        name = f"{self.prefix}_{self.count}"
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return name

    def drop(self, name: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        if self.template is not None:
            self.drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_databases():
    if not TEST_DATABASE_URL:
        pytest.skip("SSJ_TEST_DATABASE_URL is not set")
    servers = _PostgresDatabases(TEST_DATABASE_URL)
    yield servers
    servers.close()


@pytest.fixture(params=ENGINES)
def db_engine(request) -> str:
    """"sqlite" or "postgresql": the engine the `db` fixture opens for this test."""
    engine = getattr(request, "param", "sqlite")
    marker = request.node.get_closest_marker("sqlite_only")
    if engine == "postgresql" and marker is not None:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else marker.kwargs.get('reason', '')}")
    return engine


@pytest.fixture
def db(request, db_engine, db_path):
    """A freshly migrated database: a temporary SQLite file, or a fresh PostgreSQL database."""
    from models.db import open_database

    if db_engine == "postgresql":
        servers = request.getfixturevalue("postgres_databases")
        name = servers.fresh()
        database = open_database(servers.url_of(name))
        yield database
        database.dispose()
        servers.drop(name)
        return
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def db_target(db) -> str:
    """What a command-line story passes to --db: the `db` fixture's SQLite file, or its PostgreSQL URL.

    Taken from `db`, so a story that builds its world through `db` and then runs commands works on one
    database; with SSJ_TEST_DATABASE_URL set it runs as story[sqlite] and story[postgresql].
    """
    return str(db.path) if db.is_sqlite else db.url


@pytest.fixture
def copy_database(request, db_engine, tmp_path):
    """copy(target, name) -> a second database holding the same data, to damage without touching the first.

    SQLite: the online backup into tmp_path/<name>.sqlite3. PostgreSQL: CREATE DATABASE … TEMPLATE the
    first (no one may be connected to it meanwhile: pass the `db` fixture to have its pool closed first);
    the copies are dropped after the test.
    """
    made: list[str] = []

    def copy(target, name: str, *, db=None) -> str:
        if db_engine != "postgresql":
            import sqlite3

            out = tmp_path / f"{name}.sqlite3"
            source, dest = sqlite3.connect(target), sqlite3.connect(out)
            source.backup(dest)
            source.close()
            dest.close()
            return str(out)
        from sqlalchemy.engine import make_url

        servers = request.getfixturevalue("postgres_databases")
        if db is not None:
            db.dispose()
        copy_name = f"{servers.prefix}_copy_{name}"
        servers.drop(copy_name)
        servers._execute(f"CREATE DATABASE {copy_name} TEMPLATE {make_url(target).database}")
        made.append(copy_name)
        return servers.url_of(copy_name)

    yield copy
    if made:
        servers = request.getfixturevalue("postgres_databases")
        for name in made:
            servers.drop(name)


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
