"""Departments and the names plans call them by (issue 19 item 2).

A plan's 配合部门 wording (市邮政管理部门, 住房城乡建设等相关部门 …) is matched to one department whose
name is a unit as the inspector roster spells it (Inspector.unit):

1. the wording is a department's name (or a roster unit) exactly;
2. the wording is a linked alias (the clerk linked it once with link-department; it sticks);
3. the normalised wording equals one department's normalised name or alias: the bureau's place
   (咸宁市, 咸宁) and leading 省/市/县/区 are dropped, then trailing 等相关部门/相关部门/等部门/部门 and the
   organ word (局, 委, 办 …), so 市邮政管理部门 and 咸宁市邮政管理局 meet at 邮政管理.

Only a unique match counts: a wording that normalises onto two departments matches none, and the
clerk links it. The draw (models/draw_prepare.py) and the plan import use these rules.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models.errors import UserError
from models.organisation import DEPARTMENT_KINDS, Department, DepartmentAlias
from models.plan import Plan, PlanItem
from models.roster import Inspector

JOINT_MODE = "部门联合"
NAME_MAX = 100
ALIAS_MAX = 200
_POLICE_WORDS = ("公安", "派出所", "支队", "大队", "警")
_SUFFIXES = ("等相关部门", "等有关部门", "相关部门", "有关部门", "等部门", "部门")
_ORGAN_SUFFIXES = ("委员会", "办公室", "局", "委", "办", "厅", "署", "厅局")
_LEADING = "省市县区"


class DepartmentError(UserError):
    """A department or alias the clerk asked for cannot be recorded; the message names the field."""


@dataclass
class DepartmentInfo:
    """One department as listed: its aliases and how many active officers its unit has on the roster."""

    id: int | None
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    officers: int = 0

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "aliases": list(self.aliases),
                "officers": self.officers}


@dataclass
class UnmatchedWording:
    """A 配合部门 wording of a year's plan that matches no department, with the items that use it."""

    wording: str
    items: list[str]

    def as_dict(self) -> dict:
        return {"wording": self.wording, "items": list(self.items)}


def clean(text) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).split())


def guess_kind(unit: str) -> str:
    return "公安" if any(w in unit for w in _POLICE_WORDS) else "配合部门"


def bureau_place(bureau: str) -> list[str]:
    """The place names of a bureau to drop from wordings: 咸宁市公安局 → ['咸宁市', '咸宁']."""
    text = clean(bureau).replace(" ", "")
    head = text.split("公安")[0] if "公安" in text else ""
    places = []
    if len(head) >= 2:
        places.append(head)
        stem = head.rstrip(_LEADING)
        if len(stem) >= 2 and stem != head:
            places.append(stem)
    return places


def normalise(wording: str, places: list[str] | tuple[str, ...] = ()) -> str:
    """The comparable core of a department wording (see the module text); may be ''."""
    text = clean(wording).replace(" ", "")
    for place in sorted(places, key=len, reverse=True):
        if place and text.startswith(place):
            text = text[len(place):]
            break
    text = text.lstrip(_LEADING)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    for suffix in _ORGAN_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def roster_units(session: Session) -> list[str]:
    """Units of active inspectors, sorted."""
    rows = session.execute(select(Inspector.unit).where(Inspector.active.is_(True)).distinct())
    return sorted({u for (u,) in rows if u})


def _plan_bureau(session: Session, year: int | None = None) -> str:
    query = select(Plan.bureau).where(Plan.bureau != "")
    query = query.where(Plan.year == year) if year is not None else query.order_by(Plan.year.desc())
    return session.execute(query.limit(1)).scalar() or ""


class DepartmentMatcher:
    """Matches wordings against the departments, their aliases and the roster's units, read once."""

    def __init__(self, session: Session, bureau: str | None = None):
        self.places = bureau_place(_plan_bureau(session) if bureau is None else bureau)
        self.names: set[str] = {d for (d,) in session.execute(select(Department.name))}
        self.names |= set(roster_units(session))
        self.aliases: dict[str, str] = dict(session.execute(
            select(DepartmentAlias.alias, Department.name).join(Department)).all())
        self._by_norm: dict[str, set[str]] = {}
        for name in self.names:
            self._by_norm.setdefault(normalise(name, self.places), set()).add(name)
        for alias, name in self.aliases.items():
            self._by_norm.setdefault(normalise(alias, self.places), set()).add(name)

    def match(self, wording: str) -> str | None:
        """The department (its unit name) the wording names, or None when none or several do."""
        text = clean(wording)
        if not text:
            return None
        if text in self.names:
            return text
        if text in self.aliases:
            return self.aliases[text]
        key = normalise(text, self.places)
        found = self._by_norm.get(key, set()) if key else set()
        return next(iter(found)) if len(found) == 1 else None


