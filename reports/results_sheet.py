"""The result sheet a team takes out and fills in (检查结果填报表): one row per object of a draw, the fixed columns
shaded and locked, the columns to fill with drop-downs, a 说明 sheet, and a hidden sheet the import checks against.

Hazards go in ONE column, one per line, each line "隐患内容::依据条款". Two parallel columns (内容 / 条款, line n
of one belonging to line n of the other) fail silently when a team leaves out one clause in the middle: every
later clause then lands on the wrong hazard. A line that carries its own clause cannot be misaligned, and a
forgotten "::" only leaves that one line without a clause, which the preview shows.
"""
from __future__ import annotations

from datetime import date

from models.inspection import CHECK_VERDICTS, RESULT_CATEGORIES
from models.results_task import ROUND_SOURCE, TASK_ROUND, ResultsTask, TaskRow
from models.workdays import format_cn_date
from reports.xlsx_stream import check_target, text_width

__all__ = ["SHEET", "NOTES_SHEET", "META_SHEET", "OPTIONS_SHEET", "FORMAT", "HEADER_ROW", "FIXED_COLUMNS",
           "COL_SEQ", "COL_DRAW", "COL_NAME", "COL_CODE", "COL_ADDRESS", "COL_DRAWN", "COL_FROM", "COL_TO",
           "COL_OFFICERS", "COL_REASON", "COL_RESULT", "COL_HAZARDS", "COL_NOTE", "HAZARD_SEPARATOR",
           "entry_title", "export_draw_sheet", "fixed_values", "hazard_lines", "write_results_sheet",
           "COL_JURISDICTION", "COL_STATE", "ROUND_FIXED_COLUMNS", "fixed_columns", "fill_columns",
           "export_round_sheet"]

SHEET = "结果填报"
NOTES_SHEET = "说明"
OPTIONS_SHEET = "选项"
META_SHEET = "导出信息"
FORMAT = "SSJ-RESULTS-1"
HEADER_ROW = 4                    # title, hint, checklist legend, then the header

COL_SEQ = "序号"
COL_DRAW = "抽取记录/公告"
COL_NAME = "单位名称"
COL_CODE = "统一社会信用代码"
COL_ADDRESS = "地址"
COL_DRAWN = "抽取的检查人员（警号、执法证号）"
FIXED_COLUMNS = (COL_SEQ, COL_DRAW, COL_NAME, COL_CODE, COL_ADDRESS, COL_DRAWN)
COL_FROM = "检查开始日期"
COL_TO = "检查结束日期"
COL_OFFICERS = "检查人员（警号，以、分隔）"
COL_REASON = "人员变更原因"
COL_RESULT = "检查结果"
COL_HAZARDS = "发现的隐患（每行一项：隐患内容::依据条款）"
COL_NOTE = "备注"
HAZARD_SEPARATOR = "::"
# A round's sheet (TASK_ROUND): the 辖区 and the object's state when exported instead of the draw and its
# officers; nobody was drawn, so no 人员变更原因 and the officers column is required.
COL_JURISDICTION = "辖区"
COL_STATE = "本期情况"
ROUND_FIXED_COLUMNS = (COL_SEQ, COL_JURISDICTION, COL_NAME, COL_CODE, COL_ADDRESS, COL_STATE)


def fixed_columns(kind: str) -> tuple[str, ...]:
    return ROUND_FIXED_COLUMNS if kind == TASK_ROUND else FIXED_COLUMNS


def fill_columns(kind: str, entry_titles: list[str]) -> list[str]:
    """The columns the team fills, in order (a round has no 人员变更原因)."""
    if kind == TASK_ROUND:
        return [COL_FROM, COL_TO, COL_OFFICERS, COL_RESULT, *entry_titles, COL_HAZARDS, COL_NOTE]
    return [COL_FROM, COL_TO, COL_OFFICERS, COL_REASON, COL_RESULT, *entry_titles, COL_HAZARDS, COL_NOTE]

# Narrow enough that a sheet with three checklist entries prints at about 80 % on landscape A4 (8 pt text).
WIDTHS = {COL_SEQ: 4, COL_DRAW: 9, COL_JURISDICTION: 10, COL_STATE: 7, COL_NAME: 16, COL_CODE: 19, COL_ADDRESS: 14,
          COL_DRAWN: 15, COL_FROM: 10,
          COL_TO: 10, COL_OFFICERS: 11, COL_REASON: 8, COL_RESULT: 12, COL_HAZARDS: 22, COL_NOTE: 8}
