"""The SSJ-DRAW-2 record schema: every field typed and required, no unknown fields, lists in canonical order.

A verifier must not re-sort or de-duplicate what a record states: a record whose candidates,
inspectors or 回避 pairs are out of order or repeated is refused, so two verifiers can never
disagree about which list was meant. Messages are Chinese and name the field.
"""
from __future__ import annotations

import re

from models.draw_engine import ALL_STRATUM, STRATA_ORDER

HEX64 = re.compile(r"[0-9a-f]{64}")
KINDS = ("draw", "redraw", "substitute")
_NAMES = {int: "整数", str: "文字", list: "列表", dict: "对象", bool: "是/否"}
_FORBIDDEN = ("\t", "\n", "\r")
TOP_KEYS = {"algorithm", "item", "round", "rule", "candidates", "fingerprint", "inspection", "setup_fingerprint",
            "announcement", "commitment", "entropy", "seed", "picks", "assignments", "meta"}
ANNOUNCEMENT_KEYS = {"protocol", "year", "number", "bureau", "sealed_at", "jurisdiction", "entropy_source", "kind",
                     "replaces", "reason"}
META_KEYS = {"time", "place", "operator", "witnesses", "year", "bureau", "item_number", "item_name", "rule_text",
             "rule_desc", "round", "jurisdiction", "size_override", "excluded", "kind", "replaces_id",
             "replaces_record_hash", "replaced_object", "reason", "announcement_number"}


class SchemaError(Exception):
    """The record breaks the schema; the message names the field."""


def _is(value, kind) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def exact(obj, keys: set[str], path: str) -> dict:
    if not isinstance(obj, dict):
        raise SchemaError(f"字段「{path}」应为对象")
    missing = sorted(keys - obj.keys())
    if missing:
        raise SchemaError(f"缺少字段「{path + '.' if path else ''}{missing[0]}」")
    extra = sorted(obj.keys() - keys)
    if extra:
        raise SchemaError(f"含有未定义的字段「{path + '.' if path else ''}{extra[0]}」")
    return obj


def typed(value, kind, path: str, *, nullable: bool = False):
    if value is None and nullable:
        return value
    if not _is(value, kind):
        raise SchemaError(f"字段「{path}」应为{_NAMES[kind]}")
    if kind is str and any(ch in value for ch in _FORBIDDEN):
        raise SchemaError(f"字段「{path}」含有制表符或换行符")
    if kind is int and value < 0:
        raise SchemaError(f"字段「{path}」应为非负整数")
    return value


def hex64(value, path: str) -> str:
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise SchemaError(f"字段「{path}」应为 64 位小写十六进制数")
    return value


def _texts(value, path: str) -> list:
    typed(value, list, path)
    for n, v in enumerate(value):
        typed(v, str, f"{path}[{n}]")
    return value


def _increasing(keys: list, path: str) -> None:
    """Strictly increasing (strings compared by code point, as Python compares them)."""
    for n in range(1, len(keys)):
        if keys[n] == keys[n - 1]:
            raise SchemaError(f"「{path}」第 {n + 1} 项重复（验证程序不会去重）")
        if keys[n] < keys[n - 1]:
            raise SchemaError(f"「{path}」第 {n + 1} 项未按规范顺序排列（验证程序不会重新排序）")


def check_v2(r) -> None:
    """Raise SchemaError for the first breach of the SSJ-DRAW-2 schema (docs/draw-protocol.md §5)."""
    exact(r, TOP_KEYS, "")
    item = exact(r["item"], {"id", "number", "name"}, "item")
    typed(item["id"], int, "item.id", nullable=True)
    typed(item["number"], str, "item.number")
    typed(item["name"], str, "item.name")
    if typed(r["round"], int, "round") < 1:
        raise SchemaError("字段「round」应为正整数")
    rule = exact(r["rule"], {"text", "stratify", "sizes"}, "rule")
    typed(rule["text"], str, "rule.text")
    strata = set(STRATA_ORDER) if typed(rule["stratify"], bool, "rule.stratify") else {ALL_STRATUM}
    exact(rule["sizes"], strata, "rule.sizes")
    for name, size in rule["sizes"].items():
        typed(size, int, f"rule.sizes.{name}")
    typed(r["candidates"], list, "candidates")
    keys = []
    for n, c in enumerate(r["candidates"]):
        p = f"candidates[{n}]"
        exact(c, {"id", "code", "name", "risk"}, p)
        for k in ("code", "name", "risk"):
            typed(c[k], str, f"{p}.{k}")
        keys.append((c["code"], typed(c["id"], int, f"{p}.id")))
    _check_ids_unique([k[1] for k in keys], "candidates")
    _increasing(keys, "candidates")
    hex64(r["fingerprint"], "fingerprint")
    ins_keys = {"per_object", "responsible_units", "partner_units", "inspectors", "recusals"}
    if isinstance(r["inspection"], dict) and "counties" in r["inspection"]:
        ins_keys.add("counties")  # 市抽县查 only (protocol section 12)
    ins = exact(r["inspection"], ins_keys, "inspection")
    typed(ins["per_object"], int, "inspection.per_object")
    _texts(ins["responsible_units"], "inspection.responsible_units")
    _texts(ins["partner_units"], "inspection.partner_units")
    typed(ins["inspectors"], list, "inspection.inspectors")
    people = []
    for n, i in enumerate(ins["inspectors"]):
        p = f"inspection.inspectors[{n}]"
        exact(i, {"id", "badge", "name", "unit"}, p)
        for k in ("badge", "name", "unit"):
            typed(i[k], str, f"{p}.{k}")
        people.append((i["badge"], typed(i["id"], int, f"{p}.id")))
    _check_ids_unique([k[1] for k in people], "inspection.inspectors")
    _increasing(people, "inspection.inspectors")
    typed(ins["recusals"], list, "inspection.recusals")
    person_ids, object_ids = {k[1] for k in people}, {k[1] for k in keys}
    for n, pair in enumerate(ins["recusals"]):
        p = f"inspection.recusals[{n}]"
        if not (isinstance(pair, list) and len(pair) == 2 and all(_is(x, int) for x in pair)):
            raise SchemaError(f"字段「{p}」应为两个整数（检查人员编号, 检查对象编号）")
        if pair[0] not in person_ids or pair[1] not in object_ids:
            raise SchemaError(f"字段「{p}」指向名单之外的检查人员或检查对象")
    _increasing([tuple(x) for x in ins["recusals"]], "inspection.recusals")
    if "counties" in ins:
        _check_counties(ins["counties"], [k[1] for k in keys], person_ids)
    hex64(r["setup_fingerprint"], "setup_fingerprint")
    check_announcement_header(r["announcement"], "announcement")
    hex64(r["commitment"], "commitment")
    ent = exact(r["entropy"], {"typed", "normalised"}, "entropy")
    _texts(ent["normalised"], "entropy.normalised")
    typed(ent["typed"], list, "entropy.typed")
    for n, v in enumerate(ent["typed"]):
        if not isinstance(v, str):
            raise SchemaError(f"字段「entropy.typed[{n}]」应为文字")
    hex64(r["seed"], "seed")
    typed(r["picks"], list, "picks")
    typed(r["assignments"], list, "assignments")
    meta = exact(r["meta"], META_KEYS, "meta")
    for k in ("time", "place", "operator"):
        typed(meta[k], str, f"meta.{k}")
    _texts(meta["witnesses"], "meta.witnesses")


