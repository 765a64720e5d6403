"""Stories about the 责令限期整改治安隐患通知书: gapless numbers, voiding, concurrency, deadlines and the 复查."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select

from models.admin import AuditEntry, HolidayOverride
from models.calendar_service import deadline_warnings, load_calendar
from models.db import open_database
from models.deadlines import TRAFFIC_RECTIFY_RULE, Status
from models.inspection import Inspection, RectificationNotice
from models.notice_service import (
    NoticeError, extend_deadline, list_notices, notice_detail, numbering_gaps, record_served, report_completion,
    set_rectify_rule, void_notice,
)
from usecases.notice_issue import (
    issue_notice, record_reinspection, reissue_notice, render_existing, render_existing_review,
)
from tests.helpers import docx_text
from tests.models.inspection_fixtures import HAZARDS, drawn_world, record

ISSUED = date(2024, 5, 7)
DEADLINE = date(2024, 6, 6)


@pytest.fixture
def world(db):
    world = drawn_world(db)
    world["inspections"] = [record(db, p.pick_id, hazards=HAZARDS) for p in world["picks"]]
    return world


def issue(db, inspection_id, out_dir, **kw):
    kw.setdefault("deadline", DEADLINE)
    kw.setdefault("issue_date", ISSUED)
    return issue_notice(db, inspection_id, actor="内勤", out_dir=out_dir, **kw)


def test_the_notice_names_the_unit_each_hazard_the_number_the_deadline_and_has_a_receipt(db, world, tmp_path):
    result = issue(db, world["inspections"][0], tmp_path)
    text = docx_text(result.path)
    assert world["picks"][0].object_name + "：" in text
    for hazard, clause in HAZARDS:
        assert hazard in text and f"违反{clause}" in text
    assert "X公(治)限改字〔2024〕第001号" in text
    assert "于2024年6月6日前整改完毕" in text
    assert "送达回执" in text and "受送达人签名" in text
    assert "测试县公安局（印章）" in text and "2024年5月7日" in text


def test_numbers_run_in_sequence_per_year(db, world, tmp_path):
    numbers = [issue(db, iid, tmp_path).doc_number for iid in world["inspections"]]
    assert numbers == [f"X公(治)限改字〔2024〕第00{n}号" for n in (1, 2, 3)]
    assert "第002号" in docx_text(tmp_path / f"{numbers[1]}_{world['picks'][1].object_name}.docx")


def test_voiding_keeps_the_number_and_the_next_notice_leaves_no_gap(db, world, tmp_path):
    first = issue(db, world["inspections"][0], tmp_path)
    void_notice(db, first.notice_id, "单位名称打印错误", "内勤")
    with pytest.raises(NoticeError, match="已经作废"):
        void_notice(db, first.notice_id, "再次作废", "内勤")
    again = issue(db, world["inspections"][0], tmp_path)
    assert again.doc_number.endswith("第002号") and again.notice_id != first.notice_id
    third = reissue_notice(db, again.notice_id, "整改期限写错", "内勤", deadline=date(2024, 6, 20),
                           issue_date=date(2024, 5, 8), out_dir=tmp_path)
    assert third.doc_number.endswith("第003号")
    assert "2024年6月20日" in docx_text(third.path)
    with db.session() as s:
        assert numbering_gaps(s, 2024) == []
        rows = {r[1]: r for r in list_notices(s, 2024)}
        assert rows[first.doc_number][8] and rows[first.doc_number][6] == "已作废：单位名称打印错误"
        assert not rows[third.doc_number][8]
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "notice")))
        assert actions.count("作废整改通知书") == 2 and "重新制作整改通知书" in actions


def test_a_failed_render_consumes_no_number(db, world, tmp_path):
    from models.admin import Setting
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "责令限期整改治安隐患通知书.docx").write_bytes(b"not a docx")
    with db.session() as s:
        s.add(Setting(key="template_dir", value=str(broken)))
    with pytest.raises(ValueError, match="不是有效的 Word"):
        issue(db, world["inspections"][0], tmp_path)
    with db.session() as s:
        s.delete(s.get(Setting, "template_dir"))
        assert s.scalar(select(RectificationNotice.id)) is None
    assert issue(db, world["inspections"][0], tmp_path).doc_number.endswith("第001号")


def test_two_clerks_issuing_at_once_get_distinct_consecutive_numbers(db, db_path, world, tmp_path):
    other = open_database(db.url or db_path)  # a second engine on the same database, as a second PC would have
    results, errors = [], []
    barrier = threading.Barrier(2)

    def clerk(database, inspection_id):
        barrier.wait()
        try:
            results.append(issue(database, inspection_id, tmp_path).doc_number)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(d, iid))
               for d, iid in ((db, world["inspections"][0]), (other, world["inspections"][1]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.dispose()
    assert errors == []
    assert sorted(results) == ["X公(治)限改字〔2024〕第001号", "X公(治)限改字〔2024〕第002号"]


def test_one_valid_notice_per_inspection_and_none_without_hazards(db, world, tmp_path):
    issue(db, world["inspections"][0], tmp_path)
    with pytest.raises(NoticeError, match="已有有效的整改通知书"):
        issue(db, world["inspections"][0], tmp_path)
    with db.session() as s:
        insp = s.get(Inspection, world["inspections"][1])
        insp.hazards.clear()
    with pytest.raises(NoticeError, match="没有治安隐患"):
        issue(db, world["inspections"][1], tmp_path)


def test_deadline_beyond_two_months_or_the_items_rule_is_refused(db, world, tmp_path):
    with pytest.raises(NoticeError, match="不得超过2个月"):
        issue(db, world["inspections"][0], tmp_path, deadline=date(2024, 7, 20))
    with db.session() as s:
        set_rectify_rule(s, world["item_id"], TRAFFIC_RECTIFY_RULE, "管理员")
    with pytest.raises(NoticeError, match="不得超过15日"):
        issue(db, world["inspections"][0], tmp_path, deadline=date(2024, 6, 6))
    with pytest.raises(NoticeError, match="早于检查结束日期"):
        issue(db, world["inspections"][0], tmp_path, issue_date=date(2024, 5, 1))


def test_traffic_rule_extends_once_to_thirty_days(db, world, tmp_path):
    with db.session() as s:
        set_rectify_rule(s, world["item_id"], TRAFFIC_RECTIFY_RULE, "管理员")
    n = issue(db, world["inspections"][0], tmp_path, deadline=date(2024, 5, 20))
    with pytest.raises(NoticeError, match="尚未送达"):
        extend_deadline(db, n.notice_id, date(2024, 6, 1), "单位申请", "内勤")
    record_served(db, n.notice_id, date(2024, 5, 8), "内勤")
    with pytest.raises(NoticeError, match="不得超过30日"):
        extend_deadline(db, n.notice_id, date(2024, 6, 12), "单位申请", "内勤")
    extend_deadline(db, n.notice_id, date(2024, 6, 7), "单位申请，经负责人批准", "内勤")
    with pytest.raises(NoticeError, match="只能延长一次"):
        extend_deadline(db, n.notice_id, date(2024, 6, 7), "再次申请", "内勤")
    with db.session() as s:
        detail = notice_detail(s, n.notice_id, today=date(2024, 6, 3))
    assert detail.extended_deadline == date(2024, 6, 7)
    assert detail.state.status == Status.DEADLINE_SOON


def test_serving_late_warns_and_the_reprint_fills_the_receipt_date(db, world, tmp_path):
    n = issue(db, world["inspections"][0], tmp_path)
    with pytest.raises(NoticeError, match="早于签发日期"):
        record_served(db, n.notice_id, date(2024, 5, 6), "内勤")
    warnings = record_served(db, n.notice_id, date(2024, 5, 13), "内勤")
    assert any("送达逾期" in w and "2024年5月9日" in w for w in warnings)
    out = render_existing(db, n.notice_id, tmp_path / "reprint.docx")
    assert "2024年5月13日" in docx_text(out)


def test_reinspection_after_the_units_report_prints_a_review_opinion(db, world, tmp_path):
    n = issue(db, world["inspections"][0], tmp_path)
    record_served(db, n.notice_id, date(2024, 5, 8), "内勤")
    report_completion(db, n.notice_id, date(2024, 5, 20), "内勤")
    with db.session() as s:
        detail = notice_detail(s, n.notice_id, today=date(2024, 5, 21))
    assert detail.state.status == Status.TO_REINSPECT and detail.reinspect_due == date(2024, 5, 27)
    with pytest.raises(NoticeError, match="复查结果应为"):
        record_reinspection(db, n.notice_id, date(2024, 5, 22), "合格", "", "内勤", out_dir=tmp_path)
    review = record_reinspection(db, n.notice_id, date(2024, 5, 22), "已整改", "监控已扩容至90日", "内勤",
                                 out_dir=tmp_path)
    assert review.doc_number == "X公(治)复查字〔2024〕第001号"
    text = docx_text(review.path)
    assert n.doc_number in text and "监控录像保存不足30日：已整改" in text and "监控已扩容至90日" in text
    with db.session() as s:
        assert s.get(Inspection, world["inspections"][0]).finished
        detail = notice_detail(s, n.notice_id)
        assert detail.state.status == Status.DONE
        # The 复查意见书 is on record, so it can be opened and printed again later.
        assert detail.reinspections[-1][3] == review.doc_number
        assert detail.reinspections[-1][5] == str(review.path)
    assert render_existing_review(db, review.reinspection_id) == review.path
    review.path.unlink()  # moved away by the clerk: written again under the same number
    again = render_existing_review(db, review.reinspection_id)
    assert again == review.path and review.doc_number in docx_text(again) and "监控已扩容至90日" in docx_text(again)
    with pytest.raises(NoticeError, match="已经复查，不能作废"):
        void_notice(db, n.notice_id, "误操作", "内勤")


def test_deadline_in_a_year_without_holiday_data_warns(db, world, tmp_path):
    with db.session() as s:
        insp = s.get(Inspection, world["inspections"][0])
        insp.date_from = insp.date_to = date(2024, 12, 30)
    n = issue(db, world["inspections"][0], tmp_path, issue_date=date(2024, 12, 31), deadline=date(2025, 1, 20))
    assert n.warnings == []  # the package knows 2025
    with db.session() as s:
        s.add(HolidayOverride(day=date(2099, 1, 1), is_workday=False, name="元旦"))
    # A year known to neither the package nor the clerk warns; one with entered holidays does not.
    with db.session() as s:
        warnings = deadline_warnings(load_calendar(s), [date(2027, 3, 1), date(2099, 3, 1)])
    assert warnings == ["2027年节假日数据尚未录入，期限按周一至周五计算，请在“节假日”页录入"]
