"""Checks a draw record by recomputing it from its own contents and naming the first difference in Chinese."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models import draw_announcement
from models.draw_engine import (
    ALGORITHM_V1, ALGORITHM_VERSION, Candidate, CountyPools, DrawError, InspectorCandidate, assign_inspectors,
    canonical_candidates,
    derive_seed, fingerprint_canonical, normalise_entropy, normalise_sizes, select, setup_fingerprint, split_canonical,
)
from models.draw_entropy import unassigned_characters
from models.draw_record import assignment_entries, pick_entries, record_hash
from models.draw_schema import HEX64, SchemaError, check_announcement_header, check_v2

OK_MESSAGE = "一致"
_KINDS = {int: "整数", str: "文字", list: "列表", dict: "对象", bool: "是/否"}
_PICK_FIELDS = {"order": "顺序", "stratum": "分层", "index": "层内序号", "remaining": "剩余数",
                "position": "位置"}


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of verify_record: ok, and "一致" or the first difference found."""

    ok: bool
    message: str


class _Malformed(Exception):
    pass


def _is(value, kind) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _field(obj, key: str, kind, path: str):
    if not isinstance(obj, dict) or key not in obj:
        raise _Malformed(f"缺少字段「{path}」")
    value = obj[key]
    if not _is(value, kind):
        raise _Malformed(f"字段「{path}」应为{_KINDS[kind]}")
    return value


def _list_of(obj, key: str, kind, path: str) -> list:
    values = _field(obj, key, list, path)
    for n, v in enumerate(values):
        if not _is(v, kind):
            raise _Malformed(f"字段「{path}[{n}]」应为{_KINDS[kind]}")
    return values


def _parse(record) -> dict:
    """The fields verification needs, type-checked; raises _Malformed naming the bad field."""
    if not isinstance(record, dict):
        raise _Malformed("记录应为 JSON 对象")
    rule = _field(record, "rule", dict, "rule")
    sizes = _field(rule, "sizes", dict, "rule.sizes")
    for name, size in sizes.items():
        if not _is(size, int):
            raise _Malformed(f"字段「rule.sizes.{name}」应为整数")
    rows = _list_of(record, "candidates", dict, "candidates")
    try:  # fast path for 100k rows; the slow loop below only runs to name a bad field
        candidates = [Candidate(c["id"], c["name"], c["code"], c["risk"]) for c in rows]
        clean = all(type(c.id) is int and type(c.name) is str and type(c.code) is str and type(c.risk) is str
                    for c in candidates)
    except KeyError:
        clean = False
    if not clean:
        candidates = []
        for n, c in enumerate(rows):
            p = f"candidates[{n}]"
            candidates.append(Candidate(_field(c, "id", int, f"{p}.id"), _field(c, "name", str, f"{p}.name"),
                                        _field(c, "code", str, f"{p}.code"), _field(c, "risk", str, f"{p}.risk")))
    insp = _field(record, "inspection", dict, "inspection")
    people = []
    for n, i in enumerate(_list_of(insp, "inspectors", dict, "inspection.inspectors")):
        p = f"inspection.inspectors[{n}]"
        people.append(InspectorCandidate(_field(i, "id", int, f"{p}.id"), _field(i, "name", str, f"{p}.name"),
                                         _field(i, "badge", str, f"{p}.badge"), _field(i, "unit", str, f"{p}.unit")))
    recusals = []
    for n, pair in enumerate(_list_of(insp, "recusals", list, "inspection.recusals")):
        if len(pair) != 2 or not all(_is(x, int) for x in pair):
            raise _Malformed(f"字段「inspection.recusals[{n}]」应为两个整数（检查人员编号, 检查对象编号）")
        recusals.append((pair[0], pair[1]))
    entropy = _field(record, "entropy", dict, "entropy")
    counties = _counties(insp["counties"]) if "counties" in insp else None
    return {
        "raw": record,
        "algorithm": _field(record, "algorithm", str, "algorithm"),
        "stratify": _field(rule, "stratify", bool, "rule.stratify"),
        "sizes": sizes,
        "candidates": candidates,
        "fingerprint": _field(record, "fingerprint", str, "fingerprint"),
        "per_object": _field(insp, "per_object", int, "inspection.per_object"),
        "responsible_units": _list_of(insp, "responsible_units", str, "inspection.responsible_units"),
        "partner_units": _list_of(insp, "partner_units", str, "inspection.partner_units"),
        "inspectors": people,
        "recusals": recusals,
        "counties": counties,
        "setup_fingerprint": _field(record, "setup_fingerprint", str, "setup_fingerprint"),
        "typed": _list_of(entropy, "typed", str, "entropy.typed"),
        "normalised": _list_of(entropy, "normalised", str, "entropy.normalised"),
        "seed": _field(record, "seed", str, "seed"),
        "picks": _field(record, "picks", list, "picks"),
        "assignments": _field(record, "assignments", list, "assignments"),
    }


