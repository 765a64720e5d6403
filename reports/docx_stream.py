"""Saving a .docx whose big tables are streamed into the file instead of being built as a document tree.

python-docx keeps every paragraph of a table as lxml nodes: 10,000 rows of 11 cells are about 1.4 million
nodes, ~500 MB and seconds to parse and serialise. Here a table keeps only its header in the tree and a
marker (an XML comment) where its rows belong; the document is saved as usual (small), and then
word/document.xml is copied into the final file with the rows' XML written at each marker, chunk by chunk.
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from reports.atomic import Explain, atomic_write, open_in

_DOCUMENT = "word/document.xml"


class DeferredRows:
    """Tables whose rows are written at save time: each a marker in the tree and a source of row-XML chunks."""

    def __init__(self) -> None:
        self.tables: list[tuple[bytes, Callable[[], Iterable[str]]]] = []

    def add(self, tbl, chunks: Callable[[], Iterable[str]]) -> None:
        """Mark the end of *tbl* (a w:tbl element) as the place for the rows *chunks()* yields as XML text."""
        marker = f"ssj-deferred-rows-{len(self.tables)}"
        tbl.append(etree.Comment(marker))
        self.tables.append((f"<!--{marker}-->".encode(), chunks))


def save_docx_streamed(doc, path: str | os.PathLike, deferred: DeferredRows, *,
                       error: Callable[[str], Exception] = OSError, explain: Explain | None = None) -> Path:
    """Save *doc* atomically (see reports.atomic.atomic_write) with the deferred rows written in place.

    Whatever the row sources raise (a cancel) leaves no file behind and an existing file untouched.
    """
    def save(tmp: str) -> None:
        doc.save(tmp)
        if deferred.tables:
            _splice(tmp, deferred)

    return atomic_write(path, save, ".docx", error=error, explain=explain or open_in("Word"))


def _splice(tmp: str, deferred: DeferredRows) -> None:
    source = f"{tmp}.src"
    os.replace(tmp, source)
    mode = stat.S_IMODE(os.stat(source).st_mode)   # the permissions atomic_write chose for the target
    try:
        with zipfile.ZipFile(source) as zin, \
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in zin.infolist():
                data = zin.read(info)
                if info.filename != _DOCUMENT:
                    zout.writestr(info, data)
                    continue
                with zout.open(_DOCUMENT, "w", force_zip64=True) as out:
                    rest = data
                    for marker, chunks in deferred.tables:
                        head, found, rest = rest.partition(marker)
                        if not found:
                            raise RuntimeError(f"{marker!r} missing from {_DOCUMENT}")
                        out.write(head)
                        for chunk in chunks():
                            out.write(chunk.encode("utf-8"))
                    out.write(rest)
        os.chmod(tmp, mode)
    finally:
        os.unlink(source)
