"""Command-line stories: draw before witnesses, publish the record, and let anyone re-check it without the database."""
from __future__ import annotations

import hashlib
import json

import pytest
from docx import Document
from sqlalchemy import func, select

from models.db import open_database
from models.draw import DrawRecord
from tests.models.draw_fixtures import build_world, code
from tests.tamper import scalar, tamper
from ui.cli import run
from ui.cli.context import CliContext

DRAW = ["--witness", "王监督", "--witness", "李见证", "--entropy", "12 34 56", "--entropy", "骰子 3 5 6"]
SOURCE = ["--entropy-source", "见证人王监督、李见证在会议室现场报数和掷骰子"]


@pytest.fixture
def world(db, db_target):
    build_world(db)
    return db_target


def _run(db_path, *argv) -> int:
    return run(["--db", str(db_path), *argv])


def _seal_and_draw(db_path, *draw_args, item="1", seal_args=()) -> int:
    """Seal the next announcement of 2024 for *item*, then draw against it (two commands, as a clerk runs them)."""
    assert _run(db_path, "seal", "--year", "2024", "--item", item, *seal_args, *SOURCE) == 0
    return _run(db_path, "draw", "--year", "2024", "--seal", str(_last_seal(db_path)), *DRAW, *draw_args)


def _last_seal(db_path) -> int:
    return scalar(str(db_path), "SELECT max(number) FROM draw_announcements WHERE year = 2024")


def _records(db_path) -> int:
    db = open_database(db_path)
    try:
        with db.read_session() as s:
            return s.scalar(select(func.count()).select_from(DrawRecord))
    finally:
        db.dispose()


def test_a_draw_prints_fingerprint_seed_and_picks_and_the_record_verifies(world, tmp_path, capsys, monkeypatch):
    record = tmp_path / "记录.json"
    docx = tmp_path / "记录表.docx"
    announcement = tmp_path / "公告.json"
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE, "--json", str(announcement),
                "--docx", str(tmp_path / "公告.docx")) == 0
    sealed = capsys.readouterr().out
    commitment = sealed.split("承诺值：")[1].split()[0]
    assert "抽取公告 2024-001 已封存" in sealed
    assert hashlib.sha256(announcement.read_bytes()).hexdigest() == commitment  # sha256sum 公告.json
    assert _run(world, "draw", "--year", "2024", "--seal", "1", "--place", "会议室", *DRAW,
                "--record", str(record), "--docx", str(docx)) == 0
    out = capsys.readouterr().out
    assert commitment in out
    saved = json.loads(record.read_text(encoding="utf-8"))
    assert saved["fingerprint"] in out and saved["seed"] in out
    for pick in saved["picks"]:
        assert pick["name"] in out and pick["code"] in out
    assert "民警" in out and "市监" in out
    assert "平安" in "\n".join(p.text for p in Document(str(docx)).paragraphs + [
        c.paragraphs[0] for t in Document(str(docx)).tables for r in t.rows for c in r.cells])

    # verify-draw works from the file alone: opening the database would fail the test.
    monkeypatch.setattr(CliContext, "db", lambda self: pytest.fail("verify-draw opened the database"))
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(record)) == 0
    assert "一致" in capsys.readouterr().out
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(record), "--announcement", str(announcement)) == 0
    capsys.readouterr()
    # A mistyped hash is named as a malformed hash; the record is not accused.
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(record), "--hash", "9f06…") == 1
    err = capsys.readouterr().err
    assert "格式错误" in err and "不一致" not in err.split("；")[0]

    tampered = dict(saved)
    tampered["picks"] = [dict(p) for p in saved["picks"]]
    other = next(c for c in saved["candidates"] if c["id"] not in {p["id"] for p in saved["picks"]})
    tampered["picks"][1].update(id=other["id"], code=other["code"], name=other["name"])
    bad = tmp_path / "改过的记录.json"
    bad.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(bad)) == 1
    err = capsys.readouterr().err
    assert "第 2 个抽取结果不一致" in err and other["name"] in err

    # With the hash printed on the signed 记录表, a changed place or witness is caught too.
    printed = out.split("记录哈希：")[1].split()[0]
    moved = dict(saved, meta=dict(saved["meta"], place="别处"))
    moved_file = tmp_path / "改过地点.json"
    moved_file.write_text(json.dumps(moved, ensure_ascii=False), encoding="utf-8")
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(moved_file)) == 0
    capsys.readouterr()
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(record), "--hash", printed.upper()) == 0
    assert _run(tmp_path / "nowhere.sqlite3", "verify-draw", str(moved_file), "--hash", printed) == 1
    assert "记录哈希不一致" in capsys.readouterr().err


