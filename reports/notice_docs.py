"""The 责令限期整改治安隐患通知书 and the 复查意见书: template location, context building and rendering."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from models.notice_common import DEFAULT_LEGAL_BASIS
from models.paths import templates_dir
from models.workdays import format_cn_date
from reports.docx_render import check_template, render_docx
from reports.record_sheet import RECORD_TEMPLATE, check_record_template

__all__ = [
    "NOTICE_TEMPLATE", "REVIEW_TEMPLATE", "DEFAULT_LEGAL_BASIS", "NOTICE_FIELDS", "REVIEW_FIELDS",
    "default_template_dir", "find_template", "notice_context", "review_context",
    "sample_notice_context", "sample_review_context", "check_notice_template",
    "check_review_template", "render_notice", "render_review", "TEMPLATE_CHECKS", "install_template",
]

NOTICE_TEMPLATE = "责令限期整改治安隐患通知书.docx"
REVIEW_TEMPLATE = "复查意见书.docx"
# Left blank on the receipt when the notice is printed before it is served, for handwriting.
BLANK_DATE_TEXT = "　　　　年　　月　　日"

# Fields without which the document would not be a valid notice; a clerk may drop others
# (the address, say) from the wording, but not these.
NOTICE_FIELDS = frozenset({
    "bureau_name", "doc_number", "unit_name", "hazards", "legal_basis", "deadline_text",
    "issue_date_text",
})
REVIEW_FIELDS = frozenset({
    "bureau_name", "doc_number", "notice_number", "unit_name", "review_date_text", "hazards",
    "conclusion", "issue_date_text",
})
RECTIFIED = "已整改"
NOT_RECTIFIED = "未整改"


def default_template_dir() -> Path:
    """The bundled resources/templates folder (models.paths.templates_dir, frozen builds included)."""
    return templates_dir()


def find_template(filename: str, user_dir: str | os.PathLike | None = None) -> Path:
    """The clerk's edited copy of ``filename`` in ``user_dir`` when there is one, else the bundled default."""
    if user_dir is not None:
        candidate = Path(user_dir) / filename
        if candidate.is_file():
            return candidate
    return default_template_dir() / filename


def _clean(text: object) -> str:
    # The template adds its own "（违反…）" after each item, so trailing punctuation would double up.
    return str(text or "").strip().rstrip("。；;，,").strip()


def _hazard_rows(hazards: Sequence, what: str) -> list[tuple[str, ...]]:
    if not hazards:
        raise ValueError(f"{what}至少要列出一项治安隐患")
    rows = []
    for index, item in enumerate(hazards, start=1):
        if isinstance(item, str):
            item = (item,)
        elif isinstance(item, Mapping):
            item = (item.get("text", ""), item.get("clause", ""))
        row = tuple(item)
        if not _clean(row[0] if row else ""):
            raise ValueError(f"{what}第{index}项治安隐患的内容为空")
        rows.append(row)
    return rows


def notice_context(*, bureau_name: str, doc_number: str, unit_name: str, unit_address: str,
                   inspect_date: date, hazards: Sequence, deadline: date, issue_date: date,
                   legal_basis: str = DEFAULT_LEGAL_BASIS, served: date | None = None) -> dict:
    """The template context of a 责令限期整改治安隐患通知书.

    ``hazards`` holds (text, clause) pairs — the clause may be empty or left out — so
    the template prints "1. 监控录像保存不足30天（违反…）" or just the text.
    ``served`` fills the receipt's 送达时间; without it that line is left blank to fill by hand.
    """
    rows = _hazard_rows(hazards, "通知书")
    return {
        "bureau_name": bureau_name.strip(),
        "doc_number": doc_number.strip(),
        "unit_name": unit_name.strip(),
        "unit_address": (unit_address or "").strip(),
        "inspect_date_text": format_cn_date(inspect_date),
        "hazards": [{"text": _clean(row[0]), "clause": _clean(row[1]) if len(row) > 1 else ""}
                    for row in rows],
        "legal_basis": (legal_basis or DEFAULT_LEGAL_BASIS).strip(),
        "deadline_text": format_cn_date(deadline),
        "issue_date_text": format_cn_date(issue_date),
        "served_text": format_cn_date(served) if served else BLANK_DATE_TEXT,
    }


def _outcome(value: object) -> str:
    if value is True:
        return RECTIFIED
    if value is False or value is None:
        return NOT_RECTIFIED
    return str(value).strip()


