"""SHA-256 of long texts piece by piece: the digest of the whole UTF-8 encoding, without holding that copy.

A sealed announcement or draw record of 300,000 candidates is about 30 MB of UTF-8; encoding it at once
for hashlib doubles what the text already takes. Encoding a million characters at a time gives the
same bytes in the same order, so the same digest.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

PIECE = 1 << 20  # characters encoded at a time


def utf8_pieces(text: str, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """``text[start:end].encode("utf-8")`` in pieces of PIECE characters (their concatenation is it)."""
    end = len(text) if end is None else end
    for at in range(start, end, PIECE):
        yield text[at:min(at + PIECE, end)].encode("utf-8")


def sha256_text(text: str, start: int = 0, end: int | None = None) -> str:
    """SHA-256 hex of ``text[start:end].encode("utf-8")``."""
    h = hashlib.sha256()
    for piece in utf8_pieces(text, start, end):
        h.update(piece)
    return h.hexdigest()


def sha256_pieces(pieces: Iterable[str]) -> str:
    """SHA-256 hex of ``"".join(pieces).encode("utf-8")``."""
    h = hashlib.sha256()
    for piece in pieces:
        h.update(piece.encode("utf-8"))
    return h.hexdigest()
