"""Recording the inspection of a drawn object: who went, each checklist verdict, the result and the hazards found."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models import audit
from models.draw import DrawPick, DrawRecord
from models.draw_history import DrawGraph, effective_picks
from models.errors import UserError
from models.event_draw import pick_event_details
from models.inspection import (
    CHECK_VERDICTS, RESULT_CATEGORIES, ChecklistResult, Hazard, Inspection, InspectionInspector,
    RectificationNotice,
)
from models.plan import ChecklistEntry, Plan, PlanItem
from models.roster import Inspector
from models.workdays import format_cn_date

__all__ = [
    "InspectionError", "CheckInput", "HazardInput", "InspectionData", "InspectionForm", "METHODS",
    "PROBLEM_CATEGORIES", "SUBKINDS", "inspection_form", "record_inspection", "update_inspection",
    "save_inspection", "get_inspection_data", "list_picks", "list_inspections", "find_pick",
    "PickRow", "InspectionRow", "InspectorChoice", "UNSET", "UnsetChoice", "COMMON_CLAUSES",
    "clause_choices", "validate_dates", "validate_people", "validate_outcome", "fill_record",
]

METHODS = ("实地检查", "书面检查", "网络监测", "其他")
# Categories that mean a problem was found, so hazards belong with them.
PROBLEM_CATEGORIES = ("发现问题已责令改正", "发现问题待后续处理")
SUBKINDS = ("违反公安部门相关规定", "其他")
MIN_INSPECTORS = 2
# What an unchosen 检查结果 or checklist verdict reads on the form: nothing is pre-decided for the clerk,
# so a form saved in a hurry is refused instead of recording a compliant inspection nobody entered.
UNSET = "未填"


class InspectionError(UserError, ValueError):
    """Input that cannot be recorded as an inspection (message in Chinese, naming the field)."""


class UnsetChoice(InspectionError):
    """The overall result or a checklist verdict was left 未填; ``entry_id`` names the entry (None: the result)."""

    def __init__(self, message: str, entry_id: int | None = None):
        super().__init__(message)
        self.entry_id = entry_id


class PickRow(NamedTuple):
    """抽中对象 — one effective drawn object of a year and where its inspection stands."""

    pick_id: int
    item_number: str
    object_name: str
    credit_code: str
    draw_id: int
    inspectors: str          # the drawn inspectors' names, joined with 、
    inspection_id: int | None
    status: str              # the result category, or 未录入
    hazards: int
    event: str = ""          # a per-event pick's event ("名称，日期，地点"), shown beside the organiser


class InspectionRow(NamedTuple):
    """检查记录 — one recorded inspection in the list."""

    inspection_id: int
    date_to: date
    object_name: str
    item_label: str
    result_category: str
    hazards: int
    notice_numbers: str      # the valid notices' 文号, joined with 、
    finished: bool
    pick_id: int | None      # None: a check that was not drawn
    source: str = "双随机抽查"  # 检查来源


class InspectorChoice(NamedTuple):
    """检查人员 — an active inspector the form offers."""

    id: int
    name: str
    badge_no: str
    unit: str


@dataclass
class CheckInput:
    """The verdict on one checklist entry of the plan item."""

    entry_id: int
    verdict: str
    note: str = ""


@dataclass
class HazardInput:
    """治安隐患 — what is wrong and the clause it breaches."""

    text: str
    clause: str = ""


@dataclass
class InspectionData:
    """What the clerk enters on the 检查记录 form."""

    pick_id: int
    date_from: date
    date_to: date
    inspector_ids: list[int]
    result_category: str
    checks: list[CheckInput] = field(default_factory=list)
    hazards: list[HazardInput] = field(default_factory=list)
    change_reason: str = ""
    result_subkind: str = ""
    method: str = "实地检查"
    follow_up: str = ""
    finished: bool = False
    finished_date: date | None = None
    executing_unit: str = ""
    signed_refused: bool = False
    note: str = ""


@dataclass
class InspectionForm:
    """What the form shows for one drawn object: the object, the item, the drawn inspectors and the checklist."""

    pick_id: int
    draw_id: int
    year: int
    item_id: int
    item_label: str
    object_id: int
    object_name: str
    credit_code: str
    object_address: str
    responsible_unit: str
    drawn: list[tuple[int, str, str]]            # (inspector id, name, unit)
    checklist: list[tuple[int, int, str]]        # (entry id, seq, text)
    inspectors: list[InspectorChoice]            # every active inspector
    clauses: list[str] = field(default_factory=list)  # offered for a hazard's clause; never filled in for the clerk
    inspection_id: int | None = None
    existing: InspectionData | None = None
    notice_numbers: list[str] = field(default_factory=list)  # valid notices already issued
    event: str = ""  # a per-event pick: the event inspected at the organiser ("名称，日期，地点")


# Offered only when the item names no law and no hazard of it has cited one yet.
COMMON_CLAUSES = ("《企业事业单位内部治安保卫条例》第十三条", "《中华人民共和国消防法》第二十八条",
                  "《旅馆业治安管理办法》第六条")
_CLAUSE = re.compile(r"《[^《》]{2,60}》(?:第[一二三四五六七八九十百零〇0-9]+条(?:第[一二三四五六七八九十0-9]+款)?)?")


def clause_choices(session: Session, item: PlanItem) -> list[str]:
    """The clauses a hazard of ``item`` may cite: the laws of its 制定依据, then those its earlier hazards cited."""
    found = _CLAUSE.findall(item.basis or "")
    found += session.scalars(
        select(Hazard.clause).join(Inspection, Inspection.id == Hazard.inspection_id)
        .join(DrawPick, DrawPick.id == Inspection.pick_id).join(DrawRecord, DrawRecord.id == DrawPick.draw_id)
        .where(DrawRecord.plan_item_id == item.id, Hazard.clause != "").distinct()).all()
    choices = list(dict.fromkeys(c.strip() for c in found if c.strip()))
    return choices or list(COMMON_CLAUSES)


def _pick_context(session: Session, pick_id: int) -> tuple[DrawPick, DrawRecord, PlanItem, int]:
    pick = session.get(DrawPick, pick_id)
    if pick is None:
        raise InspectionError(f"没有编号为 {pick_id} 的抽取结果")
    record = session.get(DrawRecord, pick.draw_id)
    item = session.get(PlanItem, record.plan_item_id)
    year = session.scalar(select(Plan.year).where(Plan.id == item.plan_id))
    return pick, record, item, year


def _check_effective(session: Session, pick: DrawPick, year: int) -> None:
    graph = DrawGraph.load(session)
    if not graph.effective(pick.draw_id) or pick.object_id in graph.substituted.get(pick.draw_id, {}):
        raise InspectionError(f"抽取记录 {pick.draw_id} 中的“{pick.inspected_object.name}”已被重抽或替补替代，"
                              "不能再为其录入检查结果")


def _valid_notices(session: Session, inspection_id: int) -> list[RectificationNotice]:
    return list(session.scalars(select(RectificationNotice).where(
        RectificationNotice.inspection_id == inspection_id, RectificationNotice.voided.is_(False))
        .order_by(RectificationNotice.id)))


def get_inspection_data(session: Session, inspection_id: int) -> InspectionData:
    """The stored inspection as form data (for editing)."""
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise InspectionError(f"没有编号为 {inspection_id} 的检查记录")
    reasons = [i.change_reason for i in insp.inspectors if i.change_reason]
    return InspectionData(
        pick_id=insp.pick_id, date_from=insp.date_from, date_to=insp.date_to,
        inspector_ids=[i.inspector_id for i in insp.inspectors], result_category=insp.result_category,
        checks=[CheckInput(c.entry_id, c.verdict, c.note) for c in insp.checks],
        hazards=[HazardInput(h.text, h.clause) for h in insp.hazards],
        change_reason=reasons[0] if reasons else "", result_subkind=insp.result_subkind, method=insp.method,
        follow_up=insp.follow_up, finished=insp.finished, finished_date=insp.finished_date,
        executing_unit=insp.executing_unit, signed_refused=insp.signed_refused, note=insp.note)


def inspection_form(session: Session, pick_id: int) -> InspectionForm:
    """Everything the 检查记录 form needs for one drawn object, with the stored inspection if any."""
    pick, record, item, year = _pick_context(session, pick_id)
    obj = pick.inspected_object
    drawn = [(a.inspector.id, a.inspector.name, a.inspector.unit) for a in pick.assignments]
    checklist = [(e.id, e.seq, e.text) for e in session.scalars(
        select(ChecklistEntry).where(ChecklistEntry.plan_item_id == item.id).order_by(ChecklistEntry.seq))]
    inspectors = [InspectorChoice._make(r) for r in session.execute(
        select(Inspector.id, Inspector.name, Inspector.badge_no, Inspector.unit)
        .where(Inspector.active.is_(True)).order_by(Inspector.unit, Inspector.badge_no))]
    form = InspectionForm(
        pick_id=pick.id, draw_id=record.id, year=year, item_id=item.id, item_label=f"{item.number} {item.item}",
        object_id=obj.id, object_name=obj.name, credit_code=obj.credit_code or "", object_address=obj.address or "",
        responsible_unit=item.responsible_unit or "", drawn=drawn, checklist=checklist, inspectors=inspectors,
        clauses=clause_choices(session, item), event=pick_event_details(session, [pick.id]).get(pick.id, ""))
    insp_id = session.scalar(select(Inspection.id).where(Inspection.pick_id == pick.id))
    if insp_id is not None:
        form.inspection_id = insp_id
        form.existing = get_inspection_data(session, insp_id)
        form.notice_numbers = [n.doc_number for n in _valid_notices(session, insp_id)]
    return form


def _text(value: str | None) -> str:
    return (value or "").strip()


def _unset(value: str | None) -> bool:
    return _text(value) in ("", UNSET)


def _validate(session: Session, data: InspectionData, item: PlanItem, drawn_ids: list[int],
              drawn_on: date | None = None) -> None:
    validate_dates(data, drawn_on)
    validate_people(session, data, drawn_ids)
    validate_outcome(session, data, item)


# The parts of the check, shared with models.check_service (a check that was not drawn: no drawn officers, an
# optional item). ``data`` is an InspectionData or anything with the same fields.
def validate_dates(data, drawn_on: date | None = None) -> None:
    """检查日期: both given, in order, not in the future, and (for a drawn object) not before the draw."""
    if not isinstance(data.date_from, date) or not isinstance(data.date_to, date):
        raise InspectionError("检查日期无效：请填写检查开始日期和结束日期")
    if data.date_to < data.date_from:
        raise InspectionError(f"检查结束日期（{format_cn_date(data.date_to)}）早于开始日期"
                              f"（{format_cn_date(data.date_from)}）")
    if data.date_to > date.today():
        raise InspectionError(f"检查结束日期（{format_cn_date(data.date_to)}）晚于今天，不能录入尚未进行的检查")
    if drawn_on is not None and data.date_from < drawn_on:
        raise InspectionError(f"检查开始日期（{format_cn_date(data.date_from)}）早于抽取日期"
                              f"（{format_cn_date(drawn_on)}）：只能检查已经抽中的对象")


def validate_people(session: Session, data, drawn_ids: list[int]) -> None:
    """检查人员: at least two, on the roster, and a reason when they differ from ``drawn_ids``."""
    ids = list(dict.fromkeys(data.inspector_ids))
    if len(ids) < MIN_INSPECTORS:
        raise InspectionError("检查人员：检查民警不得少于两人，请至少选择两名实际参加检查的人员")
    found = dict(session.execute(select(Inspector.id, Inspector.name).where(Inspector.id.in_(ids))).all())
    missing = [i for i in ids if i not in found]
    if missing:
        raise InspectionError(f"检查人员：名录库中没有编号为 {missing[0]} 的检查人员")
    if set(ids) != set(drawn_ids) and not _text(data.change_reason):
        raise InspectionError("检查人员：实际参加检查的人员与抽取结果不一致，请填写更换人员的原因")


def validate_outcome(session: Session, data, item: PlanItem | None) -> None:
    """检查结果, each verdict of ``item``'s checklist (none without an item), hazards and 完结."""
    if _unset(data.result_category):
        raise UnsetChoice("检查结果未填：请选择本次检查的结果（例如“未发现问题”或“发现问题待后续处理”）。"
                          "软件不替您预先选择，以免记录一次没有人确认过的检查")
    entries = dict(session.execute(select(ChecklistEntry.id, ChecklistEntry.seq)
                                   .where(ChecklistEntry.plan_item_id == item.id)).all()) if item else {}
    seen: set[int] = set()
    for check in data.checks:
        if check.entry_id not in entries:
            where = f"抽查事项“{item.item}”" if item else "本次检查（未选择检查事项，没有分项检查内容）"
            raise InspectionError(f"检查内容：编号为 {check.entry_id} 的检查内容不属于{where}")
        if _unset(check.verdict):
            raise UnsetChoice(f"检查内容第{entries[check.entry_id]}项未填：请逐项选择检查结论（符合、不符合或不适用）",
                              entry_id=check.entry_id)
        if check.verdict not in CHECK_VERDICTS:
            raise InspectionError(f"检查内容第{entries[check.entry_id]}项：检查结论应为"
                                  f"{'、'.join(CHECK_VERDICTS)}之一，收到“{check.verdict}”")
        seen.add(check.entry_id)
    unanswered = sorted(entries[e] for e in entries if e not in seen)
    if unanswered:
        missing = next(e for e in entries if entries[e] == unanswered[0])
        raise UnsetChoice(f"检查内容第{unanswered[0]}项未填：请逐项选择检查结论（符合、不符合或不适用）",
                          entry_id=missing)

    if data.result_category not in RESULT_CATEGORIES:
        raise InspectionError(f"检查结果：“{data.result_category}”不是规定的结果类别，"
                              f"应为{'、'.join(RESULT_CATEGORIES)}之一")
    if not _text(data.method):
        raise InspectionError("核查方式不能为空（例如：实地检查）")
    for n, hazard in enumerate(data.hazards, start=1):
        if not _text(hazard.text):
            raise InspectionError(f"治安隐患第{n}项：隐患内容不能为空")
    if data.hazards and data.result_category not in PROBLEM_CATEGORIES:
        raise InspectionError(f"检查结果为“{data.result_category}”，却录入了{len(data.hazards)}项治安隐患："
                              "发现隐患时检查结果应为“发现问题已责令改正”或“发现问题待后续处理”")
    if data.result_category in PROBLEM_CATEGORIES and not data.hazards and not _text(data.result_subkind):
        raise InspectionError(f"检查结果为“{data.result_category}”时，请录入发现的治安隐患或填写问题类别")
    if data.finished:
        if data.finished_date is None:
            raise InspectionError("已完结的检查请填写完结日期")
        if data.finished_date < data.date_from:
            raise InspectionError(f"完结日期（{format_cn_date(data.finished_date)}）早于检查日期")