def test_verify_draw_explains_a_missing_or_broken_file(tmp_path, capsys):
    assert run(["verify-draw", str(tmp_path / "无.json")]) == 1
    assert "找不到记录文件" in capsys.readouterr().err
    broken = tmp_path / "坏.json"
    broken.write_text("{not json", encoding="utf-8")
    assert run(["verify-draw", str(broken)]) == 1
    assert "不是有效的 JSON" in capsys.readouterr().err
    odd = tmp_path / "缺字段.json"
    odd.write_text("{}", encoding="utf-8")
    assert run(["verify-draw", str(odd)]) == 1
    assert "记录格式错误" in capsys.readouterr().err


def test_a_failed_draw_exits_non_zero_and_saves_nothing(db, db_target, capsys):
    build_world(db, recusals=[(i, 7) for i in range(5)])
    assert _seal_and_draw(db_target, seal_args=("--size", "41")) == 1
    err = capsys.readouterr().err
    assert "平安07号酒店" in err and "未保存任何抽取结果" in err
    assert _records(db_target) == 0


def test_witness_and_entropy_are_required(world, capsys):
    with pytest.raises(SystemExit) as exc:
        _run(world, "draw", "--year", "2024", "--seal", "1", "--entropy", "1 2 3")
    assert exc.value.code == 2
    assert _records(world) == 0


def test_redraw_substitute_list_and_export(world, tmp_path, capsys):
    assert _seal_and_draw(world, "--record", str(tmp_path / "a.json")) == 0
    first = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert _run(world, "redraw", "--record-id", "1", "--reason", "见证人迟到", *SOURCE) == 0
    assert _run(world, "draw", "--year", "2024", "--seal", "2", *DRAW) == 0
    assert _run(world, "list-draws", "--year", "2024") == 0
    out = capsys.readouterr().out
    assert "已被重抽替代" in out and "见证人迟到" in out

    assert _run(world, "export-draw", "--record-id", "2", str(tmp_path / "b.json")) == 0
    second = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    gone = second["picks"][0]["code"]
    assert _run(world, "substitute", "--record-id", "2", "--object", gone, "--reason", "已注销", *SOURCE) == 0
    assert _run(world, "draw", "--year", "2024", "--seal", "3", *DRAW) == 0
    assert _run(world, "list-draws") == 0
    out = capsys.readouterr().out
    assert "部分替代" in out and "替补" in out

    assert _run(world, "export-draw", "--record-id", "1", str(tmp_path / "a2.json")) == 0
    assert json.loads((tmp_path / "a2.json").read_text(encoding="utf-8")) == first
    assert _run(world, "export-draw", "--record-id", "1", str(tmp_path / "旧记录表.docx")) == 0
    text = "\n".join(c.text for t in Document(str(tmp_path / "旧记录表.docx")).tables for r in t.rows for c in r.cells)
    assert "已被重抽替代" in text
    assert _run(world, "verify-draw", str(tmp_path / "b.json")) == 0
    assert _run(world, "substitute", "--record-id", "2", "--object", code(999), "--reason", "x", *SOURCE) == 1
    assert "没有统一社会信用代码" in capsys.readouterr().err
    assert _run(world, "export-draw", "--record-id", "1", str(tmp_path / "x.pdf")) == 1


