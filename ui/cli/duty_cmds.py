"""Routine duty commands: duties (list with coverage per 辖区), import-duties FILE, add-duty."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from ui.cli.context import CliContext, CliError, reads


def register(sub) -> None:
    p = sub.add_parser("duties", help="日常巡查任务及其覆盖情况：各辖区本期已查、待查、逾期的对象")
    p.add_argument("--year", type=int, help="年度（默认：今年）")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--month", type=int, metavar="M", help="看含该月（1～12）的那一期（默认：当前一期）")
    group.add_argument("--period", type=int, metavar="N",
                       help="看第 N 期（每月任务为第 N 月，每季度任务为第 N 季度……）")
    p.add_argument("--duty", type=int, metavar="ID", action="append", help="只看此编号的任务（可重复）")
    p.add_argument("--jurisdiction", metavar="辖区", help="只看此辖区，例如：城关派出所")
    p.add_argument("--objects", action="store_true", help="同时列出待查和逾期的对象")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="按此日期判断待查或逾期（默认：今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（含已查、待查、逾期对象的名单）")
    p.set_defaults(func=reads(cmd_duties))

    p = sub.add_parser("import-duties",
                       help="从 .xlsx 或制表符分隔的文本导入日常巡查任务；任何一行有误则整个文件不导入")
    p.add_argument("file", metavar="FILE",
                   help="列为 对象类型/责任单位/频次/次数/比例/依据 的表格，"
                        "或一列巡查要求原文（如“旅馆业要求每月…1次”）")
    p.set_defaults(func=cmd_import_duties)

    p = sub.add_parser("add-duty", help="新增一项日常巡查任务（按频次填写，或用 --text 写巡查要求原文）")
    p.add_argument("--type", dest="type_name", metavar="对象类型", help="检查对象类型，例如：旅馆")
    p.add_argument("--period", metavar="频次", help="每月、每两个月、每季度、每半年或每年")
    p.add_argument("--times", type=int, default=1, help="每期对每个对象检查几次（默认 1）")
    p.add_argument("--share", type=int, default=100, metavar="百分比", help="每期检查对象的比例（默认 100，即全部）")
    p.add_argument("--unit", default="", metavar="单位", help="责任单位（默认：对象所在辖区的派出所）")
    p.add_argument("--text", metavar="原文", help="巡查要求原文，例如“印章、典当业每季度不少于1次”（可产生多项任务）")
    p.add_argument("--basis", default="", metavar="TEXT", help="依据（默认：--text 的原文）")
    p.set_defaults(func=cmd_add_duty)


def _day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"日期“{text}”格式不正确，请写成 YYYY-MM-DD，例如 2024-05-06") from None


def _names(objects) -> str:
    return "、".join(o.name for o in objects)


def cmd_duties(args, ctx: CliContext) -> int:
    from models.duties import list_duties
    from models.duty_coverage import DUE, OVERDUE, coverage

    today = _day(args.date)
    year = args.year or today.year
    with ctx.db().session() as s:
        if args.duty:
            known = {d.id for d in list_duties(s, include_inactive=True)}
            missing = [i for i in args.duty if i not in known]
            if missing:
                raise CliError(f"--duty：没有编号为 {missing[0]} 的日常巡查任务")
        found = coverage(s, year, month=args.month, index=args.period, today=today, duty_ids=args.duty,
                         jurisdiction=args.jurisdiction)
    if args.json:
        print(json.dumps([c.as_dict() for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("尚未声明日常巡查任务。用 add-duty 或 import-duties 声明，或在“检查与整改 → 巡查任务”中新增。")
        return 0
    for cov in found:
        d = cov.duty
        state = "" if d.active else "（已停用）"
        print(f"#{d.id} {d.label}{state}　责任单位：{d.unit_label}　{cov.period_name}"
              f"（{cov.start.isoformat()}—{cov.end.isoformat()}）")
        if d.basis:
            print(f"　依据：{d.basis}")
        if not cov.groups:
            print("　名录库中没有该类型的在营对象。")
        for g in cov.groups:
            print(f"　{g.group}\t对象 {g.total}\t应查 {g.required}\t已查 {g.done}\t待查 {g.due}\t逾期 {g.overdue}")
            if args.objects:
                for label, state_name in (("待查", DUE), ("逾期", OVERDUE)):
                    objects = g.of_state(state_name)
                    if objects:
                        print(f"　　{label}：{_names(objects)}")
        print(f"　合计\t对象 {cov.total}\t应查 {cov.required}\t已查 {cov.done}\t待查 {cov.due}\t逾期 {cov.overdue}")
    return 0


def cmd_import_duties(args, ctx: CliContext) -> int:
    from usecases.duty_import import import_duty_file

    path = Path(args.file)
    if not path.exists():
        raise CliError(f"找不到文件 {path}。")
    preview, count = import_duty_file(ctx.db(), path, ctx.actor())
    if not preview.ok:
        for p in preview.problems:
            print(str(p), file=sys.stderr)
        print("导入未进行，数据库未作任何修改。", file=sys.stderr)
        return 1
    print(f"已导入 {count} 项日常巡查任务（{path.name}）：")
    for row, d in preview.duties:
        print(f"　第 {row} 行\t{d.type_name}\t{d.unit or '辖区派出所'}\t{d.period}{d.times}次\t{d.share_percent}%")
    return 0


def cmd_add_duty(args, ctx: CliContext) -> int:
    from models.duties import DutyData, add_duty, duties_from_sentence, duty_label

    db = ctx.db()
    with db.session() as s:
        if args.text:
            duties = duties_from_sentence(s, args.text, args.type_name)
            for d in duties:
                d.unit = args.unit
                d.basis = args.basis or d.basis
        else:
            if not args.type_name or not args.period:
                raise CliError("请给出 --type 和 --period，或用 --text 写巡查要求原文")
            duties = [DutyData(args.type_name, args.period, args.times, args.share, args.unit, args.basis)]
        ids = [add_duty(s, d, ctx.actor()) for d in duties]
    for duty_id, d in zip(ids, duties):
        print(f"已新增日常巡查任务 #{duty_id}：{duty_label(d.type_name, d.period, d.times, d.share_percent)}，"
              f"责任单位：{d.unit or '辖区派出所'}")
    return 0