def _fill(session: Session, insp: Inspection, data: InspectionData, drawn_ids: list[int]) -> dict:
    """Copy the form onto the row; returns the change of inspectors for the audit entry.

    models.check_service uses it too (as fill_record) with ``drawn_ids`` the chosen officers: no change to explain."""
    insp.date_from, insp.date_to = data.date_from, data.date_to
    insp.result_category = data.result_category
    insp.result_subkind = _text(data.result_subkind)
    insp.method = _text(data.method)
    insp.follow_up = _text(data.follow_up)
    insp.finished = bool(data.finished)
    insp.finished_date = data.finished_date if data.finished else None
    insp.executing_unit = _text(data.executing_unit)
    insp.signed_refused = bool(data.signed_refused)
    insp.note = _text(data.note)

    ids = list(dict.fromkeys(data.inspector_ids))
    changed = set(ids) != set(drawn_ids)
    reason = _text(data.change_reason) if changed else ""
    insp.inspectors.clear()
    insp.checks.clear()
    insp.hazards.clear()
    session.flush()
    for iid in ids:
        # The reason sits on each officer who was not drawn, so the record shows who stood in and why.
        insp.inspectors.append(InspectionInspector(
            inspector_id=iid, change_reason=reason if changed and iid not in drawn_ids else ""))
    for check in data.checks:
        insp.checks.append(ChecklistResult(entry_id=check.entry_id, verdict=check.verdict, note=_text(check.note)))
    for n, hazard in enumerate(data.hazards, start=1):
        insp.hazards.append(Hazard(seq=n, text=_text(hazard.text), clause=_text(hazard.clause)))
    return {"added": [i for i in ids if i not in drawn_ids], "removed": [i for i in drawn_ids if i not in ids],
            "reason": reason} if changed else {}


