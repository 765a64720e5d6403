"""Stories: wherever a draw is shown or published, a per-event pick names its event beside the organiser.

沂源's clerk draws the 大型群众性活动 item over the three registered events of 2022; the 抽查任务公示, the
抽查结果公示, the signed 抽取结果记录表 and the 检查记录 list then say which event each organiser is inspected for.
An ordinary draw (the 网吧 item of the test county) comes out exactly as before.
"""
from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from models.draw_prepare import prepare_draw
from models.event_draw import record_event_names
from models.inspection_service import inspection_form, list_picks
from reports.draw_docs import record_events, write_draw_record_docx
from reports.publicity import export_results, export_tasks, results_table, tasks_table
from tests.helpers import docx_text
from tests.models.draw_fixtures import build_world, sealed_draw
from tests.models.event_fixtures import event_world

CONCERT = "淄博鲁中演艺有限公司（活动：鲁中之夏演唱会，2022-07-16，沂源县体育场）"
MARATHON = "沂源县体育中心（活动：沂源半程马拉松，2022-05-08，县城环线）"
FIREWORKS = "沂源县文化旅游发展有限公司（活动：2022年国庆焰火晚会，2022-10-01，沂河公园广场）"


def _cells(path) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    finally:
        book.close()


def _event_draw(db, data_dir):
    event_world(db, data_dir)
    with db.session() as s:
        prep = prepare_draw(s, 2022, "5", today=date(2022, 5, 1))
    assert prep.ready, prep.problems
    return sealed_draw(db, prep)


def test_the_task_and_result_publicity_name_each_event_beside_its_organiser(db, data_dir, tmp_path):
    saved = _event_draw(db, data_dir)
    tasks = export_tasks(db, 2022, tmp_path / "任务公示.xlsx", as_of=date(2022, 12, 31))
    row = next(c for c in _cells(tasks) if "鲁中之夏演唱会" in c)
    # the record's three objects, each the organiser with its event (名称，日期，地点), in drawn order
    assert set(row.split("、")) == {CONCERT, MARATHON, FIREWORKS}
    export_tasks(db, 2022, tmp_path / "任务公示.docx", as_of=date(2022, 12, 31))
    assert CONCERT in docx_text(tmp_path / "任务公示.docx")
    results = export_results(db, 2022, tmp_path / "结果公示.xlsx", as_of=date(2022, 12, 31))
    cells = _cells(results)
    assert {CONCERT, MARATHON, FIREWORKS} <= set(cells)
    export_results(db, 2022, tmp_path / "结果公示.docx", record_id=saved.id, as_of=date(2022, 12, 31))
    text = docx_text(tmp_path / "结果公示.docx")
    assert MARATHON in text and FIREWORKS in text


def test_the_signed_record_form_and_the_inspection_list_show_the_event(db, data_dir, tmp_path):
    saved = _event_draw(db, data_dir)
    events = record_events(db, saved.id)
    assert sorted(events.values()) == sorted([CONCERT, MARATHON, FIREWORKS])
    path = write_draw_record_docx(saved.record, "有效", tmp_path / "记录表.docx", events=events)
    text = docx_text(path)
    assert "举办单位及活动" in text and CONCERT in text and MARATHON in text
    # the sealed identity is still printed beside it, as the record file says it
    assert "2022-07-16至2022-07-16｜沂公安许〔2022〕9号｜91370303MA3D000033" in text
    with db.read_session() as s:
        rows = {r.object_name: r.event for r in list_picks(s, 2022)}
        assert rows["淄博鲁中演艺有限公司"] == "鲁中之夏演唱会，2022-07-16，沂源县体育场"
        pick = next(p for p in list_picks(s, 2022) if p.object_name == "沂源县体育中心")
        assert inspection_form(s, pick.pick_id).event == "沂源半程马拉松，2022-05-08，县城环线"


def test_an_ordinary_draw_is_published_and_printed_as_before(db, tmp_path):
    build_world(db)
    with db.session() as s:
        prep = prepare_draw(s, 2024, "2", today=date(2024, 3, 1))
    saved = sealed_draw(db, prep)
    names = [p["name"] for p in saved.record["picks"]]
    with db.read_session() as s:
        assert record_event_names(s, saved.id) == {}
        assert all(r.event == "" and "活动：" not in r.object_name for r in list_picks(s, 2024))
    assert record_events(db, saved.id) == {}
    tasks = tasks_table(db, 2024, as_of=date(2024, 12, 31))
    assert [r[4] for r in tasks.rows] == ["、".join(names)]
    results = results_table(db, 2024, as_of=date(2024, 12, 31))
    assert [r[2] for r in results.rows] == names
    text = docx_text(write_draw_record_docx(saved.record, "有效", tmp_path / "记录表.docx", events={}))
    assert "统一社会信用代码" in text and "举办单位及活动" not in text and "活动：" not in text
