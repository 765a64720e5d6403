"""Demo 配合部门: the plans' wordings linked to the roster's partner units once (市邮政管理部门 = 邮政管理局 …),
and this year's 寄递 item, a 部门联合 check with the postal office, drawn with a postal officer on every team."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from models.calendar_service import load_calendar
from models.db import Database
from models.departments import ensure_departments, link_department
from models.draw_service import draw_sealed, prepare_draw
from models.organisation import DepartmentAlias
from models.plan import Plan
from models.plan_service import ItemData, add_item
from models.roster import Inspector
from models.seal_service import seal
from usecases.demo_inspections import DEMO_ENTROPY, DEMO_WITNESSES

__all__ = ["load_demo_departments", "DEMO_ALIASES", "POSTAL_ITEM"]

# How seed plans write the departments the demo roster has (models/demo_roster.py PARTNER_UNITS).
DEMO_ALIASES = (("市邮政管理部门", "邮政管理局"), ("市委网信办", "网信办"), ("市场监管局", "市场监督管理局"),
                ("市生态环境局", "生态环境局"), ("市交通运输局", "交通运输局"))
POSTAL_ITEM = "13"
DRAW_WORKDAYS_AGO = 25


def _postal_item(year: int) -> ItemData:
    return ItemData(
        number=POSTAL_ITEM, item="寄递物流行业安全监管", mode="部门联合", field="寄递物流",
        content="落实实名收寄、开箱验视、过机安检三个100%制度", object_text="寄递物流经营场所",
        category="一般检查事项", ratio_text="每半年1次，抽查5%", initiator="县公安局", partners=["市邮政管理部门"],
        subject="县公安局治安大队", responsible_unit="治安大队", basis="《快递暂行条例》",
        checklist=["实名收寄落实情况", "开箱验视落实情况", "过机安检落实情况"])


def load_demo_departments(db: Database, actor: str = "演示数据", progress: Callable[[int, int], None] | None = None,
                          cancelled: Callable[[], bool] | None = None) -> dict:
    """Record the roster's units as departments, link the aliases, add and draw the 寄递 item; a second run (or a
    roster without the units) adds nothing. Returns {"aliases": n, "draws": n}."""
    year = date.today().year
    with db.session() as s:
        units = {u for (u,) in s.execute(select(Inspector.unit).distinct())}
        if s.scalar(select(DepartmentAlias.id).limit(1)) is not None:
            return {"aliases": 0, "draws": 0}
        ensure_departments(s, actor)
        linked = 0
        for wording, unit in DEMO_ALIASES:
            if unit in units:
                link_department(s, wording, unit, actor)
                linked += 1
        plan = s.scalar(select(Plan).where(Plan.year == year))
        if plan is None or "邮政管理局" not in units or any(i.number == POSTAL_ITEM for i in plan.items):
            return {"aliases": linked, "draws": 0}
        add_item(s, year, _postal_item(year), actor, type_names=["寄递物流企业"])
        cal = load_calendar(s)
    with db.session() as s:
        prep = prepare_draw(s, year, POSTAL_ITEM)
    if prep.problems:
        return {"aliases": linked, "draws": 0}
    drawn = datetime.combine(cal.add_workdays(date.today(), -DRAW_WORKDAYS_AGO), time(10, 0))
    ann = seal(db, prep, entropy_source="见证人在治安大队会议室现场报数，市邮政管理局派员见证", operator=actor,
               clock=lambda: drawn - timedelta(hours=1))
    draw_sealed(db, ann.year, ann.number, entropy=DEMO_ENTROPY, witnesses=DEMO_WITNESSES, place="治安大队会议室",
                operator=actor, clock=lambda: drawn)
    return {"aliases": linked, "draws": 1}
