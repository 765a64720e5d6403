"""The seat that comes second is told who came first and when — on either engine, one step after the other.

(The same refusals under a real race, seats as processes at one barrier, are in test_postgresql_seats_at_once.py.)
"""
from __future__ import annotations

from datetime import datetime

import pytest

from models.draw_engine import DrawError
from models.draw_prepare import prepare_draw
from models.draw_service import draw_sealed
from models.seal_service import OpenAnnouncementError, seal, void
from tests.models.draw_fixtures import ENTROPY, SOURCE, WITNESSES, build_world

MORNING = datetime(2024, 4, 22, 9, 30)


def _seal(db, clerk):
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1")
    return seal(db, prep, entropy_source=SOURCE, operator=clerk, clock=lambda: MORNING)


def _draw(db, number, clerk):
    return draw_sealed(db, 2024, number, entropy=ENTROPY, witnesses=WITNESSES, place="局三楼会议室", operator=clerk,
                       clock=lambda: MORNING)


def test_a_second_seal_of_an_item_is_refused_naming_who_sealed_the_open_one(db):
    build_world(db)
    first = _seal(db, "张三")
    with pytest.raises(OpenAnnouncementError) as refused:
        _seal(db, "李四")
    assert str(refused.value).startswith(
        "本事项本轮次已有尚未抽取的抽取公告 2024-001（张三 于 2024-04-22 09:30 封存）：")
    assert refused.value.label == first.label


def test_a_draw_or_void_of_a_used_announcement_and_a_new_seal_are_refused_naming_who_drew(db):
    build_world(db)
    ann = _seal(db, "张三")
    saved = _draw(db, ann.number, "张三")
    with pytest.raises(DrawError) as again:
        _draw(db, ann.number, "李四")
    assert str(again.value) == (f"抽取公告 2024-001 已用于抽取记录 #{saved.id}（张三 于 2024-04-22 09:30 抽取），"
                                "不能再次抽取")
    drawn_by = rf"#{saved.id}（张三 于 2024-04-22 09:30 抽取）"
    with pytest.raises(DrawError, match=rf"已有抽取记录 {drawn_by}：同一事项同一轮次只能抽取一次"):
        _seal(db, "李四")
    with pytest.raises(DrawError, match=rf"已抽取（记录 {drawn_by}），不能作废"):
        void(db, 2024, ann.number, reason="重复", operator="李四")


def test_a_seat_stuck_in_the_middle_of_a_write_makes_the_others_wait_then_told_in_chinese(db, monkeypatch):
    """A seat whose transaction hangs after its audit entry (a frozen PC) holds the log; the next seat waits
    a bounded time, then is told nothing was saved, instead of hanging or seeing a raw lock error."""
    from sqlalchemy import func, select

    from models import audit
    from models.admin import AuditEntry
    from models.errors import DatabaseBusy

    if db.is_sqlite:
        pytest.skip("SQLite: one writer holds the whole file; the wait there is the busy timeout")
    monkeypatch.setattr(audit, "LOCK_WAIT_SECONDS", 1)
    with db.session() as frozen:
        audit.append(frozen, user="张三", action="登录", entity="用户", entity_id="张三")
        with pytest.raises(DatabaseBusy) as busy, db.session() as s:
            audit.append(s, user="李四", action="登录", entity="用户", entity_id="李四")
        assert str(busy.value) == "其他工作站正在写入数据库，等待超过 1 秒仍未完成。本次操作未保存，请稍后重试。"
    with db.session() as s:  # the frozen seat's entry committed; the next append goes through again
        audit.append(s, user="李四", action="登录", entity="用户", entity_id="李四")
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "登录")) == 2
        assert audit.verify_chain(s).ok