def _audit_detail(insp: Inspection, data: InspectionData, change: dict) -> dict:
    detail = {"检查对象": insp.inspected_object.name, "检查日期": f"{data.date_from}—{data.date_to}",
              "检查结果": data.result_category, "隐患数": len(data.hazards),
              "检查人员": list(dict.fromkeys(data.inspector_ids))}
    if change:
        detail["更换检查人员"] = {"新增": change["added"], "替下": change["removed"], "原因": change["reason"]}
    return detail


fill_record = _fill


def _check_joint(session: Session, pick_id: int, inspection: Inspection | None, joint_task_id: int | None) -> None:
    """A pick grouped into a waiting 综合查一次 task, or an inspection of a joint visit, is recorded through the
    visit (models.joint_visit), so one item's result cannot drift from the team and date of the others."""
    from models.joint import JointTask, JointTaskPick

    task_id = inspection.joint_task_id if inspection is not None else session.scalar(
        select(JointTask.id).join(JointTaskPick, JointTaskPick.task_id == JointTask.id)
        .where(JointTaskPick.pick_id == pick_id, JointTask.status != "已撤销"))
    if task_id is not None and task_id != joint_task_id:
        raise InspectionError(f"该对象本次抽取已编入联合检查任务 #{task_id}（综合查一次）："
                              "请在“检查与整改 → 综合查一次”中录入或修改这次联合检查的结果（命令行 joint-visit）")