def _check_counties(value, object_ids: list[int], person_ids: set[int]) -> None:
    """inspection.counties: every candidate once, listed officers on the list, ids ascending, names non-empty."""
    c = exact(value, {"objects", "inspectors"}, "inspection.counties")
    for key, allowed in (("objects", set(object_ids)), ("inspectors", person_ids)):
        path = f"inspection.counties.{key}"
        typed(c[key], list, path)
        ids = []
        for n, pair in enumerate(c[key]):
            p = f"{path}[{n}]"
            if not (isinstance(pair, list) and len(pair) == 2 and _is(pair[0], int) and isinstance(pair[1], str)):
                raise SchemaError(f"字段「{p}」应为编号和县（区）局名称")
            if not typed(pair[1], str, f"{p}[1]"):
                raise SchemaError(f"字段「{p}[1]」不能为空")
            if pair[0] not in allowed:
                raise SchemaError(f"字段「{p}」指向名单之外的{'检查对象' if key == 'objects' else '检查人员'}")
            ids.append(pair[0])
        _increasing(ids, path)
        if key == "objects" and len(ids) != len(allowed):
            raise SchemaError(f"字段「{path}」应列出每个检查对象所属的县（区）局")


def check_announcement_header(a, path: str) -> None:
    optional = {"partner_gap_reason"} & a.keys() if isinstance(a, dict) else set()
    exact(a, ANNOUNCEMENT_KEYS | optional, path)
    if optional and not typed(a["partner_gap_reason"], str, f"{path}.partner_gap_reason"):
        raise SchemaError(f"字段「{path}.partner_gap_reason」出现时不能为空")  # protocol section 11
    if a["protocol"] != "SSJ-DRAW-2":
        raise SchemaError(f"字段「{path}.protocol」应为 SSJ-DRAW-2")
    typed(a["year"], int, f"{path}.year")
    if typed(a["number"], int, f"{path}.number") < 1:
        raise SchemaError(f"字段「{path}.number」应为正整数")
    for k in ("bureau", "sealed_at", "jurisdiction", "reason"):
        typed(a[k], str, f"{path}.{k}")
    src = exact(a["entropy_source"], {"text", "lottery_date"}, f"{path}.entropy_source")
    typed(src["text"], str, f"{path}.entropy_source.text")
    typed(src["lottery_date"], str, f"{path}.entropy_source.lottery_date", nullable=True)
    if a["kind"] not in KINDS:
        raise SchemaError(f"字段「{path}.kind」应为 {'、'.join(KINDS)} 之一")
    if (a["kind"] == "draw") != (a["replaces"] is None):
        raise SchemaError(f"字段「{path}.replaces」：重抽和替补必须指明被替代的记录，普通抽取不能指明")
    if a["replaces"] is not None:
        rep = exact(a["replaces"], {"record_id", "record_hash", "object"}, f"{path}.replaces")
        typed(rep["record_id"], int, f"{path}.replaces.record_id")
        hex64(rep["record_hash"], f"{path}.replaces.record_hash")
        if (a["kind"] == "substitute") != (rep["object"] is not None):
            raise SchemaError(f"字段「{path}.replaces.object」：替补必须且只有替补指明被替代的检查对象")
        if rep["object"] is not None:
            obj = exact(rep["object"], {"id", "code", "name"}, f"{path}.replaces.object")
            typed(obj["id"], int, f"{path}.replaces.object.id")
            typed(obj["code"], str, f"{path}.replaces.object.code")
            typed(obj["name"], str, f"{path}.replaces.object.name")


def _check_ids_unique(ids: list[int], path: str) -> None:
    seen: set[int] = set()
    for n, i in enumerate(ids):
        if i in seen:
            raise SchemaError(f"「{path}」第 {n + 1} 项的编号 {i} 重复（验证程序不会去重）")
        seen.add(i)
