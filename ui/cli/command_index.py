"""Every command's name, the module that registers it and its one-line help, in the order --help lists them.

``python main.py --help`` (and a missing or mistyped command) prints this list without loading the
feature modules and, through them, SQLAlchemy and the services: 0.55 s -> about 0.2 s (issue 17:
--help ≤ 0.5 s). A command that is named loads only its own module (ui.cli.build_parser), whose
register() stays the one source of its arguments and full help.

tests/ui/test_cli_lazy_commands.py holds this table equal to what the modules register; after adding
or renaming a command, or changing its help, ``python -m ui.cli.command_index`` prints the table anew.
"""
from __future__ import annotations

# The feature modules under ui.cli, in the order their commands are listed.
MODULES = (
    "roster_cmds", "admin_cmds", "plan_cmds", "draw_cmds", "inspection_cmds", "check_cmds", "notice_cmds",
    "enforcement_cmds", "record_sheet_cmds", "evidence_cmds", "duty_cmds", "publicity_cmds", "verify_kit_cmds",
    "server_cmds", "results_sheet_cmds", "event_cmds", "joint_cmds", "department_cmds", "hierarchy_cmds",
)

COMMANDS = (
    ("import-objects", "roster_cmds",
     "从 Excel (.xlsx) 导入检查对象（可含“回避”工作表）；任何一行有误则整个文件不导入"),
    ("import-inspectors", "roster_cmds",
     "从 Excel (.xlsx) 导入执法检查人员（可含“回避”工作表）；任何一行有误则整个文件不导入"),
    ("export-objects", "roster_cmds",
     "把检查对象名录库导出为 .xlsx"),
    ("export-inspectors", "roster_cmds",
     "把执法检查人员名录库（含回避关系）导出为 .xlsx"),
    ("template-objects", "roster_cmds",
     "生成检查对象导入模板（.xlsx）"),
    ("template-inspectors", "roster_cmds",
     "生成执法检查人员导入模板（.xlsx，含回避工作表）"),
    ("add-object", "roster_cmds",
     "新增一个检查对象：单位（统一社会信用代码），或个人/个体（身份证、护照、其他证件或无）"),
    ("edit-object", "roster_cmds",
     "修改一个检查对象（只改给出的项），例如把证件类型改为身份证"),
    ("demo", "roster_cmds",
     "向空数据库载入演示数据（名录库、抽查计划、一次抽取、检查记录和整改通知书）"),
    ("stats", "roster_cmds",
     "名录库统计：检查对象（按类型、风险等级、经营状态）、检查人员、回避关系"),
    ("backup", "admin_cmds",
     "立即备份数据库（可在软件打开时进行）"),
    ("restore", "admin_cmds",
     "用备份文件替换当前数据库（先自动备份当前状态）"),
    ("list-backups", "admin_cmds",
     "列出备份文件"),
    ("who", "admin_cmds",
     "列出当前连接数据库的工作站和用户（办公室服务器）；单机数据库显示正在使用它的程序"),
    ("show-settings", "admin_cmds",
     "显示全部设置"),
    ("set-setting", "admin_cmds",
     "修改一项设置（管理员）"),
    ("add-user", "admin_cmds",
     "新增用户（管理员；密码取自环境变量 SSJ_NEW_PASSWORD 或在终端输入）"),
    ("list-users", "admin_cmds",
     "列出用户"),
    ("import-plan", "plan_cmds",
     "从 .xlsx 或制表符分隔的文本导入年度抽查计划"),
    ("show-plan", "plan_cmds",
     "显示年度计划的抽查事项"),
    ("link-item", "plan_cmds",
     "把抽查事项关联到名录库的对象类型"),
    ("export-plan", "plan_cmds",
     "导出抽查计划公示表（.xlsx 或 .docx）"),
    ("list-plans", "plan_cmds",
     "列出各年度抽查计划"),
    ("copy-plan", "plan_cmds",
     "把某年度计划复制为新年度计划"),
    ("seal", "draw_cmds",
     "封存抽取公告：固定待抽名单、抽取设置和随机数来源，在任何随机数产生之前公示"),
    ("void-seal", "draw_cmds",
     "作废一份尚未抽取的抽取公告（须写明原因；公告保留并显示为作废）"),
    ("redraw", "draw_cmds",
     "为一条抽取记录封存重抽公告（须写明原因），再用 draw --seal 抽取；原记录保留"),
    ("substitute", "draw_cmds",
     "为抽取记录中的一个对象封存替补公告（如发现已注销），再用 draw --seal 抽取"),
    ("export-seal", "draw_cmds",
     "重新导出已封存的抽取公告：.json 为规范 JSON（其 SHA-256 即承诺值），.docx 为打印的公告"),
    ("draw", "draw_cmds",
     "按已封存的抽取公告随机抽取检查对象和检查人员（无动画），保存锁定的抽取记录"),
    ("verify-draw", "draw_cmds",
     "只凭抽取记录文件复核抽取结果（不打开数据库）"),
    ("verify-audit", "draw_cmds",
     "检查审计日志的哈希链，抽取记录、抽取公告、抽中对象表与审计日志是否互相一致，以及每个证据材料文件的 SHA-256"),
    ("export-anchor", "draw_cmds",
     "导出锚点文件：审计日志最新条目和全部抽取记录、抽取公告的哈希（供日后 verify-audit --against 核对）"),
    ("list-draws", "draw_cmds",
     "列出抽取公告（含作废、已抽取）和抽取记录及其状态"),
    ("export-draw", "draw_cmds",
     "导出抽取记录：.json 为可复核的记录文件，.docx 为抽取结果记录表"),
    ("inspection", "inspection_cmds",
     "录入（或修改）一个抽中对象的检查结果：检查结论、检查结果和发现的治安隐患"),
    ("check", "check_cmds",
     "登记一次非抽取的检查（日常巡查、专项检查、举报投诉、案后倒查、上级交办等）：检查结论、检查结果和发现的治安隐"
     "患"),
    ("check-reply", "check_cmds",
     "登记举报投诉已答复举报人（记入检查台账，待办中不再提醒）"),
    ("export-checks", "check_cmds",
     "导出某年度全部检查（含日常巡查、举报投诉等非抽取检查及其来源）的内部检查台账（.xlsx 或 .docx，不用于公示）"),
    ("notice", "notice_cmds",
     "为已录入隐患的检查对象制作责令限期整改治安隐患通知书（.docx）"),
    ("workdays", "notice_cmds",
     "按国家法定节假日和调休（及软件中录入的节假日）计算 N 个工作日之后的日期"),
    ("todo", "notice_cmds",
     "待办：待送达、送达逾期、即将到期、待复查、复查逾期"),
    ("void-notice", "notice_cmds",
     "作废一份整改通知书（文号保留在记录中，不再使用）"),
    ("holiday", "notice_cmds",
     "录入节假日或调休上班日（用于内置日历尚未收录的年份）"),
    ("enforce", "enforcement_cmds",
     "复查未整改后登记后续处理：再次责令限期整改（制作新通知书）、立案查处、行政处罚、通报抄告（制作抄告函）"),
    ("enforce-done", "enforcement_cmds",
     "办结一项后续处理：补录案件编号或处罚决定书文号，或制作待制作的抄告函"),
    ("enforcement", "enforcement_cmds",
     "列出复查未整改后的后续处理及其办理状态"),
    ("record-sheet", "record_sheet_cmds",
     "打印现场检查记录（检查笔录，.docx）：为一次抽取的每个对象各一份，为日常巡查任务本期待查的每个对象各一份，或"
     "为一个检查对象打印一份"),
    ("attach", "evidence_cmds",
     "为检查记录添加证据材料（签字的检查记录扫描件、照片、执法记录仪视频或编号），文件存入数据库"),
    ("list-attachments", "evidence_cmds",
     "列出一条检查记录的证据材料（含 SHA-256 和已撤回的）"),
    ("export-attachment", "evidence_cmds",
     "把一份证据材料的文件另存出来（先核对 SHA-256，不符则拒绝）"),
    ("withdraw-attachment", "evidence_cmds",
     "撤回误添加的证据材料（须写明原因；文件和登记保留，不删除）"),
    ("duties", "duty_cmds",
     "日常巡查任务及其覆盖情况：各辖区本期已查、待查、逾期的对象"),
    ("import-duties", "duty_cmds",
     "从 .xlsx 或制表符分隔的文本导入日常巡查任务；任何一行有误则整个文件不导入"),
    ("add-duty", "duty_cmds",
     "新增一项日常巡查任务（按频次填写，或用 --text 写巡查要求原文）"),
    ("export-results", "publicity_cmds",
     "导出抽查结果公示表（.xlsx 或 .docx），全年或一次抽取"),
    ("export-tasks", "publicity_cmds",
     "导出抽查任务公示（每次抽取的事项、日期、数量和抽中对象）"),
    ("export-report", "publicity_cmds",
     "生成年度统计报告（.docx，含统计表和图表）"),
    ("export-verify-kit", "verify_kit_cmds",
     "导出公众验证材料：验证页面（离线网页）、本年度全部抽取公告和抽取记录及哈希清单，供与公示一同发布"),
    ("init-db", "server_cmds",
     "在办公室的 PostgreSQL 服务器上建立新的空数据库并创建第一个管理员（启用登录）"),
    ("migrate-to", "server_cmds",
     "把本机的数据库（--db 指定）全部复制到办公室 PostgreSQL 服务器上的空数据库，并核对行数、抽取记录哈希和审计日"
     "志；源数据库不作任何改动"),
    ("results-sheet", "results_sheet_cmds",
     "导出检查结果填报表（.xlsx）：一次抽取的每个有效抽中对象一行，或一项日常巡查任务本期待查的每个对象一行，供检"
     "查组填写后导入"),
    ("import-results", "results_sheet_cmds",
     "导入填好的检查结果填报表；任何一行有误则整个文件不导入"),
    ("events", "event_cmds",
     "活动登记：列出登记的大型群众性活动等（按活动抽取的事项从中抽取）"),
    ("add-event", "event_cmds",
     "登记一场活动（举办单位须在检查对象名录中，可填名称或统一社会信用代码）"),
    ("edit-event", "event_cmds",
     "修改一场活动的登记（已被抽取的活动只能改规模和备注）"),
    ("stop-event", "event_cmds",
     "停用一场活动（取消或登记有误；登记保留，不再参加抽取）"),
    ("import-events", "event_cmds",
     "从 Excel (.xlsx) 导入活动登记；任何一行有误则整个文件不导入"),
    ("template-events", "event_cmds",
     "生成活动登记导入模板（.xlsx）"),
    ("joint-tasks", "joint_cmds",
     "综合查一次：列出、建议或生成联合检查任务（同一单位被多个事项抽中时一次检查）"),
    ("joint-group", "joint_cmds",
     "把计划中的几个抽查事项设为一个“综合查一次”分组：抽中同一单位时自动编为联合检查任务"),
    ("joint-visit", "joint_cmds",
     "录入一次联合检查的结果：同一日期、同一检查组，每个事项各自的检查结果"),
    ("joint-record", "joint_cmds",
     "打印联合检查任务的现场检查记录（.docx，每个事项的检查内容各成一节）"),
    ("joint-notice", "joint_cmds",
     "为联合检查任务制作一份整改通知书，列出各事项发现的全部治安隐患"),
    ("joint-summary", "joint_cmds",
     "导出牵头部门的联合检查汇总表（.xlsx 或 .docx），按任务或按期间"),
    ("departments", "department_cmds",
     "部门名录：各部门（检查人员名录中的单位）及其别名、在岗人员数，和本年度计划中尚未匹配的配合部门名称"),
    ("link-department", "department_cmds",
     "把计划中的部门名称（如“市邮政管理部门”）关联到检查人员名录中的单位，以后导入和抽取都按此匹配"),
    ("hierarchy", "hierarchy_cmds",
     "列出本局的实施层级（市局—县（区）局—派出所）及各级所属的单位和辖区名称"),
    ("import-hierarchy", "hierarchy_cmds",
     "从 .xlsx（或制表符分隔的文本）导入实施层级：列为 名称、层级（市/县/所）、上级、所属单位/辖区名称（用顿号分隔"
     "）；任何一行有误则整个文件不导入"),
    ("set-jurisdiction", "hierarchy_cmds",
     "新增或修改实施层级中的一级（市局、县（区）局或派出所）"),
    ("remove-jurisdiction", "hierarchy_cmds",
     "删除实施层级中没有下级的一级"),
)


