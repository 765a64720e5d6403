"""Routine duties (日常巡查任务): declare, edit, deactivate, list — the same rules for the screen, the command
line and the import.

A duty says which object type is checked, by whom ("" = the 派出所 of each object's 辖区, or a named
unit), how often (DUTY_PERIODS), how many times per period and what share of the objects (100 = all).
Duties are never deleted (checks refer to them); a deactivated one leaves the coverage and the to-do list.
Edits carry the row's version, as roster edits do: an edit made from a stale copy is refused naming who
saved it (models.roster_service.concurrent_edit's way).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import audit
from models.admin import AuditEntry
from models.duty_rules import DutyRuleError, duty_text, parse_duties, parse_period, parse_share
from models.errors import ConcurrentEdit, UserError
from models.roster import ObjectType
from models.roster_service import object_type_id
from models.supervision import DUTY_PERIODS, RoutineDuty
from models.text import trimmed

__all__ = ["DutyError", "DutyData", "DutyRow", "ROUND_UNIT", "list_duties", "get_duty", "duty_version",
           "add_duty", "update_duty", "set_duty_active", "duties_from_sentence", "duties_from_cells", "CellProblem",
           "check_duty", "duty_label",
           "MAX_TIMES", "BASIS_MAX"]

ROUND_UNIT = "辖区派出所"     # how a duty whose unit is "" reads: the 派出所 of the object's 辖区
MAX_TIMES = 31                # more checks of one object per period than days in a month is a typing slip
BASIS_MAX = 1000
UNIT_MAX = 100


class DutyError(UserError, ValueError):
    """A routine duty that cannot be saved; the Chinese message names the field."""


@dataclass
class DutyData:
    """The editable fields of one routine duty."""

    type_name: str
    period: str
    times: int = 1
    share_percent: int = 100
    unit: str = ""
    basis: str = ""


class DutyRow(NamedTuple):
    """日常巡查任务 — one declared duty as lists show it."""

    id: int
    type_name: str
    unit: str              # "" = the 派出所 of the object's 辖区
    period: str
    times: int
    share_percent: int
    basis: str
    active: bool
    version: int
    type_id: int

    @property
    def unit_label(self) -> str:
        return self.unit or ROUND_UNIT

    @property
    def rule(self) -> str:
        return duty_text(self.period, self.times, self.share_percent)

    @property
    def label(self) -> str:
        return duty_label(self.type_name, self.period, self.times, self.share_percent)


def duty_label(type_name: str, period: str, times: int, share_percent: int) -> str:
    """旅馆 每月1次 / 废旧金属收购 每年4次（抽查30%）."""
    share = "" if share_percent >= 100 else f"（抽查{share_percent}%）"
    return f"{type_name} {period}{times}次{share}"


def _clean(data: DutyData) -> DutyData:
    try:
        times = int(data.times)
        share = int(data.share_percent)
    except (TypeError, ValueError):
        raise DutyError("次数和比例应为整数") from None
    return DutyData(type_name=trimmed(data.type_name), period=trimmed(data.period), times=times,
                    share_percent=share, unit=trimmed(data.unit), basis=trimmed(data.basis))


def check_duty(data: DutyData) -> DutyData:
    """The cleaned duty, or DutyError naming the first broken rule (no database needed)."""
    d = _clean(data)
    if not d.type_name:
        raise DutyError("对象类型：不能为空，请选择要巡查的检查对象类型（例如：旅馆）")
    if len(d.type_name) > 64:
        raise DutyError(f"对象类型：长度超过 64 个字符（实为 {len(d.type_name)} 个）")
    if d.period not in DUTY_PERIODS:
        raise DutyError(f"频次：“{d.period}”无效，应为{'、'.join(DUTY_PERIODS)}之一")
    if not 1 <= d.times <= MAX_TIMES:
        raise DutyError(f"次数：每期检查次数应在 1～{MAX_TIMES} 之间，收到 {d.times}")
    if not 1 <= d.share_percent <= 100:
        raise DutyError(f"比例：应在 1%～100% 之间（100% 为全部对象），收到 {d.share_percent}%")
    if len(d.unit) > UNIT_MAX:
        raise DutyError(f"责任单位：长度超过 {UNIT_MAX} 个字符（实为 {len(d.unit)} 个）")
    if len(d.basis) > BASIS_MAX:
        raise DutyError(f"依据：长度超过 {BASIS_MAX} 个字符（实为 {len(d.basis)} 个）")
    return d


def duties_from_sentence(session: Session, text: str, type_name: str | None = None) -> list[DutyData]:
    """The duties a seed sentence states, as DutyData with the sentence as their basis (DutyError if unclear)."""
    known = tuple(session.scalars(select(ObjectType.name)))
    try:
        parsed = parse_duties(text, trimmed(type_name) or None, known)
    except DutyRuleError as e:
        raise DutyError(f"巡查要求无法识别：{e}") from None
    return [DutyData(p.type_name, p.period, p.times, p.share_percent, "", trimmed(text)) for p in parsed]


class CellProblem(DutyError):
    """A cell of an imported row that cannot be read; ``field`` names its column (type_name, period …)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def duties_from_cells(type_name: str, unit: str, period: str, times: str, share: str, basis: str,
                      known_types: tuple[str, ...] = ()) -> list[DutyData]:
    """The duties one imported row states: 对象类型 with 频次 (and 次数, 比例), or a sentence in 依据 (with or
    without 对象类型); CellProblem naming the column when a cell cannot be read."""
    type_name, unit, period, times, share, basis = (trimmed(v) for v in (type_name, unit, period, times, share,
                                                                           basis))
    try:
        if period:
            if not type_name:
                raise CellProblem("type_name", "写了频次就要写对象类型（例如：旅馆）")
            if "次" in period:
                (parsed,) = parse_duties(period, type_name)
                found = DutyData(type_name, parsed.period, parsed.times, parsed.share_percent, unit, basis or period)
            else:
                found = DutyData(type_name, parse_period(period), 1, 100, unit, basis)
            found_list = [found]
        elif basis:
            parsed = parse_duties(basis, type_name or None, known_types)
            found_list = [DutyData(p.type_name, p.period, p.times, p.share_percent, unit, basis) for p in parsed]
        else:
            raise CellProblem("period", "缺少频次（每月、每两个月、每季度、每半年、每年），或在“依据”中写明巡查要求")
    except DutyRuleError as e:
        raise CellProblem("period" if period else "basis", str(e)) from None
    if times:
        if not times.isdigit():
            raise CellProblem("times", f"次数“{times}”应为整数")
        for d in found_list:
            d.times = int(times)
    if share:
        try:
            value = parse_share(share)
        except DutyRuleError as e:
            raise CellProblem("share", str(e)) from None
        for d in found_list:
            d.share_percent = value
    return found_list


