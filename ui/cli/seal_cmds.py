"""Sealing commands: seal, void-seal, export-seal, the sealed 重抽 / 替补 (redraw, substitute); the draw is `draw
--seal N`."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ui.cli.context import CliContext, CliError, reads
from ui.cli.draw_cmds import SAVED_EXIT_NOTE, cli_command, write_saved_outputs


def _lottery_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as e:
        raise CliError(f"开奖日期「{text}」格式错误，应为 YYYY-MM-DD，例如 2024-05-07。") from e


def _source_args(p) -> None:
    p.add_argument("--entropy-source", required=True, metavar="TEXT",
                   help="随机数来源：哪些见证人在何时何地报数或掷骰子，或哪一期公开彩票开奖（抽取前公示）")
    p.add_argument("--lottery-date", metavar="YYYY-MM-DD", help="公开彩票的开奖日期（须晚于封存日期）")
    p.add_argument("--json", metavar="FILE", help="把抽取公告另存为规范 JSON（其 SHA-256 即承诺值）")
    p.add_argument("--docx", metavar="FILE", help="生成抽取公告（Word，一页摘要含承诺值和见证人签名栏，附待抽名单）")


def register(sub) -> None:
    p = sub.add_parser("seal", help="封存抽取公告：固定待抽名单、抽取设置和随机数来源，在任何随机数产生之前公示",
                       epilog=SAVED_EXIT_NOTE)
    p.add_argument("--year", type=int, required=True, help="计划年度")
    p.add_argument("--item", required=True, metavar="N", help="抽查事项编号")
    p.add_argument("--round", type=int, default=1, metavar="R", help="抽查轮次（默认 1）")
    p.add_argument("--jurisdiction", metavar="J", help="只在此辖区（派出所）内抽取")
    p.add_argument("--county", metavar="县（区）局",
                   help="县抽县查：为此县（区）局抽取（其辖区的对象、其单位的检查人员；每轮每县一次）")
    p.add_argument("--size", type=int, metavar="K", help="指定抽取数量（优先于计划中的比例）")
    p.add_argument("--share", type=int, metavar="百分比",
                   help="按活动抽取的事项：抽取本期登记活动的百分之几（默认全部活动；--size 则为场数）")
    p.add_argument("--events-from", metavar="YYYY-MM-DD",
                   help="按活动抽取的事项：本期自此日起（默认计划年度 1 月 1 日）")
    p.add_argument("--events-to", metavar="YYYY-MM-DD",
                   help="按活动抽取的事项：本期至此日止（默认计划年度 12 月 31 日）")
    p.add_argument("--responsible-unit", dest="responsible_units", action="append", metavar="U",
                   help="检查人员的责任单位，可重复（默认取计划中的责任单位）")
    p.add_argument("--partner-unit", dest="partner_units", action="append", metavar="U",
                   help="部门联合抽查的配合部门，可重复（默认按计划中的配合部门匹配）")
    p.add_argument("--partner-gap-reason", default="", metavar="原因",
                   help="部门联合抽查缺少配合部门检查人员时，只抽公安人员的原因（随公告封存，并在抽查任务公示中列明）")
    p.add_argument("--per-object", type=int, default=2, metavar="N", help="每个对象的责任单位检查人员数（至少 2）")
    p.add_argument("--show-list", action="store_true", help="列出全部待抽对象")
    p.add_argument("--replace-open", action="store_true",
                   help="本事项本轮次已有尚未抽取的公告时，将其作废（须用 --reason 写明原因；旧公告保留并显示为作废）")
    p.add_argument("--reason", metavar="TEXT", help="与 --replace-open 一起使用：作废旧公告的原因")
    _source_args(p)
    p.set_defaults(func=cmd_seal)

    p = sub.add_parser("void-seal", help="作废一份尚未抽取的抽取公告（须写明原因；公告保留并显示为作废）")
    p.add_argument("--year", type=int, required=True, metavar="Y")
    p.add_argument("--number", type=int, required=True, metavar="N", help="公告编号（年度内序号）")
    p.add_argument("--reason", required=True, help="作废原因")
    p.set_defaults(func=cmd_void_seal)

    p = sub.add_parser("redraw", help="为一条抽取记录封存重抽公告（须写明原因），再用 draw --seal 抽取；原记录保留",
                       epilog=SAVED_EXIT_NOTE)
    p.add_argument("--record-id", type=int, required=True, metavar="ID")
    p.add_argument("--reason", required=True, help="重抽原因")
    _gap_arg(p)
    _source_args(p)
    p.set_defaults(func=cmd_redraw)

    p = sub.add_parser("substitute", help="为抽取记录中的一个对象封存替补公告（如发现已注销），再用 draw --seal 抽取",
                       epilog=SAVED_EXIT_NOTE)
    p.add_argument("--record-id", type=int, required=True, metavar="ID")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--object", metavar="CODE|NAME",
                       help="被替代对象的统一社会信用代码或证件号码（完整号码），或名称（记录中只有一个对象叫此名称时）")
    which.add_argument("--object-id", type=int, metavar="ID",
                       help="被替代对象的对象编号（证件类型为“无”且名称相同时用它；名称有歧义时会列出记录中各对象的编号）")
    p.add_argument("--reason", required=True, help="替补原因")
    _gap_arg(p)
    _source_args(p)
    p.set_defaults(func=cmd_substitute)

    p = sub.add_parser("export-seal",
                       help="重新导出已封存的抽取公告：.json 为规范 JSON（其 SHA-256 即承诺值），.docx 为打印的公告")
    p.add_argument("--year", type=int, required=True, metavar="Y", help="公告年度")
    p.add_argument("--number", type=int, required=True, metavar="N", help="公告编号（年度内序号）")
    p.add_argument("file", metavar="FILE", help="输出文件，扩展名为 .json 或 .docx")
    p.set_defaults(func=reads(cmd_export_seal))


def _gap_arg(p) -> None:
    p.add_argument("--partner-gap-reason", default="", metavar="原因",
                   help="部门联合抽查的原记录未带配合部门检查人员（如在此规则之前抽取）而现在仍缺少时，只抽公安人员的原因"
                        "（随新公告封存并公示；不填则沿用原记录封存的原因）")


def _print_gap_reason(ann) -> None:
    if reason := ann.announcement.get("partner_gap_reason"):
        print(f"配合部门缺员原因（随公告封存并公示）：{reason}")


def _may_seal(ctx: CliContext) -> None:
    if getattr(ctx, "role", "") == "只读":
        raise CliError("只读用户不能封存或抽取。")


def _print_sealed(ann, args, ctx: CliContext) -> int:
    from reports.draw_docs import current_audit_head
    from reports.seal_docs import write_announcement_docx, write_announcement_json

    a = ann.announcement
    print(f"抽取公告 {ann.label} 已封存：{a['item']['number']}．{a['item']['name']}　第 {a['round']} 轮"
          f"　{a['jurisdiction'] or '不限辖区'}　待抽 {len(a['candidates'])} 户，"
          f"抽取 {sum(a['rule']['sizes'].values())} 户")
    print(f"随机数来源：{a['entropy_source']['text']}"
          + (f"（开奖日期 {a['entropy_source']['lottery_date']}）" if a['entropy_source']['lottery_date'] else ""))
    print(f"公告编号：{ann.number}")
    print(f"承诺值：{ann.commitment}")
    outputs = []
    if args.json:
        outputs.append((args.json, "抽取公告", lambda: write_announcement_json(a, args.json)))
    if args.docx:
        outputs.append((args.docx, "抽取公告（Word）", lambda: write_announcement_docx(
            a, ann.commitment, args.docx, audit_head=current_audit_head(ctx.db()))))
    code = write_saved_outputs(
        outputs, saved=f"抽取公告已封存（公告编号 {ann.label}，即 --year {ann.year} --number {ann.number}）",
        do_not="请勿重复封存",
        again=lambda path: cli_command(ctx, f"export-seal --year {ann.year} --number {ann.number} {path}"))
    print(f"请打印公告由见证人签名并公示；"
          f"抽取时运行：draw --year {ann.year} --seal {ann.number} --witness … --entropy …")
    return code


def _event_period(args) -> list[str] | None:
    """--events-from/--events-to as the period a per-event item covers (either one defaults to the plan year's end)."""
    if not (args.events_from or args.events_to):
        return None
    return [args.events_from or f"{args.year}-01-01", args.events_to or f"{args.year}-12-31"]


def cmd_seal(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.draw_service import prepare_draw
    from models.seal_service import STATUS_OPEN, STATUS_VOID, list_announcements, seal
    from ui.cli.draw_cmds import print_preparation

    db = ctx.db()
    _may_seal(ctx)
    when = _lottery_date(args.lottery_date)
    replace = " ".join((args.reason or "").split())
    if args.replace_open and not replace:
        raise CliError("使用 --replace-open 作废尚未抽取的旧公告时，必须用 --reason 写明作废原因。")
    if replace and not args.replace_open:
        raise CliError("--reason 是作废旧公告的原因，只能与 --replace-open 一起使用。")
    if args.county and args.jurisdiction:
        raise CliError("--county 与 --jurisdiction 只能选一个：县抽县查按县（区）局抽取。")
    try:
        with db.read_session() as s:
            if args.county:
                from models.draw_levels import check_county

                args.jurisdiction = check_county(s, args.county)
            prep = prepare_draw(s, args.year, args.item, round=args.round, jurisdiction=args.jurisdiction,
                                size_override=args.size, responsible_units=args.responsible_units,
                                partner_units=args.partner_units, per_object=args.per_object,
                                partner_gap_reason=args.partner_gap_reason, event_share=args.share,
                                event_period=_event_period(args))
        print_preparation(prep, args.show_list)
        with db.read_session() as s:
            before = {a.label for a in list_announcements(s, args.year) if a.status == STATUS_OPEN}
        ann = seal(db, prep, entropy_source=args.entropy_source, lottery_date=when, operator=ctx.actor(),
                   replace_open=replace or None)
    except DrawError as e:
        raise CliError(f"{e}\n未封存抽取公告。") from e
    with db.read_session() as s:
        for a in list_announcements(s, args.year):
            if a.label in before and a.status == STATUS_VOID:
                print(f"原抽取公告 {a.label} 已作废：{a.void_reason}（公告保留，编号不再使用）")
    return _print_sealed(ann, args, ctx)


def cmd_void_seal(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.seal_service import void

    db = ctx.db()
    _may_seal(ctx)
    try:
        ann = void(db, args.year, args.number, reason=args.reason, operator=ctx.actor())
    except DrawError as e:
        raise CliError(str(e)) from e
    print(f"抽取公告 {ann.label} 已作废：{ann.void_reason}（公告保留，编号不再使用）")
    return 0


def cmd_redraw(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.seal_service import seal_redraw

    db = ctx.db()
    _may_seal(ctx)
    when = _lottery_date(args.lottery_date)
    try:
        ann = seal_redraw(db, args.record_id, reason=args.reason, entropy_source=args.entropy_source,
                          lottery_date=when, operator=ctx.actor(), partner_gap_reason=args.partner_gap_reason)
    except DrawError as e:
        raise CliError(f"{e}\n未封存重抽公告。") from e
    print(f"已为抽取记录 {args.record_id} 封存重抽公告（原因：{args.reason.strip()}）。")
    _print_gap_reason(ann)
    return _print_sealed(ann, args, ctx)


def cmd_substitute(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.draw_service import find_substitute_object
    from models.seal_service import seal_substitute

    db = ctx.db()
    _may_seal(ctx)
    when = _lottery_date(args.lottery_date)
    try:
        with db.read_session() as s:
            obj = find_substitute_object(s, args.record_id, args.object or "", args.object_id)
            label, object_id = f"{obj.name}（{obj.credit_code or '无证件'}，对象编号 {obj.id}）", obj.id
        ann = seal_substitute(db, args.record_id, object_id, reason=args.reason,
                              entropy_source=args.entropy_source, lottery_date=when, operator=ctx.actor(),
                              partner_gap_reason=args.partner_gap_reason)
    except DrawError as e:
        raise CliError(f"{e}\n未封存替补公告。") from e
    print(f"已为 {label} 封存替补公告。")
    _print_gap_reason(ann)
    return _print_sealed(ann, args, ctx)


def cmd_export_seal(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.seal_service import STATUS_OPEN, announcement_state, find_announcement
    from reports.draw_docs import current_audit_head
    from reports.seal_docs import write_announcement_docx, write_announcement_json

    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".docx"):
        raise CliError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”：请使用 .json 或 .docx。")
    try:
        with ctx.db().read_session() as s:
            ann = announcement_state(s, find_announcement(s, args.year, args.number))
    except DrawError as e:
        raise CliError(str(e)) from e
    if suffix == ".json":
        write_announcement_json(ann.announcement, path)
    else:  # an open one prints as it did when sealed; a drawn or voided one says so
        write_announcement_docx(ann.announcement, ann.commitment, path, audit_head=current_audit_head(ctx.db()),
                                status="" if ann.status == STATUS_OPEN else ann.status)
    print(f"抽取公告 {ann.label}（{ann.status}）已导出到 {path}")
    return 0
