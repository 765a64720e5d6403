"""Partner department commands: departments (list with aliases and unmatched plan wordings), link-department."""
from __future__ import annotations

import json
from datetime import date

from ui.cli.context import CliContext, reads


def register(sub) -> None:
    p = sub.add_parser("departments",
                       help="部门名录：各部门（检查人员名录中的单位）及其别名、在岗人员数，和本年度计划中尚未匹配的配合部门名称")
    p.add_argument("--year", type=int, help="列出该年度计划中未匹配的配合部门（默认：今年）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=reads(cmd_departments))

    p = sub.add_parser("link-department",
                       help="把计划中的部门名称（如“市邮政管理部门”）关联到检查人员名录中的单位，以后导入和抽取都按此匹配")
    p.add_argument("name", metavar="NAME", help="计划中写的部门名称，例如：市邮政管理部门")
    p.add_argument("--to", dest="unit", required=True, metavar="UNIT",
                   help="检查人员名录中的单位或已有的部门，例如：咸宁市邮政局")
    p.set_defaults(func=cmd_link_department)


def cmd_departments(args, ctx: CliContext) -> int:
    from models.departments import list_departments, unmatched_wordings

    year = args.year or date.today().year
    with ctx.db().read_session() as s:
        found = list_departments(s)
        gaps = unmatched_wordings(s, year)
    if args.json:
        print(json.dumps({"departments": [d.as_dict() for d in found], "year": year,
                          "unmatched": [g.as_dict() for g in gaps]}, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("部门名录为空：请先导入检查人员名录（各单位即成为部门）。")
    for d in found:
        aliases = f"　别名：{'、'.join(d.aliases)}" if d.aliases else ""
        print(f"{d.name}（{d.kind}）　在岗检查人员 {d.officers} 人{aliases}")
    if gaps:
        print(f"\n{year} 年度计划中尚未匹配的配合部门（用 link-department 名称 --to 单位 关联一次即可）：")
        for g in gaps:
            print(f"  {g.wording}　（事项 {'、'.join(g.items)}）")
    else:
        print(f"\n{year} 年度计划的配合部门均已匹配。")
    return 0


def cmd_link_department(args, ctx: CliContext) -> int:
    from models.departments import link_department

    with ctx.db().session() as s:
        dept = link_department(s, args.name, args.unit, ctx.actor())
        name = dept.name
    print(f"已关联：“{' '.join(args.name.split())}”即“{name}”。以后计划导入和抽取都按此匹配。")
    return 0