def record_inspection(session: Session, data: InspectionData, actor: str, *, joint_task_id: int | None = None) -> int:
    """Save a new inspection for an effective drawn object (one transaction, audited); returns its id.

    ``joint_task_id``: the 综合查一次 task the visit is recorded for (models.joint_visit); a grouped pick needs it."""
    pick, record, item, year = _pick_context(session, data.pick_id)
    _check_effective(session, pick, year)
    _check_joint(session, pick.id, None, joint_task_id)
    if session.scalar(select(Inspection.id).where(Inspection.pick_id == pick.id)) is not None:
        raise InspectionError(f"“{pick.inspected_object.name}”（抽取记录 {record.id}）已录入检查结果，请打开原记录修改")
    drawn_ids = [a.inspector_id for a in pick.assignments]
    _validate(session, data, item, drawn_ids, record.created_at.date())
    insp = Inspection(pick_id=pick.id, object_id=pick.object_id, date_from=data.date_from, date_to=data.date_to,
                      created_by=actor or "")
    session.add(insp)
    session.flush()
    change = _fill(session, insp, data, drawn_ids)
    session.flush()
    audit.append(session, user=actor, action="录入检查结果", entity="inspection", entity_id=insp.id,
                 detail=_audit_detail(insp, data, change))
    return insp.id


