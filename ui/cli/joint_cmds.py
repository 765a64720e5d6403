"""综合查一次 commands: propose and create joint tasks, record the visit once, print its record, its one notice and
the lead department's 联合检查汇总表 — the same services as the 综合查一次 tab."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from ui.cli.context import CliError, reads


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"日期“{text}”格式不正确，请写成 YYYY-MM-DD，例如 2024-05-06") from None


def register(subparsers) -> None:
    add = subparsers.add_parser
    p = add("joint-tasks", help="综合查一次：列出、建议或生成联合检查任务（同一单位被多个事项抽中时一次检查）")
    p.add_argument("--year", metavar="Y", type=int, required=True, help="计划年度")
    p.add_argument("--period", metavar="H1|H2|Q1…", default="Y", help="期间：Y 全年（默认）、H1/H2 半年、Q1—Q4 季度")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--propose", action="store_true", help="列出本期被 2 个以上事项抽中、尚未编组的单位")
    what.add_argument("--create", action="store_true", help="为建议的单位（或 --object 指定的单位）生成联合检查任务")
    what.add_argument("--auto", action="store_true", help="按计划中的“综合查一次分组”自动编组")
    what.add_argument("--cancel", metavar="TASK_ID", type=int,
                      help="撤销一个联合检查任务（须写 --reason），释放其抽取结果")
    p.add_argument("--object", metavar="CODE", action="append", default=[],
                   help="与 --create 一起使用：只为此单位生成（统一社会信用代码或名称，可重复）")
    p.add_argument("--lead", metavar="UNIT", help="与 --create 一起使用：牵头部门（默认：第一个事项的发起部门）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="与 --create 一起使用：计划检查日期")
    p.add_argument("--reason", metavar="TEXT", default="", help="撤销原因")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=joint_tasks)

    p = add("joint-group", help="把计划中的几个抽查事项设为一个“综合查一次”分组：抽中同一单位时自动编为联合检查任务")
    p.add_argument("--year", metavar="Y", type=int, required=True, help="计划年度")
    p.add_argument("--items", metavar="N,N", required=True, help="抽查事项编号，用逗号分隔，例如 8,9,10")
    p.add_argument("--name", metavar="TEXT", default="",
                   help="分组名称，例如 网安综合查一次（留空：取消这些事项的分组）")
    p.set_defaults(func=joint_group)

    p = add("joint-visit", help="录入一次联合检查的结果：同一日期、同一检查组，每个事项各自的检查结果")
    p.add_argument("--task", metavar="ID", type=int, required=True, help="联合检查任务编号")
    p.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="检查日期（多日检查时为开始日期）")
    p.add_argument("--to", metavar="YYYY-MM-DD", help="检查结束日期（默认与 --date 相同）")
    p.add_argument("--result", metavar="事项=类别", action="append", default=[],
                   help="一个事项的检查结果，例如 --result 1=未发现问题（每个事项都必须填写）")
    p.add_argument("--check", metavar="事项:序号=结论", action="append", default=[],
                   help="一项检查内容的结论，例如 --check 1:2=符合（每个事项的每一项都必须填写）")
    p.add_argument("--hazard", metavar="事项:内容|条款", action="append", default=[],
                   help="发现的治安隐患，例如 --hazard \"2:消防通道堆放杂物|《中华人民共和国消防法》第二十八条\"")
    p.add_argument("--inspectors", metavar="警号,警号", help="实际参加检查的人员（默认：任务的联合检查组）")
    p.add_argument("--change-reason", metavar="TEXT", default="", help="与抽取的检查人员不一致时的原因")
    p.set_defaults(func=joint_visit)

    p = add("joint-record", help="打印联合检查任务的现场检查记录（.docx，每个事项的检查内容各成一节）")
    p.add_argument("--task", metavar="ID", type=int, required=True, help="联合检查任务编号")
    p.add_argument("file", metavar="FILE.docx", help="要写入的文件")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="印在记录上的检查日期（默认：已录入或计划的日期，否则留空）")
    p.set_defaults(func=reads(joint_record))

    p = add("joint-notice", help="为联合检查任务制作一份整改通知书，列出各事项发现的全部治安隐患")
    p.add_argument("--task", metavar="ID", type=int, required=True, help="联合检查任务编号")
    p.add_argument("--out", metavar="FILE.docx", help="要写入的通知书文件（默认：数据目录）")
    p.add_argument("--issue-date", metavar="YYYY-MM-DD", help="签发日期（默认：今天）")
    p.add_argument("--deadline", metavar="YYYY-MM-DD", help="整改期限（默认：按事项的期限规则）")
    p.set_defaults(func=joint_notice)

    p = add("joint-summary", help="导出牵头部门的联合检查汇总表（.xlsx 或 .docx），按任务或按期间")
    p.add_argument("file", metavar="FILE", help="要写入的 .xlsx 或 .docx 文件")
    p.add_argument("--task", metavar="ID", type=int, help="一个联合检查任务")
    p.add_argument("--year", metavar="Y", type=int, help="或：一个年度的全部任务")
    p.add_argument("--period", metavar="H1|H2|Q1…", help="与 --year 一起使用：期间")
    p.set_defaults(func=reads(joint_summary))


def _proposal_dict(p) -> dict:
    return {"object": p.object_name, "credit_code": p.credit_code, "items": [x.item_number for x in p.picks],
            "picks": [x.pick_id for x in p.picks], "auto": p.auto}


def _row_dict(r) -> dict:
    return {"task": r.task_id, "year": r.year, "period": r.period, "object": r.object_name,
            "credit_code": r.credit_code, "items": r.items, "team": r.team, "lead_unit": r.lead_unit,
            "visit_date": r.visit_date.isoformat() if r.visit_date else None, "status": r.status}


def joint_tasks(args, ctx) -> int:
    from models.joint_service import (
        PERIOD_LABELS, cancel_task, create_tasks, group_automatically, list_tasks, parse_period, propose,
    )

    period = parse_period(args.period)
    when = f"{args.year}年{PERIOD_LABELS[period]}"
    if args.propose or not (args.create or args.auto or args.cancel):
        if not args.propose:
            ctx.writes = False
        with ctx.db().read_session() as s:
            if args.propose:
                found = propose(s, args.year, period)
                if args.json:
                    print(json.dumps([_proposal_dict(p) for p in found], ensure_ascii=False, indent=1))
                    return 0
                print(f"这 {len(found)} 个单位{when}被 2 个以上事项抽中，尚未编入联合检查任务：")
                for p in found:
                    mark = "（同一综合查一次分组）" if p.auto else ""
                    print(f"{p.object_name}\t{p.credit_code}\t事项 {p.items_label}{mark}")
                return 0
            rows = list_tasks(s, args.year, None if period == "Y" else period)
        if args.json:
            print(json.dumps([_row_dict(r) for r in rows], ensure_ascii=False, indent=1))
            return 0
        for r in rows:
            day = r.visit_date.isoformat() if r.visit_date else "未定"
            print(f"#{r.task_id}\t{r.year}{r.period_label}\t{r.object_name}\t事项 {r.items}\t{r.status}\t"
                  f"检查日期 {day}\t牵头 {r.lead_unit}\t检查组 {r.team}")
        print(f"共 {len(rows)} 个联合检查任务")
        return 0
    db = ctx.db()
    if args.cancel:
        with db.session() as s:
            cancel_task(s, args.cancel, args.reason, ctx.actor())
        print(f"已撤销联合检查任务 #{args.cancel}，其抽取结果可重新编组或分别检查")
        return 0
    with db.session() as s:
        if args.auto:
            result = group_automatically(s, args.year, ctx.actor())
        else:
            result = create_tasks(s, args.year, period, ctx.actor(), objects=args.object or None,
                                  lead_unit=args.lead, visit_date=_date(args.date) if args.date else None)
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    print(f"已生成 {len(result.task_ids)} 个联合检查任务：" + "、".join(f"#{t}" for t in result.task_ids))
    return 0


def joint_group(args, ctx) -> int:
    from models.joint_service import set_joint_group

    numbers = [n.strip() for n in args.items.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    with ctx.db().session() as s:
        done = set_joint_group(s, args.year, numbers, args.name, ctx.actor())
    if args.name.strip():
        print(f"已将{args.year}年度抽查事项 {'、'.join(done)} 设为综合查一次分组“{args.name.strip()}”："
              "此后抽中同一单位时自动编为联合检查任务")
    else:
        print(f"已取消{args.year}年度抽查事项 {'、'.join(done)} 的综合查一次分组")
    return 0


def _split_item(value: str, option: str, example: str) -> tuple[str, str]:
    item, sep, rest = value.partition(":" if ":" in value else "：")
    if not sep or not item.strip():
        raise CliError(f"{option} “{value}” 格式不正确，例如 {example}")
    return item.strip(), rest


def joint_visit(args, ctx) -> int:
    from sqlalchemy import select

    from models.inspection_service import CheckInput, HazardInput
    from models.joint_visit import JointItemResult, JointVisitData, joint_visit_form, record_joint_visit
    from models.roster import Inspector

    db = ctx.db()
    with db.session() as s:
        form = joint_visit_form(s, args.task)
        ids = list(form.team_ids)
        if args.inspectors:
            badges = [b.strip() for b in args.inspectors.replace("，", ",").split(",") if b.strip()]
            found = dict(s.execute(select(Inspector.badge_no, Inspector.id)
                                   .where(Inspector.badge_no.in_(badges))).all())
            missing = [b for b in badges if b not in found]
            if missing:
                raise CliError(f"--inspectors：名录库中没有警号为“{missing[0]}”的检查人员")
            ids = [found[b] for b in badges]
    numbers = {p.item_number: (p, f) for p, f in zip(form.detail.picks, form.forms)}

    def item_of(number: str, option: str):
        if number not in numbers:
            raise CliError(f"{option}：联合检查任务 #{args.task} 没有抽查事项“{number}”（有：{'、'.join(numbers)}）")
        return numbers[number]

    results = {}
    for value in args.result:
        number, sep, category = value.partition("=")
        if not sep:
            raise CliError(f"--result “{value}” 格式不正确，例如 --result 1=未发现问题")
        item_of(number.strip(), "--result")
        results[number.strip()] = category.strip()
    verdicts: dict[str, dict[int, str]] = {}
    for value in args.check:
        number, rest = _split_item(value, "--check", "--check 1:2=符合")
        _pick, one = item_of(number, "--check")
        seq, sep, verdict = rest.partition("=")
        by_seq = {q: e for e, q, _t in one.checklist}
        if not sep or not seq.strip().isdigit() or int(seq) not in by_seq:
            raise CliError(f"--check “{value}”：事项 {number} 没有该项检查内容（共 {len(by_seq)} 项），"
                           "例如 --check 1:2=符合")
        verdicts.setdefault(number, {})[by_seq[int(seq)]] = verdict.strip()
    hazards: dict[str, list[HazardInput]] = {}
    for value in args.hazard:
        number, rest = _split_item(value, "--hazard", "--hazard \"2:消防通道堆放杂物|《消防法》第二十八条\"")
        item_of(number, "--hazard")
        text, _sep, clause = rest.partition("|")
        hazards.setdefault(number, []).append(HazardInput(text, clause))
    items = [JointItemResult(p.pick_id, results.get(n, ""),
                             # an entry without --check goes to the service unset, which names it
                             [CheckInput(e, verdicts.get(n, {}).get(e, "")) for e, _q, _t in f.checklist],
                             hazards.get(n, []), follow_up="责令限期整改" if hazards.get(n) else "")
             for n, (p, f) in numbers.items()]
    day = _date(args.date)
    data = JointVisitData(args.task, day, _date(args.to) if args.to else day, ids, items,
                          change_reason=args.change_reason)
    with db.session() as s:
        saved = record_joint_visit(s, data, ctx.actor())
    print(f"已录入联合检查任务 #{args.task}（{form.detail.object_name}）的检查结果：{len(saved)} 个事项，"
          f"检查记录 " + "、".join(str(i) for i in saved) + f"，治安隐患 {sum(len(h) for h in hazards.values())} 项")
    return 0


def joint_record(args, ctx) -> int:
    from reports.joint_docs import render_joint_record

    path = render_joint_record(ctx.db(), args.task, Path(args.file),
                               inspect_date=_date(args.date) if args.date else None)
    print(f"已输出联合检查现场检查记录：{path}")
    return 0


def joint_notice(args, ctx) -> int:
    from usecases.joint_notice import issue_joint_notice, joint_notice_target
    from usecases.notice_issue import render_existing

    db = ctx.db()
    _inspection, existing = joint_notice_target(db, args.task)
    if existing:
        from models.notice_service import valid_notice_of

        with db.read_session() as s:
            notice_id = valid_notice_of(s, _inspection).id
        path = render_existing(db, notice_id, Path(args.out) if args.out else None)
        print(f"该联合检查任务已有整改通知书 {existing}，已重新输出：{path}")
        return 0
    result = issue_joint_notice(db, args.task, issue_date=_date(args.issue_date) if args.issue_date else date.today(),
                                deadline=_date(args.deadline) if args.deadline else None, actor=ctx.actor(),
                                out_path=Path(args.out) if args.out else None)
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    print(f"已制作通知书 {result.doc_number}：{result.path}")
    return 0


def joint_summary(args, ctx) -> int:
    from models.errors import UserError
    from reports.joint_docs import export_summary

    if args.task is None and args.year is None:
        raise CliError("请用 --task ID 指定一个联合检查任务，或用 --year（和 --period）指定期间")
    try:
        path = export_summary(ctx.db(), Path(args.file), task_id=args.task, year=args.year, period=args.period)
    except ValueError as e:  # check_target's refusal of the file, in Chinese
        if isinstance(e, UserError):
            raise
        raise CliError(str(e)) from e
    print(f"已导出联合检查汇总表：{path}")
    return 0
