"""The 抽取公告 as data (SSJ-DRAW-2): the canonical announcement object, its commitment, and how a record carries it.

Pure functions, no database: the sealing service builds the object, the draw record keeps its
header (the parts not already in the record), and a verifier rebuilds the whole object from a
record alone and hashes it again (docs/draw-protocol.md, section 5).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

PROTOCOL = "SSJ-DRAW-2"
# Keys the record holds at its top level already; the record's "announcement" holds the others.
SHARED_KEYS = ("item", "round", "rule", "candidates", "fingerprint", "inspection", "setup_fingerprint")
HEADER_KEYS = ("protocol", "year", "number", "bureau", "sealed_at", "jurisdiction", "entropy_source",
               "kind", "replaces", "reason")
# Header keys present only when used, so announcements sealed before them hash as they did (protocol section 11).
OPTIONAL_HEADER_KEYS = ("partner_gap_reason",)


def header_keys(announcement: Mapping) -> tuple[str, ...]:
    """HEADER_KEYS plus the optional header keys *announcement* holds."""
    return HEADER_KEYS + tuple(k for k in OPTIONAL_HEADER_KEYS if k in announcement)


def canonical_json(value) -> str:
    """Sorted keys, UTF-8 text, no spaces: the same canonical form as a draw record."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def commitment(announcement: Mapping) -> str:
    """SHA-256 hex of the announcement's canonical JSON: what the witnesses sign before any entropy exists."""
    return hashlib.sha256(canonical_json(announcement).encode("utf-8")).hexdigest()


def build_announcement(*, shared: Mapping, year: int, number: int, bureau: str, sealed_at: str, jurisdiction: str,
                       entropy_source: str, lottery_date: str | None, kind: str, replaces: Mapping | None,
                       reason: str, partner_gap_reason: str = "") -> dict:
    """The announcement object: the header fields and the shared setup (item … setup_fingerprint)."""
    return json.loads(canonical_json(announcement_object(
        shared=shared, year=year, number=number, bureau=bureau, sealed_at=sealed_at, jurisdiction=jurisdiction,
        entropy_source=entropy_source, lottery_date=lottery_date, kind=kind, replaces=replaces, reason=reason,
        partner_gap_reason=partner_gap_reason)))


def announcement_object(*, shared: Mapping, year: int, number: int, bureau: str, sealed_at: str,
                        jurisdiction: str, entropy_source: str, lottery_date: str | None, kind: str,
                        replaces: Mapping | None, reason: str, partner_gap_reason: str = "") -> dict:
    """build_announcement() without its JSON round trip, for a caller whose values are plain JSON already."""
    ann = {
        "protocol": PROTOCOL, "year": year, "number": number, "bureau": bureau, "sealed_at": sealed_at,
        "jurisdiction": jurisdiction, "entropy_source": {"text": entropy_source, "lottery_date": lottery_date},
        "kind": kind, "replaces": None if replaces is None else dict(replaces), "reason": reason,
    }
    if partner_gap_reason:  # a 部门联合 item drawn short of partner officers: the clerk's reason is sealed
        ann["partner_gap_reason"] = partner_gap_reason
    for key in SHARED_KEYS:
        ann[key] = shared[key]
    return ann


def header_of(announcement: Mapping) -> dict:
    """The part of an announcement a record carries under "announcement"."""
    return {k: announcement[k] for k in header_keys(announcement)}


def from_record(record: Mapping) -> dict:
    """The full announcement rebuilt from a v2 record (its header plus the record's shared keys)."""
    ann = dict(record["announcement"])
    for key in SHARED_KEYS:
        ann[key] = record[key]
    return ann


def announcement_number(year: int, number: int) -> str:
    """"2024-003" as printed: the year and the gapless number."""
    return f"{year}-{number:03d}"
