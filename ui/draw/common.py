"""Shared pieces of the draw screens: fingerprint grouping, result rows read from a record, fonts and file saving."""
from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QFileDialog, QWidget

from models.draw import DrawRecord
from models.draw_history import load_record
from models.draw_verify import VerifyResult, verify_record

RESULT_HEADERS = ("序号", "单位名称", "信用代码", "风险等级", "检查人员")


class ResultRow(NamedTuple):
    """One pick of a record as the result tables show it."""

    order: int          # 序号, from 1
    name: str
    code: str
    risk: str
    inspectors: str
    stratum: str
    object_id: int


# The result tables' columns (RESULT_HEADERS over the ResultRow fields they show).
RESULT_FIELDS = ("order", "name", "code", "risk", "inspectors")
# The public checks a record in the verifier page posted with the publicity (export-verify-kit);
# the command is for those who have the program.
VERIFY_COMMAND = "verify-draw"
VERIFY_HINT = "任何人可复核：用浏览器打开公示的“验证页面.html”，拖入记录文件（或运行 verify-draw 记录.json）"
DOCX_FILTER = "Word 文档 (*.docx)"
JSON_FILTER = "抽取记录 (*.json)"


def group_hex(digest: str, size: int = 8) -> str:
    """A hash in blocks of eight, so a witness can compare it aloud block by block."""
    return " ".join(digest[i:i + size] for i in range(0, len(digest), size))


def short_hex(digest: str) -> str:
    return group_hex(digest[:16])


def mono_font(point_size: float | None = None) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def inspectors_text(entry: dict, sep: str = "；") -> str:
    """"民警5、民警0（治安大队）；市监1（市场监督管理局）" — names grouped by unit, in slot order."""
    groups: list[tuple[str, list[str]]] = []
    for p in entry.get("inspectors", []):
        if groups and groups[-1][0] == p["unit"]:
            groups[-1][1].append(p["name"])
        else:
            groups.append((p["unit"], [p["name"]]))
    return sep.join(f"{'、'.join(names)}（{unit}）" for unit, names in groups)


def inspector_names(entry: dict) -> str:
    return "、".join(p["name"] for p in entry.get("inspectors", []))


def result_rows(record: dict, units: bool = True, events: dict[int, str] | None = None) -> list[ResultRow]:
    """One ResultRow (序号, 单位名称, 信用代码, 风险等级, 检查人员, 分层, object id) per pick, in pick order.

    ``events`` (models.event_draw.record_event_names) names a per-event pick as its organiser with the event."""
    people = inspectors_text if units else inspector_names
    risk = {c["id"]: c["risk"] for c in record.get("candidates", [])}
    by_order = {a["order"]: a for a in record.get("assignments", [])}
    events = events or {}
    return [ResultRow(p["order"] + 1, events.get(p["order"], p["name"]), p["code"], risk.get(p["id"], ""),
                      people(by_order.get(p["order"], {})), p["stratum"], p["id"])
            for p in record.get("picks", [])]


def counts_text(record: dict) -> str:
    """"可抽 41 户，抽取 3 户" — per stratum when the draw was stratified."""
    sizes = record.get("rule", {}).get("sizes", {})
    eligible = len(record.get("candidates", []))
    total = sum(sizes.values())
    text = f"可抽 {eligible} 户，抽取 {total} 户"
    if record.get("rule", {}).get("stratify"):
        per = {}
        for c in record.get("candidates", []):
            per[c["risk"]] = per.get(c["risk"], 0) + 1
        text += "（" + "；".join(f"{k} {per.get(k, 0)} 抽 {v}" for k, v in sizes.items()) + "）"
    return text


def item_title(record: dict) -> str:
    item = record.get("item", {})
    meta = record.get("meta", {})
    year = f"{meta['year']}年度 " if meta.get("year") else ""
    return f"{year}{item.get('number', '')}. {item.get('name', '')}（第 {record.get('round', 1)} 轮）"


def witnesses_text(record: dict) -> str:
    return "、".join(record.get("meta", {}).get("witnesses", []))


def entropy_lines(record: dict) -> list[str]:
    return list(record.get("entropy", {}).get("typed", []))


def verify_saved(session, record_id: int) -> VerifyResult:
    """复核 a stored record: its stored hash, then a full recomputation from the record alone."""
    row = session.get(DrawRecord, record_id)
    if row is None:
        return VerifyResult(False, f"没有编号为 {record_id} 的抽取记录")
    try:
        record = json.loads(row.record_json)
    except ValueError as e:
        return VerifyResult(False, f"抽取记录 {record_id} 的内容已损坏，无法读取（{e}）")
    return verify_record(record, expected_hash=row.record_hash)


def read_record(session, record_id: int) -> dict:
    return load_record(session, record_id)


def ask_save_path(parent: QWidget | None, title: str, suggested: str, file_filter: str, suffix: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), file_filter)
    if not path:
        return None
    p = Path(path)
    return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)


def error_text(exc: BaseException) -> str:
    """The clerk-facing text of a failure (kept for the draw screens; see ui.widgets.error_message)."""
    from ui.widgets import error_message

    return error_message(exc)