def update_inspection(session: Session, inspection_id: int, data: InspectionData, actor: str, *,
                      joint_task_id: int | None = None) -> int:
    """Correct a stored inspection; hazards on a notice already issued can only change after voiding it."""
    insp = session.get(Inspection, inspection_id)
    if insp is None:
        raise InspectionError(f"没有编号为 {inspection_id} 的检查记录")
    if insp.joint_task_id is not None or joint_task_id is None:
        _check_joint(session, insp.pick_id, insp if insp.joint_task_id is not None else None, joint_task_id)
    if data.pick_id != insp.pick_id:
        raise InspectionError("不能把检查记录改到另一个抽取对象上")
    pick, record, item, _year = _pick_context(session, insp.pick_id)
    drawn_ids = [a.inspector_id for a in pick.assignments]
    _validate(session, data, item, drawn_ids, record.created_at.date())
    notices = _valid_notices(session, insp.id)
    old_hazards = [(h.text, h.clause) for h in insp.hazards]
    new_hazards = [(_text(h.text), _text(h.clause)) for h in data.hazards]
    if notices and old_hazards != new_hazards:
        raise InspectionError(f"该检查已制作整改通知书（{notices[0].doc_number}），隐患内容不能直接修改；"
                              "请先作废通知书，或使用“重新制作”")
    change = _fill(session, insp, data, drawn_ids)
    session.flush()
    audit.append(session, user=actor, action="修改检查结果", entity="inspection", entity_id=insp.id,
                 detail=_audit_detail(insp, data, change))
    return insp.id


def save_inspection(session: Session, data: InspectionData, actor: str, *, joint_task_id: int | None = None) -> int:
    """Record or update the inspection of ``data.pick_id``, whichever applies."""
    existing = session.scalar(select(Inspection.id).where(Inspection.pick_id == data.pick_id))
    if existing is None:
        return record_inspection(session, data, actor, joint_task_id=joint_task_id)
    return update_inspection(session, existing, data, actor, joint_task_id=joint_task_id)


