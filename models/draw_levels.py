"""实施层级 in the draw: which objects and whose officers a plan item's level rule allows.

- 县抽县查: one draw per county (the county is the draw's 辖区, sealed in the announcement), from the objects
  whose 辖区 belongs to that county, with the county's own units' officers; counts and ratios per county.
- 市抽市查: objects citywide, officers of the city-level units.
- 市抽县查 (the plans also write 市抽市、县查): objects citywide; each pick's officers come from its object's
  county. The record then holds each object's and each officer's county (docs/draw-protocol.md, 12).

The rules take effect once the bureau has described its hierarchy (models/hierarchy.py); before that the
level is shown and the draw is as before. Names that resolve to no county are reported, never dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from models.draw_engine import DrawError
from models.hierarchy import Hierarchy

CITY_CITY, COUNTY_COUNTY, CITY_COUNTY = "市抽市查", "县抽县查", "市抽县查"
LEVEL_RULES = (CITY_CITY, COUNTY_COUNTY, CITY_COUNTY)
_CITY_COUNTY_RE = re.compile(r"市抽(?:市[、，,及和与/]?)?县查")
_SHOWN = 5


def level_rules(text: str | None) -> tuple[str, ...]:
    """The rules a plan's 实施层级 text names, in LEVEL_RULES order ("市抽市查 县抽县查" names two)."""
    flat = "".join((text or "").split())
    found = set()
    if _CITY_COUNTY_RE.search(flat):
        found.add(CITY_COUNTY)
    if "县抽县查" in flat:
        found.add(COUNTY_COUNTY)
    if "市抽市查" in _CITY_COUNTY_RE.sub("", flat):
        found.add(CITY_CITY)
    return tuple(r for r in LEVEL_RULES if r in found)


def _names(values, n: int = _SHOWN) -> str:
    values = list(values)
    more = f"等 {len(values)} 个" if len(values) > n else ""
    return "、".join(f"「{v}」" for v in values[:n]) + more


@dataclass
class LevelPlan:
    """How one preparation applies its item's level: mode ("" = no effect), the area and the county pools."""

    rules: tuple[str, ...]
    mode: str = ""
    county: str | None = None
    hierarchy: Hierarchy | None = None
    area: frozenset[str] | None = None   # 辖区 names the objects must have (None: no narrowing)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.mode == COUNTY_COUNTY and self.county:
            return f"{COUNTY_COUNTY}（{self.county}）"
        return self.mode

    # ---- inspectors

    def inspection_units(self, units: list[str], responsible: list[str], responsible_text: str,
                         given: bool) -> list[str]:
        """The responsible units under the level rule (units: every active roster unit)."""
        h = self.hierarchy
        if not self.mode or h is None:
            return responsible
        text = (responsible_text or "").strip()
        if self.mode == CITY_CITY:
            kept = [u for u in responsible if h.county_of(u) is None and h.city_of(u) is not None]
            dropped = [u for u in responsible if u not in kept]
            if dropped and not given:
                self.notes.append(f"市抽市查由市级单位检查：{_names(dropped)}不属于市局本级，未作为责任单位")
            if not kept and not given:
                kept = [u for u in units if h.is_city_level(u)]
            if given and dropped:
                self.problems.append(f"市抽市查由市级单位检查，{_names(dropped)}不属于市局本级")
            if not kept:
                self.problems.append("市抽市查：实施层级中没有市局本级的检查单位，请在实施层级中为市局列出所属单位")
            return kept
        if self.mode == COUNTY_COUNTY:
            mine = [u for u in units if h.county_of(u) == self.county]
            if given:
                foreign = [u for u in responsible if h.county_of(u) != self.county]
                if foreign:
                    self.problems.append(f"县抽县查由{self.county}的检查人员检查，{_names(foreign)}不属于{self.county}")
                return responsible
            named = [u for u in mine if text and (text in u or u in text)]
            chosen = named or mine
            unmapped = [u for u in units if h.level_of(u) is None]
            if unmapped:
                self.notes.append(f"县抽县查：检查人员单位{_names(unmapped)}未列入实施层级，其人员不参与本次抽取")
            if not chosen:
                self.problems.append(f"县抽县查：{self.county}在检查人员名录中没有在岗人员（其单位未列入该县（区）局）")
            return chosen
        # 市抽县查: every county's units (narrowed to those the item names when some match).
        if given:
            foreign = [u for u in responsible if h.county_of(u) is None]
            if foreign:
                self.problems.append(f"市抽县查由检查对象所在县（区）局的人员检查，{_names(foreign)}不属于任何县（区）局")
            return responsible
        county_units = [u for u in units if h.county_of(u) is not None]
        named = [u for u in county_units if text and (text in u or u in text)]
        if named:
            covered = {h.county_of(u) for u in named}
            named += [u for u in county_units if h.county_of(u) not in covered]
        chosen = sorted(set(named)) if named else county_units
        unmapped = [u for u in units if h.level_of(u) is None]
        if unmapped:
            self.notes.append(f"市抽县查：检查人员单位{_names(unmapped)}未列入实施层级，其人员不参与本次抽取")
        if not chosen:
            self.problems.append("市抽县查：实施层级中的县（区）局在检查人员名录中都没有在岗人员")
        return chosen

    def note_unmapped(self, rows) -> None:
        """县抽县查: the item's open objects whose 辖区 belongs to no county are in no county's draw — say so.

        rows hold (id, name, code, risk, status, active, 辖区) as prepare_draw reads them.
        """
        h = self.hierarchy
        if self.mode != COUNTY_COUNTY or h is None:
            return
        lost = sorted({(r[6] or "").strip() or "空" for r in rows
                       if r[5] and r[4] == "在营" and h.county_of(r[6]) is None})
        if lost:
            count = sum(1 for r in rows if r[5] and r[4] == "在营" and h.county_of(r[6]) is None)
            self.notes.append(f"县抽县查：{count} 个检查对象的辖区不属于任何县（区）局，不在任何县（区）局的抽取之中："
                              f"辖区{_names(lost)}。请在实施层级中补充这些辖区")

    def unmapped(self, rows) -> list:
        """The rows note_unmapped counts: a caller reading the objects in chunks keeps only these for it."""
        h = self.hierarchy
        if self.mode != COUNTY_COUNTY or h is None:
            return []
        return [r for r in rows if r[5] and r[4] == "在营" and h.county_of(r[6]) is None]

    @property
    def pools_by_county(self) -> bool:
        """市抽县查 with a hierarchy: county_pools reads the eligible rows (otherwise it returns None unread)."""
        return self.mode == CITY_COUNTY and self.hierarchy is not None

    def county_pools(self, eligible_rows, people, responsible: list[str], per_object: int
                     ) -> tuple[dict[int, str], dict[int, str]] | None:
        """市抽县查: (object id → county, inspector id → county); unmapped objects and short counties are problems.

        eligible_rows hold (id, name, code, risk, status, active, 辖区) as prepare_draw reads them.
        """
        if self.mode != CITY_COUNTY or self.hierarchy is None:
            return None
        h = self.hierarchy
        objects: dict[int, str] = {}
        lost: list[str] = []
        for row in eligible_rows:
            county = h.county_of(row[6])
            if county is None:
                lost.append(f"{row[1]}（辖区：{(row[6] or '').strip() or '空'}）")
            else:
                objects[row[0]] = county
        if lost:
            self.problems.append(f"市抽县查：{len(lost)} 个检查对象的辖区不属于任何县（区）局，"
                                 f"无法确定由哪个县（区）局检查：{_names(lost)}。请在实施层级中补充这些辖区，或修正检查对象的辖区")
        wanted = set(responsible)
        inspectors = {p.id: h.county_of(p.unit) for p in people if p.unit in wanted and h.county_of(p.unit)}
        have = Counter(inspectors.values())
        short = sorted(c for c in set(objects.values()) if have[c] < per_object)
        if short:
            detail = "、".join(f"{c}（{have[c]} 人）" for c in short)
            self.problems.append(f"市抽县查：{detail}的在岗检查人员不足每个对象所需的 {per_object} 人")
        return objects, inspectors


