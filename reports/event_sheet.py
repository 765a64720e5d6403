"""The event register as a sheet: the import template (活动登记导入模板.xlsx), reading an imported sheet into rows,
and the list export. What the cells mean is checked by models.event_service, the same rules as the form."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from models.event_service import LABELS, EventLine, EventRow
from reports.xlsx_read import XlsxReadError, read_sheet

SHEET = "活动登记"
# Header text (blanks removed) -> field; the template's own titles first.
HEADERS = {
    "活动名称": "name", "名称": "name", "活动": "name",
    "举办单位": "organiser", "承办单位": "organiser", "主办单位": "organiser",
    "举办单位统一社会信用代码": "organiser", "举办单位（名称或统一社会信用代码）": "organiser",
    "地点": "place", "活动地点": "place", "举办地点": "place", "场所": "place",
    "开始日期": "date_from", "日期": "date_from", "活动日期": "date_from", "举办日期": "date_from",
    "结束日期": "date_to",
    "规模（人）": "scale", "规模": "scale", "人数": "scale", "预计人数": "scale",
    "审批文号": "approval_no", "许可文号": "approval_no", "许可证号": "approval_no", "批准文号": "approval_no",
    "备注": "note",
}
TEMPLATE_TITLES = ["活动名称", "举办单位（名称或统一社会信用代码）", "地点", "开始日期", "结束日期", "规模（人）",
                   "审批文号", "备注"]
NOTES = [
    ("活动名称", "必填", "2024年国庆焰火晚会"),
    ("举办单位（名称或统一社会信用代码）", "必填：须是检查对象名录中的单位；同名单位有多个时请填统一社会信用代码",
     "沂源县文化旅游发展有限公司"),
    ("地点", "可不填", "沂河公园广场"),
    ("开始日期", "必填，写成 YYYY-MM-DD", "2024-10-01"),
    ("结束日期", "可不填（一天的活动）；不得早于开始日期", "2024-10-01"),
    ("规模（人）", "预计人数，可不填", "8000"),
    ("审批文号", "大型群众性活动安全许可等文号，可不填", "沂公安许〔2024〕12号"),
    ("备注", "可不填", ""),
]


def _key(cell: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell or "").replace("(", "（").replace(")", "）"))


def _norm(title: str) -> str:
    return _key(title)


_LOOKUP = {_norm(k): v for k, v in HEADERS.items()}


def read_event_file(path: str | Path) -> list[EventLine]:
    """The rows under the header row (the first row naming 活动名称 and 举办单位), numbered as the sheet shows them.

    Raises ValueError (in Chinese) when the file cannot be read or has no such header."""
    path = Path(path)
    try:
        rows = read_sheet(path)
    except XlsxReadError as e:
        raise ValueError(str(e)) from None
    except (OSError, KeyError, ValueError) as e:
        raise ValueError(f"无法读取 {path.name}（{e}），请确认是 Excel (.xlsx) 文件") from None
    for n, cells in enumerate(rows[:10]):
        mapping = {i: _LOOKUP[_norm(c)] for i, c in enumerate(cells) if _norm(c) in _LOOKUP}
        if {"name", "organiser"} <= set(mapping.values()) and "date_from" in mapping.values():
            lines = []
            for number, row in enumerate(rows[n + 1:], start=n + 2):
                cells_of = {f: (row[i].strip() if i < len(row) else "") for i, f in mapping.items()}
                if any(cells_of.values()):
                    lines.append(EventLine(number, cells_of))
            return lines
    raise ValueError(f"{path.name} 中没有找到表头：须有“{LABELS['name']}”“{LABELS['organiser']}”"
                     f"“{LABELS['date_from']}”列（可先生成导入模板）")


def write_event_template(path: str | Path) -> Path:
    """A blank import workbook with the columns and a 说明 sheet."""
    from openpyxl import Workbook

    from reports.xlsx_write import atomic_save, write_header

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_header(ws, TEMPLATE_TITLES, [max(12, len(t) * 2 + 2) for t in TEMPLATE_TITLES])
    notes = wb.create_sheet("说明")
    notes.append(["列", "填写说明", "示例"])
    for line in NOTES:
        notes.append(list(line))
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 60
    notes.column_dimensions["C"].width = 30
    return atomic_save(wb, path)


def write_event_list(path: str | Path, events: list[EventRow]) -> Path:
    """The registered events as a sheet with the template's columns (so it can be edited and imported elsewhere)."""
    from openpyxl import Workbook

    from reports.xlsx_write import atomic_save, safe_row, write_header

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    titles = ["编号", *TEMPLATE_TITLES, "状态"]
    write_header(ws, titles, [8, 30, 34, 24, 12, 12, 10, 22, 20, 8])
    for e in events:
        ws.append(safe_row(ws, [e.id, e.name, e.organiser_code or e.organiser_name, e.place, e.date_from.isoformat(),
                                e.date_to.isoformat(), e.scale if e.scale is not None else "", e.approval_no, e.note,
                                "在用" if e.active else "已停用"]))
    return atomic_save(wb, path)
