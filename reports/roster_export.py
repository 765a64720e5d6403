"""Exporting the rosters to .xlsx, and the blank import templates with dropdowns and instructions."""
from __future__ import annotations

from typing import TYPE_CHECKING

from models.roster import DEFAULT_OBJECT_TYPES, ID_KIND_CREDIT, ID_KINDS, RISK_LEVELS, STATUSES
from models.roster_bulk import Checkpoints
from models.roster_service import (InspectorFilter, ObjectFilter, list_inspectors, list_objects, list_recusals,
                                   no_id_reasons, person_kinds)
from reports.roster_columns import INSPECTOR_COLUMNS, OBJECT_COLUMNS, RECUSAL_COLUMNS, template_titles
from reports.xlsx_stream import HEADER, StreamWorkbook, check_target, column_letter, column_widths, save_streamed

if TYPE_CHECKING:
    from openpyxl import Workbook

# The last column, 是否启用, is read back by the import (a deactivated record stays deactivated).
OBJECT_HEADERS = [c.title for c in OBJECT_COLUMNS]
INSPECTOR_HEADERS = [c.title for c in INSPECTOR_COLUMNS]
# 证件类型 and 国籍/签发国 name a person's number (issue 19 item 6), so a re-import finds the same object.
RECUSAL_HEADERS = ["警号", "姓名", "统一社会信用代码", "单位名称", "回避原因", "证件类型", "国籍/签发国"]
TEMPLATE_ROWS = 5000  # rows that carry the dropdowns in a blank template

OBJECT_NOTES = {
    "单位名称": ("必填", "也可写作 企业名称、名称、检查对象名称", "沂源县鑫源宾馆"),
    "统一社会信用代码": ("必填", "18位，按 GB 32100-2015 校验；同一代码再次导入即为更新", "91350100M000100Y43"),
    "对象类型": ("必填", "可从下拉列表选择；新的类型导入时自动增加", "旅馆"),
    "地址": ("", "经营地址或住所", "沂源县城关街道振兴路18号"),
    "辖区": ("", "所属派出所", "城关派出所"),
    "法定代表人": ("", "也可写作 负责人、法人", "张伟"),
    "联系电话": ("", "", "13805331234"),
    "许可证号": ("", "特种行业许可证等", "鲁公特旅字第370323001号"),
    "风险等级": ("", f"{'、'.join(RISK_LEVELS)}；留空：新增为低风险，已有对象保持原值", "低风险"),
    "经营状态": ("", f"{'、'.join(STATUSES)}；留空：新增为在营，已有对象保持原值", "在营"),
    "证件类型": ("", f"{'、'.join(ID_KINDS)}；留空即为统一社会信用代码（单位）。个人、个体户可填身份证、护照等，"
                     "此时“统一社会信用代码”列填证件号码（也可将该列写作“证件号码”），“单位名称”列填姓名",
             "统一社会信用代码"),
    "国籍/签发国": ("", "证件类型为护照、其他证件时必填", ""),
    "无证件原因": ("", "证件类型为“无”时必填（如 流动摊贩，未办理营业执照），证件号码留空", ""),
}
INSPECTOR_NOTES = {
    "姓名": ("必填", "", "李强"),
    "警号": ("必填", "公安民警填警号，其他部门人员填工号；同一警号再次导入即为更新", "371323001"),
    "所在单位": ("必填", "如 治安大队、城关派出所、市场监督管理局", "治安大队"),
    "执法证号": ("", "执法证件号", "鲁公执字370323001"),
}
RECUSAL_NOTES = {
    "警号": ("必填", "须在本文件或名录库中", "371323001"),
    "统一社会信用代码": ("必填", "须在名录库中；个人填证件号码（也可将该列写作“证件号码”）", "91350100M000100Y43"),
    "证件类型": ("", f"{'、'.join(k for k in ID_KINDS if k != '无')}；留空即为统一社会信用代码（单位）", ""),
    "国籍/签发国": ("", "证件类型为护照、其他证件时必填", ""),
    "回避原因": ("必填", "如 亲属关系、曾在该单位任职、存在经济往来", "亲属关系"),
}


def _data_sheet(book: StreamWorkbook, name: str, headers: list[str], sample, rows: int):
    """A sheet with a frozen, bold header, sized columns and an auto-filter over its *rows* data rows."""
    ws = book.add_sheet(name, widths=column_widths(headers, sample), freeze_rows=1)
    ws.set_auto_filter(f"A1:{column_letter(max(len(headers), 1))}{rows + 1}")
    ws.append(headers, HEADER)
    return ws


def export_objects(db, path, flt: ObjectFilter | None = None, progress=None, cancelled=None) -> int:
    """Write the objects matching *flt* (default: all, including deactivated ones); returns rows written."""
    check_target(path)
    flt = flt if flt is not None else ObjectFilter(include_inactive=True)
    with db.session() as s:
        rows = list_objects(s, flt)
        reasons = no_id_reasons(s)

    def build(book: StreamWorkbook) -> None:
        ws = _data_sheet(book, "检查对象", OBJECT_HEADERS, [(*r[1:11], r[12], r[13]) for r in rows[:200]], len(rows))
        checks = Checkpoints(len(rows), progress, cancelled)
        append = ws.append
        get = reasons.get
        for n, r in enumerate(rows, start=1):
            # 证件类型, 国籍/签发国 and 无证件原因 before 是否启用: re-importing the file changes nothing
            append((*r[1:11], r[12], r[13], get(r[0], ""), "是" if r[11] else "否"))
            checks.at(n)

    save_streamed(path, build)
    return len(rows)


