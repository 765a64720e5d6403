"""Stories of the event register and of drawing a per-event item (issue 19 item 4)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models.draw_audit import draw_problems
from models.draw_prepare import prepare_draw
from models.draw_verify import verify_record
from models.errors import UserError
from models.event import DrawPickEvent, Event
from models.event_service import (
    EventData, EventError, add_event, events_of_period, list_events, set_event_active, update_event,
)
from models.draw import DrawPick
from tests.models.draw_fixtures import sealed_draw, sealed_redraw
from tests.models.event_fixtures import EVENTS, event_world
from usecases.event_import import import_event_file, preview_event_file


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Event))


def test_a_clerk_registers_three_events_by_organiser_name_or_code(db, data_dir):
    ids = event_world(db, data_dir)
    with db.session() as s:
        rows = list_events(s, year=2022)
    assert [r.name for r in rows] == ["沂源半程马拉松", "鲁中之夏演唱会", "2022年国庆焰火晚会"]  # by date
    marathon, concert, fireworks = rows
    assert marathon.date_from == marathon.date_to == date(2022, 5, 8) and marathon.scale is None
    assert concert.organiser_name == "淄博鲁中演艺有限公司" and concert.scale == 12000
    assert fireworks.approval_no == "沂公安许〔2022〕12号" and fireworks.dates == "2022-10-01"
    with db.session() as s:
        assert [e.name for e in events_of_period(s, date(2022, 7, 1), date(2022, 12, 31))] == [
            "鲁中之夏演唱会", "2022年国庆焰火晚会"]
        # the same event twice, an organiser not on the roster, an end before the start: refused by field
        with pytest.raises(EventError, match="已登记") as e:
            add_event(s, EVENTS[0], "张文书")
        assert e.value.field == "name"
        with pytest.raises(EventError, match="不在检查对象名录中") as e:
            add_event(s, EventData("灯会", "不存在的公司", "2022-02-15"), "张文书")
        assert e.value.field == "organiser"
        with pytest.raises(EventError, match="早于开始日期") as e:
            add_event(s, EventData("灯会", "沂源县体育中心", "2022-02-15", "2022-02-14"), "张文书")
        assert e.value.field == "date_to"
        update_event(s, ids["events"][2], EventData("沂源半程马拉松", "沂源县体育中心", "2022-05-08", place="县城环线",
                                                    scale="3000", approval_no="沂公安许〔2022〕5号"), "张文书")
        set_event_active(s, ids["events"][0], False, "张文书")
    with db.session() as s:
        assert [r.scale for r in list_events(s, year=2022) if r.name == "沂源半程马拉松"] == [3000]
        assert len(list_events(s, year=2022)) == 2 and len(list_events(s, year=2022, include_inactive=True)) == 3


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["活动名称", "举办单位（名称或统一社会信用代码）", "地点", "开始日期", "结束日期", "规模（人）",
               "审批文号"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_an_imported_sheet_with_a_bad_date_is_refused_naming_row_and_column_and_nothing_is_saved(db, data_dir,
                                                                                              tmp_path):
    event_world(db, data_dir, events=False)
    bad = _sheet(tmp_path / "活动.xlsx", [
        ["元宵灯会", "沂源县文化旅游发展有限公司", "历山街道", "2022-02-15", "", "5000", "沂公安许〔2022〕1号"],
        ["春季车展", "沂源县体育中心", "体育场", "2022-04-31", "", "", ""],
    ])
    with pytest.raises(UserError) as err:
        import_event_file(db, bad, "张文书")
    assert "第 3 行，“开始日期”列" in str(err.value) and "2022-04-31" in str(err.value)
    assert _count(db) == 0
    good = _sheet(tmp_path / "活动2.xlsx", [
        ["元宵灯会", "沂源县文化旅游发展有限公司", "历山街道", "2022-02-15", "", "5000", "沂公安许〔2022〕1号"],
        ["春季车展", "91370303MA3D000033", "体育场", "2022/4/30", "2022/5/2", "", ""],
    ])
    rows, problems = preview_event_file(db, good)
    assert not problems and [r for r, _d in rows] == [2, 3]
    assert len(import_event_file(db, good, "张文书")) == 2
    with db.session() as s:
        fair = next(r for r in list_events(s) if r.name == "春季车展")
    assert (fair.date_from, fair.date_to, fair.organiser_name) == (date(2022, 4, 30), date(2022, 5, 2),
                                                                    "淄博鲁中演艺有限公司")


def test_seed_002_per_event_item_draws_every_registered_event_with_inspectors_and_verifies(db, data_dir):
    ids = event_world(db, data_dir)
    with db.session() as s:
        prep = prepare_draw(s, 2022, "5", today=date(2022, 5, 1))
    assert prep.ready, prep.problems
    assert prep.total_eligible == 3 and prep.sizes == {"全部": 3}
    assert "本期（2022-01-01 至 2022-12-31）登记活动 3 场" in prep.notes
    saved = sealed_draw(db, prep)
    record = saved.record
    assert verify_record(record).ok
    assert [c["risk"] for c in record["candidates"]] == ["活动"] * 3
    assert {p["id"] for p in record["picks"]} == set(ids["events"])
    assert any(c["name"] == "鲁中之夏演唱会（淄博鲁中演艺有限公司，沂源县体育场）" for c in record["candidates"])
    assert any(c["code"] == "2022-07-16至2022-07-16｜沂公安许〔2022〕9号｜91370303MA3D000033"
               for c in record["candidates"])
    # 回避 with the 体育中心 follows its event (the marathon) into the record and the team
    marathon = ids["events"][2]
    assert record["inspection"]["recusals"] == [[ids["inspectors"][0], marathon]]
    team = next(a for a in record["assignments"] if a["object_id"] == marathon)
    assert len(team["inspectors"]) == 2 and ids["inspectors"][0] not in {i["id"] for i in team["inspectors"]}
    with db.session() as s:
        links = dict(s.execute(select(DrawPickEvent.event_id, DrawPick.object_id)
                               .join(DrawPick, DrawPick.id == DrawPickEvent.pick_id)).all())
        organiser = {e.id: e.organiser_id for e in s.scalars(select(Event))}
        assert links == {eid: organiser[eid] for eid in ids["events"]}  # each pick is the organiser, linked
        assert draw_problems(s) == []
    # once drawn, its identity is sealed: the date cannot change, the 规模 can
    with db.session() as s:
        with pytest.raises(EventError, match="已被抽取"):
            update_event(s, marathon, EventData("沂源半程马拉松", "沂源县体育中心", "2022-05-09",
                                                place="县城环线", approval_no="沂公安许〔2022〕5号"), "张文书")
        # a second round covers only events registered since; a redraw of an event record is refused
        prep2 = prepare_draw(s, 2022, "5", round=2, today=date(2022, 5, 1))
    assert not prep2.ready and prep2.excluded == {"本事项已抽取的活动": 3}
    with pytest.raises(UserError, match="按活动抽取"):
        sealed_redraw(db, saved.id, reason="重抽")


def test_a_share_of_the_periods_events_is_drawn(db, data_dir):
    event_world(db, data_dir)
    with db.session() as s:
        add_event(s, EventData("秋季灯光秀", "沂源县文化旅游发展有限公司", "2022-09-10", place="沂河公园"), "张文书")
        half = prepare_draw(s, 2022, "5", event_share=50, event_period=["2022-07-01", "2022-12-31"],
                            today=date(2022, 7, 1))
        two = prepare_draw(s, 2022, "5", size_override=2, today=date(2022, 7, 1))
    assert half.total_eligible == 3 and half.sizes == {"全部": 2}  # 50% of 3, rounded up
    assert two.total_eligible == 4 and two.sizes == {"全部": 2}
    saved = sealed_draw(db, half)
    assert len(saved.record["picks"]) == 2 and verify_record(saved.record).ok
    assert json.loads(json.dumps(saved.record)) == saved.record


def test_the_protocol_documents_the_event_candidate_lines_and_fingerprint(db, data_dir):
    """docs/draw-protocol.md §14: the example's candidate lines and fingerprint are what the app builds."""
    from pathlib import Path

    event_world(db, data_dir)
    with db.session() as s:
        prep = prepare_draw(s, 2022, "5", today=date(2022, 5, 1))
    doc = (Path(__file__).parents[2] / "docs" / "draw-protocol.md").read_text(encoding="utf-8")
    block = doc.split("<!-- event-candidate-lines -->\n```\n", 1)[1].split("```", 1)[0]
    lines = "".join(f"{c.id}\t{c.code}\t{c.name}\t{c.risk}\n" for c in prep.candidates)
    assert block == lines
    assert f"fingerprint `{prep.fingerprint}`" in doc
