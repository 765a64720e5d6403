"""inspection: record the inspection of a drawn object from the command line, with the same rules as the form.

Nothing is pre-decided here either: without --result and a --check for every checklist entry the
service refuses, naming what is unset, exactly as the 检查记录 form does.
"""
from __future__ import annotations

from datetime import date

from ui.cli.context import CliContext, CliError


def register(subparsers) -> None:
    p = subparsers.add_parser("inspection",
                              help="录入（或修改）一个抽中对象的检查结果：检查结论、检查结果和发现的治安隐患")
    p.add_argument("--object", metavar="CODE", required=True, help="检查对象的统一社会信用代码（或单位名称）")
    p.add_argument("--draw", metavar="RECORD_ID", type=int, required=True, help="抽取记录编号")
    p.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="检查日期（多日检查时为开始日期）")
    p.add_argument("--to", metavar="YYYY-MM-DD", help="检查结束日期（默认与 --date 相同）")
    p.add_argument("--result", metavar="类别", default="",
                   help="检查结果，例如：未发现问题、发现问题待后续处理（必填，软件不预先选择）")
    p.add_argument("--subkind", metavar="TEXT", default="", help="问题类别，例如：违反公安部门相关规定")
    p.add_argument("--check", metavar="序号=结论", action="append", default=[],
                   help="一项检查内容的结论（符合、不符合、不适用），例如 --check 1=符合；每一项都必须填写")
    p.add_argument("--hazard", metavar="内容|条款", action="append", default=[],
                   help="发现的治安隐患及违反的条款，用“|”分隔，"
                        "例如 --hazard \"消防通道堆放杂物|《中华人民共和国消防法》第二十八条\"")
    p.add_argument("--inspectors", metavar="警号,警号", help="实际参加检查的人员的警号（默认：抽取的检查人员）")
    p.add_argument("--change-reason", metavar="TEXT", default="", help="实际检查人员与抽取结果不一致时的原因")
    p.add_argument("--method", metavar="TEXT", default="实地检查", help="核查方式（默认：实地检查）")
    p.add_argument("--unit", metavar="TEXT", help="检查执行部门（默认：抽查事项的责任单位）")
    p.add_argument("--follow-up", metavar="TEXT", default="", help="后续处置措施，例如：责令限期整改")
    p.set_defaults(func=inspection)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"日期“{text}”格式不正确，请写成 YYYY-MM-DD，例如 2024-05-06") from None


def _verdicts(values: list[str], checklist) -> dict[int, str]:
    """{entry id: verdict} from '序号=结论' arguments; unknown numbers are refused."""
    by_seq = {seq: entry_id for entry_id, seq, _text in checklist}
    chosen: dict[int, str] = {}
    for value in values:
        seq, sep, verdict = value.partition("=")
        if not sep or not seq.strip().isdigit():
            raise CliError(f"--check “{value}” 格式不正确，请写成 序号=结论，例如 --check 1=符合")
        if int(seq) not in by_seq:
            raise CliError(f"--check “{value}”：该抽查事项没有第{int(seq)}项检查内容（共 {len(by_seq)} 项）")
        chosen[by_seq[int(seq)]] = verdict.strip()
    return chosen


def inspection(args, ctx: CliContext) -> int:
    from sqlalchemy import select

    from models.inspection_service import (
        CheckInput, HazardInput, InspectionData, find_pick, inspection_form, save_inspection,
    )
    from models.roster import Inspector

    day = _date(args.date)
    db = ctx.db()
    with db.session() as s:
        pick_id = find_pick(s, args.object, args.draw)
        form = inspection_form(s, pick_id)
        if args.inspectors:
            badges = [b.strip() for b in args.inspectors.replace("，", ",").split(",") if b.strip()]
            found = dict(s.execute(select(Inspector.badge_no, Inspector.id)
                                   .where(Inspector.badge_no.in_(badges))).all())
            missing = [b for b in badges if b not in found]
            if missing:
                raise CliError(f"--inspectors：名录库中没有警号为“{missing[0]}”的检查人员")
            inspector_ids = [found[b] for b in badges]
        else:
            inspector_ids = [i for i, _n, _u in form.drawn]
    verdicts = _verdicts(args.check, form.checklist)
    hazards = []
    for value in args.hazard:
        text, _sep, clause = value.partition("|")
        hazards.append(HazardInput(text, clause))
    data = InspectionData(
        pick_id=pick_id, date_from=day, date_to=_date(args.to) if args.to else day, inspector_ids=inspector_ids,
        result_category=args.result, result_subkind=args.subkind,
        # An entry without --check goes to the service unset, which names it.
        checks=[CheckInput(entry_id, verdicts.get(entry_id, "")) for entry_id, _seq, _t in form.checklist],
        hazards=hazards, change_reason=args.change_reason, method=args.method,
        executing_unit=args.unit if args.unit is not None else form.responsible_unit, follow_up=args.follow_up)
    with db.session() as s:
        inspection_id = save_inspection(s, data, ctx.actor())
    done = "修改" if form.inspection_id else "录入"
    print(f"已{done}“{form.object_name}”的检查结果（检查记录 {inspection_id}）：{args.result}，"
          f"治安隐患 {len(hazards)} 项")
    return 0
