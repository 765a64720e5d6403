"""综合查一次 documents: the 联合检查现场检查记录 of one joint task (each grouped item's checklist as its own
section, from a template the clerk can edit) and the lead department's 联合检查汇总表 per task or per period
(.xlsx or .docx, written atomically)."""
from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from models import settings as app_settings
from models.db import Database
from models.inspection import Hazard, Inspection, InspectionInspector, RectificationNotice
from models.joint_service import PERIOD_LABELS, JointError, list_tasks, parse_period, task_detail
from models.joint_sheets import JointRecordSheet, JointSection
from models.plan import Plan
from models.record_sheets import Officer
from models.roster import Inspector
from models.workdays import format_cn_date
from reports.docx_render import check_template, render_docx
from reports.notice_docs import find_template
from reports.record_sheet import BLANK_DATE_TEXT, _officers
from reports.table_docs import TitledTable, check_target, write_table

__all__ = [
    "JOINT_RECORD_TEMPLATE", "JOINT_RECORD_FIELDS", "joint_record_context", "sample_joint_context",
    "check_joint_template", "render_joint_record", "SUMMARY_HEADERS", "summary_table", "export_summary",
]

JOINT_RECORD_TEMPLATE = "联合检查现场检查记录.docx"
JOINT_RECORD_FIELDS = frozenset({"bureau_name", "unit_name", "credit_code", "officers", "sections"})
SUMMARY_HEADERS = ["序号", "任务编号", "期间", "检查对象", "统一社会信用代码", "检查日期", "牵头部门", "参加部门",
                   "联合检查组", "抽查事项", "抽取记录", "检查结果", "隐患数", "整改通知书", "任务状态"]
SUMMARY_WIDTHS = [0.45, 0.6, 0.65, 1.5, 1.6, 0.95, 0.8, 1.0, 1.4, 2.0, 0.6, 1.1, 0.45, 1.4, 0.6]
Progress = Callable[[int, int], None] | None


def _boxes(verdict: str) -> dict:
    """The three boxes of a checklist row: ticked where the recorded verdict is, else all empty."""
    return {key: "☑" if verdict == name else "☐" for key, name in (("yes", "符合"), ("no", "不符合"),
                                                                    ("na", "不适用"))}


def joint_record_context(sheet: JointRecordSheet) -> dict:
    """The template context of one 联合检查现场检查记录."""
    sections = []
    for sec in sheet.sections:
        verdicts = list(sec.verdicts) + [""] * len(sec.checklist)
        rows = [dict(seq=n, text=t.strip(), **_boxes(v))
                for n, (t, v) in enumerate(zip(sec.checklist, verdicts), start=1) if t and t.strip()]
        sections.append({"heading": sec.heading, "source": sec.source, "result_text": sec.result_text,
                         "checklist": rows or [dict(seq=n, text="", **_boxes("")) for n in range(1, 4)]})
    return {
        "bureau_name": sheet.bureau.strip(), "record_number": sheet.record_number, "unit_name": sheet.unit_name,
        "credit_code": sheet.credit_code, "unit_address": sheet.address, "legal_rep": sheet.legal_rep,
        "phone": sheet.phone, "source_text": sheet.source_text, "lead_unit": sheet.lead_unit,
        "units_text": "、".join(sheet.units), "items_text": sheet.items_text,
        "date_text": format_cn_date(sheet.inspect_date) if sheet.inspect_date else BLANK_DATE_TEXT,
        "place_text": sheet.address, "officers": _officers(sheet.officers), "sections": sections,
    }


def sample_joint_context() -> dict:
    """A complete example, used to trial-render a template the clerk edited."""
    return joint_record_context(JointRecordSheet(
        bureau="某某县公安局", unit_name="样例宾馆", credit_code="91370300MA3C4XXXXX", address="样例路1号",
        legal_rep="张三", phone="0533-1234567", source_text="双随机抽查（综合查一次）联合检查任务 #1，2024年上半年",
        lead_unit="治安大队", units=["治安大队", "市场监督管理局"], items_text="1．对旅馆的检查、2．对消防安全的检查",
        inspect_date=date(2024, 5, 6), record_number="联检2024H1-001",
        officers=[Officer("李四", "鲁公执字001", "001", "治安大队"), Officer("王五", "", "S01", "市场监督管理局")],
        sections=[JointSection("（一）2024年度抽查事项 1．对旅馆的检查", "抽取记录 #1", ["是否登记旅客身份信息"],
                               "未发现问题")]))


def check_joint_template(template_path: str | os.PathLike) -> list[str]:
    """Chinese problems with an edited 联合检查现场检查记录 template (empty = usable)."""
    return check_template(template_path, set(JOINT_RECORD_FIELDS), sample_joint_context())


