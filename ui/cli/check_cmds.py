"""check, check-reply, export-checks: checks that were not drawn (日常巡查, 举报投诉 …) from the command line.

The same service as the 登记检查 dialog (models.check_service), so the same refusals: nothing pre-decided,
at least two officers, a complaint's reference and date.
"""
from __future__ import annotations

from pathlib import Path

from ui.cli.context import CliContext, CliError, reads
from ui.cli.inspection_cmds import _date, _verdicts


def register(subparsers) -> None:
    from models.check_service import COMPLAINT_REPLY_WORKDAYS, DUTY_SOURCES, OTHER_SOURCES

    p = subparsers.add_parser("check", help="登记一次非抽取的检查（日常巡查、专项检查、举报投诉、案后倒查、"
                                            "上级交办等）：检查结论、检查结果和发现的治安隐患")
    p.add_argument("--object", metavar="CODE", required=True, help="检查对象的统一社会信用代码（或单位名称）")
    p.add_argument("--source", metavar="SOURCE", required=True, help=f"检查来源：{'、'.join(OTHER_SOURCES)}")
    p.add_argument("--ref", metavar="TEXT", default="",
                   help="来源编号：举报投诉编号、案件编号或交办文件文号（举报投诉、案后倒查、上级交办必填）")
    p.add_argument("--source-date", metavar="YYYY-MM-DD", help="受理日期（举报投诉必填：收到举报投诉的日期）")
    p.add_argument("--reply-due", metavar="YYYY-MM-DD",
                   help=f"举报投诉的答复期限（默认：受理后{COMPLAINT_REPLY_WORKDAYS}个工作日）")
    p.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="检查日期（多日检查时为开始日期）")
    p.add_argument("--to", metavar="YYYY-MM-DD", help="检查结束日期（默认与 --date 相同）")
    p.add_argument("--inspector", metavar="BADGE", nargs="+", action="extend", default=[], required=True,
                   help="实际参加检查的人员的警号（不少于两人），例如 --inspector 130001 130002")
    p.add_argument("--item", metavar="YEAR:N", help="使用该抽查事项的检查内容，例如 2024:1（默认：不分项）")
    p.add_argument("--duty", metavar="ID", type=int,
                   help=f"这次检查属于哪一项日常巡查任务（任务编号见 duties 命令），只计入该任务的巡查覆盖；"
                        f"检查来源应为{'、'.join(DUTY_SOURCES)}之一")
    p.add_argument("--result", metavar="类别", default="",
                   help="检查结果，例如：未发现问题、发现问题待后续处理（必填，软件不预先选择）")
    p.add_argument("--subkind", metavar="TEXT", default="", help="问题类别，例如：违反公安部门相关规定")
    p.add_argument("--check", metavar="序号=结论", action="append", default=[],
                   help="一项检查内容的结论（符合、不符合、不适用），例如 --check 1=符合；"
                        "选择了 --item 时每一项都必须填写")
    p.add_argument("--hazard", metavar="内容::条款", action="append", default=[],
                   help="发现的治安隐患及违反的条款，用“::”（或“|”）分隔，"
                        "例如 --hazard \"消防通道堆放杂物::《中华人民共和国消防法》第二十八条\"")
    p.add_argument("--method", metavar="TEXT", default="实地检查", help="核查方式（默认：实地检查）")
    p.add_argument("--unit", metavar="TEXT", help="检查执行部门（默认：抽查事项的责任单位）")
    p.add_argument("--follow-up", metavar="TEXT", default="", help="后续处置措施，例如：责令限期整改")
    p.add_argument("--note", metavar="TEXT", default="", help="备注")
    p.set_defaults(func=check)

    p = subparsers.add_parser("check-reply", help="登记举报投诉已答复举报人（记入检查台账，待办中不再提醒）")
    p.add_argument("--inspection", metavar="ID", type=int, required=True, help="检查记录编号")
    p.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="答复日期")
    p.add_argument("--note", metavar="TEXT", default="", help="答复内容摘要")
    p.set_defaults(func=check_reply)

    p = subparsers.add_parser("export-checks", help="导出某年度全部检查（含日常巡查、举报投诉等非抽取检查及其来源）的"
                                                    "内部检查台账（.xlsx 或 .docx，不用于公示）")
    p.add_argument("--year", type=int, required=True, metavar="Y", help="年度（按检查结束日期）")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="按此日期判断整改情况（默认今天）")
    p.add_argument("file", metavar="FILE", help="要写入的 .xlsx 或 .docx 文件")
    p.set_defaults(func=reads(export_checks))


