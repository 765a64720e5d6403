"""An office that filed evidence on its PC moves to the server (migrate-to): every file arrives byte for byte, its
SHA-256 recomputed there, and verify-audit passes on the server; a source with a swapped photo is refused.

The server stories run only with SSJ_TEST_DATABASE_URL (tests/conftest.py); the same copy into a fresh SQLite
file runs everywhere.
"""
from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from models import evidence, server, transfer
from models.db import open_database
from models.evidence_audit import attachment_problems
from tests.models.evidence_fixtures import OTHER_PHOTO, PHOTO, SCAN, clerk_files, inspected_world, sha, swap_file
from usecases.evidence_files import add_files, add_footage, withdraw

ADMIN_PASSWORD = "zhang-pass-2026"


@pytest.fixture
def source_file(tmp_path):
    """A PC's database with a photo, the signed record, a 执法记录仪 number and one withdrawn photo on file."""
    path = tmp_path / "pc" / "office.sqlite3"
    db = open_database(path)
    try:
        world = inspected_world(db)
        files = clerk_files(tmp_path / "相机")
        iid = world["inspection_id"]
        ids = add_files(db, iid, [files["photo"], files["scan"]], actor="内勤")
        ids.append(add_footage(db, iid, "DSJ-0231", actor="内勤"))
        wrong = add_files(db, iid, [evidence.FileInput("另一家.png", OTHER_PHOTO)], actor="内勤")[0]
        withdraw(db, wrong, "拍错了单位", actor="内勤")
    finally:
        db.dispose()
    return {"path": path, "inspection_id": iid, "ids": ids, "withdrawn": wrong}


@pytest.fixture
def empty_server(postgres_databases):
    """A new database on the test server with no schema at all, as the office's IT person creates it."""
    postgres_databases.count += 1
    name = f"{postgres_databases.prefix}_evid{postgres_databases.count}"
    postgres_databases.drop(name)
    postgres_databases._execute(f"CREATE DATABASE {name}")
    yield postgres_databases.url_of(name)
    postgres_databases.drop(name)


def move(source_path, target):
    with transfer.open_source(source_path) as source:
        return transfer.migrate_to(source, target, actor="zhangsan", admin="zhangsan",
                                   admin_password=ADMIN_PASSWORD, source_name=str(source_path))


def assert_evidence_arrived(target, source: dict) -> None:
    photo_id, scan_id, footage_id = source["ids"]
    with target.read_session() as s:
        rows = evidence.list_attachments(s, source["inspection_id"])
        assert [(r.id, r.name, r.withdrawn) for r in rows] == [
            (photo_id, "门口照片.png", False), (scan_id, "现场检查记录扫描.png", False), (footage_id, "", False),
            (source["withdrawn"], "另一家.png", True)]
        assert evidence.attachment_data(s, photo_id)[1] == PHOTO
        assert evidence.attachment_data(s, scan_id)[1] == SCAN
        assert evidence.attachment_data(s, source["withdrawn"])[1] == OTHER_PHOTO
        assert attachment_problems(s) == []


def test_postgresql_evidence_moves_to_the_server_byte_for_byte_and_verify_audit_passes_there(
        source_file, empty_server, capsys, monkeypatch):
    from ui.cli import run

    target = server.open_empty(empty_server)
    try:
        result = move(source_file["path"], target)
    finally:
        target.dispose()
    assert result.counts["inspection_attachments"] == 4 and result.counts["attachment_contents"] == 3
    assert result.counts["attachment_withdrawals"] == 1
    target = open_database(empty_server)
    try:
        assert_evidence_arrived(target, source_file)
        # New evidence on the server continues after the copied ids, and is locked there too.
        with target.session() as s:
            new_id = evidence.attach(s, source_file["inspection_id"], b"scan page 2", name="第2页.png",
                                     kind="签字检查记录", actor="zhangsan")
        assert new_id > max(source_file["ids"] + [source_file["withdrawn"]])
    finally:
        target.dispose()
    monkeypatch.setenv("SSJ_PASSWORD", ADMIN_PASSWORD)
    assert run(["--db", empty_server, "--user", "zhangsan", "verify-audit"]) == 0
    assert "4 个证据材料文件的内容与登记的 SHA-256 和审计日志一致" in capsys.readouterr().out


def test_the_evidence_copy_and_its_checks_work_into_a_fresh_sqlite_file_too(source_file, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "BATCH_OF", {"attachment_contents": 1})  # one file per batch, as a big office's
    target = open_database(tmp_path / "target.sqlite3")
    try:
        move(source_file["path"], target)
        assert_evidence_arrived(target, source_file)
    finally:
        target.dispose()


def test_a_source_with_a_swapped_photo_is_refused_before_anything_is_copied(source_file, tmp_path):
    source = open_database(source_file["path"])
    try:
        swap_file(source, source_file["ids"][0], OTHER_PHOTO)
    finally:
        source.dispose()
    target = open_database(tmp_path / "target.sqlite3")
    try:
        with pytest.raises(transfer.TransferError, match="源数据库本身未通过审计检查.*门口照片.png.*文件被替换"):
            move(source_file["path"], target)
        assert server.rows_in_use(target) == {}
    finally:
        target.dispose()


def test_postgresql_evidence_survives_a_server_backup_and_its_restore(postgres_databases, tmp_path):
    from models import pg_backup
    from models.pg_restore import restore_server

    try:
        pg_backup.client_tools("pg_dump", "pg_restore", "psql")
    except pg_backup.ToolsMissing:
        pytest.skip("pg_dump / pg_restore / psql are not installed")
    url = postgres_databases.url_of(postgres_databases.fresh())
    db = open_database(url)
    try:
        iid = inspected_world(db)["inspection_id"]
        files = clerk_files(tmp_path / "相机")
        photo_id = add_files(db, iid, [files["photo"]], actor="内勤")[0]
        made = pg_backup.backup_server(url, folder=tmp_path / "备份")
        add_files(db, iid, [files["scan"]], actor="内勤")  # after the backup: gone with the restore
    finally:
        db.dispose()
    result = restore_server(url, made, actor="管理员", folder=tmp_path / "备份")
    (discarded,) = result.detail["舍弃"]["证据材料"]  # the restore's audit entry names the file it discarded
    assert "“现场检查记录扫描.png”" in discarded and sha(SCAN) in discarded
    db = open_database(url)
    try:
        with db.read_session() as s:
            assert [r.name for r in evidence.list_attachments(s, iid)] == ["门口照片.png"]
            assert evidence.attachment_data(s, photo_id)[1] == PHOTO
            assert attachment_problems(s) == []
        with pytest.raises(sa_exc.DatabaseError, match="已锁定"), db.session() as s:  # still locked after the restore
            s.execute(text(f"DELETE FROM attachment_contents WHERE attachment_id = {photo_id}"))
    finally:
        db.dispose()
        postgres_databases.drop(url.rsplit("/", 1)[1])
