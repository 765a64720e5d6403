"""Import columns of the rosters: the header names (the app's own and common synonyms) and header matching."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str             # attribute of ObjectData / InspectorData, or of a 回避 row
    names: tuple[str, ...]  # names[0] is the app's own header (templates and exports)
    required: bool = False

    @property
    def title(self) -> str:
        return self.names[0]


OBJECT_COLUMNS = (
    Column("name", ("单位名称", "企业名称", "名称", "检查对象名称", "姓名"), required=True),
    # The identifier: a 统一社会信用代码, or the number of the document 证件类型 names (issue 19 item 6).
    Column("credit_code", ("统一社会信用代码", "社会信用代码", "信用代码", "证件号码", "证件号", "身份证号码",
                           "身份证号"), required=True),
    Column("type_name", ("对象类型", "行业类别", "行业", "检查对象类型"), required=True),
    Column("address", ("地址", "经营地址", "住所")),
    Column("jurisdiction", ("辖区", "所属派出所", "管辖单位")),
    Column("legal_rep", ("法定代表人", "负责人", "法人")),
    Column("phone", ("联系电话", "电话")),
    Column("licence_no", ("许可证号", "许可证编号")),
    Column("risk_level", ("风险等级", "风险分类")),
    Column("status", ("经营状态", "状态")),
    # Optional: a sheet without 证件类型 holds units only, exactly as before.
    Column("id_kind", ("证件类型", "证照类型")),
    Column("id_country", ("国籍/签发国", "国籍", "签发国", "国家或地区")),
    Column("no_id_reason", ("无证件原因",)),
    # Optional, and not in the blank template: the export writes it, so a deactivated
    # object stays deactivated after export → re-import. "状态" here means 经营状态.
    Column("active", ("是否启用", "启用状态", "启用")),
)

INSPECTOR_COLUMNS = (
    Column("name", ("姓名",), required=True),
    Column("badge_no", ("警号", "工号", "编号"), required=True),
    Column("unit", ("所在单位", "单位", "部门"), required=True),
    Column("cert_no", ("执法证号", "执法证件号")),
    Column("active", ("是否启用", "启用状态", "启用", "状态")),  # optional, as for objects
)

RECUSAL_COLUMNS = (
    Column("badge_no", ("警号", "工号", "编号"), required=True),
    Column("credit_code", ("统一社会信用代码", "社会信用代码", "信用代码", "证件号码", "证件号", "身份证号码",
                           "身份证号"), required=True),
    # Optional, as in the objects sheet: a person is named by 证件类型 (and 国籍/签发国) beside the number.
    Column("id_kind", ("证件类型", "证照类型")),
    Column("id_country", ("国籍/签发国", "国籍", "签发国", "国家或地区")),
    Column("reason", ("回避原因", "原因"), required=True),
)

COLUMNS_BY_KIND = {"objects": OBJECT_COLUMNS, "inspectors": INSPECTOR_COLUMNS, "recusals": RECUSAL_COLUMNS}

# Marks a template or a clerk may add to a header: "单位名称*", "单位名称（必填）", "联系电话 (手机)".
_DECORATION = re.compile(r"[\s*＊:：]|[（(][^)）]*[)）]")


def normalise_header(text: str) -> str:
    return _DECORATION.sub("", unicodedata.normalize("NFKC", text or ""))


def _lookup(kind: str) -> dict[str, Column]:
    table: dict[str, Column] = {}
    for col in COLUMNS_BY_KIND[kind]:
        for n in col.names:
            table[normalise_header(n)] = col
    return table


_LOOKUPS = {kind: _lookup(kind) for kind in COLUMNS_BY_KIND}


@dataclass(frozen=True)
class HeaderProblem:
    column: str    # the header as written in the file, or the missing column's own name
    message: str


def match_headers(header_row: list[str], kind: str = "objects") -> tuple[dict[str, int], list[HeaderProblem]]:
    """Map each known field to its 0-based column index; report missing and duplicate columns.

    Unknown columns are ignored (a clerk's sheet often has 序号 or 备注).
    """
    lookup = _LOOKUPS[kind]
    mapping: dict[str, int] = {}
    seen_header: dict[str, str] = {}
    problems: list[HeaderProblem] = []
    for idx, raw in enumerate(header_row):
        col = lookup.get(normalise_header(raw))
        if col is None:
            continue
        if col.field in mapping:
            problems.append(HeaderProblem(
                raw.strip(), f"与“{seen_header[col.field]}”列重复（都表示“{col.title}”），请只保留一列"))
            continue
        mapping[col.field] = idx
        seen_header[col.field] = raw.strip()
    for col in COLUMNS_BY_KIND[kind]:
        if col.required and col.field not in mapping:
            others = "、".join(col.names[1:])
            hint = f"（也可写作：{others}）" if others else ""
            problems.append(HeaderProblem(col.title, f"缺少必填列“{col.title}”{hint}"))
    return mapping, problems


def find_header_row(rows: list[list[str]], kind: str, scan: int = 10) -> int:
    """The 0-based index of the header row: the first of the first *scan* non-empty rows that
    holds every required column (a title row above the table is common), else the first non-empty row."""
    first_nonempty = None
    looked = 0
    for i, row in enumerate(rows):
        if not any(c.strip() for c in row):
            continue
        if first_nonempty is None:
            first_nonempty = i
        mapping, problems = match_headers(row, kind)
        if not any(p.message.startswith("缺少") for p in problems):
            return i
        looked += 1
        if looked >= scan:
            break
    return first_nonempty if first_nonempty is not None else 0


# The values the optional 是否启用 column takes (Excel's TRUE/FALSE cells read as 是/否).
ACTIVE_VALUES = {"是": True, "启用": True, "在用": True, "在岗": True, "在职": True,
                 "否": False, "停用": False, "已停用": False, "离职": False, "调离": False, "退休": False}


def template_titles(kind: str) -> list[str]:
    """The headers of the blank import template: every column but the optional 是否启用."""
    return [c.title for c in COLUMNS_BY_KIND[kind] if c.field != "active"]

