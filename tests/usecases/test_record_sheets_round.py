"""Stories: before a day's round, a 派出所 clerk prints the 现场检查记录 for the hotels its monthly duty still needs —
one per hotel, naming 日常巡查 and the duty's rule, with the hotel checklist of the newest plan — or is told in
Chinese why not."""
from __future__ import annotations

import re
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from models.duties import DutyData, add_duty, set_duty_active
from models.record_sheets import RecordSheetError
from models.record_sheets_round import RoundSheetRequest, sheets_for_round
from models.roster import InspectedObject, ObjectType, Recusal
from tests.helpers import docx_text
from tests.models.duty_fixtures import round_check
from usecases.record_sheets import print_round_sheets

from tests.models.round_sheet_fixtures import BASIS, CHECKLIST, CITY, MAY_20, OLD_CHECKLIST, round_world


@pytest.fixture
def world(db):
    return round_world(db)


def may_request(world, **kw) -> RoundSheetRequest:
    return RoundSheetRequest(**{"duty_id": world["monthly"], "jurisdiction": CITY, "year": 2024, "month": 5, **kw})


def test_a_clerk_prints_the_hotels_still_due_this_month_one_record_each(db, world, tmp_path):
    round_check(db, world["objects"]["平安宾馆"], date(2024, 5, 3), duty_id=world["monthly"])
    out = tmp_path / "五月巡查"
    result = print_round_sheets(db, may_request(world, inspect_date=MAY_20), out, bound=True, today=MAY_20)
    due = sorted(["如家酒店城关店", "迎宾旅社"])
    assert [p.name for p in result.written] == [f"{n:02d}-{name}-现场检查记录.docx"
                                               for n, name in enumerate(due, start=1)]
    assert result.bound.name == f"巡查任务{world['monthly']}-{CITY}-2024年5月-现场检查记录-合订本.docx"
    assert "城关派出所2024年5月日常巡查（旅馆 每月1次）待查的 2 个检查对象各打印一份现场检查记录" in result.summary()
    for n, (path, name) in enumerate(zip(result.written, due), start=1):
        text = docx_text(path)
        assert name in text and "平安宾馆" not in text and "南麻" not in text
        assert "日常巡查（旅馆 每月1次）" in text
        assert f"日常巡查任务（编号 {world['monthly']}）{CITY} 2024年5月；依据：{BASIS}" in text
        assert "检查内容参照2024年度抽查事项 1．对旅馆业的检查" in text
        assert all(point in text for point in CHECKLIST) and OLD_CHECKLIST[0] not in text
        assert "2024年5月20日" in text and f"编号：巡查{world['monthly']}-202405-{n:02d}" in text
        assert "执法证号" in text and "李警官" not in text        # no officers chosen: lines to fill by hand
        assert "{{" not in text and "{%" not in text
    assert len(Document(str(result.bound)).sections) == 2
    assert all(name in docx_text(result.bound) for name in due)


def test_officers_chosen_by_badge_are_printed_and_one_who_must_recuse_stops_the_batch(db, world, tmp_path):
    result = print_round_sheets(db, may_request(world, badges=["100001", "100002"]), tmp_path, today=MAY_20)
    assert len(result.written) == 3
    text = docx_text(result.written[0])
    assert "李警官　执法证号：鲁公执字100001" in text and "王警官　执法证号：鲁公执字100002" in text
    assert "　　　　年　　月　　日" in text                 # no date chosen: left blank
    with db.session() as s:
        s.add(Recusal(inspector_id=world["officers"][1], object_id=world["objects"]["迎宾旅社"], reason="亲属"))
    with pytest.raises(RecordSheetError, match="王警官（警号 100002）与“迎宾旅社”有回避关系（亲属）"):
        print_round_sheets(db, may_request(world, badges=["100002"]), tmp_path / "again", today=MAY_20)
    assert not (tmp_path / "again").exists()


def test_a_named_unit_duty_and_the_whole_bureau_take_every_辖区(db, world):
    with db.session() as s:
        yearly = add_duty(s, DutyData("旅馆", "每年", unit="治安大队"), "治安大队")
        found = sheets_for_round(s, RoundSheetRequest(duty_id=yearly, inspect_date=MAY_20), today=MAY_20)
    assert found.period == "2024年" and len(found.sheets) == 5
    assert {s.unit_name for s in found.sheets} == {"平安宾馆", "如家酒店城关店", "迎宾旅社", "南麻大酒店", "南麻客栈"}
    assert [s.seq for s in found.sheets] == [1, 2, 3, 4, 5]
    assert found.sheets[0].source_ref == "旅馆 每年1次"
    assert found.sheets[0].item_label.startswith(f"日常巡查任务（编号 {yearly}）治安大队 2024年")


@pytest.mark.parametrize("change, message", [
    ({"duty_id": 999}, "巡查任务：没有编号为 999 的日常巡查任务"),
    ({"jurisdiction": "东关派出所"}, "辖区：名录库中没有辖区为“东关派出所”的检查对象"),
    ({"month": 13}, "月份 13 无效，应为 1～12"),
    ({"inspect_date": date(2024, 6, 3)}, "检查日期：2024年6月3日不在所选的一期（2024年5月1日至2024年5月31日）内"),
])
def test_refusals_name_the_field(db, world, change, message):
    request = may_request(world, **change)
    with db.session() as s, pytest.raises(RecordSheetError, match=re.escape(message)):
        sheets_for_round(s, request, today=MAY_20)


def test_a_stopped_duty_a_辖区_without_hotels_and_a_finished_round_are_refused(db, world, tmp_path):
    with db.session() as s:
        pawn = s.scalar(select(ObjectType.id).where(ObjectType.name == "典当行"))
        s.add(InspectedObject(name="东关典当行", credit_code="91370300MA3C4DG001", object_type_id=pawn,
                              jurisdiction="东关派出所"))
    with db.session() as s, pytest.raises(RecordSheetError) as err:
        sheets_for_round(s, may_request(world, jurisdiction="东关派出所"), today=MAY_20)
    assert str(err.value) == "辖区：“东关派出所”没有在营的旅馆，巡查任务“旅馆 每月1次”在该辖区没有检查对象"

    for name in ("平安宾馆", "如家酒店城关店", "迎宾旅社"):
        round_check(db, world["objects"][name], date(2024, 5, 6), duty_id=world["monthly"])
    with pytest.raises(RecordSheetError) as err:
        print_round_sheets(db, may_request(world), tmp_path / "done", today=MAY_20)
    assert "在城关派出所2024年5月没有待查的对象（共 3 个对象，已查 3 个），不需要打印现场检查记录" in str(err.value)
    assert not (tmp_path / "done").exists()

    with db.session() as s:
        set_duty_active(s, world["monthly"], False, "治安大队")
    with db.session() as s, pytest.raises(RecordSheetError, match="已停用，不能再为它打印现场检查记录"):
        sheets_for_round(s, may_request(world, month=6), today=MAY_20)


def test_cancelling_the_round_stops_after_the_record_being_written(db, world, tmp_path):
    calls = []
    result = print_round_sheets(db, may_request(world), tmp_path, lambda done, total: calls.append((done, total)),
                                lambda: len(calls) >= 1, bound=True, today=MAY_20)
    assert result.cancelled and len(result.written) == 1 and calls == [(1, 4)]
    assert "已取消，其余 2 份未打印" in result.summary()