def _counties(value) -> CountyPools:
    """inspection.counties (市抽县查, protocol section 12): id → county maps, each pair type-checked."""
    if not isinstance(value, dict):
        raise _Malformed("字段「inspection.counties」应为对象")
    maps = []
    for key in ("objects", "inspectors"):
        found: dict[int, str] = {}
        for n, pair in enumerate(_list_of(value, key, list, f"inspection.counties.{key}")):
            if len(pair) != 2 or not _is(pair[0], int) or not _is(pair[1], str):
                raise _Malformed(f"字段「inspection.counties.{key}[{n}]」应为编号和县（区）局名称")
            found[pair[0]] = pair[1]
        maps.append(found)
    return CountyPools(maps[0], maps[1])


def _short(h: str) -> str:
    return h[:16] + "…" if len(h) > 16 else h


def _describe_object(entry) -> str:
    if isinstance(entry, dict):
        return f"「{entry.get('name', '')}」({entry.get('code', '')})"
    return "（格式错误）"


def _pick_difference(k: int, expected: dict, recorded) -> str:
    head = f"第 {k + 1} 个抽取结果不一致"
    if not isinstance(recorded, dict) or any(recorded.get(f) != expected[f] for f in ("id", "code", "name")):
        return f"{head}：应为{_describe_object(expected)}，记录为{_describe_object(recorded)}"
    for key, label in _PICK_FIELDS.items():
        if recorded.get(key) != expected[key]:
            return f"{head}：{label}应为 {expected[key]}，记录为 {recorded.get(key)}"
    return f"{head}：记录含有多余字段"


def _people(entry) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get("inspectors"), list):
        return "（格式错误）"
    names = [f"{p.get('name', '')}({p.get('unit', '')})" if isinstance(p, dict) else "（格式错误）"
             for p in entry["inspectors"]]
    return "、".join(names) or "（无）"