def _hazard(value: str):
    from models.inspection_service import HazardInput

    sep = "::" if "::" in value else "|"
    text, _sep, clause = value.partition(sep)
    return HazardInput(text, clause)


def check(args, ctx: CliContext) -> int:
    from sqlalchemy import select

    from models.check_service import CheckData, check_form, find_item, find_object, record_check
    from models.inspection_service import CheckInput
    from models.roster import Inspector

    day = _date(args.date)
    db = ctx.db()
    with db.session() as s:
        object_id = find_object(s, args.object)
        item_id = find_item(s, args.item) if args.item else None
        form = check_form(s, object_id, item_id)
        badges = [b.strip() for value in args.inspector for b in value.replace("，", ",").split(",") if b.strip()]
        found = dict(s.execute(select(Inspector.badge_no, Inspector.id).where(Inspector.badge_no.in_(badges))).all())
        missing = [b for b in badges if b not in found]
        if missing:
            raise CliError(f"--inspector：名录库中没有警号为“{missing[0]}”的检查人员")
    if args.check and not form.checklist:
        raise CliError("--check：未选择检查事项（--item），本次检查没有分项检查内容")
    verdicts = _verdicts(args.check, form.checklist)
    data = CheckData(
        object_id=object_id, source=args.source.strip(), source_ref=args.ref,
        source_date=_date(args.source_date) if args.source_date else None,
        reply_due=_date(args.reply_due) if args.reply_due else None, plan_item_id=item_id, duty_id=args.duty,
        date_from=day, date_to=_date(args.to) if args.to else day, inspector_ids=[found[b] for b in badges],
        result_category=args.result, result_subkind=args.subkind,
        # An entry without --check goes to the service unset, which names it.
        checks=[CheckInput(entry_id, verdicts.get(entry_id, "")) for entry_id, _seq, _t in form.checklist],
        hazards=[_hazard(v) for v in args.hazard], method=args.method,
        executing_unit=args.unit if args.unit is not None else form.responsible_unit, follow_up=args.follow_up,
        note=args.note)
    with db.session() as s:
        inspection_id = record_check(s, data, ctx.actor())
        from models.inspection import Inspection

        due = s.get(Inspection, inspection_id).reply_due
        if args.duty is not None:
            from models.duties import get_duty

            duty_label = get_duty(s, args.duty).label
    extra = f"，答复期限 {due.isoformat()}" if due else ""
    if args.duty is not None:
        extra += f"，计入日常巡查任务 #{args.duty}（{duty_label}）"
    print(f"已登记“{form.object_name}”的{data.source}（检查记录 {inspection_id}）：{args.result}，"
          f"治安隐患 {len(data.hazards)} 项{extra}")
    return 0


def check_reply(args, ctx: CliContext) -> int:
    from models.check_list import record_reply

    with ctx.db().session() as s:
        record_reply(s, args.inspection, _date(args.date), ctx.actor(), args.note)
    print(f"已登记检查记录 {args.inspection} 的举报投诉答复（{args.date}）。")
    return 0


def export_checks(args, ctx: CliContext) -> int:
    from reports.check_export import export_checks as export

    as_of = _date(args.as_of) if args.as_of else None
    try:
        path = export(ctx.db(), args.year, args.file, as_of=as_of)
    except (ValueError, OSError) as e:
        raise CliError(str(e)) from e
    print(f"已导出{args.year}年度检查台账：{Path(path)}")
    return 0
