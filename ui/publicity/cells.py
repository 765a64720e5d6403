"""Rows of the published tables (公示表, 统计表) read by column header, not by position.

These tables are documents: their columns are the headers a bureau publishes, defined once in
reports/. A row here is a tuple of the cells that also answers ``row.cell("整改情况")``, and a
Column names its header as the field, so a new column cannot shift what a screen reads.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ui.table_model import Column


class HeaderRow(tuple):
    """One row of a published table; ``cell(header)`` (or ``getattr(row, header)``) is that column's cell."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def cell(self, header: str) -> Any:
        return self[self._index[header]]

    def __getattr__(self, header: str) -> Any:
        index = type(self)._index.get(header)
        if index is None:
            raise AttributeError(header)
        return self[index]


def header_rows(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[HeaderRow]:
    """*rows* as HeaderRows of a table whose columns are *headers*."""
    row_type = type("TableRow", (HeaderRow,), {"__slots__": (), "_index": {h: i for i, h in enumerate(headers)}})
    return [row_type(r) for r in rows]


def header_columns(headers: Sequence[str], *, align_right: Callable[[str], bool] = lambda _h: False,
                   color: Callable[[HeaderRow], str | None] | None = None,
                   tooltip: Callable[[str], Callable[[HeaderRow], str | None] | None] = lambda _h: None,
                   ) -> list[Column]:
    """One Column per header, reading the cell of that header."""
    return [Column(h, h, align_right=align_right(h), color=color, tooltip=tooltip(h)) for h in headers]