def _recompute(r: dict) -> str | None:
    """The first difference between the parsed record and its recomputation, or None."""
    if r["algorithm"] not in (ALGORITHM_V1, ALGORITHM_VERSION):
        return f"不支持的算法版本「{r['algorithm']}」，本程序能校验 {ALGORITHM_V1} 和 {ALGORITHM_VERSION}"
    ordered = canonical_candidates(r["candidates"])
    fp = fingerprint_canonical(ordered)
    if fp != r["fingerprint"]:
        return (f"检查对象名单已被改动：按记录中的名单重新计算的指纹为 {_short(fp)}，"
                f"记录的指纹为 {_short(r['fingerprint'])}")
    sizes = normalise_sizes(r["sizes"], r["stratify"])
    setup = setup_fingerprint(sizes, r["per_object"], r["responsible_units"], r["partner_units"],
                              r["inspectors"], r["recusals"], r["counties"])
    if setup != r["setup_fingerprint"]:
        return (f"抽取设置（抽取数量、检查人员名单、回避关系或人员要求）已被改动：重新计算的设置指纹为 "
                f"{_short(setup)}，记录为 {_short(r['setup_fingerprint'])}")
    commitment = None
    if r["algorithm"] == ALGORITHM_VERSION:
        commitment = draw_announcement.commitment(draw_announcement.from_record(r["raw"]))
        if commitment != r["raw"]["commitment"]:
            return (f"抽取公告的承诺值不一致：由记录中的公告内容重新计算为 {_short(commitment)}，"
                    f"记录为 {_short(r['raw']['commitment'])}（事项、轮次、规则、名单、设置或公告信息已被改动）")
        problem = _timeline(r["raw"])
        if problem:
            return problem
        for k, text in enumerate(r["typed"]):
            if unassigned_characters(text):
                return f"熵值第 {k + 1} 项含有未定义的 Unicode 字符，SSJ-DRAW-2 不接受"
    normalised = normalise_entropy(r["typed"])
    for k, (want, got) in enumerate(zip(normalised, r["normalised"])):
        if want != got:
            return f"熵值不一致：第 {k + 1} 项规范化后应为「{want}」，记录为「{got}」"
    if len(normalised) != len(r["normalised"]):
        return f"熵值不一致：规范化后应有 {len(normalised)} 项，记录有 {len(r['normalised'])} 项"
    seed = derive_seed(fp, setup, normalised, r["algorithm"], commitment)
    if seed != r["seed"]:
        return f"随机种子不一致：由指纹和熵值重新计算得到 {_short(seed)}，记录为 {_short(r['seed'])}"
    picks = select(seed, split_canonical(ordered, r["stratify"]), sizes)
    expected_picks = pick_entries(picks)
    for k, (want, got) in enumerate(zip(expected_picks, r["picks"])):
        if want != got:
            return _pick_difference(k, want, got)
    if len(expected_picks) != len(r["picks"]):
        return f"抽取结果数量不一致：应为 {len(expected_picks)} 个，记录为 {len(r['picks'])} 个"
    assignments = assign_inspectors(seed, picks, r["inspectors"], r["recusals"], r["responsible_units"],
                                    r["partner_units"], r["per_object"], r["counties"])
    expected = assignment_entries(picks, assignments)
    for k, (want, got) in enumerate(zip(expected, r["assignments"])):
        if want != got:
            return (f"第 {k + 1} 个检查对象{_describe_object(expected_picks[k])}的检查人员不一致："
                    f"应为 {_people(want)}，记录为 {_people(got)}")
    if len(expected) != len(r["assignments"]):
        return f"检查人员分配数量不一致：应为 {len(expected)} 条，记录为 {len(r['assignments'])} 条"
    return None


def _timeline(record: dict) -> str | None:
    """A v2 draw must come after its seal, and a named lottery's date after the seal and not after the draw."""
    ann, meta = record["announcement"], record["meta"]
    sealed, drawn = ann["sealed_at"], meta["time"]
    if drawn < sealed:
        return f"抽取时间 {drawn} 早于抽取公告的封存时间 {sealed}"
    lottery = ann["entropy_source"]["lottery_date"]
    if lottery is not None:
        if lottery <= sealed[:10]:
            return f"公告指定的开奖日期 {lottery} 不晚于封存日期 {sealed[:10]}：开奖结果可能在封存前已知"
        if drawn[:10] < lottery:
            return f"抽取日期 {drawn[:10]} 早于公告指定的开奖日期 {lottery}"
    return None


def hash_problem(expected_hash: str | None) -> str | None:
    """Why a hash typed from the paper form is not a hash at all (so the record is not blamed), or None."""
    if expected_hash is None:
        return None
    if not HEX64.fullmatch(expected_hash):
        return (f"给出的记录哈希「{expected_hash}」格式错误：应为 64 位十六进制数（0-9、a-f），"
                f"请核对抽取结果记录表上印的哈希；记录本身尚未被判定为不一致")
    return None


