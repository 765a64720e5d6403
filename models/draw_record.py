"""Runs a whole draw and writes its record (抽取记录): a plain JSON dict that holds everything to recompute it."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from json.encoder import encode_basestring as _json_str

from models import draw_announcement
from models.draw_engine import (
    ALGORITHM_V1, ALGORITHM_VERSION, MIN_PER_OBJECT, Candidate, CountyPools, DrawError, InspectorCandidate, Pick,
    PIECE_CANDIDATES, assign_inspectors, canonical_candidates, canonical_inspectors, derive_seed, fingerprint_canonical,
    normalise_entropy, normalise_sizes, select, setup_fingerprint, split_canonical,
)
from models.draw_reuse import remembered, same_objects
from models.text_hash import sha256_text

# Seal and draw derive the preview's list again and get its very objects back (models/draw_reuse.py).
fingerprint_canonical = remembered(fingerprint_canonical)


@dataclass(frozen=True)
class PreparedDraw:
    """Everything fixed before the witnesses give entropy; show both fingerprints on screen at this point."""

    candidates: list[Candidate]
    strata: dict[str, list[Candidate]]
    stratify: bool
    sizes: dict[str, int]
    inspectors: list[InspectorCandidate]
    recusals: list[tuple[int, int]]
    responsible_units: list[str]
    partner_units: list[str]
    per_object: int
    fingerprint: str
    setup_fingerprint: str
    counties: CountyPools | None = None  # 市抽县查: each object's and officer's county (protocol section 12)


def prepare_draw(*, candidates: Iterable[Candidate], sizes: Mapping[str, int], stratify: bool,
                 inspectors: Iterable[InspectorCandidate], recusals: Iterable[tuple[int, int]],
                 responsible_units: Sequence[str], partner_units: Sequence[str] = (),
                 per_object: int = MIN_PER_OBJECT, counties: CountyPools | None = None) -> PreparedDraw:
    """Check and canonicalise the inputs and compute the two fingerprints; no randomness yet."""
    return prepare_canonical(canonical_candidates(candidates), sizes=sizes, stratify=stratify,
                             inspectors=inspectors, recusals=recusals, responsible_units=responsible_units,
                             partner_units=partner_units, per_object=per_object, counties=counties)


def prepare_canonical(ordered: list[Candidate], *, sizes: Mapping[str, int], stratify: bool,
                      inspectors: Iterable[InspectorCandidate], recusals: Iterable[tuple[int, int]],
                      responsible_units: Sequence[str], partner_units: Sequence[str] = (),
                      per_object: int = MIN_PER_OBJECT, strata: dict[str, list[Candidate]] | None = None,
                      counties: CountyPools | None = None) -> PreparedDraw:
    """prepare_draw() of candidates already checked and in canonical order (canonical_candidates' result).

    ``strata``, when given, must be split_canonical(ordered, stratify): the caller split them already.
    """
    if strata is None:
        strata = split_canonical(ordered, stratify)
    if not ordered:
        raise DrawError("没有可抽取的检查对象")
    sizes = normalise_sizes(sizes, stratify)
    for name, members in strata.items():
        if sizes[name] > len(members):
            raise DrawError(f"「{name}」抽取数量 {sizes[name]} 超过可抽检查对象数 {len(members)}")
    if sum(sizes.values()) == 0:
        raise DrawError("抽取数量合计为 0，无需抽取")
    if isinstance(per_object, bool) or not isinstance(per_object, int) or per_object < MIN_PER_OBJECT:
        raise DrawError(f"每个检查对象的检查人员不得少于 {MIN_PER_OBJECT} 人")
    if not responsible_units:
        raise DrawError("未指定责任单位，无法抽取检查人员")
    people = canonical_inspectors(inspectors)
    # Only pairs that can matter are kept: the record stays small and discloses no more than needed.
    known_people = {p.id for p in people}
    known_objects = {c.id for c in ordered}
    pairs = sorted({(int(i), int(o)) for i, o in recusals if i in known_people and o in known_objects})
    responsible, partners = list(responsible_units), list(partner_units)
    if counties is not None:
        counties.check(ordered, people)
    return PreparedDraw(
        candidates=ordered, strata=strata, stratify=stratify, sizes=sizes, inspectors=people,
        recusals=pairs, responsible_units=responsible, partner_units=partners, per_object=per_object,
        fingerprint=fingerprint_canonical(ordered),
        setup_fingerprint=setup_fingerprint(sizes, per_object, responsible, partners, people, pairs, counties),
        counties=counties,
    )


def _json_default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise DrawError(f"抽取记录的附加信息中有无法保存的值「{value!r}」")


def _plain(value):
    """A JSON round trip, so the record in memory equals the record read back from disk."""
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def pick_entries(picks: Sequence[Pick]) -> list[dict]:
    """The picks as they appear in a record."""
    return [{"order": n, "stratum": p.stratum, "index": p.index, "remaining": p.remaining,
             "position": p.position, "id": p.candidate.id, "code": p.candidate.code, "name": p.candidate.name}
            for n, p in enumerate(picks)]


def assignment_entries(picks: Sequence[Pick], assignments: Mapping[int, list[InspectorCandidate]]) -> list[dict]:
    """The inspector assignments as they appear in a record, one entry per pick in pick order."""
    return [{"order": n, "object_id": p.candidate.id,
             "inspectors": [{"slot": s, "id": i.id, "badge": i.badge, "name": i.name, "unit": i.unit}
                            for s, i in enumerate(assignments[n])]}
            for n, p in enumerate(picks)]


def shared_part(prepared: PreparedDraw, *, item: Mapping | None = None, round: int = 1,
                rule_text: str = "", with_candidates: bool = True) -> dict:
    """What a record and its announcement both hold: item, round, rule, candidates, setup and the fingerprints.

    ``with_candidates=False`` leaves out the (long) candidate list, for shared_texts.
    """
    item = dict(item or {})
    shared = {
        "item": _plain({"id": item.get("id"), "number": item.get("number", ""), "name": item.get("name", "")}),
        "round": round,
        "rule": {"text": rule_text, "stratify": prepared.stratify, "sizes": dict(prepared.sizes)},
        "candidates": ([{"id": c.id, "code": c.code, "name": c.name, "risk": c.risk} for c in prepared.candidates]
                       if with_candidates else None),
        "fingerprint": prepared.fingerprint,
        "inspection": {
            "per_object": prepared.per_object,
            "responsible_units": list(prepared.responsible_units),
            "partner_units": list(prepared.partner_units),
            "inspectors": [{"id": p.id, "badge": p.badge, "name": p.name, "unit": p.unit}
                           for p in prepared.inspectors],
            "recusals": [[i, o] for i, o in prepared.recusals],
            **({"counties": prepared.counties.as_record()} if prepared.counties is not None else {}),
        },
        "setup_fingerprint": prepared.setup_fingerprint,
    }
    if not with_candidates:
        del shared["candidates"]
    return shared


def candidates_json_pieces(candidates: Sequence[Candidate]) -> Iterator[str]:
    """candidates_json(candidates) in pieces of a few thousand candidates ("".join of them is it)."""
    yield "["
    for at in range(0, len(candidates), PIECE_CANDIDATES):
        if at:
            yield ","
        yield ",".join([f'{{"code":{_json_str(c.code)},"id":{c.id},"name":{_json_str(c.name)},'
                        f'"risk":{_json_str(c.risk)}}}' for c in candidates[at:at + PIECE_CANDIDATES]])
    yield "]"


# The last list written by candidates_json: (its very candidates, (SHA-256 hex of the JSON, its length)).
_last_json: tuple[list[Candidate], tuple[str, int]] | None = None


def candidates_json(candidates: Sequence[Candidate]) -> str:
    """canonical JSON of shared_part's "candidates" list, written directly (the same bytes, about 3× faster).

    Only for candidates checked by canonical_candidates (int ids, str fields), as PreparedDraw holds.
    Its digest is remembered for these very objects (candidates_json_at), not the text itself.
    """
    global _last_json
    text = "".join(candidates_json_pieces(candidates))
    _last_json = (list(candidates), (sha256_text(text), len(text)))
    return text


def candidates_json_at(text: str, start: int, candidates: Sequence[Candidate]) -> int | None:
    """The end of candidates_json(candidates) in *text* when it is written there from *start*, else None.

    For the very candidates last written by candidates_json its remembered SHA-256 and length are compared
    (the seal's list, derived again at the draw); otherwise the pieces are written again and compared.
    """
    last = _last_json
    if last is not None and same_objects(last[0], candidates):
        digest, length = last[1]
        end = start + length
        return end if end <= len(text) and sha256_text(text, start, end) == digest else None
    at = start
    for piece in candidates_json_pieces(candidates):
        if not text.startswith(piece, at):
            return None
        at += len(piece)
    return at


def shared_texts(prepared: PreparedDraw, shared: Mapping | None = None, *, item: Mapping | None = None,
                 round: int = 1, rule_text: str = "", with_candidates: bool = True) -> dict[str, str]:
    """The canonical JSON of each value of shared_part(prepared, …), keyed like it; the candidates written once.

    Pass ``shared`` when it is built already (its small values are serialised from it).
    ``with_candidates=False`` leaves out the candidates' (long) JSON.
    """
    if shared is None:
        shared = shared_part(prepared, item=item, round=round, rule_text=rule_text, with_candidates=False)
    texts = {k: draw_announcement.canonical_json(v) for k, v in shared.items() if k != "candidates"}
    if with_candidates:
        texts["candidates"] = candidates_json(prepared.candidates)
    return texts


def canonical_json_of_parts(parts: Mapping[str, str]) -> str:
    """canonical JSON of a dict whose values are given already as canonical JSON text (json.dumps' exact bytes).

    One join of all the pieces: a long part (the candidates) is copied once, into the result only.
    """
    pieces = ["{"]
    for k in sorted(parts):
        pieces += (_json_str(k), ":", parts[k], ",")
    pieces[-1:] = ["}"] if len(pieces) > 1 else ["{", "}"]
    return "".join(pieces)


def _check_sealed(shared: Mapping, announcement: Mapping) -> None:
    for key in draw_announcement.SHARED_KEYS:
        if announcement.get(key) != shared[key]:
            raise DrawError(f"抽取内容与抽取公告不一致（{key}），已停止抽取")


def build_record(prepared: PreparedDraw, *, entropy_typed: Sequence[str], entropy_normalised: Sequence[str],
                 seed: str, picks: Sequence[Pick], assignments: Mapping[int, list[InspectorCandidate]],
                 item: Mapping | None = None, round: int = 1, rule_text: str = "",
                 meta: Mapping | None = None, announcement: Mapping | None = None,
                 shared: Mapping | None = None, commitment: str | None = None) -> dict:
    """The record of one draw (layout in docs/draw-protocol.md, section Record).

    With an announcement the record is SSJ-DRAW-2 and carries the announcement's header and
    commitment; without one it is an SSJ-DRAW-1 record (kept for the engine's known answers).
    A caller that holds them already passes ``shared`` (shared_part of *prepared*, or the
    announcement's own equal part) and the announcement's ``commitment``, computed once.
    """
    if shared is None:
        shared = shared_part(prepared, item=item, round=round, rule_text=rule_text)
    record = {"algorithm": ALGORITHM_V1 if announcement is None else ALGORITHM_VERSION, **shared}
    if announcement is not None:
        _check_sealed(shared, announcement)
        record["announcement"] = draw_announcement.header_of(announcement)
        record["commitment"] = commitment or draw_announcement.commitment(announcement)
    record.update({
        "entropy": {"typed": list(entropy_typed), "normalised": list(entropy_normalised)},
        "seed": seed,
        "picks": pick_entries(picks),
        "assignments": assignment_entries(picks, assignments),
        "meta": _plain(dict(meta or {})),
    })
    return record


def complete_draw(prepared: PreparedDraw, entropy: Sequence[str], *, item: Mapping | None = None,
                  round: int = 1, rule_text: str = "", meta: Mapping | None = None,
                  announcement: Mapping | None = None, shared: Mapping | None = None,
                  commitment: str | None = None) -> dict:
    """Mix in the witnesses' entropy, draw objects and inspectors, and return the full record.

    ``shared`` and ``commitment``: see build_record (given, they are not computed again).
    """
    typed = list(entropy)
    normalised = normalise_entropy(typed)
    if announcement is None:
        seed = derive_seed(prepared.fingerprint, prepared.setup_fingerprint, normalised)
    else:
        commitment = commitment or draw_announcement.commitment(announcement)
        seed = derive_seed(prepared.fingerprint, prepared.setup_fingerprint, normalised, ALGORITHM_VERSION,
                           commitment)
    picks = select(seed, prepared.strata, prepared.sizes)
    assignments = assign_inspectors(seed, picks, prepared.inspectors, prepared.recusals,
                                    prepared.responsible_units, prepared.partner_units, prepared.per_object,
                                    prepared.counties)
    return build_record(prepared, entropy_typed=typed, entropy_normalised=normalised, seed=seed, picks=picks,
                        assignments=assignments, item=item, round=round, rule_text=rule_text, meta=meta,
                        announcement=announcement, shared=shared, commitment=commitment)


def run_draw(*, candidates: Iterable[Candidate], sizes: Mapping[str, int], stratify: bool,
             inspectors: Iterable[InspectorCandidate], recusals: Iterable[tuple[int, int]],
             responsible_units: Sequence[str], partner_units: Sequence[str] = (),
             per_object: int = MIN_PER_OBJECT, entropy: Sequence[str], item: Mapping | None = None,
             round: int = 1, rule_text: str = "", meta: Mapping | None = None,
             announcement: Mapping | None = None, counties: CountyPools | None = None) -> dict:
    """prepare_draw followed by complete_draw: the whole draw in one call."""
    prepared = prepare_draw(candidates=candidates, sizes=sizes, stratify=stratify, inspectors=inspectors,
                            recusals=recusals, responsible_units=responsible_units,
                            partner_units=partner_units, per_object=per_object, counties=counties)
    return complete_draw(prepared, entropy, item=item, round=round, rule_text=rule_text, meta=meta,
                         announcement=announcement)


def record_to_json(record: Mapping) -> str:
    """Canonical JSON: sorted keys, UTF-8 text (ensure_ascii off), no spaces between tokens."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def record_json_with(record: Mapping, texts: Mapping[str, str]) -> str:
    """record_to_json(record) when the canonical JSON of some top-level values is known (shared_texts)."""
    parts = {k: texts[k] if k in texts else record_to_json(v) for k, v in record.items()}
    return canonical_json_of_parts(parts)


def record_hash(record: Mapping) -> str:
    """SHA-256 hex of the UTF-8 canonical JSON of the record."""
    return hashlib.sha256(record_to_json(record).encode("utf-8")).hexdigest()
