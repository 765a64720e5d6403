"""Import a bureau's plan table into the year's plan: a preview first, then one all-or-nothing transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy.orm import Session

from models import audit
from models.db import Database
from models.departments import DepartmentMatcher, ensure_departments
from models.plan import Plan
from models.plan_service import ItemData, PlanError, _new_item, create_plan, find_plan, has_draws
from models.plan_types import auto_link_types
from models.roster import ObjectType

Progress = Callable[[int, int], None] | None
Cancelled = Callable[[], bool] | None


@dataclass
class ImportProblem:
    """A problem found in the file: row 0 means the whole file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        col = f"，“{self.column}”列" if self.column else ""
        return f"{where}{col}：{self.message}"


@dataclass
class PlanImportPreview:
    """What an import would do; ``ok`` is False when it must be refused (``problems`` say why)."""

    path: Path
    year: int
    bureau: str
    title: str
    rows: list = field(default_factory=list)               # reports.plan_table.PlanRow
    problems: list[ImportProblem] = field(default_factory=list)   # block the import
    warnings: list[ImportProblem] = field(default_factory=list)   # imported, but the clerk should look
    links: dict[str, list[str]] = field(default_factory=dict)     # item number -> type names to link
    existing_items: int = 0
    replace: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def summary(self) -> str:
        unlinked = sum(1 for r in self.rows if not self.links.get(r.number))
        text = f"{self.year}年度 {self.bureau}：共 {len(self.rows)} 个抽查事项"
        if unlinked:
            text += f"，其中 {unlinked} 个未能自动关联对象类型"
        if self.replace and self.existing_items:
            text += f"；将替换现有的 {self.existing_items} 个事项"
        return text + "。"


def estimate_from_text(text: str) -> tuple[dict | None, bool]:
    """预估抽查对象风险等级 parsed into counts per level, and whether it is risk-differentiated.

    差异化抽查: the plan spreads its estimate over more than one risk level with a count.
    """
    from reports.plan_table import parse_risk_split

    est = parse_risk_split(text or "")
    return est, bool(est) and sum(1 for n in est.values() if n > 0) > 1


def _row_to_data(row) -> ItemData:
    est, differentiated = estimate_from_text(row.est_risk_text)
    months = row.months or (None, None)
    return ItemData(
        number=row.number, item=row.item, mode=row.mode, field=row.field, content=row.content,
        object_text=row.object_text, category=row.category, ratio_text=row.ratio_text,
        initiator=row.initiator, partners=list(row.partners), subject=row.subject,
        time_text=row.time_text, month_from=months[0], month_to=months[1],
        responsible_unit=row.responsible_unit, methods=list(row.methods), basis=row.basis,
        level=row.level, est_count_text=row.est_count_text, est_risk_text=row.est_risk_text,
        est_risk=est, risk_differentiated=differentiated,
        remark=row.remark, checklist=list(row.checklist),
    )


