"""Printing 现场检查记录 before the visit: one object's record, or a whole draw's (or a day's round of a routine
duty) into a folder the clerk chose.

A draw's records are written one file per object, named so they sort in the draw's order
("03-某某宾馆-现场检查记录.docx"), each atomically; optionally one bound file of them all for printing in one go.
Printing reads the database only: nothing is numbered or stored, so a cancelled batch simply stops.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from models import settings as app_settings
from models.db import Database
from models.record_sheets import ObjectSheetRequest, RecordSheet, RecordSheetError, sheet_for_object, sheets_for_draw
from models.record_sheets_round import RoundSheetRequest, sheets_for_round
from reports.notice_docs import find_template
from reports.record_sheet import RECORD_TEMPLATE, bind_records, render_record

__all__ = ["SheetBatch", "print_draw_sheets", "print_round_sheets", "print_object_sheet", "sheet_filename",
           "bound_filename", "round_bound_filename"]

_UNSAFE = re.compile(r'[\\/:*?"<>|\r\n\t]+')
SUFFIX = "现场检查记录"


@dataclass
class SheetBatch:
    """What a draw's (or a round's) printing produced."""

    draw_id: int                     # 0 for a round
    total: int = 0
    written: list[Path] = field(default_factory=list)
    bound: Path | None = None
    cancelled: bool = False
    subject: str = ""                # a round's: 城关派出所2024年5月日常巡查（旅馆 每月1次）待查

    def summary(self) -> str:
        whose = self.subject or f"抽取记录 #{self.draw_id} "
        text = f"已为{whose}的 {len(self.written)} 个检查对象各打印一份现场检查记录"
        if self.bound is not None:
            text += f"，另有合订本一份（{self.bound.name}）"
        if self.cancelled:
            text += f"；已取消，其余 {self.total - len(self.written)} 份未打印"
        return text + "。"


def sheet_filename(sheet: RecordSheet, width: int = 2) -> str:
    """"序号-单位名称-现场检查记录.docx", the number zero-padded so the files sort in the draw's order."""
    name = _UNSAFE.sub("_", sheet.unit_name.strip())[:100] or "检查对象"
    return f"{sheet.seq:0{width}d}-{name}-{SUFFIX}.docx"


def bound_filename(draw_id: int) -> str:
    return f"抽取记录{draw_id}-{SUFFIX}-合订本.docx"


def round_bound_filename(duty_id: int, where: str, period: str) -> str:
    return _UNSAFE.sub("_", f"巡查任务{duty_id}-{where}-{period}-{SUFFIX}-合订本.docx")


def _out_folder(out_dir: str | os.PathLike) -> Path:
    """The folder to write into, created when missing; refused in Chinese when it is (or lies under) a file."""
    folder = Path(out_dir)
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise RecordSheetError(f"无法把现场检查记录写入“{folder}”：{parent} 是一个文件，不是文件夹")
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordSheetError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}") from exc
    return folder


def print_draw_sheets(db: Database, draw_id: int, out_dir: str | os.PathLike,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None, *, bound: bool = False,
                      inspect_date: date | None = None) -> SheetBatch:
    """Write a 现场检查记录 for every object draw record ``draw_id`` still counts into ``out_dir``.

    With ``bound`` also one file of them all (each record on new pages). Refuses an unknown or re-drawn
    record and an ``out_dir`` that is a file before writing anything.
    """
    with db.session() as s:
        sheets = sheets_for_draw(s, draw_id, inspect_date)
        template = find_template(RECORD_TEMPLATE, app_settings.template_dir(s))
    folder = _out_folder(out_dir)
    result = SheetBatch(draw_id=draw_id, total=len(sheets))
    return _write_batch(template, sheets, folder, bound_filename(draw_id) if bound else None, result,
                        progress, cancelled)


def print_round_sheets(db: Database, request: RoundSheetRequest, out_dir: str | os.PathLike,
                       progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None, *, bound: bool = False,
                       today: date | None = None) -> SheetBatch:
    """Write a 现场检查记录 for every object a routine duty still needs in the period (one 辖区 or all) into
    ``out_dir``, named and numbered as the round's result sheet lists them; with ``bound`` also one file of them
    all. Refuses an unknown or stopped duty, a 辖区 without such objects, a period with nothing due, an officer
    who must recuse, and an ``out_dir`` that is a file, before writing anything."""
    with db.session() as s:
        found = sheets_for_round(s, request, today)
        template = find_template(RECORD_TEMPLATE, app_settings.template_dir(s))
    folder = _out_folder(out_dir)
    result = SheetBatch(draw_id=0, total=len(found.sheets), subject=found.subject)
    name = round_bound_filename(found.duty.id, found.where, found.period) if bound else None
    return _write_batch(template, found.sheets, folder, name, result, progress, cancelled)


def _write_batch(template, sheets: list[RecordSheet], folder: Path, bound_name: str | None, result: SheetBatch,
                 progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None) -> SheetBatch:
    """Render ``sheets`` one file each (then the bound copy named ``bound_name``), stopping when cancelled."""
    width = max(2, len(str(len(sheets))))
    steps = len(sheets) + (1 if bound_name else 0)
    for n, sheet in enumerate(sheets):
        if cancelled is not None and cancelled():
            result.cancelled = True
            return result
        result.written.append(render_record(template, sheet, folder / sheet_filename(sheet, width)))
        if progress is not None:
            progress(n + 1, steps)
    if bound_name:
        if cancelled is not None and cancelled():
            result.cancelled = True
            return result
        result.bound = bind_records(result.written, folder / bound_name)
        if progress is not None:
            progress(steps, steps)
    return result


def print_object_sheet(db: Database, request: ObjectSheetRequest, out: str | os.PathLike) -> Path:
    """Write one object's 现场检查记录 to ``out`` (atomically), for a drawn check or any other source."""
    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise RecordSheetError(f"输出文件“{out.name}”应以 .docx 结尾")
    with db.session() as s:
        sheet = sheet_for_object(s, request)
        template = find_template(RECORD_TEMPLATE, app_settings.template_dir(s))
    return render_record(template, sheet, out)
