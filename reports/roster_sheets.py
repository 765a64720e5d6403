"""Reading and checking the sheets of a roster import.

Objects, inspectors and 回避 rows, each with its sheet row number.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import Callable, NamedTuple

from models import credit_code, identifiers
from models.roster import ID_KIND_CREDIT, ID_KIND_NONE
from models.roster_bulk import Checkpoints, ImportCancelled  # noqa: F401 - re-exported for the importer
from models.roster_bulk import object_key, row_key
from models.roster_service import (INSPECTOR_LIMITS, OBJECT_LIMITS, RISK_LEVELS, STATUSES)
from reports.roster_columns import ACTIVE_VALUES, COLUMNS_BY_KIND, find_header_row, match_headers
from reports.xlsx_read import UNCACHED_FORMULA, cell_text, row_text

HEADER_SCAN = 20
SKIPPED_SHEETS = ("说明", "填写说明", "选项", "下拉选项")
SHORTEST_LIMIT = min(v for k, v in {**OBJECT_LIMITS, **INSPECTOR_LIMITS}.items() if k != "credit_code")
RISK_TEXT = "、".join(RISK_LEVELS)
STATUS_TEXT = "、".join(STATUSES)
ACTIVE_TEXT = "是、否（或 启用、停用）"
# Names are text: a date or a number in these columns is a shifted or mistyped column, never a name.
TEXT_ONLY_FIELDS = frozenset({"name", "type_name", "unit", "reason"})
# A file with a mistake in every row would otherwise list millions of lines; the first ones say enough.
MAX_LISTED_PROBLEMS = 500


class ProblemList(list):
    """The problems of one sheet: the first MAX_LISTED_PROBLEMS kept, the rest only counted."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.unlisted = 0

    def append(self, problem) -> None:
        if len(self) < MAX_LISTED_PROBLEMS:
            super().append(problem)
        else:
            self.unlisted += 1


@dataclass
class ImportProblem:
    """One thing wrong in the file: the sheet, its own row number (1-based), the column and the message."""

    sheet: str
    row: int
    column: str
    message: str

    def line(self, with_sheet: bool = False) -> str:
        text = f"第 {self.row} 行，“{self.column}”列：{self.message}"
        return f"工作表“{self.sheet}”，{text}" if with_sheet else text


class MappedColumn(NamedTuple):
    """A file column the import reads: where it is, its header as written, and the field it fills."""

    letter: str     # the spreadsheet column, "C"
    header: str     # as written in the file, "社会信用代码"
    field: str      # "credit_code"
    title: str      # the app's own name for the field, "统一社会信用代码"


class IgnoredColumn(NamedTuple):
    """A file column with a header the import does not know (序号, 备注 …): its values are not imported."""

    letter: str
    header: str


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA": the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class ParsedSheet:
    """The checked rows of one sheet: each a dict of the fields its columns give (trimmed text)."""

    name: str
    rows: list[tuple[int, dict]] = field(default_factory=list)   # (sheet row number, values)
    problems: ProblemList = field(default_factory=ProblemList)
    headers: dict[str, str] = field(default_factory=dict)       # field → header as written
    header_row_no: int = 0                                       # the header's sheet row number (1-based)
    mapped: list[MappedColumn] = field(default_factory=list)     # in the file's column order
    ignored: list[IgnoredColumn] = field(default_factory=list)   # headed columns the import does not read
    longest: dict[str, int] = field(default_factory=dict)       # field → its longest trimmed text (length checks)


def pick_sheets(sheets: dict[str, list[list]], kind: str) -> tuple[str | None, str | None]:
    """The main sheet for *kind* and the optional 回避 sheet of a workbook."""
    recusal = next((n for n in sheets if "回避" in n), None)
    candidates = [n for n in sheets if n != recusal and n.strip() not in SKIPPED_SHEETS]
    for name in candidates:
        head = _head(sheets[name])
        mapping, problems = match_headers(head[find_header_row(head, kind)] if head else [], kind)
        if not any(p.message.startswith("缺少") for p in problems):
            return name, recusal
    return (candidates[0] if candidates else None), recusal


def _head(rows: list[list]) -> list[list[str]]:
    """The first rows as text: where the header row is looked for."""
    return [row_text(r) for r in rows[:HEADER_SCAN]]


