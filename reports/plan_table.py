"""Read a bureau's annual plan table (TSV or spreadsheet) into plan rows, reporting what cannot be read."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime
from pathlib import Path

from models.checklist import split_checklist
from models.plan_rules import SamplingRule, parse_rule
from models.text import nonblank

# Header text (whitespace removed) -> our field name. Seen in the seeds and their siblings.
HEADER_SYNONYMS: dict[str, str] = {
    "抽查方式": "mode",
    "编号": "number", "序号": "number",
    "抽查领域": "field", "计划任务名称": "field",
    "抽查事项": "item",
    "抽查内容": "content", "检查内容": "content",
    "检查对象": "object_text", "抽查对象": "object_text",
    "事项类别": "category",
    "抽查比例和频次": "ratio_text", "抽查比例/户数": "ratio_text", "抽查比例": "ratio_text",
    "抽查比例、频次": "ratio_text",
    "发起部门": "initiator", "制定计划任务部门名称": "initiator",
    "配合部门": "partners",
    "检查主体": "subject",
    "检查时间": "time_text", "任务时间": "time_text",
    "责任单位": "responsible_unit",
    "检查方式": "methods",
    "制定依据": "basis", "依据": "basis",
    "实施层级": "level",
    "预估抽查对象数": "est_count_text",
    "预估抽查对象风险等级": "est_risk_text",
    "备注": "remark",
}
# The Chinese name of each field, for messages about a column the table lacks.
FIELD_LABELS: dict[str, str] = {
    "mode": "抽查方式", "number": "编号", "field": "抽查领域", "item": "抽查事项", "content": "抽查内容",
    "object_text": "检查对象", "category": "事项类别", "ratio_text": "抽查比例和频次",
    "initiator": "发起部门", "partners": "配合部门", "subject": "检查主体", "time_text": "检查时间",
    "responsible_unit": "责任单位", "methods": "检查方式", "basis": "制定依据", "level": "实施层级",
    "est_count_text": "预估抽查对象数", "est_risk_text": "预估抽查对象风险等级", "remark": "备注",
}
# Columns a merged cell spans over a group of rows; an empty cell repeats the row above.
GROUP_FIELDS = ("mode",)
RISK_LEVELS = ("低风险", "中低风险", "中风险", "中高风险", "高风险")


@dataclass
class PlanRow:
    """抽查事项 as found in the table; text fields keep the table's wording."""

    source_row: int
    mode: str = ""
    number: str = ""
    field: str = ""
    item: str = ""
    content: str = ""
    object_text: str = ""
    category: str = ""
    ratio_text: str = ""
    initiator: str = ""
    partners: list[str] = dc_field(default_factory=list)
    subject: str = ""
    time_text: str = ""
    responsible_unit: str = ""
    methods: list[str] = dc_field(default_factory=list)
    basis: str = ""
    level: str = ""
    est_count_text: str = ""
    est_risk_text: str = ""
    remark: str = ""
    checklist: list[str] = dc_field(default_factory=list)
    months: tuple[int, int] | None = None

    @property
    def rule(self) -> SamplingRule:
        """The sampling rule stated by ratio_text."""
        return parse_rule(self.ratio_text)

    @property
    def est_risk(self) -> dict[str, int] | None:
        """预估抽查对象风险等级 as counts per level, when the table gives them."""
        return parse_risk_split(self.est_risk_text)


@dataclass
class PlanProblem:
    """Something in the table we could not take over; row is 1-based, column the header text."""

    row: int
    column: str
    message: str


