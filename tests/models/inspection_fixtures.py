"""A drawn world for the inspection and notice stories: the draw fixtures' roster and plan, with real draws saved."""
from __future__ import annotations

from datetime import date, datetime

from models.draw_service import effective_picks, prepare_draw
from models.inspection_service import CheckInput, HazardInput, InspectionData, inspection_form, record_inspection
from models.plan import ChecklistEntry, PlanItem
from models.roster import InspectedObject
from tests.models.draw_fixtures import ENTROPY, WITNESSES, build_world, sealed_draw

CHECKLIST = ["是否按规定登记旅客身份信息", "视频监控录像是否保存30日以上", "消防通道是否畅通"]
# The stories' draws happen in spring 2024, before the inspections they lead to.
DRAWN_AT = datetime(2024, 4, 22, 9, 30)
HAZARDS = [("监控录像保存不足30日", "《旅馆业治安管理办法》第六条"),
           ("未按规定登记旅客身份信息", "《旅馆业治安管理办法》第六条")]


def drawn_world(db) -> dict:
    """Plan 2024 with a checklist on item 1 (旅馆); item 1 drawn (3 hotels) with inspectors."""
    world = build_world(db)
    with db.session() as s:
        item = s.query(PlanItem).filter_by(number="1").one()
        for n, text in enumerate(CHECKLIST, start=1):
            s.add(ChecklistEntry(plan_item_id=item.id, seq=n, text=text))
        for obj in s.query(InspectedObject):
            obj.address = f"城关镇{obj.id}号"
        prep = prepare_draw(s, 2024, "1")
    saved = sealed_draw(db, prep, entropy=ENTROPY, witnesses=WITNESSES, place="治安大队会议室", operator="测试员",
                        clock=lambda: DRAWN_AT)
    with db.session() as s:
        picks = effective_picks(s, 2024)
    world.update(draw_id=saved.id, picks=picks, item_id=prep.plan_item_id)
    return world


def form_data(db, pick_id: int, *, hazards=(), day=date(2024, 5, 6), **overrides) -> InspectionData:
    """What a clerk fills in: drawn inspectors, every checklist entry 符合 (不符合 where hazards were found)."""
    with db.session() as s:
        form = inspection_form(s, pick_id)
    verdict = "不符合" if hazards else "符合"
    data = InspectionData(
        pick_id=pick_id, date_from=day, date_to=day, inspector_ids=[i for i, _n, _u in form.drawn],
        result_category="发现问题待后续处理" if hazards else "未发现问题",
        result_subkind="违反公安部门相关规定" if hazards else "",
        checks=[CheckInput(e, verdict) for e, _seq, _t in form.checklist],
        hazards=[HazardInput(t, c) for t, c in hazards], executing_unit="治安大队")
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def record(db, pick_id: int, **kwargs) -> int:
    data = form_data(db, pick_id, **kwargs)
    with db.session() as s:
        return record_inspection(s, data, "测试员")