def export_inspectors(db, path, progress=None, cancelled=None) -> int:
    """Write every inspector (and a 回避 sheet with all pairs); returns inspector rows written."""
    check_target(path)
    with db.session() as s:
        people = list_inspectors(s, InspectorFilter(include_inactive=True))
        pairs = list_recusals(s)
        kinds = person_kinds(s)
    values = [(r[3], r[2], r[7], r[6], r[8], *kinds.get(r[5], (ID_KIND_CREDIT, ""))) for r in pairs]

    def build(book: StreamWorkbook) -> None:
        ws = _data_sheet(book, "执法检查人员", INSPECTOR_HEADERS, [p[1:5] for p in people[:200]], len(people))
        checks = Checkpoints(len(people) + len(pairs), progress, cancelled)
        for n, p in enumerate(people, start=1):
            ws.append((*p[1:5], "是" if p[5] else "否"))
            checks.at(n)
        rs = _data_sheet(book, "回避", RECUSAL_HEADERS, values[:200], len(values))
        for n, v in enumerate(values, start=len(people) + 1):
            rs.append(v)
            checks.at(n)

    save_streamed(path, build)
    return len(people)


# ---------------------------------------------------------------- templates

def write_objects_template(path, type_names: list[str] | None = None) -> None:
    """A blank objects workbook: frozen header, dropdowns for type, risk and status, a 说明 sheet."""
    # openpyxl (slow to import) only when a template is asked for: the templates need its data validations.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from reports.xlsx_write import atomic_save, write_header

    wb = Workbook()
    ws = wb.active
    ws.title = "检查对象"
    headers = template_titles("objects")
    write_header(ws, headers, column_widths(headers, [[n[2] for n in OBJECT_NOTES.values()]]))
    options = _options_sheet(wb, {"对象类型": list(type_names or DEFAULT_OBJECT_TYPES),
                                  "风险等级": list(RISK_LEVELS), "经营状态": list(STATUSES),
                                  "证件类型": list(ID_KINDS)})
    col = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
    # New types are welcome (the importer creates them), so the type list only suggests.
    _dropdown(ws, col["对象类型"], options["对象类型"], strict=False)
    _dropdown(ws, col["风险等级"], options["风险等级"], strict=True, error=f"风险等级应为：{'、'.join(RISK_LEVELS)}")
    _dropdown(ws, col["经营状态"], options["经营状态"], strict=True, error=f"经营状态应为：{'、'.join(STATUSES)}")
    _dropdown(ws, col["证件类型"], options["证件类型"], strict=True, error=f"证件类型应为：{'、'.join(ID_KINDS)}")
    _notes_sheet(wb, [("检查对象", OBJECT_NOTES)])
    wb.move_sheet("选项", offset=len(wb.sheetnames))
    atomic_save(wb, path)


def write_inspectors_template(path) -> None:
    """A blank inspectors workbook with a 回避 sheet and a 说明 sheet."""
    from openpyxl import Workbook

    from reports.xlsx_write import atomic_save, write_header

    wb = Workbook()
    ws = wb.active
    ws.title = "执法检查人员"
    headers = template_titles("inspectors")
    write_header(ws, headers, column_widths(headers, [[n[2] for n in INSPECTOR_NOTES.values()]]))
    rs = wb.create_sheet("回避")
    rec_headers = [c.title for c in RECUSAL_COLUMNS]
    write_header(rs, rec_headers, column_widths(rec_headers, [[n[2] for n in RECUSAL_NOTES.values()]]))
    _notes_sheet(wb, [("执法检查人员", INSPECTOR_NOTES), ("回避", RECUSAL_NOTES)])
    atomic_save(wb, path)


def _options_sheet(wb: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet holding the dropdown lists (an inline list may not exceed 255 characters)."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("选项")
    refs = {}
    for c, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(c)
        ws.cell(row=1, column=c, value=title)
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=c, value=v)
        refs[title] = f"'选项'!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return refs


def _dropdown(ws, letter: str, ref: str, *, strict: bool, error: str = "") -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=strict)
    if strict:
        dv.errorTitle = "输入有误"
        dv.error = error
    dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    ws.add_data_validation(dv)


def _notes_sheet(wb: Workbook, sections: list[tuple[str, dict]]) -> None:
    from reports.xlsx_write import safe_row, write_header

    ws = wb.create_sheet("说明")
    headers = ["工作表", "列名", "是否必填", "说明", "示例"]
    body = [(sheet, col, *note) for sheet, notes in sections for col, note in notes.items()]
    write_header(ws, headers, column_widths(headers, body, maximum=60))
    for row in body:
        ws.append(safe_row(ws, row))
    ws.append([])
    ws.append(["注：列名也可使用常见的同义写法；文件中任何一行有误时，整个文件都不会导入，并列出每一处问题。"])
    ws.append(["注：可另加“是否启用”列（是 / 否）。名录库导出的文件带有此列，重新导入时照此启用或停用；"
               "不加此列或留空时，新增的记录为启用，已有记录保持原状。"])