ENTRY_WIDTH = 7
LINE_POINTS = 13.5                # one line of 10 pt text
MIN_ROW_POINTS = 30               # room to write by hand on the printed sheet
FIXED_FILL = "D9D9D9"             # shaded: exported, not to be changed
FIXED_HEADER_FILL = "BFBFBF"
FILL_HEADER_FILL = "DDEBF7"
FONT_SIZE = 10


def entry_title(seq: int) -> str:
    """The header of a checklist verdict column; the entry's text is in the legend row above and in 说明."""
    return f"检查内容{seq}"


def fixed_values(row: TaskRow, kind: str = "") -> tuple[str, ...]:
    """The texts of a row's fixed columns, as exported (and as the import expects them back)."""
    if kind == TASK_ROUND:
        return (str(row.seq), row.jurisdiction, row.object_name, row.credit_code, row.address, row.state)
    return (str(row.seq), row.draw_label, row.object_name, row.credit_code, row.address,
            "\n".join(o.label() for o in row.officers))


def hazard_lines(hazards) -> str:
    return "\n".join(f"{h.text}{HAZARD_SEPARATOR}{h.clause}" if h.clause else h.text for h in hazards)


def _fill_values(task: ResultsTask, row: TaskRow) -> list:
    """A stored inspection as the sheet shows it, so a re-exported sheet re-imports as 无变化."""
    data = row.existing
    if data is None:
        return [None] * len(fill_columns(task.kind, [entry_title(e.seq) for e in task.checklist]))
    verdicts = {c.entry_id: c.verdict for c in data.checks}
    return [data.date_from, data.date_to, "、".join(task.badges.get(i, "") for i in data.inspector_ids),
            data.change_reason or None, data.result_category,
            *[verdicts.get(e.entry_id) for e in task.checklist], hazard_lines(data.hazards) or None,
            data.note or None]


