"""A notice document appears at its final name only after its number is committed, kills or not.

The outside test killed `notice --all-pending` 29 times: once a finished 第004号….docx sat at its
target while the transaction rolled back, and the next run gave 004 to the same unit again.
Hidden .part files were left behind. Each story kills a real process at one exact moment.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from models.db import open_database
from models.inspection import RectificationNotice
from tests.helpers import docx_text
from tests.reliability.office import office_with_pending_notices
from ui.cli import run

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _run_killed(db_path: Path, out: Path, patch: str) -> int:
    """Run `notice --all-pending` in a child that kills itself at the moment *patch* sets up."""
    code = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        import usecases.notice_issue as ni
        def die(*a, **k):
            os.kill(os.getpid(), signal.SIGKILL)
        {patch}
        from ui.cli import run
        sys.exit(run(["--db", {str(db_path)!r}, "notice", "--all-pending", "--out-dir", {str(out)!r},
                      "--issue-date", "2024-05-07"]))
    """)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).returncode


def _numbers(db_path: Path) -> list[str]:
    db = open_database(db_path)
    try:
        with db.session() as s:
            return list(s.scalars(select(RectificationNotice.doc_number).order_by(RectificationNotice.seq)))
    finally:
        db.dispose()


def _docs(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.suffix == ".docx")


def _parts(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.endswith(".part"))


def test_killed_after_rendering_but_before_the_commit_leaves_no_document_under_a_final_name(db_path, tmp_path):
    office_with_pending_notices(db_path, pending=2)
    out = tmp_path / "通知书"
    # the document of 001 is rendered (staged), then the process dies before the row is completed
    code = _run_killed(db_path, out, "ni.finish_issue = die")
    assert code == -signal.SIGKILL
    assert _numbers(db_path) == []
    assert _docs(out) == []          # no finished document with a number the database never recorded
    assert len(_parts(out)) == 1     # only the hidden staging file

    assert run(["--db", str(db_path), "notice", "--all-pending", "--out-dir", str(out),
                "--issue-date", "2024-05-07"]) == 0
    assert _numbers(db_path) == ["X公(治)限改字〔2024〕第001号", "X公(治)限改字〔2024〕第002号"]
    assert len(_docs(out)) == 2 and _parts(out) == []


def test_killed_between_the_commit_and_the_move_the_next_run_writes_the_missing_document(db_path, tmp_path, capsys):
    office_with_pending_notices(db_path, pending=2)
    out = tmp_path / "通知书"
    code = _run_killed(db_path, out, "ni.publish = die")
    assert code == -signal.SIGKILL
    assert _numbers(db_path) == ["X公(治)限改字〔2024〕第001号"]   # committed
    assert _docs(out) == [] and len(_parts(out)) == 1

    assert run(["--db", str(db_path), "notice", "--all-pending", "--out-dir", str(out),
                "--issue-date", "2024-05-07"]) == 0
    assert "补写上次中断时未写出的 1 份（X公(治)限改字〔2024〕第001号）" in capsys.readouterr().out
    assert _numbers(db_path) == ["X公(治)限改字〔2024〕第001号", "X公(治)限改字〔2024〕第002号"]
    docs = _docs(out)
    assert len(docs) == 2 and _parts(out) == []
    first = next(d for d in docs if "第001号" in d)
    assert "X公(治)限改字〔2024〕第001号" in docx_text(out / first)


def test_a_document_that_cannot_reach_its_name_is_reported_as_registered(db_path, tmp_path, capsys):
    world = office_with_pending_notices(db_path, pending=1)
    out = tmp_path / "通知书"
    db = open_database(db_path)
    from datetime import date

    from models.notice_service import NoticeError
    from models.notice_service import safe_filename
    from usecases.notice_issue import issue_notice

    with db.session() as s:
        from models.inspection import Inspection

        unit = s.get(Inspection, world["inspections"][0]).inspected_object.name
    # a folder sits where the document should go: the move fails after the commit
    (out / safe_filename("X公(治)限改字〔2024〕第001号", unit)).mkdir(parents=True)
    with pytest.raises(NoticeError, match="已登记（文号已占用），但文件无法保存到"):
        issue_notice(db, world["inspections"][0], deadline=date(2024, 6, 7), issue_date=date(2024, 5, 7),
                     actor="内勤", out_dir=out)
    db.dispose()
    assert _numbers(db_path) == ["X公(治)限改字〔2024〕第001号"] and _parts(out) == []
