"""export-verify-kit: the public verifier page with the year's draw records and their hashes, in one folder."""
from __future__ import annotations

from ui.cli.context import CliContext, reads


def register(sub) -> None:
    p = sub.add_parser("export-verify-kit",
                       help="导出公众验证材料：验证页面（离线网页）、本年度全部抽取公告和抽取记录及哈希清单，供与公示一同发布")
    p.add_argument("--year", type=int, required=True, metavar="Y", help="计划年度")
    p.add_argument("folder", metavar="DIR", help="要写入的文件夹（不存在时新建；同名文件被替换）")
    p.set_defaults(func=reads(cmd_export_verify_kit))


def cmd_export_verify_kit(args, ctx: CliContext) -> int:
    from reports.verify_kit import HASH_LIST_NAME, PAGE_NAME, export_verify_kit

    kit = export_verify_kit(ctx.db(), args.year, args.folder)
    announcements = sum(1 for f in kit.files if f.kind == "抽取公告")
    print(f"已把 {kit.year} 年度的 {announcements} 份抽取公告、{kit.records} 条抽取记录、验证页面和哈希清单"
          f"导出到 {kit.folder}")
    for f in kit.files:
        print(f"  {f.sha256}  {f.name}")
    print(f"公众用浏览器打开 {PAGE_NAME}，把记录文件拖到页面上即可复核；{HASH_LIST_NAME} 可用 sha256sum -c 核对。")
    return 0
