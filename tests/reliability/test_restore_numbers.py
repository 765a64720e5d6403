"""A 文号 once issued is never issued again, whatever is restored; the restore names what it discarded.

The outside test restored a backup taken before notices 004–030 were issued: the same numbers
were issued again while the first documents were still on disk.
"""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from models import backup
from models.admin import AuditEntry
from models.audit import verify_chain
from models.db import open_database
from models.restore_audit import BEYOND_BACKUP_TABLES, live_beyond_backup
from tests.reliability.office import ISSUED, office_with_pending_notices
from usecases.notice_batch import render_pending_notices
from usecases.notice_issue import issue_notice, record_reinspection


def test_numbers_issued_after_the_backup_are_not_issued_again_after_a_restore(db_path, tmp_path):
    world = office_with_pending_notices(db_path, pending=3)
    first, second, third = world["inspections"]
    out = tmp_path / "通知书"
    db = open_database(db_path)
    issue_notice(db, first, deadline=date(2024, 6, 7), issue_date=ISSUED, actor="内勤", out_dir=out)
    db.dispose()
    taken = backup.backup_now(db_path, tmp_path / "before-002.sqlite3")

    db = open_database(db_path)
    made = render_pending_notices(db, out, actor="内勤", issue_date=ISSUED)
    db.dispose()
    assert [n for n, _ in made.written] == ["X公(治)限改字〔2024〕第002号", "X公(治)限改字〔2024〕第003号"]

    backup.restore(db_path, taken, actor="管理员")
    db = open_database(db_path)
    again = render_pending_notices(db, out, actor="内勤", issue_date=ISSUED)
    # the two inspections are pending again, and get new numbers: 002 and 003 are on paper already
    assert [n for n, _ in again.written] == ["X公(治)限改字〔2024〕第004号", "X公(治)限改字〔2024〕第005号"]
    assert len(list(out.glob("*.docx"))) == 5  # nothing was overwritten
    with db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "从备份恢复"))
        detail = json.loads(entry.detail)
        assert entry.user == "管理员" and detail["备份文件"] == "before-002.sqlite3"
        assert detail["舍弃"]["整改通知书"] == ["X公(治)限改字〔2024〕第002号", "X公(治)限改字〔2024〕第003号"]
        assert detail["文号续编"]["notice"] == {"2024": 3}
        assert verify_chain(s).ok
    db.dispose()


def test_a_restore_over_a_restore_keeps_the_highest_number(db_path, tmp_path):
    world = office_with_pending_notices(db_path, pending=3)
    out = tmp_path / "通知书"
    empty = backup.backup_now(db_path, tmp_path / "empty.sqlite3")
    db = open_database(db_path)
    for inspection in world["inspections"]:
        issue_notice(db, inspection, deadline=date(2024, 6, 7), issue_date=ISSUED, actor="内勤", out_dir=out)
    db.dispose()
    backup.restore(db_path, empty)                 # floor 3 carried into the restored copy
    backup.restore(db_path, empty)                 # the live file has no notices, but its floor is kept
    db = open_database(db_path)
    result = issue_notice(db, world["inspections"][0], deadline=date(2024, 6, 7), issue_date=ISSUED, actor="内勤",
                          out_dir=out)
    assert result.doc_number == "X公(治)限改字〔2024〕第004号"
    db.dispose()


def test_review_numbers_are_carried_forward_too(db_path, tmp_path):
    world = office_with_pending_notices(db_path, pending=1)
    db = open_database(db_path)
    notice = issue_notice(db, world["inspections"][0], deadline=date(2024, 6, 7), issue_date=ISSUED, actor="内勤",
                          out_dir=tmp_path)
    from models.notice_followup import record_served

    record_served(db, notice.notice_id, date(2024, 5, 8), "内勤")
    db.dispose()
    taken = backup.backup_now(db_path, tmp_path / "served.sqlite3")
    db = open_database(db_path)
    review = record_reinspection(db, notice.notice_id, date(2024, 6, 10), "未整改", "", "内勤", out_dir=tmp_path)
    assert review.doc_number.endswith("第001号")
    db.dispose()
    backup.restore(db_path, taken)
    db = open_database(db_path)
    again = record_reinspection(db, notice.notice_id, date(2024, 6, 11), "未整改", "", "内勤", out_dir=tmp_path)
    assert again.doc_number.endswith("第002号")
    db.dispose()


def test_what_the_live_database_has_beyond_the_backup_is_listed_per_tracked_table(db_path, tmp_path):
    world = office_with_pending_notices(db_path, pending=1)
    taken = backup.backup_now(db_path, tmp_path / "copy.sqlite3")
    db = open_database(db_path)
    issue_notice(db, world["inspections"][0], deadline=date(2024, 6, 7), issue_date=ISSUED, actor="内勤",
                 out_dir=tmp_path)
    db.dispose()
    lost, unreadable = live_beyond_backup(db_path, taken)
    assert [(r.label, r.text) for r in lost] == [("整改通知书", "X公(治)限改字〔2024〕第001号")]
    assert unreadable == []
    # the draws of the world are in both copies; the registry names every table a restore must account for
    assert {t.table for t in BEYOND_BACKUP_TABLES} >= {"notices", "reinspections", "draw_records", "draw_announcements"}
    open_database(tmp_path / "empty.sqlite3").dispose()
    lost, _ = live_beyond_backup(db_path, tmp_path / "empty.sqlite3")
    assert {r.label for r in lost} >= {"整改通知书", "抽取记录"}


def test_announcement_numbers_sealed_after_the_backup_are_not_sealed_again_after_a_restore(db_path, tmp_path):
    from models.draw_prepare import prepare_draw
    from models.seal_service import list_announcements, seal, void
    from tests.models.draw_fixtures import SOURCE, build_world

    db = open_database(db_path)
    build_world(db)
    db.dispose()
    taken = backup.backup_now(db_path, tmp_path / "before-seal.sqlite3")

    def seal_item_1():
        db = open_database(db_path)
        with db.read_session() as s:
            prep = prepare_draw(s, 2024, "1")
        ann = seal(db, prep, entropy_source=SOURCE, operator="内勤")
        return db, ann

    db, first = seal_item_1()
    assert first.number == 1
    void(db, 2024, first.number, reason="设置有误", operator="内勤")
    db.dispose()
    db, second = seal_item_1()
    assert second.number == 2
    db.dispose()

    backup.restore(db_path, taken, actor="管理员")   # announcements 1 and 2 are gone from the database, not from paper
    db, again = seal_item_1()
    assert again.number == 3
    with db.read_session() as s:
        assert [a.number for a in list_announcements(s, 2024)] == [3]
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "从备份恢复"))
        assert json.loads(entry.detail)["文号续编"]["announcement"] == {"2024": 2}
    db.dispose()
