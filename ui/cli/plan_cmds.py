"""Plan commands: import-plan, show-plan, link-item, export-plan, list-plans, copy-plan."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from usecases.plan_import import apply_plan_import, preview_plan_import
from models.plan_service import (
    PlanError, copy_plan, find_item, item_to_dict, link_types, list_plans, get_plan, plan_overview,
)
from ui.cli.context import CliContext, CliError, reads


def register(sub) -> None:
    p = sub.add_parser("import-plan", help="从 .xlsx 或制表符分隔的文本导入年度抽查计划")
    p.add_argument("file", metavar="FILE", help="计划表文件（.xlsx、.tsv 或 .txt）")
    p.add_argument("--year", type=int, required=True, help="计划年度，如 2025")
    p.add_argument("--bureau", help="单位名称（默认从表格标题读取）")
    p.add_argument("--replace", action="store_true", help="替换该年度现有的抽查事项（已有抽取记录时不允许）")
    p.set_defaults(func=cmd_import_plan)

    p = sub.add_parser("show-plan", help="显示年度计划的抽查事项")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true", help="输出 JSON 数组（每个事项一个对象）")
    p.set_defaults(func=reads(cmd_show_plan))

    p = sub.add_parser("link-item", help="把抽查事项关联到名录库的对象类型")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--item", required=True, metavar="NUMBER", help="事项编号")
    p.add_argument("--type", dest="types", action="append", required=True, metavar="TYPE",
                   help="对象类型名称，可重复；关联结果以本次列出的为准")
    p.set_defaults(func=cmd_link_item)

    p = sub.add_parser("export-plan", help="导出抽查计划公示表（.xlsx 或 .docx）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("file", metavar="FILE", help="输出文件，扩展名为 .xlsx 或 .docx")
    p.set_defaults(func=reads(cmd_export_plan))

    p = sub.add_parser("list-plans", help="列出各年度抽查计划")
    p.set_defaults(func=reads(cmd_list_plans))

    p = sub.add_parser("copy-plan", help="把某年度计划复制为新年度计划")
    p.add_argument("--from", dest="from_year", type=int, required=True)
    p.add_argument("--to", dest="to_year", type=int, required=True)
    p.set_defaults(func=cmd_copy_plan)


def cmd_import_plan(args, ctx: CliContext) -> int:
    path = Path(args.file)
    if not path.exists():
        raise CliError(f"找不到文件 {path}。")
    db = ctx.db()
    preview = preview_plan_import(db, path, args.year, args.bureau, replace=args.replace)
    for w in preview.warnings:
        print(f"提示：{w}", file=sys.stderr)
    if not preview.ok:
        for p in preview.problems:
            print(str(p), file=sys.stderr)
        print("导入未进行，数据库未作任何修改。", file=sys.stderr)
        return 1
    try:
        count = apply_plan_import(db, preview, ctx.actor())
    except PlanError as e:
        raise CliError(str(e)) from e
    print(f"已导入 {count} 个抽查事项（{preview.year}年度 {preview.bureau}）。")
    unlinked = [r.number for r in preview.rows if not preview.links.get(r.number)]
    if unlinked:
        print(f"以下编号未能自动关联对象类型，请用 link-item 关联：{'、'.join(unlinked)}")
    return 0


def _short(text: str, n: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_show_plan(args, ctx: CliContext) -> int:
    with ctx.db().session() as s:
        try:
            plan = get_plan(s, args.year)
            if args.json:
                print(json.dumps([item_to_dict(it) for it in plan.items], ensure_ascii=False, indent=2))
                return 0
            rows = plan_overview(s, args.year)
        except PlanError as e:
            raise CliError(str(e)) from e
        print(f"{plan.title}（{plan.bureau}，共 {len(rows)} 项）")
    for r in rows:
        size = "—" if r.draw_size is None else str(r.draw_size)
        print(f"[{r.number}] {_short(r.item, 40)}")
        print(f"    对象类型：{'、'.join(r.type_names) or '（未关联）'}    规则：{r.rule_text}    原文：{r.ratio_text}")
        print(f"    责任单位：{r.responsible_unit or '—'}    检查时间：{r.time_text or '—'}    "
              f"名录数：{r.roster_count}    在营：{r.eligible}    预计抽取：{size}")
        if r.problems:
            print(f"    注意：{'；'.join(r.problems)}")
    return 0


def cmd_link_item(args, ctx: CliContext) -> int:
    with ctx.db().session() as s:
        try:
            item = find_item(s, args.year, args.item)
            link_types(s, item.id, args.types, ctx.actor())
        except PlanError as e:
            raise CliError(str(e)) from e
        names = "、".join(t.name for t in item.object_types)
        print(f"{args.year}年度事项 {item.number} 已关联对象类型：{names}")
    return 0


def cmd_export_plan(args, ctx: CliContext) -> int:
    from reports.plan_export import export_plan

    try:
        path = export_plan(ctx.db(), args.year, args.file)
    except (PlanError, ValueError, OSError) as e:
        raise CliError(str(e)) from e
    print(f"已导出 {path}")
    return 0


def cmd_list_plans(args, ctx: CliContext) -> int:
    with ctx.db().session() as s:
        plans = list_plans(s)
        if not plans:
            print("尚无抽查计划。可用 import-plan 导入。")
            return 0
        for p in plans:
            print(f"{p.year}\t{p.bureau}\t{len(p.items)} 项\t{p.title}")
    return 0


def cmd_copy_plan(args, ctx: CliContext) -> int:
    with ctx.db().session() as s:
        try:
            plan = copy_plan(s, args.from_year, args.to_year, ctx.actor())
        except PlanError as e:
            raise CliError(str(e)) from e
        print(f"已将 {args.from_year} 年度计划复制为 {args.to_year} 年度（{len(plan.items)} 项）。")
    return 0