@dataclass
class ParsedPlan:
    title: str | None
    year: int | None
    bureau: str | None
    rows: list[PlanRow]
    problems: list[PlanProblem]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_plan_rows(path) -> list[list[str]]:
    """The cells of a plan table file: .tsv/.txt (UTF-8, tab separated) or a spreadsheet's first sheet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".txt"):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(f"文件“{path.name}”不是UTF-8编码的文本，请另存为UTF-8后再导入") from exc
        # Spreadsheet exports quote cells that hold line breaks; csv undoes that quoting.
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t")]
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            # Keep leading empty rows so that row numbers match what the clerk sees.
            cells = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise ValueError(f"无法读取表格文件“{path.name}”：{exc}") from exc
        return [[_cell_text(v) for v in row] for row in cells]
    raise ValueError(f"不支持的文件类型“{path.suffix}”，请使用 .xlsx 或制表符分隔的 .tsv/.txt 文件")


def _key(cell: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell)).replace("／", "/")


def _header_map(row: list[str]) -> dict[int, str] | None:
    """Column -> field for a header row; None when the row is data."""
    nonempty = [c for c in row if c.strip()]
    mapping = {i: HEADER_SYNONYMS[_key(c)] for i, c in enumerate(row) if _key(c) in HEADER_SYNONYMS}
    if len(mapping) >= 3 and len(mapping) * 2 >= len(nonempty):
        return mapping
    return None


def _sub_header(row: list[str]) -> dict[int, str] | None:
    """The second row of a two-row header: every non-empty cell is a header name."""
    cells = {i: _key(c) for i, c in enumerate(row) if c.strip()}
    if cells and all(k in HEADER_SYNONYMS for k in cells.values()):
        return {i: HEADER_SYNONYMS[k] for i, k in cells.items()}
    return None


_TITLE_YEAR = re.compile(r"(\d{4})\s*年度?")
_BUREAU = re.compile(r"([\u4e00-\u9fff]{2,15}?公安(?:分局|局|厅))")


def _read_title(text: str) -> tuple[int | None, str | None]:
    m = _TITLE_YEAR.search(text)
    year = int(m.group(1)) if m else None
    rest = _TITLE_YEAR.sub(" ", text)
    b = _BUREAU.search(rest)
    return year, (b.group(1) if b else None)


def _is_title(text: str) -> bool:
    return "计划" in text and bool(_TITLE_YEAR.search(text) or "公安" in text)


def _split_list(text: str) -> list[str]:
    return nonblank(re.split(r"[、，,;；\s]+", text))


_MONTHS = re.compile(r"(?:\d{4}\s*年\s*)?(\d{1,2})\s*月?\s*(?:-|~|—|–|―|至|到)\s*(?:\d{4}\s*年\s*)?(\d{1,2})\s*月")
_ONE_MONTH = re.compile(r"^(?:\d{4}\s*年\s*)?(\d{1,2})\s*月(?:份)?$")


def parse_months(text: str) -> tuple[int, int] | None:
    """(first, last) month of 检查时间: "5月-11月" → (5, 11), "2024年2-8月" → (2, 8), "全年" → (1, 12)."""
    norm = unicodedata.normalize("NFKC", text or "").strip()
    if not norm:
        return None
    if re.fullmatch(r"(?:\d{4}\s*年\s*)?全年", norm) or re.fullmatch(r"\d{4}\s*年(?:度)?", norm):
        return (1, 12)
    m = _MONTHS.search(norm) or _ONE_MONTH.match(norm)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(m.lastindex))
    if not (1 <= first <= 12 and 1 <= last <= 12 and first <= last):
        return None
    return (first, last)


_RISK = re.compile(r"(中低|中高|低|中|高)风险[^\d；;，,。]*?(\d+)")


def parse_risk_split(text: str) -> dict[str, int] | None:
    """预估抽查对象风险等级 as counts: "低风险抽查对象4家；中低风险抽查对象1家…" → {"低风险": 4, …}.

    The four usual levels are always present (0 when not mentioned); None when the text
    names no level with a number (e.g. "按大型群众性活动实际执行").
    """
    found = _RISK.findall(unicodedata.normalize("NFKC", text or ""))
    if not found:
        return None
    split = {"低风险": 0, "中低风险": 0, "中风险": 0, "高风险": 0}
    for level, number in found:
        split[level + "风险"] = split.get(level + "风险", 0) + int(number)
    return split


def _build_row(source_row: int, cells: list[str], mapping: dict[int, str]) -> PlanRow:
    values: dict[str, str] = {}
    for col, name in mapping.items():
        text = cells[col].strip() if col < len(cells) else ""
        # Two columns may map to one field (计划任务名称 over 抽查领域); the first filled wins.
        if text and not values.get(name):
            values[name] = text
    row = PlanRow(source_row=source_row)
    for name, text in values.items():
        if name in ("partners", "methods"):
            setattr(row, name, _split_list(text))
        else:
            setattr(row, name, text)
    return row


def parse_plan_rows(rows: list[list[str]], source_name: str = "") -> ParsedPlan:
    """Plan rows out of table cells; headers may repeat and change, groups share merged cells."""
    prefix = f"{source_name}：" if source_name else ""
    plan = ParsedPlan(title=None, year=None, bureau=None, rows=[], problems=[])
    mapping: dict[int, str] | None = None
    labels: dict[str, str] = {}
    just_saw_header = False
    carried: dict[str, str] = {}

    def problem(row_no: int, name: str, message: str) -> None:
        plan.problems.append(PlanProblem(row_no, labels.get(name, FIELD_LABELS.get(name, name)), prefix + message))

    for index, raw in enumerate(rows, start=1):
        cells = [_cell_text(c) for c in raw]
        nonempty = [c.strip() for c in cells if c.strip()]
        if not nonempty:
            continue
        header = _header_map(cells)
        if header is not None:
            mapping = header
            labels = {name: re.sub(r"\s+", "", cells[col]) for col, name in header.items()}
            just_saw_header = True
            continue
        if just_saw_header and (sub := _sub_header(cells)) is not None:
            assert mapping is not None
            for col, name in sub.items():
                # The upper header cell now names a group; the sub-name decides the column.
                mapping = {c: n for c, n in mapping.items() if not (n == name and c != col)}
                mapping[col] = name
                labels[name] = re.sub(r"\s+", "", cells[col])
            continue
        just_saw_header = False
        if len(nonempty) == 1 and _is_title(nonempty[0]):
            if plan.title is None:
                plan.title = nonempty[0]
                plan.year, plan.bureau = _read_title(nonempty[0])
            continue
        if mapping is None:
            continue  # preamble before the first header: notes, dates, signatures
        row = _build_row(index, cells, mapping)
        for name in GROUP_FIELDS:
            if name in mapping.values():
                if getattr(row, name):
                    carried[name] = getattr(row, name)
                elif name in carried:
                    setattr(row, name, carried[name])
        if not row.item:
            problem(index, "item", f"第{index}行缺少抽查事项，该行未导入")
            continue
        has_content_column = "content" in mapping.values()
        row.checklist = split_checklist(row.content if has_content_column else row.item)
        row.months = parse_months(row.time_text)
        if row.time_text and row.months is None:
            problem(index, "time_text", f"第{index}行检查时间“{row.time_text}”无法识别月份")
        rule = row.rule
        if not rule.parsed:
            problem(index, "ratio_text", f"第{index}行抽查比例和频次无法识别：{rule.problem}")
        plan.rows.append(row)
    if mapping is None:
        plan.problems.append(PlanProblem(0, "", prefix + "未找到表头行（应包含“抽查事项”“检查对象”等列名）"))
    return plan


def parse_plan_file(path) -> ParsedPlan:
    """Read and parse a plan table file; problems name the file and the row."""
    path = Path(path)
    return parse_plan_rows(read_plan_rows(path), source_name=path.name)
