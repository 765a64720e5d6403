"""Stories of the routine duties: the bureau declares them, a 派出所 clerk records the monthly hotel round, and
the coverage says what is done, what is due and what is overdue, per 辖区 and period."""
from __future__ import annotations

from datetime import date

import pytest

from models.admin import AuditEntry
from models.duties import (
    DutyData, DutyError, add_duty, duties_from_sentence, duty_version, get_duty, list_duties, set_duty_active,
    update_duty,
)
from models.duty_coverage import (
    DONE, DUE, NOT_NEEDED, OVERDUE, UPCOMING, CoverageError, coverage, due_this_week, duty_year, period_bounds,
    period_name,
)
from models.errors import ConcurrentEdit
from tests.models.duty_fixtures import duty_world, round_check

HOTEL_RULE = "旅馆业要求每月对辖区所有旅馆进行1次监督检查"


@pytest.fixture
def world(db):
    return duty_world(db)


def declare(db, text=HOTEL_RULE, type_name=None) -> list[int]:
    with db.session() as s:
        return [add_duty(s, d, "治安大队") for d in duties_from_sentence(s, text, type_name)]


def test_the_bureau_declares_its_duties_from_the_seed_sentences(db, world):
    declare(db)
    declare(db, "印章、典当业每季度不少于1次")
    with db.session() as s:
        rows = list_duties(s)
        assert [(r.type_name, r.period, r.times, r.share_percent, r.unit_label) for r in rows] == [
            ("旅馆", "每月", 1, 100, "辖区派出所"), ("公章刻制", "每季度", 1, 100, "辖区派出所"),
            ("典当行", "每季度", 1, 100, "辖区派出所")]
        assert rows[0].basis == HOTEL_RULE
        actions = [a for (a,) in s.query(AuditEntry.action).filter(AuditEntry.entity == "routine_duty")]
        assert actions == ["新增日常巡查任务"] * 3


@pytest.mark.parametrize("data, words", [
    (DutyData("", "每月"), "对象类型：不能为空"),
    (DutyData("旅馆", "每周"), "频次：“每周”无效"),
    (DutyData("旅馆", "每月", times=0), "次数：每期检查次数应在 1～31 之间"),
    (DutyData("旅馆", "每月", share_percent=0), "比例：应在 1%～100% 之间"),
    (DutyData("旅馆", "每月", unit="城" * 101), "责任单位：长度超过 100 个字符"),
])
def test_a_duty_that_breaks_a_rule_is_refused_naming_the_field(db, world, data, words):
    with db.session() as s:
        with pytest.raises(DutyError, match=words):
            add_duty(s, data, "治安大队")
    with db.session() as s:
        assert list_duties(s, include_inactive=True) == []


def test_the_same_duty_twice_is_refused_and_an_unclear_sentence_names_what_was_not_understood(db, world):
    declare(db)
    with db.session() as s:
        with pytest.raises(DutyError, match="已有同样的日常巡查任务"):
            add_duty(s, DutyData("旅馆", "每月", 2), "治安大队")
        with pytest.raises(DutyError, match="巡查要求无法识别：“对举报投诉的随报随查”中没有可识别的检查频次"):
            duties_from_sentence(s, "对举报投诉的随报随查")
        # Another unit's own monthly round of the same hotels is a duty of its own.
        add_duty(s, DutyData("旅馆", "每月", 1, 30, unit="治安大队"), "治安大队")


def test_edit_and_deactivate_with_the_version_the_form_showed(db, world):
    (duty_id,) = declare(db)
    with db.session() as s:
        seen = duty_version(s, duty_id)
    with db.session() as s:
        update_duty(s, duty_id, DutyData("旅馆", "每两个月", 1, 100, basis="上级下达指标"), "张三", seen)
    with db.session() as s:
        # A second seat still holding the old copy is refused, naming who saved it.
        with pytest.raises(ConcurrentEdit, match="已被 张三 于"):
            update_duty(s, duty_id, DutyData("旅馆", "每年", 1), "李四", seen)
    with db.session() as s:
        row = get_duty(s, duty_id)
        assert (row.period, row.basis) == ("每两个月", "上级下达指标")
        set_duty_active(s, duty_id, False, "张三", row.version)
    with db.session() as s:
        assert list_duties(s) == [] and [r.active for r in list_duties(s, include_inactive=True)] == [False]
        set_duty_active(s, duty_id, True, "张三")
    with db.session() as s:
        assert [r.id for r in list_duties(s)] == [duty_id]


