"""The sealed announcement's text at the draw, checked against the list derived again without parsing its candidates.

json.loads of a 300,000-candidate announcement made 300,000 dicts of new strings (about 140 MB) only to find
them equal to the list just derived again. Here the candidate list is located in the sealed text and
compared with that list's canonical JSON (draw_record.candidates_json_at); the rest of the text — header,
setup, fingerprints — is parsed and written again as before, and must give the sealed bytes exactly. The
record's text then takes the candidates' JSON from the sealed text itself, encoded straight to UTF-8 (the
bytes hashed and, on SQLite, stored as that TEXT) rather than copied into a 50 MB str that the database
driver would encode again. The record, its bytes and its hash are those the full parse gave; anything
unexpected leaves the draw to that full parse.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_str

from sqlalchemy import LargeBinary, Text, cast, literal
from sqlalchemy.orm import Session

from models.draw_announcement import canonical_json
from models.draw_engine import Candidate
from models.draw_record import candidates_json_at, record_to_json
from models.text_hash import utf8_pieces

_HEAD = '{"bureau":'  # canonical JSON sorts the keys: "bureau", then "candidates", then the rest
_KEY = ',"candidates":'
_DECODER = json.JSONDecoder()


@dataclass
class SealedParts:
    """A sealed text split at its candidate list: the announcement parsed with "candidates" an empty list."""

    announcement: dict
    start: int  # text[start:end] is the candidates' canonical JSON
    end: int


def split_sealed(text: str, candidates: Sequence[Candidate], small_texts: Mapping[str, str]) -> SealedParts | None:
    """*text* split when it is, byte for byte, the canonical JSON of an announcement whose shared values are
    *small_texts* (shared_texts without the candidates) and candidates_json(candidates); else None.

    The parse is json.loads(text) with its candidate list left empty (candidate_dicts fills it equal).
    """
    from models.seal_service import announcement_text

    if not text.startswith(_HEAD):
        return None
    try:
        _bureau, at = _DECODER.raw_decode(text, len(_HEAD))
    except ValueError:
        return None
    if not text.startswith(_KEY, at):
        return None
    start = at + len(_KEY)
    end = candidates_json_at(text, start, candidates)
    if end is None:
        return None
    rest = text[:start] + "[]" + text[end:]
    try:
        ann = json.loads(rest)
        # written again from the parse: the same bytes, the empty list in the candidates' very place
        same = (announcement_text(ann, {**small_texts, "candidates": "[]"}) == rest
                and len(_HEAD) + len(canonical_json(ann["bureau"])) + len(_KEY) == start)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return SealedParts(ann, start, end) if same else None


def candidate_dicts(candidates: Sequence[Candidate]) -> list[dict]:
    """The candidates as json.loads gives them from their canonical JSON (the same keys in the same order)."""
    return [{"code": c.code, "id": c.id, "name": c.name, "risk": c.risk} for c in candidates]


def record_utf8(record: Mapping, small_texts: Mapping[str, str], sealed_text: str, parts: SealedParts) -> bytearray:
    """record_json_with(record, texts).encode("utf-8"), texts = small_texts and the sealed candidates' JSON.

    Written piece by piece into one buffer: the candidates' JSON is encoded from the sealed text a million
    characters at a time (record["candidates"] is not read).
    """
    texts = {k: small_texts[k] if k in small_texts else record_to_json(v) for k, v in record.items()
             if k != "candidates"}
    data = bytearray(b"{")
    for n, key in enumerate(sorted([*texts, "candidates"])):
        data += f'{"," if n else ""}{_json_str(key)}:'.encode()
        if key != "candidates":
            data += texts[key].encode("utf-8")
            continue
        for piece in utf8_pieces(sealed_text, parts.start, parts.end):
            data += piece
    data += b"}"
    return data


def text_value(session: Session, data: bytearray):
    """What to store in a Text column for the UTF-8 text *data*: on SQLite (a UTF-8 database) CAST(? AS TEXT) of
    the bytes, stored as that very TEXT without a str of it and the driver's UTF-8 copy; elsewhere the str."""
    conn = session.connection()
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA encoding").scalar() == "UTF-8":
        return cast(literal(data, LargeBinary), Text)
    return data.decode("utf-8")
