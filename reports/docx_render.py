"""Safe rendering of Word templates with docxtpl: field checks, escaping, strict fields and atomic writes."""

from __future__ import annotations

from models.errors import UserError
import io
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError

from models.workdays import format_cn_date
from reports.atomic import save_docx_atomic

__all__ = ["TemplateRenderError", "make_jinja_env", "required_fields", "check_template", "render_docx"]


class TemplateRenderError(UserError, ValueError):
    """A template could not be read or filled; the message is Chinese and names the file and field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def make_jinja_env() -> Environment:
    """The Jinja environment for every document: escapes XML and refuses missing fields."""
    env = Environment(autoescape=True, undefined=StrictUndefined)
    # Lets a clerk who edits a template write {{ some_date|cn_date }} for 2024年12月31日.
    env.filters["cn_date"] = lambda d: format_cn_date(d) if isinstance(d, date) else d
    return env


def _name(template_path: str | os.PathLike) -> str:
    return Path(template_path).name


def _load(template_path: str | os.PathLike) -> DocxTemplate:
    path = Path(template_path)
    if not path.is_file():
        raise TemplateRenderError(f"找不到模板文件“{path}”")
    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as exc:  # python-docx raises several unrelated types for a bad file
        raise TemplateRenderError(f"无法打开模板文件“{path.name}”：它不是有效的 Word（.docx）文件（{exc}）") from exc
    return template


def _syntax_message(template_path, exc: TemplateSyntaxError) -> str:
    nearby = " ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
    where = f"，出错位置附近的文字：“{nearby[:80]}”" if nearby else ""
    return f"模板“{_name(template_path)}”中的字段写法有语法错误（{exc.message}）{where}"


def _undefined_field(exc: UndefinedError) -> str:
    text = str(exc)
    match = re.search(r"'([^']+)' is undefined", text) or re.search(r"has no attribute '([^']+)'", text)
    return match.group(1) if match else text


def required_fields(template_path: str | os.PathLike) -> set[str]:
    """The top-level fields the template uses (loop variables excluded)."""
    template = _load(template_path)
    try:
        return set(template.get_undeclared_template_variables(make_jinja_env()))
    except TemplateSyntaxError as exc:
        raise TemplateRenderError(_syntax_message(template_path, exc)) from exc


def _render(template: DocxTemplate, template_path, context: Mapping) -> None:
    try:
        template.render(dict(context), make_jinja_env(), autoescape=True)
    except UndefinedError as exc:
        field = _undefined_field(exc)
        raise TemplateRenderError(
            f"填写模板“{_name(template_path)}”时缺少字段“{field}”的数据", field=field) from exc
    except TemplateSyntaxError as exc:
        raise TemplateRenderError(_syntax_message(template_path, exc)) from exc
    except TemplateError as exc:
        raise TemplateRenderError(f"填写模板“{_name(template_path)}”失败：{exc}") from exc


def check_template(template_path: str | os.PathLike, required: set[str],
                   sample_context: Mapping) -> list[str]:
    """Chinese problems that stop ``template_path`` from working; an empty list means it is usable.

    Reports fields in ``required`` the template lacks, fields the template uses that
    ``sample_context`` does not provide, and a trial render with ``sample_context`` that fails.
    """
    try:
        used = required_fields(template_path)
    except TemplateRenderError as exc:
        return [str(exc)]
    name = _name(template_path)
    problems = []
    missing = sorted(set(required) - used)
    if missing:
        problems.append(f"模板“{name}”缺少必需字段：" + "、".join(f"{{{{ {f} }}}}" for f in missing))
    unknown = sorted(used - set(sample_context))
    if unknown:
        problems.append(f"模板“{name}”使用了程序不认识的字段：" + "、".join(f"{{{{ {f} }}}}" for f in unknown)
                        + "（请检查字段名是否写错）")
    if problems:
        return problems
    try:
        template = _load(template_path)
        _render(template, template_path, sample_context)
        template.save(io.BytesIO())
    except TemplateRenderError as exc:
        problems.append(f"模板试填充失败：{exc}")
    # A broken document structure surfaces here (as any exception type), not in Jinja; it is reported.
    except Exception as exc:  # noqa: BLE001 - last resort: the failure becomes a problem shown to the clerk
        problems.append(f"模板“{name}”试填充失败：{exc}")
    return problems


def render_docx(template_path: str | os.PathLike, context: Mapping,
                out_path: str | os.PathLike) -> Path:
    """Fill ``template_path`` with ``context`` and write ``out_path`` atomically.

    Values are XML-escaped (so "A&B<酒店>" prints as typed) and a missing field raises
    :class:`TemplateRenderError` naming it. The document is first saved to a temporary
    file in the same folder, then moved over ``out_path``, so a failure never leaves
    a half-written file behind.
    """
    out = Path(out_path)
    template = _load(template_path)
    _render(template, template_path, context)

    out.parent.mkdir(parents=True, exist_ok=True)
    return save_docx_atomic(template, out, error=TemplateRenderError, explain=_explain_locked)


def _explain_locked(out: Path, exc: OSError) -> str | None:
    if isinstance(exc, PermissionError):
        return f"无法写入“{out.name}”：文件可能正被 Word 等程序打开，请关闭后重试"
    return None