def review_context(*, bureau_name: str, doc_number: str, notice_number: str, unit_name: str,
                   notice_date: date, review_date: date, inspectors: Sequence[str] | str,
                   hazards: Sequence, issue_date: date, conclusion: str | None = None) -> dict:
    """The template context of a 复查意见书.

    ``hazards`` holds (text, outcome[, note]) rows, outcome being True/False or a text
    such as "已整改"; without ``conclusion`` one is written from the outcomes.
    """
    rows = _hazard_rows(hazards, "复查意见书")
    items = [{"text": _clean(row[0]), "outcome": _outcome(row[1] if len(row) > 1 else None),
              "note": _clean(row[2]) if len(row) > 2 else ""} for row in rows]
    if conclusion is None:
        open_items = sum(1 for item in items if item["outcome"] != RECTIFIED)
        if open_items == 0:
            conclusion = "经复查，你单位所列治安隐患已全部整改完毕，复查合格。"
        else:
            conclusion = (f"经复查，你单位尚有{open_items}项治安隐患未整改完毕，复查不合格。"
                          "我局将依法予以处理。")
    names = inspectors if isinstance(inspectors, str) else "、".join(n.strip() for n in inspectors)
    return {
        "bureau_name": bureau_name.strip(),
        "doc_number": doc_number.strip(),
        "notice_number": notice_number.strip(),
        "unit_name": unit_name.strip(),
        "notice_date_text": format_cn_date(notice_date),
        "review_date_text": format_cn_date(review_date),
        "inspectors": names,
        "hazards": items,
        "conclusion": conclusion.strip(),
        "issue_date_text": format_cn_date(issue_date),
    }


def sample_notice_context() -> dict:
    """A complete example context, used to trial-render a template the clerk edited."""
    return notice_context(
        bureau_name="某某市公安局", doc_number="X公(治)限改字〔2024〕第001号",
        unit_name="样例单位", unit_address="样例地址", inspect_date=date(2024, 5, 6),
        hazards=[("样例隐患", "《企业事业单位内部治安保卫条例》第六条"), ("样例隐患二", "")],
        deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), served=date(2024, 5, 8))


def sample_review_context() -> dict:
    """A complete example context for the 复查意见书 template."""
    return review_context(
        bureau_name="某某市公安局", doc_number="X公(治)复查字〔2024〕第001号",
        notice_number="X公(治)限改字〔2024〕第001号", unit_name="样例单位",
        notice_date=date(2024, 5, 8), review_date=date(2024, 6, 10), inspectors=["张三", "李四"],
        hazards=[("样例隐患", True), ("样例隐患二", False, "正在整改")], issue_date=date(2024, 6, 10))


def check_notice_template(template_path: str | os.PathLike) -> list[str]:
    """Chinese problems with an edited notice template (empty = usable)."""
    return check_template(template_path, set(NOTICE_FIELDS), sample_notice_context())


def check_review_template(template_path: str | os.PathLike) -> list[str]:
    """Chinese problems with an edited 复查意见书 template (empty = usable)."""
    return check_template(template_path, set(REVIEW_FIELDS), sample_review_context())


# The templates a clerk may replace, each with the check it must pass first.
TEMPLATE_CHECKS = {NOTICE_TEMPLATE: check_notice_template, REVIEW_TEMPLATE: check_review_template,
                   RECORD_TEMPLATE: check_record_template}

from reports.letter_docs import LETTER_TEMPLATE, check_letter_template  # noqa: E402 - the 抄告函 (models.enforcement)

TEMPLATE_CHECKS[LETTER_TEMPLATE] = check_letter_template


def install_template(source: str | os.PathLike, folder: str | os.PathLike, filename: str) -> tuple[Path, Path | None]:
    """Make ``source`` the template ``filename`` in ``folder`` — only if it passes the check.

    The check lists the fields the template lacks or does not know (docxtpl's undeclared
    variables) and trial-renders it with a sample; any problem raises TemplateRenderError
    with all of them, in Chinese, and nothing changes, so the last good template stays in
    use. An accepted template replaces the old one, which is kept beside it as
    ``<name>-<time>.docx.bak``. Returns (installed path, backup path or None).
    """
    import shutil
    from datetime import datetime

    from reports.docx_render import TemplateRenderError

    check = TEMPLATE_CHECKS.get(filename)
    if check is None:
        raise TemplateRenderError(f"“{filename}”不是本软件使用的模板（可替换：{'、'.join(TEMPLATE_CHECKS)}）")
    source = Path(source)
    problems = check(source)
    if problems:
        error = TemplateRenderError("；".join(problems))
        error.problems = problems
        raise error
    target = Path(folder) / filename
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.resolve() == source.resolve():
        return target, None  # the clerk edited the file in place: checking it was all there was to do
    backup = None
    if target.exists():
        backup = target.with_name(f"{target.stem}-{datetime.now():%Y%m%d-%H%M%S}.docx.bak")
        shutil.copy2(target, backup)
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(source, partial)
    os.replace(partial, target)  # never a half-copied template in use
    return target, backup


def render_notice(template: str | os.PathLike | None, ctx: Mapping,
                  out: str | os.PathLike) -> Path:
    """Write a 责令限期整改治安隐患通知书; ``template`` None means the bundled default."""
    return render_docx(template or default_template_dir() / NOTICE_TEMPLATE, ctx, out)


def render_review(template: str | os.PathLike | None, ctx: Mapping,
                  out: str | os.PathLike) -> Path:
    """Write a 复查意见书; ``template`` None means the bundled default."""
    return render_docx(template or default_template_dir() / REVIEW_TEMPLATE, ctx, out)
