"""Draw commands: draw --seal, verify-draw, verify-audit, export-anchor, list-draws, export-draw (sealing:
seal_cmds)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from models.errors import UserError
from models.users import Role
from ui.cli.context import CliContext, CliError, reads

# The draw or seal is committed, but a file asked for beside it (--record, --docx, --json) could not
# be written. Not 1: a script that retries on failure would draw (or seal) a second time.
EXIT_SAVED_NOT_WRITTEN = 3
SAVED_EXIT_NOTE = ("退出码：0 成功；1 未保存（原因见提示）；3 已保存，但要求的文件未能写出"
                   "——请勿重复操作，按提示重新导出。")


def _witness_args(p, *, place: bool = True) -> None:
    p.add_argument("--witness", dest="witnesses", action="append", required=True, metavar="NAME",
                   help="监督人/见证人姓名，可重复（至少一人）")
    p.add_argument("--entropy", action="append", required=True, metavar="TEXT",
                   help="现场随机数：报出的数字、骰子点数、约定日期的彩票开奖号码等，可重复（至少一项）")
    if place:
        p.add_argument("--place", default="", metavar="P", help="抽取地点")
    p.add_argument("--record", metavar="FILE.json", help="把抽取记录（规范 JSON）另存为此文件")
    p.add_argument("--docx", metavar="FILE.docx", help="同时生成抽取结果记录表（Word）")


def register(sub) -> None:
    from ui.cli import seal_cmds

    seal_cmds.register(sub)
    p = sub.add_parser("draw", help="按已封存的抽取公告随机抽取检查对象和检查人员（无动画），保存锁定的抽取记录",
                       epilog=SAVED_EXIT_NOTE)
    p.add_argument("--year", type=int, required=True, help="公告年度")
    p.add_argument("--seal", type=int, required=True, metavar="N", help="抽取公告编号（先用 seal 封存）")
    _witness_args(p)
    p.set_defaults(func=cmd_draw)

    p = sub.add_parser("verify-draw", help="只凭抽取记录文件复核抽取结果（不打开数据库）")
    p.add_argument("file", metavar="RECORD.json", help="抽取记录文件")
    p.add_argument("--announcement", metavar="A.json", help="公示的抽取公告文件；给出时还核对记录正是按该公告抽取的")
    p.add_argument("--hash", metavar="HEX",
                   help="抽取结果记录表上印的“本记录哈希”；给出时还核对时间、地点、见证人等未被改动")
    p.add_argument("--replaces", metavar="OLD.json",
                   help="重抽或替补所替代的抽取记录文件；给出时还核对两者的关联（哈希、事项、轮次、辖区、替补名单）")
    p.set_defaults(func=reads(cmd_verify_draw))

    p = sub.add_parser("verify-audit",
                       help="检查审计日志的哈希链，抽取记录、抽取公告、抽中对象表与审计日志是否互相一致，"
                            "以及每个证据材料文件的 SHA-256")
    p.add_argument("--against", metavar="FILE",
                   help="与此前导出的锚点、抽取记录、抽取公告（.json）或抽查结果/任务公示表（.xlsx/.docx）核对")
    p.set_defaults(func=reads(cmd_verify_audit))

    p = sub.add_parser("export-anchor", help="导出锚点文件：审计日志最新条目和全部抽取记录、抽取公告的哈希"
                                             "（供日后 verify-audit --against 核对）")
    p.add_argument("file", metavar="FILE.json")
    p.set_defaults(func=reads(cmd_export_anchor))

    p = sub.add_parser("list-draws", help="列出抽取公告（含作废、已抽取）和抽取记录及其状态")
    p.add_argument("--year", type=int, metavar="Y")
    p.set_defaults(func=reads(cmd_list_draws))

    p = sub.add_parser("export-draw", help="导出抽取记录：.json 为可复核的记录文件，.docx 为抽取结果记录表")
    p.add_argument("--record-id", type=int, required=True, metavar="ID")
    p.add_argument("file", metavar="FILE", help="输出文件，扩展名为 .json 或 .docx")
    p.set_defaults(func=reads(cmd_export_draw))


def print_preparation(prep, show_list: bool) -> None:
    print(f"抽查事项：{prep.year} 年度 {prep.item_number}．{prep.item_name}（第 {prep.round} 轮）")
    print(f"抽查比例和频次：{prep.rule_text}（{prep.rule_desc}）")
    if prep.level:
        print(f"实施层级：{prep.level}" + (f"（本次按{prep.level_rule}抽取）" if prep.level_rule else ""))
    from models.draw_levels import county_counts

    if counts := county_counts(prep):
        print("各县（区）局可抽对象：" + "；".join(f"{c} {n} 户" for c, n in counts.items()))
    print(f"辖区：{prep.jurisdiction or '不限'}")
    per = "；".join(f"{k} {len(m)}" for k, m in prep.strata.items())
    print(f"可抽检查对象：{prep.total_eligible} 户（{per}）")
    if prep.excluded:
        print("未列入：" + "；".join(f"{k} {v} 户" for k, v in prep.excluded.items()))
    from models.full_coverage import coverage_note, is_full_coverage

    if is_full_coverage(prep):
        print(f"抽取数量：全部 {prep.total_size} 户")
    else:
        print("抽取数量：" + "；".join(f"{k} {v}" for k, v in prep.sizes.items()))
    if note := coverage_note(prep):
        print(note)
    if prep.partner_gap_reason:
        print(f"配合部门缺员原因（随公告封存）：{prep.partner_gap_reason}")
    print(f"检查人员：责任单位 {'、'.join(prep.responsible_units) or '（无）'}，每对象 {prep.per_object} 人"
          + (f"；配合部门 {'、'.join(prep.partner_units)} 各 1 人" if prep.partner_units else ""))
    for note in prep.notes:
        print(f"提示：{note}")
    print(f"名单指纹：{prep.fingerprint}")
    print(f"设置指纹：{prep.setup_fingerprint}")
    if show_list:
        from models.draw_prepare import candidate_list_rows

        for n, stratum, name, code, risk in candidate_list_rows(prep):
            print(f"  {n:>5}  {stratum}  {code}  {name}  {risk}")


def _print_result(saved) -> None:
    rec = saved.record
    print("现场随机数：" + " | ".join(rec["entropy"]["normalised"]))
    print(f"随机种子：{rec['seed']}")
    people = {a["order"]: a["inspectors"] for a in rec["assignments"]}
    print(f"抽取结果（记录编号 {saved.id}）：")
    for p in rec["picks"]:
        names = "、".join(f"{i['name']}({i['unit']})" for i in people.get(p["order"], []))
        stratum = "" if p["stratum"] == "全部" else f"[{p['stratum']}] "
        print(f"  {p['order'] + 1:>4}. {stratum}{p['name']}  {p['code']}  检查人员：{names}")
    from models.full_coverage import load_summary

    if load := load_summary(rec):
        print(load)
    if reason := rec.get("announcement", {}).get("partner_gap_reason"):
        print(f"配合部门缺员原因：{reason}")
    print(f"记录哈希：{saved.record_hash}")


def cli_command(ctx: CliContext, words: str) -> str:
    """The command line to type again, with this run's --db when one was given."""
    db = f"--db {quoted(ctx.db_path)} " if ctx.db_path else ""
    return f"python main.py {db}{words}"


