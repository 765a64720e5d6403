"""检查台账: every check of a year, drawn or not, with its source — for the bureau's own use, never published.

The 双随机 publicity (reports.publicity) lists drawn results only; this table is the office's whole
supervision work: 日常巡查, 专项检查, 举报投诉 (with the complaint's reference, the day it came in, the reply
deadline and whether it was answered), 案后倒查 … and the drawn checks beside them. Being internal it names
the officers who went; the publicity never does.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from models import settings as app_settings
from models.check_list import replies
from models.check_service import COMPLAINT_SOURCE
from models.db import Database
from models.draw import DrawPick, DrawRecord
from models.duties import list_duties
from models.inspection import DRAWN_SOURCE, Hazard, Inspection, InspectionInspector
from models.plan import PlanItem
from models.roster import InspectedObject, Inspector
from models.workdays import format_cn_date
from models.year_data import InspectionFacts, _notices, rectification_status
from reports.table_docs import TitledTable, check_target, write_table

__all__ = ["CHECK_HEADERS", "checks_table", "export_checks"]

Progress = Callable[[int, int], None] | None
CHECK_HEADERS = ["序号", "检查日期", "检查来源", "来源编号", "受理日期", "答复期限", "答复日期", "检查事项", "抽取记录",
                 "巡查任务", "检查对象名称",
                 "统一社会信用代码", "辖区", "检查人员", "检查结果", "隐患数", "整改通知书", "整改情况", "是否完结"]
CHECK_WIDTHS = [0.45, 1.0, 0.8, 1.1, 0.9, 0.9, 0.9, 1.5, 0.6, 1.1, 1.5, 1.5, 0.9, 1.1, 1.2, 0.45, 1.4, 0.8, 0.8]
_CHUNK = 900


def _dates(d_from: date, d_to: date) -> str:
    return d_from.isoformat() if d_from == d_to else f"{d_from.isoformat()}至{d_to.isoformat()}"


def _finished(finished: bool, on: date | None) -> str:
    if not finished:
        return "否"
    return f"已完结（{on.isoformat()}）" if on else "已完结"


def _reply(source: str, replied: date | None) -> str:
    if source != COMPLAINT_SOURCE:
        return ""
    return replied.isoformat() if replied else "未答复"


def checks_table(db: Database, year: int, *, as_of: date | None = None, progress: Progress = None) -> TitledTable:
    """Every check that ended in ``year``, oldest first, with its source and what followed."""
    as_of = as_of or date.today()
    item_id = func.coalesce(DrawRecord.plan_item_id, Inspection.plan_item_id)
    with db.read_session() as s:
        rows = s.execute(
            select(Inspection.id, Inspection.date_from, Inspection.date_to, Inspection.source, Inspection.source_ref,
                   Inspection.source_date, Inspection.reply_due, PlanItem.number, PlanItem.item, DrawPick.draw_id,
                   InspectedObject.name, func.coalesce(InspectedObject.credit_code, "").label("credit_code"),
                   InspectedObject.jurisdiction,
                   Inspection.result_category, Inspection.result_subkind, Inspection.method,
                   Inspection.executing_unit, Inspection.finished, Inspection.finished_date, Inspection.duty_id)
            .join(InspectedObject, InspectedObject.id == Inspection.object_id)
            .outerjoin(DrawPick, DrawPick.id == Inspection.pick_id)
            .outerjoin(DrawRecord, DrawRecord.id == DrawPick.draw_id)
            .outerjoin(PlanItem, PlanItem.id == item_id)
            .where(Inspection.date_to.between(date(year, 1, 1), date(year, 12, 31)))
            .order_by(Inspection.date_to, Inspection.id)).all()
        if progress:
            progress(1, 3)
        ids = [r.id for r in rows]
        hazards: dict[int, int] = {}
        names: dict[int, list[str]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            hazards.update(s.execute(select(Hazard.inspection_id, func.count(Hazard.id))
                                     .where(Hazard.inspection_id.in_(chunk)).group_by(Hazard.inspection_id)).all())
            for iid, name in s.execute(select(InspectionInspector.inspection_id, Inspector.name)
                                       .join(Inspector, Inspector.id == InspectionInspector.inspector_id)
                                       .where(InspectionInspector.inspection_id.in_(chunk))
                                       .order_by(InspectionInspector.id)):
                names.setdefault(iid, []).append(name)
        notices = _notices(s, ids)
        answered = replies(s)
        duties = {d.id: d.label for d in list_duties(s, include_inactive=True)}
        bureau = (app_settings.get(s, "bureau_name") or "").strip()
    if progress:
        progress(2, 3)
    out = []
    by_source: dict[str, int] = {}
    for n, r in enumerate(rows, start=1):
        facts = InspectionFacts(r.id, r.date_from, r.date_to, r.result_category, r.result_subkind, r.method,
                                r.executing_unit, r.finished, hazards.get(r.id, 0), notice=notices.get(r.id))
        by_source[r.source] = by_source.get(r.source, 0) + 1
        result = r.result_category + (f"（{r.result_subkind}）" if r.result_subkind else "")
        out.append([str(n), _dates(r.date_from, r.date_to), r.source, r.source_ref or "",
                    r.source_date.isoformat() if r.source_date else "", r.reply_due.isoformat() if r.reply_due else "",
                    _reply(r.source, answered.get(r.id)), f"{r.number} {r.item}" if r.number else "",
                    f"#{r.draw_id}" if r.draw_id else "",
                    f"#{r.duty_id} {duties.get(r.duty_id, '')}".strip() if r.duty_id else "", r.name,
                    r.credit_code, r.jurisdiction or "", "、".join(names.get(r.id, [])), result,
                    str(hazards.get(r.id, 0) or ""), facts.notice.doc_number if facts.notice else "",
                    rectification_status(facts, as_of), _finished(r.finished, r.finished_date)])
    order = [DRAWN_SOURCE] + sorted(k for k in by_source if k != DRAWN_SOURCE)
    counts = "，".join(f"{k} {by_source[k]}" for k in order if k in by_source)
    notes = ["说明：本表为内部检查台账，含双随机抽查以外的日常巡查、专项检查、举报投诉等全部检查，不用于公示；"
             "“双随机、一公开”抽查结果公示只列抽取的检查（export-results）。"]
    return TitledTable(f"{bureau}{year}年度检查台账", f"统计截至{format_cn_date(as_of)}　共{len(out)}次检查"
                       + (f"（{counts}）" if counts else ""), CHECK_HEADERS, CHECK_WIDTHS, out, notes,
                       sheet=f"{year}年度检查台账", keys=ids)


def export_checks(db: Database, year: int, path, *, as_of: date | None = None, progress: Progress = None,
                  cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the 检查台账 of ``year`` to ``path`` (.xlsx or .docx by its suffix)."""
    check_target(path)
    table = checks_table(db, year, as_of=as_of, progress=progress)
    return write_table(table, path, cancelled=cancelled)