def _read_table(name: str, rows: list[list], kind: str, checks: Checkpoints) -> tuple[ParsedSheet, list]:
    """Header matching plus the data rows as (row number, {field: trimmed text}), empty rows skipped.

    *rows* are raw cell values (see xlsx_read.Workbook.raw_rows); only the mapped columns
    are converted to text, which keeps 100,000-row sheets quick.
    """
    sheet = ParsedSheet(name)
    head = _head(rows)
    h = find_header_row(head, kind)
    header_row = head[h] if head else []
    mapping, header_problems = match_headers(header_row, kind)
    for p in header_problems:
        sheet.problems.append(ImportProblem(name, h + 1, p.column, p.message))
    sheet.headers = {f: header_row[i].strip() for f, i in mapping.items()}
    _describe_columns(sheet, h + 1, header_row, mapping, kind)
    if any(p.message.startswith("缺少") for p in header_problems):
        return sheet, []
    fields = list(mapping)
    indexes = [mapping[f] for f in fields]
    width = max(indexes) + 1
    body = rows[h + 1:]
    if body and min(map(len, body)) < width:
        body = [r if len(r) >= width else list(r) + [""] * (width - len(r)) for r in body]
    data: list[tuple[int, dict]] = []
    odd: list[tuple[int, int, object]] = []   # (sheet row number, field index, raw cell) of non-text cells
    longest = dict.fromkeys(fields, 0)
    # Column by column, in blocks of one progress step: a whole text column is trimmed by one C-level
    # map (100,000 rows × 11 columns cell by cell cost a third of an import); only the columns holding
    # numbers, dates or formulas go cell by cell.
    step = checks.step
    for start in range(0, len(body), step):
        block = body[start:start + step]
        columns = list(zip(*block))
        first = h + 2 + start   # the sheet row number of the block's first row
        texts = []
        for n, i in enumerate(indexes):
            column = columns[i]
            try:
                texts.append(list(map(str.strip, column)))
            except TypeError:   # numbers, dates, empty or formula cells in this column
                texts.append([x.strip() if type(x) is str else cell_text(x).strip() for x in column])
                text_only = fields[n] in TEXT_ONLY_FIELDS
                odd.extend((first + k, n, x) for k, x in enumerate(column) if x is UNCACHED_FORMULA or (
                    text_only and type(x) is not str and x is not None and x != ""))
        for f, t in zip(fields, texts):
            longest[f] = max(longest[f], max(map(len, t)))
        values = list(zip(*texts))
        if all(map(any, values)):   # no empty row in the block (the usual case): one C-level pass builds it
            data.extend(zip(range(first, first + len(values)), map(dict, map(zip, repeat(fields), values))))
        else:
            data.extend((first + k, dict(zip(fields, row))) for k, row in enumerate(values) if any(row))
        done = start + len(block)
        if done % step == 0:
            checks.at(done)
    if odd:
        kept = {row_no for row_no, _ in data}
        for row_no, n, x in sorted((o for o in odd if o[0] in kept), key=lambda o: (o[0], o[1])):
            _check_cell_type(sheet, row_no, fields[n], x)
    sheet.longest = longest
    return sheet, data


def _describe_columns(sheet: ParsedSheet, header_row_no: int, header_row: list[str], mapping: dict[str, int],
                      kind: str) -> None:
    """Which file column fills which field, and which headed columns are left out, for the preview."""
    titles = {c.field: c.title for c in COLUMNS_BY_KIND[kind]}
    sheet.header_row_no = header_row_no
    by_index = {i: f for f, i in mapping.items()}
    for i, raw in enumerate(header_row):
        if i in by_index:
            f = by_index[i]
            sheet.mapped.append(MappedColumn(column_letter(i), raw.strip(), f, titles[f]))
        elif raw.strip():
            sheet.ignored.append(IgnoredColumn(column_letter(i), raw.strip()))


def _check_cell_type(sheet: ParsedSheet, row_no: int, f: str, x) -> None:
    """Refuse what cannot be read for certain: a formula without its result, a date or number as a name."""
    column = sheet.headers.get(f, f)
    if x is UNCACHED_FORMULA:
        sheet.problems.append(ImportProblem(sheet.name, row_no, column, (
            "单元格是公式，但文件中没有保存其计算结果，无法确定其值；请在 Excel 中打开并保存该文件"
            "（或把公式改为数值）后再导入")))
    elif f in TEXT_ONLY_FIELDS and x is not None and x != "" and not isinstance(x, str):
        kind = "日期" if hasattr(x, "year") or hasattr(x, "hour") else "数字"
        sheet.problems.append(ImportProblem(sheet.name, row_no, column, (
            f"应为文字，但单元格是{kind}（{cell_text(x)}），可能是列错位；"
            "如确实如此，请在 Excel 中把该单元格设为文本格式后重新输入")))


