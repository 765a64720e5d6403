"""Publicity commands: export-results, export-tasks, export-report, and the year's figures for `stats --year`."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from ui.cli.context import CliContext, CliError, reads


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--as-of 日期“{text}”无效：请按 YYYY-MM-DD 填写") from None


def _common(p, what: str) -> None:
    p.add_argument("--year", type=int, required=True, metavar="Y", help="计划年度")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="按此日期判断整改情况（默认今天）")
    p.add_argument("file", metavar="FILE", help=what)


def register(sub) -> None:
    p = sub.add_parser("export-results", help="导出抽查结果公示表（.xlsx 或 .docx），全年或一次抽取")
    _common(p, "要写入的 .xlsx 或 .docx 文件")
    p.add_argument("--record", type=int, metavar="ID", help="只导出这条抽取记录（一次抽查任务）的结果")
    p.set_defaults(func=reads(cmd_export_results))
    p = sub.add_parser("export-tasks", help="导出抽查任务公示（每次抽取的事项、日期、数量和抽中对象）")
    _common(p, "要写入的 .xlsx 或 .docx 文件")
    p.set_defaults(func=reads(cmd_export_tasks))
    p = sub.add_parser("export-report", help="生成年度统计报告（.docx，含统计表和图表）")
    _common(p, "要写入的 .docx 文件")
    p.set_defaults(func=reads(cmd_export_report))


def _export(run, done_text: str) -> int:
    from models.plan_service import PlanError
    from models.year_data import YearDataError

    try:
        path = run()
    except (PlanError, YearDataError, ValueError, OSError) as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"{done_text}：{Path(path)}")
    return 0


def cmd_export_results(args, ctx: CliContext) -> int:
    from reports.publicity import export_results

    db = ctx.db()
    what = f"抽取记录 #{args.record} 的抽查结果公示表" if args.record else f"{args.year}年度抽查结果公示表"
    return _export(lambda: export_results(db, args.year, args.file, record_id=args.record,
                                          as_of=_as_of(args.as_of)), f"已导出{what}")


def cmd_export_tasks(args, ctx: CliContext) -> int:
    from reports.publicity import export_tasks

    db = ctx.db()
    return _export(lambda: export_tasks(db, args.year, args.file, as_of=_as_of(args.as_of)),
                   f"已导出{args.year}年度抽查任务公示")


def cmd_export_report(args, ctx: CliContext) -> int:
    from reports.year_report import export_report

    db = ctx.db()
    return _export(lambda: export_report(db, args.year, args.file, as_of=_as_of(args.as_of)),
                   f"已生成{args.year}年度统计报告")


def year_figures(session, year: int) -> dict:
    """The year's statistics for `stats --year` (raises PlanError when the year has no plan)."""
    from models.plan_service import PlanError
    from models.statistics import year_stats

    try:
        return year_stats(session, year).as_dict()
    except PlanError as e:
        raise CliError(str(e)) from e


def year_lines(fig: dict) -> list[str]:
    """`stats --year` in words (without --json)."""
    from models.statistics import percent

    t, cov = fig["total"], fig["coverage"]
    planned = "—" if t["planned"] is None else t["planned"]
    lines = [f"{fig['year']}年度：计划 {planned} 户，已抽取 {t['drawn']} 户，已检查 {t['inspected']} 户"
             f"（占可抽对象 {percent(t['share'])}），{t['reached']}计划"]
    for item in fig["items"]:
        p = "—" if item["planned"] is None else item["planned"]
        lines.append(f"  {item['label']}：计划 {p}，抽取 {item['drawn']}，检查 {item['inspected']}，{item['reached']}")
    found = "，".join(f"{k} {v}" for k, v in fig["results"].items() if v)
    lines.append(f"  检查结果：{found or '暂无'}")
    lines.append(f"  整改通知书 {t['notices']} 份：" + "，".join(f"{k} {v}" for k, v in fig["rectification"].items()))
    e = fig.get("enforcement") or {}
    if e.get("unrectified"):
        lines.append(f"  复查未整改 {e['unrectified']} 份：" + "，".join(
            f"{k} {v['recorded']}（未办结 {v['open']}）" for k, v in e["steps"].items())
                     + f"，未登记后续处理 {e['pending']}")
    lines.append(f"  {cov['first_year']}—{cov['last_year']}年未检查对象：{cov['never']} / {cov['objects']} 户"
                 f"（{percent(cov['never_share'])}）")
    return lines
