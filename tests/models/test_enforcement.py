"""Stories about what follows when a unit does not rectify: a failed 复查 stays on the to-do list until its next step
(再次责令限期整改, 立案查处, 行政处罚, 通报抄告) is done; the new notice and the 抄告函 take gapless numbers."""
from __future__ import annotations

import json
from datetime import date

import pytest
from docx import Document
from sqlalchemy import select

from models.admin import AuditEntry
from models.enforcement import EnforcementError, step_rows
from models.inspection import RectificationNotice
from models.notice_service import list_notices, notice_detail, numbering_gaps, record_served
from models.supervision import EnforcementStep
from models.todo import todo_list
from reports.letter_docs import LETTER_TEMPLATE
from reports.notice_docs import default_template_dir
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record
from usecases.enforcement import finish_step, record_step, render_existing_letter
from usecases.notice_issue import issue_notice, record_reinspection

ISSUED, SERVED, DEADLINE, REVIEWED = date(2024, 5, 7), date(2024, 5, 8), date(2024, 6, 6), date(2024, 6, 10)
LATER = date(2024, 6, 20)


@pytest.fixture
def world(db, tmp_path):
    """Three hotels found with hazards; each got its notice (第001–003号), served; the first two re-inspected 未整改."""
    world = drawn_world(db)
    notices = []
    for pick in world["picks"]:
        inspection_id = record(db, pick.pick_id, hazards=HAZARDS)
        notice = issue_notice(db, inspection_id, deadline=DEADLINE, issue_date=ISSUED, actor="内勤",
                              out_dir=tmp_path / "notices")
        record_served(db, notice.notice_id, SERVED, "内勤")
        notices.append(notice.notice_id)
    for notice_id in notices[:2]:
        record_reinspection(db, notice_id, REVIEWED, "未整改", "监控仍只保存7日", "内勤", out_dir=tmp_path / "reviews")
    world["notices"] = notices
    return world


def entries_for(db, notice_id, today=LATER):
    with db.session() as s:
        return [e for e in todo_list(s, today) if e.notice_id == notice_id]


def test_a_failed_review_stays_on_the_to_do_list_until_the_case_number_is_entered(db, world):
    notice_id = world["notices"][0]
    [waiting] = entries_for(db, notice_id)
    assert waiting.kind == "复查未整改" and "复查未整改，待处理" in waiting.label
    with db.session() as s:
        assert "复查未整改，待处理" in notice_detail(s, notice_id, LATER).state.label

    step = record_step(db, notice_id, "立案查处", step_date=LATER, actor="内勤")
    assert not step.done
    [open_step] = entries_for(db, notice_id)
    assert open_step.kind == "后续处理" and "立案查处：待补录案件编号" in open_step.label
    with db.session() as s:
        row = {r.doc_number: r for r in list_notices(s, 2024, LATER)}["X公(治)限改字〔2024〕第001号"]
        assert "待补录案件编号" in row.status_label

    with pytest.raises(EnforcementError, match="请填写案件编号"):
        finish_step(db, step.step_id, reference="  ", done_date=LATER, actor="内勤")
    finish_step(db, step.step_id, reference="鹿公(治)立字〔2024〕118号", done_date=date(2024, 6, 21), actor="内勤")
    assert entries_for(db, notice_id, date(2024, 6, 22)) == []
    with db.session() as s:
        [row] = step_rows(s, notice_id)
        assert row.reference == "鹿公(治)立字〔2024〕118号" and row.done_date == date(2024, 6, 21)
        assert "已办结：案件编号 鹿公(治)立字〔2024〕118号" in row.state
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "enforcement_step")))
        assert actions == ["登记后续处理", "补录案件编号"]
        assert notice_detail(s, notice_id, LATER).state.label.startswith("复查未整改，已后续处理")
    with pytest.raises(EnforcementError, match="已于2024年6月21日办结"):
        finish_step(db, step.step_id, reference="另一个", done_date=LATER, actor="内勤")


def test_a_penalty_given_with_its_decision_number_is_done_at_once(db, world):
    notice_id = world["notices"][1]
    result = record_step(db, notice_id, "行政处罚", step_date=LATER, reference="鹿公(治)行罚决字〔2024〕31号",
                         note="罚款二千元", actor="内勤")
    assert result.done
    assert entries_for(db, notice_id) == []


def test_steps_are_refused_in_chinese_unless_the_latest_review_found_the_hazards_remaining(db, world, tmp_path):
    not_reviewed = world["notices"][2]
    with pytest.raises(EnforcementError, match="尚未复查"):
        record_step(db, not_reviewed, "立案查处", step_date=LATER, actor="内勤")
    record_reinspection(db, not_reviewed, REVIEWED, "已整改", "", "内勤", out_dir=tmp_path)
    with pytest.raises(EnforcementError, match="最近一次复查结果为“已整改”，无需后续处理"):
        record_step(db, not_reviewed, "立案查处", step_date=LATER, actor="内勤")
    failed = world["notices"][0]
    with pytest.raises(EnforcementError, match="后续处理方式应为"):
        record_step(db, failed, "罚站", step_date=LATER, actor="内勤")
    with pytest.raises(EnforcementError, match="须填写抄告部门"):
        record_step(db, failed, "通报抄告", step_date=LATER, actor="内勤")
    with pytest.raises(EnforcementError, match="须填写新的整改期限"):
        record_step(db, failed, "再次责令限期整改", step_date=LATER, actor="内勤")
    with pytest.raises(EnforcementError, match="早于复查日期"):
        record_step(db, failed, "立案查处", step_date=date(2024, 6, 1), actor="内勤")
    with db.session() as s:
        assert s.scalar(select(EnforcementStep.id)) is None


