"""The streamed writers behind the big exports: what Excel and Word get is what the clerk's data says, safely."""
from __future__ import annotations

import zipfile

import openpyxl
import pytest
import python_calamine
from docx import Document

from reports.table_docs import ExportCancelled, TitledTable, write_docx, write_xlsx
from reports.xlsx_stream import HEADER, XlsxWriteError, save_streamed


def _table(rows) -> TitledTable:
    return TitledTable("2024年度抽查结果公示表", "统计截至2024年10月1日", ["序号", "单位名称", "检查结果"], [0.5, 3, 1],
                       rows, ["注：-1 表示未检查"])


def test_a_roster_name_that_looks_like_a_formula_or_holds_stray_characters_stays_readable_text(tmp_path):
    path = tmp_path / "名单.xlsx"

    def build(book):
        ws = book.add_sheet("检查对象", widths=[20, 20, 10, 10], freeze_rows=1)
        ws.set_auto_filter("A1:D4")
        ws.append(["单位名称", "=备注", "电话", "数量"], HEADER)
        ws.append(["=HYPERLINK(\"http://x\",\"点我\")", " +86 533", "@all", 3])
        ws.append(["A&B <宾馆>", None, "-", 2.5])
        ws.append(["控制\x01字符\x1f", "换\n行", "\uffff", True])
        ws.append(["尾部空格 ", "\t前导", "", "正常"])
        ws.append(["沂源县鑫源宾馆", None, "x-y=z", "@"])

    save_streamed(path, build)
    ws = openpyxl.load_workbook(path)["检查对象"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.column_dimensions["A"].width == 20
    assert [c.value for c in ws[2]] == ["=HYPERLINK(\"http://x\",\"点我\")", " +86 533", "@all", 3]
    # Text that a spreadsheet would read as a formula is stored as text and keeps Excel's quote prefix.
    assert [(c.data_type, c.quotePrefix) for c in ws[2][:3]] == [("s", True)] * 3
    assert ws["B1"].data_type == "s" and ws["B1"].quotePrefix
    assert [c.value for c in ws[3]] == ["A&B <宾馆>", None, "-", 2.5]
    assert not ws["A3"].quotePrefix and ws["C3"].quotePrefix
    assert [c.value for c in ws[4]] == ["控制字符", "换\n行", "", True]
    # Blanks at either end survive (Excel would trim them without xml:space="preserve").
    assert [c.value for c in ws[5]][:2] == ["尾部空格 ", "\t前导"] and ws["D5"].value == "正常"
    assert [c.value for c in ws[6]] == ["沂源县鑫源宾馆", None, "x-y=z", "@"] and ws["D6"].quotePrefix
    # calamine, the import's reader, reads the same cells.
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("检查对象").to_python()
    assert sheet[1][:3] == ["=HYPERLINK(\"http://x\",\"点我\")", " +86 533", "@all"]


def test_a_failed_streamed_save_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"old")

    def build(book):
        book.add_sheet("检查对象").append(["a"])
        raise ExportCancelled("已取消导出，未生成文件")

    with pytest.raises(ExportCancelled):
        save_streamed(path, build)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["名单.xlsx"]
    with pytest.raises(XlsxWriteError, match="不存在"):
        save_streamed(tmp_path / "没有" / "x.xlsx", build)


def test_a_published_table_prints_on_landscape_a4_with_its_header_on_every_page(tmp_path):
    path = write_xlsx(_table([["1", "沂源县鑫源宾馆", "未发现问题"], ["2", "=1+1", None]]), tmp_path / "公示.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "公示" and ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth) == ("landscape", 9, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:C1", "A2:C2"]
    assert ws["A1"].value == "2024年度抽查结果公示表" and ws["A1"].font.sz == 16 and ws.row_dimensions[1].height == 34
    assert ws["B5"].value == "=1+1" and ws["B5"].quotePrefix and ws["B5"].alignment.wrap_text
    assert ws["C5"].border.left.style == "thin"   # an empty cell keeps the row's borders
    assert ws["A6"].value == "注：-1 表示未检查"


def test_a_long_docx_table_streams_its_rows_and_keeps_the_total_with_the_row_above(tmp_path):
    rows = [[str(n), f"单位{n} & <分店>", "未发现问题\n已复查"] for n in range(1, 601)] + [["合计", "600", ""]]
    path = write_docx(_table(rows), tmp_path / "公示.docx")
    table = Document(str(path)).tables[0]
    assert len(table.rows) == 602
    assert [c.text for c in table.rows[1].cells] == ["1", "单位1 & <分店>", "未发现问题\n已复查"]
    assert [c.text for c in table.rows[-1].cells] == ["合计", "600", ""]
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "ssj-deferred-rows" not in xml
    # Every paragraph of the row above 合计 (its last cell has two lines), nothing else.
    assert xml.count("<w:keepNext/>") == 4


def test_a_cancelled_docx_export_leaves_the_old_file(tmp_path):
    path = tmp_path / "公示.docx"
    path.write_bytes(b"old")
    with pytest.raises(ExportCancelled):
        write_docx(_table([[str(n), "x", "y"] for n in range(600)]), path, cancelled=lambda: True)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["公示.docx"]
