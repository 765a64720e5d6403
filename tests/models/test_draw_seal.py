"""Stories of the sealed draw: an announcement is signed before any entropy exists, and the draw must match it."""
from __future__ import annotations

import copy
import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from models import draw_announcement
from models.admin import AuditEntry
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_engine import DrawError, derive_seed
from models.draw_prepare import prepare_draw
from models.draw_service import draw_sealed
from models.draw_verify import verify_record
from models.roster import InspectedObject, Inspector, Recusal
from models.seal import DrawAnnouncement
from models.seal_service import list_announcements, seal, void
from tests.models.draw_fixtures import ENTROPY, SOURCE, WITNESSES, build_world


def _prepare(db, item="1", **kw):
    with db.read_session() as s:
        return prepare_draw(s, 2024, item, **kw)


def _seal(db, item="1", **kw):
    return seal(db, _prepare(db, item, round=kw.pop("round", 1)), entropy_source=kw.pop("source", SOURCE),
                operator="张文书", **kw)


def _draw(db, number, **kw):
    return draw_sealed(db, 2024, number, entropy=kw.pop("entropy", ENTROPY), witnesses=WITNESSES,
                       place="局三楼会议室", operator="张文书", **kw)


def _counts(db):
    with db.read_session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t))
                     for t in (DrawRecord, DrawPick, DrawAssignment, AuditEntry))


def test_a_witness_signs_the_announcement_then_watches_the_draw_made_against_it(db):
    build_world(db)
    ann = _seal(db)
    assert (ann.year, ann.number, ann.label) == (2024, 1, "2024-001")
    body = ann.announcement
    assert body["protocol"] == "SSJ-DRAW-2" and body["bureau"] == "测试县公安局"
    assert body["item"]["name"] == "对旅馆的监督检查" and body["round"] == 1 and body["jurisdiction"] == ""
    assert len(body["candidates"]) == 41 and body["rule"]["sizes"] == {"全部": 3}
    assert body["inspection"]["responsible_units"] == ["治安大队"] and body["entropy_source"]["text"] == SOURCE
    assert ann.commitment == draw_announcement.commitment(json.loads(ann.json_text))
    saved = _draw(db, ann.number)
    rec = saved.record
    assert rec["algorithm"] == "SSJ-DRAW-2" and rec["commitment"] == ann.commitment
    assert rec["announcement"]["number"] == 1 and rec["meta"]["announcement_number"] == "2024-001"
    # The commitment is in the seed: the record proves which announcement it came from.
    assert rec["seed"] == derive_seed(rec["fingerprint"], rec["setup_fingerprint"], rec["entropy"]["normalised"],
                                      "SSJ-DRAW-2", ann.commitment)
    assert verify_record(rec, saved.record_hash, announcement=json.loads(ann.json_text)).ok
    with db.read_session() as s:
        assert s.get(DrawRecord, saved.id).announcement_id == ann.id
        [line] = list_announcements(s, 2024)
    assert line.status == "已抽取" and line.draw_id == saved.id


@pytest.mark.parametrize("change, named", [
    ("recusal", "新增回避关系"),
    ("deactivate", "检查人员减少 1 个"),
    ("rename", "待抽检查对象内容变化 1 个"),
    ("close", "待抽检查对象减少 1 个"),
])
def test_the_auditors_attack_fails_any_change_after_the_seal_refuses_the_draw(db, change, named):
    build_world(db)
    ann = _seal(db)
    with db.session() as s:
        hotel = s.get(InspectedObject, ann.announcement["candidates"][5]["id"])
        officer = s.execute(select(Inspector).where(Inspector.name == "民警2")).scalar_one()
        if change == "recusal":
            s.add(Recusal(inspector_id=officer.id, object_id=hotel.id, reason="新发现的亲属"))
        elif change == "deactivate":
            officer.active = False
        elif change == "rename":
            hotel.name = hotel.name + "（新）"
        else:
            hotel.status = "停业"
    before = _counts(db)
    with pytest.raises(DrawError) as err:
        _draw(db, ann.number)
    assert "2024-001" in str(err.value) and named in str(err.value) and "未保存" in str(err.value)
    assert _counts(db) == before