def test_reordering_issues_the_next_gapless_number_with_its_own_deadline_and_the_chain_goes_on(db, world, tmp_path):
    old = world["notices"][0]
    result = record_step(db, old, "再次责令限期整改", step_date=LATER, deadline=date(2024, 7, 5), actor="内勤",
                         out_dir=tmp_path / "again")
    assert result.done and result.doc_number == "X公(治)限改字〔2024〕第004号"
    text = docx_text(result.path)
    assert "第004号" in text and "于2024年7月5日前整改完毕" in text and HAZARDS[0][0] in text
    with db.session() as s:
        assert numbering_gaps(s, 2024) == []
        new = s.get(RectificationNotice, result.new_notice_id)
        assert new.deadline == date(2024, 7, 5) and new.issue_date == LATER and not new.voided
        assert new.inspection_id == s.get(RectificationNotice, old).inspection_id
        [step] = step_rows(s, old)
        assert step.new_notice_number == "X公(治)限改字〔2024〕第004号" and not step.open
    # The old notice is settled by the new one; the new one must now be served and re-inspected.
    assert entries_for(db, old) == []
    [serve] = entries_for(db, result.new_notice_id)
    assert serve.kind in ("待送达", "送达逾期")
    with pytest.raises(EnforcementError, match="已再次责令限期整改（新通知书 X公\\(治\\)限改字〔2024〕第004号）"):
        record_step(db, old, "再次责令限期整改", step_date=LATER, deadline=date(2024, 7, 9), actor="内勤")
    # The new notice's own 复查 can fail again, and the story starts over on it.
    record_served(db, result.new_notice_id, date(2024, 6, 21), "内勤")
    record_reinspection(db, result.new_notice_id, date(2024, 7, 8), "未整改", "", "内勤", out_dir=tmp_path)
    [again] = entries_for(db, result.new_notice_id, date(2024, 7, 9))
    assert again.kind == "复查未整改"


def test_the_letter_to_another_department_names_it_the_unit_and_the_notice_numbered_per_year(db, world, tmp_path):
    first, second = world["notices"][:2]
    letter = record_step(db, first, "通报抄告", step_date=LATER, department="鹿泉区市场监督管理局", actor="内勤",
                         note="请依职责督促该旅馆整改", out_path=tmp_path / "抄告函1.docx")
    assert letter.done and letter.doc_number == "X公(治)抄告字〔2024〕第001号"
    text = docx_text(letter.path)
    unit = world["picks"][0].object_name
    for expected in ("鹿泉区市场监督管理局：", unit, "X公(治)限改字〔2024〕第001号", "X公(治)抄告字〔2024〕第001号",
                     "于2024年6月6日前整改完毕", "2024年6月10日", "仍未整改", "监控仍只保存7日",
                     "请依职责督促该旅馆整改。", HAZARDS[0][0], "测试县公安局（印章）", "2024年6月20日"):
        assert expected in text, expected
    assert not list(tmp_path.glob(".*.part"))
    # A letter left for later waits on the to-do list, then takes the next number when it is made.
    later = record_step(db, second, "通报抄告", step_date=LATER, department="鹿泉区应急管理局", make_letter=False,
                        actor="内勤")
    assert not later.done and later.path is None
    [waiting] = entries_for(db, second)
    assert "通报抄告（鹿泉区应急管理局）：待制作抄告函" in waiting.label
    with pytest.raises(EnforcementError, match="已有待制作的抄告"):
        record_step(db, second, "通报抄告", step_date=LATER, department="鹿泉区应急管理局", actor="内勤")
    made = finish_step(db, later.step_id, done_date=date(2024, 6, 24), actor="内勤", out_dir=tmp_path / "letters")
    assert made.doc_number == "X公(治)抄告字〔2024〕第002号" and made.path.is_file()
    assert "鹿泉区应急管理局" in docx_text(made.path) and "2024年6月24日" in docx_text(made.path)
    assert entries_for(db, second, date(2024, 6, 25)) == []
    # A moved letter is written again under the same number.
    made.path.unlink()
    again = render_existing_letter(db, later.step_id)
    assert "第002号" in docx_text(again)
    with db.session() as s:
        details = [json.loads(e.detail) for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "制作抄告函"))]
        assert [d["抄告函文号"] for d in details] == ["X公(治)抄告字〔2024〕第001号", "X公(治)抄告字〔2024〕第002号"]


