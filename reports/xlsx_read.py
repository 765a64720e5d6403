"""Fast .xlsx reading with python-calamine: sheets by name, every cell as trimmed-free text, rows numbered as in Excel."""
from __future__ import annotations

from models.errors import UserError
import datetime as dt
import os
import zipfile
from pathlib import Path

import python_calamine


class XlsxReadError(UserError, ValueError):
    """The file cannot be read as a workbook; the Chinese message names the file."""


class Workbook:
    """An opened workbook; read sheets by name. Use as a context manager or call close()."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._book = open_book(self.path)

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def raw_rows(self, sheet: str) -> list[list]:
        """Rows as calamine gives them (str, float, int, bool, dates); convert cells with cell_text().

        For large imports that convert only the columns they use."""
        try:
            return self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except python_calamine.WorksheetNotFound as e:
            raise XlsxReadError(f"文件 {self.path.name} 中没有名为“{sheet}”的工作表。") from e
        except Exception as e:  # calamine raises several unrelated types for damaged parts
            raise XlsxReadError(f"文件 {self.path.name} 的工作表“{sheet}”无法读取：{e}") from e

    def rows(self, sheet: str) -> list[list[str]]:
        """All rows of *sheet* as text; index i holds Excel row i + 1 (leading empty rows kept)."""
        return [row_text(r) for r in self.raw_rows(sheet)]

    def close(self) -> None:
        try:
            self._book.close()
        except Exception:
            pass

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_book(path: Path):
    if not path.exists():
        raise XlsxReadError(f"找不到文件 {path}。")
    if path.is_dir():
        raise XlsxReadError(f"{path} 是文件夹，不是 Excel 文件。")
    if path.suffix.lower() == ".xls":
        raise XlsxReadError(f"文件 {path.name} 是旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入。")
    if not zipfile.is_zipfile(path):
        raise XlsxReadError(f"文件 {path.name} 不是 .xlsx 格式的 Excel 文件（或已损坏），无法打开。")
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as e:
        raise XlsxReadError(f"文件 {path.name} 设有打开密码，请先取消密码再导入。") from e
    except Exception as e:
        raise XlsxReadError(f"文件 {path.name} 无法作为 .xlsx 文件打开：{e}") from e


def read_sheets(path: str | os.PathLike, *, raw: bool = False) -> dict[str, list[list]]:
    """Every sheet of the workbook, by name, in the workbook's order (as text, or raw values)."""
    with Workbook(path) as book:
        read = book.raw_rows if raw else book.rows
        return {name: read(name) for name in book.sheet_names}


def read_sheet(path: str | os.PathLike, sheet: str | None = None) -> list[list[str]]:
    """One sheet (the first when *sheet* is None) as rows of text."""
    with Workbook(path) as book:
        names = book.sheet_names
        if not names:
            raise XlsxReadError(f"文件 {Path(path).name} 中没有工作表。")
        return book.rows(sheet if sheet is not None else names[0])


def row_text(row: list) -> list[str]:
    # Most cells are already text; the fast path keeps 100,000-row imports quick.
    return [v if type(v) is str else cell_text(v) for v in row]


def cell_text(value) -> str:
    """One cell as the text a clerk sees: 13800000000.0 → "13800000000", dates in ISO form."""
    if type(value) is float:  # the common case: numbers typed into text columns (phones, 序号)
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)
