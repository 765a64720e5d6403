"""Services for the annual plan: create, copy, edit and relink plan items, and the plan overview."""
from __future__ import annotations

from models.errors import UserError
from dataclasses import dataclass, fields
from dataclasses import field as dc_field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import audit
from models.draw import DrawRecord
from models.plan import ChecklistEntry, Plan, PlanItem
from models.plan_rules import SamplingRule, parse_rule, sample_size
from models.plan_types import auto_link_types, resolve_types  # noqa: F401 - auto_link_types is part of this API
from models.roster import InspectedObject, ObjectType
from models.text import nonblank


NO_TYPE = "未关联对象类型"
UNPARSED = "规则无法解析"
PER_EVENT = "按活动执行"


class PlanError(UserError, ValueError):
    """A plan operation refused; the message (Chinese) says why."""


@dataclass
class ItemData:
    """Every editable column of a plan item (抽查事项), as the editor dialog and the import fill it.

    ``rule_manual`` with ``rule`` stores a rule the clerk set by hand; otherwise the rule is
    parsed from ``ratio_text``.
    """

    number: str
    item: str
    mode: str = ""
    field: str = ""
    content: str = ""
    object_text: str = ""
    category: str = ""
    ratio_text: str = ""
    initiator: str = ""
    partners: list[str] = dc_field(default_factory=list)
    subject: str = ""
    time_text: str = ""
    month_from: int | None = None
    month_to: int | None = None
    responsible_unit: str = ""
    methods: list[str] = dc_field(default_factory=list)
    basis: str = ""
    level: str = ""
    est_count_text: str = ""
    est_risk_text: str = ""
    est_risk: dict | None = None
    risk_differentiated: bool = False
    remark: str = ""
    checklist: list[str] = dc_field(default_factory=list)
    rule_manual: bool = False
    rule: SamplingRule | None = None


# Plain columns copied between ItemData and PlanItem one to one.
_COLUMNS = [f.name for f in fields(ItemData) if f.name not in ("checklist", "rule_manual", "rule")]


@dataclass
class OverviewRow:
    """One line of the plan overview: an item, its rule and what a draw would take today."""

    item_id: int
    number: str
    item: str
    type_names: list[str]
    rule_text: str
    ratio_text: str
    responsible_unit: str
    time_text: str
    roster_count: int        # active objects of the item's types, any business status
    eligible: int            # of those, the ones 在营 (in business)
    draw_size: int | None    # sample_size(rule, eligible); None when the rule is not understood
    problems: list[str]


# --- plans -----------------------------------------------------------------------------

def publicity_title(plan: Plan) -> str:
    """The title a bureau publishes: XX公安局20XX年度“双随机、一公开”抽查计划."""
    return f"{plan.bureau}{plan.year}年度“双随机、一公开”抽查计划"


def list_plans(session: Session) -> list[Plan]:
    return list(session.execute(select(Plan).order_by(Plan.year.desc())).scalars())


def plan_years(session: Session) -> list[int]:
    """The years that have an annual plan (年度抽查计划), newest first."""
    return list(session.scalars(select(Plan.year).order_by(Plan.year.desc())))


def get_plan(session: Session, year: int) -> Plan:
    plan = session.execute(select(Plan).where(Plan.year == year)).scalar_one_or_none()
    if plan is None:
        raise PlanError(f"没有{year}年度的抽查计划。")
    return plan


def find_plan(session: Session, year: int) -> Plan | None:
    return session.execute(select(Plan).where(Plan.year == year)).scalar_one_or_none()


def create_plan(session: Session, year: int, bureau: str, title: str, actor: str) -> Plan:
    if not 2000 <= int(year) <= 2100:
        raise PlanError(f"年度“{year}”不正确，应为四位年份，如 2025。")
    if find_plan(session, year) is not None:
        raise PlanError(f"{year}年度的抽查计划已经存在。")
    bureau = (bureau or "").strip()
    plan = Plan(year=int(year), bureau=bureau, title=(title or "").strip())
    if not plan.title:
        plan.title = publicity_title(plan)
    session.add(plan)
    session.flush()
    audit.append(session, user=actor, action="plan.create", entity="plan", entity_id=plan.id,
                 detail={"year": plan.year, "bureau": bureau, "title": plan.title})
    return plan


