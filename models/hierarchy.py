"""The bureau's 实施层级 hierarchy (市局 → 县/区局 → 派出所), described once and read by the draw.

Each level (models.organisation.Jurisdiction) owns names (JurisdictionUnit): inspector units as the
roster writes them (五华分局治安大队) and objects' 辖区 texts (华山派出所). A name resolves to its level,
then up to its county (县 level) and city. A jurisdiction's own name resolves to itself, so a 派出所
named 华山派出所 needs no extra unit row to be a 辖区.

Rows come from the screen, the command line or a table (名称, 层级, 上级, 所属单位/辖区名称); a table is
all-or-nothing and each refusal names its row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import audit
from models.errors import UserError
from models.organisation import JURISDICTION_LEVELS, Jurisdiction, JurisdictionUnit

CITY, COUNTY, STATION = JURISDICTION_LEVELS  # 市, 县, 所
PARENT_LEVEL = {CITY: None, COUNTY: CITY, STATION: COUNTY}
LEVEL_NAMES = {CITY: "市局", COUNTY: "县（区）局", STATION: "派出所"}
HEADERS = ("名称", "层级", "上级", "所属单位/辖区名称")
NAME_MAX = 100
_SPLIT = re.compile(r"[、，,；;\n\r\t]+")
# Level cells a clerk may type: 市 / 市局, 县 / 区 / 县局 / 区局 / 分局, 所 / 派出所.
_LEVEL_ALIASES = {"市": CITY, "市局": CITY, "市级": CITY, "县": COUNTY, "区": COUNTY, "县局": COUNTY, "区局": COUNTY,
                  "县区": COUNTY, "县（区）局": COUNTY, "县(区)局": COUNTY, "分局": COUNTY, "县级": COUNTY,
                  "所": STATION, "派出所": STATION}


class HierarchyError(UserError):
    """The hierarchy cannot be changed as asked; the message names the row or the field."""


@dataclass
class JurisdictionRow:
    """One level as listed: its name, level, parent's name and the names that belong to it."""

    id: int
    name: str
    level: str
    parent: str
    units: list[str] = field(default_factory=list)
    depth: int = 0

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)


@dataclass
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行，“{self.column}”列：{self.message}"


def split_units(text: str) -> list[str]:
    """The names in one cell, separated by 、 ， , ； ; or line breaks; blanks and repeats dropped."""
    seen: list[str] = []
    for part in _SPLIT.split(text or ""):
        part = " ".join(part.split())
        if part and part not in seen:
            seen.append(part)
    return seen


def level_of_text(text: str) -> str | None:
    return _LEVEL_ALIASES.get("".join((text or "").split()))


# ---------------------------------------------------------------- reading

