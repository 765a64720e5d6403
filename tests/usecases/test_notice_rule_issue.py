"""The notice dialog's rule change and the notice are one transaction: both are written, or neither."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models.deadlines import DEFAULT_RECTIFY_RULE, TRAFFIC_RECTIFY_RULE
from models.inspection import RectificationNotice
from models.notice_service import NoticeError, rectify_rule_for
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from usecases.notice_issue import issue_notice
from usecases.notice_rule_issue import issue_with_rule


@pytest.fixture
def world(db):
    world = drawn_world(db)
    world["inspection"] = record(db, world["picks"][0].pick_id, hazards=HAZARDS)
    return world


def rule_of(db, world):
    with db.session() as s:
        return rectify_rule_for(s, world["item_id"])


def notices(db):
    with db.session() as s:
        return list(s.scalars(select(RectificationNotice.doc_number)))


def test_a_clerk_sets_the_traffic_rule_while_making_the_notice(db, world, tmp_path):
    result = issue_with_rule(db, world["inspection"], rule=TRAFFIC_RECTIFY_RULE, deadline=date(2024, 5, 20),
                             issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path)
    assert rule_of(db, world) == TRAFFIC_RECTIFY_RULE
    assert notices(db) == [result.doc_number]
    assert "于2024年5月20日前整改完毕" in docx_text(result.path)


def test_a_notice_the_new_rule_refuses_leaves_the_rule_as_it_was(db, world, tmp_path):
    # 30 days is lawful under the default rule (two months) but not under the traffic rule (15 days).
    with pytest.raises(NoticeError, match="不得超过15日"):
        issue_with_rule(db, world["inspection"], rule=TRAFFIC_RECTIFY_RULE, deadline=date(2024, 6, 6),
                        issue_date=date(2024, 5, 7), actor="内勤", out_dir=tmp_path / "通知书")
    assert rule_of(db, world) == DEFAULT_RECTIFY_RULE
    assert notices(db) == []
    assert not list((tmp_path / "通知书").glob("*.docx"))


def test_a_refused_reissue_keeps_the_old_notice_valid_and_the_rule_unchanged(db, world, tmp_path):
    first = issue_notice(db, world["inspection"], deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7),
                         actor="内勤", out_dir=tmp_path)
    with pytest.raises(NoticeError):
        issue_with_rule(db, world["inspection"], rule=TRAFFIC_RECTIFY_RULE, replaces=first.notice_id,
                        reason="整改期限写错", deadline=date(2024, 6, 6), issue_date=date(2024, 5, 8),
                        actor="内勤", out_dir=tmp_path)
    assert rule_of(db, world) == DEFAULT_RECTIFY_RULE
    with db.session() as s:
        assert s.get(RectificationNotice, first.notice_id).voided is False
    again = issue_with_rule(db, world["inspection"], rule=TRAFFIC_RECTIFY_RULE, replaces=first.notice_id,
                            reason="整改期限写错", deadline=date(2024, 5, 20), issue_date=date(2024, 5, 8),
                            actor="内勤", out_dir=tmp_path)
    assert again.doc_number.endswith("第002号") and rule_of(db, world) == TRAFFIC_RECTIFY_RULE