def copy_plan(session: Session, from_year: int, to_year: int, actor: str, bureau: str | None = None) -> Plan:
    """Last year's plan into a new year: items, checklists, type links and months kept."""
    source = get_plan(session, from_year)
    target = find_plan(session, to_year)
    if target is not None and target.items:
        raise PlanError(f"{to_year}年度的抽查计划已有 {len(target.items)} 个抽查事项，不能再复制进去。")
    if target is None:
        title = (source.title or "").replace(str(from_year), str(to_year))
        target = create_plan(session, to_year, bureau if bureau is not None else source.bureau, title, actor)
    for src in source.items:
        data = item_data_of(src)
        # The written time ("2024年2月—8月") names the old year; the month window carries over.
        data.time_text = data.time_text.replace(str(from_year), str(to_year))
        new = _new_item(session, target, data)
        new.object_types = list(src.object_types)
    session.flush()
    audit.append(session, user=actor, action="plan.copy", entity="plan", entity_id=target.id,
                 detail={"from_year": from_year, "to_year": to_year, "items": len(source.items)})
    return target


# --- items -----------------------------------------------------------------------------

def get_item(session: Session, item_id: int) -> PlanItem:
    item = session.get(PlanItem, item_id)
    if item is None:
        raise PlanError(f"抽查事项（内部编号 {item_id}）不存在，可能已被删除。")
    return item


def find_item(session: Session, year: int, number: str) -> PlanItem:
    plan = get_plan(session, year)
    number = str(number).strip()
    for it in plan.items:
        if it.number == number:
            return it
    known = "、".join(it.number for it in plan.items) or "无"
    raise PlanError(f"{year}年度计划中没有编号为“{number}”的抽查事项（现有编号：{known}）。")


def rule_of(item: PlanItem) -> SamplingRule:
    """The item's stored rule; for an unparsed one, the parser's reason is recomputed from the text."""
    if not item.rule_parsed:
        problem = parse_rule(item.ratio_text or "").problem or "抽查比例和频次无法识别"
        return SamplingRule(parsed=False, problem=problem)
    return SamplingRule(
        ratio=item.ratio, ratio_kind=item.ratio_kind, count=item.count, rounds_min=item.rounds_min,
        rounds_max=item.rounds_max, per_event=bool(item.per_event), parsed=True,
    )


def apply_rule(item: PlanItem, rule: SamplingRule) -> None:
    """Store a rule in the item's rule columns (the same columns for parsed and manual rules)."""
    item.ratio = rule.ratio
    item.ratio_kind = rule.ratio_kind
    item.count = rule.count
    item.rounds_min = rule.rounds_min
    item.rounds_max = rule.rounds_max
    item.per_event = bool(rule.per_event)
    item.rule_parsed = bool(rule.parsed)


def item_data_of(item: PlanItem) -> ItemData:
    data = ItemData(**{name: getattr(item, name) for name in _COLUMNS})
    data.partners = list(item.partners or [])
    data.methods = list(item.methods or [])
    data.est_risk = dict(item.est_risk) if item.est_risk else None
    data.checklist = [e.text for e in item.checklist]
    data.rule_manual = bool(item.rule_manual)
    data.rule = rule_of(item) if item.rule_manual else None
    return data


def _validate(data: ItemData) -> None:
    if not (data.number or "").strip():
        raise PlanError("编号不能为空。")
    if not (data.item or "").strip():
        raise PlanError(f"编号 {data.number} 的抽查事项不能为空。")
    for name, value in (("起始月", data.month_from), ("结束月", data.month_to)):
        if value is not None and not 1 <= value <= 12:
            raise PlanError(f"编号 {data.number} 的检查时间{name}“{value}”应在 1～12 之间。")
    if data.month_from and data.month_to and data.month_from > data.month_to:
        raise PlanError(f"编号 {data.number} 的检查时间起始月晚于结束月。")
    if data.rule_manual:
        rule = data.rule
        if rule is None or not rule.parsed:
            raise PlanError(f"编号 {data.number} 选择了手动设置规则，但规则不完整。")
        if not rule.per_event and rule.ratio is None and rule.count is None and rule.rounds_min is None \
                and rule.rounds_max is None:
            raise PlanError(f"编号 {data.number} 的手动规则需要比例、固定户数、频次或“按活动执行”中的至少一项。")
        if rule.ratio is not None and not 0 < rule.ratio <= 1:
            raise PlanError(f"编号 {data.number} 的手动规则比例应在 0%～100% 之间。")


