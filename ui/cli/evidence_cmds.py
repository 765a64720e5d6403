"""Evidence commands: attach files or a 执法记录仪 number to an inspection, list them, save one out, withdraw one.

The same service as the 证据材料 dialog (models.evidence through usecases.evidence_files): the size
limit, the kinds and the SHA-256 recorded on the row and in the audit log are the same here.
"""
from __future__ import annotations

import json
from pathlib import Path

from models.evidence import MAX_FILE_BYTES, size_text
from models.supervision import ATTACHMENT_KINDS
from ui.cli.context import CliContext, reads


def register(sub) -> None:
    p = sub.add_parser(
        "attach", help="为检查记录添加证据材料（签字的检查记录扫描件、照片、执法记录仪视频或编号），文件存入数据库",
        epilog=f"每个文件不超过 {size_text(MAX_FILE_BYTES)}；任何一个文件不符合要求则一个也不添加。"
               "只登记执法记录仪编号时不给文件：--kind 执法记录仪 --reference 编号。")
    p.add_argument("--inspection", type=int, required=True, metavar="ID", help="检查记录编号")
    p.add_argument("files", nargs="*", metavar="FILE", help="要添加的文件，可多个")
    p.add_argument("--kind", choices=ATTACHMENT_KINDS, metavar="KIND",
                   help=f"证据类别：{'、'.join(ATTACHMENT_KINDS)}（默认按文件类型：图片为照片，视频为执法记录仪，其他为其他）")
    p.add_argument("--reference", default="", metavar="TEXT", help="执法记录仪编号或视频编号等参考号")
    p.add_argument("--note", default="", metavar="TEXT", help="说明")
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("list-attachments", help="列出一条检查记录的证据材料（含 SHA-256 和已撤回的）")
    p.add_argument("--inspection", type=int, required=True, metavar="ID", help="检查记录编号")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=reads(cmd_list))

    p = sub.add_parser("export-attachment", help="把一份证据材料的文件另存出来（先核对 SHA-256，不符则拒绝）")
    p.add_argument("id", type=int, metavar="ID", help="证据材料编号（见 list-attachments）")
    p.add_argument("out", metavar="OUT", help="保存为此文件；给出已有的文件夹时，存为其中的“编号-原文件名”")
    p.set_defaults(func=reads(cmd_export))

    p = sub.add_parser("withdraw-attachment", help="撤回误添加的证据材料（须写明原因；文件和登记保留，不删除）")
    p.add_argument("id", type=int, metavar="ID", help="证据材料编号")
    p.add_argument("--reason", required=True, metavar="TEXT", help="撤回原因")
    p.set_defaults(func=cmd_withdraw)


def cmd_attach(args, ctx: CliContext) -> int:
    from usecases.evidence_files import add_files, add_footage

    db = ctx.db()
    if not args.files:
        aid = add_footage(db, args.inspection, args.reference, note=args.note, actor=ctx.actor(), kind=args.kind)
        print(f"已为检查记录 #{args.inspection} 登记执法记录仪编号 {args.reference.strip()}（证据材料 #{aid}）。")
        return 0
    ids = add_files(db, args.inspection, [Path(f) for f in args.files], kind=args.kind, reference=args.reference,
                    note=args.note, actor=ctx.actor())
    _print_rows(ctx, args.inspection, set(ids), f"已为检查记录 #{args.inspection} 添加 {len(ids)} 份证据材料：")
    return 0


def _print_rows(ctx: CliContext, inspection_id: int, only: set[int] | None, title: str) -> None:
    from models.evidence import list_attachments

    with ctx.db().read_session() as s:
        rows = [r for r in list_attachments(s, inspection_id) if only is None or r.id in only]
    print(title)
    for r in rows:
        print(_line(r))


def _line(r) -> str:
    what = f"{r.name}  {size_text(r.size)}  SHA-256 {r.sha256}" if r.has_file else "（只登记编号，无文件）"
    extra = "".join(f"  {k}：{v}" for k, v in (("编号", r.reference), ("说明", r.note)) if v)
    state = f"  已撤回（{r.withdrawn_reason}，{r.withdrawn_by} {r.withdrawn_at:%Y-%m-%d %H:%M}）" if r.withdrawn else ""
    return f"  #{r.id}  [{r.kind}]  {what}{extra}  {r.created_by} {r.created_at:%Y-%m-%d %H:%M}{state}"


def cmd_list(args, ctx: CliContext) -> int:
    from models.evidence import list_attachments

    with ctx.db().read_session() as s:
        rows = list_attachments(s, args.inspection)
    if args.json:
        print(json.dumps([{"id": r.id, "kind": r.kind, "name": r.name, "size": r.size, "sha256": r.sha256,
                           "reference": r.reference, "note": r.note, "created_by": r.created_by,
                           "created_at": r.created_at.isoformat(sep=" "), "withdrawn": r.withdrawn,
                           "withdrawn_reason": r.withdrawn_reason} for r in rows], ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print(f"检查记录 #{args.inspection} 没有证据材料。")
        return 0
    print(f"检查记录 #{args.inspection} 的证据材料（{len(rows)} 份）：")
    for r in rows:
        print(_line(r))
    return 0


def cmd_export(args, ctx: CliContext) -> int:
    from models.evidence import export_name, get_attachment
    from usecases.evidence_files import save_copy

    db = ctx.db()
    out = Path(args.out)
    if out.is_dir():
        with db.read_session() as s:
            out = out / export_name(get_attachment(s, args.id))
    written = save_copy(db, args.id, out)
    print(f"证据材料 #{args.id} 已核对 SHA-256 并保存到 {written}")
    return 0


def cmd_withdraw(args, ctx: CliContext) -> int:
    from usecases.evidence_files import withdraw

    withdraw(ctx.db(), args.id, args.reason, actor=ctx.actor())
    print(f"证据材料 #{args.id} 已撤回（{args.reason.strip()}）；文件和登记保留在数据库中。")
    return 0