def render_joint_record(db: Database, task_id: int, out: str | os.PathLike, *,
                        inspect_date: date | None = None) -> Path:
    """Write the task's 联合检查现场检查记录 to ``out`` (the clerk's edited template if any), atomically."""
    from models.joint_sheets import joint_record_sheet

    with db.read_session() as s:
        sheet = joint_record_sheet(s, task_id, inspect_date)
        template = find_template(JOINT_RECORD_TEMPLATE, app_settings.template_dir(s))
    return render_docx(template, joint_record_context(sheet), out)


def summary_table(db: Database, *, task_id: int | None = None, year: int | None = None,
                  period: str | None = None) -> TitledTable:
    """联合检查汇总表: a row per grouped item of one task, or of every task (not cancelled) of a period."""
    with db.read_session() as s:
        bureau = (app_settings.get(s, "bureau_name") or "").strip()
        if not bureau:  # as the record's heading: the plan's bureau when the office has not named itself
            bureau = (s.scalar(select(Plan.bureau).where(Plan.bureau != "").order_by(Plan.year.desc()).limit(1))
                      or "").strip()
        if task_id is not None:
            detail = task_detail(s, task_id)
            rows = [r for r in list_tasks(s, detail.year) if r.task_id == task_id]
            title = f"{bureau}联合检查汇总表（联合检查任务 #{task_id}）"
            subtitle = (f"{detail.object_name}　{detail.year}年{PERIOD_LABELS[detail.period]}"
                        f"　牵头部门：{detail.lead_unit}")
        else:
            if year is None:
                raise JointError("请指定联合检查任务编号，或年度（和期间）")
            key = parse_period(period) if period else None
            rows = [r for r in list_tasks(s, year, key) if r.status != "已撤销"]
            when = f"{year}年" + (PERIOD_LABELS[key] if key else "")
            title, subtitle = f"{bureau}{when}联合检查汇总表", f"共 {len(rows)} 个联合检查任务"
            if not rows:
                raise JointError(f"{when}没有联合检查任务")
        details = [task_detail(s, r.task_id) for r in rows]
        pick_ids = [p.pick_id for d in details for p in d.picks]
        insp = {i.pick_id: i for i in s.scalars(select(Inspection).where(Inspection.pick_id.in_(pick_ids)))}
        ids = [i.id for i in insp.values()]
        hazards: dict[int, int] = {}
        for (iid,) in s.execute(select(Hazard.inspection_id).where(Hazard.inspection_id.in_(ids))):
            hazards[iid] = hazards.get(iid, 0) + 1
        notices: dict[int, str] = {}  # task -> its notice's 文号
        for tid, number in s.execute(select(Inspection.joint_task_id, RectificationNotice.doc_number)
                                     .join(RectificationNotice, RectificationNotice.inspection_id == Inspection.id)
                                     .where(Inspection.id.in_(ids), RectificationNotice.voided.is_(False))):
            notices[tid] = number
        went: dict[int, list[str]] = {}
        for iid, name in s.execute(select(InspectionInspector.inspection_id, Inspector.name)
                                   .join(Inspector, Inspector.id == InspectionInspector.inspector_id)
                                   .where(InspectionInspector.inspection_id.in_(ids))
                                   .order_by(InspectionInspector.id)):
            went.setdefault(iid, []).append(name)
    out, keys = [], []
    for d in details:
        for p in d.picks:
            i = insp.get(p.pick_id)
            team = "、".join(went.get(i.id, [])) if i is not None else "、".join(m.name for m in d.team)
            day = i.date_from.isoformat() if i is not None else (d.visit_date.isoformat() if d.visit_date else "")
            result = (i.result_category if i is not None else "") or ("已被重抽或替补替代" if p.replaced else "未检查")
            out.append([str(len(out) + 1), f"#{d.task_id}", PERIOD_LABELS[d.period], d.object_name,
                        d.credit_code, day, d.lead_unit, "、".join(d.units), team, p.label, f"#{p.draw_id}",
                        result,
                        str(hazards.get(i.id, 0)) if i is not None else "", notices.get(d.task_id, ""), d.status])
            keys.append((d.task_id, p.pick_id))
    notes = ["说明：综合查一次——同一单位被多个抽查事项抽中的，由联合检查组一次检查，"
             "各事项的检查结果分别记录、分别公示；发现的治安隐患合并制作一份整改通知书。抽取记录保持抽取时的原样。"]
    return TitledTable(title, subtitle, SUMMARY_HEADERS, SUMMARY_WIDTHS, out, notes, sheet="联合检查汇总表", keys=keys)


def export_summary(db: Database, path, *, task_id: int | None = None, year: int | None = None,
                   period: str | None = None, progress: Progress = None,
                   cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the 联合检查汇总表 to ``path`` (.xlsx or .docx by its suffix)."""
    check_target(path)
    table = summary_table(db, task_id=task_id, year=year, period=period)
    return write_table(table, path, progress=progress, cancelled=cancelled)
