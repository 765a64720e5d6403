"""Trimming of typed or imported text, the same way in every service, reader and form."""
from __future__ import annotations

from collections.abc import Iterable

from models.errors import UserError


def trimmed(value: object) -> str:
    """A field's text without surrounding blanks; None (an empty cell) is ""."""
    return "" if value is None else str(value).strip()


def nonblank(values: Iterable[str | None]) -> list[str]:
    """The trimmed entries of a list field (配合部门, 检查方式, 抽查内容 …), leaving out empty and blank ones."""
    return [v.strip() for v in values if v and v.strip()]


# Length limits for text typed into records (the record, its printout and the audit entry keep it
# for ever): a witness, a place, a reason, the announced source of the randomness. A witness is
# "姓名（单位）" as the draw screen joins them, so twice a name's 50.
WITNESS_MAX = 100
PLACE_MAX = 100
REASON_MAX = 500
SOURCE_MAX = 500


def limited(value: object, field: str, max_len: int, *, error: type[Exception] = UserError) -> str:
    """The trimmed text of *field*, or *error* (a UserError) naming the field when it is longer than *max_len*."""
    text = trimmed(value)
    if len(text) > max_len:
        raise error(f"{field}过长：最多 {max_len} 个字，现有 {len(text)} 个字，请删减后再保存")
    return text
