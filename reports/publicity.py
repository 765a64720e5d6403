"""一公开: the 抽查结果公示表 (per task or for the year) and the 抽查任务公示, as .xlsx or .docx.

Only publishable fields leave the database: item, object name, 统一社会信用代码, dates,
inspecting unit, method, result category, rectification status and the draw record
(number and fingerprint) a reader can verify. Never phone numbers, legal
representatives, ID numbers or inspectors' 警号 — not even inspectors' names.

A drawn object whose inspection is not recorded yet is listed with 检查结果 “待检查”,
so the table shows the whole draw and a reader can see nothing was left out. Rows from
a re-draw or a substitute say in 备注 which record they replace and why; the notes
under the table list every re-draw of the year (or of the task).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from models.db import Database
from models.event_draw import beside_event
from models.identifiers import public_name, public_number
from models.workdays import format_cn_date
from models.draw_audit import announcement_line, audit_head_line, hex_blocks, record_hash_line
from models.year_data import (
    ANN_DRAWN, ANN_VOID, NOT_INSPECTED, AnnouncementFacts, RecordFacts, YearData, load_year, rectification_status,
    replacement_note,
)
from reports.table_docs import TitledTable, check_target, write_table

Progress = Callable[[int, int], None] | None

RESULT_HEADERS = ["序号", "抽查事项", "检查对象名称", "统一社会信用代码", "检查时间", "检查单位", "检查方式",
                  "检查结果", "整改情况", "抽取记录", "备注"]
# On the landscape page the 18-character 统一社会信用代码, a date and a record label such as
# "#12（56803b76）" must each fit on one line: a code broken over two lines is misread.
# 抽查事项 (often 20-odd characters) takes two lines, not four, and 序号 and 备注 one (checked as PDF);
# the room comes from 备注, which is mostly empty.
RESULT_WIDTHS = [0.55, 2.2, 1.35, 2.1, 1.2, 0.9, 0.85, 1.3, 0.85, 1.6, 0.55]
TASK_HEADERS = ["序号", "抽查事项", "抽取日期", "抽取数量", "抽取对象名称", "抽取记录", "状态", "备注"]
TASK_WIDTHS = [0.45, 1.6, 1.1, 0.6, 3.9, 1.6, 0.9, 1.8]


def results_title(bureau: str, year: int) -> str:
    """XX公安局20XX年度“双随机、一公开”抽查结果公示."""
    return f"{bureau}{year}年度“双随机、一公开”抽查结果公示"


def tasks_title(bureau: str, year: int) -> str:
    return f"{bureau}{year}年度“双随机、一公开”抽查任务公示"


def _dates(d_from: date, d_to: date) -> str:
    return d_from.isoformat() if d_from == d_to else f"{d_from.isoformat()}至{d_to.isoformat()}"


def _item_order(data: YearData) -> dict[int, int]:
    return {item_id: n for n, item_id in enumerate(data.items)}


def _redraw_notes(records: list[RecordFacts]) -> list[str]:
    notes = [f"抽取记录 {rec.label}：{replacement_note(rec)}。" for rec in records if rec.replaces_id is not None]
    if notes:
        notes.insert(0, "重新抽取与替补说明：")
    return notes


def _hash_notes(records: list[RecordFacts]) -> list[str]:
    """The full record hash and fingerprint of every record cited: the table shows only the fingerprint's start."""
    if not records:
        return []
    notes = ["抽取记录的记录哈希和名单指纹（SHA-256，分四段印出；记录哈希即记录文件的 sha256sum，"
             "可与公布的抽取记录文件核对）："]
    for rec in sorted(records, key=lambda r: r.id):
        notes += [record_hash_line(rec.id, rec.record_hash), f"#{rec.id}　名单指纹 {hex_blocks(rec.fingerprint)}"]
    return notes


def _audit_notes(data: YearData) -> list[str]:
    """The audit chain's head when the table was made: a database rebuilt later no longer holds it."""
    if not data.audit_head:
        return []
    return [audit_head_line(data.audit_head) + "（导出时的最新审计条目；日后可运行 python main.py verify-audit "
            "--against 本文件，核对数据库是否仍保存本表所列的抽取记录、抽取公告和审计日志）"]