def parse_objects(name: str, rows: list[list[str]], checks: Checkpoints) -> ParsedSheet:
    sheet, data = _read_table(name, rows, "objects", checks)
    col = _column_names(sheet, "objects")
    problems = sheet.problems
    first_row_of: dict[str, int] = {}
    validate = credit_code.validate
    lengthy = _lengthy(sheet, OBJECT_LIMITS, skip=("credit_code",))
    # 证件类型 (issue 19 item 6): only a sheet with that column, and only its rows that are not units, take
    # the slower per-kind path; a sheet of units reads exactly as before.
    kinds = "id_kind" in sheet.headers or "id_country" in sheet.headers or "no_id_reason" in sheet.headers
    if not lengthy and _units_at_once(sheet, data, kinds):
        sheet.rows = data
        return sheet
    for row_no, v in data:
        if kinds and (v.get("id_kind") or v.get("id_country") or v.get("no_id_reason")):
            _person_row(sheet, row_no, v, col, first_row_of)
            code_problem = True   # checked above
        else:
            if kinds:
                v["id_kind"] = ID_KIND_CREDIT
            code = credit_code.normalise(v["credit_code"])
            v["credit_code"] = code
            code_problem = validate(code)
        if not v["name"]:
            problems.append(ImportProblem(name, row_no, col["name"], "单位名称不能为空"))
        if code_problem is True:
            pass
        elif code_problem:
            problems.append(ImportProblem(name, row_no, col["credit_code"], _code_message(code, code_problem)))
        elif code in first_row_of:
            problems.append(ImportProblem(name, row_no, col["credit_code"],
                                          f"统一社会信用代码 {code} 在文件中重复："
                                          f"第 {first_row_of[code]} 行和第 {row_no} 行"))
        else:
            first_row_of[code] = row_no
        if not v["type_name"]:
            problems.append(ImportProblem(name, row_no, col["type_name"], "对象类型不能为空"))
        risk = v.get("risk_level")
        if risk is not None:
            if not risk:
                del v["risk_level"]
            elif risk not in RISK_LEVELS:
                problems.append(ImportProblem(name, row_no, col["risk_level"],
                                              f"风险等级“{risk}”无效，应为：{RISK_TEXT}"))
        status = v.get("status")
        if status is not None:
            if not status:
                del v["status"]
            elif status not in STATUSES:
                problems.append(ImportProblem(name, row_no, col["status"],
                                              f"经营状态“{status}”无效，应为：{STATUS_TEXT}"))
        if lengthy:
            _check_lengths(sheet, row_no, v, lengthy, col)
        _check_active(sheet, row_no, v, col)
    sheet.rows = data
    return sheet


def _units_at_once(sheet: ParsedSheet, data: list[tuple[int, dict]], kinds: bool) -> bool:
    """The row checks of parse_objects column by column, for a sheet of units that passes them all.

    True: every row passed and holds what the row-by-row checks would have left in it (normalised code,
    证件类型 统一社会信用代码, empty risk/status/active dropped, active as a bool). False: some cell
    needs a closer look, nothing was changed, and the rows go through the checks one by one, which
    name every problem. Each test is a C-level pass over one column (a fifth of an import was the
    per-row loop); no row is a person's (a 证件类型 other than the unit's, a country or a reason).
    """
    headers = sheet.headers
    values = list(map(itemgetter(1), data))

    def column(f: str) -> list[str]:
        return list(map(itemgetter(f), values)) if f in headers else []

    typed = column("id_kind")
    if kinds:
        if any(column("id_country")) or any(column("no_id_reason")):
            return False
        if any(identifiers.normalise_kind(t) != ID_KIND_CREDIT for t in set(typed)):
            return False
    codes = column("credit_code")
    if not all(map(str.isascii, codes)):
        return False   # full-width characters: credit_code.normalise's NFKC, row by row
    codes = list(map(str.upper, codes))   # = credit_code.normalise of a trimmed ASCII text
    if not credit_code.all_valid(codes) or len(set(codes)) != len(codes):
        return False
    if not all(column("name")) or not all(column("type_name")):
        return False
    risks, statuses, active = set(column("risk_level")), set(column("status")), set(column("active"))
    if not (risks <= _RISK_OR_EMPTY and statuses <= _STATUS_OR_EMPTY and active <= _ACTIVE_OR_EMPTY):
        return False
    for v, code in zip(values, codes):
        v["credit_code"] = code
    if kinds:
        for v, t in zip(values, typed or repeat("")):
            v["id_kind"] = ID_KIND_CREDIT
            if t:   # as _person_row leaves a row whose 证件类型 was written out
                v.setdefault("id_country", "")
                v.setdefault("no_id_reason", "")
    for f, present in (("risk_level", risks), ("status", statuses)):
        if "" in present:
            for v in values:
                if not v[f]:
                    del v[f]
    if active:
        for v in values:
            text = v["active"]
            if text:
                v["active"] = ACTIVE_VALUES[text]
            else:
                del v["active"]
    return True