def test_periods_and_their_names():
    assert period_bounds("每月", 2024, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_bounds("每两个月", 2024, 3) == (date(2024, 5, 1), date(2024, 6, 30))
    assert period_bounds("每季度", 2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))
    assert [period_name(p, 2024, 2) for p in ("每月", "每两个月", "每季度", "每半年")] == [
        "2024年2月", "2024年3—4月", "2024年第2季度", "2024年下半年"]
    assert period_name("每年", 2024, 1) == "2024年"
    with pytest.raises(CoverageError, match="每季度的任务一年共 4 期"):
        period_bounds("每季度", 2024, 5)


def test_a_clerk_records_the_monthly_hotel_round_and_the_rest_stay_due(db, world):
    """城关派出所 checks two of its three hotels in May; the coverage shows the third due, 南麻's two due."""
    (duty_id,) = declare(db)
    ids, officers = world["objects"], world["officers"]
    round_check(db, ids["平安宾馆"], date(2024, 5, 6), duty_id=duty_id, officers=officers)
    round_check(db, ids["如家酒店城关店"], date(2024, 5, 8), officers=officers)   # a round not marked: counts
    round_check(db, ids["迎宾旅社"], date(2024, 5, 9), source="举报投诉")           # a complaint check: does not
    round_check(db, ids["南麻大酒店"], date(2024, 4, 30), duty_id=duty_id)          # April's: not May's
    with db.session() as s:
        (cov,) = coverage(s, 2024, month=5, today=date(2024, 5, 20))
    assert (cov.period_name, cov.start, cov.end) == ("2024年5月", date(2024, 5, 1), date(2024, 5, 31))
    # The 停业 and the deactivated hotel are not on the round.
    assert (cov.total, cov.required, cov.done, cov.due, cov.overdue) == (5, 5, 2, 3, 0)
    by = {g.group: g for g in cov.groups}
    assert list(by) == ["南麻派出所", "城关派出所"]
    city = by["城关派出所"]
    assert [(o.name, o.state) for o in city.objects] == [("如家酒店城关店", DONE), ("平安宾馆", DONE),
                                                         ("迎宾旅社", DUE)]
    assert (city.done, city.due, city.rate) == (2, 1, pytest.approx(2 / 3))
    assert city.objects[1].last_date == date(2024, 5, 6) and len(city.objects[1].inspection_ids) == 1
    assert [o.state for o in by["南麻派出所"].objects] == [DUE, DUE]

    # After May the missing ones are overdue; June has not begun on 20 May.
    with db.session() as s:
        (may,) = coverage(s, 2024, month=5, today=date(2024, 6, 3))
        (june,) = coverage(s, 2024, month=6, today=date(2024, 5, 20))
        (one,) = coverage(s, 2024, month=5, today=date(2024, 6, 3), jurisdiction="城关派出所")
    assert (may.done, may.due, may.overdue) == (2, 0, 3)
    assert [o.name for o in may.groups[1].of_state(OVERDUE)] == ["迎宾旅社"]
    assert {o.state for g in june.groups for o in g.objects} == {UPCOMING}
    assert [g.group for g in one.groups] == ["城关派出所"] and one.overdue == 1


def test_a_check_for_another_duty_counts_for_that_one_only(db, world):
    (monthly,) = declare(db)
    (yearly,) = declare(db, "全面检查：会同上级管理部门对旅馆进行全面检查，每年不少于1次")
    ids = world["objects"]
    round_check(db, ids["平安宾馆"], date(2024, 5, 6), duty_id=yearly, source="全面检查")
    with db.session() as s:
        month_cov, year_cov = coverage(s, 2024, month=5, today=date(2024, 5, 20))
    assert month_cov.duty.id == monthly and month_cov.done == 0
    assert year_cov.duty.id == yearly and year_cov.done == 1


