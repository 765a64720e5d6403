"""Inspection follow-up commands: write notices, count working days, the to-do list, void a notice, enter holidays."""
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
    p = add("notice", help="为已录入隐患的检查对象制作责令限期整改治安隐患通知书（.docx）")
    p.add_argument("--object", metavar="CODE", help="检查对象的统一社会信用代码（或单位名称）")
    p.add_argument("--draw", metavar="RECORD_ID", type=int, help="抽取记录编号")
    p.add_argument("--inspection", metavar="ID", type=int,
                   help="检查记录编号（代替 --object/--draw，例如非抽取的日常巡查、举报投诉检查）")
    p.add_argument("--out", metavar="FILE.docx", help="要写入的通知书文件")
    p.add_argument("--all-pending", action="store_true", help="为所有有隐患但尚无有效通知书的检查各制作一份")
    p.add_argument("--out-dir", metavar="DIR", help="与 --all-pending 一起使用：通知书写入的文件夹")
    p.add_argument("--deadline", metavar="YYYY-MM-DD", help="整改期限（默认：签发后一个月，且不超过事项的期限规则）")
    p.add_argument("--issue-date", metavar="YYYY-MM-DD", help="签发日期（默认：今天）")
    p.add_argument("--legal-basis", metavar="TEXT", help="法律依据（默认：《企业事业单位内部治安保卫条例》第十九条）")
    p.set_defaults(func=notice)

    p = add("workdays", help="按国家法定节假日和调休（及软件中录入的节假日）计算 N 个工作日之后的日期")
    p.add_argument("--from", dest="start", metavar="DATE", required=True, help="起算日期 YYYY-MM-DD（当天不计入）")
    p.add_argument("--add", metavar="N", type=int, required=True, help="工作日数（可为负数）")
    p.set_defaults(func=reads(workdays))

    p = add("todo", help="待办：待送达、送达逾期、即将到期、待复查、复查逾期")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="按此日期计算（默认：今天）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=reads(todo))

    p = add("void-notice", help="作废一份整改通知书（文号保留在记录中，不再使用）")
    p.add_argument("--number", metavar="DOCNUMBER", required=True, help="通知书文号")
    p.add_argument("--reason", metavar="TEXT", required=True, help="作废原因")
    p.set_defaults(func=void_notice)

    p = add("holiday", help="录入节假日或调休上班日（用于内置日历尚未收录的年份）")
    p.add_argument("--add", metavar="DATE", dest="day", required=True, help="日期 YYYY-MM-DD")
    kind = p.add_mutually_exclusive_group(required=True)
    kind.add_argument("--holiday", action="store_true", help="该日放假")
    kind.add_argument("--workday", action="store_true", help="该日上班（调休）")
    p.add_argument("--name", metavar="N", default="", help="节日名称，例如：春节")
    p.set_defaults(func=holiday)


def _issue_date(args) -> date:
    return _date(args.issue_date) if args.issue_date else date.today()


def _print_warnings(warnings) -> None:
    for w in warnings:
        print(f"提示：{w}", file=sys.stderr)


