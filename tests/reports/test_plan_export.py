"""A clerk exports the year's plan for publicity: the .xlsx and the .docx open with the title, the header and
Chinese intact."""
from __future__ import annotations

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from usecases.plan_import import import_plan_file
from models.plan_service import ItemData, add_item, create_plan
from reports.plan_export import LINE_HEIGHT, export_plan, export_plan_docx, export_plan_xlsx, fit_widths, wrapped_height

TITLE_002 = "沂源县公安局2022年度“双随机、一公开”抽查计划"


@pytest.fixture
def yiyuan(db, data_dir):
    import_plan_file(db, data_dir / "seed_002_yiyuan_2022.tsv", 2022, "张三")
    return db


def test_the_xlsx_has_title_frozen_header_and_the_rows(yiyuan, tmp_path):
    path = export_plan_xlsx(yiyuan, 2022, tmp_path / "公示.xlsx")
    ws = load_workbook(path).active
    assert ws["A1"].value == TITLE_002
    header = [c.value for c in ws[2]]
    # 002 has no 检查方式/制定依据/实施层级/备注: columns empty for every item are left out.
    assert header == ["序号", "抽查方式", "抽查领域", "抽查事项", "抽查内容", "检查对象", "事项类别",
                      "抽查比例和频次", "发起部门", "配合部门", "检查主体", "检查时间", "责任单位"]
    assert ws.freeze_panes == "A3"
    row = {h: c.value for h, c in zip(header, ws[3])}
    assert row["序号"] == "1" and row["抽查方式"] == "部门联合"
    assert row["检查对象"] == "各类宾馆、旅店" and row["抽查比例和频次"] == "全年抽查比例不低于5%，每年抽查1次"
    assert row["配合部门"] == "住房城乡建设等相关部门" and row["检查时间"] == "5月-11月"
    assert ws["E3"].alignment.wrap_text
    assert ws.max_row == 2 + 12
    # Every row states a height that holds its wrapped text (LibreOffice would show one line).
    assert all(ws.row_dimensions[r].height for r in range(2, 15))
    assert ws.row_dimensions[3].height >= 3 * LINE_HEIGHT       # item 1's 抽查内容 wraps to three lines
    longest = max(range(3, 15), key=lambda r: len(ws.cell(r, 5).value or ""))
    assert ws.row_dimensions[longest].height > ws.row_dimensions[3].height
    assert ws.row_dimensions[9].height < ws.row_dimensions[3].height    # a short item stays short
    assert not list(tmp_path.glob("*.part"))


def test_a_row_is_as_tall_as_its_longest_wrapped_cell():
    assert wrapped_height(["1", "短"], [8, 10]) == LINE_HEIGHT + 4
    # 40 CJK characters are 80 units: three lines in a column 30 wide.
    assert wrapped_height(["1", "检" * 40], [8, 30]) == 3 * LINE_HEIGHT + 4
    assert wrapped_height(["第一行\n第二行\n第三行\n第四行"], [30]) == 4 * LINE_HEIGHT + 4
    assert wrapped_height(["检" * 10000], [30]) == 409


def test_the_longest_checklist_is_never_cut_off_at_excels_row_limit(yiyuan, tmp_path):
    ws = load_workbook(export_plan_xlsx(yiyuan, 2022, tmp_path / "公示.xlsx")).active
    header = [c.value for c in ws[2]]
    content = header.index("抽查内容") + 1
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(header) + 1)]
    # Item 11's 13-point checklist would need more than 409 pt in the usual column width.
    item11 = next(r for r in range(3, 15) if ws.cell(r, 1).value == "11")
    assert len(ws.cell(item11, content).value) > 500
    values = [ws.cell(item11, c).value or "" for c in range(1, len(header) + 1)]
    assert wrapped_height(values, widths) < 409 and ws.row_dimensions[item11].height < 409
    assert fit_widths([["检" * 40]], [30]) == [30]      # a column that fits is left alone


def test_the_docx_is_landscape_with_a_cjk_title_and_a_repeated_header(yiyuan, tmp_path):
    path = export_plan_docx(yiyuan, 2022, tmp_path / "公示.docx")
    doc = Document(path)
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    title = doc.paragraphs[0]
    assert title.text == TITLE_002
    rfonts = title.runs[0]._element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "序号" and table.rows[0].cells[3].text == "抽查事项"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 13
    fifth = [c.text for c in table.rows[5].cells]
    assert fifth[1] == "公安内部" and fifth[3] == "对大型群众性活动的监督检查"
    assert fifth[7] == "按大型群众性活动实际执行"


def test_kunming_columns_include_basis_and_level(db, data_dir, tmp_path):
    import_plan_file(db, data_dir / "seed_004_kunming_2024.tsv", 2024, "张三")
    ws = load_workbook(export_plan(db, 2024, tmp_path / "km.xlsx")).active
    assert ws["A1"].value == "昆明市公安局2024年度“双随机、一公开”抽查计划"
    header = [c.value for c in ws[2]]
    assert "制定依据" in header and "实施层级" in header and "检查方式" in header
    row = {h: c.value for h, c in zip(header, ws[5])}
    assert row["抽查比例和频次"] == "30%/3户" and row["检查方式"] == "现场检查"
    doc = Document(export_plan(db, 2024, tmp_path / "km.docx"))
    assert doc.tables[0].rows[3].cells[header.index("抽查比例和频次")].text == "30%/3户"


def test_text_that_looks_like_a_formula_stays_text(db, tmp_path):
    with db.session() as s:
        create_plan(s, 2025, "演示县公安局", "", "张三")
        add_item(s, 2025, ItemData(number="1", item="=HYPERLINK(\"http://x\")", remark="-5%以内",
                                   ratio_text="10户"), "张三")
    ws = load_workbook(export_plan_xlsx(db, 2025, tmp_path / "f.xlsx")).active
    header = [c.value for c in ws[2]]
    cells = dict(zip(header, ws[3]))
    assert cells["抽查事项"].value == "=HYPERLINK(\"http://x\")" and cells["抽查事项"].data_type == "s"
    assert cells["备注"].value == "-5%以内"


def test_an_unknown_format_is_refused(yiyuan, tmp_path):
    with pytest.raises(ValueError, match="xlsx 或 .docx"):
        export_plan(yiyuan, 2022, tmp_path / "x.pdf")
