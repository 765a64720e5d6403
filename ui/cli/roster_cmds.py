"""Roster commands: import and export the two rosters, blank templates, the demo database and roster counts."""
from __future__ import annotations

import argparse
import json
import sys

from models.roster_service import RosterError, roster_stats
from reports.xlsx_stream import XlsxWriteError  # not xlsx_write: that one imports openpyxl (~0.2 s) for every command
from ui.cli.context import keep_until_exit, reads


DRY_RUN_HELP = ("只检查不导入：列出文件中的列对应到哪个字段、未导入的列、导入后的前 20 行和新增/更新/无变化/问题条数，"
                "不写入任何数据（有问题时退出码为 1）")


def register(subparsers) -> None:
    add = subparsers.add_parser
    p = add("import-objects", help="从 Excel (.xlsx) 导入检查对象（可含“回避”工作表）；任何一行有误则整个文件不导入")
    p.add_argument("file", metavar="FILE", help=".xlsx 文件")
    p.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)
    p.set_defaults(func=import_objects)
    p = add("import-inspectors",
            help="从 Excel (.xlsx) 导入执法检查人员（可含“回避”工作表）；任何一行有误则整个文件不导入")
    p.add_argument("file", metavar="FILE", help=".xlsx 文件")
    p.add_argument("--dry-run", action="store_true", help=DRY_RUN_HELP)
    p.set_defaults(func=import_inspectors)
    p = add("export-objects", help="把检查对象名录库导出为 .xlsx")
    p.add_argument("file", metavar="FILE", help="要写入的 .xlsx 文件")
    p.set_defaults(func=reads(export_objects))
    p = add("export-inspectors", help="把执法检查人员名录库（含回避关系）导出为 .xlsx")
    p.add_argument("file", metavar="FILE", help="要写入的 .xlsx 文件")
    p.set_defaults(func=reads(export_inspectors))
    p = add("template-objects", help="生成检查对象导入模板（.xlsx）")
    p.add_argument("file", metavar="FILE", help="要写入的 .xlsx 文件")
    p.set_defaults(func=reads(template_objects))
    p = add("template-inspectors", help="生成执法检查人员导入模板（.xlsx，含回避工作表）")
    p.add_argument("file", metavar="FILE", help="要写入的 .xlsx 文件")
    p.set_defaults(func=reads(template_inspectors))
    _register_object_edits(add)
    p = add("demo", help="向空数据库载入演示数据（名录库、抽查计划、一次抽取、检查记录和整改通知书）")
    p.set_defaults(func=demo)
    p = add("stats", help="名录库统计：检查对象（按类型、风险等级、经营状态）、检查人员、回避关系")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--year", type=int, metavar="Y",
                   help="同时输出该年度的抽查统计（计划、抽取、检查、结果、整改、覆盖）")
    p.set_defaults(func=reads(stats))


def _import(args, ctx, kind: str) -> int:
    from usecases.roster_import import ImportCancelled, apply_import, preview_inspectors_import, preview_objects_import

    ctx.writes = not getattr(args, "dry_run", False)  # a dry run only reads: it runs beside the app too
    db = ctx.db()
    preview_fn = preview_objects_import if kind == "objects" else preview_inspectors_import
    try:
        preview = preview_fn(db, args.file)
        if getattr(args, "dry_run", False):
            print("\n".join(preview_lines(preview)))
        if not preview.ok:
            for line in preview.problem_lines():
                print(line, file=sys.stderr)
            print(f"文件 {args.file} 中有 {len(preview.problems)} 处问题，未导入任何数据。", file=sys.stderr)
            return 1
        if getattr(args, "dry_run", False):
            print("试运行（--dry-run）：未写入任何数据。去掉 --dry-run 即按上述内容导入。")
            return 0
        done = apply_import(db, preview, ctx.actor())
        keep_until_exit(preview)   # its 100,000 rows die with the process, not one by one
    except ImportCancelled:
        print("已取消导入，数据库未作任何修改。", file=sys.stderr)
        return 130
    except RosterError as e:
        print(str(e), file=sys.stderr)
        return 1
    what = "检查对象" if kind == "objects" else "执法检查人员"
    print(f"已导入{what}：{done.summary()}。")
    return 0


