"""Stories of the team's result sheet: the 治安大队 exports the sheet of a hotel draw, the team fills it in on paper and
in Excel (here: openpyxl, cell by cell, as a team would), and the clerk imports it — whole, or not at all."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from models.audit import verify_chain
from models.admin import AuditEntry
from models.inspection import Hazard, Inspection
from models.inspection_service import InspectionError
from models.roster import Inspector
from reports.results_sheet import (
    COL_CODE, COL_FROM, COL_HAZARDS, COL_NOTE, COL_OFFICERS, COL_RESULT, COL_SEQ, COL_TO, HEADER_ROW, SHEET,
    export_draw_sheet,
)
from reports.results_sheet_read import ResultsSheetError, parse_hazards
from tests.models.inspection_fixtures import CHECKLIST, drawn_world, record
from usecases.results_import import (
    OUTCOME_NEW, OUTCOME_SKIPPED, apply_results_import, preview_results_import,
)

FIRE = "《中华人民共和国消防法》第二十八条"
HOTEL = "《旅馆业治安管理办法》第六条"


@pytest.fixture
def world(db):
    return drawn_world(db)


def export(db, world, tmp_path, name="填报表.xlsx"):
    path = tmp_path / name
    rows, _title = export_draw_sheet(db, world["draw_id"], path)
    assert rows == len(world["picks"]) == 3
    return path


class Sheet:
    """The team's copy of the sheet, opened in 'Excel': cells addressed by the object's 序号 and the column title."""

    def __init__(self, path):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.ws = self.book[SHEET]
        self.col = {self.ws.cell(HEADER_ROW, c).value: c for c in range(1, self.ws.max_column + 1)}

    def row_of(self, seq: int) -> int:
        return next(r for r in range(HEADER_ROW + 1, self.ws.max_row + 1) if self.ws.cell(r, 1).value == seq)

    def fill(self, seq: int, cells: dict) -> None:
        r = self.row_of(seq)
        for title, value in cells.items():
            self.ws.cell(r, self.col[title]).value = value

    def save(self):
        self.book.save(self.path)
        return self.path


def hotel_round(sheet: Sheet, db, world) -> None:
    """What the team wrote after their two days: two hotels checked, one found two hazards; the third not yet."""
    first, second = (drawn_badges(db, p) for p in world["picks"][:2])
    sheet.fill(1, {COL_FROM: date(2024, 5, 6), COL_OFFICERS: "、".join(first), COL_RESULT: "未发现问题",
                   "检查内容1": "符合", "检查内容2": "符合", "检查内容3": "不适用", COL_NOTE: "负责人在场"})
    sheet.fill(2, {COL_FROM: date(2024, 5, 7), COL_TO: "2024/5/8", COL_OFFICERS: " ， ".join(second),
                   COL_RESULT: "发现问题待后续处理", "检查内容1": "不符合", "检查内容2": "不符合",
                   "检查内容3": "符合",
                   COL_HAZARDS: f"1. 监控录像保存不足30日::{HOTEL}\n2. 消防通道堆放杂物：：{FIRE}"})


def drawn_badges(db, pick) -> list[str]:
    with db.session() as s:
        return [s.get(Inspector, i).badge_no for i, _n, _u in pick.inspectors]


def test_the_exported_sheet_shades_fixed_columns_offers_drop_downs_and_prints_on_a4_landscape(db, world, tmp_path):
    path = export(db, world, tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == [SHEET, "说明"]
    assert book["导出信息"].sheet_state == "veryHidden"
    ws = book[SHEET]
    headers = [ws.cell(HEADER_ROW, c).value for c in range(1, ws.max_column + 1)]
    assert headers[:6] == [COL_SEQ, "抽取记录/公告", "单位名称", COL_CODE, "地址", "抽取的检查人员（警号、执法证号）"]
    assert headers[6:11] == [COL_FROM, COL_TO, COL_OFFICERS, "人员变更原因", COL_RESULT]
    assert headers[11:14] == ["检查内容1", "检查内容2", "检查内容3"] and headers[-2:] == [COL_HAZARDS, COL_NOTE]
    first = world["picks"][0]
    row = [ws.cell(HEADER_ROW + 1, c).value for c in range(1, 7)]
    assert row[0] == 1 and f"记录 {world['draw_id']}" in row[1] and row[2] == first.object_name
    assert row[3] == first.credit_code and "警号" in row[5]
    # Fixed columns are shaded and locked, the ones to fill are open; the sheet is protected.
    code_cell = ws.cell(HEADER_ROW + 1, 4)
    assert code_cell.fill.fgColor.rgb.endswith("D9D9D9") and code_cell.protection.locked
    assert not ws.cell(HEADER_ROW + 1, 7).protection.locked and ws.protection.sheet
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("K" in ref and "$A$2:$A$12" in f for ref, f in lists.items())        # 检查结果
    assert any("L" in ref and "$B$2:$B$4" in f for ref, f in lists.items())        # 符合/不符合/不适用
    assert book["选项"]["A2"].value == "未发现问题" and book["选项"]["B3"].value == "不符合"
    assert all(text in ws["A3"].value for text in CHECKLIST)
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_a_teams_filled_sheet_imports_whole(db, world, tmp_path):
    picks = world["picks"]
    sheet = Sheet(export(db, world, tmp_path))
    hotel_round(sheet, db, world)
    path = sheet.save()

    preview = preview_results_import(db, path, actor="内勤")
    assert preview.ok, preview.problem_lines()
    assert (preview.new, preview.updated, preview.unchanged, preview.skipped) == (2, 0, 0, 1)
    assert [r.outcome for r in preview.sample_rows] == [OUTCOME_NEW, OUTCOME_NEW, OUTCOME_SKIPPED]
    with db.session() as s:
        assert s.query(Inspection).count() == 0      # the preview kept nothing

    done = apply_results_import(db, preview, "内勤")
    assert done.summary() == "新增检查记录 2 条，更新 0 条，无变化 0 条，未填写而跳过 1 行"
    with db.session() as s:
        by_pick = {i.pick_id: i for i in s.query(Inspection)}
        assert set(by_pick) == {picks[0].pick_id, picks[1].pick_id}
        calm, found = by_pick[picks[0].pick_id], by_pick[picks[1].pick_id]
        assert (calm.date_from, calm.date_to) == (date(2024, 5, 6), date(2024, 5, 6))
        assert calm.result_category == "未发现问题"
        assert calm.note == "负责人在场" and calm.executing_unit == "治安大队"
        assert sorted(c.verdict for c in calm.checks) == ["不适用", "符合", "符合"]
        assert (found.date_from, found.date_to) == (date(2024, 5, 7), date(2024, 5, 8))
        assert [(h.text, h.clause) for h in found.hazards] == [("监控录像保存不足30日", HOTEL),
                                                              ("消防通道堆放杂物", FIRE)]
        assert found.result_subkind == "违反公安部门相关规定"
        assert {i.inspector_id for i in found.inspectors} == {i for i, _n, _u in picks[1].inspectors}
        actions = [e.action for e in s.query(AuditEntry).order_by(AuditEntry.id)]
        assert actions[-3:] == ["录入检查结果", "录入检查结果", "导入检查结果填报表"]
        assert verify_chain(s).ok

    # The same sheet again changes nothing: both rows match what is stored now.
    again = preview_results_import(db, path)
    assert again.ok and (again.new, again.updated, again.unchanged, again.skipped) == (0, 0, 2, 1)


def test_one_unknown_badge_imports_nothing_and_names_the_row_and_column(db, world, tmp_path):
    sheet = Sheet(export(db, world, tmp_path))
    hotel_round(sheet, db, world)
    badges = drawn_badges(db, world["picks"][1])
    sheet.fill(2, {COL_OFFICERS: f"{badges[0]}、123456"})
    path = sheet.save()
    preview = preview_results_import(db, path)
    assert not preview.ok and preview.new == 1
    assert preview.problem_lines() == [f"文件 {path.name}，工作表“{SHEET}”，第 {HEADER_ROW + 2} 行，"
                                       f"“{COL_OFFICERS}”列：名录库中没有警号为“123456”的检查人员"]
    with pytest.raises(InspectionError, match="1 处问题"):
        apply_results_import(db, preview, "内勤")
    with db.session() as s:
        assert s.query(Inspection).count() == 0 and s.query(Hazard).count() == 0


def test_hazards_with_the_result_left_empty_are_refused_as_on_the_form(db, world, tmp_path):
    sheet = Sheet(export(db, world, tmp_path))
    hotel_round(sheet, db, world)
    sheet.fill(2, {COL_RESULT: None})
    sheet.fill(1, {"检查内容2": None})
    path = sheet.save()
    preview = preview_results_import(db, path)
    assert [(p.row, p.column) for p in preview.problems] == [(HEADER_ROW + 1, "检查内容2"),
                                                            (HEADER_ROW + 2, COL_RESULT)]
    assert "检查内容第2项未填" in preview.problems[0].message and "检查结果未填" in preview.problems[1].message
    assert preview.new == 0
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_a_date_before_the_draw_and_a_single_officer_are_refused(db, world, tmp_path):
    sheet = Sheet(export(db, world, tmp_path))
    hotel_round(sheet, db, world)
    badges = drawn_badges(db, world["picks"][1])
    sheet.fill(1, {COL_FROM: date(2024, 4, 1)})
    sheet.fill(2, {COL_OFFICERS: badges[0]})
    preview = preview_results_import(db, sheet.save())
    assert [(p.row, p.column) for p in preview.problems] == [(HEADER_ROW + 1, COL_FROM), (HEADER_ROW + 2, COL_OFFICERS)]
    assert "早于抽取日期" in preview.problems[0].message and "不得少于两人" in preview.problems[1].message


def test_an_edited_credit_code_is_refused(db, world, tmp_path):
    sheet = Sheet(export(db, world, tmp_path))
    hotel_round(sheet, db, world)
    sheet.ws.protection.sheet = False       # the team lifted the protection and typed over the code
    sheet.fill(2, {COL_CODE: "91370000MA99999999"})
    path = sheet.save()
    preview = preview_results_import(db, path)
    assert len(preview.problems) == 1
    problem = preview.problems[0]
    assert (problem.row, problem.column) == (HEADER_ROW + 2, COL_CODE)
    assert f"导出时为“{world['picks'][1].credit_code}”，现为“91370000MA99999999”" in problem.message
    with db.session() as s:
        assert s.query(Inspection).count() == 0


def test_a_recorded_object_is_updated_only_when_asked(db, world, tmp_path):
    picks = world["picks"]
    record(db, picks[0].pick_id)            # recorded on the form before the sheet came back
    sheet = Sheet(export(db, world, tmp_path))
    # The re-exported sheet shows the stored inspection; the team changes its note.
    assert sheet.ws.cell(sheet.row_of(1), sheet.col[COL_RESULT]).value == "未发现问题"
    sheet.fill(1, {COL_NOTE: "补充：负责人签字"})
    path = sheet.save()
    refused = preview_results_import(db, path)
    assert [(p.row, p.column) for p in refused.problems] == [(HEADER_ROW + 1, "单位名称")]
    assert "已录入检查结果" in refused.problems[0].message and "--update" in refused.problems[0].message
    preview = preview_results_import(db, path, update=True)
    assert preview.ok and (preview.updated, preview.skipped) == (1, 2)
    apply_results_import(db, preview, "内勤")
    with db.session() as s:
        assert s.query(Inspection).one().note == "补充：负责人签字"


def test_not_a_results_sheet(db, world, tmp_path):
    other = tmp_path / "名录.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(ResultsSheetError, match="不是本软件导出的检查结果填报表"):
        preview_results_import(db, other)


def test_hazard_lines_a_team_writes():
    assert parse_hazards("（1）监控不足::《办法》第六条\n\n2、通道堵塞") == [("监控不足", "《办法》第六条"),
                                                                    ("通道堵塞", "")]


def test_the_demo_imports_two_hotels_from_a_filled_sheet(db):
    from sqlalchemy import select

    from usecases.demo import load_demo
    from usecases.demo_results import DEMO_HAZARD

    assert load_demo(db)["results"] == {"imported": 2}
    with db.session() as s:
        imported = s.scalars(select(AuditEntry).where(AuditEntry.action == "导入检查结果填报表")).one()
        assert '"new":2' in imported.detail
        hazard = s.scalars(select(Hazard).where(Hazard.text == DEMO_HAZARD.split("::")[0])).one()
        assert hazard.clause == "《中华人民共和国消防法》第十六条"
        assert hazard.inspection.result_category == "发现问题已责令改正" and hazard.inspection.pick_id is not None


def test_a_name_that_looks_like_a_formula_stays_text_and_reads_back(db, world, tmp_path):
    from models.roster import InspectedObject

    with db.session() as s:
        s.get(InspectedObject, world["picks"][0].object_id).name = "=HYPERLINK(\"http://x\",\"点此\")酒店"
    path = export(db, world, tmp_path)
    cell = openpyxl.load_workbook(path)[SHEET].cell(HEADER_ROW + 1, 3)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
    sheet = Sheet(path)
    hotel_round(sheet, db, world)
    preview = preview_results_import(db, sheet.save())
    assert preview.ok and preview.new == 2