def quoted(path) -> str:
    """A path as typed on a command line (Windows and POSIX shells alike): in double quotes when it holds a space."""
    text = str(path)
    return f'"{text}"' if any(ch.isspace() for ch in text) else text


def write_saved_outputs(outputs, *, saved: str, again, do_not: str) -> int:
    """Write each (path, label, write) asked for beside something the database has already committed.

    A file that cannot be written does not undo the commit, so it is reported as saved-but-not-written
    (exit EXIT_SAVED_NOT_WRITTEN) with the command that exports each missing file again.
    """
    from ui.cli import explain_unexpected

    for i, (path, label, write) in enumerate(outputs):
        try:
            write()
        except (UserError, OSError) as e:
            reason = str(e) if isinstance(e, UserError) else explain_unexpected(e)[0]
            redo = "；".join(again(quoted(p)) for p, _, _ in outputs[i:])
            print(f"{saved}，但文件未能写出：{reason.rstrip('。')}。{do_not}；可用 {redo} 重新导出。", file=sys.stderr)
            return EXIT_SAVED_NOT_WRITTEN
        print(f"{label}已保存到 {path}")
    return 0


def _write_outputs(args, ctx: CliContext, saved, status: str) -> int:
    from models.draw_record import record_to_json

    def docx() -> None:
        from reports.draw_docs import current_audit_head, record_events, write_draw_record_docx

        write_draw_record_docx(saved.record, status, args.docx, audit_head=current_audit_head(ctx.db()),
                               events=record_events(ctx.db(), saved.id))

    outputs = []
    if args.record:
        outputs.append((args.record, "抽取记录", lambda: _write_json(Path(args.record), record_to_json(saved.record))))
    if args.docx:
        outputs.append((args.docx, "抽取结果记录表", docx))
    return write_saved_outputs(outputs, saved=f"抽取已保存（抽取记录编号 {saved.id}）", do_not="请勿重复抽取",
                               again=lambda path: cli_command(ctx, f"export-draw --record-id {saved.id} {path}"))


