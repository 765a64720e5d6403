"""results-sheet / import-results: the team's result sheet for a draw or a routine duty's round, and reading it
back all or nothing.

The import runs every row through the same service as the 检查记录 form; --dry-run runs it and rolls back.
"""
from __future__ import annotations

import sys

from ui.cli.context import CliContext, CliError, reads


def register(subparsers) -> None:
    p = subparsers.add_parser("results-sheet",
                              help="导出检查结果填报表（.xlsx）：一次抽取的每个有效抽中对象一行，或一项日常巡查任务"
                                   "本期待查的每个对象一行，供检查组填写后导入")
    task = p.add_mutually_exclusive_group(required=True)
    task.add_argument("--draw", metavar="ID", type=int, help="抽取记录编号")
    task.add_argument("--duty", metavar="ID", type=int,
                      help="日常巡查任务编号（见 duties 命令）：导出该任务本期仍待查（含逾期）的对象，"
                           "导入时每行记为一次日常巡查，检查人员必填")
    p.add_argument("--jurisdiction", metavar="辖区", help="与 --duty 同用：只导出此辖区的对象，例如：城关派出所")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--month", metavar="M", type=int,
                      help="与 --duty 同用：含该月（1～12）的那一期（默认：当前一期）")
    when.add_argument("--date", metavar="YYYY-MM-DD",
                      help="与 --duty 同用：这一天的巡查（含该日的那一期；填报表中检查日期留空即为这一天）")
    p.add_argument("--year", metavar="Y", type=int, help="与 --duty --month 同用：年度（默认：今年）")
    p.add_argument("file", metavar="FILE.xlsx", help="要写入的 .xlsx 文件")
    p.set_defaults(func=reads(results_sheet))
    p = subparsers.add_parser("import-results",
                              help="导入填好的检查结果填报表；任何一行有误则整个文件不导入")
    p.add_argument("file", metavar="FILE.xlsx", help="填好的检查结果填报表")
    p.add_argument("--dry-run", action="store_true",
                   help="只检查不导入：按检查记录的规则逐行检查，列出新增/更新/无变化/跳过/问题，不写入任何数据")
    p.add_argument("--update", action="store_true",
                   help="表中已录入检查结果的对象按表修改（默认：内容不同即拒绝导入）")
    p.set_defaults(func=import_results)


def results_sheet(args, ctx: CliContext) -> int:
    from reports.results_sheet import export_draw_sheet, export_round_sheet
    from ui.cli.inspection_cmds import _date

    if args.draw is not None:
        extra = [name for name in ("jurisdiction", "month", "date", "year") if getattr(args, name) is not None]
        if extra:
            raise CliError(f"--{extra[0]} 只能与 --duty 同用（抽取记录的填报表按抽取结果导出）")
        rows, title = export_draw_sheet(ctx.db(), args.draw, args.file)
    else:
        if args.year is not None and args.date is not None:
            raise CliError("--year 与 --date 不能同用：--date 已含年度")
        rows, title = export_round_sheet(ctx.db(), args.duty, args.file, jurisdiction=args.jurisdiction,
                                         year=args.year, month=args.month,
                                         day=_date(args.date) if args.date else None)
    print(f"已导出{title}：{rows} 个检查对象 → {args.file}")
    return 0


def preview_lines(preview) -> list[str]:
    """What the import dialog shows before 确认导入, as text."""
    lines = [preview.title or preview.path]
    shown = len(preview.sample_rows)
    lines.append(f"前 {shown} 行（共 {preview.total_rows} 行）：" if shown < preview.total_rows
                 else f"全部 {shown} 行：")
    lines.append("\t".join(["行", "序号", "单位名称", "导入后", "检查结果", "检查人员", "隐患"]))
    lines += ["\t".join([str(r.row), r.seq, r.object_name, r.outcome, r.result, r.officers, str(r.hazards)])
              for r in preview.sample_rows]
    lines.append(f"导入后将：{preview.summary()}；问题 {preview.problem_count} 处。")
    return lines


def import_results(args, ctx: CliContext) -> int:
    from usecases.results_import import ImportCancelled, apply_results_import, preview_results_import

    db = ctx.db()
    try:
        preview = preview_results_import(db, args.file, update=args.update, actor=ctx.actor())
        if args.dry_run:
            print("\n".join(preview_lines(preview)))
        if not preview.ok:
            for line in preview.problem_lines():
                print(line, file=sys.stderr)
            print(f"文件 {args.file} 中有 {preview.problem_count} 处问题，未导入任何数据。", file=sys.stderr)
            return 1
        if args.dry_run:
            print("试运行（--dry-run）：未写入任何数据。去掉 --dry-run 即按上述内容导入。")
            return 0
        done = apply_results_import(db, preview, ctx.actor())
    except ImportCancelled:
        print("已取消导入，数据库未作任何修改。", file=sys.stderr)
        return 130
    print(f"已导入 {args.file}：{done.summary()}。")
    return 0
