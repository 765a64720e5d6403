"""Stories: before going out, a clerk prints the 现场检查记录 (检查笔录) the officers and the unit sign on site."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from models import settings
from models.draw import DrawAssignment, DrawPick
from models.draw_history import effective_picks
from models.plan import ChecklistEntry
from models.record_sheets import ObjectSheetRequest, RecordSheetError, sheets_for_draw
from models.roster import InspectedObject, Inspector, Recusal
from reports.record_sheet import RECORD_TEMPLATE, check_record_template
from reports.notice_docs import TEMPLATE_CHECKS, default_template_dir
from tests.helpers import docx_text
from tests.models.inspection_fixtures import CHECKLIST, drawn_world
from usecases.record_sheets import print_draw_sheets, print_object_sheet


@pytest.fixture
def world(db):
    """The drawn hotel world; every officer has a 执法证号 and the hotels have a person in charge."""
    world = drawn_world(db)
    with db.session() as s:
        for inspector in s.scalars(select(Inspector)):
            inspector.cert_no = f"鲁公执字{inspector.badge_no}"
        for obj in s.scalars(select(InspectedObject)):
            obj.legal_rep, obj.phone = f"负责人{obj.id}", f"0533-{obj.id:07d}"
        settings.set(s, "bureau_name", "沂源县公安局", "内勤")
    return world


def drawn_officers(db, pick_id):
    with db.session() as s:
        return [(i.name, i.cert_no) for i in s.scalars(
            select(Inspector).join(DrawAssignment, DrawAssignment.inspector_id == Inspector.id)
            .where(DrawAssignment.pick_id == pick_id).order_by(DrawAssignment.slot))]


def test_a_draw_prints_one_record_per_drawn_hotel_with_officers_and_every_checklist_point(db, world, tmp_path):
    out = tmp_path / "记录"
    result = print_draw_sheets(db, world["draw_id"], out, bound=True)
    picks = world["picks"]
    assert [p.name for p in result.written] == [f"{n:02d}-{p.object_name}-现场检查记录.docx"
                                               for n, p in enumerate(picks, start=1)]
    assert sorted(p.name for p in out.glob("*.docx")) == sorted([*(p.name for p in result.written),
                                                                 result.bound.name])
    for path, pick in zip(result.written, picks):
        text = docx_text(path)
        assert pick.object_name in text and pick.credit_code in text
        for name, cert in drawn_officers(db, pick.pick_id):
            assert name in text and cert in text
        for point in CHECKLIST:
            assert point in text
        assert "双随机抽查（抽取公告 2024-001，抽取记录 #1）" in text
        assert "2024年度抽查事项 1．" in text
        assert "被检查单位负责人拒绝签字的，由检查人员在此注明" in text
        assert "被检查单位意见" in text and "检查情况" in text
        assert "{{" not in text and "{%" not in text
    # The bound copy holds every record, each in its own section so its pages number from 1.
    bound = Document(str(result.bound))
    bound_text = docx_text(result.bound)
    assert all(p.object_name in bound_text for p in picks)
    assert len(bound.sections) == len(picks)
    assert bound_text.count("由检查人员在此注明") == len(picks)


def test_a_record_with_many_points_keeps_its_header_row_on_every_page_and_signatures_together(db, world, tmp_path):
    with db.session() as s:
        for n in range(len(CHECKLIST) + 1, 41):
            s.add(ChecklistEntry(plan_item_id=world["item_id"], seq=n, text=f"第{n}项检查内容：是否落实相关制度"))
    path = print_draw_sheets(db, world["draw_id"], tmp_path).written[0]
    doc = Document(str(path))
    checklist = next(t for t in doc.tables if t.rows[0].cells[1].text == "检查内容")
    assert len(checklist.rows) == 41  # the header and one row per point
    header = checklist.rows[0]._tr.trPr
    assert header.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    signing = [p for p in doc.paragraphs if "（签名）" in p.text or "在此注明" in p.text]
    assert len(signing) >= 4 and all(p.paragraph_format.keep_with_next for p in signing)


def test_a_redrawn_or_unknown_draw_is_refused_in_chinese(db, world, tmp_path):
    with pytest.raises(RecordSheetError, match="没有编号为 999 的抽取记录"):
        print_draw_sheets(db, 999, tmp_path)
    a_file = tmp_path / "记录.txt"
    a_file.write_text("x")
    with pytest.raises(RecordSheetError, match="是一个文件，不是文件夹"):
        print_draw_sheets(db, world["draw_id"], a_file)
    with pytest.raises(RecordSheetError, match="是一个文件，不是文件夹"):
        print_draw_sheets(db, world["draw_id"], a_file / "子文件夹")


def test_a_routine_round_record_for_one_hotel_names_its_source_and_the_chosen_officers(db, world, tmp_path):
    with db.session() as s:
        hotel = s.scalars(select(InspectedObject).where(
            InspectedObject.id.not_in(select(DrawPick.object_id)))).first()
        officers = list(s.scalars(select(Inspector).where(Inspector.active.is_(True)).limit(2)))
        code, name = hotel.credit_code, hotel.name
        badges = [i.badge_no for i in officers]
        certs = [i.cert_no for i in officers]
    out = print_object_sheet(db, ObjectSheetRequest(code, "日常巡查", "2024年5月旅馆业月度巡查", badges, "2024:1",
                                                    date(2024, 5, 20)), tmp_path / "巡查.docx")
    text = docx_text(out)
    assert name in text and code in text and "日常巡查（2024年5月旅馆业月度巡查）" in text
    assert "2024年5月20日" in text and all(c in text for c in certs)
    assert all(point in text for point in CHECKLIST)
    # Without an item, the checklist of the newest item covering hotels is used, and the record says so.
    out = print_object_sheet(db, ObjectSheetRequest(code, "举报投诉", "投诉2024-17"), tmp_path / "投诉.docx")
    text = docx_text(out)
    assert "举报投诉（投诉2024-17）" in text and "检查内容参照2024年度抽查事项 1．" in text
    assert all(point in text for point in CHECKLIST)
    assert "年　　月　　日" in text  # no date chosen: left to fill in


def test_a_drawn_object_alone_takes_its_draw_and_officers(db, world, tmp_path):
    pick = world["picks"][1]
    out = print_object_sheet(db, ObjectSheetRequest(pick.credit_code, "双随机抽查"), tmp_path / "one.docx")
    text = docx_text(out)
    assert "抽取记录 #1" in text and all(cert in text for _n, cert in drawn_officers(db, pick.pick_id))


def test_one_object_refusals_name_the_field(db, world, tmp_path):
    with db.session() as s:
        undrawn = s.scalars(select(InspectedObject.credit_code).where(
            InspectedObject.id.not_in(select(DrawPick.object_id)))).first()
        active = s.scalars(select(Inspector).where(Inspector.active.is_(True))).first()
        retired = s.scalars(select(Inspector.badge_no).where(Inspector.active.is_(False))).first()
        obj = s.scalars(select(InspectedObject).where(InspectedObject.credit_code == undrawn)).one()
        s.add(Recusal(inspector_id=active.id, object_id=obj.id, reason="亲属经营"))
        badge = active.badge_no
    cases = [
        (ObjectSheetRequest("91000000XXXXXXXXX0", "日常巡查"), "没有统一社会信用代码（或名称）为“91000000XXXXXXXXX0”"),
        (ObjectSheetRequest(undrawn, "路过"), "检查来源“路过”无效"),
        (ObjectSheetRequest(undrawn, "双随机抽查"), "没有有效的抽取结果"),
        (ObjectSheetRequest(undrawn, "日常巡查", badges=["X1"]), "没有警号为“X1”的执法检查人员"),
        (ObjectSheetRequest(undrawn, "日常巡查", badges=[retired]), "已停用"),
        (ObjectSheetRequest(undrawn, "日常巡查", badges=[badge]), "回避关系（亲属经营）"),
        (ObjectSheetRequest(undrawn, "日常巡查", item="2024-1"), "请写成 年度:事项编号"),
        (ObjectSheetRequest(undrawn, "日常巡查", item="2031:1"), "没有 2031 年度的抽查计划"),
        (ObjectSheetRequest(undrawn, "日常巡查", item="2024:99"), "没有编号为 99 的事项"),
    ]
    for request, message in cases:
        with pytest.raises(RecordSheetError, match=message.replace("（", "\\（").replace("）", "\\）")):
            print_object_sheet(db, request, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_a_template_the_clerk_edited_in_word_still_prints(db, world, tmp_path):
    folder = tmp_path / "模板"
    folder.mkdir()
    edited = folder / RECORD_TEMPLATE
    shutil.copy(default_template_dir() / RECORD_TEMPLATE, edited)
    doc = Document(str(edited))
    doc.paragraphs[1].insert_paragraph_before("（本记录须当场填写，不得事后补记）")
    doc.save(str(edited))
    assert RECORD_TEMPLATE in TEMPLATE_CHECKS and check_record_template(edited) == []
    with db.session() as s:
        settings.set(s, "template_dir", str(folder), "内勤")
    result = print_draw_sheets(db, world["draw_id"], tmp_path / "out")
    text = docx_text(result.written[0])
    assert "（本记录须当场填写，不得事后补记）" in text and world["picks"][0].object_name in text


def test_a_template_that_lost_the_checklist_is_refused_naming_the_field(tmp_path):
    from docxtpl import DocxTemplate  # noqa: F401 - the check reads the template as docxtpl does

    broken = tmp_path / RECORD_TEMPLATE
    shutil.copy(default_template_dir() / RECORD_TEMPLATE, broken)
    doc = Document(str(broken))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.text = run.text.replace("checklist", "check_list")
    doc.save(str(broken))
    problems = check_record_template(broken)
    assert any("checklist" in p for p in problems)


def test_the_demo_draw_prints_a_record_for_every_pick(db, tmp_path):
    from usecases.demo import load_demo

    load_demo(db)
    with db.session() as s:
        picks = effective_picks(s, date.today().year)
        draw_id = picks[0].draw_id
        picks = [p for p in picks if p.draw_id == draw_id]  # the hotel draw; the demo also draws 综合查一次 items
        sheets = sheets_for_draw(s, draw_id)
    result = print_draw_sheets(db, draw_id, tmp_path / "演示", bound=True)
    assert len(result.written) == len(picks) == len(sheets) >= 8
    for path, pick in zip(result.written, picks):
        text = docx_text(path)
        assert pick.object_name in text and pick.credit_code in text
    for sheet, path in zip(sheets, result.written):
        text = docx_text(path)
        assert sheet.officers and all(o.cert_no in text for o in sheet.officers)
        assert sheet.checklist and all(point in text for point in sheet.checklist)
    assert result.bound is not None and len(Document(str(result.bound)).sections) == len(picks)


def test_cancelling_a_batch_stops_after_the_record_being_written(db, world, tmp_path):
    seen: list[tuple[int, int]] = []
    result = print_draw_sheets(db, world["draw_id"], tmp_path, lambda done, total: seen.append((done, total)),
                               lambda: len(seen) >= 1, bound=True)
    assert result.cancelled and len(result.written) == 1 and result.bound is None
    assert seen == [(1, 4)]  # three records and the bound copy
    assert "已取消，其余 2 份未打印" in result.summary()
    assert [p.name for p in tmp_path.glob("*.docx")] == [result.written[0].name]


def test_a_substituted_hotel_gives_way_to_its_substitute_and_a_redrawn_record_is_refused(db, world, tmp_path):
    from datetime import datetime

    from tests.models.draw_fixtures import sealed_redraw, sealed_substitute

    later = datetime(2024, 4, 23, 9, 0)
    gone = world["picks"][1]
    sub = sealed_substitute(db, world["draw_id"], gone.object_id, reason="已注销", clock=lambda: later)
    result = print_draw_sheets(db, world["draw_id"], tmp_path / "替补后")
    texts = [docx_text(p) for p in result.written]
    assert len(texts) == 3 and not any(gone.object_name in t for t in texts)
    assert f"抽取记录 #{sub.id}" in texts[-1]  # the substitute comes last, with its own record number
    new = sealed_redraw(db, world["draw_id"], reason="名单有误", clock=lambda: datetime(2024, 4, 24, 9, 0))
    with pytest.raises(RecordSheetError, match=f"已被重新抽取替代.*请打印重新抽取的记录 #{new.id}"):
        print_draw_sheets(db, world["draw_id"], tmp_path / "重抽后")


def test_every_field_of_the_record_template_sits_in_one_run():
    # A tag split over runs is what breaks when Word re-saves a template.
    doc = Document(str(default_template_dir() / RECORD_TEMPLATE))
    paragraphs = list(doc.paragraphs) + [p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    paragraphs += list(doc.sections[0].footer.paragraphs)
    for paragraph in paragraphs:
        for run in paragraph.runs:
            for opening, closing in (("{{", "}}"), ("{%", "%}")):
                assert run.text.count(opening) == run.text.count(closing), run.text
