"""The 现场检查记录 (检查笔录): one record rendered from its template, and many bound into one file for printing."""
from __future__ import annotations

import copy
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from models.paths import templates_dir
from models.record_sheets import MIN_OFFICERS, Officer, RecordSheet
from models.workdays import format_cn_date
from reports.atomic import save_docx_atomic
from reports.docx_render import TemplateRenderError, check_template, render_docx

__all__ = [
    "RECORD_TEMPLATE", "RECORD_FIELDS", "record_context", "sample_record_context", "check_record_template",
    "render_record", "bind_records", "BLANK_DATE_TEXT",
]

RECORD_TEMPLATE = "现场检查记录.docx"
# Fields without which the paper is not this object's record; a clerk may drop the others from the wording.
RECORD_FIELDS = frozenset({"bureau_name", "unit_name", "credit_code", "officers", "checklist"})
BLANK_DATE_TEXT = "　　　　年　　月　　日"
# Rows printed when nothing says what to check, for the officers to write the points by hand.
BLANK_CHECKLIST_ROWS = 5
_BLANK_NAME = "　" * 6


def _source_text(sheet: RecordSheet) -> str:
    return f"{sheet.source}（{sheet.source_ref}）" if sheet.source_ref else sheet.source


def _item_text(sheet: RecordSheet) -> str:
    if sheet.item_label:
        return sheet.item_label
    if sheet.checklist_from:
        return f"未指定抽查事项（检查内容参照{sheet.checklist_from}）"
    return ""


def _officers(officers: Sequence[Officer]) -> list[dict]:
    rows = [{"name": o.name, "cert_no": o.cert_no or _BLANK_NAME, "badge_no": o.badge_no, "unit": o.unit}
            for o in officers]
    while len(rows) < MIN_OFFICERS:  # seed 003: never fewer than two officers — their lines are left to fill
        rows.append({"name": _BLANK_NAME, "cert_no": _BLANK_NAME, "badge_no": "", "unit": ""})
    return rows


def record_context(sheet: RecordSheet) -> dict:
    """The template context of one 现场检查记录."""
    entries = [e.strip() for e in sheet.checklist if e and e.strip()]
    checklist = [{"seq": n, "text": text} for n, text in enumerate(entries, start=1)]
    if not checklist:
        checklist = [{"seq": n, "text": ""} for n in range(1, BLANK_CHECKLIST_ROWS + 1)]
    return {
        "bureau_name": sheet.bureau.strip(),
        "record_number": sheet.record_number,
        "unit_name": sheet.unit_name.strip(),
        "credit_code": sheet.credit_code,
        "unit_address": sheet.address,
        "legal_rep": sheet.legal_rep,
        "phone": sheet.phone,
        "object_type": sheet.object_type,
        "source": sheet.source,
        "source_ref": sheet.source_ref,
        "source_text": _source_text(sheet),
        "item_text": _item_text(sheet),
        "inspect_date": sheet.inspect_date,
        "date_text": format_cn_date(sheet.inspect_date) if sheet.inspect_date else BLANK_DATE_TEXT,
        "place_text": sheet.address,
        "officers": _officers(sheet.officers),
        "checklist": checklist,
    }


def sample_record_context() -> dict:
    """A complete example, used to trial-render a template the clerk edited."""
    return record_context(RecordSheet(
        bureau="某某县公安局", unit_name="样例宾馆", credit_code="91370300MA3C4XXXXX", address="样例路1号",
        legal_rep="张三", phone="0533-1234567", object_type="旅馆", source="双随机抽查",
        source_ref="抽取公告 2024-001，抽取记录 #1", item_label="2024年度抽查事项 1．对宾馆、旅店的检查",
        inspect_date=date(2024, 5, 6), officers=[Officer("李四", "鲁公执字001", "001", "治安大队")],
        checklist=["是否按规定登记旅客身份信息", "视频监控录像是否保存30日以上"], record_number="2024-001-01"))


def check_record_template(template_path: str | os.PathLike) -> list[str]:
    """Chinese problems with an edited 现场检查记录 template (empty = usable)."""
    return check_template(template_path, set(RECORD_FIELDS), sample_record_context())


def render_record(template: str | os.PathLike | None, sheet: RecordSheet | Mapping,
                  out: str | os.PathLike) -> Path:
    """Write one 现场检查记录 atomically; ``template`` None means the bundled default."""
    ctx = record_context(sheet) if isinstance(sheet, RecordSheet) else sheet
    return render_docx(template or templates_dir() / RECORD_TEMPLATE, ctx, out)


def _body_sect_pr(body):
    return body.find(qn("w:sectPr"))


def _end_section(body, sect_pr) -> None:
    """Close the record just appended with its own section (next page, page numbers from 1 again)."""
    section = copy.deepcopy(sect_pr)
    kind = section.find(qn("w:type"))
    if kind is None:
        kind = OxmlElement("w:type")
        section.insert(0, kind)
    kind.set(qn("w:val"), "nextPage")
    elements = [e for e in body if e.tag != qn("w:sectPr")]
    last = elements[-1] if elements else None
    if last is None or last.tag != qn("w:p"):
        last = OxmlElement("w:p")  # a record ending in a table: a section mark needs a paragraph
        _body_sect_pr(body).addprevious(last)
    p_pr = last.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = OxmlElement("w:pPr")
        last.insert(0, p_pr)
    old = p_pr.find(qn("w:sectPr"))
    if old is not None:
        p_pr.remove(old)
    p_pr.append(section)


def bind_records(paths: Sequence[str | os.PathLike], out: str | os.PathLike) -> Path:
    """One file holding every record of ``paths`` in order, each starting on a new page with its own page numbers.

    The records come from one template, so their styles, numbering and images are the same parts: the
    first record's file is the frame and the others' bodies are appended to it.
    """
    if not paths:
        raise TemplateRenderError("没有可合订的现场检查记录")
    master = Document(str(paths[0]))
    body = master.element.body
    final = _body_sect_pr(body)
    for path in paths[1:]:
        _end_section(body, final)
        other = Document(str(path)).element.body
        for element in list(other):
            if element.tag == qn("w:sectPr"):
                continue
            final.addprevious(element)
    return save_docx_atomic(master, Path(out), error=TemplateRenderError)