def test_a_voided_announcement_stays_listed_with_its_reason_and_cannot_be_drawn(db):
    build_world(db)
    first = _seal(db)
    with pytest.raises(DrawError, match="尚未抽取的抽取公告 2024-001"):
        _seal(db)
    with pytest.raises(DrawError, match="原因"):
        void(db, 2024, 1, reason="  ", operator="张文书")
    void(db, 2024, 1, reason="见证人未能到场", operator="张文书")
    with pytest.raises(DrawError, match="已作废（见证人未能到场）"):
        _draw(db, first.number)
    second = _seal(db)
    assert second.number == 2  # the voided number is never reused
    with pytest.raises(DrawError, match="已作废"):
        void(db, 2024, 1, reason="再次", operator="张文书")
    saved = _draw(db, 2)
    with pytest.raises(DrawError, match="已用于抽取记录"):
        _draw(db, 2)
    with pytest.raises(DrawError, match="已抽取"):
        void(db, 2024, 2, reason="事后作废", operator="张文书")
    with db.read_session() as s:
        lines = {a.label: a for a in list_announcements(s)}
        with pytest.raises(Exception):  # append-only: the database refuses to delete an announcement
            s.execute(DrawAnnouncement.__table__.delete())
            s.flush()
    assert lines["2024-001"].status == "作废" and lines["2024-001"].void_reason == "见证人未能到场"
    assert lines["2024-002"].status == "已抽取" and lines["2024-002"].draw_id == saved.id


def test_a_named_lottery_must_be_drawn_after_the_seal_and_not_before_its_date(db):
    build_world(db)
    sealed_on = lambda: datetime(2024, 5, 6, 9, 0)
    with pytest.raises(DrawError, match="须晚于封存日期"):
        _seal(db, source="福利彩票双色球第2024051期开奖号码", lottery_date=date(2024, 5, 6), clock=sealed_on)
    ann = _seal(db, source="福利彩票双色球第2024051期开奖号码", lottery_date=date(2024, 5, 7), clock=sealed_on)
    assert ann.announcement["entropy_source"]["lottery_date"] == "2024-05-07"
    with pytest.raises(DrawError, match="开奖之前不能抽取"):
        _draw(db, ann.number, clock=lambda: datetime(2024, 5, 6, 21, 0))
    saved = _draw(db, ann.number, entropy=["公开来源：双色球 2024051 03 08 15 21 27 30 12"],
                  clock=lambda: datetime(2024, 5, 8, 9, 0))
    assert verify_record(saved.record).ok


def test_thin_entropy_is_refused_by_the_service_for_every_caller(db):
    build_world(db)
    ann = _seal(db)
    for entropy, reason in ((["  "], "至少输入一项"), (["7"], "过短"), (["骰子点数：3 9"], "1 至 6"),
                            (["现场报数：十二"], "只能是数字")):
        with pytest.raises(DrawError, match=reason):
            _draw(db, ann.number, entropy=entropy)
    assert _draw(db, ann.number, entropy=["骰子点数：3 5 6"]).record["entropy"]["typed"] == ["骰子点数：3 5 6"]


def test_an_announcement_file_that_differs_from_the_record_is_named(db):
    build_world(db)
    ann = _seal(db)
    saved = _draw(db, ann.number)
    other = copy.deepcopy(json.loads(ann.json_text))
    other["jurisdiction"] = "城关派出所"
    result = verify_record(saved.record, announcement=other)
    assert not result.ok and "jurisdiction" in result.message
    tampered = copy.deepcopy(saved.record)
    tampered["round"] = 2  # outside every v1 check; the commitment now binds it
    assert "承诺值不一致" in verify_record(tampered).message
    tampered = copy.deepcopy(saved.record)
    tampered["candidates"].reverse()
    assert "未按规范顺序" in verify_record(tampered).message
    tampered = copy.deepcopy(saved.record)
    tampered["extra"] = 1
    assert "未定义的字段「extra」" in verify_record(tampered).message
    assert "格式错误" in verify_record(saved.record, expected_hash="9f06").message
    assert "记录本身尚未被判定为不一致" in verify_record(saved.record, expected_hash="9f06").message


def test_redraw_and_substitute_each_go_through_their_own_seal(db):
    from models.seal_service import seal_redraw, seal_substitute

    build_world(db)
    first = _draw(db, _seal(db).number)
    with pytest.raises(DrawError, match="原因"):
        seal_redraw(db, first.id, reason=" ", entropy_source=SOURCE, operator="张文书")
    ann = seal_redraw(db, first.id, reason="见证人未签到", entropy_source=SOURCE, operator="张文书")
    assert ann.announcement["kind"] == "redraw" and ann.announcement["replaces"]["record_hash"] == first.record_hash
    again = _draw(db, ann.number)
    assert again.record["announcement"]["replaces"]["record_id"] == first.id and verify_record(again.record).ok
    gone = again.picks[0]
    sub_ann = seal_substitute(db, again.id, gone["id"], reason="已注销", entropy_source=SOURCE, operator="张文书")
    assert sub_ann.announcement["replaces"]["object"]["id"] == gone["id"]
    assert gone["id"] not in {c["id"] for c in sub_ann.announcement["candidates"]}
    sub = _draw(db, sub_ann.number)
    assert sub.kind == "substitute" and verify_record(sub.record).ok