def registered() -> tuple[tuple[str, str, str], ...]:
    """(command, module, help) as the modules register them: what COMMANDS must equal."""
    import argparse
    import importlib

    from ui.cli import argparse_zh

    argparse_zh.install()
    sub = argparse.ArgumentParser().add_subparsers(dest="command")
    rows = []
    for module in MODULES:
        before = len(sub._choices_actions)  # argparse keeps each command's help only here
        importlib.import_module(f"ui.cli.{module}").register(sub)
        rows += [(action.dest, module, action.help or "") for action in sub._choices_actions[before:]]
    return tuple(rows)


def _source(rows) -> str:
    """COMMANDS as Python source within 120 columns (a CJK character counts two)."""
    def width(text: str) -> int:
        return sum(2 if ord(c) > 0x2E7F else 1 for c in text)

    def quoted(text: str) -> str:
        return f'"{text}"' if '"' not in text and "\\" not in text and text.isprintable() else repr(text)

    lines = ["COMMANDS = ("]
    for name, module, help_text in rows:
        lines.append(f"    ({quoted(name)}, {quoted(module)},")
        pieces, piece = [], ""
        for char in help_text:
            if width(quoted(piece + char)) > 110:
                pieces.append(piece)
                piece = ""
            piece += char
        pieces.append(piece)
        for i, text in enumerate(pieces):
            lines.append(f"     {quoted(text)}" + (")," if i == len(pieces) - 1 else ""))
    lines.append(")")
    return "\n".join(lines)


if __name__ == "__main__":
    print(_source(registered()))