def test_verify_audit_finds_an_altered_entry(world, capsys):
    assert _seal_and_draw(world) == 0
    assert _run(world, "verify-audit") == 0
    assert "一致" in capsys.readouterr().out
    first_draw = scalar(world, "SELECT min(id) FROM audit_log WHERE entity='draw_record'")
    tamper(world, f"UPDATE audit_log SET detail=replace(detail, '\"picks\":3', '\"picks\":2') WHERE id={first_draw}",
           unlock=("audit_log",))
    assert _run(world, "verify-audit") == 1
    assert f"第 {first_draw} 条" in capsys.readouterr().err


def test_verify_audit_finds_the_newest_draw_entry_cut_off_or_a_swapped_record(db, world, copy_database, capsys):
    # A hash chain alone cannot show that its newest entries were deleted; the locked draw records can.
    assert _seal_and_draw(world) == 0
    assert _run(world, "verify-audit") == 0
    assert "每条抽取记录和抽取公告都有对应的审计条目" in capsys.readouterr().out
    cut, swapped = copy_database(world, "cut", db=db), copy_database(world, "swapped", db=db)
    tamper(cut, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log WHERE entity = 'draw_record')",
           unlock=("audit_log",))
    assert _run(cut, "verify-audit") == 1
    assert "抽取记录 #1 在审计日志中没有对应条目" in capsys.readouterr().err
    # Someone rewrites the record and its stored hash consistently: the audit entry still holds the old hash.
    record = json.loads(scalar(swapped, "SELECT record_json FROM draw_records WHERE id = 1"))
    record["meta"]["place"] = "别处"
    new_text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    quoted = new_text.replace("'", "''")
    tamper(swapped, f"UPDATE draw_records SET record_json = '{quoted}', "
                    f"record_hash = '{hashlib.sha256(new_text.encode('utf-8')).hexdigest()}' WHERE id = 1",
           unlock=("draw_records",))
    assert _run(swapped, "verify-audit") == 1
    assert "抽取记录 #1 的哈希与审计日志中记载的不符" in capsys.readouterr().err


def test_the_auditors_attack_fails_on_the_command_line_and_the_void_stays_listed(world, capsys):
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE) == 0
    tamper(world, "INSERT INTO recusals (inspector_id, object_id, reason, created_at) "
                  "VALUES (1, 1, '亲属', '2024-01-01')")
    capsys.readouterr()
    assert _run(world, "draw", "--year", "2024", "--seal", "1", *DRAW) == 1
    err = capsys.readouterr().err
    assert "新增回避关系" in err and "未保存任何抽取结果" in err and _records(world) == 0
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE) == 1
    assert "2024-001" in capsys.readouterr().err
    assert _run(world, "void-seal", "--year", "2024", "--number", "1", "--reason", "回避关系有新申报") == 0
    assert _seal_and_draw(world) == 0
    assert _run(world, "draw", "--year", "2024", "--seal", "2", *DRAW) == 1  # a seal draws once
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE) == 1  # and the item and round once
    assert "只能抽取一次" in capsys.readouterr().err
    assert _run(world, "list-draws", "--year", "2024") == 0
    out = capsys.readouterr().out
    assert "2024-001" in out and "作废：回避关系有新申报" in out and "2024-002" in out and "已抽取（记录 #1）" in out