def list_hierarchy(s: Session) -> list[JurisdictionRow]:
    """Every level in tree order: the 市局, then each county with its stations (names sorted)."""
    rows = s.execute(select(Jurisdiction)).scalars().all()
    units: dict[int, list[str]] = {}
    for jid, unit in s.execute(select(JurisdictionUnit.jurisdiction_id, JurisdictionUnit.unit)
                               .order_by(JurisdictionUnit.unit)):
        units.setdefault(jid, []).append(unit)
    by_id = {j.id: j for j in rows}
    children: dict[int | None, list[Jurisdiction]] = {}
    for j in rows:
        parent = j.parent_id if j.parent_id in by_id else None
        children.setdefault(parent, []).append(j)
    order = {CITY: 0, COUNTY: 1, STATION: 2}
    result: list[JurisdictionRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for j in sorted(children.get(parent, []), key=lambda x: (order.get(x.level, 3), x.name)):
            result.append(JurisdictionRow(j.id, j.name, j.level, by_id[j.parent_id].name if j.parent_id in by_id
                                          else "", units.get(j.id, []), depth))
            walk(j.id, depth + 1)

    walk(None, 0)
    return result


@dataclass
class Hierarchy:
    """The hierarchy read once: resolve a unit or 辖区 name to its level, county and city."""

    level_of_id: dict[int, str]
    name_of_id: dict[int, str]
    parent_of_id: dict[int, int | None]
    id_of_name: dict[str, int]

    @classmethod
    def load(cls, s: Session) -> Hierarchy:
        level, name, parent, ids = {}, {}, {}, {}
        for jid, jname, jlevel, jparent in s.execute(select(Jurisdiction.id, Jurisdiction.name, Jurisdiction.level,
                                                            Jurisdiction.parent_id)):
            level[jid], name[jid], parent[jid] = jlevel, jname, jparent
            ids[jname] = jid
        for unit, jid in s.execute(select(JurisdictionUnit.unit, JurisdictionUnit.jurisdiction_id)):
            ids.setdefault(unit, jid)
        return cls(level, name, parent, ids)

    @property
    def empty(self) -> bool:
        return not self.level_of_id

    def _up_to(self, name: str | None, wanted: str) -> str | None:
        jid = self.id_of_name.get((name or "").strip())
        seen = set()
        while jid is not None and jid not in seen:
            seen.add(jid)
            if self.level_of_id.get(jid) == wanted:
                return self.name_of_id[jid]
            jid = self.parent_of_id.get(jid)
        return None

    def level_of(self, name: str | None) -> str | None:
        jid = self.id_of_name.get((name or "").strip())
        return self.level_of_id.get(jid) if jid is not None else None

    def county_of(self, name: str | None) -> str | None:
        """The 县/区局 a unit or 辖区 belongs to (itself when it is one); None for the 市 level or an unknown name."""
        return self._up_to(name, COUNTY)

    def city_of(self, name: str | None) -> str | None:
        return self._up_to(name, CITY)

    def is_city_level(self, name: str | None) -> bool:
        return self.level_of(name) == CITY

    def counties(self) -> list[str]:
        return sorted(n for jid, n in self.name_of_id.items() if self.level_of_id[jid] == COUNTY)

    def is_county(self, name: str | None) -> bool:
        return self.level_of((name or "").strip()) == COUNTY and (name or "").strip() in self.counties()

    def names_in_county(self, county: str) -> frozenset[str]:
        """Every name (jurisdictions' own and their units) that resolves to *county*."""
        return frozenset(n for n in self.id_of_name if self.county_of(n) == county)


def unmapped_names(s: Session) -> tuple[list[str], list[str]]:
    """(active inspector units, 辖区 of open objects) that no level of the hierarchy owns; ([], []) before one exists.

    The level rules report these when a draw needs them; the screen lists them so the clerk can map them first.
    """
    from models.roster import InspectedObject, Inspector

    h = Hierarchy.load(s)
    if h.empty:
        return [], []
    units = {u for (u,) in s.execute(select(Inspector.unit).where(Inspector.active.is_(True)).distinct()) if u}
    places = {(p or "").strip() for (p,) in s.execute(select(InspectedObject.jurisdiction)
                                                      .where(InspectedObject.active.is_(True)).distinct())}
    return (sorted(u for u in units if h.level_of(u) is None),
            sorted(p for p in places if p and h.level_of(p) is None))


# ---------------------------------------------------------------- writing

@dataclass
class JurisdictionData:
    """One row to save: name, level (市/县/所), parent's name ("" for the 市局) and its names."""

    name: str
    level: str
    parent: str = ""
    units: list[str] = field(default_factory=list)


def _check_rows(s: Session, rows: list[tuple[int, JurisdictionData]]) -> list[RowProblem]:
    """Every problem of saving *rows* (merged into what is stored), by row; [] when they can be saved."""
    problems: list[RowProblem] = []
    stored = {j.name: j for j in s.execute(select(Jurisdiction)).scalars()}
    stored_units = dict(s.execute(select(JurisdictionUnit.unit, Jurisdiction.name)
                                  .join(Jurisdiction, Jurisdiction.id == JurisdictionUnit.jurisdiction_id)).all())
    levels = {name: j.level for name, j in stored.items()}
    first_row: dict[str, int] = {}
    for n, d in rows:
        if not d.name:
            problems.append(RowProblem(n, HEADERS[0], "名称不能为空"))
        elif len(d.name) > NAME_MAX:
            problems.append(RowProblem(n, HEADERS[0], f"名称超过 {NAME_MAX} 个字"))
        elif d.name in first_row:
            problems.append(RowProblem(n, HEADERS[0], f"「{d.name}」与第 {first_row[d.name]} 行重复"))
        else:
            first_row[d.name] = n
        if d.level not in JURISDICTION_LEVELS:
            problems.append(RowProblem(n, HEADERS[1],
                                       f"层级「{d.level}」无效，应为 市、县 或 所（市局、县（区）局、派出所）"))
        elif d.name:
            levels[d.name] = d.level
    cities = {name for name, level in levels.items() if level == CITY}
    if len(cities) > 1:
        n = next((n for n, d in rows if d.level == CITY), rows[0][0] if rows else 1)
        problems.append(RowProblem(n, HEADERS[1], f"只能有一个市局，现有：{'、'.join(sorted(cities))}"))
    owner: dict[str, tuple[int, str]] = {}
    renamed = {d.name for _, d in rows}
    for n, d in rows:
        want = PARENT_LEVEL.get(d.level)
        if d.level in JURISDICTION_LEVELS:
            if want is None and d.parent:
                problems.append(RowProblem(n, HEADERS[2], "市局没有上级，此列应为空"))
            elif want is not None and not d.parent:
                problems.append(RowProblem(n, HEADERS[2], f"{LEVEL_NAMES[d.level]}须写明上级{LEVEL_NAMES[want]}"))
            elif want is not None and levels.get(d.parent) != want:
                what = "不存在" if d.parent not in levels else f"是{LEVEL_NAMES.get(levels[d.parent], '')}"
                problems.append(RowProblem(n, HEADERS[2], f"上级「{d.parent}」{what}，"
                                                          f"{LEVEL_NAMES[d.level]}的上级应为{LEVEL_NAMES[want]}"))
        for unit in d.units:
            if len(unit) > NAME_MAX:
                problems.append(RowProblem(n, HEADERS[3], f"「{unit[:20]}…」超过 {NAME_MAX} 个字"))
            elif unit in owner and owner[unit][1] != d.name:
                problems.append(RowProblem(n, HEADERS[3], f"「{unit}」已在第 {owner[unit][0]} 行属于"
                                                          f"「{owner[unit][1]}」，一个名称只能属于一个层级"))
            elif unit in stored_units and stored_units[unit] != d.name and stored_units[unit] not in renamed:
                problems.append(RowProblem(n, HEADERS[3], f"「{unit}」已属于「{stored_units[unit]}」，"
                                                          "一个名称只能属于一个层级"))
            elif unit in levels and unit != d.name:
                problems.append(RowProblem(n, HEADERS[3], f"「{unit}」本身是一个层级的名称，不必再列为所属名称"))
            else:
                owner.setdefault(unit, (n, d.name))
    return problems


def _save(s: Session, rows: list[JurisdictionData], actor: str, action: str, detail: dict) -> None:
    stored = {j.name: j for j in s.execute(select(Jurisdiction)).scalars()}
    # Parents first, so a county saved in the same batch as its city finds it.
    order = {CITY: 0, COUNTY: 1, STATION: 2}
    for d in sorted(rows, key=lambda d: order[d.level]):
        j = stored.get(d.name)
        parent_id = stored[d.parent].id if d.parent else None
        if j is None:
            j = Jurisdiction(name=d.name, level=d.level, parent_id=parent_id)
            s.add(j)
            stored[d.name] = j
        else:
            j.level, j.parent_id = d.level, parent_id
        s.flush()
        s.execute(delete(JurisdictionUnit).where(JurisdictionUnit.jurisdiction_id == j.id))
        s.flush()
        for unit in d.units:
            s.add(JurisdictionUnit(jurisdiction_id=j.id, unit=unit))
        s.flush()
    audit.append(s, user=actor, action=action, entity="jurisdiction", entity_id="", detail=detail)


def _clean(d: JurisdictionData) -> JurisdictionData:
    level = level_of_text(d.level) or " ".join((d.level or "").split())
    return JurisdictionData(" ".join((d.name or "").split()), level, " ".join((d.parent or "").split()),
                            [u for u in split_units("、".join(d.units)) if u != " ".join((d.name or "").split())])


def save_jurisdiction(s: Session, data: JurisdictionData, actor: str) -> None:
    """Add a level or change one (level, parent, the names that belong to it); refused naming the field."""
    d = _clean(data)
    problems = _check_rows(s, [(1, d)])
    if problems:
        raise HierarchyError("；".join(p.message for p in problems))
    _save(s, [d], actor, "保存实施层级", {"name": d.name, "level": d.level, "parent": d.parent, "units": d.units})


def remove_jurisdiction(s: Session, name: str, actor: str) -> None:
    """Remove a level that has no lower levels; its names no longer resolve."""
    j = s.execute(select(Jurisdiction).where(Jurisdiction.name == (name or "").strip())).scalar()
    if j is None:
        raise HierarchyError(f"实施层级中没有「{name}」")
    kids = s.execute(select(Jurisdiction.name).where(Jurisdiction.parent_id == j.id)).scalars().all()
    if kids:
        raise HierarchyError(f"「{j.name}」下还有 {len(kids)} 个下级（{'、'.join(sorted(kids)[:3])}…），"
                             "请先删除或改挂下级")
    s.delete(j)
    s.flush()
    audit.append(s, user=actor, action="删除实施层级", entity="jurisdiction", entity_id=j.id, detail={"name": j.name})


def rows_from_table(table: list[list[str]]) -> tuple[list[tuple[int, JurisdictionData]], list[RowProblem]]:
    """The rows of a sheet whose first non-empty row is the header (名称, 层级, 上级, 所属单位/辖区名称)."""
    problems: list[RowProblem] = []
    start = next((k for k, r in enumerate(table) if any((c or "").strip() for c in r)), None)
    if start is None:
        return [], [RowProblem(1, HEADERS[0], "表格是空的")]
    header = [" ".join((c or "").split()) for c in table[start]]
    cols: dict[str, int] = {}
    for want in HEADERS:
        names = (want, *want.split("/")) if "/" in want else (want,)
        found = next((k for k, h in enumerate(header) if h in names), None)
        if found is None and want != HEADERS[3]:
            problems.append(RowProblem(start + 1, want, f"缺少“{want}”列（表头应为：{'、'.join(HEADERS)}）"))
        elif found is not None:
            cols[want] = found
    if problems:
        return [], problems
    rows = []
    for k in range(start + 1, len(table)):
        r = table[k]
        if not any((c or "").strip() for c in r):
            continue
        cells = [(r[cols[h]] or "") if h in cols and cols[h] < len(r) else "" for h in HEADERS]
        rows.append((k + 1, _clean(JurisdictionData(cells[0], cells[1], cells[2], split_units(cells[3])))))
    if not rows:
        problems.append(RowProblem(start + 2, HEADERS[0], "表格中没有数据行"))
    return rows, problems


def import_rows(s: Session, table: list[list[str]], actor: str, file_name: str = "") -> list[JurisdictionData]:
    """Save every row of a hierarchy table, or none: raises HierarchyImportError listing each row's problem.

    Rows are merged into what is stored: a named level is added or replaced (its names replaced by the row's).
    """
    rows, problems = rows_from_table(table)
    if not problems:
        problems = _check_rows(s, rows)
    if problems:
        raise HierarchyImportError(problems, file_name)
    data = [d for _, d in rows]
    _save(s, data, actor, "导入实施层级", {"file": file_name, "rows": len(data),
                                          "names": [d.name for d in data]})
    return data


class HierarchyImportError(HierarchyError):
    """A hierarchy table with problems: nothing was saved; each problem names its row and column."""

    def __init__(self, problems: list[RowProblem], file_name: str = ""):
        self.problems = problems
        where = f"{file_name}：" if file_name else ""
        super().__init__(where + "\n".join(str(p) for p in problems) + "\n导入未进行，数据库未作任何修改。")