def preview_lines(preview) -> list[str]:
    """What the import dialog shows before 确认导入, as text: the column mapping, the first rows, the counts."""
    lines = [f"工作表“{preview.sheet_name}”，列名在第 {preview.header_row} 行。", "列的对应（文件中的列 → 导入为）："]
    mapping = preview.mapping_lines()
    lines += ["  " + line for line in mapping[:len(preview.columns)]] + mapping[len(preview.columns):]
    shown = len(preview.sample_rows)
    lines.append(f"前 {shown} 行（导入后的样子；共 {preview.total_rows} 行）：" if shown < preview.total_rows
                 else f"全部 {shown} 行（导入后的样子）：")
    lines.append("\t".join(["行", "导入后", *preview.sample_titles]))
    lines += ["\t".join([str(r.row), r.outcome, *r.values]) for r in preview.sample_rows]
    lines.append(f"导入后将：{preview.summary()}；问题 {preview.problem_count} 处。")
    return lines


def import_objects(args, ctx) -> int:
    return _import(args, ctx, "objects")


def import_inspectors(args, ctx) -> int:
    return _import(args, ctx, "inspectors")


def _write(action, done_text) -> int:
    try:
        result = action()
    except (XlsxWriteError, RosterError) as e:
        print(str(e), file=sys.stderr)
        return 1
    print(done_text(result))
    return 0


def export_objects(args, ctx) -> int:
    from reports.roster_export import export_objects as run

    db = ctx.db()
    return _write(lambda: run(db, args.file), lambda n: f"已导出 {n} 个检查对象到 {args.file}。")


def export_inspectors(args, ctx) -> int:
    from reports.roster_export import export_inspectors as run

    db = ctx.db()
    return _write(lambda: run(db, args.file), lambda n: f"已导出 {n} 名执法检查人员（含回避关系）到 {args.file}。")


def template_objects(args, ctx) -> int:
    from models.roster_service import object_type_names
    from reports.roster_export import write_objects_template

    # The template offers the types this database knows (when it exists) as dropdown choices.
    names = None
    if ctx.on_server or ctx.path.exists():
        with ctx.db().session() as s:
            names = object_type_names(s) or None
    return _write(lambda: write_objects_template(args.file, names),
                  lambda _: f"已生成检查对象导入模板：{args.file}")


def template_inspectors(args, ctx) -> int:
    from reports.roster_export import write_inspectors_template

    return _write(lambda: write_inspectors_template(args.file),
                  lambda _: f"已生成执法检查人员导入模板：{args.file}")


def demo(args, ctx) -> int:
    from usecases.demo import demo_summary, load_demo

    db = ctx.db()
    try:
        results = load_demo(db)
    except RosterError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"已载入演示数据：{demo_summary(results)}。数据库：{db.location}")
    return 0


def build_stats(ctx, args: argparse.Namespace) -> dict:
    """The figures `stats` prints. Later features add theirs here (e.g. a year's draws for --year)."""
    with ctx.db().session() as s:
        figures = roster_stats(s)
        if getattr(args, "year", None) is not None:
            from ui.cli.publicity_cmds import year_figures
            figures["year"] = year_figures(s, args.year)
        return figures


def stats(args, ctx) -> int:
    figures = build_stats(ctx, args)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    o, i = figures["objects"], figures["inspectors"]
    lines = [f"检查对象：共 {o['total']} 个，在用 {o['active']} 个"]
    if o["by_type"]:
        lines.append("  按类型：" + "，".join(f"{k} {v}" for k, v in o["by_type"].items()))
    lines.append("  按风险等级：" + "，".join(f"{k} {v}" for k, v in o["by_risk"].items()))
    lines.append("  按经营状态：" + "，".join(f"{k} {v}" for k, v in o["by_status"].items()))
    lines.append(f"执法检查人员：共 {i['total']} 名，在用 {i['active']} 名")
    if i["by_unit"]:
        lines.append("  按单位：" + "，".join(f"{k} {v}" for k, v in i["by_unit"].items()))
    lines.append(f"回避关系：{figures['recusals']} 对")
    if "year" in figures:
        from ui.cli.publicity_cmds import year_lines
        lines += year_lines(figures["year"])
    print("\n".join(lines))
    return 0


