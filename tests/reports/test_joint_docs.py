"""The joint visit's paper: one 联合检查现场检查记录 with a section per item, one notice listing every hazard,
and the lead department's 联合检查汇总表."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from models import settings as app_settings
from models.inspection import RectificationNotice
from models.joint_service import create_tasks
from models.joint_visit import record_joint_visit
from models.notice_service import NoticeError
from reports.joint_docs import check_joint_template, export_summary, render_joint_record
from tests.helpers import docx_text
from tests.models.joint_fixtures import CHECKLISTS, FOUND, HOTEL, ITEM_NAMES, joint_world, visit_data
from usecases.joint_notice import issue_joint_notice
from usecases.notice_issue import issue_notice


@pytest.fixture
def task(db):
    joint_world(db)
    with db.session() as s:
        app_settings.set(s, "bureau_name", "测试县公安局", "张文书")
        return create_tasks(s, 2024, "H1", "张文书").task_ids[0]


def _visit(db, task_id):
    with db.session() as s:
        return record_joint_visit(s, visit_data(db, task_id), "张文书")


def test_one_record_with_a_section_per_item(db, task, tmp_path):
    before = render_joint_record(db, task, tmp_path / "before.docx")
    text = docx_text(before)
    assert HOTEL in text and "联合检查现场检查记录" in text and "联检2024H1-" in text
    for number in ("1", "2", "3"):
        assert f"2024年度抽查事项 {number}．{ITEM_NAMES[number]}" in text
        assert all(entry in text for entry in CHECKLISTS[number])
    assert text.count("☐未发现问题") == 3  # each item's result to tick on site
    assert "（一）" in text and "（三）" in text and "市场监督管理局" in text and "治安大队" in text
    _visit(db, task)
    after = docx_text(render_joint_record(db, task, tmp_path / "after.docx"))
    assert "发现问题已责令改正（治安隐患 2 项）" in after and "未发现问题" in after and "2024年5月6日" in after
    # Each recorded verdict is ticked on its own item's checklist: 5 entries over the three sections.
    assert "☑" not in text and after.count("☑") == sum(len(v) for v in CHECKLISTS.values())


def test_one_notice_lists_every_hazard_of_the_visit(db, task, tmp_path):
    ids = _visit(db, task)
    result = issue_joint_notice(db, task, issue_date=date(2024, 5, 7), deadline=date(2024, 6, 6), actor="张文书",
                                out_dir=tmp_path)
    text = docx_text(result.path)
    for hazards in FOUND.values():
        for hazard, _clause in hazards:
            assert hazard in text
    with db.session() as s:
        assert s.query(RectificationNotice).count() == 1
    # No second number for another item of the same visit.
    with pytest.raises(NoticeError, match="已有有效的整改通知书"):
        issue_notice(db, ids[1], deadline=date(2024, 6, 6), issue_date=date(2024, 5, 7), actor="张文书",
                     out_dir=tmp_path)


def test_summary_per_task_and_per_period(db, task, tmp_path):
    _visit(db, task)
    issue_joint_notice(db, task, issue_date=date(2024, 5, 7), deadline=date(2024, 6, 6), actor="张文书",
                       out_dir=tmp_path)
    path = export_summary(db, tmp_path / "汇总.xlsx", task_id=task)
    ws = openpyxl.load_workbook(path).active
    rows = [[c.value for c in r] for r in ws.iter_rows() if r[0].value and str(r[0].value).isdigit()]
    assert [r[9] for r in rows] == [f"{n}．{ITEM_NAMES[n]}" for n in ("1", "2", "3")]
    assert [r[11] for r in rows] == ["发现问题已责令改正", "发现问题已责令改正", "未发现问题"]
    assert [r[12] for r in rows] == ["1", "2", "0"]
    assert {r[3] for r in rows} == {HOTEL} and {r[6] for r in rows} == {"治安大队"}
    assert all("第001号" in r[13] for r in rows) and {r[14] for r in rows} == {"已检查"}
    docx = export_summary(db, tmp_path / "汇总.docx", year=2024, period="H1")
    assert "2024年上半年联合检查汇总表" in docx_text(docx) and HOTEL in docx_text(docx)


def test_the_bundled_joint_template_is_usable():
    from models.paths import templates_dir
    from reports.joint_docs import JOINT_RECORD_TEMPLATE

    assert check_joint_template(templates_dir() / JOINT_RECORD_TEMPLATE) == []


def test_each_item_keeps_its_own_row_and_result_in_the_publicity(db, task):
    from reports.publicity import results_table

    _visit(db, task)
    table = results_table(db, 2024, as_of=date(2024, 5, 8))
    rows = [r for r in table.rows if any(HOTEL in str(c) for c in r)]
    assert len(rows) == 3  # one row per item drawn, as if visited three times
    texts = ["|".join(str(c) for c in r) for r in rows]
    assert sum("未发现问题" in t for t in texts) == 1 and sum("发现问题已责令改正" in t for t in texts) == 2


def test_a_grouped_pick_on_its_draws_record_batch_points_to_the_joint_record(db, task):
    from models.record_sheets import sheets_for_draw

    from models.draw import DrawRecord

    with db.session() as s:
        draw_id = s.query(DrawRecord.id).order_by(DrawRecord.id).first()[0]  # item 1's draw of the hotel
        [sheet] = sheets_for_draw(s, draw_id)
    assert f"已编入联合检查任务 #{task}" in sheet.source_ref
