"""Formatting and checking document-number patterns (文号) such as X公(治)限改字〔2024〕第012号."""

from __future__ import annotations

from collections.abc import Iterable
from string import Formatter

__all__ = [
    "DEFAULT_NOTICE_PATTERN",
    "DEFAULT_REVIEW_PATTERN",
    "REQUIRED_FIELDS",
    "format_doc_number",
    "validate_pattern",
]

# The bureau edits the prefix (机关代字) in settings; year and sequence are filled per document.
DEFAULT_NOTICE_PATTERN = "X公(治)限改字〔{year}〕第{seq:03d}号"
DEFAULT_REVIEW_PATTERN = "X公(治)复查字〔{year}〕第{seq:03d}号"
REQUIRED_FIELDS = ("year", "seq")

_FIELD_LABELS = {"year": "{year}（年份）", "seq": "{seq}（序号）"}


def format_doc_number(pattern: str, year: int, seq: int, **extra: object) -> str:
    """Fill ``pattern`` with the year and the per-year sequence number (and any extra fields).

    Raises ValueError with a Chinese message when the pattern is invalid.
    """
    problem = validate_pattern(pattern, allowed_extra=extra.keys())
    if problem:
        raise ValueError(problem)
    return pattern.format(year=year, seq=seq, **extra)


def _parse_fields(pattern: str) -> list[tuple[str, str, str | None]]:
    """(field name, format spec, conversion) for each replacement field; raises ValueError on bad braces."""
    return [(name, spec or "", conv)
            for _, name, spec, conv in Formatter().parse(pattern) if name is not None]


def validate_pattern(pattern: str, allowed_extra: Iterable[str] = ()) -> str | None:
    """A Chinese problem with a 文号 pattern, or None when it is usable.

    The pattern must contain {year} and {seq} (with an optional format such as
    {seq:03d}), use no other field except those in ``allowed_extra``, and format.
    """
    if not pattern or not pattern.strip():
        return "文号格式不能为空"
    try:
        fields = _parse_fields(pattern)
    except ValueError:
        return "文号格式中的花括号不配对：字段应写成 {year}、{seq:03d} 这样的形式，其他位置不能单独使用“{”或“}”"

    allowed = set(REQUIRED_FIELDS) | set(allowed_extra)
    names = []
    for name, spec, _ in fields:
        if name == "" or name.isdigit():
            return "文号格式中有未命名的字段“{}”：请写成 {year} 或 {seq:03d}"
        base = name.split(".", 1)[0].split("[", 1)[0]
        if base != name:
            return f"文号格式中的字段“{{{name}}}”写法不正确：只能写字段名，如 {{year}}、{{seq}}"
        if base not in allowed:
            return f"文号格式中有未知字段“{{{name}}}”：只能使用 {{year}}（年份）和 {{seq}}（序号）"
        if "{" in spec:
            return f"文号格式中字段“{{{name}}}”的格式不能再嵌套字段"
        names.append(base)

    missing = [_FIELD_LABELS[f] for f in REQUIRED_FIELDS if f not in names]
    if missing:
        return "文号格式必须包含" + "和".join(missing)

    # Extra fields may hold text or numbers, so either sample value may satisfy their format spec.
    error: Exception | None = None
    for sample in (1, "样例"):
        try:
            pattern.format(year=2024, seq=1, **{name: sample for name in allowed_extra})
            return None
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            error = error or exc
    return f"文号格式无法生成文号（{error}）：序号请写成 {{seq}} 或 {{seq:03d}}"