def compare_announcement(record, announcement) -> str | None:
    """The first difference between a published announcement file and the record, or None."""
    try:
        check_announcement_header({k: announcement.get(k) for k in draw_announcement.header_keys(announcement)}
                                  if isinstance(announcement, dict) else announcement, "公告")
    except SchemaError as exc:
        return f"公告文件格式错误：{exc}"
    if not isinstance(record, dict) or record.get("algorithm") != ALGORITHM_VERSION:
        return "该记录不是 SSJ-DRAW-2 记录，没有对应的抽取公告"
    got = draw_announcement.commitment(announcement)
    if got == record.get("commitment"):
        return None
    full = draw_announcement.from_record(record)
    for key in sorted(set(full) | set(announcement)):
        if full.get(key) != announcement.get(key):
            return (f"记录与公告不符：公告的承诺值为 {_short(got)}，记录为 {_short(str(record.get('commitment')))}；"
                    f"第一处不同在「{key}」")
    return f"记录与公告不符：公告的承诺值为 {_short(got)}，记录为 {_short(str(record.get('commitment')))}"


def verify_record(record: Mapping, expected_hash: str | None = None,
                  announcement: Mapping | None = None, replaced: Mapping | None = None) -> VerifyResult:
    """Recompute fingerprints, seed, picks and assignments from the record alone.

    With expected_hash (the hash stored when the record was saved), any other change,
    e.g. to the time, place or witnesses, is caught as well. With the published
    announcement (SSJ-DRAW-2), the record must be the draw of exactly that announcement.
    With the record it replaces (a redraw or substitute), the link of section 9.5 is checked last.
    Never raises.
    """
    problem = hash_problem(expected_hash)
    if problem:
        return VerifyResult(False, problem)
    try:
        if isinstance(record, dict) and record.get("algorithm") == ALGORITHM_VERSION:
            check_v2(record)
        parsed = _parse(record)
        difference = _recompute(parsed)
        if difference is None and announcement is not None:
            difference = compare_announcement(record, announcement)
        if difference is None and expected_hash is not None and record_hash(record) != expected_hash:
            difference = "记录哈希不一致：记录的其他内容（如时间、地点、见证人）已被改动"
        if difference is None and replaced is not None:
            difference = link_problem(record, replaced)
    except (_Malformed, SchemaError) as exc:
        return VerifyResult(False, f"记录格式错误：{exc}")
    except DrawError as exc:
        return VerifyResult(False, f"记录无法重新计算：{exc}")
    except Exception as exc:  # noqa: BLE001 - a verifier must answer, never show a traceback
        return VerifyResult(False, f"记录无法校验：{type(exc).__name__}: {exc}")
    return VerifyResult(difference is None, difference or OK_MESSAGE)


# ---------------------------------------------------------------- a redraw or substitute against what it replaces

def _kind_of(record: dict) -> str:
    """draw, redraw or substitute: from the announcement of a v2 record, from meta (default draw) of a v1 one."""
    if record.get("algorithm") == ALGORITHM_VERSION:
        return record["announcement"]["kind"]
    meta = record.get("meta")
    kind = meta.get("kind") if isinstance(meta, dict) else None
    return kind if isinstance(kind, str) else "draw"


def _header_value(record: dict, key: str):
    """year or jurisdiction: the announcement's in a v2 record, meta's in a v1 one (missing is None)."""
    if record.get("algorithm") == ALGORITHM_VERSION:
        return record["announcement"][key]
    meta = record.get("meta")
    return meta.get(key) if isinstance(meta, dict) else None


def _jurisdiction_of(record: dict) -> str:
    value = _header_value(record, "jurisdiction")
    return value.strip() if isinstance(value, str) else ""


def _item_text(item) -> str:
    if not isinstance(item, dict):
        return "（格式错误）"
    return f"{item.get('number')}．{item.get('name')}"


def _units(values) -> str:
    return "、".join(str(v) for v in values) if isinstance(values, list) and values else "（无）"


