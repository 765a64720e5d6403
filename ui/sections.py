"""The app's sections, in navigation order; each names the page class that fills it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    page: str             # "module:Class" taking (ctx, parent)
    purpose: str          # shown as the navigation entry's tooltip


SECTIONS = [
    Section("roster", "名录库", "ui.roster.page:RosterPage", "管理检查对象名录库、执法检查人员名录库和回避关系。"),
    Section("plans", "抽查计划", "ui.plans.page:PlanPage", "录入或导入年度“双随机、一公开”抽查计划及抽查事项。"),
    Section("draw", "随机抽取", "ui.draw.page:DrawPage", "在见证人面前随机抽取检查对象和检查人员，并可公开复核。"),
    Section("inspections", "检查与整改", "ui.inspections.page:InspectionsPage",
            "录入检查结果，制作责令限期整改治安隐患通知书，跟踪复查。"),
    Section("publicity", "公示与统计", "ui.publicity.page:PublicityPage", "导出抽查结果公示表、年度统计和图表。"),
    Section("settings", "设置", "ui.settings.page:SettingsPage", "单位名称、文号格式、模板、备份与恢复、用户。"),
]
