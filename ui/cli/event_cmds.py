"""Event register commands: events (list), add-event, edit-event, stop-event, import-events FILE, template-events."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ui.cli.context import CliContext, CliError, reads


def register(sub) -> None:
    p = sub.add_parser("events", help="活动登记：列出登记的大型群众性活动等（按活动抽取的事项从中抽取）")
    p.add_argument("--year", type=int, help="只列此年度开始的活动")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="只列此日及以后开始的活动")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="只列此日及以前开始的活动")
    p.add_argument("--all", action="store_true", help="包括已停用的活动")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--export", metavar="FILE", help="同时导出为 .xlsx（列与导入模板相同）")
    p.set_defaults(func=reads(cmd_events))

    p = sub.add_parser("add-event", help="登记一场活动（举办单位须在检查对象名录中，可填名称或统一社会信用代码）")
    _event_args(p, required=True)
    p.set_defaults(func=cmd_add_event)

    p = sub.add_parser("edit-event", help="修改一场活动的登记（已被抽取的活动只能改规模和备注）")
    p.add_argument("id", type=int, metavar="ID", help="活动编号（见 events）")
    _event_args(p, required=False)
    p.set_defaults(func=cmd_edit_event)

    p = sub.add_parser("stop-event", help="停用一场活动（取消或登记有误；登记保留，不再参加抽取）")
    p.add_argument("id", type=int, metavar="ID", help="活动编号（见 events）")
    p.add_argument("--undo", action="store_true", help="重新启用")
    p.set_defaults(func=cmd_stop_event)

    p = sub.add_parser("import-events", help="从 Excel (.xlsx) 导入活动登记；任何一行有误则整个文件不导入")
    p.add_argument("file", metavar="FILE",
                   help="列为 活动名称/举办单位/地点/开始日期/结束日期/规模（人）/审批文号/备注")
    p.add_argument("--dry-run", action="store_true", help="只检查，不导入")
    p.set_defaults(func=cmd_import_events)

    p = sub.add_parser("template-events", help="生成活动登记导入模板（.xlsx）")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=reads(cmd_template_events))


def _event_args(p, *, required: bool) -> None:
    p.add_argument("--name", required=required, metavar="名称", help="活动名称，例如：2024年国庆焰火晚会")
    p.add_argument("--organiser", required=required, metavar="单位",
                   help="举办单位：名录中的单位名称或统一社会信用代码")
    p.add_argument("--date", dest="date_from", required=required, metavar="YYYY-MM-DD", help="开始日期")
    p.add_argument("--until", dest="date_to", metavar="YYYY-MM-DD", help="结束日期（默认与开始日期相同）")
    p.add_argument("--place", metavar="地点")
    p.add_argument("--scale", metavar="人数", help="规模（预计人数）")
    p.add_argument("--approval", dest="approval_no", metavar="文号", help="审批文号")
    p.add_argument("--note", metavar="TEXT", help="备注")


def _day(text: str | None, what: str):
    from models.event_service import EventError, parse_day

    if not text:
        return None
    try:
        return parse_day(text, what, "")
    except EventError as e:
        raise CliError(f"{what}：{e}") from None


def _line(e) -> str:
    state = "" if e.active else "（已停用）"
    drawn = "　已抽取" if e.drawn else ""
    scale = f"　{e.scale} 人" if e.scale is not None else ""
    return (f"#{e.id}\t{e.dates}\t{e.name}{state}\t举办单位：{e.organiser_name}\t{e.place or '—'}"
            f"\t{e.approval_no or '无文号'}{scale}{drawn}")


def cmd_events(args, ctx: CliContext) -> int:
    from models.event_service import list_events

    with ctx.db().read_session() as s:
        rows = list_events(s, year=args.year, date_from=_day(args.date_from, "--from"),
                           date_to=_day(args.date_to, "--to"), include_inactive=args.all)
    if args.export:
        from reports.event_sheet import write_event_list

        write_event_list(args.export, rows)
        print(f"已导出 {len(rows)} 场活动到 {args.export}。", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps([{"id": e.id, "name": e.name, "organiser": e.organiser_name,
                           "organiser_code": e.organiser_code, "place": e.place,
                           "date_from": e.date_from.isoformat(), "date_to": e.date_to.isoformat(), "scale": e.scale,
                           "approval_no": e.approval_no, "note": e.note, "active": e.active, "drawn": e.drawn}
                          for e in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("没有登记的活动。用 add-event 或 import-events 登记，或在“名录库 → 活动登记”中新增。")
        return 0
    for e in rows:
        print(_line(e))
    print(f"共 {len(rows)} 场活动。")
    return 0


def _data(args, base=None):
    from models.event_service import EventData

    def pick(name):
        value = getattr(args, name)
        return value if value is not None else (getattr(base, name) if base is not None else None)

    organiser = args.organiser if args.organiser is not None else (base.organiser_code or base.organiser_name
                                                                  if base is not None else "")
    return EventData(name=pick("name") or "", organiser=organiser, date_from=pick("date_from") or "",
                     date_to=pick("date_to"), place=pick("place") or "", scale=pick("scale"),
                     approval_no=pick("approval_no") or "", note=pick("note") or "")


def cmd_add_event(args, ctx: CliContext) -> int:
    from models.event_service import add_event, get_event

    db = ctx.db()
    with db.session() as s:
        new_id = add_event(s, _data(args), ctx.actor())
    with db.read_session() as s:
        print("已登记：" + _line(get_event(s, new_id)))
    return 0


def cmd_edit_event(args, ctx: CliContext) -> int:
    from models.event_service import get_event, update_event

    db = ctx.db()
    with db.session() as s:
        base = get_event(s, args.id)
        update_event(s, args.id, _data(args, base), ctx.actor(), expected_version=base.version)
    with db.read_session() as s:
        print("已修改：" + _line(get_event(s, args.id)))
    return 0


def cmd_stop_event(args, ctx: CliContext) -> int:
    from models.event_service import get_event, set_event_active

    db = ctx.db()
    with db.session() as s:
        set_event_active(s, args.id, args.undo, ctx.actor())
    with db.read_session() as s:
        print(("已启用：" if args.undo else "已停用：") + _line(get_event(s, args.id)))
    return 0


def cmd_import_events(args, ctx: CliContext) -> int:
    from models.event_service import EventImportError
    from usecases.event_import import import_event_file, preview_event_file

    path = Path(args.file)
    if not path.exists():
        raise CliError(f"找不到文件 {path}。")
    db = ctx.db()
    if args.dry_run:
        rows, problems = preview_event_file(db, path)
        if problems:
            for p in problems:
                print(str(p), file=sys.stderr)
            print("检查未通过：导入时整个文件将被拒绝。", file=sys.stderr)
            return 1
        print(f"检查通过：{path.name} 共 {len(rows)} 场活动，可以导入（未写入）。")
        return 0
    try:
        ids = import_event_file(db, path, ctx.actor())
    except EventImportError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"已登记 {len(ids)} 场活动（{path.name}）。")
    return 0


def cmd_template_events(args, ctx: CliContext) -> int:
    from reports.event_sheet import write_event_template

    write_event_template(args.file)
    print(f"已生成活动登记导入模板：{args.file}")
    return 0
