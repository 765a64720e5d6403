"""Stories of the draw on the database: prepare the list, draw before witnesses, re-draw, substitute, and nothing
half-saved."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from models.admin import AuditEntry
from models.draw import DrawAssignment, DrawPick, DrawRecord
from models.draw_engine import DrawError, fingerprint
from models.draw_service import (
    STATUS_PARTIAL, STATUS_REDRAWN, STATUS_VALID, draw_sealed, effective_picks, list_draws, load_record,
    prepare_draw, record_status,
)
from models.seal_service import seal
from models.draw_verify import verify_record
from models.plan import PlanItem
from tests.models.draw_fixtures import (
    ENTROPY, SOURCE, WITNESSES, build_world, code, sealed_draw, sealed_redraw, sealed_substitute,
)


def _prepare(db, item="1", **kw):
    with db.read_session() as s:
        return prepare_draw(s, 2024, item, **kw)


def _draw(db, prep, **kw):
    return sealed_draw(db, prep, entropy=kw.pop("entropy", ENTROPY), **kw)


def redraw(db, record_id, *, reason, entropy, witnesses, place, operator):
    return sealed_redraw(db, record_id, reason=reason, entropy=entropy, witnesses=witnesses, place=place,
                         operator=operator)


def substitute(db, record_id, object_id, *, reason, entropy, witnesses, place, operator):
    return sealed_substitute(db, record_id, object_id, reason=reason, entropy=entropy, witnesses=witnesses,
                             place=place, operator=operator)


def _counts(db) -> tuple[int, ...]:
    with db.read_session() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (DrawRecord, DrawPick, DrawAssignment,
                                                                               AuditEntry))


def test_the_clerk_sees_only_eligible_hotels_with_counts_size_and_fingerprint(db):
    build_world(db)
    prep = _prepare(db)
    assert prep.problems == []
    assert prep.total_eligible == 41
    assert list(prep.strata) == ["全部"]
    names = {c.name for c in prep.candidates}
    assert not names & {"停业宾馆", "停业旅社", "注销招待所", "停用客栈"} and not any("网吧" in n for n in names)
    assert prep.excluded == {"非在营": 3, "已停用": 1}
    assert prep.sizes == {"全部": 3}  # 5% of 41, rounded up
    assert prep.total_size == 3
    assert prep.candidates == sorted(prep.candidates, key=lambda c: c.code)
    assert prep.fingerprint == fingerprint(prep.candidates) and len(prep.setup_fingerprint) == 64
    assert prep.responsible_units == ["治安大队"] and prep.partner_units == ["市场监督管理局"]
    assert "退休民警" not in {p.name for p in prep.inspectors}


def test_a_jurisdiction_narrows_the_list_and_is_counted(db):
    build_world(db)
    with db.session() as s:
        s.execute(PlanItem.__table__.update().values(level="县抽县查"))
    prep = _prepare(db, jurisdiction="城关派出所")
    assert prep.total_eligible == 20 and prep.excluded["其他辖区"] == 21
    assert prep.sizes == {"全部": 1}
    # The plan's 实施层级 travels with the list, so the clerk sees why a 辖区 may be chosen.
    assert prep.level == "县抽县查"


def test_a_draw_saves_picks_assignments_and_an_audit_entry_and_verifies(db):
    build_world(db)
    before = _counts(db)
    saved = _draw(db, _prepare(db))
    # 2 officers + 1 partner each; two audit entries: the seal and the draw
    assert _counts(db) == (before[0] + 1, before[1] + 3, before[2] + 9, before[3] + 2)
    with db.read_session() as s:
        row = s.get(DrawRecord, saved.id)
        assert [p.inspected_object.name for p in row.picks] == [p["name"] for p in saved.picks]
        for pick, entry in zip(row.picks, saved.assignments):
            assert [a.inspector_id for a in pick.assignments] == [i["id"] for i in entry["inspectors"]]
            assert [a.inspector.unit for a in pick.assignments] == ["治安大队", "治安大队", "市场监督管理局"]
        assert row.witnesses == WITNESSES and row.seed == saved.seed
        record = load_record(s, saved.id)
        assert record_status(s, saved.id) == STATUS_VALID
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert record == saved.record
    assert record["meta"]["witnesses"] == WITNESSES and record["meta"]["year"] == 2024
    assert record["meta"]["place"] == "局三楼会议室" and record["meta"]["operator"] == "张文书"
    assert record["item"]["number"] == "1" and record["round"] == 1
    assert verify_record(record, row.record_hash).ok
    assert entry.action == "抽取检查对象" and json.loads(entry.detail)["record_hash"] == row.record_hash


def test_a_second_plain_draw_of_the_same_item_and_round_is_refused(db):
    """Only a 重抽 with a reason (its own seal) or a new round may follow a plain draw."""
    build_world(db)
    first = _draw(db, _prepare(db))
    before = _counts(db)
    with pytest.raises(DrawError, match=f"已有抽取记录 #{first.id}.*只能抽取一次"):
        _draw(db, _prepare(db), entropy=["另一组 7 7 7"])
    assert _counts(db) == before
    second = _draw(db, _prepare(db, round=2))
    assert second.record["round"] == 2 and len(second.record["candidates"]) == 41  # a new round starts afresh


def test_a_list_that_changed_after_it_was_shown_is_not_sealed(db):
    build_world(db)
    shown = _prepare(db)
    with db.session() as s:
        s.get(PlanItem, 1).responsible_unit = "治安大队"  # unchanged: still fine
    from models.roster import InspectedObject
    with db.session() as s:
        s.get(InspectedObject, 1).name = "改名酒店"
    before = _counts(db)
    with pytest.raises(DrawError, match="重新准备"):
        _draw(db, shown)
    assert _counts(db) == before


def test_a_redraw_is_a_new_record_and_the_old_one_stays_replaced(db):
    build_world(db)
    first = _draw(db, _prepare(db))
    with pytest.raises(DrawError, match="原因"):
        redraw(db, first.id, reason=" ", entropy=ENTROPY, witnesses=WITNESSES, place="", operator="张文书")
    again = redraw(db, first.id, reason="见证人未到场，程序不合规", entropy=["重抽 4 4 1"], witnesses=WITNESSES,
                   place="会议室", operator="张文书")
    assert again.kind == "redraw" and again.record["meta"]["replaces_id"] == first.id
    assert again.record["meta"]["replaces_record_hash"] == first.record_hash
    assert len(again.picks) == 3 and len(again.record["candidates"]) == 41  # the old picks are eligible again
    with db.read_session() as s:
        summaries = {d.id: d for d in list_draws(s, 2024)}
        assert summaries[first.id].status == STATUS_REDRAWN and summaries[again.id].status == STATUS_VALID
        assert summaries[again.id].reason == "见证人未到场，程序不合规" and summaries[again.id].replaces_id == first.id
        assert load_record(s, first.id) == first.record  # the old record is untouched
        assert {p.draw_id for p in effective_picks(s, 2024)} == {again.id}
    with pytest.raises(DrawError, match="已被重抽替代"):
        redraw(db, first.id, reason="再来", entropy=ENTROPY, witnesses=WITNESSES, place="", operator="张文书")


def test_a_substitute_replaces_one_object_with_one_never_drawn_this_round(db):
    build_world(db)
    first = _draw(db, _prepare(db))
    gone = first.picks[1]
    sub = substitute(db, first.id, gone["id"], reason="到场发现已注销", entropy=["替补 2 6 4"], witnesses=WITNESSES,
                     place="会议室", operator="张文书")
    assert sub.kind == "substitute" and len(sub.picks) == 1
    assert sub.picks[0]["id"] not in {p["id"] for p in first.picks}
    assert sub.record["meta"]["replaced_object"]["code"] == gone["code"]
    assert len(sub.assignments[0]["inspectors"]) == 3
    with db.read_session() as s:
        assert record_status(s, first.id) == STATUS_PARTIAL and record_status(s, sub.id) == STATUS_VALID
        picked = [p.object_id for p in effective_picks(s, 2024)]
    assert len(picked) == 3 and gone["id"] not in picked and sub.picks[0]["id"] in picked
    with pytest.raises(DrawError, match="没有仍然有效"):
        substitute(db, first.id, gone["id"], reason="再次", entropy=ENTROPY, witnesses=WITNESSES, place="",
                   operator="张文书")
    # The substitute itself can be replaced again through the original record.
    sub2 = substitute(db, first.id, sub.picks[0]["id"], reason="也已停业", entropy=["替补 1 9"],
                      witnesses=WITNESSES, place="", operator="张文书")
    assert sub2.record["meta"]["replaces_id"] == sub.id
    assert sub2.picks[0]["id"] not in {gone["id"], sub.picks[0]["id"]} | {p["id"] for p in first.picks}


def test_recused_inspectors_are_never_sent_to_their_objects(db):
    # Officers 0-2 are recused from every hotel: only officers 3-5 may go.
    pairs = [(i, o) for i in range(3) for o in range(41)]
    build_world(db, recusals=pairs)
    # Police-only on purpose (a 部门联合 item then needs the clerk's reason, sealed with the setup).
    prep = _prepare(db, size_override=10, partner_units=[], partner_gap_reason="只核对回避，不派市场监管人员")
    assert len(prep.recusals) == 3 * 41
    saved = _draw(db, prep)
    used = {i["name"] for a in saved.assignments for i in a["inspectors"]}
    assert used <= {"民警3", "民警4", "民警5"}
    for a in saved.assignments:
        assert len({i["id"] for i in a["inspectors"]}) == 2
    assert verify_record(saved.record).ok


def test_too_few_inspectors_stops_the_draw_naming_the_object_and_saves_nothing(db):
    # Five of six officers are recused from hotel 7; drawing every hotel must reach it.
    build_world(db, recusals=[(i, 7) for i in range(5)])
    ann = seal(db, _prepare(db, size_override=41), entropy_source=SOURCE, operator="张文书")
    before = _counts(db)
    with pytest.raises(DrawError) as err:
        draw_sealed(db, 2024, ann.number, entropy=ENTROPY, witnesses=WITNESSES, place="", operator="张文书")
    assert "平安07号酒店" in str(err.value) and code(7) in str(err.value) and "回避" in str(err.value)
    assert _counts(db) == before


def test_blocking_problems_are_explained_before_any_draw(db):
    build_world(db)
    per_event = _prepare(db, "3")  # 大型群众性活动 covers registered events: none are registered yet
    assert any("没有可抽取的登记活动" in p for p in per_event.problems)
    with pytest.raises(DrawError, match="无法封存"):
        _draw(db, per_event)
    assert _prepare(db, "2").sizes == {"全部": 2}  # "2户" of 3 internet cafés
    assert _prepare(db, "1", size_override=99).sizes == {"全部": 41}  # capped at the eligible count
    lonely = _prepare(db, responsible_units=["网安大队"])
    assert any("网安大队" in p for p in lonely.problems)
    with pytest.raises(DrawError, match="见证人"):
        _draw(db, _prepare(db), witnesses=[" "])
    with pytest.raises(DrawError, match="现场随机数"):
        _draw(db, _prepare(db, round=3), entropy=["  "])
    with pytest.raises(DrawError, match="没有编号"):
        _prepare(db, "99")


def test_an_item_without_object_types_cannot_be_drawn(db):
    build_world(db)
    with db.session() as s:
        s.scalars(select(PlanItem).where(PlanItem.number == "2")).one().object_types = []
    assert any("未关联检查对象类型" in p for p in _prepare(db, "2").problems)


def test_a_risk_differentiated_item_draws_each_level_separately(db):
    build_world(db)
    with db.session() as s:
        item = s.scalars(select(PlanItem).where(PlanItem.number == "1")).one()
        item.risk_differentiated = True
        item.est_risk = {"高风险": 2, "中风险": 1, "中低风险": 0, "低风险": 15}
    prep = _prepare(db)
    assert prep.stratify and list(prep.strata) == ["高风险", "中风险", "中低风险", "低风险"]
    assert {k: len(v) for k, v in prep.strata.items()} == {"高风险": 11, "中风险": 10, "中低风险": 10, "低风险": 10}
    assert prep.sizes == {"高风险": 2, "中风险": 1, "中低风险": 0, "低风险": 10}
    saved = _draw(db, prep)
    strata = [p["stratum"] for p in saved.picks]
    assert strata.count("高风险") == 2 and strata.count("中风险") == 1 and strata.count("低风险") == 10
    risk = {c["id"]: c["risk"] for c in saved.record["candidates"]}
    assert all(risk[p["id"]] == p["stratum"] for p in saved.picks)
    assert verify_record(saved.record).ok


def test_a_record_altered_in_the_file_is_refused_when_loaded(db):
    build_world(db)
    saved = _draw(db, _prepare(db))
    altered = json.dumps({**saved.record, "seed": "0" * 64}, ensure_ascii=False)
    if db.is_sqlite:
        con = sqlite3.connect(db.path)
        con.execute("DROP TRIGGER draw_records_no_update")
        con.execute("UPDATE draw_records SET record_json=? WHERE id=?", (altered, saved.id))
        con.commit()
        con.close()
    else:  # someone with the server's owner rights drops the lock trigger and edits the row
        from sqlalchemy import text as sql

        with db.engine.begin() as conn:
            conn.execute(sql("DROP TRIGGER draw_records_no_change ON draw_records"))
            conn.execute(sql("UPDATE draw_records SET record_json=:j WHERE id=:i"), {"j": altered, "i": saved.id})
    with db.read_session() as s, pytest.raises(DrawError, match="篡改"):
        load_record(s, saved.id)


def test_the_draw_service_imports_no_qt():
    code_ = "import sys, models.draw_service, reports.draw_docs; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code_], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[2]))


def test_drawing_outside_the_items_inspection_months_is_noted_not_refused(db):
    """The plan says 检查时间 5—10月: a draw prepared in December is told so (screen and command line show
    the notes), and can still go ahead; inside the window nothing is said."""
    from datetime import date

    from models.plan import PlanItem

    build_world(db)
    with db.session() as s:
        item = s.query(PlanItem).filter_by(number="1").one()
        item.month_from, item.month_to = 5, 10
    with db.read_session() as s:
        late = prepare_draw(s, 2024, "1", today=date(2024, 12, 5))
        inside = prepare_draw(s, 2024, "1", today=date(2024, 6, 1))
    assert ("本事项的检查时间为 2024 年 5—10月，到今天（2024年12月5日）已经结束："
            "抽中的对象将在检查时间之外检查，请确认是否现在抽取") in late.notes
    assert not late.problems
    assert not any("检查时间" in n for n in inside.notes)
    assert late.fingerprint == inside.fingerprint  # a note, never part of what is sealed


def test_a_rule_with_a_ratio_per_risk_level_draws_each_level_by_its_own_share(db):
    """差异化抽查 as a plan writes it: "高风险30%，中风险10%，低风险3%". The draw stratifies by risk level, each
    level gives its share of its own eligible objects (rounded up), a level the rule does not name gives none
    (and the clerk is told), and the sealed draw's picks keep to those numbers."""
    from datetime import date, datetime

    from models.draw import DrawPick
    from models.plan import PlanItem
    from models.roster import InspectedObject

    build_world(db)  # 41 open hotels: 11 高风险, 10 each of 中风险, 中低风险, 低风险
    with db.session() as s:
        s.query(PlanItem).filter_by(number="1").one().ratio_text = "差异化抽查：高风险30%，中风险10%，低风险3%，每年1次"
    with db.read_session() as s:
        prep = prepare_draw(s, 2024, "1", today=date(2024, 6, 1))
    assert not prep.problems
    assert prep.stratify
    assert prep.sizes == {"高风险": 4, "中风险": 1, "中低风险": 0, "低风险": 1}
    assert "抽查比例未规定中低风险的比例，中低风险的 10 户本次不抽取" in prep.notes
    assert prep.rule_desc == "高风险30%、中风险10%、低风险3%，每年1次"

    saved = sealed_draw(db, prep, clock=lambda: datetime(2024, 6, 1, 9, 0))
    with db.read_session() as s:
        levels = [s.get(InspectedObject, p.object_id).risk_level
                  for p in s.query(DrawPick).filter_by(draw_id=saved.id)]
    assert sorted(levels) == sorted(["高风险"] * 4 + ["中风险", "低风险"])