def link_problem(record: dict, replaced) -> str | None:
    """The first way the verified v2 redraw or substitute *record* is not the successor of *replaced*, or None.

    docs/draw-protocol.md section 9.5: the replaced record verifies on its own, its record hash is the one
    the announcement names, item, year, round, 辖区 and staffing rules are the same, the seal comes after
    the replaced draw; a substitute draws one object, unstratified, names one of the replaced record's picks
    and lists none of them among its candidates.
    """
    if record.get("algorithm") != ALGORITHM_VERSION:
        return "该记录不是 SSJ-DRAW-2 记录，无法核对它与被替代记录的关联"
    ann = record["announcement"]
    kind, replaces = ann["kind"], ann["replaces"]
    if kind == "draw":
        return "该记录是普通抽取，不替代任何记录"
    alone = verify_record(replaced)
    if not alone.ok:
        return f"被替代的记录未通过验证：{alone.message}"
    actual = record_hash(replaced)
    if actual != replaces["record_hash"]:
        return (f"被替代记录的哈希不符：本记录的公告指明被替代记录的哈希为 {_short(replaces['record_hash'])}，"
                f"所给被替代记录的哈希为 {_short(actual)}（不是同一条记录，或该记录已被改动）")
    old_year = _header_value(replaced, "year")
    if type(old_year) is not int or old_year != ann["year"]:
        return f"与被替代记录的年度不同：本记录为 {ann['year']} 年度，被替代记录为 {old_year} 年度"
    new_item, old_item = record["item"], replaced.get("item")
    if (not isinstance(old_item, dict) or old_item.get("id") != new_item["id"]
            or old_item.get("number") != new_item["number"]):
        return f"与被替代记录的抽查事项不同：本记录为「{_item_text(new_item)}」，被替代记录为「{_item_text(old_item)}」"
    old_round = replaced.get("round")
    if type(old_round) is not int or old_round != record["round"]:
        return f"与被替代记录的轮次不同：本记录为第 {record['round']} 轮，被替代记录为第 {old_round} 轮"
    new_where, old_where = ann["jurisdiction"].strip(), _jurisdiction_of(replaced)
    if new_where != old_where:
        return f"与被替代记录的辖区不同：本记录为「{new_where or '不限'}」，被替代记录为「{old_where or '不限'}」"
    new_ins, old_ins = record["inspection"], replaced["inspection"]
    for key, label, show in (("per_object", "每个检查对象的责任单位人数", str),
                             ("responsible_units", "责任单位", _units), ("partner_units", "配合部门", _units)):
        if new_ins[key] != old_ins[key]:
            return (f"与被替代记录的检查人员要求不同（{label}）：本记录为 {show(new_ins[key])}，"
                    f"被替代记录为 {show(old_ins[key])}")
    meta = replaced.get("meta")
    drawn = meta.get("time") if isinstance(meta, dict) else None
    if isinstance(drawn, str) and ann["sealed_at"] < drawn:
        return f"本记录的抽取公告封存于 {ann['sealed_at']}，早于被替代记录的抽取时间 {drawn}"
    old_kind = _kind_of(replaced)
    if kind == "redraw":
        if old_kind == "substitute":
            return "替补记录不能整体重抽：被替代的记录是替补记录，应对其替补对象再次替补，或对原记录重抽"
        return None
    if record["rule"]["stratify"] or record["rule"]["sizes"] != {"全部": 1}:
        return "替补只能不分层地抽取 1 个检查对象：本记录的抽取数量不是「全部 1」"
    gone = replaces["object"]
    picks = replaced["picks"]
    if not any(p["id"] == gone["id"] and p["code"] == gone["code"] and p["name"] == gone["name"] for p in picks):
        return f"被替代的检查对象「{gone['name']}」({gone['code']}) 不是被替代记录的抽取结果"
    listed = {c["id"] for c in record["candidates"]}
    for p in picks:
        if p["id"] in listed:
            return f"替补名单中不应有被替代记录已抽中的检查对象「{p['name']}」({p['code']})"
    return None
