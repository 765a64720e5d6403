"""The year's figures for leadership.

Planned vs drawn vs inspected per item and unit, results, rectification, inspector load and coverage.

Definitions (what each figure means, so a reader of the report can check it):
- 名录数 / 可抽数: today's roster for the item's object types, all active / those 在营
  (as the plan overview shows them; past rosters are not kept).
- 计划数: the rule's sample size for 可抽数, times the rounds a year the rule requires
  (at least one); none for 按实际执行 or a rule that fixes no number.
- 已抽取 / 已检查: objects in draw records that still count (not re-drawn or substituted),
  and those of them with an inspection recorded.
- 检查比例 = 已检查 / 可抽数; 达到 when 已检查 ≥ 计划数 (for a unit or the total: the
  items that have a 计划数, summed).
- 整改: per valid notice, 按期整改 / 逾期整改 (a 复查 found 未整改 first, or the unit
  reported completion after the deadline) / 整改中 / 逾期未整改 (no 复查 found 已整改
  yet; before or after the deadline in force on ``as_of``).
- 三年覆盖: active roster objects not 注销, and whether any inspection of the plans of
  the year and the two before it reached them.
- 复查未整改 and what followed it (再次责令 / 立案查处 / 行政处罚 / 通报抄告, open or done):
  models/enforcement_stats.py.
- 日常巡查 (routine): per active duty, the periods begun by ``as_of``, objects required and done
  (see models/duty_coverage.py for which checks count); 完成率 = done / required.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Callable, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.draw import DrawPick, DrawRecord
from models.enforcement_stats import EnforcementFigures, enforcement_figures
from models.duty_coverage import DutyYear, duty_year
from models.inspection import RESULT_CATEGORIES, Inspection
from models.inspection_service import PROBLEM_CATEGORIES
from models.plan import Plan, PlanItem
from models.draw_prepare import item_rule
from models.plan_rules import MAX, sample_size
from models.plan_service import plan_overview
from models.roster import InspectedObject, Inspector, ObjectType
from models.year_data import YearData, load_year, rectified_in_time

REACHED, NOT_REACHED, NO_TARGET = "达到", "未达到", "—"
COVERAGE_YEARS = 3


class StatsCancelled(Exception):
    """The clerk stopped the computation."""


@dataclass
class Figures:
    """One line of the per-item or per-unit table."""

    label: str
    unit: str = ""
    target: str = ""                 # the rule in words, e.g. 比例≥5%，每年1次
    ratio: float | None = None       # the plan's ratio, when it states one
    roster: int = 0
    eligible: int = 0
    planned: int | None = None
    drawn: int = 0
    inspected: int = 0
    inspected_targeted: int = 0      # inspected in items that have a 计划数 (what 达到 compares)
    results: dict[str, int] = field(default_factory=dict)
    problems: int = 0                # inspections that found a problem
    hazards: int = 0
    notices: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0                    # not rectified yet, of which
    overdue: int = 0                 # past the deadline

    @property
    def share(self) -> float | None:
        return self.inspected / self.eligible if self.eligible else None

    @property
    def reached(self) -> str:
        if self.planned is None:
            return NO_TARGET
        return REACHED if self.inspected_targeted >= self.planned else NOT_REACHED

    def add(self, other: Figures) -> None:
        """Sum another line into this one; 计划数 sums the parts that have one (None when none has)."""
        for name in ("roster", "eligible", "drawn", "inspected", "inspected_targeted", "problems", "hazards",
                     "notices", "on_time", "late", "open", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.planned is not None:
            self.planned = (self.planned or 0) + other.planned
        for k, v in other.results.items():
            self.results[k] = self.results.get(k, 0) + v

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(share=self.share, reached=self.reached)
        return d


@dataclass
class InspectorLoad:
    """执法检查人员 workload (names and units only: no 警号)."""

    name: str
    unit: str
    drawn: int
    inspections: int


class TypeCoverage(NamedTuple):
    """检查覆盖 of one 检查对象类型: objects on the roster and how many were never inspected."""

    type_name: str
    objects: int
    never: int


@dataclass
class Coverage:
    """近三年检查覆盖情况 — roster objects inspected at least once in the plan years first_year..last_year."""

    first_year: int
    last_year: int
    objects: int
    inspected: int
    by_type: list[TypeCoverage] = field(default_factory=list)

    @property
    def never(self) -> int:
        return self.objects - self.inspected

    @property
    def never_share(self) -> float | None:
        return self.never / self.objects if self.objects else None

    def as_dict(self) -> dict:
        return {"first_year": self.first_year, "last_year": self.last_year, "objects": self.objects,
                "inspected": self.inspected, "never": self.never, "never_share": self.never_share,
                "by_type": [{"type": t, "objects": n, "never": never} for t, n, never in self.by_type]}


@dataclass
class YearStats:
    year: int
    bureau: str
    as_of: date
    items: list[Figures]
    units: list[Figures]
    total: Figures
    inspectors: list[InspectorLoad]
    coverage: Coverage
    enforcement: EnforcementFigures = field(default_factory=EnforcementFigures)  # after failed 复查
    routine: list[DutyYear] = field(default_factory=list)   # the routine duties' coverage over the year

    @property
    def results(self) -> dict[str, int]:
        """Every national category (zeros kept, in the official order), then any others found."""
        found = dict(self.total.results)
        ordered = {c: found.pop(c, 0) for c in RESULT_CATEGORIES}
        ordered.update(found)
        return ordered

    @property
    def rectification(self) -> dict[str, int]:
        t = self.total
        return {"按期整改": t.on_time, "逾期整改": t.late, "整改中": t.open - t.overdue, "逾期未整改": t.overdue}

    def as_dict(self) -> dict:
        return {"year": self.year, "bureau": self.bureau, "as_of": self.as_of.isoformat(),
                "enforcement": self.enforcement.as_dict(),
                "total": self.total.as_dict(), "items": [f.as_dict() for f in self.items],
                "units": [f.as_dict() for f in self.units], "results": self.results,
                "rectification": self.rectification,
                "inspectors": [asdict(i) for i in self.inspectors], "coverage": self.coverage.as_dict(),
                "routine_duties": [d.as_dict() for d in self.routine]}


def _planned(item: PlanItem, eligible: int, has_types: bool) -> tuple[int | None, str, float | None]:
    """(计划数, the rule in words, the ratio to reach) — read the way the draw reads the rule."""
    rule = item_rule(item)
    if not rule.parsed:
        return None, rule.describe(), None
    ratio = rule.ratio if rule.ratio_kind != MAX else None
    if not has_types or not rule.fixes_size():
        return None, rule.describe(), ratio
    return sample_size(rule, eligible) * max(rule.rounds_min or 1, 1), rule.describe(), ratio


def _item_figures(session: Session, year: int, data: YearData, as_of: date) -> dict[int, Figures]:
    overview = {row.item_id: row for row in plan_overview(session, year)}
    items = {it.id: it for it in session.scalars(select(PlanItem).join(Plan).where(Plan.year == year))}
    figures: dict[int, Figures] = {}
    for item_id, facts in data.items.items():
        row = overview.get(item_id)
        planned, target, ratio = _planned(items[item_id], row.eligible if row else 0,
                                          bool(row and row.type_names))
        figures[item_id] = Figures(label=f"{facts.number} {facts.item}".strip(),
                                   unit=facts.responsible_unit or "未填写", target=target, ratio=ratio,
                                   roster=row.roster_count if row else 0,
                                   eligible=row.eligible if row else 0, planned=planned)
    for pick in data.picks:
        fig = figures[pick.plan_item_id]
        fig.drawn += 1
        insp = pick.inspection
        if insp is None:
            continue
        fig.inspected += 1
        if fig.planned is not None:
            fig.inspected_targeted += 1
        fig.results[insp.category] = fig.results.get(insp.category, 0) + 1
        fig.hazards += insp.hazards
        if insp.category in PROBLEM_CATEGORIES or insp.hazards:
            fig.problems += 1
        if insp.notice is not None:
            fig.notices += 1
            timely = rectified_in_time(insp.notice)
            if timely is None:
                fig.open += 1
                fig.overdue += as_of > insp.notice.deadline
            elif timely:
                fig.on_time += 1
            else:
                fig.late += 1
    return figures


def _unit_figures(items: list[Figures]) -> list[Figures]:
    units: dict[str, Figures] = {}
    for fig in items:
        unit = units.setdefault(fig.unit, Figures(label=fig.unit, unit=fig.unit))
        unit.add(fig)
    return list(units.values())


def _inspector_load(session: Session, data: YearData) -> list[InspectorLoad]:
    drawn = Counter(i for p in data.picks for i in p.assigned_ids)
    went = Counter(i for p in data.picks if p.inspection for i in p.inspection.inspector_ids)
    rows = session.execute(select(Inspector.id, Inspector.name, Inspector.unit, Inspector.active)).all()
    loads = [InspectorLoad(name, unit, drawn.get(iid, 0), went.get(iid, 0))
             for iid, name, unit, active in rows if active or drawn.get(iid) or went.get(iid)]
    loads.sort(key=lambda x: (-x.inspections, -x.drawn, x.unit, x.name))
    return loads


def coverage(session: Session, year: int, years: int = COVERAGE_YEARS) -> Coverage:
    """Roster objects (active, not 注销) inspected at least once in the plans of ``year`` and the years before."""
    first = year - years + 1
    on_roster = (InspectedObject.active.is_(True)) & (InspectedObject.status != "注销")
    seen = (select(Inspection.object_id).distinct().join(DrawPick, DrawPick.id == Inspection.pick_id)
            .join(DrawRecord, DrawRecord.id == DrawPick.draw_id).join(PlanItem, PlanItem.id == DrawRecord.plan_item_id)
            .join(Plan, Plan.id == PlanItem.plan_id).where(Plan.year.between(first, year)))
    rows = session.execute(
        select(ObjectType.name, func.count(InspectedObject.id),
               func.count(InspectedObject.id).filter(InspectedObject.id.in_(seen)))
        .join(InspectedObject, InspectedObject.object_type_id == ObjectType.id)
        .where(on_roster).group_by(ObjectType.name).order_by(func.count(InspectedObject.id).desc(), ObjectType.name)
    ).all()
    by_type = [TypeCoverage(name, n, n - hit) for name, n, hit in rows]
    return Coverage(first, year, sum(n for _name, n, _hit in rows), sum(hit for _name, _n, hit in rows), by_type)


def year_stats(session: Session, year: int, *, as_of: date | None = None,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None, data: YearData | None = None) -> YearStats:
    """Every figure of the year (see the module docstring for the definitions); ``data``: the year already loaded."""
    as_of = as_of or date.today()

    def step(n: int) -> None:
        if cancelled and cancelled():
            raise StatsCancelled("已取消统计")
        if progress:
            progress(n, 5)

    step(0)
    data = data if data is not None else load_year(session, year)
    step(2)
    by_item = _item_figures(session, year, data, as_of)
    items = list(by_item.values())
    units = _unit_figures(items)
    total = Figures(label="合计")
    for fig in items:
        total.add(fig)
    step(3)
    loads = _inspector_load(session, data)
    step(4)
    cov = coverage(session, year)
    enforcement = enforcement_figures(session, year)
    routine = duty_year(session, year, as_of=as_of)
    step(5)
    return YearStats(year, data.bureau, as_of, items, units, total, loads, cov, routine=routine,
                     enforcement=enforcement)


def percent(value: float | None) -> str:
    """0.053 → 5.3%; None → —."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"
