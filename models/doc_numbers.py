"""Formatting and checking document-number patterns (文号) such as X公(治)限改字〔2024〕第012号."""

from __future__ import annotations

from collections.abc import Iterable
from string import Formatter

__all__ = [
    "DEFAULT_NOTICE_PATTERN",
    "DEFAULT_REVIEW_PATTERN",
    "REQUIRED_FIELDS",
    "format_doc_number",
    "issued_floor",
    "raise_floors",
    "validate_pattern",
]

# The bureau edits the prefix (机关代字) in settings; year and sequence are filled per document.
DEFAULT_NOTICE_PATTERN = "X公(治)限改字〔{year}〕第{seq:03d}号"
DEFAULT_REVIEW_PATTERN = "X公(治)复查字〔{year}〕第{seq:03d}号"
DEFAULT_LETTER_PATTERN = "X公(治)抄告字〔{year}〕第{seq:03d}号"
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
            pattern.format(year=2024, seq=1, **dict.fromkeys(allowed_extra, sample))
            return None
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            error = error or exc
    return f"文号格式无法生成文号（{error}）：序号请写成 {{seq}} 或 {{seq:03d}}"


# --- numbers once issued are never issued again -------------------------------------------------
# A restore brings back a database from before some notices were issued; their 文号 are on paper
# already. The restore records, per kind and year, the highest number ever issued (the "floor"),
# and numbering continues above it. Kinds: "notice" (整改通知书), "review" (复查意见书),
# "announcement" (抽取公告, numbered per year by the sealed-draw service), "letter" (抄告函, models.enforcement).

FLOORS_KEY = "doc_number_floors"
KINDS = ("notice", "review", "announcement", "letter")


def issued_floor(session, kind: str, year: int) -> int:
    """The highest sequence number of *kind* in *year* known to have been issued elsewhere (0: none)."""
    floors = _stored_floors(session)
    try:
        return max(0, int(floors.get(kind, {}).get(str(year), 0)))
    except (TypeError, ValueError):
        return 0


def raise_floors(session, highest: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Merge *highest* ({kind: {year: seq}}) into the stored floors (never lowering one); returns them."""
    from models.admin import Setting

    floors = _stored_floors(session)
    merged = {kind: dict(floors.get(kind, {})) for kind in KINDS}
    for kind, years in highest.items():
        if kind not in KINDS:
            continue
        for year, seq in years.items():
            merged[kind][str(year)] = max(int(seq), int(merged[kind].get(str(year), 0) or 0))
    merged = {k: v for k, v in merged.items() if v}
    row = session.get(Setting, FLOORS_KEY)
    if row is None:
        session.add(Setting(key=FLOORS_KEY, value=merged))
    else:
        row.value = merged
    session.flush()
    return merged


def _stored_floors(session) -> dict:
    from models.admin import Setting

    row = session.get(Setting, FLOORS_KEY)
    value = row.value if row is not None else None
    return value if isinstance(value, dict) else {}