_RISK_OR_EMPTY = frozenset(RISK_LEVELS) | {""}
_STATUS_OR_EMPTY = frozenset(STATUSES) | {""}
_ACTIVE_OR_EMPTY = frozenset(ACTIVE_VALUES) | {""}


def parse_inspectors(name: str, rows: list[list[str]], checks: Checkpoints) -> ParsedSheet:
    sheet, data = _read_table(name, rows, "inspectors", checks)
    col = _column_names(sheet, "inspectors")
    problems = sheet.problems
    first_row_of: dict[str, int] = {}
    lengthy = _lengthy(sheet, INSPECTOR_LIMITS)
    for row_no, v in data:
        if not v["name"]:
            problems.append(ImportProblem(name, row_no, col["name"], "姓名不能为空"))
        badge = v["badge_no"]
        if not badge:
            problems.append(ImportProblem(name, row_no, col["badge_no"], "警号（工号）不能为空"))
        elif badge in first_row_of:
            problems.append(ImportProblem(name, row_no, col["badge_no"],
                                          f"警号 {badge} 在文件中重复：第 {first_row_of[badge]} 行和第 {row_no} 行"))
        else:
            first_row_of[badge] = row_no
        if not v["unit"]:
            problems.append(ImportProblem(name, row_no, col["unit"], "所在单位不能为空"))
        if lengthy:
            _check_lengths(sheet, row_no, v, lengthy, col)
        _check_active(sheet, row_no, v, col)
    sheet.rows = data
    return sheet


def parse_recusals(name: str, rows: list[list[str]], checks: Checkpoints,
                   known_badge: Callable[[str], bool], known_code: Callable[[object], bool]) -> ParsedSheet:
    """回避 rows; a 警号 or object must be in the file being imported or already in the database.

    The object is a unit's 统一社会信用代码, or — with a 证件类型 column, as in the objects sheet — a person's
    证件号码 of that kind (and 国籍/签发国 for travel documents). Each row gets ``object_key`` (see
    models.roster_bulk.object_key), which *known_code* is asked about and the pairs are stored by.
    """
    sheet, data = _read_table(name, rows, "recusals", checks)
    col = _column_names(sheet, "recusals")
    problems = sheet.problems
    first_row_of: dict[tuple, int] = {}
    for row_no, v in data:
        badge = v["badge_no"]
        if not badge:
            problems.append(ImportProblem(name, row_no, col["badge_no"], "警号（工号）不能为空"))
        elif not known_badge(badge):
            problems.append(ImportProblem(name, row_no, col["badge_no"],
                                          f"警号 {badge} 既不在执法检查人员名录库中，也不在本文件中"))
        key = _recusal_object(sheet, row_no, v, col, known_code)
        if not v["reason"]:
            problems.append(ImportProblem(name, row_no, col["reason"], "回避原因不能为空"))
        if badge and key is not None:
            pair = (badge, key)
            if pair in first_row_of:
                problems.append(ImportProblem(name, row_no, col["badge_no"],
                                              f"回避关系重复：第 {first_row_of[pair]} 行和第 {row_no} 行"))
            else:
                first_row_of[pair] = row_no
    sheet.rows = data
    return sheet


def _recusal_object(sheet: ParsedSheet, row_no: int, v: dict, col: dict[str, str],
                    known_code: Callable[[object], bool]):
    """The object_key of a 回避 row's object (also stored in the row), or None with the problem added."""
    typed = v.get("id_kind", "")
    kind = identifiers.normalise_kind(typed)
    if kind is None:
        sheet.problems.append(ImportProblem(sheet.name, row_no, col["id_kind"],
                                            f"证件类型“{typed}”无效，应为：{identifiers.KINDS_TEXT}"))
        return None
    if kind == ID_KIND_NONE:
        sheet.problems.append(ImportProblem(
            sheet.name, row_no, col["id_kind"],
            "证件类型为“无”的对象没有证件号码，不能在回避工作表中指定；请在软件的“回避关系”中为其设置"))
        return None
    if kind == ID_KIND_CREDIT:
        code = v["credit_code"] = credit_code.normalise(v["credit_code"])
        problem = credit_code.validate(code)
        if problem:
            hint = "" if typed else "（个人请在“证件类型”列写明身份证、护照等）"
            sheet.problems.append(ImportProblem(sheet.name, row_no, col["credit_code"],
                                                _code_message(code, problem) + hint))
            return None
        label = f"统一社会信用代码 {code}"
    else:
        number = v["credit_code"] = identifiers.normalise_number(kind, v["credit_code"])
        country = v["id_country"] = v.get("id_country", "") if kind in identifiers.TRAVEL_KINDS else ""
        found = [(f, m) for f, m in identifiers.problems(kind, number, country) if f != "no_id_reason"]
        for field_, message in found:
            what = f"{identifiers.number_title(kind)} {number}：" if field_ == "credit_code" and number else ""
            sheet.problems.append(ImportProblem(sheet.name, row_no, col[field_], what + message))
        if found:
            return None
        label = f"{kind}（{country}） {number}" if country else f"{kind} {number}"
    key = v["object_key"] = object_key(kind, v.get("id_country", ""), v["credit_code"])
    if not known_code(key):
        sheet.problems.append(ImportProblem(sheet.name, row_no, col["credit_code"],
                                            f"{label} 既不在检查对象名录库中，也不在本文件中"))
    return key


