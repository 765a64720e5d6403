"""The demo database: a list of steps that fill an empty database with believable data.

Roster, plans, a draw, inspections.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select

from models.demo_roster import load_demo_roster
from models.roster import InspectedObject
from models.roster_service import RosterError
from usecases.demo_checks import load_demo_checks
from usecases.demo_departments import load_demo_departments
from usecases.demo_events import load_demo_events
from usecases.demo_hierarchy import load_demo_hierarchy
from usecases.demo_duties import load_demo_duties
from usecases.demo_evidence import load_demo_evidence
from usecases.demo_enforcement import load_demo_enforcement
from usecases.demo_inspections import load_demo_inspections
from usecases.demo_joint import load_demo_joint
from usecases.demo_persons import load_demo_persons
from usecases.demo_plans import load_demo_plans
from usecases.demo_results import load_demo_results


@dataclass(frozen=True)
class DemoStep:
    key: str                   # the name of this step's counts in load_demo's result
    title: str                 # shown beside the progress bar
    run: Callable[..., dict]   # run(db, progress=None, cancelled=None) -> counts


# Later features append their steps (e.g. the seeds' plans), which may rely on the roster.
DEMO_STEPS: list[DemoStep] = [
    DemoStep("roster", "生成演示名录库", lambda db, progress=None, cancelled=None:
             load_demo_roster(db, progress=progress, cancelled=cancelled)),
    DemoStep("plans", "导入演示抽查计划", lambda db, progress=None, cancelled=None:
             load_demo_plans(db, progress=progress, cancelled=cancelled)),
    DemoStep("inspections", "演示抽取、检查与整改通知书", lambda db, progress=None, cancelled=None:
             load_demo_inspections(db, progress=progress, cancelled=cancelled)),
    DemoStep("enforcement", "演示复查未整改后的后续处理（立案查处、抄告函）", lambda db, progress=None, cancelled=None:
             load_demo_enforcement(db, progress=progress, cancelled=cancelled)),
    DemoStep("checks", "演示日常巡查和举报投诉检查（非抽取）", lambda db, progress=None, cancelled=None:
             load_demo_checks(db, progress=progress, cancelled=cancelled)),
    DemoStep("evidence", "演示证据材料（照片、签字的检查记录）", lambda db, progress=None, cancelled=None:
             load_demo_evidence(db, progress=progress, cancelled=cancelled)),
    DemoStep("duties", "声明演示日常巡查任务", lambda db, progress=None, cancelled=None:
             load_demo_duties(db, progress=progress, cancelled=cancelled)),
    DemoStep("results", "演示检查组填报表导入", lambda db, progress=None, cancelled=None:
             load_demo_results(db, progress=progress, cancelled=cancelled)),
    DemoStep("joint", "演示综合查一次（同一单位多个事项一次检查）", lambda db, progress=None, cancelled=None:
             load_demo_joint(db, progress=progress, cancelled=cancelled)),
    DemoStep("departments", "演示配合部门（别名关联、部门联合抽取）", lambda db, progress=None, cancelled=None:
             load_demo_departments(db, progress=progress, cancelled=cancelled)),
    DemoStep("hierarchy", "演示实施层级（县抽县查、市抽县查）", lambda db, progress=None, cancelled=None:
             load_demo_hierarchy(db, progress=progress, cancelled=cancelled)),
    DemoStep("events", "演示活动登记与按活动抽取（焰火晚会、演唱会、马拉松）", lambda db, progress=None, cancelled=None:
             load_demo_events(db, progress=progress, cancelled=cancelled)),
    DemoStep("persons", "演示个人检查对象（身份证、护照、无证件）", lambda db, progress=None, cancelled=None:
             load_demo_persons(db, progress=progress, cancelled=cancelled)),
]


def load_demo(db, progress=None, cancelled=None) -> dict:
    """Run every demo step in order; refuses a database whose roster already has objects.

    Returns {step key: that step's counts}. Progress is reported per step as (done, total)
    over all steps scaled to 1000.
    """
    with db.session() as s:
        existing = s.scalar(select(func.count(InspectedObject.id)))
    if existing:
        raise RosterError(f"数据库中已有 {existing} 个检查对象，不能再载入演示数据。请新建一个数据库后再试。")
    results: dict = {}
    steps = list(DEMO_STEPS)
    for n, step in enumerate(steps):
        def step_progress(done: int, total: int, n=n) -> None:
            if progress is not None:
                progress(n * 1000 + (done * 1000 // total if total else 1000), len(steps) * 1000)
        results[step.key] = step.run(db, progress=step_progress, cancelled=cancelled)
    if progress is not None:
        progress(len(steps) * 1000, len(steps) * 1000)
    return results


def demo_summary(results: dict) -> str:
    """What load_demo loaded, in one sentence for the clerk (the command line and the first-run dialog)."""
    roster = results.get("roster", {})
    plans = results.get("plans", {})
    work = results.get("inspections", {})
    parts = [f"检查对象 {roster.get('objects', 0)} 个、执法检查人员 {roster.get('inspectors', 0)} 名、"
             f"回避关系 {roster.get('recusals', 0)} 对",
             f"年度抽查计划 {plans.get('plans', 0)} 份（抽查事项 {plans.get('items', 0)} 项）"]
    if work.get("draws"):
        parts.append(f"抽取记录 {work['draws']} 条（抽中 {work.get('picks', 0)} 个对象）")
    parts.append(f"检查记录 {work.get('inspections', 0)} 条")
    notices = f"整改通知书 {work.get('notices', 0)} 份"
    if work.get("notices"):
        notices += f"（已送达 {work.get('served', 0)} 份，已复查 {work.get('reinspections', 0)} 份）"
    parts.append(notices)
    follow = results.get("enforcement", {})
    if follow.get("failed_reviews"):
        parts.append(f"复查未整改 {follow['failed_reviews']} 份（后续处理 {follow.get('steps', 0)} 项，"
                     f"抄告函 {follow.get('letters', 0)} 份）")
    return "，".join(parts)