def match_department(session: Session, wording: str, bureau: str | None = None) -> str | None:
    """The unit name of the one department *wording* names (exact, alias, then normalised), else None."""
    return DepartmentMatcher(session, bureau).match(wording)


def item_partner_wordings(item: PlanItem) -> list[str]:
    return [clean(p) for p in (item.partners or []) if isinstance(p, str) and clean(p)]


def partner_units_for(session: Session, item: PlanItem, units: list[str],
                      responsible: list[str]) -> tuple[list[str], list[str]]:
    """(matched partner units, wordings that match no department) of a 部门联合 item; ([], []) otherwise.

    A matched unit is listed even when no active officer has it (the draw then refuses it, naming it).
    """
    if (item.mode or "").strip() != JOINT_MODE:
        return [], []
    matcher = DepartmentMatcher(session, item.plan.bureau if item.plan else None)
    matched: list[str] = []
    unmatched: list[str] = []
    for wording in item_partner_wordings(item):
        unit = matcher.match(wording)
        if unit is None:
            unmatched.append(wording)
        elif unit not in responsible and unit not in matched:
            matched.append(unit)
    return matched, unmatched


def list_departments(session: Session) -> list[DepartmentInfo]:
    """Every department with its aliases, and the roster's units not yet recorded as departments (id None)."""
    counts = dict(session.execute(select(Inspector.unit, func.count(Inspector.id))
                                  .where(Inspector.active.is_(True)).group_by(Inspector.unit)).all())
    found: list[DepartmentInfo] = []
    seen: set[str] = set()
    for dept in session.scalars(select(Department).order_by(Department.kind, Department.name)):
        found.append(DepartmentInfo(dept.id, dept.name, dept.kind, [a.alias for a in dept.aliases],
                                    counts.get(dept.name, 0)))
        seen.add(dept.name)
    for unit in roster_units(session):
        if unit not in seen:
            found.append(DepartmentInfo(None, unit, guess_kind(unit), [], counts.get(unit, 0)))
    found.sort(key=lambda d: (DEPARTMENT_KINDS.index(d.kind) if d.kind in DEPARTMENT_KINDS else 9, d.name))
    return found


def ensure_departments(session: Session, actor: str) -> list[str]:
    """Record a department for every active roster unit that has none; returns the names added (audited)."""
    have = {d for (d,) in session.execute(select(Department.name))}
    added = [u for u in roster_units(session) if u not in have and len(u) <= NAME_MAX]
    for unit in added:
        session.add(Department(name=unit, kind=guess_kind(unit), created_by=actor or ""))
    if added:
        session.flush()
        audit.append(session, user=actor, action="department.create", entity="department", entity_id="",
                     detail={"names": added})
    return added


def link_department(session: Session, wording: str, unit: str, actor: str) -> Department:
    """Make *wording* an alias of the department *unit* (a roster unit or a recorded department); audited.

    Refused (DepartmentError, naming the field) for an empty or too long wording, an unknown unit, a wording
    that is itself a department's name, or one linked to another department already.
    """
    wording, unit = clean(wording), clean(unit)
    if not wording:
        raise DepartmentError("“名称”：请填写计划中的部门名称，例如：市邮政管理部门")
    if len(wording) > ALIAS_MAX:
        raise DepartmentError(f"“名称”：不能超过 {ALIAS_MAX} 个字")
    if not unit:
        raise DepartmentError("“关联到”：请选择检查人员名录中的单位或已有的部门")
    dept = session.scalar(select(Department).where(Department.name == unit))
    if dept is None:
        if unit not in roster_units(session):
            raise DepartmentError(f"“关联到”：“{unit}”不是检查人员名录中的单位，也不是已有的部门；"
                                  "请先在名录中录入该部门的检查人员")
        if len(unit) > NAME_MAX:
            raise DepartmentError(f"“关联到”：单位名称不能超过 {NAME_MAX} 个字")
        dept = Department(name=unit, kind=guess_kind(unit), created_by=actor or "")
        session.add(dept)
        session.flush()
    if wording == dept.name:
        raise DepartmentError(f"“名称”：“{wording}”就是该部门的名称，无需关联")
    if session.scalar(select(Department.id).where(Department.name == wording)) is not None:
        raise DepartmentError(f"“名称”：“{wording}”是另一个部门的名称，不能作为“{dept.name}”的别名")
    existing = session.scalar(select(DepartmentAlias).where(DepartmentAlias.alias == wording))
    if existing is not None:
        if existing.department_id == dept.id:
            raise DepartmentError(f"“名称”：“{wording}”已关联到“{dept.name}”")
        raise DepartmentError(f"“名称”：“{wording}”已关联到“{existing.department.name}”；"
                              "一个名称只能对应一个部门")
    alias = DepartmentAlias(department_id=dept.id, alias=wording, created_by=actor or "")
    session.add(alias)
    session.flush()
    audit.append(session, user=actor, action="department.link", entity="department", entity_id=dept.id,
                 detail={"alias": wording, "department": dept.name})
    return dept


