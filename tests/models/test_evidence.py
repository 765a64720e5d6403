"""Stories about evidence filed with an inspection: the photo and the signed record go into the database with
their SHA-256, come back byte for byte, and a file swapped behind the program is named."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, text

from models import evidence
from models.admin import AuditEntry
from models.attachment import AttachmentContent
from models.evidence import MAX_FILE_BYTES, EvidenceError, EvidenceTampered
from models.evidence_audit import attachment_problems
from models.supervision import InspectionAttachment
from tests.models.evidence_fixtures import (
    OTHER_PHOTO, PHOTO, SCAN, clerk_files, inspected_world, logged_sha, sha, swap_file,
)
from tests.tamper import tamper
from usecases.evidence_files import add_files, add_footage, save_copy, temp_copy, withdraw


@pytest.fixture
def world(db, tmp_path):
    world = inspected_world(db)
    world.update(clerk_files(tmp_path / "相机"))
    return world


def counts(db) -> tuple[int, int, int]:
    with db.read_session() as s:
        return (s.scalar(select(func.count()).select_from(InspectionAttachment)),
                s.scalar(select(func.count()).select_from(AttachmentContent)),
                s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == evidence.ENTITY)))


def test_a_clerk_files_a_photo_and_the_signed_record_and_gets_the_same_bytes_back(db, world, tmp_path):
    iid = world["inspection_id"]
    photo_id, scan_id = add_files(db, iid, [world["photo"]], actor="内勤小王") + add_files(
        db, iid, [world["scan"]], kind="签字检查记录", note="双方签字后扫描", actor="内勤小王")
    with db.read_session() as s:
        rows = evidence.list_attachments(s, iid)
        assert [(r.kind, r.name, r.size, r.sha256, r.created_by) for r in rows] == [
            ("照片", "门口照片.png", len(PHOTO), sha(PHOTO), "内勤小王"),
            ("签字检查记录", "现场检查记录扫描.png", len(SCAN), sha(SCAN), "内勤小王")]
        assert rows[1].note == "双方签字后扫描" and rows[0].is_image
        assert s.get(InspectionAttachment, photo_id).stored_name == ""  # the bytes are in the database
        assert evidence.attachment_data(s, photo_id)[1] == PHOTO
        assert evidence.attachment_data(s, scan_id)[1] == SCAN
        assert attachment_problems(s) == []
    assert logged_sha(db, photo_id) == sha(PHOTO) and logged_sha(db, scan_id) == sha(SCAN)
    # The clerk's own file may go: the evidence is the database's copy.
    world["photo"].unlink()
    (tmp_path / "导出").mkdir()
    assert save_copy(db, photo_id, tmp_path / "导出" / "照片.png").read_bytes() == PHOTO
    opened = temp_copy(db, scan_id, tmp_path / "临时")
    assert opened.name == f"{scan_id}-现场检查记录扫描.png" and opened.read_bytes() == SCAN


def test_an_oversize_file_is_refused_by_name_and_size_and_nothing_is_stored(db, world, tmp_path):
    video = tmp_path / "相机" / "全程录像.mp4"
    with open(video, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 5 * 1024 * 1024)  # 25 MB
    with pytest.raises(EvidenceError) as refused:
        add_files(db, world["inspection_id"], [world["photo"], video], actor="内勤")
    message = str(refused.value)
    assert "全程录像.mp4" in message and "25 MB" in message and "20 MB" in message and "未添加任何文件" in message
    assert "只登记记录仪编号" in message
    assert counts(db) == (0, 0, 0)


def test_an_empty_file_the_same_file_twice_and_an_unknown_inspection_are_refused(db, world, tmp_path):
    iid = world["inspection_id"]
    empty = tmp_path / "相机" / "空白.png"
    empty.write_bytes(b"")
    with pytest.raises(EvidenceError, match="“空白.png”是空文件"):
        add_files(db, iid, [empty], actor="内勤")
    add_files(db, iid, [world["photo"]], actor="内勤")
    copy = tmp_path / "相机" / "门口照片(1).png"
    copy.write_bytes(PHOTO)
    same = r"“门口照片\(1\).png”与本检查记录已有的证据材料 #\d+“门口照片.png”内容相同"
    with pytest.raises(EvidenceError, match=same):
        add_files(db, iid, [world["scan"], copy], actor="内勤")
    assert counts(db) == (1, 1, 1)  # the scan in the same go was not filed either
    with pytest.raises(EvidenceError, match="没有编号为 9999 的检查记录"):
        add_files(db, 9999, [world["scan"]], actor="内勤")
    with pytest.raises(EvidenceError, match="证据类别“录音”无效"):
        add_files(db, iid, [world["scan"]], kind="录音", actor="内勤")


def test_a_body_camera_clip_is_registered_by_its_number_without_a_file(db, world):
    iid = world["inspection_id"]
    aid = add_footage(db, iid, " DSJ-0231 20240506 0915 ", note="全程录像", actor="民警甲")
    with db.read_session() as s:
        row = evidence.get_attachment(s, aid)
        assert (row.kind, row.name, row.reference, row.sha256, row.has_file) == (
            "执法记录仪", "", "DSJ-0231 20240506 0915", "", False)
        with pytest.raises(EvidenceError, match="只登记了执法记录仪编号"):
            evidence.attachment_data(s, aid)
        assert attachment_problems(s) == []
    with pytest.raises(EvidenceError, match="请填写执法记录仪编号"):
        add_footage(db, iid, "  ", actor="民警甲")
    with db.session() as s, pytest.raises(EvidenceError, match="只有“执法记录仪”类"):
        evidence.attach(s, iid, None, kind="照片", reference="IMG_0001", actor="民警甲")


def test_a_mistaken_photo_is_withdrawn_with_a_reason_and_stays_on_file(db, world):
    iid = world["inspection_id"]
    aid = add_files(db, iid, [world["photo"]], actor="内勤")[0]
    with pytest.raises(EvidenceError, match="请填写撤回原因"):
        withdraw(db, aid, " ", actor="内勤")
    withdraw(db, aid, "误传了另一家旅馆的照片", actor="内勤")
    with pytest.raises(EvidenceError, match="已于 .* 由 内勤 撤回（误传了另一家旅馆的照片）"):
        withdraw(db, aid, "再撤一次", actor="内勤")
    with db.read_session() as s:
        (row,) = evidence.list_attachments(s, iid)
        assert row.withdrawn and row.withdrawn_reason == "误传了另一家旅馆的照片" and row.withdrawn_by == "内勤"
        assert evidence.list_attachments(s, iid, include_withdrawn=False) == []
        assert evidence.attachment_data(s, aid)[1] == PHOTO  # what was filed can always be shown
        assert attachment_problems(s) == []
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "撤回证据材料"))
        assert json.loads(entry.detail)["sha256"] == sha(PHOTO)
    # Withdrawn, the same photo may be filed again (as the right one, say).
    assert add_files(db, iid, [world["photo"]], actor="内勤")


def test_the_database_itself_refuses_to_change_or_delete_evidence(db, world):
    aid = add_files(db, world["inspection_id"], [world["photo"]], actor="内勤")[0]
    for sql in (f"UPDATE attachment_contents SET data = data WHERE attachment_id = {aid}",
                f"DELETE FROM attachment_contents WHERE attachment_id = {aid}",
                f"UPDATE inspection_attachments SET sha256 = '' WHERE id = {aid}",
                f"DELETE FROM inspection_attachments WHERE id = {aid}"):
        with pytest.raises(sa_exc.DatabaseError, match="已锁定"), db.session() as s:
            s.execute(text(sql))
    with db.read_session() as s:
        assert evidence.attachment_data(s, aid)[1] == PHOTO


def test_a_swapped_photo_is_named_and_never_shown_or_saved_as_the_evidence(db, world, tmp_path):
    iid = world["inspection_id"]
    photo_id, scan_id = add_files(db, iid, [world["photo"], world["scan"]], actor="内勤")
    swap_file(db, photo_id, OTHER_PHOTO)
    with db.read_session() as s:
        problems = attachment_problems(s)
        with pytest.raises(EvidenceTampered, match="门口照片.png.*不符"):
            evidence.attachment_data(s, photo_id)
        assert evidence.attachment_data(s, scan_id)[1] == SCAN
    assert len(problems) == 1
    hotel = world["picks"][0].object_name
    assert f"检查记录 #{iid}（{hotel}，2024-05-06）" in problems[0]
    assert f"证据材料 #{photo_id}“门口照片.png”（照片）" in problems[0] and "文件被替换" in problems[0]
    with pytest.raises(EvidenceTampered):
        save_copy(db, photo_id, tmp_path / "照片.png")
    assert not (tmp_path / "照片.png").exists()


def test_a_swap_that_also_rewrites_the_row_is_caught_by_the_audit_entry_and_a_deletion_by_the_log(db, world):
    iid = world["inspection_id"]
    photo_id, scan_id = add_files(db, iid, [world["photo"], world["scan"]], actor="内勤")
    swap_file(db, photo_id, OTHER_PHOTO)
    tamper(db, f"UPDATE inspection_attachments SET sha256 = '{sha(OTHER_PHOTO)}' WHERE id = {photo_id}",
           unlock=("inspection_attachments",))
    tamper(db, f"DELETE FROM attachment_contents WHERE attachment_id = {scan_id}",
           f"DELETE FROM inspection_attachments WHERE id = {scan_id}",
           unlock=("inspection_attachments", "attachment_contents"))
    with db.read_session() as s:
        problems = attachment_problems(s)
    assert len(problems) == 2, problems
    assert f"证据材料 #{photo_id}“门口照片.png”（照片）登记的 SHA-256 与审计日志第" in problems[0]
    assert f"记载的证据材料 #{scan_id}“现场检查记录扫描.png”（检查记录 #{iid}）在数据库中不存在" in problems[1]
