"""record-sheet: print the 现场检查记录 (检查笔录) to take on site — for every object of a draw, for the objects a
routine duty still needs this period (a day's round), or for one object."""
from __future__ import annotations

import sys
from datetime import date

from ui.cli.context import CliContext, CliError, reads


def register(subparsers) -> None:
    p = subparsers.add_parser("record-sheet", help="打印现场检查记录（检查笔录，.docx）：为一次抽取的每个对象各一份，"
                                                   "为日常巡查任务本期待查的每个对象各一份，或为一个检查对象打印一份")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--draw", metavar="ID", type=int, help="抽取记录编号：为其每个有效的抽中对象各打印一份")
    what.add_argument("--duty", metavar="ID", type=int,
                      help="日常巡查任务编号（见 duties 命令）：为该任务本期仍待查（含逾期）的每个对象各打印一份，"
                           "检查来源为日常巡查")
    what.add_argument("--object", metavar="CODE", help="一个检查对象的统一社会信用代码（或单位名称）")
    p.add_argument("--out-dir", metavar="DIR",
                   help="与 --draw 或 --duty 一起使用：记录写入的文件夹（按“序号-单位名称”命名）")
    p.add_argument("--combined", action="store_true", help="与 --draw 或 --duty 一起使用：另写一份合订本，便于一次打印")
    p.add_argument("--jurisdiction", metavar="辖区", help="与 --duty 一起使用：只打印此辖区的对象，例如：城关派出所")
    p.add_argument("--month", metavar="M", type=int,
                   help="与 --duty 一起使用：含该月（1～12）的那一期（默认：--date 所在的一期，否则当前一期）")
    p.add_argument("--year", metavar="Y", type=int, help="与 --duty --month 一起使用：年度（默认：今年）")
    p.add_argument("--out", metavar="FILE.docx", help="与 --object 一起使用：要写入的文件")
    p.add_argument("--source", metavar="SOURCE", default="",
                   help="检查来源：双随机抽查、日常巡查、专项检查、专项督察、全面检查、举报投诉、案后倒查、上级交办、暗访、其他"
                        "（--object 时必填）")
    p.add_argument("--ref", metavar="TEXT", default="", help="来源编号或说明，例如举报投诉的登记号、案件编号")
    p.add_argument("--inspector", metavar="BADGE", nargs="+", action="extend", default=[],
                   help="检查人员的警号（可写多个；双随机抽查默认为抽取的检查人员；日常巡查不写则留空，现场填写）")
    p.add_argument("--item", metavar="YEAR:N", help="抽查事项，例如 2024:1（检查内容取自该事项；默认按对象类型）")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="计划检查日期（默认留空，现场填写）；与 --duty 一起使用时也选定含该日的那一期")
    p.set_defaults(func=reads(record_sheet))


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"日期“{text}”格式不正确，请写成 YYYY-MM-DD，例如 2024-05-06") from None


def record_sheet(args, ctx: CliContext) -> int:
    from models.record_sheets import ObjectSheetRequest
    from usecases.record_sheets import print_draw_sheets, print_object_sheet

    day = _date(args.date)
    if args.duty is None:
        for flag, given in (("--jurisdiction", args.jurisdiction), ("--month", args.month), ("--year", args.year)):
            if given is not None:
                raise CliError(f"{flag} 只能与 --duty 一起使用（日常巡查任务按辖区和期次打印）")
    else:
        return _round(args, ctx, day)
    if args.draw is not None:
        if not args.out_dir:
            raise CliError("使用 --draw 时请用 --out-dir 指定记录写入的文件夹")
        for flag, given in (("--out", args.out), ("--source", args.source), ("--ref", args.ref),
                            ("--inspector", args.inspector), ("--item", args.item)):
            if given:
                raise CliError(f"{flag} 只能与 --object 一起使用：--draw 的来源、事项和检查人员取自抽取记录")
        result = print_draw_sheets(ctx.db(), args.draw, args.out_dir, bound=args.combined, inspect_date=day)
        for path in result.written:
            print(path)
        if result.bound is not None:
            print(result.bound)
        print(result.summary(), file=sys.stderr)
        return 0
    if not args.out:
        raise CliError("使用 --object 时请用 --out 指定要写入的 .docx 文件")
    if args.out_dir or args.combined:
        raise CliError("--out-dir 和 --combined 只能与 --draw 或 --duty 一起使用")
    if not args.source:
        raise CliError("请用 --source 写明检查来源，例如 --source 日常巡查（抽中的对象写 --source 双随机抽查）")
    request = ObjectSheetRequest(object_code=args.object, source=args.source, source_ref=args.ref,
                                 badges=list(args.inspector), item=args.item, inspect_date=day)
    path = print_object_sheet(ctx.db(), request, args.out)
    print(f"已打印现场检查记录：{path}")
    return 0


def _round(args, ctx: CliContext, day: date | None) -> int:
    from models.record_sheets_round import RoundSheetRequest
    from usecases.record_sheets import print_round_sheets

    if not args.out_dir:
        raise CliError("使用 --duty 时请用 --out-dir 指定记录写入的文件夹")
    for flag, given in (("--out", args.out), ("--source", args.source), ("--ref", args.ref), ("--item", args.item)):
        if given:
            raise CliError(f"{flag} 不能与 --duty 一起使用：日常巡查任务的来源为日常巡查，检查内容按对象类型")
    if args.year is not None and args.month is None:
        raise CliError("--year 须与 --month 一起使用（--date 已含年度）")
    request = RoundSheetRequest(duty_id=args.duty, jurisdiction=args.jurisdiction, year=args.year, month=args.month,
                                inspect_date=day, badges=list(args.inspector))
    result = print_round_sheets(ctx.db(), request, args.out_dir, bound=args.combined)
    for path in result.written:
        print(path)
    if result.bound is not None:
        print(result.bound)
    print(result.summary(), file=sys.stderr)
    return 0