def _select():
    d = RoutineDuty
    return (select(d.id, ObjectType.name, d.unit, d.period, d.times, d.share_percent, d.basis, d.active, d.version,
                   d.object_type_id)
            .join(ObjectType, ObjectType.id == d.object_type_id))


def list_duties(session: Session, include_inactive: bool = False) -> list[DutyRow]:
    """Declared duties in the order they were declared; active only unless asked."""
    stmt = _select().order_by(RoutineDuty.id)
    if not include_inactive:
        stmt = stmt.where(RoutineDuty.active.is_(True))
    return [DutyRow._make(r) for r in session.execute(stmt)]


def get_duty(session: Session, duty_id: int) -> DutyRow:
    row = session.execute(_select().where(RoutineDuty.id == duty_id)).first()
    if row is None:
        raise DutyError(f"日常巡查任务（编号 {duty_id}）不存在")
    return DutyRow._make(row)


def duty_version(session: Session, duty_id: int) -> int:
    return get_duty(session, duty_id).version


def _clash(session: Session, d: DutyData, exclude_id: int | None) -> None:
    """One active duty per object type, unit and period: a second would double the same round."""
    rows = session.execute(
        select(RoutineDuty.id).join(ObjectType, ObjectType.id == RoutineDuty.object_type_id)
        .where(ObjectType.name == d.type_name, RoutineDuty.unit == d.unit, RoutineDuty.period == d.period,
               RoutineDuty.active.is_(True))).scalars().all()
    other = [i for i in rows if i != exclude_id]
    if other:
        raise DutyError(f"已有同样的日常巡查任务（编号 {other[0]}：{d.type_name}，{d.unit or ROUND_UNIT}，"
                        f"{d.period}），请修改该任务，不要重复声明")


