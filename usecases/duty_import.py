"""Import routine duties from a table: a preview that checks every row, then one all-or-nothing transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from models import audit
from models.db import Database
from models.duties import CellProblem, DutyData, DutyError, add_duty, check_duty, duties_from_cells, list_duties
from models.roster import ObjectType
from usecases.plan_import import ImportProblem

Progress = Callable[[int, int], None] | None
Cancelled = Callable[[], bool] | None


@dataclass
class DutyImportPreview:
    """What an import would declare; refused (``ok`` False) while ``problems`` name rows and columns."""

    path: Path
    duties: list[tuple[int, DutyData]] = field(default_factory=list)    # (row, duty)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.duties)

    def summary(self) -> str:
        return f"{self.path.name}：共 {len(self.duties)} 项日常巡查任务。"


def _key(d: DutyData) -> tuple[str, str, str]:
    return (d.type_name, d.unit, d.period)


def preview_duty_import(db: Database, path) -> DutyImportPreview:
    """Read the file and check every row against the rules and the duties declared; nothing is written."""
    from reports.duty_table import LABELS, read_duty_file

    path = Path(path)
    preview = DutyImportPreview(path)
    try:
        lines, labels = read_duty_file(path)
    except (OSError, ValueError) as e:
        preview.problems.append(ImportProblem(0, "", f"{path.name}：{e}"))
        return preview
    if not lines:
        preview.problems.append(ImportProblem(0, "", f"{path.name}：没有找到任何日常巡查任务"))
        return preview
    with db.session() as s:
        known = tuple(s.scalars(select(ObjectType.name)))
        existing = {_key(DutyData(r.type_name, r.period, unit=r.unit)): r.id for r in list_duties(s)}
    seen: dict[tuple[str, str, str], int] = {}
    for line in lines:
        def problem(field_name: str, message: str, line=line) -> None:
            column = labels.get(field_name, LABELS.get(field_name, "")) if field_name else ""
            preview.problems.append(ImportProblem(line.source_row, column, message))

        try:
            found = duties_from_cells(line.type_name, line.unit, line.period, line.times, line.share, line.basis,
                                      known)
            found = [check_duty(d) for d in found]
        except CellProblem as e:
            problem(e.field, str(e))
            continue
        except DutyError as e:
            problem("", str(e))
            continue
        for d in found:
            key = _key(d)
            where = f"{d.type_name}，{d.unit or '辖区派出所'}，{d.period}"
            if key in existing:
                problem("", f"与已有的日常巡查任务（编号 {existing[key]}：{where}）重复")
            elif key in seen:
                problem("", f"与第 {seen[key]} 行的任务（{where}）重复")
            else:
                seen[key] = line.source_row
                preview.duties.append((line.source_row, d))
    return preview


def apply_duty_import(db: Database, preview: DutyImportPreview, actor: str, progress: Progress = None,
                      cancelled: Cancelled = None) -> int:
    """Declare every previewed duty in one transaction; returns how many."""
    if not preview.ok:
        raise DutyError("导入被拒绝：" + "；".join(str(p) for p in preview.problems))
    total = len(preview.duties)
    with db.session() as s:
        for done, (row, duty) in enumerate(preview.duties, start=1):
            if cancelled is not None and cancelled():
                raise DutyError("导入已取消，没有写入任何日常巡查任务。")
            try:
                add_duty(s, duty, actor)
            except DutyError as e:
                raise DutyError(f"第 {row} 行：{e}") from None
            if progress is not None:
                progress(done, total)
        audit.append(s, user=actor, action="导入日常巡查任务", entity="routine_duty", detail={
            "file": preview.path.name, "duties": total})
    return total


def import_duty_file(db: Database, path, actor: str, progress: Progress = None,
                     cancelled: Cancelled = None) -> tuple[DutyImportPreview, int]:
    """Preview and apply in one go (command line, screen, demo); a refused preview imports nothing."""
    preview = preview_duty_import(db, path)
    if not preview.ok:
        return preview, 0
    return preview, apply_duty_import(db, preview, actor, progress, cancelled)