def _fill(session: Session, item: PlanItem, data: ItemData) -> None:
    for name in _COLUMNS:
        value = getattr(data, name)
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.partners = nonblank(data.partners)
    item.methods = nonblank(data.methods)
    item.rule_manual = bool(data.rule_manual)
    apply_rule(item, data.rule if data.rule_manual and data.rule else parse_rule(item.ratio_text))
    texts = nonblank(data.checklist)
    if [e.text for e in item.checklist] != texts:
        item.checklist.clear()
        session.flush()
        item.checklist.extend(ChecklistEntry(seq=i, text=t) for i, t in enumerate(texts, start=1))


def _new_item(session: Session, plan: Plan, data: ItemData) -> PlanItem:
    _validate(data)
    number = data.number.strip()
    if any(it.number == number for it in plan.items):
        raise PlanError(f"{plan.year}年度计划中已有编号为“{number}”的抽查事项。")
    seq = max((it.seq for it in plan.items), default=0) + 1
    item = PlanItem(plan=plan, seq=seq, number=number, item=data.item)
    session.add(item)
    _fill(session, item, data)
    session.flush()
    return item


def add_item(session: Session, year: int, data: ItemData, actor: str, type_names: list[str] | None = None) -> PlanItem:
    plan = get_plan(session, year)
    item = _new_item(session, plan, data)
    if type_names is not None:
        item.object_types = resolve_types(session, type_names)
    session.flush()
    audit.append(session, user=actor, action="plan.item.add", entity="plan_item", entity_id=item.id,
                 detail={"year": year, "number": item.number, "item": item.item})
    return item


def update_item(session: Session, item_id: int, data: ItemData, actor: str) -> PlanItem:
    item = get_item(session, item_id)
    _validate(data)
    number = data.number.strip()
    if any(it.number == number and it.id != item.id for it in item.plan.items):
        raise PlanError(f"{item.plan.year}年度计划中已有编号为“{number}”的抽查事项。")
    before = item_to_dict(item)
    _fill(session, item, data)
    session.flush()
    after = item_to_dict(item)
    changed = {k: after[k] for k in after if before.get(k) != after[k]}
    audit.append(session, user=actor, action="plan.item.update", entity="plan_item", entity_id=item.id,
                 detail={"number": item.number, "changed": changed})
    return item


def set_manual_rule(session: Session, item_id: int, rule: SamplingRule | None, actor: str) -> PlanItem:
    """Set the rule by hand (kept across edits of the text); None goes back to the parsed text."""
    item = get_item(session, item_id)
    data = item_data_of(item)
    data.rule_manual = rule is not None
    data.rule = SamplingRule(**{**rule.__dict__, "parsed": True, "problem": None}) if rule is not None else None
    _validate(data)
    item.rule_manual = data.rule_manual
    apply_rule(item, data.rule if data.rule is not None else parse_rule(item.ratio_text))
    session.flush()
    audit.append(session, user=actor, action="plan.item.rule", entity="plan_item", entity_id=item.id,
                 detail={"number": item.number, "manual": item.rule_manual, "rule": rule_of(item).describe()})
    return item


def has_draws(session: Session, item_ids: list[int]) -> bool:
    if not item_ids:
        return False
    n = session.execute(select(func.count(DrawRecord.id)).where(DrawRecord.plan_item_id.in_(item_ids))).scalar()
    return bool(n)


def delete_item(session: Session, item_id: int, actor: str) -> None:
    item = get_item(session, item_id)
    if has_draws(session, [item.id]):
        raise PlanError(f"编号 {item.number} 的抽查事项已有抽取记录，不能删除（抽取记录须完整保留）。")
    detail = item_to_dict(item)
    session.delete(item)
    session.flush()
    audit.append(session, user=actor, action="plan.item.delete", entity="plan_item", entity_id=item_id, detail=detail)