def unmatched_wordings(session: Session, year: int) -> list[UnmatchedWording]:
    """配合部门 wordings of the year's plan that match no department, each with the item numbers using it."""
    plan = session.scalar(select(Plan).where(Plan.year == int(year)))
    if plan is None:
        return []
    matcher = DepartmentMatcher(session, plan.bureau)
    found: dict[str, list[str]] = {}
    for item in plan.items:
        for wording in item_partner_wordings(item):
            if matcher.match(wording) is None:
                found.setdefault(wording, []).append(item.number)
    return [UnmatchedWording(w, numbers) for w, numbers in found.items()]


def unmatched_in_rows(session: Session, rows, bureau: str) -> list[UnmatchedWording]:
    """Like unmatched_wordings for plan rows not yet imported (reports.plan_table.PlanRow: number, partners)."""
    matcher = DepartmentMatcher(session, bureau)
    found: dict[str, list[str]] = {}
    for row in rows:
        for wording in row.partners or []:
            wording = clean(wording)
            if wording and matcher.match(wording) is None:
                found.setdefault(wording, []).append(row.number)
    return [UnmatchedWording(w, numbers) for w, numbers in found.items()]


@dataclass
class PartnerSetup:
    """The partner units a 部门联合 draw staffs, what is missing, and the clerk's reason for going without.

    ``problems`` refuse the draw (a gap and no reason); ``notes`` inform; ``reason`` is "" unless a gap
    exists and the clerk gave one — it is then sealed with the setup (docs/draw-protocol.md section 11).
    """

    units: list[str]
    gaps: list[str] = field(default_factory=list)
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


PARTNER_GAP_FLAG = "--partner-gap-reason"
REASON_MAX = 500


def _officers_by_unit(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Inspector.unit, func.count(Inspector.id))
                                .where(Inspector.active.is_(True)).group_by(Inspector.unit)).all())


def partner_setup(session: Session, item: PlanItem, units: list[str], responsible: list[str],
                  chosen: list[str] | None, reason: str | None) -> PartnerSetup:
    """Partner units for the draw of *item* (the clerk's *chosen* list, else matched through departments).

    A 部门联合 item whose partner wordings match no department, or whose partner departments have no
    active officer, is refused unless *reason* says why it is drawn without them; with a reason the
    units that have officers are kept and the reason recorded.
    """
    reason = " ".join(str(reason or "").split())  # as typed (no NFKC: the clerk's punctuation is kept)
    joint = (item.mode or "").strip() == JOINT_MODE
    if not joint:
        setup = PartnerSetup(list(chosen) if chosen is not None else [])
        if reason:
            setup.notes.append("本事项不是部门联合抽查，配合部门缺员原因未记录")
        return setup
    officers = _officers_by_unit(session)
    gaps: list[str] = []
    if chosen is not None:
        wanted = [u for u in chosen if u not in responsible]
        if not wanted:
            gaps.append("未选择配合部门")
    else:
        wanted, unmatched = partner_units_for(session, item, units, responsible)
        if not item_partner_wordings(item):
            gaps.append("计划未写明配合部门")
        gaps += [f"配合部门「{w}」在部门名录中找不到对应单位（可在“配合部门”中关联，或用 link-department）"
                 for w in unmatched]
    gaps += [f"配合部门「{u}」没有在岗检查人员" for u in wanted if not officers.get(u)]
    setup = PartnerSetup([u for u in wanted if officers.get(u)], gaps)
    if not gaps:
        if reason:
            setup.notes.append("配合部门均有在岗检查人员，缺员原因未记录")
        return setup
    if len(reason) > REASON_MAX:
        setup.problems.append(f"配合部门缺员原因不能超过 {REASON_MAX} 个字")
    elif not reason:
        setup.problems.append("部门联合抽查不能只由公安人员进行：" + "；".join(gaps)
                              + "。请录入配合部门的检查人员或关联部门名称；确需在缺少配合部门人员的情况下抽取，"
                              f"请填写缺员原因（命令行 {PARTNER_GAP_FLAG}），原因将随抽取公告封存并公示")
    else:
        setup.reason = reason
        setup.notes.append("部门联合抽查缺少配合部门人员（" + "；".join(gaps) + f"）；已记录原因：{reason}"
                           "（随抽取公告封存，并在抽查任务公示中列明）")
    return setup
