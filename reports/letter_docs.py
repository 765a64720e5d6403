"""The 抄告函: the letter telling another department (市场监管、应急管理、消防 …) of a unit that did not rectify."""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from models.paths import templates_dir
from models.workdays import format_cn_date
from reports.docx_render import check_template, render_docx

__all__ = ["LETTER_TEMPLATE", "LETTER_FIELDS", "letter_context", "sample_letter_context", "check_letter_template",
           "render_letter"]

LETTER_TEMPLATE = "抄告函.docx"
# Without these the letter would not say who is told what about whom.
LETTER_FIELDS = frozenset({
    "bureau_name", "doc_number", "department", "unit_name", "hazards", "notice_number", "deadline_text",
    "review_date_text", "request", "issue_date_text",
})


def _clean(text: object) -> str:
    return str(text or "").strip().rstrip("。；;，,").strip()


def letter_context(*, bureau_name: str, doc_number: str, department: str, unit_name: str, unit_address: str,
                   inspect_date: date, hazards: Sequence, notice_number: str, notice_date: date, deadline: date,
                   review_date: date, review_number: str, review_note: str, request: str, issue_date: date) -> dict:
    """The template context of a 抄告函; ``hazards`` holds (text, clause) pairs."""
    if not hazards:
        raise ValueError("抄告函至少要列出一项治安隐患")
    request = (request or "").strip()
    if request and request[-1] not in "。！？":
        request += "。"
    return {
        "bureau_name": bureau_name.strip(),
        "doc_number": doc_number.strip(),
        "department": department.strip(),
        "unit_name": unit_name.strip(),
        "unit_address": (unit_address or "").strip(),
        "inspect_date_text": format_cn_date(inspect_date),
        "hazards": [{"text": _clean(h[0]), "clause": _clean(h[1]) if len(h) > 1 else ""} for h in hazards],
        "notice_number": notice_number.strip(),
        "notice_date_text": format_cn_date(notice_date),
        "deadline_text": format_cn_date(deadline),
        "review_date_text": format_cn_date(review_date),
        "review_number": (review_number or "").strip(),
        "review_note": _clean(review_note),
        "request": request,
        "issue_date_text": format_cn_date(issue_date),
    }


def sample_letter_context() -> dict:
    """A complete example, used to trial-render a template the clerk edited."""
    return letter_context(
        bureau_name="某某市公安局", doc_number="X公(治)抄告字〔2024〕第001号", department="某某市市场监督管理局",
        unit_name="样例单位", unit_address="样例地址", inspect_date=date(2024, 5, 6),
        hazards=[("样例隐患", "《旅馆业治安管理办法》第六条"), ("样例隐患二", "")],
        notice_number="X公(治)限改字〔2024〕第001号", notice_date=date(2024, 5, 8), deadline=date(2024, 6, 6),
        review_date=date(2024, 6, 10), review_number="X公(治)复查字〔2024〕第001号", review_note="仍未整改",
        request="请贵单位依照职责督促整改。", issue_date=date(2024, 6, 12))


def check_letter_template(template_path: str | os.PathLike) -> list[str]:
    """Chinese problems with an edited 抄告函 template (empty = usable)."""
    return check_template(template_path, set(LETTER_FIELDS), sample_letter_context())


def render_letter(template: str | os.PathLike | None, ctx: Mapping, out: str | os.PathLike) -> Path:
    """Write a 抄告函; ``template`` None means the bundled default."""
    return render_docx(template or templates_dir() / LETTER_TEMPLATE, ctx, out)