def test_a_failed_letter_render_takes_no_number_and_records_no_step(db, world, tmp_path, monkeypatch):
    import usecases.enforcement as enforcement

    def broken(*_a, **_k):
        raise RuntimeError("模板损坏")

    monkeypatch.setattr(enforcement, "render_letter", broken)
    with pytest.raises(RuntimeError):
        record_step(db, world["notices"][0], "通报抄告", step_date=LATER, department="消防救援大队", actor="内勤",
                    out_dir=tmp_path)
    with db.session() as s:
        assert s.scalar(select(EnforcementStep.id)) is None
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".*.part"))


def test_the_bundled_letter_template_keeps_every_tag_in_one_run():
    doc = Document(str(default_template_dir() / LETTER_TEMPLATE))
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            assert run.text.count(opening) == run.text.count(closing), run.text


def test_statistics_and_the_year_report_count_what_followed_the_failed_reviews(db, world, tmp_path):
    from models.statistics import year_stats
    from reports.year_report import write_report

    first = world["notices"][0]
    record_step(db, first, "立案查处", step_date=LATER, actor="内勤")  # open: no case number yet
    record_step(db, first, "通报抄告", step_date=LATER, department="鹿泉区市场监督管理局", actor="内勤",
                out_dir=tmp_path)  # done: the letter is made
    # The second failed notice has no step yet: 待处理.
    with db.session() as s:
        stats = year_stats(s, 2024, as_of=date(2024, 6, 30))
    e = stats.enforcement
    assert (e.unrectified, e.pending) == (2, 1)
    assert e.as_dict()["steps"] == {"再次责令限期整改": {"recorded": 0, "done": 0, "open": 0},
                                    "立案查处": {"recorded": 1, "done": 0, "open": 1},
                                    "行政处罚": {"recorded": 0, "done": 0, "open": 0},
                                    "通报抄告": {"recorded": 1, "done": 1, "open": 0}}
    assert stats.as_dict()["enforcement"]["unrectified"] == 2
    text = docx_text(write_report(stats, tmp_path / "年度报告.docx"))
    assert "复查未整改的后续处理（2份通知书）" in text
    assert ("复查发现仍未整改的2份通知书，后续处理：立案查处1件（未办结1件），通报抄告1件（未办结0件）；"
            "尚有1份未登记后续处理。") in text


def test_letter_numbers_issued_before_a_restore_are_never_given_again(db, world, tmp_path):
    from sqlalchemy import inspect

    from models.doc_numbers import raise_floors
    from models.pg_restore import live_highest
    from models.restore_audit import highest_issued

    record_step(db, world["notices"][0], "通报抄告", step_date=LATER, department="应急管理局", actor="内勤",
                out_dir=tmp_path)
    # What a restore reads from the database it replaces: the year's highest 抄告函 number.
    if db.is_sqlite:
        found = highest_issued(db.path)
    else:
        with db.engine.connect() as conn:
            found = live_highest(conn, set(inspect(conn).get_table_names()))
    assert found["letter"] == {"2024": 1}
    # Restored to a copy that had issued seven letters elsewhere: numbering goes on above them.
    with db.session() as s:
        raise_floors(s, {"letter": {"2024": 7}})
    later = record_step(db, world["notices"][1], "通报抄告", step_date=LATER, department="应急管理局", actor="内勤",
                        out_dir=tmp_path)
    assert later.doc_number == "X公(治)抄告字〔2024〕第008号"


def test_a_hazard_put_right_only_after_the_second_notice_counts_as_rectified_late(db, world, tmp_path):
    from models.statistics import year_stats

    again = record_step(db, world["notices"][0], "再次责令限期整改", step_date=LATER, deadline=date(2024, 7, 5),
                        actor="内勤", out_dir=tmp_path)
    record_served(db, again.new_notice_id, date(2024, 6, 21), "内勤")
    record_reinspection(db, again.new_notice_id, date(2024, 7, 3), "已整改", "", "内勤", out_dir=tmp_path)
    with db.session() as s:
        stats = year_stats(s, 2024, as_of=date(2024, 7, 10))
    assert stats.rectification["按期整改"] == 0 and stats.rectification["逾期整改"] == 1
    assert stats.enforcement.as_dict()["steps"]["再次责令限期整改"] == {"recorded": 1, "done": 1, "open": 0}


def test_the_second_notice_can_be_voided_and_made_again_under_the_next_number(db, world, tmp_path):
    from usecases.notice_issue import reissue_notice

    again = record_step(db, world["notices"][0], "再次责令限期整改", step_date=LATER, deadline=date(2024, 7, 5),
                        actor="内勤", out_dir=tmp_path)
    fixed = reissue_notice(db, again.new_notice_id, "整改期限写错", "内勤", deadline=date(2024, 7, 8),
                           issue_date=LATER, out_dir=tmp_path)
    assert fixed.doc_number == "X公(治)限改字〔2024〕第005号"
    assert entries_for(db, world["notices"][0]) == []
    [serve] = entries_for(db, fixed.notice_id)
    assert serve.kind in ("待送达", "送达逾期")
