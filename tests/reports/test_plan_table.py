"""A clerk imports a bureau's published plan table and gets its 抽查事项, field by field."""
from __future__ import annotations

from pathlib import Path

import pytest

from reports.plan_table import (
    PlanRow,
    parse_months,
    parse_plan_file,
    parse_plan_rows,
    parse_risk_split,
    read_plan_rows,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_002 = DATA / "seed_002_yiyuan_2022.tsv"
SEED_004 = DATA / "seed_004_kunming_2024.tsv"


@pytest.fixture(scope="module")
def yiyuan():
    return parse_plan_file(SEED_002)


@pytest.fixture(scope="module")
def kunming():
    return parse_plan_file(SEED_004)


def by_number(plan, number: str) -> PlanRow:
    (row,) = [r for r in plan.rows if r.number == number]
    return row


# --- seed 002: 沂源县公安局 2022, a second and different header row midway -------------------

def test_yiyuan_plan_has_twelve_items_title_year_and_bureau(yiyuan):
    assert [r.number for r in yiyuan.rows] == [str(i) for i in range(1, 13)]
    assert yiyuan.title == "沂源县公安局2022年度“双随机、一公开”抽查工作计划"
    assert yiyuan.year == 2022
    assert yiyuan.bureau == "沂源县公安局"
    assert yiyuan.problems == []


def test_yiyuan_item_1_is_a_joint_inspection_of_hotels(yiyuan):
    row = by_number(yiyuan, "1")
    assert row.source_row == 6
    assert row.mode == "部门联合"
    assert row.field == "对宾馆、旅店取得许可证及治安安全情况的检查"
    assert row.item == "对宾馆、旅店取得许可证及治安安全情况的检查"
    assert row.object_text == "各类宾馆、旅店"
    assert row.category == "一般检查事项"
    assert row.ratio_text == "全年抽查比例不低于5%，每年抽查1次"
    assert row.initiator == "公安部门"
    assert row.partners == ["住房城乡建设等相关部门"]
    assert row.subject == "县级相关部门"
    assert row.time_text == "5月-11月"
    assert row.months == (5, 11)
    assert row.responsible_unit == "治安大队"
    assert len(row.checklist) == 3 and row.checklist[1] == "是否落实旅客信息登记情况"
    assert row.rule.ratio == 0.05 and row.rule.ratio_kind == "min" and row.rule.rounds_per_year() == 1


def test_yiyuan_item_2_follows_the_second_header(yiyuan):
    row = by_number(yiyuan, "2")
    assert row.source_row == 8
    assert row.mode == "公安内部"
    assert row.item == "对第二类、第三类易制毒化学品购买的监管"
    assert row.field == ""
    assert row.est_count_text == "5家"
    assert row.est_risk_text.startswith("低风险抽查对象4家")
    assert row.est_risk == {"低风险": 4, "中低风险": 1, "中风险": 0, "高风险": 0}
    assert row.initiator == "" and row.partners == []
    assert row.subject == "县公安局"
    assert row.months == (5, 10)
    assert row.responsible_unit == "禁毒大队"
    assert row.checklist == [
        "购买到货的易制毒化学品的品种、数量是否与申请购买的易制毒化学品相符",
        "易制毒化学品的使用、剩余情况",
    ]


def test_yiyuan_group_mode_carries_down_to_rows_with_an_empty_cell(yiyuan):
    assert [r.mode for r in yiyuan.rows] == ["部门联合"] + ["公安内部"] * 11


def test_yiyuan_per_event_items_and_long_checklists(yiyuan):
    large_events = by_number(yiyuan, "5")
    assert large_events.ratio_text == "按大型群众性活动实际执行"
    assert large_events.rule.per_event
    assert large_events.est_risk is None
    assert by_number(yiyuan, "12").rule.per_event
    assert len(by_number(yiyuan, "11").checklist) == 13
    assert len(by_number(yiyuan, "12").checklist) == 5
    net = by_number(yiyuan, "8")
    assert net.responsible_unit == "网安大队" and net.months == (1, 12)
    assert net.est_risk == {"低风险": 1, "中低风险": 1, "中风险": 1, "高风险": 0}


# --- seed 004: 昆明市公安局 2024, two-row header repeated on every page ---------------------

def test_kunming_plan_has_twelve_items_despite_repeated_page_headers(kunming):
    assert [r.number for r in kunming.rows] == [str(i) for i in range(1, 13)]
    assert kunming.title == "2024年度昆明市公安局“双随机、一公开”抽查计划"
    assert kunming.year == 2024
    assert kunming.bureau == "昆明市公安局"
    assert kunming.problems == []


def test_kunming_item_1_two_row_header_splits_field_and_item(kunming):
    row = by_number(kunming, "1")
    assert row.source_row == 7
    assert row.initiator == "市公安局"
    assert row.field == "对从事国际联网业务的单位和个人进行监督检查"
    assert row.item.startswith("联网单位办理备案手续情况;")
    assert row.content == ""
    assert row.checklist == [
        "联网单位办理备案手续情况",
        "制定、落实网络安全管理制度和操作规程情况",
        "为公安机关依法维护国家安全、检查防范调查恐怖活动、侦查犯罪提供技术支持和协助情况",
    ]
    assert row.object_text.startswith("自然人,企业法人")
    assert row.ratio_text == "10户" and row.rule.count == 10
    assert row.time_text == "2024年2月—8月" and row.months == (2, 8)
    assert row.methods == ["现场检查", "书面检查"]
    assert row.basis.startswith("《中华人民共和国网络安全法》")
    assert row.level == "市抽市查 县抽县查"
    assert row.remark == "" and row.mode == ""


def test_kunming_item_3_ratio_with_a_floor(kunming):
    row = by_number(kunming, "3")
    assert row.ratio_text == "30%/3户"
    assert (row.rule.ratio, row.rule.count) == (0.3, 3)
    assert row.methods == ["现场检查"]
    assert row.field == "工业大麻加工种植监督检查"


def test_kunming_numbered_items_become_checklists(kunming):
    entertainment = by_number(kunming, "6")
    assert entertainment.source_row == 17
    assert len(entertainment.checklist) == 6
    assert entertainment.checklist[0] == "开业、变更后是否按规定到公安机关备案"
    assert entertainment.checklist[-1] == "其他需要检查的事项"
    assert len(by_number(kunming, "7").checklist) == 4
    assert len(by_number(kunming, "11").checklist) == 5
    assert len(by_number(kunming, "12").checklist) == 6
    assert by_number(kunming, "12").level == "市抽县查"


def test_kunming_later_pages_and_short_month_ranges(kunming):
    banks = by_number(kunming, "8")
    assert banks.source_row == 24
    assert banks.time_text == "2024年2-8月" and banks.months == (2, 8)
    assert by_number(kunming, "10").rule.ratio == 0.2
    assert by_number(kunming, "12").rule.ratio == 0.01


# --- the same table from a spreadsheet ------------------------------------------------------

def test_the_yiyuan_table_saved_as_xlsx_reads_the_same(tmp_path, yiyuan):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for r, cells in enumerate(read_plan_rows(SEED_002), start=1):
        for c, value in enumerate(cells, start=1):
            if value == "":
                continue
            # Spreadsheets hold 编号 as numbers; they must come back as "1", not "1.0".
            sheet.cell(row=r, column=c, value=float(value) if value.isdigit() else value)
    path = tmp_path / "沂源2022.xlsx"
    book.save(path)

    plan = parse_plan_file(path)
    assert (plan.title, plan.year, plan.bureau) == (yiyuan.title, yiyuan.year, yiyuan.bureau)
    assert plan.problems == []
    assert plan.rows == yiyuan.rows


# --- reading files and reporting problems ----------------------------------------------------

def test_bom_and_windows_line_ends_are_accepted(tmp_path):
    text = SEED_004.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "kunming.txt"
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    plan = parse_plan_file(path)
    assert len(plan.rows) == 12 and plan.rows[0].number == "1"
    assert plan.rows[-1].level == "市抽县查"


def test_a_row_without_an_item_is_reported_by_row_and_column():
    rows = [
        ["编号", "抽查事项", "检查对象", "抽查比例和频次"],
        ["1", "对旅馆的检查", "旅馆", "5%"],
        ["2", "", "网吧", "10%"],
        ["3", "对典当行的检查", "典当行", "视情况而定"],
        ["4", "对公章刻制的检查", "公章刻制", "2户"],
    ]
    plan = parse_plan_rows(rows, source_name="计划.xlsx")
    assert [r.number for r in plan.rows] == ["1", "3", "4"]
    missing, unreadable = plan.problems
    assert (missing.row, missing.column) == (3, "抽查事项")
    assert "计划.xlsx" in missing.message and "第3行" in missing.message and "抽查事项" in missing.message
    assert (unreadable.row, unreadable.column) == (4, "抽查比例和频次")
    assert "无法识别" in unreadable.message


def test_a_table_without_a_header_is_reported():
    plan = parse_plan_rows([["对旅馆的检查", "旅馆", "5%"]])
    assert plan.rows == []
    assert len(plan.problems) == 1 and "表头" in plan.problems[0].message


def test_unknown_file_types_are_refused_in_chinese(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ValueError, match="不支持的文件类型"):
        read_plan_rows(path)


def test_a_non_utf8_text_file_is_refused_in_chinese(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("编号\t抽查事项".encode("gbk"))
    with pytest.raises(ValueError, match="UTF-8"):
        read_plan_rows(path)


@pytest.mark.parametrize(
    "text, months",
    [("5月-11月", (5, 11)), ("2024年2月—8月", (2, 8)), ("2024年2-8月", (2, 8)), ("1月～12月", (1, 12)),
     ("全年", (1, 12)), ("6月", (6, 6)), ("", None), ("随时", None), ("11月-3月", None)],
)
def test_inspection_months(text, months):
    assert parse_months(text) == months


def test_risk_split_reads_every_level_and_ignores_prose():
    assert parse_risk_split("低风险抽查对象2家；中风险抽查对象1家") == {
        "低风险": 2, "中低风险": 0, "中风险": 1, "高风险": 0,
    }
    assert parse_risk_split("高风险3户，中高风险1户")["中高风险"] == 1
    assert parse_risk_split("按大型群众性活动实际执行") is None
    assert parse_risk_split("") is None
