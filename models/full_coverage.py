"""Full-coverage duties (issue 19 item 3): "对本市所有…每半年至少1次" draws every eligible object each round.

Such an item is still sealed and drawn (the random order and the teams are verifiable); what the clerk
sees is "全部 N 户" and how evenly the engine's least-loaded assignment spreads the officers over them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from models.plan_rules import parse_rule


def is_full_coverage(prep) -> bool:
    """True when the prepared draw takes every eligible object because the item's rule says all of them."""
    return (prep.size_override is None and not prep.stratify and prep.total_eligible > 0
            and prep.total_size == prep.total_eligible and parse_rule(prep.rule_text).full_coverage)


def size_text(prep) -> str:
    """"全部 12 户" for a full-coverage draw, else "抽取 N 户"."""
    return f"全部 {prep.total_size} 户" if is_full_coverage(prep) else f"抽取 {prep.total_size} 户"


def expected_load(prep) -> tuple[int, int, int] | None:
    """(officers, least, most) objects per responsible-unit officer when the load is spread evenly."""
    police = [p for p in prep.inspectors if p.unit in prep.responsible_units]
    if not police or not prep.total_size:
        return None
    slots = prep.total_size * prep.per_object
    return len(police), slots // len(police), -(-slots // len(police))


def coverage_note(prep) -> str:
    """The line the draw screen and the command line show for a full-coverage item; "" otherwise."""
    if not is_full_coverage(prep):
        return ""
    rule = parse_rule(prep.rule_text)
    rounds = f"每年 {rule.rounds_min} 轮，本轮为第 {prep.round} 轮；" if rule.rounds_min else ""
    text = f"全覆盖：本轮检查全部 {prep.total_size} 户（{rounds}仍封存并抽取，顺序和检查组可复核）"
    load = expected_load(prep)
    if load:
        n, lo, hi = load
        spread = f"{lo} 户" if lo == hi else f"{lo}～{hi} 户"
        text += f"；责任单位 {n} 名检查人员按最少负担轮流分配，每人约 {spread}"
    return text


def assignment_load(record: Mapping, units: list[str] | None = None) -> dict[str, int]:
    """Objects per inspector (by name and badge) in a draw record, optionally only those of *units*."""
    load: Counter[str] = Counter()
    for i in record.get("inspection", {}).get("inspectors", []):   # an officer given nothing counts as 0
        if units is None or i["unit"] in units:
            load[f"{i['name']}（{i['badge']}）"] += 0
    for a in record.get("assignments", []):
        for i in a["inspectors"]:
            if units is None or i["unit"] in units:
                load[f"{i['name']}（{i['badge']}）"] += 1
    return dict(load)


def load_summary(record: Mapping) -> str:
    """"检查人员负担：12 人，每人 3～4 户（均衡）" for the record's responsible-unit officers."""
    units = record.get("inspection", {}).get("responsible_units") or None
    load = assignment_load(record, units)
    if not load:
        return ""
    lo, hi = min(load.values()), max(load.values())
    even = "均衡" if hi - lo <= 1 else "不均衡：有回避关系或人员不足"
    spread = f"{lo} 户" if lo == hi else f"{lo}～{hi} 户"
    return f"检查人员负担：{len(load)} 人，每人 {spread}（{even}）"
