"""What follows a failed 复查 on the command line: enforce (record a next step), enforce-done, enforcement (list)."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from models.supervision import ENFORCEMENT_KINDS
from ui.cli.context import CliError, reads


def _date(text: str | None, what: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{what}“{text}”格式不正确，请写成 YYYY-MM-DD，例如 2024-06-20") from None


def register(subparsers) -> None:
    add = subparsers.add_parser
    p = add("enforce", help="复查未整改后登记后续处理：再次责令限期整改（制作新通知书）、立案查处、行政处罚、"
                            "通报抄告（制作抄告函）")
    p.add_argument("--notice", metavar="DOC_NUMBER_OR_ID", required=True, help="原整改通知书的文号或编号")
    p.add_argument("--kind", metavar="KIND", required=True, choices=ENFORCEMENT_KINDS,
                   help="处理方式：" + "、".join(ENFORCEMENT_KINDS))
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="处理日期（再次责令：新通知书签发日期；抄告：抄告函日期；默认今天）")
    p.add_argument("--deadline", metavar="YYYY-MM-DD", help="再次责令限期整改：新的整改期限（必填）")
    p.add_argument("--department", metavar="TEXT", help="通报抄告：抄告部门，例如 市场监督管理局（必填）")
    p.add_argument("--ref", metavar="TEXT", default="",
                   help="立案查处：案件编号；行政处罚：处罚决定书文号（可稍后用 enforce-done 补录）")
    p.add_argument("--note", metavar="TEXT", default="",
                   help="说明；通报抄告时为抄告函中请对方部门办理的事项（默认：请依照职责督促整改、依法处理并函告我局）")
    p.add_argument("--out", metavar="FILE.docx", help="新通知书或抄告函写入的文件（默认：数据文件夹中的“文书”）")
    p.add_argument("--no-letter", action="store_true",
                   help="通报抄告：暂不制作抄告函（留在待办中，稍后用 enforce-done 制作）")
    p.set_defaults(func=enforce)

    p = add("enforce-done", help="办结一项后续处理：补录案件编号或处罚决定书文号，或制作待制作的抄告函")
    p.add_argument("--step", metavar="ID", type=int, required=True, help="后续处理编号（见 enforcement 命令）")
    p.add_argument("--ref", metavar="TEXT", default="", help="案件编号或处罚决定书文号")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="办结日期或抄告函日期（默认今天）")
    p.add_argument("--out", metavar="FILE.docx", help="抄告函写入的文件")
    p.set_defaults(func=enforce_done)

    p = add("enforcement", help="列出复查未整改后的后续处理及其办理状态")
    p.add_argument("--notice", metavar="DOC_NUMBER_OR_ID", help="只列出这份通知书的")
    p.add_argument("--open", action="store_true", help="只列出尚未办结的")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=reads(enforcement))


def _notice_id(db, text: str) -> int:
    from models.enforcement import find_notice

    with db.session() as s:
        return find_notice(s, text).id


def _print_result(result) -> None:
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    if result.kind == ENFORCEMENT_KINDS[0]:
        print(f"已再次责令限期整改：新通知书 {result.doc_number}：{result.path}（后续处理 {result.step_id}）")
    elif result.path is not None:
        print(f"已制作抄告函 {result.doc_number}：{result.path}（后续处理 {result.step_id}）")
    elif result.done:
        print(f"已登记{result.kind}（{result.doc_number}），已办结（后续处理 {result.step_id}）")
    else:
        print(f"已登记{result.kind}，尚待办结（后续处理 {result.step_id}）")


def enforce(args, ctx) -> int:
    from usecases.enforcement import record_step

    db = ctx.db()
    notice_id = _notice_id(db, args.notice)
    result = record_step(db, notice_id, args.kind, actor=ctx.actor(), step_date=_date(args.date, "处理日期"),
                         deadline=_date(args.deadline, "整改期限"), department=args.department or "",
                         reference=args.ref, note=args.note, make_letter=not args.no_letter,
                         out_path=Path(args.out) if args.out else None)
    _print_result(result)
    return 0


def enforce_done(args, ctx) -> int:
    from usecases.enforcement import finish_step

    result = finish_step(ctx.db(), args.step, actor=ctx.actor(), reference=args.ref,
                         done_date=_date(args.date, "办结日期"), out_path=Path(args.out) if args.out else None)
    _print_result(result)
    return 0


def enforcement(args, ctx) -> int:
    from models.enforcement import find_notice, step_rows

    with ctx.db().session() as s:
        notice_id = find_notice(s, args.notice).id if args.notice else None
        rows = step_rows(s, notice_id, open_only=args.open)
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("没有" + ("尚未办结的" if args.open else "") + "后续处理。")
    for r in rows:
        print(f"{r.id}\t{r.notice_number}\t{r.unit_name}\t{r.title}\t{r.state}")
    return 0
