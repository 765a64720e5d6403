"""Command-line stories: a clerk attaches the photo and the signed record, lists and saves them out; a photo swapped
in the database makes verify-audit fail naming it; evidence survives a backup and its restore."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.admin import AuditEntry
from models.evidence import MAX_FILE_BYTES
from tests.models.evidence_fixtures import OTHER_PHOTO, PHOTO, SCAN, clerk_files, inspected_world, sha, swap_file
from ui.cli import run


@pytest.fixture
def world(db, tmp_path):
    world = inspected_world(db)
    world.update(clerk_files(tmp_path / "相机"))
    return world


def cli(target, *args):
    return run(["--db", str(target), *args])


def listed(target, inspection_id, capsys) -> list[dict]:
    capsys.readouterr()
    assert cli(target, "list-attachments", "--inspection", str(inspection_id), "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_a_clerk_attaches_lists_and_saves_out_the_evidence_of_an_inspection(db_target, world, tmp_path, capsys):
    iid = str(world["inspection_id"])
    assert cli(db_target, "attach", "--inspection", iid, str(world["photo"]), "--note", "门口") == 0
    out = capsys.readouterr().out
    assert "已为检查记录" in out and "门口照片.png" in out and sha(PHOTO) in out and "[照片]" in out
    assert cli(db_target, "attach", "--inspection", iid, str(world["scan"]), "--kind", "签字检查记录") == 0
    assert cli(db_target, "attach", "--inspection", iid, "--kind", "执法记录仪", "--reference", "DSJ-0231") == 0
    rows = listed(db_target, iid, capsys)
    assert [(r["kind"], r["name"], r["sha256"], r["reference"]) for r in rows] == [
        ("照片", "门口照片.png", sha(PHOTO), ""), ("签字检查记录", "现场检查记录扫描.png", sha(SCAN), ""),
        ("执法记录仪", "", "", "DSJ-0231")]
    folder = tmp_path / "交案卷"
    folder.mkdir()
    assert cli(db_target, "export-attachment", str(rows[1]["id"]), str(folder)) == 0
    assert (folder / f"{rows[1]['id']}-现场检查记录扫描.png").read_bytes() == SCAN
    assert cli(db_target, "export-attachment", str(rows[0]["id"]), str(tmp_path / "照片.png")) == 0
    assert (tmp_path / "照片.png").read_bytes() == PHOTO
    capsys.readouterr()
    assert cli(db_target, "verify-audit") == 0
    assert "2 个证据材料文件的内容与登记的 SHA-256 和审计日志一致" in capsys.readouterr().out


def test_verify_audit_catches_a_photo_swapped_in_the_database(db, db_target, world, capsys):
    iid = world["inspection_id"]
    assert cli(db_target, "attach", "--inspection", str(iid), str(world["photo"]), str(world["scan"])) == 0
    photo_id = listed(db_target, iid, capsys)[0]["id"]
    assert cli(db_target, "verify-audit") == 0
    assert "2 个证据材料文件的内容与登记的 SHA-256 和审计日志一致" in capsys.readouterr().out

    swap_file(db, photo_id, OTHER_PHOTO)
    assert cli(db_target, "verify-audit") == 1
    err = capsys.readouterr().err
    hotel = world["picks"][0].object_name
    assert "证据材料与登记或审计日志不一致" in err
    assert f"检查记录 #{iid}（{hotel}，2024-05-06）的证据材料 #{photo_id}“门口照片.png”（照片）" in err
    assert "文件被替换" in err and "Traceback" not in err
    assert cli(db_target, "export-attachment", str(photo_id), "x.png") == 1
    assert "SHA-256 不符" in capsys.readouterr().err


def test_an_oversize_file_is_refused_on_the_command_line_and_nothing_is_attached(db_target, world, tmp_path, capsys):
    big = tmp_path / "相机" / "大扫描件.pdf"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    iid = str(world["inspection_id"])
    assert cli(db_target, "attach", "--inspection", iid, str(world["photo"]), str(big)) == 1
    err = capsys.readouterr().err
    assert "“大扫描件.pdf”大小为 20.0 MB（20,971,521 字节），超过每个文件 20 MB 的上限，未添加任何文件" in err
    assert listed(db_target, iid, capsys) == []
    assert cli(db_target, "attach", "--inspection", iid, "--kind", "照片") == 1
    assert "只有“执法记录仪”类" in capsys.readouterr().err


def test_withdrawing_a_mistaken_attachment_keeps_it_listed_as_withdrawn(db_target, world, capsys):
    iid = str(world["inspection_id"])
    assert cli(db_target, "attach", "--inspection", iid, str(world["photo"])) == 0
    aid = listed(db_target, iid, capsys)[0]["id"]
    assert cli(db_target, "withdraw-attachment", str(aid), "--reason", "拍错了单位") == 0
    (row,) = listed(db_target, iid, capsys)
    assert row["withdrawn"] and row["withdrawn_reason"] == "拍错了单位" and row["sha256"] == sha(PHOTO)
    assert cli(db_target, "list-attachments", "--inspection", iid) == 0
    assert "已撤回（拍错了单位" in capsys.readouterr().out
    assert cli(db_target, "verify-audit") == 0


@pytest.mark.sqlite_only("the SQLite file's online backup and restore; the server's pg_dump copies every table")
def test_evidence_survives_a_backup_and_its_restore(db, db_target, world, tmp_path, capsys):
    iid = str(world["inspection_id"])
    assert cli(db_target, "attach", "--inspection", iid, str(world["photo"])) == 0
    backup = tmp_path / "备份.sqlite3"
    assert cli(db_target, "backup", str(backup)) == 0
    assert cli(db_target, "attach", "--inspection", iid, str(world["scan"])) == 0  # after the backup
    db.dispose()
    assert cli(db_target, "restore", str(backup), "--yes") == 0
    rows = listed(db_target, iid, capsys)
    assert [r["name"] for r in rows] == ["门口照片.png"]
    with db.read_session() as s:  # the restore's audit entry names the evidence filed after the backup
        detail = json.loads(s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "从备份恢复")))
    (discarded,) = detail["舍弃"]["证据材料"]
    assert "“现场检查记录扫描.png”" in discarded and sha(SCAN) in discarded
    assert cli(db_target, "export-attachment", str(rows[0]["id"]), str(tmp_path / "恢复后.png")) == 0
    assert (tmp_path / "恢复后.png").read_bytes() == PHOTO
    assert cli(db_target, "verify-audit") == 0