def check_county(s: Session, name: str) -> str:
    """*name* as a county of the hierarchy (for --county and the screen's selector); refused naming the choices."""
    name = " ".join((name or "").split())
    h = Hierarchy.load(s)
    if not h.is_county(name):
        choices = "、".join(h.counties())
        raise DrawError(f"实施层级中没有名为「{name}」的县（区）局"
                        + (f"，可选：{choices}" if choices else "；请先设置实施层级（hierarchy / import-hierarchy）"))
    return name


def county_counts(prep) -> dict[str, int]:
    """市抽县查: how many candidates each county has ({} for other draws), for the preparation's summary."""
    pools = getattr(prep.engine, "counties", None) if prep.engine is not None else None
    if pools is None:
        return {}
    return dict(sorted(Counter(pools.objects.values()).items()))


def plan_levels(s: Session, level_text: str | None, jurisdiction: str | None) -> LevelPlan:
    """The level rule this preparation follows, the object area and the problems to show.

    *jurisdiction* is the draw's 辖区: for 县抽县查 it names the county (a 县/区局 of the hierarchy).
    """
    rules = level_rules(level_text)
    plan = LevelPlan(rules)
    if not rules:
        if jurisdiction:
            plan.area = frozenset({jurisdiction})
        return plan
    h = Hierarchy.load(s)
    if h.empty:
        plan.notes.append(f"本事项实施层级为「{'、'.join(rules)}」，但尚未设置本局的实施层级（市局—县（区）局—派出所），"
                          "本次抽取不按层级区分对象和人员")
        if jurisdiction:
            plan.area = frozenset({jurisdiction})
        return plan
    plan.hierarchy = h
    if jurisdiction and h.is_county(jurisdiction):
        if COUNTY_COUNTY not in rules:
            plan.problems.append(f"本事项实施层级为「{'、'.join(rules)}」，不按县（区）局分别抽取，"
                                 f"请不要选择「{jurisdiction}」")
            return plan
        plan.mode, plan.county = COUNTY_COUNTY, jurisdiction
        plan.area = h.names_in_county(jurisdiction)
        return plan
    if jurisdiction:
        plan.area = frozenset({jurisdiction})
    if CITY_COUNTY in rules:
        plan.mode = CITY_COUNTY
    elif CITY_CITY in rules:
        plan.mode = CITY_CITY
    elif COUNTY_COUNTY in rules:
        counties = h.counties()
        plan.problems.append("本事项为县抽县查，须按县（区）局分别抽取，请选择县（区）局"
                             + (f"：{'、'.join(counties)}" if counties else "（实施层级中还没有县（区）局）"))
    return plan
