"""Fixtures the screen stories share: the main window as the app opens it, and an AppContext on the test database."""
from __future__ import annotations

import pytest

from ui.app import build_main_window
from ui.context import AppContext
from ui.tasks import TaskRunner


@pytest.fixture
def window(qtbot, db_path, no_modal_dialogs):
    """The main window on a fresh database file, shown; its background tasks finish before the file is closed."""
    win = build_main_window(db_path)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ctx.runner.wait()
    win.ctx.db.dispose()


@pytest.fixture
def ctx(db, qtbot):
    """What a page needs: the test database, one task runner (drained at the end), a clerk as the user."""
    runner = TaskRunner()
    yield AppContext(db=db, runner=runner, user="clerk")
    runner.wait()
