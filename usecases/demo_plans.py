"""Demo plans: the two real plan tables shipped in resources/demo, and a plan for this year to draw from at once."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from models import settings
from models.db import Database
from models.paths import resources_dir
from models.plan_service import PlanError, copy_plan, find_plan, publicity_title
from models.roster import DEFAULT_OBJECT_TYPES, ObjectType
from usecases.plan_import import import_plan_file

DEMO_BUREAU = "演示县公安局"
# (file in resources/demo, year it is imported as)
DEMO_PLANS = (
    ("沂源县公安局2022年度抽查计划.tsv", 2022),
    ("昆明市公安局2024年度抽查计划.tsv", 2024),
)
# This year's demo plan is a copy of this one (a county plan whose types match the demo roster).
CURRENT_FROM = 2022


def demo_dir() -> Path:
    return resources_dir() / "demo"


def demo_bureau(db: Database) -> str:
    """The bureau the demo's own plan belongs to: the name the clerk typed at first start, else 演示县公安局."""
    with db.session() as s:
        return (settings.get(s, "bureau_name") or "").strip() or DEMO_BUREAU


def _ensure_default_types(db: Database) -> None:
    """The demo roster's types, so that importing links the items to them whatever the step order."""
    with db.session() as s:
        have = set(s.execute(select(ObjectType.name)).scalars())
        s.add_all(ObjectType(name=n) for n in DEFAULT_OBJECT_TYPES if n not in have)


def load_demo_plans(db: Database, actor: str = "演示数据",
                    progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> dict:
    """Import the demo plans and copy one into the current year; returns {"plans": n, "items": n}.

    Years that already have a plan with items are left alone, so loading twice changes nothing.
    """
    this_year = date.today().year
    total = len(DEMO_PLANS) + 1
    done_years: list[int] = []
    items = 0
    _ensure_default_types(db)
    for step, (name, year) in enumerate(DEMO_PLANS, start=1):
        if cancelled is not None and cancelled():
            return {"plans": len(done_years), "items": items}
        with db.session() as s:
            existing = find_plan(s, year)
            busy = existing is not None and bool(existing.items)
        if not busy:
            preview, count = import_plan_file(db, demo_dir() / name, year, actor)
            items += count
            if not preview.ok:
                raise PlanError(f"演示计划 {name} 导入失败：" + "；".join(str(p) for p in preview.problems))
            done_years.append(year)
        if progress is not None:
            progress(step, total)
    if cancelled is not None and cancelled():
        return {"plans": len(done_years), "items": items}
    bureau = demo_bureau(db)
    with db.session() as s:
        existing = find_plan(s, this_year)
        if existing is None or not existing.items:
            plan = copy_plan(s, CURRENT_FROM, this_year, actor, bureau=bureau)
            plan.bureau = bureau
            plan.title = publicity_title(plan)
            done_years.append(this_year)
            items += len(plan.items)
    if progress is not None:
        progress(total, total)
    return {"plans": len(done_years), "items": items}
