"""A clerk pipes a command into `head`: the command ends quietly instead of printing a traceback."""
from __future__ import annotations

import os
import sys

from ui.cli import run


def test_a_closed_pipe_ends_the_command_quietly(db_path, monkeypatch, capsys):
    assert run(["--db", str(db_path), "demo"]) == 0
    capsys.readouterr()
    read_end, write_end = os.pipe()
    os.close(read_end)  # what `| head -1` has done by the time the command writes on
    with os.fdopen(write_end, "w", encoding="utf-8") as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        code = run(["--db", str(db_path), "show-plan", "--year", "2022", "--json"])
        monkeypatch.undo()
    assert code == 0
    assert "Traceback" not in capsys.readouterr().err
