"""A year with everything the publicity and statistics stories need.

A draw, a re-draw, inspections, notices at each stage.

Plan 2024 (测试县公安局): item 1 旅馆 (5% → 3 hotels, record #1) and item 2 网吧 (2户,
drawn as record #2, then re-drawn as record #3 because 见证人未到场). Every object has a
phone number and a legal representative that must never be published; the first hotel
drawn is renamed to a text that looks like a formula.

Hotel A: no problem. Hotel B: hazards, notice served, 复查 已整改 (rectified on time).
Hotel C: drawn, not inspected (待检查). Café 1 (record #3): hazards, notice with deadline
2024-06-06 and no 复查 (整改中 before it, 逾期未整改 after). Café 2: not inspected.
"""
from __future__ import annotations

from datetime import date

from models.draw_service import effective_picks, prepare_draw
from tests.models.draw_fixtures import sealed_draw, sealed_redraw
from models.notice_service import record_served
from usecases.notice_issue import issue_notice, record_reinspection
from models.roster import InspectedObject, Inspector
from tests.models.draw_fixtures import ENTROPY, WITNESSES
from tests.models.inspection_fixtures import DRAWN_AT, HAZARDS, drawn_world, record

FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")酒店'
REDRAW_REASON = "见证人未到场，程序不合规"


def phone_of(n: int) -> str:
    return f"1380000{n:04d}"


def publicity_world(db, tmp_path) -> dict:
    world = drawn_world(db)
    with db.session() as s:
        for obj in s.query(InspectedObject):
            obj.phone = phone_of(obj.id)
            obj.legal_rep = f"法人{obj.id}"
        for person in s.query(Inspector):
            person.cert_no = f"执法证{person.badge_no}"
        prep = prepare_draw(s, 2024, "2")
    first_cafe = sealed_draw(db, prep, entropy=ENTROPY, witnesses=WITNESSES, place="会议室", operator="测试员",
                              clock=lambda: DRAWN_AT)
    again = sealed_redraw(db, first_cafe.id, reason=REDRAW_REASON, entropy=["再抽 1 2 3"], witnesses=WITNESSES,
                   place="会议室", operator="测试员", clock=lambda: DRAWN_AT)
    with db.session() as s:
        picks = effective_picks(s, 2024)
        hotels = [p for p in picks if p.draw_id == world["draw_id"]]
        cafes = [p for p in picks if p.draw_id == again.id]
        s.get(InspectedObject, hotels[0].object_id).name = FORMULA_NAME
    a, b, c = hotels
    record(db, a.pick_id)
    b_insp = record(db, b.pick_id, hazards=HAZARDS)
    out = tmp_path / "notices"
    out.mkdir(exist_ok=True)
    n_b = issue_notice(db, b_insp, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="内勤", out_dir=out)
    record_served(db, n_b.notice_id, date(2024, 5, 8), "内勤")
    record_reinspection(db, n_b.notice_id, date(2024, 6, 3), "已整改", "", "内勤", out_dir=out)
    cafe_insp = record(db, cafes[0].pick_id, hazards=HAZARDS[:1], day=date(2024, 5, 9))
    n_c = issue_notice(db, cafe_insp, deadline=date(2024, 6, 6), issue_date=date(2024, 5, 10), actor="内勤",
                       out_dir=out)
    record_served(db, n_c.notice_id, date(2024, 5, 10), "内勤")
    with db.session() as s:
        phones = [o.phone for o in s.query(InspectedObject)]
        badges = [i.badge_no for i in s.query(Inspector)]
        inspector_names = [i.name for i in s.query(Inspector)]
    world.update(hotels=hotels, cafes=cafes, first_cafe_id=first_cafe.id, redraw_id=again.id,
                 phones=phones, badges=badges, inspector_names=inspector_names,
                 redraw_fingerprint=again.record["fingerprint"])
    return world
