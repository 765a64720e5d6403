"""When the unit does not rectify: the next steps after a 复查 that found the hazards still there.

Seed 003 names them: 再次责令限期整改, 立案查处, 行政处罚, 通报/抄告 the department that also
supervises the unit. A notice whose latest 复查 is 未整改 stays open ("复查未整改，待处理") until the
clerk records a step; each step stays on the to-do list until it is done:

- 再次责令限期整改: done when recorded — it issues a NEW 责令限期整改通知书 (next gapless 文号, its own
  deadline; usecases.enforcement), whose ordinary chain (送达, 复查) then runs on the to-do list.
- 立案查处: open until the case number (``reference``) is entered.
- 行政处罚: open until the 处罚决定书文号 (``reference``) is entered.
- 通报抄告: open until the 抄告函 is issued; the letter's own 文号 (a gapless series per year,
  the ``letter_number_pattern`` setting) is then kept in ``reference`` and its date in ``done_date``.

Every rule lives here, so the screen and the command line refuse the same things; every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session, object_session

from models import audit
from models import settings as app_settings
from models.deadlines import Status, TodoState
from models.inspection import REINSPECTION_RESULTS, RectificationNotice, Reinspection
from models.notice_common import NoticeError, get_notice
from models.supervision import ENFORCEMENT_KINDS, EnforcementStep
from models.text import REASON_MAX, limited
from models.workdays import format_cn_date

__all__ = [
    "REORDER", "CASE", "PENALTY", "INFORM", "UNRECTIFIED", "PENDING_LABEL", "EnforcementError", "StepRow",
    "awaits_next_step", "latest_review", "steps_of", "step_rows", "begin_step", "complete_step", "begin_letter",
    "finish_letter", "next_letter_number", "find_notice", "unrectified_state", "missing_text", "DEFAULT_REQUEST",
    "COMMON_DEPARTMENTS",
]

REORDER, CASE, PENALTY, INFORM = ENFORCEMENT_KINDS
UNRECTIFIED = REINSPECTION_RESULTS[1]
PENDING_LABEL = "复查未整改，待处理"
# What each open step is waiting for, as the to-do list says it.
_MISSING = {CASE: "待补录案件编号", PENALTY: "待补录处罚决定书文号", INFORM: "待制作抄告函"}
_REFERENCE_NAME = {CASE: "案件编号", PENALTY: "处罚决定书文号", INFORM: "抄告函文号"}
# The departments a 派出所 most often informs (seed 003: 建设、城管、质监 …); the clerk may type any other.
COMMON_DEPARTMENTS = ("市场监督管理局", "应急管理局", "消防救援大队", "住房和城乡建设局", "城市管理综合行政执法局",
                      "交通运输局", "商务局", "文化广电和旅游局")
# What the 抄告函 asks of the department when the clerk writes nothing else.
DEFAULT_REQUEST = "请贵单位依照职责对该单位督促整改、依法处理，并将处理情况函告我局。"
REFERENCE_MAX = 100


class EnforcementError(NoticeError):
    """A next step that cannot be recorded or completed (message in Chinese)."""


def latest_review(notice: RectificationNotice) -> Reinspection | None:
    return notice.reinspections[-1] if notice.reinspections else None


def awaits_next_step(notice: RectificationNotice) -> bool:
    """True when the notice is valid and its latest 复查 found the hazards still there."""
    review = latest_review(notice)
    return not notice.voided and review is not None and review.result == UNRECTIFIED


def steps_of(session: Session, notice_id: int) -> list[EnforcementStep]:
    return list(session.scalars(select(EnforcementStep).where(EnforcementStep.notice_id == notice_id)
                                .order_by(EnforcementStep.id)))


def missing_text(step: EnforcementStep) -> str:
    """What an open step still lacks ("待补录案件编号" …); "" once done."""
    return "" if step.done_date is not None else _MISSING.get(step.kind, "待办理")


@dataclass(frozen=True)
class StepRow:
    """One next step as the screens and the command line list it."""

    id: int
    notice_id: int
    notice_number: str
    unit_name: str
    kind: str
    department: str
    reference: str
    deadline: date | None
    new_notice_id: int | None
    new_notice_number: str
    done_date: date | None
    file_path: str
    note: str
    created_by: str

    @property
    def open(self) -> bool:
        return self.done_date is None

    @property
    def state(self) -> str:
        """The step in words: what it is waiting for, or what closed it."""
        if self.kind == REORDER:
            return f"已再次责令限期整改：新通知书 {self.new_notice_number}，整改期限{format_cn_date(self.deadline)}" \
                if self.deadline else f"已再次责令限期整改：新通知书 {self.new_notice_number}"
        if self.open:
            return _MISSING.get(self.kind, "待办理")
        what = _REFERENCE_NAME.get(self.kind, "编号")
        return f"已办结：{what} {self.reference}（{format_cn_date(self.done_date)}）"

    @property
    def title(self) -> str:
        return f"{self.kind}（{self.department}）" if self.department else self.kind

    def as_dict(self) -> dict:
        return {"id": self.id, "notice_id": self.notice_id, "notice": self.notice_number, "unit": self.unit_name,
                "kind": self.kind, "department": self.department, "reference": self.reference,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "new_notice": self.new_notice_number or None,
                "done_date": self.done_date.isoformat() if self.done_date else None, "open": self.open,
                "state": self.state, "file": self.file_path, "note": self.note}


def _row(session: Session, step: EnforcementStep) -> StepRow:
    notice = session.get(RectificationNotice, step.notice_id)
    new = session.get(RectificationNotice, step.new_notice_id) if step.new_notice_id else None
    return StepRow(step.id, step.notice_id, notice.doc_number, notice.inspection.inspected_object.name, step.kind,
                   step.department, step.reference, step.deadline, step.new_notice_id,
                   new.doc_number if new else "", step.done_date, step.file_path, step.note, step.created_by)


def step_rows(session: Session, notice_id: int | None = None, *, open_only: bool = False) -> list[StepRow]:
    """The next steps of one notice (or of every notice), oldest first."""
    stmt = select(EnforcementStep).order_by(EnforcementStep.id)
    if notice_id is not None:
        stmt = stmt.where(EnforcementStep.notice_id == notice_id)
    if open_only:
        stmt = stmt.where(EnforcementStep.done_date.is_(None))
    return [_row(session, s) for s in session.scalars(stmt)]


def find_notice(session: Session, text: str) -> RectificationNotice:
    """A notice by its 文号 or its id (as the command line takes it)."""
    text = (text or "").strip()
    notice = session.scalar(select(RectificationNotice).where(RectificationNotice.doc_number == text))
    if notice is None and text.isdigit():
        notice = session.get(RectificationNotice, int(text))
    if notice is None:
        raise EnforcementError(f"没有文号（或编号）为“{text}”的整改通知书")
    return notice


def _valid_date(d: date, what: str, not_before: date | None = None, before_what: str = "") -> date:
    if not isinstance(d, date):
        raise EnforcementError(f"{what}无效：请按 YYYY-MM-DD 填写")
    if d > date.today():
        raise EnforcementError(f"{what}（{format_cn_date(d)}）晚于今天")
    if not_before is not None and d < not_before:
        raise EnforcementError(f"{what}（{format_cn_date(d)}）早于{before_what}（{format_cn_date(not_before)}）")
    return d


def begin_step(session: Session, notice_id: int, kind: str, *, step_date: date, actor: str,
               reference: str = "", department: str = "", deadline: date | None = None,
               note: str = "") -> EnforcementStep:
    """Check and add one next step for a notice whose latest 复查 is 未整改; runs in the caller's transaction.

    立案查处 / 行政处罚 given with their number are done at once; 再次责令限期整改 is done when the caller
    has issued its new notice (usecases.enforcement); 通报抄告 waits for its 抄告函.
    """
    notice = get_notice(session, notice_id)
    if notice.voided:
        raise EnforcementError(f"通知书 {notice.doc_number} 已作废，不能登记后续处理")
    review = latest_review(notice)
    if review is None:
        raise EnforcementError(f"通知书 {notice.doc_number} 尚未复查：复查发现未整改后才能登记后续处理")
    if review.result != UNRECTIFIED:
        raise EnforcementError(f"通知书 {notice.doc_number} 最近一次复查结果为“{review.result}”，无需后续处理")
    if kind not in ENFORCEMENT_KINDS:
        raise EnforcementError(f"后续处理方式应为{'、'.join(ENFORCEMENT_KINDS)}之一，收到“{kind}”")
    _valid_date(step_date, "处理日期", review.date, "复查日期")
    reference = limited(reference, _REFERENCE_NAME.get(kind, "编号"), REFERENCE_MAX, error=EnforcementError)
    department = limited(department, "抄告部门", REFERENCE_MAX, error=EnforcementError)
    note = limited(note, "说明", REASON_MAX, error=EnforcementError)
    existing = steps_of(session, notice.id)
    if kind == REORDER:
        if deadline is None:
            raise EnforcementError("再次责令限期整改须填写新的整改期限")
        if not isinstance(deadline, date) or deadline <= step_date:
            raise EnforcementError(f"新的整改期限（{format_cn_date(deadline)}）须晚于签发日期"
                                   f"（{format_cn_date(step_date)}）")
        done = next((s for s in existing if s.kind == REORDER), None)
        if done is not None:
            new = session.get(RectificationNotice, done.new_notice_id) if done.new_notice_id else None
            raise EnforcementError(f"通知书 {notice.doc_number} 已再次责令限期整改"
                                   + (f"（新通知书 {new.doc_number}），请在新通知书上继续办理" if new else ""))
        if reference or department:
            raise EnforcementError("再次责令限期整改不填写案件编号或抄告部门：新通知书的文号自动编号")
    elif kind == INFORM:
        if not department:
            raise EnforcementError("通报抄告须填写抄告部门（例如：市场监督管理局）")
        if reference:
            raise EnforcementError("抄告函的文号在制作抄告函时自动编号，不需填写")
        if any(s.kind == INFORM and s.department == department and s.done_date is None for s in existing):
            raise EnforcementError(f"已有待制作的抄告“{department}”的抄告函，请先制作该抄告函")
    else:
        if department:
            raise EnforcementError(f"{kind}不填写抄告部门")
        if not reference and any(s.kind == kind and s.done_date is None for s in existing):
            raise EnforcementError(f"该通知书已有一项{kind}{_MISSING[kind]}，请先补录")
    if kind != REORDER:
        deadline = None
    step = EnforcementStep(notice_id=notice.id, reinspection_id=review.id, kind=kind, reference=reference,
                           department=department, deadline=deadline, note=note, created_by=actor or "",
                           done_date=step_date if (kind in (CASE, PENALTY) and reference) else None)
    session.add(step)
    session.flush()
    audit.append(session, user=actor, action="登记后续处理", entity="enforcement_step", entity_id=step.id, detail={
        "通知书": notice.doc_number, "单位": notice.inspection.inspected_object.name, "方式": kind,
        "复查文号": review.doc_number, "日期": step_date.isoformat(), "编号": reference or None,
        "抄告部门": department or None, "新整改期限": deadline.isoformat() if deadline else None,
        "说明": note or None})
    return step


def reorder_issued(session: Session, step: EnforcementStep, new_notice: RectificationNotice, actor: str) -> None:
    """Close a 再次责令限期整改 step with the new notice just issued (same transaction)."""
    step.new_notice_id = new_notice.id
    step.done_date = new_notice.issue_date
    step.file_path = new_notice.file_path
    session.flush()
    audit.append(session, user=actor, action="再次责令限期整改", entity="enforcement_step", entity_id=step.id,
                 detail={"原通知书": get_notice(session, step.notice_id).doc_number, "新通知书": new_notice.doc_number,
                         "整改期限": new_notice.deadline.isoformat()})


def _open_step(session: Session, step_id: int) -> EnforcementStep:
    step = session.get(EnforcementStep, step_id)
    if step is None:
        raise EnforcementError(f"没有编号为 {step_id} 的后续处理")
    if step.done_date is not None:
        raise EnforcementError(f"后续处理 {step_id}（{step.kind}）已于{format_cn_date(step.done_date)}办结")
    return step


def complete_step(session: Session, step_id: int, *, reference: str, done_date: date, actor: str) -> EnforcementStep:
    """Enter the case number (立案查处) or the 处罚决定书文号 (行政处罚) of an open step; that closes it."""
    step = _open_step(session, step_id)
    if step.kind == INFORM:
        raise EnforcementError("通报抄告在制作抄告函后办结：请制作抄告函（命令行：enforce-done 不带 --ref）")
    if step.kind not in (CASE, PENALTY):
        raise EnforcementError(f"{step.kind}无需补录编号")
    what = _REFERENCE_NAME[step.kind]
    reference = limited(reference, what, REFERENCE_MAX, error=EnforcementError)
    if not reference:
        raise EnforcementError(f"请填写{what}")
    review = session.get(Reinspection, step.reinspection_id) if step.reinspection_id else None
    _valid_date(done_date, "办结日期", review.date if review else None, "复查日期")
    step.reference = reference
    step.done_date = done_date
    session.flush()
    audit.append(session, user=actor, action=f"补录{what}", entity="enforcement_step", entity_id=step.id,
                 detail={"通知书": get_notice(session, step.notice_id).doc_number, "方式": step.kind,
                         what: reference, "日期": done_date.isoformat()})
    return step


# --- the 抄告函: its own gapless number series per year ------------------------------------------

def _letters(year: int):
    return select(EnforcementStep.reference).where(
        EnforcementStep.kind == INFORM, EnforcementStep.done_date.is_not(None),
        extract("year", EnforcementStep.done_date) == year)


def next_letter_number(session: Session, year: int) -> str:
    """The next 抄告函 文号 of ``year``: letters are never deleted, so counting the year's gives a gapless
    series; numbers issued before a restore (models.doc_numbers.issued_floor) are not given again.
    The caller holds the notices' write lock (models.notice_common.write_transaction)."""
    from models.doc_numbers import issued_floor

    count = session.scalar(select(func.count()).select_from(_letters(year).subquery())) or 0
    seq = max(count, issued_floor(session, "letter", year)) + 1
    used = set(session.scalars(_letters(year)))
    while True:
        number = app_settings.doc_number(session, "letter", year, seq)
        if number not in used:
            return number
        seq += 1


