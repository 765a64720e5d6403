"""Stories about making many notices at once into a folder, with progress and cancel."""
from __future__ import annotations

from datetime import date

import pytest

from models.deadlines import TRAFFIC_RECTIFY_RULE
from models.notice_service import numbering_gaps, set_rectify_rule
from usecases.notice_batch import pending_inspections, render_pending_notices
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record


@pytest.fixture
def world(db):
    world = drawn_world(db)
    picks = world["picks"]
    world["inspections"] = [record(db, p.pick_id, hazards=HAZARDS) for p in picks[:2]]
    record(db, picks[2].pick_id)  # no hazards: no notice
    return world


def test_every_inspection_with_hazards_gets_a_notice_in_the_folder(db, world, tmp_path):
    seen = []
    result = render_pending_notices(db, tmp_path / "out", progress=lambda d, t: seen.append((d, t)),
                                    actor="内勤", issue_date=date(2024, 5, 7))
    assert [n for n, _p in result.written] == ["X公(治)限改字〔2024〕第001号", "X公(治)限改字〔2024〕第002号"]
    assert seen == [(0, 2), (1, 2), (2, 2)]
    files = sorted((tmp_path / "out").glob("*.docx"))
    assert len(files) == 2
    text = docx_text(files[0])
    assert "于2024年6月7日前整改完毕" in text  # one month after issue by default
    assert pending_inspections(db) == []
    assert "已制作 2 份通知书" in result.summary()


def test_cancel_keeps_the_notices_already_made_without_gaps(db, world, tmp_path):
    calls = iter([False, True])
    result = render_pending_notices(db, tmp_path, cancelled=lambda: next(calls), actor="内勤",
                                    issue_date=date(2024, 5, 7))
    assert result.cancelled and len(result.written) == 1
    assert "文号有效，未跳号" in result.summary()
    with db.session() as s:
        assert numbering_gaps(s, 2024) == []
    assert len(pending_inspections(db)) == 1
    again = render_pending_notices(db, tmp_path, actor="内勤", issue_date=date(2024, 5, 7))
    assert [n for n, _p in again.written] == ["X公(治)限改字〔2024〕第002号"]


def test_a_notice_that_breaks_its_rule_is_reported_and_the_rest_are_made(db, world, tmp_path):
    with db.session() as s:
        set_rectify_rule(s, world["item_id"], TRAFFIC_RECTIFY_RULE, "管理员")
    result = render_pending_notices(db, tmp_path, actor="内勤", issue_date=date(2024, 5, 7),
                                    deadline=date(2024, 6, 30))
    assert result.written == [] and len(result.failed) == 2
    assert "不得超过15日" in result.failed[0][1]
    ok = render_pending_notices(db, tmp_path, actor="内勤", issue_date=date(2024, 5, 7))
    assert len(ok.written) == 2 and "于2024年5月22日前" in docx_text(ok.written[0][1])
