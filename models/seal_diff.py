"""What changed between a sealed setup and the setup derived again at draw time, said in Chinese."""
from __future__ import annotations

from collections.abc import Mapping

_LIMIT = 5


def _some(items: list[str]) -> str:
    more = f" 等 {len(items)} 项" if len(items) > _LIMIT else ""
    return "、".join(items[:_LIMIT]) + more


def _by_id(rows: list[dict]) -> dict[int, dict]:
    return {r["id"]: r for r in rows}


def _rows_changed(old: list[dict], new: list[dict], what: str, label) -> list[str]:
    a, b = _by_id(old), _by_id(new)
    out = []
    added = [label(b[i]) for i in b if i not in a]
    removed = [label(a[i]) for i in a if i not in b]
    edited = [f"{label(a[i])} → {label(b[i])}" for i in a if i in b and a[i] != b[i]]
    if added:
        out.append(f"{what}新增 {len(added)} 个：{_some(added)}")
    if removed:
        out.append(f"{what}减少 {len(removed)} 个：{_some(removed)}")
    if edited:
        out.append(f"{what}内容变化 {len(edited)} 个：{_some(edited)}")
    return out


def describe_changes(sealed: Mapping, now: Mapping) -> list[str]:
    """Each difference between two shared parts (item … setup_fingerprint), or [] when they are equal."""
    out: list[str] = []
    if sealed["rule"] != now["rule"]:
        out.append(f"抽取规则或数量变化：封存时 {sealed['rule']['sizes']}，现在 {now['rule']['sizes']}"
                   + ("" if sealed["rule"]["text"] == now["rule"]["text"]
                      else f"（比例和频次「{sealed['rule']['text']}」→「{now['rule']['text']}」）"))
    if sealed["item"] != now["item"] or sealed["round"] != now["round"]:
        out.append("抽查事项或轮次变化")
    out += _rows_changed(sealed["candidates"], now["candidates"], "待抽检查对象",
                         lambda c: f"「{c['name']}」({c['code']}，{c['risk']})")
    a, b = sealed["inspection"], now["inspection"]
    out += _rows_changed(a["inspectors"], b["inspectors"], "检查人员",
                         lambda p: f"{p['name']}({p['badge']}，{p['unit']})")
    for key, what in (("responsible_units", "责任单位"), ("partner_units", "配合部门")):
        if a[key] != b[key]:
            out.append(f"{what}变化：封存时「{'、'.join(a[key]) or '无'}」，现在「{'、'.join(b[key]) or '无'}」")
    if a["per_object"] != b["per_object"]:
        out.append(f"每个对象的检查人员数变化：{a['per_object']} → {b['per_object']}")
    old_pairs, new_pairs = {tuple(x) for x in a["recusals"]}, {tuple(x) for x in b["recusals"]}
    if new_pairs - old_pairs:
        out.append("新增回避关系：" + _some([f"人员 {i} 与对象 {o}" for i, o in sorted(new_pairs - old_pairs)]))
    if old_pairs - new_pairs:
        out.append("删除回避关系：" + _some([f"人员 {i} 与对象 {o}" for i, o in sorted(old_pairs - new_pairs)]))
    if a.get("counties") != b.get("counties"):  # 市抽县查: an object's or officer's county moved
        out.append("实施层级变化：检查对象或检查人员所属的县（区）局与封存时不同")
    sealed_prints = (sealed["fingerprint"], sealed["setup_fingerprint"])
    if not out and sealed_prints != (now["fingerprint"], now["setup_fingerprint"]):
        out.append("名单指纹或设置指纹变化")
    return out
