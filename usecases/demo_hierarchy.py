"""Demo 实施层级: 昆明市公安局 → 五华/盘龙/官渡分局 → the demo roster's 派出所, and two draws of 昆明's 2024 plan that
follow its levels — item 2 (网吧, 县抽县查) for 五华分局 alone, item 4 (废旧金属收购, 市抽市、县查) citywide with each
pick's officers from its object's district."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from models.db import Database
from models.demo_roster import JURISDICTIONS
from models.draw_service import draw_sealed, prepare_draw
from models.hierarchy import HEADERS, import_rows
from models.organisation import Jurisdiction
from models.plan import Plan
from models.roster import Inspector
from models.seal_service import seal
from usecases.demo_inspections import DEMO_ENTROPY, DEMO_WITNESSES

__all__ = ["load_demo_hierarchy", "DEMO_HIERARCHY", "COUNTY_ITEM", "CITY_COUNTY_ITEM"]

CITY = "昆明市公安局"
# (level name, level, parent, names that belong to it); the stations' own names are the objects' 辖区.
DEMO_HIERARCHY = (
    (CITY, "市", "", ("治安大队", "禁毒大队", "网安大队", "出入境管理大队", "交管支队")),
    ("五华分局", "县", CITY, ()),
    ("盘龙分局", "县", CITY, ()),
    ("官渡分局", "县", CITY, ()),
    ("城关派出所", "所", "五华分局", ("历山街道",)),
    ("张家坡派出所", "所", "五华分局", ()),
    ("西里派出所", "所", "五华分局", ()),
    ("南麻派出所", "所", "盘龙分局", ("南麻街道",)),
    ("东里派出所", "所", "盘龙分局", ()),
    ("石桥派出所", "所", "盘龙分局", ()),
    ("鲁村派出所", "所", "官渡分局", ()),
    ("悦庄派出所", "所", "官渡分局", ()),
    ("燕崖派出所", "所", "官渡分局", ()),
    ("中庄派出所", "所", "官渡分局", ()),
)
PLAN_YEAR = 2024
COUNTY_ITEM, COUNTY = "2", "五华分局"     # 县抽县查: 网吧 3户 for one district
CITY_COUNTY_ITEM = "4"                      # 市抽市、县查: 废旧金属收购 2户, officers of each object's district
DRAWN = datetime(PLAN_YEAR, 6, 3, 10, 0)


def load_demo_hierarchy(db: Database, actor: str = "演示数据", progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None) -> dict:
    """Describe the hierarchy and make the two level draws; nothing when a hierarchy exists already, and no draw
    without 昆明's plan or the roster's 派出所 officers. Returns {"levels": n, "draws": n}."""
    with db.session() as s:
        if s.scalar(select(Jurisdiction.id).limit(1)) is not None:
            return {"levels": 0, "draws": 0}
        units = {u for (u,) in s.execute(select(Inspector.unit).distinct())}
        if not set(JURISDICTIONS) & units:
            return {"levels": 0, "draws": 0}
        table = [list(HEADERS)] + [[name, level, parent, "、".join(names)]
                                   for name, level, parent, names in DEMO_HIERARCHY]
        import_rows(s, table, actor, "演示实施层级")
        plan = s.scalar(select(Plan).where(Plan.year == PLAN_YEAR, Plan.bureau == CITY))
    draws = 0
    if plan is not None:
        for n, (item, county) in enumerate(((COUNTY_ITEM, COUNTY), (CITY_COUNTY_ITEM, None))):
            with db.read_session() as s:
                prep = prepare_draw(s, PLAN_YEAR, item, jurisdiction=county)
            if prep.problems:
                continue
            drawn = DRAWN + timedelta(days=n)
            where = f"{county}会议室" if county else "市局指挥中心会议室"
            ann = seal(db, prep, entropy_source=f"见证人在{where}现场报数并掷骰子", operator=actor,
                       clock=lambda drawn=drawn: drawn - timedelta(hours=1))
            draw_sealed(db, ann.year, ann.number, entropy=DEMO_ENTROPY, witnesses=DEMO_WITNESSES, place=where,
                        operator=actor, clock=lambda drawn=drawn: drawn)
            draws += 1
        if progress is not None:
            progress(1, 1)
    return {"levels": len(DEMO_HIERARCHY), "draws": draws}