def _person_row(sheet: ParsedSheet, row_no: int, v: dict, col: dict[str, str], first_row_of: dict) -> None:
    """A row whose 证件类型 (or country, or reason) is filled in: checked by its kind's rule; unique within kind."""
    typed = v.get("id_kind", "")
    kind = identifiers.normalise_kind(typed)
    if kind is None:
        sheet.problems.append(ImportProblem(sheet.name, row_no, col["id_kind"],
                                            f"证件类型“{typed}”无效，应为：{identifiers.KINDS_TEXT}"))
        return
    v["id_kind"] = kind
    number = identifiers.normalise_number(kind, v["credit_code"])
    v["credit_code"] = number
    v["id_country"] = v.get("id_country", "")
    v["no_id_reason"] = v.get("no_id_reason", "")
    title = identifiers.number_title(kind)
    columns = {"credit_code": col["credit_code"], "id_kind": col["id_kind"], "id_country": col["id_country"],
               "no_id_reason": col["no_id_reason"]}
    found = identifiers.problems(kind, number, v["id_country"], v["no_id_reason"])
    for field_, message in found:
        what = f"{title} {number}：" if field_ == "credit_code" and number else f"{title}：" if (
            field_ == "credit_code") else ""
        sheet.problems.append(ImportProblem(sheet.name, row_no, columns[field_], what + message))
    if found:
        return
    key = row_key(v)
    if key in first_row_of:
        label = f"{kind}（无证件）“{v['name']}”" if kind == ID_KIND_NONE else f"{title} {number}"
        sheet.problems.append(ImportProblem(sheet.name, row_no, col["credit_code"],
                                            f"{label} 在文件中重复：第 {first_row_of[key]} 行和第 {row_no} 行"))
    else:
        first_row_of[key] = row_no


def _check_active(sheet: ParsedSheet, row_no: int, v: dict, col: dict[str, str]) -> None:
    """The optional 是否启用 cell as True/False; empty (or no such column) keeps the stored value."""
    text = v.get("active")
    if text is None:
        return
    if not text:
        del v["active"]
    elif text in ACTIVE_VALUES:
        v["active"] = ACTIVE_VALUES[text]
    else:
        sheet.problems.append(ImportProblem(sheet.name, row_no, col["active"],
                                            f"是否启用“{text}”无效，应为：{ACTIVE_TEXT}"))


def _code_message(code: str, problem: str) -> str:
    return f"统一社会信用代码 {code}：{problem}" if code else f"统一社会信用代码：{problem}"


def _column_names(sheet: ParsedSheet, kind: str) -> dict[str, str]:
    return {c.field: sheet.headers.get(c.field, c.title) for c in COLUMNS_BY_KIND[kind]}


def _lengthy(sheet: ParsedSheet, limits: dict[str, int], skip: tuple[str, ...] = ()) -> dict[str, int]:
    """The limits some cell of the sheet goes past (in the limits' order); almost always none, so the
    rows need no length check at all."""
    return {k: limit for k, limit in limits.items() if k not in skip and sheet.longest.get(k, 0) > limit}


def _check_lengths(sheet: ParsedSheet, row_no: int, v: dict, limits: dict[str, int], col: dict[str, str]) -> None:
    if max(map(len, v.values())) <= SHORTEST_LIMIT:   # one max() spares the per-field checks
        return
    for key, limit in limits.items():
        text = v.get(key)
        if text is not None and len(text) > limit:
            sheet.problems.append(ImportProblem(sheet.name, row_no, col[key],
                                                f"长度超过 {limit} 个字符（实为 {len(text)} 个）"))