# ---------------------------------------------------------------- add-object / edit-object

_OBJECT_FLAGS = (  # (flag, ObjectData field, metavar, help)
    ("--name", "name", "名称", "单位名称，或个人的姓名"),
    ("--code", "credit_code", "号码", "统一社会信用代码，或 --id-kind 所指证件的号码（证件类型为“无”时不填）"),
    ("--type", "type_name", "对象类型", "检查对象类型，例如：旅馆、废旧金属收购"),
    ("--id-kind", "id_kind", "证件类型", "统一社会信用代码（默认）、身份证、护照、其他证件或无"),
    ("--country", "id_country", "国家", "护照、其他证件的国籍/签发国"),
    ("--no-id-reason", "no_id_reason", "原因", "证件类型为“无”时，无证件的原因"),
    ("--address", "address", "地址", "地址"),
    ("--jurisdiction", "jurisdiction", "辖区", "辖区（派出所）"),
    ("--legal-rep", "legal_rep", "姓名", "法定代表人/负责人"),
    ("--phone", "phone", "电话", "联系电话"),
    ("--licence", "licence_no", "许可证号", "许可证号"),
    ("--risk", "risk_level", "风险等级", "低风险、中低风险、中风险或高风险"),
    ("--status", "status", "经营状态", "在营、停业或注销"),
)


def _register_object_edits(add) -> None:
    p = add("add-object", help="新增一个检查对象：单位（统一社会信用代码），或个人/个体（身份证、护照、其他证件或无）")
    for flag, dest, metavar, text in _OBJECT_FLAGS:
        p.add_argument(flag, dest=dest, metavar=metavar, help=text,
                       required=dest in ("name", "type_name"))
    p.set_defaults(func=add_object_cmd)
    p = add("edit-object", help="修改一个检查对象（只改给出的项），例如把证件类型改为身份证")
    p.add_argument("object_id", type=int, metavar="ID", help="检查对象编号")
    for flag, dest, metavar, text in _OBJECT_FLAGS:
        p.add_argument(flag, dest=dest, metavar=metavar, help=text)
    p.set_defaults(func=edit_object_cmd)


def _object_line(s, object_id: int) -> str:
    from models.identifiers import shown
    from models.roster_service import get_object

    d = get_object(s, object_id)
    return f"{d.name}（{shown(d.id_kind, d.credit_code, d.id_country)}，{d.type_name}）"


def add_object_cmd(args, ctx) -> int:
    from models.roster_service import ObjectData, add_object

    values = {dest: getattr(args, dest) for _, dest, _, _ in _OBJECT_FLAGS if getattr(args, dest) is not None}
    values.setdefault("credit_code", "")
    with ctx.db().session() as s:
        oid = add_object(s, ObjectData(**values), ctx.actor())
        line = _object_line(s, oid)
    print(f"已新增检查对象 {oid}：{line}")
    return 0


def edit_object_cmd(args, ctx) -> int:
    from dataclasses import replace

    from models.roster_service import get_object, update_object

    changes = {dest: getattr(args, dest) for _, dest, _, _ in _OBJECT_FLAGS if getattr(args, dest) is not None}
    if not changes:
        print("未给出要修改的项（例如 --id-kind 身份证 --code 号码）。", file=sys.stderr)
        return 1
    if "id_kind" in changes:   # another kind: the old kind's country or reason no longer applies unless given
        changes = {"id_country": "", "no_id_reason": "", **changes}
    with ctx.db().session() as s:
        data = replace(get_object(s, args.object_id), **changes)
        update_object(s, args.object_id, data, ctx.actor())
        line = _object_line(s, args.object_id)
    print(f"已修改检查对象 {args.object_id}：{line}")
    return 0