def link_types(session: Session, item_id: int, type_names: list[str], actor: str) -> PlanItem:
    """Link the item to exactly these roster object types (replacing the previous links)."""
    item = get_item(session, item_id)
    types = resolve_types(session, type_names)
    item.object_types = types
    session.flush()
    audit.append(session, user=actor, action="plan.item.link", entity="plan_item", entity_id=item.id,
                 detail={"number": item.number, "types": [t.name for t in types]})
    return item


# --- reading ---------------------------------------------------------------------------

def item_problems(item: PlanItem) -> list[str]:
    """What the clerk should look at: no linked type, a rule not understood, a per-event rule."""
    problems = []
    if not item.object_types:
        problems.append(NO_TYPE)
    if not item.rule_parsed:
        problems.append(UNPARSED)
    elif item.per_event:
        problems.append(PER_EVENT)
    return problems


def item_to_dict(item: PlanItem) -> dict:
    """The item as one JSON object (show-plan --json)."""
    rule = rule_of(item)
    months = [item.month_from, item.month_to] if item.month_from or item.month_to else None
    return {
        "number": item.number,
        "mode": item.mode,
        "field": item.field,
        "item": item.item,
        "content": item.content,
        "checklist": [e.text for e in item.checklist],
        "object_text": item.object_text,
        "object_types": sorted(t.name for t in item.object_types),
        "category": item.category,
        "ratio_text": item.ratio_text,
        "ratio": item.ratio,
        "ratio_kind": item.ratio_kind,
        "count": item.count,
        "rounds_per_year": rule.rounds_per_year() if rule.parsed else None,
        "rounds_min": item.rounds_min,
        "rounds_max": item.rounds_max,
        "per_event": bool(item.per_event),
        "rule_parsed": bool(item.rule_parsed),
        "rule_manual": bool(item.rule_manual),
        "rule": rule.describe(),
        "initiator": item.initiator,
        "partner_departments": list(item.partners or []),
        "subject": item.subject,
        "time_text": item.time_text,
        "months": months,
        "responsible_unit": item.responsible_unit,
        "methods": list(item.methods or []),
        "basis": item.basis,
        "level": item.level,
        "est_count_text": item.est_count_text,
        "est_risk_text": item.est_risk_text,
        "est_risk": item.est_risk,
        "risk_differentiated": bool(item.risk_differentiated),
        "remark": item.remark,
        "problems": item_problems(item),
    }


def _type_counts(session: Session) -> tuple[dict[int, int], dict[int, int]]:
    """Per type id: active objects, and active objects in business (在营)."""
    rows = session.execute(
        select(InspectedObject.object_type_id, InspectedObject.status, func.count())
        .where(InspectedObject.active.is_(True))
        .group_by(InspectedObject.object_type_id, InspectedObject.status)
    ).all()
    total: dict[int, int] = {}
    open_: dict[int, int] = {}
    for type_id, status, n in rows:
        total[type_id] = total.get(type_id, 0) + n
        if status == "在营":
            open_[type_id] = open_.get(type_id, 0) + n
    return total, open_


def plan_overview(session: Session, year: int) -> list[OverviewRow]:
    """Each item with its parsed rule and, against today's roster, how many a draw would take."""
    plan = get_plan(session, year)
    total, open_ = _type_counts(session)
    rows = []
    for item in plan.items:
        type_ids = [t.id for t in item.object_types]
        rule = rule_of(item)
        eligible = sum(open_.get(t, 0) for t in type_ids)
        size = sample_size(rule, eligible) if rule.parsed and type_ids else None
        rows.append(OverviewRow(
            item_id=item.id, number=item.number, item=item.item,
            type_names=[t.name for t in item.object_types], rule_text=rule.describe(),
            ratio_text=item.ratio_text, responsible_unit=item.responsible_unit, time_text=item.time_text,
            roster_count=sum(total.get(t, 0) for t in type_ids), eligible=eligible, draw_size=size,
            problems=item_problems(item),
        ))
    return rows


def all_type_names(session: Session) -> list[str]:
    return list(session.execute(select(ObjectType.name).order_by(ObjectType.id)).scalars())
