"""The publicly verifiable draw (摇号) primitives: canonical inputs, entropy, seed, object and inspector selection.

Pure functions, no database and no Qt: anyone holding a published draw record can run the
same steps (see docs/draw-protocol.md) and obtain the same objects and inspectors.
"""
from __future__ import annotations

from models.errors import UserError
from models.text_hash import sha256_pieces
import hashlib
import re
import unicodedata
from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

ALGORITHM_V1 = "SSJ-DRAW-1"  # records made before sealing: still verified
ALGORITHM_VERSION = "SSJ-DRAW-2"  # the seed also covers the sealed announcement's commitment
STRATA_ORDER = ("高风险", "中风险", "中低风险", "低风险")
_RISKS = {level: level for level in STRATA_ORDER}  # only a str equals a str: other values are kept as they are
ALL_STRATUM = "全部"
MIN_PER_OBJECT = 2  # seed 003: 检查民警不得少于两人
PIECE_CANDIDATES = 8192  # candidates written per piece of a long text (fingerprint, the candidates' JSON)

# Unicode White_Space, listed explicitly so other languages can copy the exact set
# (U+3000, the ideographic space, is what Chinese input methods type).
_WHITESPACE = re.compile("[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_FORBIDDEN_IN_FIELDS = ("\t", "\n", "\r")


class DrawError(UserError):
    """A draw cannot be performed as asked; the message is Chinese and names the culprit."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """检查对象 as the draw sees it: roster id, name, 统一社会信用代码 and risk level."""

    id: int
    name: str
    code: str
    risk: str


_new_object = object.__new__
_set_id, _set_name, _set_code, _set_risk = (getattr(Candidate, f).__set__ for f in ("id", "name", "code", "risk"))


def candidates_of_rows(rows: Iterable[Sequence]) -> list[Candidate]:
    """Candidate(id, name, code, risk) for each row's first four values — the same objects, made about twice as fast
    (slot descriptors set directly); a risk equal to one in STRATA_ORDER is that very str (300,000 copies: 24 MB)."""
    result = []
    append, risk_of = result.append, _RISKS.get
    for row in rows:
        c = _new_object(Candidate)
        _set_id(c, row[0])
        _set_name(c, row[1])
        _set_code(c, row[2])
        _set_risk(c, risk_of(row[3], row[3]))
        append(c)
    return result


@dataclass(frozen=True, slots=True)
class InspectorCandidate:
    """执法检查人员 as the draw sees it: roster id, name, 警号 (badge) and unit."""

    id: int
    name: str
    badge: str
    unit: str


@dataclass(frozen=True)
class CountyPools:
    """市抽县查 (docs/draw-protocol.md, 12): each candidate's county and each county officer's county.

    A pick's responsible slots then draw only from the responsible units' officers of the pick's county.
    """

    objects: dict[int, str]
    inspectors: dict[int, str]

    def check(self, candidates: Iterable[Candidate], inspectors: Iterable[InspectorCandidate]) -> None:
        """Every candidate has a county, every listed officer is on the inspector list; DrawError otherwise."""
        for c in candidates:
            if not self.objects.get(c.id):
                raise DrawError(f"检查对象「{c.name}」({c.code})未列明所属县（区）局")
        known = {p.id for p in inspectors}
        for i, county in self.inspectors.items():
            if i not in known:
                raise DrawError(f"县（区）局名单中的检查人员编号 {i} 不在检查人员名单中")
            _check_text(county, "检查人员所属县（区）局")
        extra = set(self.objects) - {c.id for c in candidates}
        if extra:
            raise DrawError(f"县（区）局名单中的检查对象编号 {min(extra)} 不在待抽名单中")

    def as_record(self) -> dict:
        return {"objects": [[o, c] for o, c in sorted(self.objects.items())],
                "inspectors": [[i, c] for i, c in sorted(self.inspectors.items())]}


@dataclass(frozen=True, slots=True)
class Pick:
    """One drawn object: its stratum, its number within the stratum and where it stood among those left."""

    stratum: str
    index: int
    remaining: int
    position: int
    candidate: Candidate


def _check_text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise DrawError(f"{what}应为文字")
    if any(ch in value for ch in _FORBIDDEN_IN_FIELDS):
        raise DrawError(f"{what}「{value.strip()}」含有制表符或换行符，请先在名录中修正")
    return value


def _check_id(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DrawError(f"{what}编号「{value}」应为非负整数")
    return value


def _u32(n: int) -> bytes:
    return n.to_bytes(4, "big")


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- Prepare

def _fields_are_clean(rows: Sequence, *attrs: str) -> bool:
    """True when every listed attribute is a str without TAB/CR/LF; one C-level join keeps 100k rows fast."""
    try:
        blob = "".join(["".join(map(attrgetter(a), rows)) for a in attrs])
    except TypeError:
        return False
    return not any(ch in blob for ch in _FORBIDDEN_IN_FIELDS)


def _ids_are_clean(ids: list) -> bool:
    return all(type(i) is int for i in ids) and (not ids or min(ids) >= 0) and len(set(ids)) == len(ids)


def _sorted_two(items: Iterable, first: str, then: str) -> list:
    # Two stable single-key sorts give exactly the order of one sort by (first, then), and on
    # 100,000 rows they are several times faster than building and comparing key tuples.
    result = sorted(items, key=attrgetter(then))
    result.sort(key=attrgetter(first))
    return result


def canonical_order(cands: Iterable[Candidate]) -> list[Candidate]:
    """Candidates sorted by code then id, without checking them (see canonical_candidates)."""
    return _sorted_two(cands, "code", "id")


def canonical_candidates(cands: Iterable[Candidate]) -> list[Candidate]:
    """Candidates sorted by code then id (code compared by Unicode code points); checks every field."""
    try:
        result = canonical_order(cands)
    except TypeError:
        result = list(cands)  # a non-str code or non-int id; the slow check below names it
    if _ids_are_clean([c.id for c in result]) and _fields_are_clean(result, "name", "code", "risk"):
        return result
    seen: set[int] = set()
    for c in result:
        label = f"检查对象「{c.name}」({c.code})"
        _check_id(c.id, label)
        for field, what in ((c.name, "名称"), (c.code, "统一社会信用代码"), (c.risk, "风险等级")):
            _check_text(field, f"{label}的{what}")
        if c.id in seen:
            raise DrawError(f"{label}在待抽名单中重复出现（编号 {c.id}）")
        seen.add(c.id)
    raise AssertionError("unreachable: the fast check failed, so the slow one must")  # pragma: no cover


def fingerprint_canonical(ordered: Sequence[Candidate]) -> str:
    """fingerprint() of a list already in canonical order (skips sorting and checking again); hashed in pieces."""
    return sha256_pieces("".join([f"{c.id}\t{c.code}\t{c.name}\t{c.risk}\n"
                                  for c in ordered[at:at + PIECE_CANDIDATES]])
                         for at in range(0, len(ordered), PIECE_CANDIDATES))


def fingerprint(cands: Iterable[Candidate]) -> str:
    """SHA-256 hex of the lines "id TAB code TAB name TAB risk LF" in canonical order."""
    return fingerprint_canonical(canonical_candidates(cands))


def canonical_inspectors(inspectors: Iterable[InspectorCandidate]) -> list[InspectorCandidate]:
    """Inspectors sorted by badge then id; checks every field and refuses duplicate ids."""
    try:
        result = _sorted_two(inspectors, "badge", "id")
    except TypeError:
        result = list(inspectors)
    if _ids_are_clean([p.id for p in result]) and _fields_are_clean(result, "name", "badge", "unit"):
        return result
    seen: set[int] = set()
    for p in result:
        label = f"检查人员「{p.name}」({p.badge})"
        _check_id(p.id, label)
        for field, what in ((p.name, "姓名"), (p.badge, "警号"), (p.unit, "单位")):
            _check_text(field, f"{label}的{what}")
        if p.id in seen:
            raise DrawError(f"{label}在检查人员名单中重复出现（编号 {p.id}）")
        seen.add(p.id)
    raise AssertionError("unreachable: the fast check failed, so the slow one must")  # pragma: no cover


def normalise_sizes(sizes: Mapping[str, int], stratify: bool) -> dict[str, int]:
    """Per-stratum sample sizes in stratum order; stratified draws get all four levels (missing = 0)."""
    allowed = STRATA_ORDER if stratify else (ALL_STRATUM,)
    for name, size in sizes.items():
        if name not in allowed:
            hint = "、".join(allowed)
            raise DrawError(f"抽取数量中的分层「{name}」无效，应为：{hint}")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise DrawError(f"「{name}」的抽取数量「{size}」应为非负整数")
    if not stratify and ALL_STRATUM not in sizes:
        raise DrawError(f"未分层抽取时须给出「{ALL_STRATUM}」的抽取数量")
    return {name: sizes.get(name, 0) for name in allowed}


def split_strata(cands: Sequence[Candidate], stratify: bool) -> dict[str, list[Candidate]]:
    """Canonical candidates grouped into strata (order kept); unstratified draws use one stratum 全部."""
    return split_canonical(canonical_candidates(cands), stratify)


def split_canonical(ordered: Sequence[Candidate], stratify: bool) -> dict[str, list[Candidate]]:
    """split_strata() of a list already checked and in canonical order (skips sorting and checking again)."""
    ordered = list(ordered)
    if not stratify:
        return {ALL_STRATUM: ordered}
    strata: dict[str, list[Candidate]] = {name: [] for name in STRATA_ORDER}
    for c in ordered:
        if c.risk not in strata:
            raise DrawError(f"检查对象「{c.name}」({c.code})的风险等级「{c.risk}」无法分层，"
                            f"应为：{'、'.join(STRATA_ORDER)}")
        strata[c.risk].append(c)
    return strata


def setup_fingerprint(sizes: Mapping[str, int], per_object: int, responsible_units: Sequence[str],
                      partner_units: Sequence[str], inspectors: Iterable[InspectorCandidate],
                      recusals: Iterable[tuple[int, int]], counties: CountyPools | None = None) -> str:
    """SHA-256 hex committing to everything besides objects and entropy that decides the result.

    Sizes must already be normalised (see normalise_sizes). Committing these before the
    entropy is known stops anyone from trying inspector pools until one gives a wanted result.
    """
    lines = [f"S\t{_check_text(name, '分层名称')}\t{size}\n" for name, size in sizes.items()]
    lines.append(f"N\t{per_object}\n")
    lines += [f"R\t{_check_text(u, '责任单位')}\n" for u in responsible_units]
    lines += [f"P\t{_check_text(u, '配合部门')}\n" for u in partner_units]
    lines += [f"I\t{p.id}\t{p.badge}\t{p.name}\t{p.unit}\n" for p in canonical_inspectors(inspectors)]
    lines += [f"X\t{i}\t{o}\n" for i, o in sorted(set(recusals))]
    if counties is not None:  # 市抽县查 only (section 12); absent, the lines of older records are unchanged
        lines += [f"C\t{o}\t{_check_text(c, '检查对象所属县（区）局')}\n"
                  for o, c in sorted(counties.objects.items())]
        lines += [f"D\t{i}\t{_check_text(c, '检查人员所属县（区）局')}\n"
                  for i, c in sorted(counties.inspectors.items())]
    return _sha256_hex("".join(lines))


# ---------------------------------------------------------------- Entropy and seed

def normalise_entropy(texts: Iterable[str]) -> list[str]:
    """NFC, every run of white space to one space, trimmed; empty entries dropped (one must remain)."""
    result = []
    for text in texts:
        if not isinstance(text, str):
            raise DrawError("现场随机数（熵值）应为文字")
        cleaned = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")
        if cleaned:
            result.append(cleaned)
    if not result:
        raise DrawError("请至少输入一项现场随机数（如报数、骰子点数、彩票开奖号码）")
    return result


def derive_seed(fingerprint: str, setup_fingerprint: str, entropy: Sequence[str],
                version: str = ALGORITHM_V1, commitment: str | None = None) -> str:
    """SHA-256 hex of the UTF-8 lines: version, fingerprint, setup fingerprint, [commitment,] each entropy entry.

    Every line ends with LF. SSJ-DRAW-2 puts the sealed announcement's commitment after the
    setup fingerprint, so a record proves which announcement it was drawn against.
    """
    if version == ALGORITHM_VERSION:
        if not commitment or len(commitment) != 64:
            raise DrawError("SSJ-DRAW-2 的随机种子须包含抽取公告的承诺值（64 位十六进制）")
        head: tuple[str, ...] = (version, fingerprint, setup_fingerprint, commitment)
    elif version == ALGORITHM_V1 and commitment is None:
        head = (version, fingerprint, setup_fingerprint)
    else:
        raise DrawError(f"不支持的算法版本「{version}」")
    if not entropy:
        raise DrawError("请至少输入一项现场随机数（如报数、骰子点数、彩票开奖号码）")
    for e in entropy:
        if not e or any(ch in e for ch in _FORBIDDEN_IN_FIELDS):
            raise DrawError(f"熵值「{e}」未经规范化")
    return _sha256_hex("".join(f"{line}\n" for line in (*head, *entropy)))


def _seed_bytes(seed: str) -> bytes:
    try:
        raw = bytes.fromhex(seed)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise DrawError(f"随机种子「{seed}」应为 64 位十六进制数")
    return raw


# ---------------------------------------------------------------- Select

def _select_stratum(seed: bytes, stratum: str, members: Sequence[Candidate], size: int) -> list[Pick]:
    # A Fenwick tree of "still remaining" flags finds the k-th remaining candidate in
    # O(log n), so removal keeps the documented list order without O(n) list.pop.
    n = len(members)
    tree = [i & -i for i in range(n + 1)]
    top = 1 << n.bit_length()
    prefix = seed + stratum.encode("utf-8")
    picks = []
    for i in range(size):
        remaining = n - i
        k = int.from_bytes(hashlib.sha256(prefix + _u32(i)).digest(), "big") % remaining
        pos, want, step = 0, k + 1, top
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] < want:
                pos = nxt
                want -= tree[nxt]
            step >>= 1
        j = pos + 1
        while j <= n:
            tree[j] -= 1
            j += j & -j
        picks.append(Pick(stratum, i, remaining, k, members[pos]))
    return picks


def select(seed: str, strata: Mapping[str, Sequence[Candidate]], sizes: Mapping[str, int]) -> list[Pick]:
    """Draw sizes[s] candidates from each stratum s, strata in the given order, members in canonical order."""
    raw = _seed_bytes(seed)
    picks: list[Pick] = []
    for stratum, members in strata.items():
        size = sizes.get(stratum, 0)
        if size > len(members):
            raise DrawError(f"「{stratum}」抽取数量 {size} 超过可抽检查对象数 {len(members)}")
        picks += _select_stratum(raw, stratum, members, size)
    return picks


# ---------------------------------------------------------------- Inspectors

class _LoadPool:
    """The inspectors one slot may draw from, bucketed by assignments so far (ranks kept sorted)."""

    def __init__(self, ranks: list[int]) -> None:
        self.size = len(ranks)
        self.members = set(ranks)
        self.buckets: dict[int, list[int]] = {0: sorted(ranks)} if ranks else {}

    def move(self, rank: int, old: int, new: int) -> None:
        bucket = self.buckets[old]
        del bucket[bisect_left(bucket, rank)]
        if not bucket:
            del self.buckets[old]
        insort(self.buckets.setdefault(new, []), rank)

    def least_loaded(self, excluded: set[int]) -> tuple[list[int], list[int]]:
        """The lowest-load bucket with someone not excluded, and the sorted excluded positions in it."""
        for load in sorted(self.buckets):
            bucket = self.buckets[load]
            skip = sorted(p for p, r in ((bisect_left(bucket, r), r) for r in excluded)
                          if p < len(bucket) and bucket[p] == r)
            if len(skip) < len(bucket):
                return bucket, skip
        raise AssertionError("checked by the caller")  # pragma: no cover


def _tie_break(seed: bytes, pick: int, slot: int, count: int) -> int:
    return int.from_bytes(hashlib.sha256(seed + b"insp" + _u32(pick) + _u32(slot)).digest(), "big") % count


def assign_inspectors(seed: str, picks: Sequence[Pick], inspectors: Iterable[InspectorCandidate],
                      recusals: Iterable[tuple[int, int]], responsible_units: Sequence[str],
                      partner_units: Sequence[str] = (), per_object: int = MIN_PER_OBJECT,
                      counties: CountyPools | None = None) -> dict[int, list[InspectorCandidate]]:
    """Inspectors for each pick, keyed by pick order: per_object from the responsible units, one per partner.

    The least-loaded eligible inspector is taken (ties broken by hash); recused and
    already-chosen people are never eligible. Raises DrawError naming the object when too few remain.
    """
    raw = _seed_bytes(seed)
    if isinstance(per_object, bool) or not isinstance(per_object, int) or per_object < MIN_PER_OBJECT:
        raise DrawError(f"每个检查对象的检查人员不得少于 {MIN_PER_OBJECT} 人")
    if not responsible_units:
        raise DrawError("未指定责任单位，无法抽取检查人员")
    people = canonical_inspectors(inspectors)
    rank_of = {p.id: r for r, p in enumerate(people)}
    recused: dict[int, set[int]] = {}
    for inspector_id, object_id in recusals:
        if inspector_id in rank_of:
            recused.setdefault(object_id, set()).add(rank_of[inspector_id])

    pools: dict[tuple[str, ...], _LoadPool] = {}
    pools_of: dict[int, list[_LoadPool]] = {}

    def pool_for(units: tuple[str, ...], county: str | None = None) -> _LoadPool:
        key = (units, county)
        if key not in pools:
            pool = pools[key] = _LoadPool([r for r, p in enumerate(people) if p.unit in units and (
                county is None or counties.inspectors.get(p.id) == county)])
            for r in pool.members:
                pools_of.setdefault(r, []).append(pool)
        return pools[key]

    partner_slots = [(pool_for((u,)), u, 1) for u in partner_units]
    slots = [(pool_for(tuple(responsible_units)), "、".join(responsible_units), per_object)] + partner_slots
    load = [0] * len(people)
    result: dict[int, list[InspectorCandidate]] = {}
    for order, pick in enumerate(picks):
        obj = pick.candidate
        if counties is not None:  # 市抽县查: the responsible pool is the object's county's officers
            county = counties.objects.get(obj.id)
            if county is None:
                raise DrawError(f"检查对象「{obj.name}」({obj.code})未列明所属县（区）局")
            slots = [(pool_for(tuple(responsible_units), county), f"{county}的责任单位", per_object)] + partner_slots
        banned = recused.get(obj.id, set())
        chosen: list[int] = []
        slot = 0
        for pool, unit_label, needed in slots:
            n_recused = len(banned & pool.members)
            n_taken = len(pool.members.intersection(chosen))
            if pool.size - n_recused - n_taken < needed:
                taken = f"、本对象已抽中 {n_taken} 人" if n_taken else ""
                raise DrawError(f"检查对象「{obj.name}」({obj.code})：{unit_label}可选检查人员不足 {needed} 人"
                                f"（已排除回避 {n_recused} 人{taken}）")
            for _ in range(needed):
                excluded = banned.union(chosen)
                bucket, skip = pool.least_loaded(excluded)
                k = _tie_break(raw, order, slot, len(bucket) - len(skip))
                for p in skip:  # the k-th eligible member, stepping over excluded positions
                    if p <= k:
                        k += 1
                rank = bucket[k]
                for member_pool in pools_of[rank]:
                    member_pool.move(rank, load[rank], load[rank] + 1)
                load[rank] += 1
                chosen.append(rank)
                slot += 1
        result[order] = [people[r] for r in chosen]
    return result