def preview_plan_import(db: Database, path, year: int, bureau: str | None = None,
                        replace: bool = False) -> PlanImportPreview:
    """Read the file and check it against the database; nothing is written."""
    from reports.plan_table import parse_plan_file

    path = Path(path)
    preview = PlanImportPreview(path=path, year=int(year), bureau=(bureau or "").strip(), title="", replace=replace)
    try:
        parsed = parse_plan_file(path)
    except (OSError, ValueError) as e:
        preview.problems.append(ImportProblem(0, "", f"{path.name}：{e}"))
        return preview
    imported_rows = {r.source_row for r in parsed.rows}
    for p in parsed.problems:
        target = preview.warnings if p.row in imported_rows else preview.problems
        target.append(ImportProblem(p.row, p.column, p.message))
    preview.rows = list(parsed.rows)
    if not preview.bureau:
        preview.bureau = parsed.bureau or ""
    if parsed.year and parsed.year != preview.year:
        preview.warnings.append(ImportProblem(
            0, "", f"表格标题中的年度为 {parsed.year}，将导入为 {preview.year} 年度计划"
                   f"（标题中的年度随之改为 {preview.year}）"))
    if not parsed.rows and not preview.problems:
        preview.problems.append(ImportProblem(0, "", f"{path.name}：没有找到任何抽查事项"))

    seen: dict[str, int] = {}
    for i, row in enumerate(preview.rows, start=1):
        if not row.number:
            row.number = str(i)  # an unnumbered table gets its row order
        if row.number in seen:
            preview.problems.append(ImportProblem(
                row.source_row, "编号", f"编号“{row.number}”与第 {seen[row.number]} 行重复"))
        seen.setdefault(row.number, row.source_row)

    with db.session() as s:
        names = [n for (n,) in s.query(ObjectType.name).order_by(ObjectType.id)]
        preview.links = {r.number: auto_link_types(r.object_text, names) for r in preview.rows}
        plan = find_plan(s, preview.year)
        if plan is not None:
            preview.existing_items = len(plan.items)
            if not preview.bureau:
                preview.bureau = plan.bureau
            if plan.items and not replace:
                preview.problems.append(ImportProblem(0, "", (
                    f"{preview.year}年度计划已有 {len(plan.items)} 个抽查事项；"
                    "如要用此文件替换，请勾选“替换该年度现有的抽查事项”（命令行加 --replace）")))
            elif plan.items and has_draws(s, [it.id for it in plan.items]):
                preview.problems.append(ImportProblem(0, "", (
                    f"{preview.year}年度计划已有抽取记录，不能替换；请逐项修改计划")))
        # 配合部门 wordings that match no department: imported as written, the clerk links each once.
        matcher = DepartmentMatcher(s, preview.bureau or parsed.bureau or "")
        for row in preview.rows:
            for wording in row.partners:
                if matcher.match(wording) is None:
                    preview.warnings.append(ImportProblem(row.source_row, "配合部门", (
                        f"事项 {row.number} 的配合部门“{wording}”在部门名录中找不到对应单位；导入后请在"
                        f"“配合部门”中关联（命令行：link-department {wording} --to 单位）")))
    preview.title = parsed.title or ""
    if parsed.year and parsed.year != preview.year:
        # A bureau's table reused for another year: the plan's title must not name the old one.
        preview.title = preview.title.replace(str(parsed.year), str(preview.year))
    if not preview.bureau:
        preview.warnings.append(ImportProblem(0, "", "未能从表格标题读出单位名称，请导入后在计划中填写"))
    return preview


def apply_plan_import(db: Database, preview: PlanImportPreview, actor: str,
                      progress: Progress = None, cancelled: Cancelled = None) -> int:
    """Write the previewed items in one transaction; returns how many were imported."""
    if not preview.ok:
        raise PlanError("导入被拒绝：" + "；".join(str(p) for p in preview.problems))
    total = len(preview.rows)
    with db.session() as s:
        plan = _target_plan(s, preview, actor)
        for done, row in enumerate(preview.rows, start=1):
            if cancelled is not None and cancelled():
                raise PlanError("导入已取消，没有写入任何事项。")
            item = _new_item(s, plan, _row_to_data(row))
            names = preview.links.get(row.number, [])
            if names:
                item.object_types = list(s.query(ObjectType).filter(ObjectType.name.in_(names)))
            if progress is not None:
                progress(done, total)
        s.flush()
        ensure_departments(s, actor)  # the roster's units become departments that plans can be matched to
        audit.append(s, user=actor, action="plan.import", entity="plan", entity_id=plan.id, detail={
            "year": plan.year, "file": preview.path.name, "items": total, "replaced": preview.existing_items,
        })
    return total


def _target_plan(s: Session, preview: PlanImportPreview, actor: str) -> Plan:
    plan = find_plan(s, preview.year)
    if plan is None:
        return create_plan(s, preview.year, preview.bureau, preview.title, actor)
    if plan.items:
        if not preview.replace:
            raise PlanError(f"{preview.year}年度计划已有抽查事项，未选择替换。")
        if has_draws(s, [it.id for it in plan.items]):
            raise PlanError(f"{preview.year}年度计划已有抽取记录，不能替换。")
        plan.items.clear()
        s.flush()
    if preview.bureau and not plan.bureau:
        plan.bureau = preview.bureau
    return plan


def import_plan_file(db: Database, path, year: int, actor: str, bureau: str | None = None,
                     replace: bool = False) -> tuple[PlanImportPreview, int]:
    """Preview and apply in one go (command line, demo); refused previews import nothing."""
    preview = preview_plan_import(db, path, year, bureau, replace=replace)
    if not preview.ok:
        return preview, 0
    return preview, apply_plan_import(db, preview, actor)
