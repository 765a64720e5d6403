"""Recording a check that was not drawn (issue 18): 日常巡查, 专项检查, 举报投诉, 案后倒查 … of any roster object.

Such a check is an ``Inspection`` with no ``pick_id``: it never counts as a draw result (the 双随机 publicity,
the draw statistics and the draw's consistency checks read picks only). Everything else is the same as for a
drawn object — at least two officers, nothing pre-decided (未填 refused), every checklist verdict of the chosen
plan item, hazards only with a problem result — so the notice, its deadlines and the 复查 follow unchanged.

The checklist comes from a plan item the clerk names (``plan_item_id``). The app keeps checklists only on plan
items (models.plan.ChecklistEntry); there is no separate checklist per object type, so a check without an item
records no verdicts — its findings go into the hazards and the note.

A complaint (举报投诉) carries its reference, the day it was received and a reply deadline. The reply to the
complainant is recorded by models.check_list.record_reply as a row of the settings table keyed
``complaint_reply:<inspection id>`` ({date, note, by}), audited — the way a plan item's rectification rule
is kept (``rectify_rule:<item id>``), so no migration is needed. It is not the check's 完结 (``finished``):
a successful 复查 sets that, and the complainant may still wait for an answer; a column of its own
(inspections.replied_on) would be the lasting home for it.

A check made for a routine duty (日常巡查任务) carries its ``duty_id``: the duty must exist, be active (an edit
may keep a duty deactivated since) and cover the object's type, and the check's source must be one a round
is made with — DUTY_SOURCES: 日常巡查, 全面检查, 专项检查, 专项督察 (seed 003's rounds: 每月/每季度的监督检查,
废旧金属的全面检查, 每年不少于4次的专项督察). A complaint, a case, an errand from above or 暗访 looks at one
matter, not the unit's whole duty, and is refused for a duty. models.duty_coverage counts a marked check for
its duty only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import audit
from models.calendar_service import load_calendar
from models.duties import get_duty, list_duties
from models.duty_coverage import COUNTING_SOURCES
from models.inspection import CHECK_SOURCES, DRAWN_SOURCE, Hazard, Inspection, RectificationNotice
from models.errors import UserError
from models.inspection_service import (
    COMMON_CLAUSES, UNSET, CheckInput, HazardInput, InspectionError, InspectorChoice, clause_choices, fill_record,
    validate_dates, validate_outcome, validate_people,
)
from models.plan import ChecklistEntry, Plan, PlanItem, plan_item_types
from models.roster import InspectedObject, Inspector, ObjectType
from models.workdays import format_cn_date

__all__ = [
    "COMPLAINT_SOURCE", "OTHER_SOURCES", "REF_REQUIRED", "REF_LABELS", "COMPLAINT_REPLY_WORKDAYS", "CheckData",
    "CheckForm", "ItemChoice", "ObjectChoice", "object_matches", "find_object", "find_item",
    "check_form", "blank_check_form", "default_reply_due", "get_check_data", "record_check", "update_check",
    "save_check", "DUTY_SOURCES", "DutyChoice", "duty_choices",
]

COMPLAINT_SOURCE = "举报投诉"
# The sources a clerk records here; 双随机抽查 is recorded from its draw pick only.
OTHER_SOURCES = tuple(s for s in CHECK_SOURCES if s != DRAWN_SOURCE)
# The sources whose reference is required, and what the reference is called.
REF_REQUIRED = {COMPLAINT_SOURCE: "举报投诉编号", "案后倒查": "案件编号", "上级交办": "交办文件文号"}
# The label of the optional reference of the other sources (the form shows it for these).
REF_LABELS = {**REF_REQUIRED, "专项检查": "专项行动名称或文号", "专项督察": "督察通知文号"}
# The reply deadline a complaint gets unless the clerk sets one: seed 003 only says 随报随查 and sets no time
# limit, so the office's own default is 15 working days from the day the complaint was received (holidays and
# 调休 counted from the calendar the notices use). The clerk changes it per complaint (--reply-due / the form).
COMPLAINT_REPLY_WORKDAYS = 15
_REF_MAX = 100
# The sources a check made for a routine duty may have (the on-site checks of the whole unit).
DUTY_SOURCES = tuple(s for s in COUNTING_SOURCES if s != DRAWN_SOURCE)


@dataclass
class CheckData:
    """What the clerk enters for a check that was not drawn (fields as InspectionData's, plus where it came from)."""

    object_id: int
    source: str
    date_from: date
    date_to: date
    inspector_ids: list[int]
    result_category: str
    source_ref: str = ""
    source_date: date | None = None
    reply_due: date | None = None      # 举报投诉 only; None: the default rule
    plan_item_id: int | None = None
    duty_id: int | None = None         # the routine duty this check was made for (DUTY_SOURCES only)
    checks: list[CheckInput] = field(default_factory=list)
    hazards: list[HazardInput] = field(default_factory=list)
    result_subkind: str = ""
    method: str = "实地检查"
    follow_up: str = ""
    finished: bool = False
    finished_date: date | None = None
    executing_unit: str = ""
    signed_refused: bool = False
    note: str = ""
    change_reason: str = ""            # never needed: nobody was drawn, so nobody stood in


class ItemChoice(NamedTuple):
    """A plan item whose checklist a check may use."""

    id: int
    year: int
    label: str


class DutyChoice(NamedTuple):
    """A routine duty a check of the object may be made for."""

    id: int
    label: str          # 旅馆 每月1次（辖区派出所）
    active: bool


class ObjectChoice(NamedTuple):
    """An active roster object found by name or 统一社会信用代码."""

    id: int
    name: str
    credit_code: str
    type_name: str
    jurisdiction: str


@dataclass
class CheckForm:
    """What the 登记检查 form shows for one object (and, when editing, the stored check)."""

    object_id: int
    object_name: str
    credit_code: str
    object_address: str
    type_name: str
    jurisdiction: str
    items: list[ItemChoice]                      # plan items covering the object's type, newest first
    plan_item_id: int | None
    checklist: list[tuple[int, int, str]]        # (entry id, seq, text) of the chosen item
    responsible_unit: str
    inspectors: list[InspectorChoice]
    clauses: list[str]
    drawn: list[tuple[int, str, str]] = field(default_factory=list)  # always empty: nobody was drawn
    inspection_id: int | None = None
    existing: CheckData | None = None
    notice_numbers: list[str] = field(default_factory=list)
    duties: list[DutyChoice] = field(default_factory=list)   # active duties of the object's type (+ the stored one)


def _text(value: str | None) -> str:
    return (value or "").strip()


def object_matches(session: Session, text: str, limit: int = 50) -> list[ObjectChoice]:
    """Active roster objects whose name or 统一社会信用代码 contains ``text`` (at most ``limit``)."""
    text = _text(text)
    if not text:
        return []
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    o = InspectedObject
    rows = session.execute(
        select(o.id, o.name, func.coalesce(o.credit_code, "").label("credit_code"), ObjectType.name, o.jurisdiction)
        .join(ObjectType)
        .where(o.active.is_(True), or_(o.name.like(like, escape="\\"), o.credit_code.like(like.upper(), escape="\\")))
        .order_by(o.name, o.id).limit(limit))
    return [ObjectChoice._make(r) for r in rows]


def find_object(session: Session, code: str) -> int:
    """The active roster object with 统一社会信用代码 (or exactly the name) ``code``."""
    code = _text(code)
    if not code:
        raise InspectionError("检查对象：请给出检查对象的统一社会信用代码或名称")
    rows = session.execute(select(InspectedObject.id, InspectedObject.name, InspectedObject.active).where(
        (InspectedObject.credit_code == code.upper()) | (InspectedObject.name == code))).all()
    if not rows:
        raise InspectionError(f"检查对象：名录库中没有统一社会信用代码或名称为“{code}”的检查对象")
    active = [r for r in rows if r.active]
    if not active:
        raise InspectionError(f"检查对象：“{rows[0].name}”已从名录库停用，不能登记检查")
    if len(active) > 1:
        raise InspectionError(f"检查对象：名录库中有{len(active)}个名为“{code}”的对象，请改用统一社会信用代码")
    return active[0].id


def find_item(session: Session, spec: str) -> int:
    """The plan item written ``YEAR:N`` (the plan year and the item's 编号)."""
    year, sep, number = _text(spec).partition(":")
    if not sep or not year.strip().isdigit() or not number.strip():
        raise InspectionError(f"检查事项“{spec}”格式不正确，请写成 年度:编号，例如 2024:1")
    item_id = session.scalar(select(PlanItem.id).join(Plan).where(Plan.year == int(year),
                                                                   PlanItem.number == number.strip()))
    if item_id is None:
        raise InspectionError(f"检查事项：{int(year)}年度计划中没有编号为“{number.strip()}”的抽查事项")
    return item_id


def _items_for(session: Session, obj: InspectedObject) -> list[ItemChoice]:
    rows = session.execute(
        select(PlanItem.id, Plan.year, PlanItem.number, PlanItem.item).join(Plan)
        .join(plan_item_types, plan_item_types.c.item_id == PlanItem.id)
        .where(plan_item_types.c.type_id == obj.object_type_id).order_by(Plan.year.desc(), PlanItem.seq))
    return [ItemChoice(i, y, f"{y}年 {n} {name}") for i, y, n, name in rows]


def _item(session: Session, plan_item_id: int | None) -> PlanItem | None:
    if plan_item_id is None:
        return None
    item = session.get(PlanItem, plan_item_id)
    if item is None:
        raise InspectionError(f"检查事项：没有编号为 {plan_item_id} 的抽查事项")
    return item


def duty_choices(session: Session, object_type_id: int, keep: int | None = None) -> list[DutyChoice]:
    """The active duties covering ``object_type_id`` (and duty ``keep``, a stored check's, even if deactivated)."""
    return [DutyChoice(d.id, f"{d.label}（{d.unit_label}）" + ("" if d.active else "，已停用"), d.active)
            for d in list_duties(session, include_inactive=True)
            if d.type_id == object_type_id and (d.active or d.id == keep)]


def _object_clauses(session: Session, obj: InspectedObject) -> list[str]:
    """Clauses earlier hazards of objects of this type cited, else the common ones (never filled in)."""
    found = session.scalars(
        select(Hazard.clause).join(Inspection, Inspection.id == Hazard.inspection_id)
        .join(InspectedObject, InspectedObject.id == Inspection.object_id)
        .where(InspectedObject.object_type_id == obj.object_type_id, Hazard.clause != "").distinct().limit(30)).all()
    return list(dict.fromkeys(c.strip() for c in found if c.strip())) or list(COMMON_CLAUSES)


def check_form(session: Session, object_id: int, plan_item_id: int | None = None,
               inspection_id: int | None = None) -> CheckForm:
    """Everything the 登记检查 form needs; with ``inspection_id`` the stored check (and its item) is loaded."""
    existing = get_check_data(session, inspection_id) if inspection_id is not None else None
    if existing is not None:
        object_id = existing.object_id
        plan_item_id = existing.plan_item_id if plan_item_id is None else plan_item_id
    obj = session.get(InspectedObject, object_id)
    if obj is None:
        raise InspectionError(f"检查对象：名录库中没有编号为 {object_id} 的检查对象")
    item = _item(session, plan_item_id)
    checklist = [(e.id, e.seq, e.text) for e in session.scalars(
        select(ChecklistEntry).where(ChecklistEntry.plan_item_id == item.id).order_by(ChecklistEntry.seq))] \
        if item else []
    inspectors = [InspectorChoice._make(r) for r in session.execute(
        select(Inspector.id, Inspector.name, Inspector.badge_no, Inspector.unit)
        .where(Inspector.active.is_(True)).order_by(Inspector.unit, Inspector.badge_no))]
    notices = [] if inspection_id is None else list(session.scalars(
        select(RectificationNotice.doc_number).where(RectificationNotice.inspection_id == inspection_id,
                                                     RectificationNotice.voided.is_(False))))
    return CheckForm(
        object_id=obj.id, object_name=obj.name, credit_code=obj.credit_code or "", object_address=obj.address or "",
        type_name=obj.object_type.name, jurisdiction=obj.jurisdiction or "", items=_items_for(session, obj),
        plan_item_id=item.id if item else None, checklist=checklist,
        responsible_unit=(item.responsible_unit or "") if item else "", inspectors=inspectors,
        clauses=clause_choices(session, item) if item else _object_clauses(session, obj),
        inspection_id=inspection_id, existing=existing, notice_numbers=notices,
        duties=duty_choices(session, obj.object_type_id, existing.duty_id if existing else None))


def blank_check_form(session: Session) -> CheckForm:
    """The form before an object is chosen: the officers and the common clauses, nothing else."""
    inspectors = [InspectorChoice._make(r) for r in session.execute(
        select(Inspector.id, Inspector.name, Inspector.badge_no, Inspector.unit)
        .where(Inspector.active.is_(True)).order_by(Inspector.unit, Inspector.badge_no))]
    return CheckForm(object_id=0, object_name="", credit_code="", object_address="", type_name="", jurisdiction="",
                     items=[], plan_item_id=None, checklist=[], responsible_unit="", inspectors=inspectors,
                     clauses=list(COMMON_CLAUSES))


def default_reply_due(session: Session, received: date) -> date:
    """A complaint's reply deadline: COMPLAINT_REPLY_WORKDAYS working days after the day it was received."""
    return load_calendar(session).add_workdays(received, COMPLAINT_REPLY_WORKDAYS)


def get_check_data(session: Session, inspection_id: int) -> CheckData:
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise InspectionError(f"没有编号为 {inspection_id} 的检查记录")
    if insp.pick_id is not None:
        raise InspectionError("这是双随机抽查的检查记录，请在抽中对象上录入或修改")
    return CheckData(
        object_id=insp.object_id, source=insp.source, date_from=insp.date_from, date_to=insp.date_to,
        inspector_ids=[i.inspector_id for i in insp.inspectors], result_category=insp.result_category,
        source_ref=insp.source_ref, source_date=insp.source_date, reply_due=insp.reply_due,
        plan_item_id=insp.plan_item_id, duty_id=insp.duty_id,
        checks=[CheckInput(c.entry_id, c.verdict, c.note) for c in insp.checks],
        hazards=[HazardInput(h.text, h.clause) for h in insp.hazards], result_subkind=insp.result_subkind,
        method=insp.method, follow_up=insp.follow_up, finished=insp.finished, finished_date=insp.finished_date,
        executing_unit=insp.executing_unit, signed_refused=insp.signed_refused, note=insp.note)


def _validate_source(session: Session, data: CheckData) -> date | None:
    """Source, its reference and dates; returns the reply deadline to store."""
    source = _text(data.source)
    if source in ("", UNSET):
        raise InspectionError("检查来源未填：请选择这次检查的来源（例如日常巡查、举报投诉）")
    if source == DRAWN_SOURCE:
        raise InspectionError("检查来源：“双随机抽查”的检查只能在抽中对象上录入（检查记录页选择抽中对象），"
                              "不能在此登记")
    if source not in OTHER_SOURCES:
        raise InspectionError(f"检查来源：“{source}”不是规定的来源，应为{'、'.join(OTHER_SOURCES)}之一")
    ref = _text(data.source_ref)
    if source in REF_REQUIRED and not ref:
        raise InspectionError(f"检查来源为“{source}”时，请填写{REF_REQUIRED[source]}")
    if len(ref) > _REF_MAX:
        raise InspectionError(f"{REF_LABELS.get(source, '来源编号')}过长（不超过{_REF_MAX}字）")
    received = data.source_date
    if source == COMPLAINT_SOURCE and received is None:
        raise InspectionError("检查来源为“举报投诉”时，请填写受理日期（收到举报投诉的日期）")
    if received is not None:
        if not isinstance(received, date):
            raise InspectionError("受理日期无效：请按 YYYY-MM-DD 填写")
        if received > date.today():
            raise InspectionError(f"受理日期（{format_cn_date(received)}）晚于今天")
        if isinstance(data.date_from, date) and received > data.date_from:
            raise InspectionError(f"受理日期（{format_cn_date(received)}）晚于检查开始日期"
                                  f"（{format_cn_date(data.date_from)}）")
    if source != COMPLAINT_SOURCE:
        if data.reply_due is not None:
            raise InspectionError("答复期限只适用于举报投诉")
        return None
    due = data.reply_due or default_reply_due(session, received)
    if due < received:
        raise InspectionError(f"答复期限（{format_cn_date(due)}）早于受理日期（{format_cn_date(received)}）")
    return due


def _validate_duty(session: Session, data: CheckData, obj: InspectedObject, stored: int | None) -> None:
    """The routine duty a check is marked for: it exists, is active (unless an edit keeps the stored one), covers
    the object's type, and the source is one a round is made with."""
    if data.duty_id is None:
        return
    try:
        duty = get_duty(session, data.duty_id)
    except UserError:
        raise InspectionError(f"巡查任务：没有编号为 {data.duty_id} 的日常巡查任务") from None
    if not duty.active and data.duty_id != stored:
        raise InspectionError(f"巡查任务：“{duty.label}”（编号 {duty.id}）已停用，不能再登记属于它的检查")
    if duty.type_id != obj.object_type_id:
        raise InspectionError(f"巡查任务：“{duty.label}”（编号 {duty.id}）巡查的是{duty.type_name}，"
                              f"“{obj.name}”是{obj.object_type.name}，不属于这项任务")
    source = _text(data.source)
    if source not in DUTY_SOURCES:
        raise InspectionError(f"巡查任务：检查来源为“{source}”的检查不能计入日常巡查任务；"
                              f"属于巡查任务的检查，来源应为{'、'.join(DUTY_SOURCES)}之一")


def _validate(session: Session, data: CheckData,
              stored_duty: int | None = None) -> tuple[InspectedObject, PlanItem | None, date | None]:
    obj = session.get(InspectedObject, data.object_id)
    if obj is None:
        raise InspectionError(f"检查对象：名录库中没有编号为 {data.object_id} 的检查对象")
    reply_due = _validate_source(session, data)
    _validate_duty(session, data, obj, stored_duty)
    item = _item(session, data.plan_item_id)
    if item is not None and item.object_types and obj.object_type_id not in {t.id for t in item.object_types}:
        raise InspectionError(f"检查事项：“{item.item}”适用于{'、'.join(t.name for t in item.object_types)}，"
                              f"不适用于“{obj.name}”（{obj.object_type.name}）")
    validate_dates(data)
    ids = list(dict.fromkeys(data.inspector_ids))
    validate_people(session, data, ids)
    validate_outcome(session, data, item)
    return obj, item, reply_due


def _audit_detail(obj: InspectedObject, item: PlanItem | None, insp: Inspection, data: CheckData) -> dict:
    return {"检查对象": obj.name, "检查来源": insp.source, "来源编号": insp.source_ref,
            "受理日期": insp.source_date.isoformat() if insp.source_date else None,
            "答复期限": insp.reply_due.isoformat() if insp.reply_due else None,
            "检查事项": item.item if item else None, "巡查任务": insp.duty_id,
            "检查日期": f"{data.date_from}—{data.date_to}",
            "检查结果": data.result_category, "隐患数": len(data.hazards),
            "检查人员": list(dict.fromkeys(data.inspector_ids))}


def _set_source(insp: Inspection, data: CheckData, reply_due: date | None) -> None:
    insp.source = _text(data.source)
    insp.source_ref = _text(data.source_ref)
    insp.source_date = data.source_date
    insp.reply_due = reply_due
    insp.plan_item_id = data.plan_item_id
    insp.duty_id = data.duty_id


def record_check(session: Session, data: CheckData, actor: str) -> int:
    """Record a check that was not drawn (one transaction, audited); returns the inspection id."""
    obj, item, reply_due = _validate(session, data)
    if not obj.active:
        raise InspectionError(f"检查对象：“{obj.name}”已从名录库停用，不能登记检查")
    insp = Inspection(pick_id=None, object_id=obj.id, date_from=data.date_from, date_to=data.date_to,
                      created_by=actor or "")
    _set_source(insp, data, reply_due)
    session.add(insp)
    session.flush()
    ids = list(dict.fromkeys(data.inspector_ids))
    fill_record(session, insp, data, ids)
    session.flush()
    audit.append(session, user=actor, action="登记检查", entity="inspection", entity_id=insp.id,
                 detail=_audit_detail(obj, item, insp, data))
    return insp.id


def update_check(session: Session, inspection_id: int, data: CheckData, actor: str) -> int:
    """Correct a check that was not drawn; hazards on a notice already issued change only after voiding it."""
    stored = get_check_data(session, inspection_id)
    if data.object_id != stored.object_id:
        raise InspectionError("不能把检查记录改到另一个检查对象上；请为该对象另行登记检查")
    obj, item, reply_due = _validate(session, data, stored.duty_id)
    insp = session.get(Inspection, inspection_id)
    notices = list(session.scalars(select(RectificationNotice.doc_number).where(
        RectificationNotice.inspection_id == inspection_id, RectificationNotice.voided.is_(False))))
    new_hazards = [(_text(h.text), _text(h.clause)) for h in data.hazards]
    if notices and [(h.text, h.clause) for h in insp.hazards] != new_hazards:
        raise InspectionError(f"该检查已制作整改通知书（{notices[0]}），隐患内容不能直接修改；"
                              "请先作废通知书，或使用“重新制作”")
    _set_source(insp, data, reply_due)
    fill_record(session, insp, data, list(dict.fromkeys(data.inspector_ids)))
    session.flush()
    audit.append(session, user=actor, action="修改检查记录", entity="inspection", entity_id=insp.id,
                 detail=_audit_detail(obj, item, insp, data))
    return insp.id


def save_check(session: Session, data: CheckData, actor: str, inspection_id: int | None = None) -> int:
    """Record a new check, or correct ``inspection_id``."""
    if inspection_id is None:
        return record_check(session, data, actor)
    return update_check(session, inspection_id, data, actor)
