"""Text typed into records has a length limit, one rule for every screen and the command line.

The outside test typed a 300 MB reason and names of thousands of characters: each was stored in
the record, printed on the documents and copied into the audit log. Every such field now refuses
overlong text in Chinese, naming the field and the limit, and saves nothing.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models.credit_code import make_code
from models.draw import DrawRecord
from models.draw_engine import DrawError
from models.draw_prepare import prepare_draw
from models.draw_service import draw_sealed
from models.errors import UserError
from models.notice_common import NoticeError
from models.notice_followup import extend_deadline, record_served
from models.notice_service import void_notice
from models.roster_service import InspectorData, ObjectData, RosterError, add_inspector, add_object, add_recusal
from models.seal import DrawAnnouncement
from models.seal_service import seal, seal_redraw, void
from models.text import PLACE_MAX, REASON_MAX, SOURCE_MAX, WITNESS_MAX, limited
from tests.models.draw_fixtures import ENTROPY, SOURCE, WITNESSES, build_world, sealed_draw
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from usecases.notice_issue import issue_notice


def test_the_one_rule_trims_keeps_text_up_to_the_limit_and_names_the_field_beyond_it():
    assert limited("  王监督  ", "见证人", 3) == "王监督"
    assert limited(None, "见证人", 3) == ""
    with pytest.raises(UserError, match="见证人过长：最多 3 个字，现有 4 个字"):
        limited("王监督员", "见证人", 3)
    with pytest.raises(DrawError):  # the caller's own error, so its refusal path is taken
        limited("x" * 4, "地点", 3, error=DrawError)
    assert (WITNESS_MAX, PLACE_MAX, REASON_MAX, SOURCE_MAX) == (100, 100, 500, 500)


def _draws(db) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count()).select_from(DrawRecord))


def _announcements(db) -> int:
    with db.read_session() as s:
        return s.scalar(select(func.count()).select_from(DrawAnnouncement))


def _prep(db):
    with db.read_session() as s:
        return prepare_draw(s, 2024, "1")


@pytest.mark.parametrize("change, field", [
    ({"witnesses": ["王" * (WITNESS_MAX + 1)]}, "监督人/见证人（姓名和单位）过长：最多 100 个字"),
    ({"witnesses": ["王监督", "李" * 5000]}, "现有 5000 个字"),
    ({"place": "会" * (PLACE_MAX + 1)}, "抽取地点过长：最多 100 个字"),
])
def test_an_overlong_witness_or_place_refuses_the_draw_and_saves_nothing(db, change, field):
    build_world(db)
    ann = seal(db, _prep(db), entropy_source=SOURCE, operator="内勤")
    kw = {"entropy": ENTROPY, "witnesses": WITNESSES, "place": "局三楼会议室", "operator": "内勤", **change}
    with pytest.raises(DrawError) as refused:
        draw_sealed(db, ann.year, ann.number, **kw)
    assert field in str(refused.value)
    assert _draws(db) == 0
    draw_sealed(db, ann.year, ann.number, **{**kw, "witnesses": ["王" * WITNESS_MAX], "place": "会" * PLACE_MAX})
    assert _draws(db) == 1  # at the limit: accepted


def test_an_overlong_entropy_source_or_reason_refuses_the_seal(db):
    build_world(db)
    with pytest.raises(DrawError, match="随机数来源过长：最多 500 个字"):
        seal(db, _prep(db), entropy_source="报" * (SOURCE_MAX + 1), operator="内勤")
    assert _announcements(db) == 0
    saved = sealed_draw(db, _prep(db))
    with pytest.raises(DrawError, match="重抽或替补原因过长：最多 500 个字"):
        seal_redraw(db, saved.id, reason="因" * (REASON_MAX + 1), entropy_source=SOURCE, operator="内勤")
    assert _announcements(db) == 1
    ann = seal_redraw(db, saved.id, reason="原抽取时名录未更新", entropy_source=SOURCE, operator="内勤")
    with pytest.raises(DrawError, match="作废原因过长"):
        void(db, ann.year, ann.number, reason="错" * (REASON_MAX + 1), operator="内勤")
    with pytest.raises(DrawError, match="作废旧公告的原因过长"):
        seal(db, _prep(db), entropy_source=SOURCE, operator="内勤", replace_open="错" * (REASON_MAX + 1))
    void(db, ann.year, ann.number, reason="错" * REASON_MAX, operator="内勤")


def test_overlong_notice_void_and_extension_reasons_are_refused(db, tmp_path):
    world = drawn_world(db)
    inspection = record(db, world["picks"][0].pick_id, hazards=HAZARDS)
    notice = issue_notice(db, inspection, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="内勤",
                          out_dir=tmp_path)
    record_served(db, notice.notice_id, date(2024, 5, 8), "内勤")
    with pytest.raises(NoticeError, match="延长整改期限的原因过长：最多 500 个字"):
        extend_deadline(db, notice.notice_id, date(2024, 6, 20), "申" * (REASON_MAX + 1), "内勤")
    with pytest.raises(NoticeError, match="作废原因过长：最多 500 个字"):
        void_notice(db, notice.notice_id, "废" * (REASON_MAX + 1), "内勤")
    void_notice(db, notice.notice_id, "文书填写错误", "内勤")


def test_an_overlong_recusal_reason_is_refused(db):
    with db.session() as s:
        oid = add_object(s, ObjectData(name="沂源县鑫源宾馆", credit_code=make_code(1), type_name="旅馆",
                                       jurisdiction="城关派出所"), "a")
        iid = add_inspector(s, InspectorData("王强", "371323001", "治安大队"), "a")
        with pytest.raises(RosterError, match="回避原因过长：最多 500 个字"):
            add_recusal(s, iid, oid, "亲" * (REASON_MAX + 1), "a")
        assert add_recusal(s, iid, oid, "亲属关系", "a")