def list_picks(session: Session, year: int) -> list[PickRow]:
    """The effective drawn objects of ``year`` with their inspection state."""
    picks = effective_picks(session, year)
    if not picks:
        return []
    rows_by_pick = {r[0]: r[1:] for r in session.execute(
        select(Inspection.pick_id, Inspection.id, Inspection.result_category, func.count(Hazard.id))
        .outerjoin(Hazard, Hazard.inspection_id == Inspection.id)
        .where(Inspection.pick_id.in_([p.pick_id for p in picks]))
        .group_by(Inspection.id))}
    events = pick_event_details(session, [p.pick_id for p in picks])
    rows = []
    for p in picks:
        insp_id, category, hazards = rows_by_pick.get(p.pick_id, (None, "", 0))
        status = category if insp_id else "未录入"
        rows.append(PickRow(p.pick_id, p.item_number, p.object_name, p.credit_code, p.draw_id,
                            "、".join(name for _i, name, _u in p.inspectors), insp_id, status, hazards,
                            events.get(p.pick_id, "")))
    return rows


def list_inspections(session: Session, year: int | None = None) -> list[InspectionRow]:
    """Recorded inspections, newest first: drawn ones (of the plan ``year``) and those not drawn (checked in
    ``year``), the latter labelled with their plan item if any, else their source."""
    item_id = func.coalesce(DrawRecord.plan_item_id, Inspection.plan_item_id)
    stmt = (select(Inspection.id, Inspection.date_to, Inspection.result_category, Inspection.finished,
                   Inspection.pick_id, Inspection.object_id, PlanItem.number, PlanItem.item, Inspection.source)
            .outerjoin(DrawPick, DrawPick.id == Inspection.pick_id)
            .outerjoin(DrawRecord, DrawRecord.id == DrawPick.draw_id)
            .outerjoin(PlanItem, PlanItem.id == item_id)
            .outerjoin(Plan, Plan.id == PlanItem.plan_id)
            .order_by(Inspection.date_to.desc(), Inspection.id.desc()))
    if year is not None:
        stmt = stmt.where(or_(and_(Inspection.pick_id.is_not(None), Plan.year == year),
                              and_(Inspection.pick_id.is_(None),
                                   Inspection.date_to.between(date(year, 1, 1), date(year, 12, 31)))))
    rows = session.execute(stmt).all()
    ids = [r[0] for r in rows]
    hazards: dict[int, int] = {}
    numbers: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    if ids:
        hazards = dict(session.execute(select(Hazard.inspection_id, func.count(Hazard.id))
                                       .where(Hazard.inspection_id.in_(ids)).group_by(Hazard.inspection_id)).all())
        for iid, number in session.execute(
                select(RectificationNotice.inspection_id, RectificationNotice.doc_number)
                .where(RectificationNotice.inspection_id.in_(ids), RectificationNotice.voided.is_(False))
                .order_by(RectificationNotice.id)):
            numbers.setdefault(iid, []).append(number)
        from models.roster import InspectedObject
        names = dict(session.execute(select(InspectedObject.id, InspectedObject.name)
                                     .where(InspectedObject.id.in_({r[5] for r in rows}))).all())
    return [InspectionRow(iid, d, names.get(oid, ""), f"{num} {item}" if num else source, cat, hazards.get(iid, 0),
                          "、".join(numbers.get(iid, [])), fin, pick_id, source)
            for iid, d, cat, fin, pick_id, oid, num, item, source in rows]


def find_pick(session: Session, object_code: str, draw_id: int) -> int:
    """The pick id of the object with 统一社会信用代码 (or name) ``object_code`` in draw record ``draw_id``."""
    from models.roster import InspectedObject

    code = (object_code or "").strip()
    record = session.get(DrawRecord, draw_id)
    if record is None:
        raise InspectionError(f"没有编号为 {draw_id} 的抽取记录")
    pick_id = session.scalar(
        select(DrawPick.id).join(InspectedObject, InspectedObject.id == DrawPick.object_id)
        .where(DrawPick.draw_id == draw_id,
               (InspectedObject.credit_code == code.upper()) | (InspectedObject.name == code)))
    if pick_id is None:
        raise InspectionError(f"抽取记录 {draw_id} 中没有统一社会信用代码或名称为“{code}”的检查对象")
    return pick_id