def _may_draw(ctx: CliContext) -> None:
    if getattr(ctx, "role", "") == Role.READ_ONLY:
        raise CliError("只读用户不能进行抽取。")


def _write_json(path: Path, text: str) -> None:
    from reports.atomic import write_text_atomic

    write_text_atomic(path, text, ".json", error=CliError, explain=lambda p, e: f"无法写入文件 {p}：{e}")


def cmd_draw(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.draw_service import STATUS_VALID, draw_sealed

    db = ctx.db()
    _may_draw(ctx)
    try:
        saved = draw_sealed(db, args.year, args.seal, entropy=args.entropy, witnesses=args.witnesses,
                            place=args.place, operator=ctx.actor())
    except DrawError as e:
        raise CliError(f"{e}\n未保存任何抽取结果。") from e
    rec = saved.record
    print(f"抽取公告：{rec['meta']['announcement_number']}　承诺值 {rec['commitment']}")
    print(f"抽查事项：{rec['meta']['year']} 年度 {rec['item']['number']}．{rec['item']['name']}"
          f"（第 {rec['round']} 轮）")
    print(f"名单指纹：{rec['fingerprint']}")
    print(f"设置指纹：{rec['setup_fingerprint']}")
    _print_result(saved)
    return _write_outputs(args, ctx, saved, STATUS_VALID)


def _read_json(path: Path, what: str):
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as e:
        raise CliError(f"找不到{what}文件 {path}。") from e
    except (OSError, UnicodeDecodeError) as e:
        raise CliError(f"无法读取{what}文件 {path}：{e}") from e
    except RecursionError as e:
        raise CliError(f"{what}文件 {path} 嵌套层数过深（文件可能已损坏或被人为构造），无法读取。") from e
    except ValueError as e:
        raise CliError(f"{what}文件 {path} 不是有效的 JSON：{e}") from e


def cmd_verify_draw(args, ctx: CliContext) -> int:
    # Deliberately never opens the database: the published files alone must be enough.
    from models.draw_verify import hash_problem, verify_record

    expected = "".join((args.hash or "").split()).lower() or None
    problem = hash_problem(expected)
    if problem:  # a mistyped hash is the reader's slip, not the record's fault
        raise CliError(problem)
    record = _read_json(Path(args.file), "记录")
    announcement = _read_json(Path(args.announcement), "公告") if args.announcement else None
    replaced = _read_json(Path(args.replaces), "被替代的记录") if args.replaces else None
    result = verify_record(record, expected_hash=expected, announcement=announcement, replaced=replaced)
    if result.ok:
        print(result.message)
        return 0
    print(f"不一致：{result.message}", file=sys.stderr)
    return 1


def _against(path: Path):
    """An anchor, record or announcement (.json), or an exported publicity table (.xlsx/.docx) read as an anchor."""
    if path.suffix.lower() not in (".xlsx", ".docx"):
        return _read_json(path, "核对")
    from models.draw_audit import listing_from_lines
    from reports.publicity import published_lines

    if not path.is_file():
        raise CliError(f"找不到要核对的文件：{path}")
    try:
        lines = published_lines(path)
    except Exception as e:  # a damaged or foreign file: say so instead of a traceback
        raise CliError(f"无法读取 {path}：不是可识别的 Excel 或 Word 公示文件（{type(e).__name__}）。") from e
    listing = listing_from_lines(lines)
    if listing is None:
        raise CliError(f"{path} 中没有可核对的记录哈希、公告承诺值或审计日志头："
                       "请使用本软件导出的公示表、锚点或记录文件。")
    return listing


def cmd_verify_audit(args, ctx: CliContext) -> int:
    from models.audit import verify_chain
    from models.draw_audit import check_against, draw_problems

    from models.evidence_audit import attachment_problems, file_count

    against = _against(Path(args.against)) if args.against else None
    with ctx.db().read_session() as s:
        check = verify_chain(s)
        problems = draw_problems(s)
        if against is not None:
            problems += check_against(s, against)
        evidence = attachment_problems(s)  # every attached file's SHA-256, recomputed from the stored bytes
        files = file_count(s)
    if not check.ok:
        print(check.message, file=sys.stderr)
        return 1
    if problems or evidence:
        for title, found in (("审计日志与抽取记录不一致：", problems), ("证据材料与登记或审计日志不一致：", evidence)):
            if found:
                print(title, file=sys.stderr)
                for p in found:
                    print(f"  · {p}", file=sys.stderr)
        return 1
    extra = f"与 {args.against} 所列一致。" if against is not None else ""
    evidence_ok = f"{files} 个证据材料文件的内容与登记的 SHA-256 和审计日志一致。" if files else ""
    print(check.message + "每条抽取记录和抽取公告都有对应的审计条目，每个审计条目都有对应的记录，"
          "抽中对象表与锁定的记录一致。" + evidence_ok + extra)
    return 0


def cmd_export_anchor(args, ctx: CliContext) -> int:
    from models.draw_announcement import canonical_json
    from models.draw_audit import anchor

    with ctx.db().read_session() as s:
        data = anchor(s)
    _write_json(Path(args.file), canonical_json(data))
    head = data["audit_head"]
    print(f"锚点已保存到 {args.file}：审计日志第 {head['id']} 条，哈希 {head['hash']}；"
          f"抽取记录 {len(data['records'])} 条，抽取公告 {len(data['announcements'])} 份")
    return 0


def cmd_list_draws(args, ctx: CliContext) -> int:
    from models.draw_service import list_draws
    from models.seal_service import list_announcements

    with ctx.db().read_session() as s:
        rows = list_draws(s, args.year)
        sealed = list_announcements(s, args.year)
    if sealed:
        print("抽取公告：")
        for a in sealed:
            state = {"已抽取": f"已抽取（记录 #{a.draw_id}）", "作废": f"作废：{a.void_reason}"}.get(a.status, a.status)
            print(f"  {a.label}  {a.sealed_at:%Y-%m-%d %H:%M}  {a.item_number}．{a.item_name}  第 {a.round} 轮"
                  f"  {a.jurisdiction or '不限辖区'}  {state}  承诺值 {a.commitment[:16]}…")
    if not rows:
        print("没有抽取记录。")
        return 0
    print("抽取记录：")
    for r in rows:
        extra = f"  替代记录 {r.replaces_id}：{r.reason}" if r.replaces_id else ""
        print(f"{r.id:>5}  {r.time:%Y-%m-%d %H:%M}  {r.year} 年 {r.item_number}．{r.item_name}  第 {r.round} 轮  "
              f"{r.kind_label}  {r.picks} 户  {r.status}  指纹 {r.fingerprint[:12]}…{extra}")
    return 0


def cmd_export_draw(args, ctx: CliContext) -> int:
    from models.draw_engine import DrawError
    from models.draw_record import record_to_json
    from models.draw_service import load_record, record_status

    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".docx"):
        raise CliError(f"不支持的文件类型“{path.suffix or '（无扩展名）'}”：请使用 .json 或 .docx。")
    try:
        with ctx.db().read_session() as s:
            record = load_record(s, args.record_id)
            status = record_status(s, args.record_id)
    except DrawError as e:
        raise CliError(str(e)) from e
    if suffix == ".json":
        _write_json(path, record_to_json(record))
    else:
        from reports.draw_docs import DrawDocError, current_audit_head, record_events, write_draw_record_docx

        try:
            write_draw_record_docx(record, status, path, audit_head=current_audit_head(ctx.db()),
                                   events=record_events(ctx.db(), args.record_id))
        except DrawDocError as e:
            raise CliError(str(e)) from e
    print(f"抽取记录 {args.record_id}（{status}）已导出到 {path}")
    return 0