def notice(args, ctx) -> int:
    from models.inspection import Inspection
    from models.inspection_service import InspectionError, find_pick
    from models.notice_service import DEFAULT_LEGAL_BASIS, NoticeError, suggested_deadline, valid_notice_of
    from usecases.notice_issue import issue_notice, render_existing
    from reports.docx_render import TemplateRenderError
    from usecases.notice_batch import render_pending_notices

    legal = args.legal_basis or DEFAULT_LEGAL_BASIS
    deadline = _date(args.deadline) if args.deadline else None
    if args.all_pending:
        if not args.out_dir:
            raise CliError("使用 --all-pending 时请用 --out-dir 指定通知书写入的文件夹")
        result = render_pending_notices(ctx.db(), args.out_dir, actor=ctx.actor(), issue_date=_issue_date(args),
                                        deadline=deadline, legal_basis=legal)
        for number, path in result.written:
            print(f"{number}\t{path}")
        for unit, problem in result.failed:
            print(f"未制作：{unit}：{problem}", file=sys.stderr)
        _print_warnings(result.warnings)
        print(result.summary())
        return 1 if result.failed else 0
    if not ((args.inspection or (args.object and args.draw)) and args.out):
        raise CliError("请同时给出 --object、--draw（或 --inspection）和 --out，或使用 --all-pending --out-dir DIR")
    db = ctx.db()
    try:
        with db.session() as s:
            if args.inspection:
                insp = s.get(Inspection, args.inspection)
                if insp is None:
                    raise CliError(f"没有编号为 {args.inspection} 的检查记录")
            else:
                pick_id = find_pick(s, args.object, args.draw)
                insp = s.query(Inspection).filter_by(pick_id=pick_id).one_or_none()
            if insp is None:
                raise CliError(f"抽取记录 {args.draw} 中的“{args.object}”尚未录入检查结果")
            existing = valid_notice_of(s, insp.id)
            inspection_id, existing_id = insp.id, existing.id if existing else None
            number = existing.doc_number if existing else ""
            issue = _issue_date(args)
            due = deadline or suggested_deadline(s, insp.id, issue)
        if existing_id is not None:
            # The notice already has its number: write it again rather than consume another.
            path = render_existing(db, existing_id, Path(args.out))
            print(f"该检查已有有效通知书 {number}，已重新输出：{path}")
            return 0
        result = issue_notice(db, inspection_id, deadline=due, issue_date=issue, legal_basis=legal,
                              actor=ctx.actor(), out_path=Path(args.out))
    except (InspectionError, NoticeError, TemplateRenderError) as e:
        raise CliError(str(e)) from e
    _print_warnings(result.warnings)
    print(f"已制作通知书 {result.doc_number}：{result.path}")
    return 0


def workdays(args, ctx) -> int:
    # The holidays a clerk entered (e.g. 2027's, before the package knows them) count too, so the
    # calendar the deadlines use can be checked here; without a database file the package alone answers.
    from models.calendar_service import load_calendar, year_warning
    from models.workdays import WorkCalendar

    start = _date(args.start)
    cal, entered = WorkCalendar(), False
    if ctx.on_server or ctx.path.is_file():
        with ctx.db().session() as s:
            cal = load_calendar(s)
        entered = True
    result = cal.add_workdays(start, args.add)
    print(result.isoformat())
    for year in sorted(cal.unknown_years([start, result])):
        warning = year_warning(year)
        if not entered:
            warning = warning.replace("请在“节假日”页录入", "未找到数据库，未含软件中录入的节假日")
        print(f"提示：{warning}", file=sys.stderr)
    return 0


def todo(args, ctx) -> int:
    from models.todo import todo_list, todo_warnings

    today = _date(args.date) if args.date else date.today()
    with ctx.db().session() as s:
        entries = todo_list(s, today)
        warnings = todo_warnings(s, entries)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print(f"{today.isoformat()} 没有待办事项。")
    for e in entries:
        mark = "【逾期】" if e.overdue else ""
        print(f"{mark}{e.unit_name}\t{e.doc_number or '-'}\t{e.label}")
    _print_warnings(warnings)
    return 0


def void_notice(args, ctx) -> int:
    from models.inspection import RectificationNotice
    from models.notice_service import NoticeError
    from models.notice_service import void_notice as void

    db = ctx.db()
    with db.session() as s:
        notice_id = s.query(RectificationNotice.id).filter_by(doc_number=args.number.strip()).scalar()
    if notice_id is None:
        raise CliError(f"没有文号为“{args.number}”的整改通知书")
    try:
        void(db, notice_id, args.reason, ctx.actor())
    except NoticeError as e:
        raise CliError(str(e)) from e
    print(f"已作废通知书 {args.number}（文号保留在记录中，不再使用）。")
    return 0


def holiday(args, ctx) -> int:
    from models.calendar_service import CalendarError, add_override

    day = _date(args.day)
    try:
        with ctx.db().session() as s:
            entry = add_override(s, day, bool(args.workday), args.name, ctx.actor())
    except CalendarError as e:
        raise CliError(str(e)) from e
    print(f"已录入：{day.isoformat()} {entry.kind}{('（' + entry.name + '）') if entry.name else ''}")
    return 0