def test_a_share_of_the_objects_and_a_named_unit(db, world):
    with db.session() as s:
        duty_id = add_duty(s, DutyData("旅馆", "每季度", 1, 30, unit="治安大队"), "治安大队")
    ids = world["objects"]
    round_check(db, ids["南麻客栈"], date(2024, 4, 10), duty_id=duty_id)
    with db.session() as s:
        (cov,) = coverage(s, 2024, month=5, today=date(2024, 5, 20))
    (group,) = cov.groups
    # 30% of 5 hotels is 2 (rounded up): one done, one more due, all in the named unit's one group.
    assert (group.group, group.total, group.required, group.done, group.due) == ("治安大队", 5, 2, 1, 1)
    round_check(db, ids["平安宾馆"], date(2024, 5, 11), duty_id=duty_id)
    with db.session() as s:
        (cov,) = coverage(s, 2024, month=5, today=date(2024, 5, 20))
    assert (cov.done, cov.due) == (2, 0)
    assert sorted({o.state for o in cov.groups[0].objects}) == sorted({DONE, NOT_NEEDED})


def test_twice_a_period_needs_two_checks(db, world):
    with db.session() as s:
        add_duty(s, DutyData("典当行", "每季度", 2), "治安大队")
    ids = world["objects"]
    round_check(db, ids["城关典当行"], date(2024, 4, 3))
    with db.session() as s:
        (cov,) = coverage(s, 2024, month=4, today=date(2024, 4, 20))
    assert cov.done == 0 and cov.groups[1].objects[0].checks == 1
    round_check(db, ids["城关典当行"], date(2024, 6, 3))
    with db.session() as s:
        (cov,) = coverage(s, 2024, month=4, today=date(2024, 6, 20))
    assert cov.done == 1


def test_what_falls_due_this_week_and_the_year_figures(db, world):
    (duty_id,) = declare(db)
    ids = world["objects"]
    for name in ("平安宾馆", "如家酒店城关店", "迎宾旅社"):
        round_check(db, ids[name], date(2024, 5, 6), duty_id=duty_id)
    with db.session() as s:
        assert due_this_week(s, date(2024, 5, 20)) == []          # May ends in 11 days
        due = due_this_week(s, date(2024, 5, 27))
        assert [(g.group, g.due, g.end) for g in due] == [("南麻派出所", 2, date(2024, 5, 31))]
        (year,) = duty_year(s, 2024, as_of=date(2024, 6, 10))
    # January to June have begun: 6 months × 5 hotels required, May's 3 done; January–April and May's two overdue.
    assert (year.required, year.done, year.overdue) == (30, 3, 22)
    assert [p["done"] for p in year.as_dict()["periods"]][:6] == [0, 0, 0, 0, 3, 0]
    assert year.rate == pytest.approx(0.1)


def test_the_to_do_list_reminds_of_the_round_falling_due_this_week(db, world):
    from models.todo import todo_list

    (duty_id,) = declare(db)
    for name in ("平安宾馆", "如家酒店城关店", "迎宾旅社"):
        round_check(db, world["objects"][name], date(2024, 5, 6), duty_id=duty_id)
    with db.session() as s:
        assert [e for e in todo_list(s, date(2024, 5, 20)) if e.duty_id] == []
        (entry,) = [e for e in todo_list(s, date(2024, 5, 27)) if e.duty_id]
    assert (entry.kind, entry.unit_name, entry.due, entry.overdue, entry.duty_id) == (
        "日常巡查到期", "南麻派出所", date(2024, 5, 31), False, duty_id)
    assert entry.label == "日常巡查 旅馆 每月1次：南麻派出所2024年5月还有2个对象未查，2024年5月31日本期结束"
    assert entry.as_dict()["duty_id"] == duty_id
