"""Trimming of typed or imported text, the same way in every service, reader and form."""
from __future__ import annotations

from collections.abc import Iterable


def trimmed(value: object) -> str:
    """A field's text without surrounding blanks; None (an empty cell) is ""."""
    return "" if value is None else str(value).strip()


def nonblank(values: Iterable[str | None]) -> list[str]:
    """The trimmed entries of a list field (配合部门, 检查方式, 抽查内容 …), leaving out empty and blank ones."""
    return [v.strip() for v in values if v and v.strip()]