def begin_letter(session: Session, step_id: int, letter_date: date, actor: str) -> EnforcementStep:
    """Number the 抄告函 of an open 通报抄告 step and date it (which closes the step); the caller renders it."""
    step = _open_step(session, step_id)
    if step.kind != INFORM:
        raise EnforcementError(f"后续处理 {step_id} 是{step.kind}，不制作抄告函")
    review = session.get(Reinspection, step.reinspection_id) if step.reinspection_id else None
    _valid_date(letter_date, "抄告函日期", review.date if review else None, "复查日期")
    step.reference = next_letter_number(session, letter_date.year)
    step.done_date = letter_date
    session.flush()
    return step


def finish_letter(session: Session, step: EnforcementStep, path, actor: str) -> None:
    step.file_path = str(path)
    session.flush()
    audit.append(session, user=actor, action="制作抄告函", entity="enforcement_step", entity_id=step.id,
                 detail={"通知书": get_notice(session, step.notice_id).doc_number, "抄告部门": step.department,
                         "抄告函文号": step.reference, "日期": step.done_date.isoformat(), "文件": str(path)})


# --- how a notice whose 复查 failed stands ------------------------------------------------------

def unrectified_state(notice: RectificationNotice, today: date) -> TodoState:
    """The state of a notice whose latest 复查 is 未整改: waiting for a step, steps open, or all done."""
    session = object_session(notice)
    steps = steps_of(session, notice.id) if session is not None else []
    review = latest_review(notice)
    if not steps:
        return TodoState(Status.UNRECTIFIED, review.date, False,
                         f"{PENDING_LABEL}：{format_cn_date(review.date)}复查仍未整改，请登记后续处理"
                         "（再次责令限期整改、立案查处、行政处罚或通报抄告）")
    open_steps = [s for s in steps if s.done_date is None]
    if open_steps:
        return TodoState(Status.UNRECTIFIED, review.date, False, "复查未整改：" + "；".join(
            f"{s.kind}{'（' + s.department + '）' if s.department else ''}{missing_text(s)}" for s in open_steps))
    return TodoState(Status.DONE, None, False, "复查未整改，已后续处理：" + "；".join(
        f"{s.kind}{'（' + s.department + '）' if s.department else ''}{' ' + s.reference if s.reference else ''}"
        for s in steps))
