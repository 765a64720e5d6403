"""Stories of a round's result sheet: 城关派出所 exports its May hotel round (the monthly duty's hotels still due in
its 辖区), the team fills it in on the way round, and the clerk imports it — whole, counted for the duty, or not
at all with the row and the column named."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from models.audit import verify_chain
from models.duties import DutyData, add_duty
from models.duty_coverage import DONE, DUE, coverage
from models.inspection import Hazard, Inspection
from models.inspection_service import InspectionError
from reports.results_sheet import (
    COL_CODE, COL_FROM, COL_HAZARDS, COL_NOTE, COL_OFFICERS, COL_RESULT, COL_SEQ, COL_TO, HEADER_ROW, SHEET,
    export_round_sheet,
)
from tests.models.duty_fixtures import duty_world, round_check
from usecases.results_import import OUTCOME_NEW, OUTCOME_SKIPPED, apply_results_import, preview_results_import

CITY = "城关派出所"
CITY_HOTELS = ["如家酒店城关店", "平安宾馆", "迎宾旅社"]
FIRE = "《中华人民共和国消防法》第二十八条"


@pytest.fixture
def world(db):
    w = duty_world(db)
    with db.session() as s:
        w["monthly"] = add_duty(s, DutyData("旅馆", "每月", basis="旅馆业要求每月对辖区所有旅馆进行1次监督检查"),
                                "治安大队")
        w["yearly"] = add_duty(s, DutyData("旅馆", "每年", unit="治安大队"), "治安大队")
    return w


def export(db, world, tmp_path, **when):
    path = tmp_path / "巡查填报表.xlsx"
    rows, title = export_round_sheet(db, world["monthly"], path, jurisdiction=CITY, **(when or {"year": 2024,
                                                                                                  "month": 5}))
    return path, rows, title


class Sheet:
    def __init__(self, path):
        self.path = path
        self.book = openpyxl.load_workbook(path)
        self.ws = self.book[SHEET]
        self.col = {self.ws.cell(HEADER_ROW, c).value: c for c in range(1, self.ws.max_column + 1)}

    def fill(self, seq: int, cells: dict) -> None:
        r = next(r for r in range(HEADER_ROW + 1, self.ws.max_row + 1) if self.ws.cell(r, 1).value == seq)
        for title, value in cells.items():
            self.ws.cell(r, self.col[title]).value = value

    def save(self):
        self.book.save(self.path)
        return self.path


def may_round(sheet: Sheet) -> None:
    """Three hotels on 6 and 7 May; the second found a blocked fire exit."""
    sheet.fill(1, {COL_FROM: date(2024, 5, 6), COL_OFFICERS: "100001、100002", COL_RESULT: "未发现问题"})
    sheet.fill(2, {COL_FROM: date(2024, 5, 6), COL_OFFICERS: "100001，100002", COL_RESULT: "发现问题待后续处理",
                   COL_HAZARDS: f"消防通道堆放杂物::{FIRE}"})
    sheet.fill(3, {COL_FROM: "2024-05-07", COL_TO: "2024/5/7", COL_OFFICERS: "100002 100001",
                   COL_RESULT: "未发现问题", COL_NOTE: "负责人在场"})


def city_states(db, duty_id) -> dict[str, str]:
    with db.session() as s:
        (cov,) = coverage(s, 2024, month=5, today=date(2024, 5, 20), duty_ids=[duty_id], jurisdiction=CITY)
    return {o.name: o.state for g in cov.groups for o in g.objects}


def test_the_round_sheet_lists_the_hotels_still_due_and_asks_for_the_officers(db, world, tmp_path):
    round_check(db, world["objects"]["南麻大酒店"], date(2024, 5, 3), duty_id=world["monthly"])
    path, rows, title = export(db, world, tmp_path)
    assert rows == 3 and title == f"{CITY} 2024年5月 日常巡查（旅馆 每月1次，任务 {world['monthly']}）检查结果填报表"
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    headers = [ws.cell(HEADER_ROW, c).value for c in range(1, ws.max_column + 1)]
    assert headers == [COL_SEQ, "辖区", "单位名称", COL_CODE, "地址", "本期情况", COL_FROM, COL_TO, COL_OFFICERS,
                       COL_RESULT, COL_HAZARDS, COL_NOTE]
    body = [[ws.cell(r, c).value for c in (2, 3, 6)] for r in range(HEADER_ROW + 1, HEADER_ROW + 4)]
    assert body == [[CITY, name, "逾期"] for name in CITY_HOTELS]          # May 2024 is over by now
    assert "检查来源：日常巡查" in ws["A3"].value and "必填" in ws["A3"].value
    notes = {r[0]: r for r in book["说明"].iter_rows(values_only=True) if r[0]}
    assert notes[COL_OFFICERS][1] == "必填" and "人员变更原因" not in notes
    meta = list(book["导出信息"].iter_rows(values_only=True))
    assert ["任务", "round", world["monthly"]] == list(meta[1][:3])
    # Nothing due is nothing to export: 南麻's one hotel left is still there, a done 辖区 is refused.
    for name in CITY_HOTELS:
        round_check(db, world["objects"][name], date(2024, 5, 9), duty_id=world["monthly"])
    with pytest.raises(InspectionError, match=f"在{CITY}2024年5月没有待查的对象（共 3 个对象，已查 3 个）"):
        export(db, world, tmp_path)


def test_a_police_stations_filled_round_imports_whole_and_counts_for_the_duty(db, world, tmp_path):
    path, _rows, _title = export(db, world, tmp_path)
    sheet = Sheet(path)
    may_round(sheet)
    sheet.save()
    preview = preview_results_import(db, path, actor="城关内勤")
    assert preview.ok, preview.problem_lines()
    assert (preview.new, preview.skipped) == (3, 0) and {r.outcome for r in preview.sample_rows} == {OUTCOME_NEW}
    assert preview.title.startswith(f"{CITY} 2024年5月 日常巡查")
    with db.session() as s:
        assert s.query(Inspection).count() == 0

    done = apply_results_import(db, preview, "城关内勤")
    assert done.summary() == "新增检查记录 3 条，更新 0 条，无变化 0 条，未填写而跳过 0 行"
    with db.session() as s:
        checks = {i.inspected_object.name: i for i in s.query(Inspection)}
        assert set(checks) == set(CITY_HOTELS)
        assert {(i.source, i.duty_id, i.pick_id) for i in checks.values()} == {("日常巡查", world["monthly"], None)}
        assert {i.executing_unit for i in checks.values()} == {CITY}
        blocked = checks["平安宾馆"]
        assert [(h.text, h.clause) for h in blocked.hazards] == [("消防通道堆放杂物", FIRE)]
        assert blocked.result_subkind == "违反公安部门相关规定"
        assert (checks["迎宾旅社"].date_to, checks["迎宾旅社"].note) == (date(2024, 5, 7), "负责人在场")
        assert verify_chain(s).ok
    assert city_states(db, world["monthly"]) == dict.fromkeys(CITY_HOTELS, DONE)
    assert set(city_states(db, world["yearly"]).values()) == {DUE}      # marked for the monthly duty only

    again = preview_results_import(db, path)
    assert again.ok and (again.new, again.unchanged) == (0, 3)


def test_one_row_without_officers_imports_nothing_and_names_the_row_and_column(db, world, tmp_path):
    path, _rows, _title = export(db, world, tmp_path)
    sheet = Sheet(path)
    may_round(sheet)
    sheet.fill(2, {COL_OFFICERS: None})
    sheet.save()
    preview = preview_results_import(db, path)
    assert not preview.ok and preview.new == 2
    assert preview.problem_lines() == [
        f"文件 {path.name}，工作表“{SHEET}”，第 {HEADER_ROW + 2} 行，“{COL_OFFICERS}”列：检查人员未填：日常巡查没有"
        "抽取的检查人员，请填写实际参加检查的人员的警号（不少于两人，以“、”分隔）"]
    with pytest.raises(InspectionError, match="1 处问题"):
        apply_results_import(db, preview, "城关内勤")
    with db.session() as s:
        assert s.query(Inspection).count() == 0 and s.query(Hazard).count() == 0
    assert set(city_states(db, world["monthly"]).values()) == {DUE}


def test_a_days_round_takes_its_day_and_refuses_a_date_outside_the_month(db, world, tmp_path):
    path, rows, title = export(db, world, tmp_path, day=date(2024, 5, 6))
    assert rows == 3 and "2024年5月6日 日常巡查" in title
    sheet = Sheet(path)
    sheet.fill(1, {COL_OFFICERS: "100001、100002", COL_RESULT: "未发现问题"})           # date left empty
    sheet.fill(2, {COL_FROM: date(2024, 6, 3), COL_OFFICERS: "100001、100002", COL_RESULT: "未发现问题"})
    sheet.save()
    preview = preview_results_import(db, path)
    assert [(p.row, p.column) for p in preview.problems] == [(HEADER_ROW + 2, COL_TO)]
    assert "不在本表的巡查期间2024年5月" in preview.problems[0].message
    sheet.fill(2, {COL_FROM: None})
    sheet.save()
    preview = preview_results_import(db, path)
    assert preview.ok and (preview.new, preview.skipped) == (2, 1)
    assert [r.outcome for r in preview.sample_rows] == [OUTCOME_NEW, OUTCOME_NEW, OUTCOME_SKIPPED]
    apply_results_import(db, preview, "城关内勤")
    with db.session() as s:
        assert {i.date_from for i in s.query(Inspection)} == {date(2024, 5, 6)}
