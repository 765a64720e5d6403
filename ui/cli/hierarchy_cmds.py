"""实施层级 commands: hierarchy (list or export), import-hierarchy FILE, set-jurisdiction, remove-jurisdiction."""
from __future__ import annotations

import json
from pathlib import Path

from ui.cli.context import CliContext, CliError, reads


def register(sub) -> None:
    p = sub.add_parser("hierarchy", help="列出本局的实施层级（市局—县（区）局—派出所）及各级所属的单位和辖区名称")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--export", metavar="FILE.xlsx", help="导出为可再导入的表格（名称、层级、上级、所属单位/辖区名称）")
    p.add_argument("--resolve", metavar="名称", action="append",
                   help="查询一个检查人员单位或辖区属于哪个县（区）局和市局，可重复")
    p.set_defaults(func=reads(cmd_hierarchy))

    p = sub.add_parser("import-hierarchy",
                       help="从 .xlsx（或制表符分隔的文本）导入实施层级：列为 名称、层级（市/县/所）、上级、"
                            "所属单位/辖区名称（用顿号分隔）；任何一行有误则整个文件不导入")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_import_hierarchy)

    p = sub.add_parser("set-jurisdiction", help="新增或修改实施层级中的一级（市局、县（区）局或派出所）")
    p.add_argument("name", metavar="名称", help="例如：五华分局")
    p.add_argument("--level", required=True, metavar="层级", help="市（市局）、县（县/区局、分局）或 所（派出所）")
    p.add_argument("--parent", default="", metavar="上级", help="上级名称（市局不填）")
    p.add_argument("--unit", dest="units", action="append", default=[], metavar="名称",
                   help="属于这一级的检查人员单位或检查对象辖区名称，可重复（替换原有的所属名称）")
    p.set_defaults(func=cmd_set_jurisdiction)

    p = sub.add_parser("remove-jurisdiction", help="删除实施层级中没有下级的一级")
    p.add_argument("name", metavar="名称")
    p.set_defaults(func=cmd_remove_jurisdiction)


def _print_rows(rows) -> None:
    for r in rows:
        names = f"：{'、'.join(r.units)}" if r.units else ""
        print(f"{'　　' * r.depth}{r.name}（{r.level_name}）{names}")


def cmd_hierarchy(args, ctx: CliContext) -> int:
    from models.hierarchy import Hierarchy, list_hierarchy

    with ctx.db().read_session() as s:
        rows = list_hierarchy(s)
        h = Hierarchy.load(s)
    if args.export:
        from reports.hierarchy_table import write_hierarchy_table

        path = write_hierarchy_table(rows, args.export)
        print(f"已导出实施层级 {len(rows)} 级：{path}")
    if args.resolve:
        for name in args.resolve:
            county, city = h.county_of(name), h.city_of(name)
            if city is None:
                print(f"{name}：未列入实施层级")
            else:
                print(f"{name}：{county or '市局本级'}，{city}")
        return 0
    if args.json:
        print(json.dumps([{"name": r.name, "level": r.level, "parent": r.parent, "units": r.units} for r in rows],
                         ensure_ascii=False, indent=2))
    elif not args.export:
        if not rows:
            print("尚未设置实施层级。用 import-hierarchy 导入，或用 set-jurisdiction 逐级新增。")
        _print_rows(rows)
    return 0


def cmd_import_hierarchy(args, ctx: CliContext) -> int:
    from models.hierarchy import list_hierarchy
    from usecases.hierarchy_import import import_hierarchy_file

    path = Path(args.file)
    if not path.exists():
        raise CliError(f"找不到文件 {path}。")
    saved = import_hierarchy_file(ctx.db(), path, ctx.actor())
    print(f"已导入实施层级 {len(saved)} 级（{path.name}）：")
    with ctx.db().read_session() as s:
        _print_rows(list_hierarchy(s))
    return 0


def cmd_set_jurisdiction(args, ctx: CliContext) -> int:
    from models.hierarchy import JurisdictionData, save_jurisdiction

    with ctx.db().session() as s:
        save_jurisdiction(s, JurisdictionData(args.name, args.level, args.parent, args.units), ctx.actor())
    print(f"已保存实施层级「{args.name.strip()}」")
    return 0


def cmd_remove_jurisdiction(args, ctx: CliContext) -> int:
    from models.hierarchy import remove_jurisdiction

    with ctx.db().session() as s:
        remove_jurisdiction(s, args.name, ctx.actor())
    print(f"已删除实施层级「{args.name.strip()}」")
    return 0
