"""Reading an item's objects for a draw (准备): one SELECT, read and sifted a chunk at a time.

All 300,000 rows of nine columns held at once took about 200 MB, most of it texts no candidate keeps
(status, 辖区, id kind); each preparation (preview, seal, draw) read them again. Reading a chunk at a
time keeps only what the draw needs: the candidates (draw_reuse, which reuses the last list's very
objects when the rows equal it), the counts of excluded objects, the few rows a level rule reports,
and the eligible rows themselves only when 市抽县查 needs their 辖区. The result is the same list, in
the same order, with the same counts and notes as reading every row first.
"""
from __future__ import annotations

from collections import Counter
from operator import itemgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.draw_engine import Candidate
from models.draw_levels import LevelPlan
from models.draw_reuse import CandidateReader
from models.identifiers import draw_code, public_name
from models.plan import plan_item_types
from models.roster import ID_KIND_CREDIT, InspectedObject

# Keys of DrawPreparation.excluded, in the order an object is tested against them.
EXCLUDED_DEACTIVATED = "已停用"
EXCLUDED_NOT_OPEN = "非在营"
EXCLUDED_OTHER_JURISDICTION = "其他辖区"
EXCLUDED_ALREADY_DRAWN = "本轮已抽取"
CHUNK = 10_000  # rows read at a time


def public_rows(rows: list) -> list:
    """Eligible rows as the draw publishes them: a unit as stored; a person (身份证, 护照, 其他证件, 无) with the
    masked name and the masked draw code of docs/draw-protocol.md section 13, never the full number."""
    if set(map(itemgetter(7), rows)) <= {ID_KIND_CREDIT}:  # one C-level pass (a generator: 0.02 s a prepare)
        return rows
    return [r if r[7] == ID_KIND_CREDIT else (r[0], public_name(r[7], r[1]), draw_code(r[7], r[2], r[8]), *r[3:])
            for r in rows]


def read_eligible(session: Session, item_id: int, drawn: set[int], levels: LevelPlan, excluded: Counter[str]
                  ) -> tuple[list[Candidate], list[Candidate] | None, list]:
    """(candidates in row order, their canonical order or None when refused, the eligible rows for 市抽县查).

    Counts the objects left out into *excluded* and tells *levels* of objects outside every county.
    The eligible rows come back only when levels.pools_by_county (county_pools reads them), else [].
    """
    area = levels.area
    # One SELECT of the item's objects; the driver's own tuples are read (no ORM loading, no Row per row):
    # ids, texts and the active flag (1/0 or a bool) need no conversion here.
    result = session.connection().execute(
        select(InspectedObject.id, InspectedObject.name, InspectedObject.credit_code, InspectedObject.risk_level,
               InspectedObject.status, InspectedObject.active, InspectedObject.jurisdiction,
               InspectedObject.id_kind, InspectedObject.id_country)
        .join(plan_item_types, plan_item_types.c.type_id == InspectedObject.object_type_id)
        .where(plan_item_types.c.item_id == item_id)
    )
    reader = CandidateReader()
    kept: list = []
    unmapped: list = []
    keep = levels.pools_by_county
    try:
        cursor = result.cursor
        while rows := cursor.fetchmany(CHUNK):
            # The eligible rows by one comprehension; the per-row tests run only over the rest, for the counts.
            eligible = [r for r in rows if r[5] and r[4] == "在营" and r[0] not in drawn
                        and (area is None or (r[6] or "").strip() in area)]
            unmapped += levels.unmapped(rows)
            if len(eligible) < len(rows):
                _count_excluded(rows, drawn, area, excluded)
            if keep:
                kept += eligible
            reader.add(public_rows(eligible))
    finally:
        result.close()
    levels.note_unmapped(unmapped)
    cands, ordered = reader.finish()
    return cands, ordered, kept


def _count_excluded(rows: list, drawn: set[int], area, excluded: Counter[str]) -> None:
    for oid, _name, _code, _risk, status, active, juris, *_id in rows:
        if not active:
            excluded[EXCLUDED_DEACTIVATED] += 1
        elif status != "在营":
            excluded[EXCLUDED_NOT_OPEN] += 1
        elif area is not None and (juris or "").strip() not in area:
            excluded[EXCLUDED_OTHER_JURISDICTION] += 1
        elif oid in drawn:
            excluded[EXCLUDED_ALREADY_DRAWN] += 1