def test_drop_trigger_tampering_with_picks_assignments_or_a_whole_draw_is_reported(db, world, copy_database, tmp_path,
                                                                                    capsys):
    assert _seal_and_draw(world) == 0
    anchor = tmp_path / "锚点.json"
    assert _run(world, "export-anchor", str(anchor)) == 0
    assert _run(world, "verify-audit", "--against", str(anchor)) == 0
    capsys.readouterr()
    attacks = {
        "pick": (["UPDATE draw_picks SET object_id = (SELECT max(id) FROM inspected_objects) WHERE id = 1"],
                 ("draw_picks",)),
        "team": (["UPDATE draw_assignments SET inspector_id = 1 WHERE id = (SELECT max(id) FROM draw_assignments)"],
                 ("draw_assignments",)),
        "draw": (["DELETE FROM draw_assignments", "DELETE FROM draw_picks", "DELETE FROM draw_records"],
                 ("draw_records", "draw_picks", "draw_assignments")),
    }
    expected = {"pick": "抽中对象表与锁定的记录不一致", "team": "检查人员分配表与锁定的记录不一致",
                "draw": "抽取记录 #1 在数据库中不存在"}
    copies = {}
    for name, (statements, tables) in attacks.items():
        copies[name] = copy_database(world, name, db=db)
        tamper(copies[name], *statements, unlock=tables)
        assert _run(copies[name], "verify-audit") == 1, name
        assert expected[name] in capsys.readouterr().err
    assert _run(copies["draw"], "verify-audit", "--against", str(anchor)) == 1
    assert "文件列出的抽取记录 #1 在数据库中已不存在" in capsys.readouterr().err


def test_sealing_again_can_void_the_open_announcement_with_the_clerks_reason(world, capsys):
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE) == 0
    capsys.readouterr()
    # Sealing while 2024-001 is open is refused, and the refusal names the way out.
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE) == 1
    assert "2024-001" in capsys.readouterr().err
    assert _run(world, "seal", "--year", "2024", "--item", "1", "--replace-open", *SOURCE) == 1
    assert "--reason" in capsys.readouterr().err
    assert _run(world, "seal", "--year", "2024", "--item", "1", "--reason", "见证人改期", *SOURCE) == 1
    assert "--replace-open" in capsys.readouterr().err
    assert _run(world, "seal", "--year", "2024", "--item", "1", "--replace-open", "--reason", "见证人改期",
                *SOURCE) == 0
    out = capsys.readouterr().out
    assert "原抽取公告 2024-001 已作废：见证人改期" in out and "2024-002" in out
    assert _run(world, "draw", "--year", "2024", "--seal", "2", *DRAW) == 0
    assert _run(world, "list-draws", "--year", "2024") == 0
    out = capsys.readouterr().out
    assert "2024-001" in out and "作废：见证人改期" in out and "已抽取（记录 #1）" in out
    assert _run(world, "verify-audit") == 0  # the void has its audit entry


def test_the_signed_forms_carry_the_audit_head_they_were_printed_at(world, tmp_path, capsys):
    from docx import Document

    from models.draw_audit import audit_head

    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE, "--docx", str(tmp_path / "公告.docx")) == 0
    assert _run(world, "draw", "--year", "2024", "--seal", "1", *DRAW, "--docx", str(tmp_path / "记录表.docx")) == 0
    db = open_database(world)
    with db.read_session() as s:
        head = audit_head(s)
    db.dispose()
    text = "\n".join(c.text for t in Document(str(tmp_path / "记录表.docx")).tables for r in t.rows for c in r.cells)
    assert f"第 {head['id']} 条　{head['hash'][:16]} {head['hash'][16:32]}" in text  # the draw's own entry
    text = "\n".join(c.text for t in Document(str(tmp_path / "公告.docx")).tables for r in t.rows for c in r.cells)
    assert "打印时审计日志头" in text and f"第 {head['id'] - 1} 条" in text  # printed before the draw


def test_a_sealed_announcement_is_exported_again_byte_for_byte(world, tmp_path, capsys):
    assert _run(world, "seal", "--year", "2024", "--item", "1", *SOURCE) == 0
    commitment = capsys.readouterr().out.split("承诺值：")[1].split()[0]
    again = tmp_path / "公告.json"
    assert _run(world, "export-seal", "--year", "2024", "--number", "1", str(again)) == 0
    assert hashlib.sha256(again.read_bytes()).hexdigest() == commitment
    assert _run(world, "export-seal", "--year", "2024", "--number", "9", str(tmp_path / "无.json")) == 1
    assert "没有" in capsys.readouterr().err