def add_duty(session: Session, data: DutyData, actor: str) -> int:
    """Validate and declare one duty; returns its id."""
    d = check_duty(data)
    _clash(session, d, None)
    duty = RoutineDuty(object_type_id=object_type_id(session, d.type_name), unit=d.unit, period=d.period,
                       times=d.times, share_percent=d.share_percent, basis=d.basis, active=True, created_by=actor)
    session.add(duty)
    session.flush()
    audit.append(session, user=actor, action="新增日常巡查任务", entity="routine_duty", entity_id=duty.id,
                 detail=asdict(d))
    return duty.id


def _stale(session: Session, duty_id: int) -> ConcurrentEdit:
    who = session.execute(select(AuditEntry.user, AuditEntry.ts)
                          .where(AuditEntry.entity == "routine_duty", AuditEntry.entity_id == str(duty_id))
                          .order_by(AuditEntry.id.desc()).limit(1)).first()
    by = f"已被 {who[0] or '其他用户'} 于 {who[1]:%Y-%m-%d %H:%M:%S} 修改" if who else "已被其他用户修改"
    return ConcurrentEdit(f"该日常巡查任务（编号 {duty_id}）在您打开之后{by}，您的修改未保存，请重新载入后再改。")


def _load(session: Session, duty_id: int, expected_version: int | None) -> RoutineDuty:
    duty = session.get(RoutineDuty, duty_id)
    if duty is None:
        raise DutyError(f"日常巡查任务（编号 {duty_id}）不存在")
    if expected_version is not None and duty.version != expected_version:
        raise _stale(session, duty_id)
    return duty


def _flush(session: Session, duty_id: int) -> None:
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise _stale(session, duty_id) from None


def update_duty(session: Session, duty_id: int, data: DutyData, actor: str,
                expected_version: int | None = None) -> None:
    """Save an edited duty; *expected_version* (from duty_version when the form was filled) refuses an edit
    made after another seat saved it."""
    duty = _load(session, duty_id, expected_version)
    d = check_duty(data)
    if duty.active:
        _clash(session, d, duty_id)
    before = get_duty(session, duty_id)
    old = {"type_name": before.type_name, "period": before.period, "times": before.times,
           "share_percent": before.share_percent, "unit": before.unit, "basis": before.basis}
    changes = {k: [old[k], v] for k, v in asdict(d).items() if old[k] != v}
    if not changes:
        return
    if "type_name" in changes:
        duty.object_type_id = object_type_id(session, d.type_name)
    duty.unit, duty.period, duty.times = d.unit, d.period, d.times
    duty.share_percent, duty.basis = d.share_percent, d.basis
    _flush(session, duty_id)
    audit.append(session, user=actor, action="修改日常巡查任务", entity="routine_duty", entity_id=duty_id,
                 detail={"changes": changes})


def set_duty_active(session: Session, duty_id: int, active: bool, actor: str,
                    expected_version: int | None = None) -> None:
    """Deactivate (or reactivate) a duty; checks already recorded for it keep referring to it."""
    duty = _load(session, duty_id, expected_version)
    if duty.active == active:
        return
    if active:
        row = get_duty(session, duty_id)
        _clash(session, DutyData(row.type_name, row.period, row.times, row.share_percent, row.unit), duty_id)
    duty.active = active
    _flush(session, duty_id)
    row = get_duty(session, duty_id)
    audit.append(session, user=actor, action="启用日常巡查任务" if active else "停用日常巡查任务",
                 entity="routine_duty", entity_id=duty_id, detail={"duty": row.label, "unit": row.unit_label})