def lines_needed(value, width: float) -> int:
    """How many lines ``value`` wraps to in a column ``width`` wide (10 pt text in 11 pt units)."""
    if value is None or value == "":
        return 1
    text = value.isoformat() if isinstance(value, date) else str(value)
    # 0.85: LibreOffice's CJK glyphs are wider than Excel's column unit suggests.
    usable = max(width - 1, 1) / (FONT_SIZE / 11) * 0.85
    return sum(max(1, -(-text_width(line) // int(usable))) for line in text.split("\n"))


def headers_of(task: ResultsTask) -> list[str]:
    return [*fixed_columns(task.kind), *fill_columns(task.kind, [entry_title(e.seq) for e in task.checklist])]


def _round_hint(task: ResultsTask) -> str:
    day = f"；“{COL_FROM}”留空即为{format_cn_date(task.day)}" if task.day else ""
    return (f"巡查任务 {task.duty.id}：{task.duty.label}，责任单位 {task.duty.unit_label}，本期 {task.period}"
            f"（{format_cn_date(task.start)}至{format_cn_date(task.end)}）。检查来源：{ROUND_SOURCE}。"
            f"“{COL_OFFICERS}”必填（不少于两人）{day}。")


def write_results_sheet(task: ResultsTask, path) -> int:
    """Write the team's result sheet for ``task`` to ``path`` (atomically); returns the number of object rows."""
    # openpyxl only here: the streamed writer has no data validation or sheet protection.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from reports.xlsx_write import atomic_save, print_a4_landscape, set_safe

    check_target(path)
    headers = headers_of(task)
    col = {h: i for i, h in enumerate(headers, start=1)}
    letter = {h: get_column_letter(i) for h, i in col.items()}
    last = get_column_letter(len(headers))
    first_row, last_row = HEADER_ROW + 1, HEADER_ROW + max(len(task.rows), 1)

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    font = Font(size=FONT_SIZE)
    bold = Font(size=FONT_SIZE, bold=True)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    fixed_fill = PatternFill("solid", fgColor=FIXED_FILL)

    set_safe(ws, 1, 1, task.title)
    ws.cell(1, 1).font = Font(size=14, bold=True)
    set_safe(ws, 2, 1, "灰色列为导出时填好的内容，请勿修改；白色列由检查组填写，下拉选择检查结果和检查结论。"
                       "填写方法见“说明”工作表。整行不填的对象导入时跳过。")
    set_safe(ws, 3, 1, _round_hint(task) if task.kind == TASK_ROUND else
             "检查内容：" + "　".join(f"{e.seq}. {e.text}" for e in task.checklist)
             if task.checklist else "本抽查事项没有检查内容清单。")
    for r in (1, 2, 3):
        ws.merge_cells(f"A{r}:{last}{r}")
        if r > 1:
            ws.cell(r, 1).font = font
            ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 24
    total = sum(WIDTHS.get(h, ENTRY_WIDTH) for h in headers)
    ws.row_dimensions[2].height = lines_needed(ws.cell(2, 1).value, total) * LINE_POINTS + 2
    ws.row_dimensions[3].height = lines_needed(ws.cell(3, 1).value, total) * LINE_POINTS + 2
    for h, c in col.items():
        set_safe(ws, HEADER_ROW, c, h)
        cell = ws.cell(HEADER_ROW, c)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        cell.fill = PatternFill("solid", fgColor=FIXED_HEADER_FILL if h in fixed_columns(task.kind)
                                else FILL_HEADER_FILL)
        ws.column_dimensions[letter[h]].width = WIDTHS.get(h, ENTRY_WIDTH)
    ws.row_dimensions[HEADER_ROW].height = 42

    for r, row in enumerate(task.rows, start=first_row):
        values = [*fixed_values(row, task.kind), *_fill_values(task, row)]
        # LibreOffice and WPS do not grow a row for wrapped text written by a program: give each its height.
        lines = max(lines_needed(v, WIDTHS.get(h, ENTRY_WIDTH)) for h, v in zip(headers, values))
        ws.row_dimensions[r].height = max(MIN_ROW_POINTS, lines * LINE_POINTS + 3)
        for c, value in enumerate(values, start=1):
            set_safe(ws, r, c, int(value) if c == 1 else value)
            cell = ws.cell(r, c)
            cell.font, cell.border, cell.alignment = font, border, wrap_top
            if c <= len(fixed_columns(task.kind)):
                cell.fill = fixed_fill
            else:
                cell.protection = Protection(locked=False)
                cell.number_format = "yyyy-mm-dd" if headers[c - 1] in (COL_FROM, COL_TO) else "@"
    ws.freeze_panes = ws.cell(first_row, col[COL_ADDRESS])

    options = _options_sheet(wb)
    _list(ws, options["检查结果"], f"{letter[COL_RESULT]}{first_row}:{letter[COL_RESULT]}{last_row}",
          f"检查结果应为下拉列表中的一项：{'、'.join(RESULT_CATEGORIES)}")
    if task.checklist:
        first, end = letter[entry_title(task.checklist[0].seq)], letter[entry_title(task.checklist[-1].seq)]
        _list(ws, options["检查结论"], f"{first}{first_row}:{end}{last_row}",
              f"检查结论应为：{'、'.join(CHECK_VERDICTS)}")
    dates = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)",
                           allow_blank=True, showErrorMessage=True, errorTitle="日期有误",
                           error="请填写日期，例如 2024-05-06")
    dates.add(f"{letter[COL_FROM]}{first_row}:{letter[COL_TO]}{last_row}")
    ws.add_data_validation(dates)

    # Locked without a password: the shaded columns resist a slip of the keyboard, and a team that must
    # change the layout can still lift it (the import checks every fixed cell anyway).
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    print_a4_landscape(ws)
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    _notes_sheet(wb, task)
    wb.move_sheet(OPTIONS_SHEET, offset=len(wb.sheetnames))
    _meta_sheet(wb, task)
    atomic_save(wb, path)
    return len(task.rows)


def _options_sheet(wb) -> dict[str, str]:
    ws = wb.create_sheet(OPTIONS_SHEET)
    refs = {}
    for c, (title, values) in enumerate((("检查结果", RESULT_CATEGORIES), ("检查结论", CHECK_VERDICTS)), start=1):
        letter = "AB"[c - 1]
        ws.cell(1, c, title)
        for r, v in enumerate(values, start=2):
            ws.cell(r, c, v)
        refs[title] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return refs


def _list(ws, ref: str, cells: str, error: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=True,
                        errorTitle="输入有误", error=error)
    dv.add(cells)
    ws.add_data_validation(dv)


NOTES = [
    (COL_FROM, "必填", "检查当天的日期，写成 2024-05-06；不得早于抽取日期，不得晚于今天"),
    (COL_TO, "", "多日检查时填写最后一天；留空表示与开始日期相同"),
    (COL_OFFICERS, "", "实际参加检查的人员的警号，以“、”分隔，例如 371323001、371323002；不得少于两人。"
                       "留空表示由抽取的检查人员检查"),
    (COL_REASON, "", "实际检查人员与抽取的检查人员不一致时必填，写明更换的原因"),
    (COL_RESULT, "必填", "从下拉列表选择；发现隐患时应为“发现问题已责令改正”或“发现问题待后续处理”"),
    ("检查内容1、2……", "必填", "每一项检查内容都从下拉列表选择：" + "、".join(CHECK_VERDICTS) + "；各项内容见表格上方"),
    (COL_HAZARDS, "", "每行写一项隐患（单元格内换行：Alt+Enter），格式为“隐患内容::依据条款”，条款可省略，例如："
                      "消防通道堆放杂物::《中华人民共和国消防法》第二十八条"),
    (COL_NOTE, "", "其他需要说明的情况"),
]
ROUND_NOTES = [
    (COL_FROM, "必填", "检查当天的日期，写成 2024-05-06；应在本期巡查期间内，不得晚于今天"),
    NOTES[1],
    (COL_OFFICERS, "必填", "实际参加检查的人员的警号，以“、”分隔，例如 371323001、371323002；不得少于两人。"
                         "日常巡查没有抽取的检查人员，此列不能留空"),
    NOTES[4],
    *NOTES[6:],
]


def _notes_sheet(wb, task: ResultsTask) -> None:
    from openpyxl.styles import Alignment, Font

    from reports.xlsx_write import print_a4_landscape, set_safe, write_header

    ws = wb.create_sheet(NOTES_SHEET)
    write_header(ws, ["列名", "是否必填", "填写说明"], [30, 10, 90])
    ws.auto_filter.ref = None
    round_ = task.kind == TASK_ROUND
    notes = ROUND_NOTES if round_ else NOTES
    if round_ and task.day:
        notes = [(COL_FROM, "", f"检查当天的日期，写成 2024-05-06；留空即为{format_cn_date(task.day)}，"
                                "应在本期巡查期间内"), *notes[1:]]
    grey = "、".join(c for c in fixed_columns(task.kind))
    lines = [*notes, ("", "", ""),
             ("填写范围", "", f"只填写白色列；灰色列（{grey}）"
                            "是导出时的内容，改动后整个文件不能导入。不要增加、删除或调换列。"),
             ("未检查的对象", "", "尚未检查的对象整行留空即可，导入时跳过，以后可再导出、填写、导入。"),
             ("导入", "", "在“检查与整改 → 检查记录”中点“导入结果填报表…”，或命令行 import-results 文件.xlsx。"
                        "任何一行有误时整个文件都不导入，并列出每一处问题（工作表、行、列）。"
                        "已录入检查结果的对象，只有选择“按表更新”（命令行 --update）时才会修改。"
                        + ("每一行记为一次日常巡查，计入上方的巡查任务。" if round_ else "")),
             *([("", "", ""), ("检查内容", "", "")] if not round_ else [("巡查任务", "", _round_hint(task))])]
    lines += [(entry_title(e.seq), "", e.text) for e in task.checklist]
    widths = (30, 10, 90)
    for r, values in enumerate(lines, start=2):
        for c, v in enumerate(values, start=1):
            set_safe(ws, r, c, v)
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(r, c).font = Font(size=FONT_SIZE)
        ws.row_dimensions[r].height = max(lines_needed(v, w) for v, w in zip(values, widths)) * LINE_POINTS + 2
    print_a4_landscape(ws)


def _meta_sheet(wb, task: ResultsTask) -> None:
    """What the import checks the filled sheet against: the task, the checklist columns and each row's fixed texts."""
    from reports.xlsx_write import set_safe

    ws = wb.create_sheet(META_SHEET)
    rows: list[list] = [["格式", FORMAT], ["任务", task.kind, task.task_id], ["抽查事项", task.item_id],
                        ["导出日期", date.today().isoformat()]]
    if task.kind == TASK_ROUND:
        rows.append(["巡查", task.jurisdiction or "", task.start.isoformat(), task.day.isoformat() if task.day else ""])
    rows += [["检查内容", e.entry_id, e.seq, entry_title(e.seq)] for e in task.checklist]
    # A draw's row names its pick, a round's its object.
    rows += [["对象", row.object_id if task.kind == TASK_ROUND else row.pick_id, *fixed_values(row, task.kind)]
             for row in task.rows]
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            set_safe(ws, r, c, v)
    ws.sheet_state = "veryHidden"


def export_draw_sheet(db, draw_id: int, path) -> tuple[int, str]:
    """The result sheet of draw record ``draw_id`` written to ``path``; returns (object rows, the sheet's title)."""
    from models.results_task import draw_task

    check_target(path)
    with db.session() as s:
        task = draw_task(s, draw_id)
    return write_results_sheet(task, path), task.title


def export_round_sheet(db, duty_id: int, path, *, jurisdiction: str | None = None, year: int | None = None,
                       month: int | None = None, day: date | None = None) -> tuple[int, str]:
    """The round sheet of duty ``duty_id`` (its objects still due in the period, one 辖区 or all) written to
    ``path``; returns (object rows, the sheet's title)."""
    from models.results_task import round_task

    check_target(path)
    with db.session() as s:
        task = round_task(s, duty_id, jurisdiction=jurisdiction, year=year, month=month, day=day)
    return write_results_sheet(task, path), task.title
