"""A draw or seal that is saved but whose --record/--docx/--json file cannot be written says so.

The outside test saw a traceback (exit 1) after the draw had committed: a script that retries on
failure would have drawn a second time. Now such a run exits 3, names the saved record or
announcement, and gives the command that exports each missing file again.
"""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from models.db import open_database
from tests.models.draw_fixtures import build_world
from ui.cli import run

WITNESSES = ["--witness", "王监督", "--witness", "李见证", "--entropy", "12 34 56"]
SOURCE = ["--entropy-source", "见证人王监督、李见证在会议室现场报数"]


@pytest.fixture
def world(db_path):
    db = open_database(db_path)
    build_world(db)
    db.dispose()
    return db_path


def _count(db_path, table: str) -> int:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def _saved_not_written(capsys, code: int) -> str:
    err = capsys.readouterr().err
    assert code == 3, err
    assert "Traceback" not in err
    return err


def test_a_sealed_announcement_whose_files_cannot_be_written_is_named_and_exported_again(world, tmp_path, capsys):
    missing = tmp_path / "公示" / "公告.json"
    code = run(["--db", str(world), "seal", "--year", "2024", "--item", "1", *SOURCE,
                "--json", str(missing), "--docx", str(tmp_path)])  # a missing folder, and a folder for a file
    err = _saved_not_written(capsys, code)
    assert "抽取公告已封存（公告编号" in err and "--number 1" in err and "请勿重复封存" in err
    assert f"export-seal --year 2024 --number 1 {missing}" in err
    assert f"export-seal --year 2024 --number 1 {tmp_path}" in err  # the file not yet tried is named too
    assert _count(world, "draw_announcements") == 1

    missing.parent.mkdir()
    assert run(["--db", str(world), "export-seal", "--year", "2024", "--number", "1", str(missing)]) == 0
    docx = tmp_path / "公告.docx"
    assert run(["--db", str(world), "export-seal", "--year", "2024", "--number", "1", str(docx)]) == 0
    con = sqlite3.connect(world)
    commitment = con.execute("SELECT commitment FROM draw_announcements").fetchone()[0]
    con.close()
    assert hashlib.sha256(missing.read_bytes()).hexdigest() == commitment  # the very announcement that was sealed
    from docx import Document

    assert commitment[:8] in "\n".join(c.text for t in Document(docx).tables for r in t.rows for c in r.cells)
    assert _count(world, "draw_announcements") == 1


def test_a_draw_whose_record_cannot_be_written_says_it_was_saved_and_how_to_export_it(world, tmp_path, capsys):
    assert run(["--db", str(world), "seal", "--year", "2024", "--item", "1", *SOURCE]) == 0
    record = tmp_path / "记录.json"
    below_a_file = record / "记录表.docx"
    record.write_text("x")  # a file where a folder is expected
    capsys.readouterr()
    code = run(["--db", str(world), "draw", "--year", "2024", "--seal", "1", *WITNESSES,
                "--record", str(tmp_path / "无此文件夹" / "记录.json"), "--docx", str(below_a_file)])
    err = _saved_not_written(capsys, code)
    assert "抽取已保存（抽取记录编号 1），但文件未能写出" in err and "请勿重复抽取" in err
    assert f"python main.py --db {world} export-draw --record-id 1 " in err
    assert _count(world, "draw_records") == 1

    record.unlink()
    assert run(["--db", str(world), "export-draw", "--record-id", "1", str(record)]) == 0
    assert run(["verify-draw", str(record)]) == 0


def test_the_exit_code_is_documented_and_a_good_run_still_exits_0(world, tmp_path, capsys):
    for command in ("draw", "seal", "redraw", "substitute"):
        with pytest.raises(SystemExit):
            run([command, "--help"])
        assert "3 已保存" in capsys.readouterr().out.replace("\n", "")
    out = tmp_path / "公告.json"
    assert run(["--db", str(world), "seal", "--year", "2024", "--item", "1", *SOURCE, "--json", str(out)]) == 0
    assert out.is_file()


def test_export_seal_refuses_an_unknown_number_or_a_strange_file_type(world, tmp_path, capsys):
    code = run(["--db", str(world), "export-seal", "--year", "2024", "--number", "9", str(tmp_path / "a.json")])
    assert code == 1 and "没有" in capsys.readouterr().err
    code = run(["--db", str(world), "export-seal", "--year", "2024", "--number", "1", str(tmp_path / "a.pdf")])
    assert code == 1 and ".docx" in capsys.readouterr().err


def test_deeply_nested_json_is_refused_naming_the_file(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert run(["verify-draw", str(deep)]) == 1
    err = capsys.readouterr().err
    assert str(deep) in err and "嵌套层数过深" in err and "Traceback" not in err