def _announcement_state(ann: AnnouncementFacts) -> str:
    if ann.status == ANN_DRAWN:
        return f"已抽取（记录 #{ann.draw_id}）"
    if ann.status == ANN_VOID:
        return f"作废，原因：{ann.void_reason or '未注明'}"
    return "待抽取"


def _announcement_notes(data: YearData) -> list[str]:
    """Every announcement of the year with its commitment and what became of it: voided ones stay listed."""
    if not data.announcements:
        return []
    return ["抽取公告及其承诺值（抽取前封存公示；作废的公告也列出）："] + [
        f"{announcement_line(a.label, a.commitment)}　{_announcement_state(a)}" for a in data.announcements]


def _substitution_note(rec: RecordFacts) -> str:
    """备注 of a record some of whose objects were later replaced one by one."""
    if not rec.substitutes:
        return ""
    return "部分对象已替补，见抽取记录 " + "、".join(f"#{sid}" for sid in rec.substitutes)


def _result_rows(data: YearData, as_of: date) -> list[list[str]]:
    order = _item_order(data)
    picks = sorted(data.picks, key=lambda p: order.get(p.plan_item_id, 0))  # stable: record and pick order kept
    rows = []
    for n, pick in enumerate(picks, start=1):
        item = data.items[pick.plan_item_id]
        rec = data.records[pick.draw_id]
        insp = pick.inspection
        unit = item.responsible_unit or item.subject
        if insp is None:
            when, how, result = "—", "、".join(item.methods) or "—", NOT_INSPECTED
        else:
            unit = insp.executing_unit or unit
            when, how = _dates(insp.date_from, insp.date_to), insp.method or "—"
            result = insp.category + (f"（{insp.subkind}）" if insp.subkind else "")
        # a person published masked (张*, 身份证 1101**********1234), a unit in full
        # a per-event pick: the organiser with its event (名称，日期，地点)
        rows.append([str(n), item.item, beside_event(public_name(pick.id_kind, pick.object_name), pick.event),
                     public_number(pick.id_kind, pick.credit_code, pick.id_country), when, unit or "—", how, result,
                     rectification_status(insp, as_of), rec.label, replacement_note(rec)])
    return rows


def results_table(db: Database, year: int, *, record_id: int | None = None, as_of: date | None = None,
                  progress: Progress = None, data: YearData | None = None) -> TitledTable:
    """The 抽查结果公示表 of the year, or of one task (draw record) with ``record_id``.

    ``data`` is the year already loaded (the screen shares one load between its tabs).
    """
    as_of = as_of or date.today()
    if data is None:
        with db.read_session() as s:
            data = load_year(s, year, record_id=record_id, progress=progress)
    rows = _result_rows(data, as_of)
    subtitle = f"统计截至{format_cn_date(as_of)}　共{len(rows)}户"
    if record_id is not None:
        rec = data.records[record_id]
        item = data.items[rec.plan_item_id]
        subtitle = f"抽查事项：{item.item}　抽取记录：{rec.label}　" + subtitle
    notes = _redraw_notes(sorted(data.records.values(), key=lambda r: r.id))
    notes.append("说明：检查结果为“待检查”的对象已抽中、尚未录入检查结果；抽取记录可凭编号和指纹复核。")
    notes += _hash_notes([data.records[rid] for rid in {p.draw_id for p in data.picks}])
    notes += _audit_notes(data)
    return TitledTable(results_title(data.bureau, year), subtitle, RESULT_HEADERS, RESULT_WIDTHS, rows, notes,
                       sheet=f"{year}年度抽查结果公示")


def tasks_table(db: Database, year: int, *, as_of: date | None = None, progress: Progress = None,
                data: YearData | None = None) -> TitledTable:
    """The 抽查任务公示: every draw record of the year, replaced ones too, with the objects it drew."""
    as_of = as_of or date.today()
    if data is None:
        with db.read_session() as s:
            data = load_year(s, year, progress=progress)
    order = _item_order(data)
    records = sorted(data.records.values(), key=lambda r: (order.get(r.plan_item_id, 0), r.id))
    # Announcements never drawn (voided, or still open) are rows too: nothing sealed drops out of sight.
    undrawn = [a for a in data.announcements if a.draw_id is None]
    lines = sorted([((order.get(r.plan_item_id, 0), r.created_at, 0, r.id), r) for r in records]
                   + [((order.get(a.plan_item_id, 0), a.sealed_at, 1, a.id), a) for a in undrawn],
                   key=lambda x: x[0])
    rows, keys = [], []
    for n, (_key, line) in enumerate(lines, start=1):
        item = data.items[line.plan_item_id]
        if isinstance(line, AnnouncementFacts):
            remark = f"作废原因：{line.void_reason or '未注明'}" if line.status == ANN_VOID else "已封存，尚未抽取"
            rows.append([str(n), item.item, line.sealed_at.date().isoformat(), "—", "（未抽取）",
                         f"公告 {line.label}", line.status, remark])
            keys.append(None)
            continue
        rec = line
        status = "有效" if rec.effective else (f"已被重抽替代（见 #{rec.redrawn_by}）" if rec.redrawn_by
                                               else "已被重抽替代")
        sealed = f"依据抽取公告 {rec.announcement}" if rec.announcement else ""
        gap = f"部门联合抽查缺少配合部门人员，原因：{rec.partner_gap_reason}" if rec.partner_gap_reason else ""
        remark = "；".join(t for t in (replacement_note(rec), _substitution_note(rec), sealed, gap) if t)
        rows.append([str(n), item.item, rec.created_at.date().isoformat(), str(len(rec.object_names)),
                     "、".join(rec.object_names), rec.label, status, remark])
        keys.append(rec.id)
    notes = _redraw_notes(sorted(data.records.values(), key=lambda r: r.id))
    notes += _hash_notes(records)
    notes += _announcement_notes(data)
    notes += _audit_notes(data)
    voided = sum(1 for a in undrawn if a.status == ANN_VOID)
    count = f"共{len(records)}次抽取" + (f"，作废公告{voided}份" if voided else "")
    return TitledTable(tasks_title(data.bureau, year), f"统计截至{format_cn_date(as_of)}　{count}",
                       TASK_HEADERS, TASK_WIDTHS, rows, notes, sheet=f"{year}年度抽查任务公示", keys=keys)


def published_lines(path) -> list[str]:
    """Every text line of an exported publicity table (.xlsx cells or .docx paragraphs), for verify-audit --against."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        from docx import Document

        return [p.text for p in Document(str(path)).paragraphs]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [str(v) for ws in book.worksheets for row in ws.iter_rows(max_col=1, values_only=True)
                for v in row if isinstance(v, str)]
    finally:
        book.close()


def _scaled(progress: Progress, start: int, span: int) -> Progress:
    """Map a sub-step's (done, total) onto [start, start + span] of 100."""
    if progress is None:
        return None
    return lambda done, total: progress(start + (span * done // total if total else span), 100)


def export_results(db: Database, year: int, path, *, record_id: int | None = None, as_of: date | None = None,
                   progress: Progress = None, cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the 抽查结果公示表 to ``path`` (.xlsx or .docx by its suffix)."""
    check_target(path)
    table = results_table(db, year, record_id=record_id, as_of=as_of, progress=_scaled(progress, 0, 30))
    return write_table(table, path, progress=_scaled(progress, 30, 70), cancelled=cancelled)


def export_tasks(db: Database, year: int, path, *, as_of: date | None = None, progress: Progress = None,
                 cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the 抽查任务公示 to ``path`` (.xlsx or .docx by its suffix)."""
    check_target(path)
    table = tasks_table(db, year, as_of=as_of, progress=_scaled(progress, 0, 30))
    return write_table(table, path, progress=_scaled(progress, 30, 70), cancelled=cancelled)
