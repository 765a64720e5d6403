"""咸宁's clerk imports the 综合查一次 plan (seed 000), links the partner wordings once, and draws the joint
and full-coverage items: the links stick, a 部门联合 item short of partner officers is refused until the clerk
gives a reason that the sealed record then carries, and the 民爆 item draws every unit each half-year."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.audit import AuditEntry
from models.departments import (
    DepartmentError, link_department, list_departments, match_department, normalise, unmatched_wordings,
)
from models.draw_prepare import prepare_draw
from models.draw_verify import verify_record
from models.full_coverage import coverage_note, is_full_coverage, load_summary
from models.organisation import Department, DepartmentAlias
from tests.models.departments_world import POSTAL_UNIT, YEAR, build_xianning, import_seed_000
from tests.models.draw_fixtures import sealed_draw

REASON = "市邮政管理局本月无执法人员可派，经分管局领导同意先由治安支队检查"


def test_normalised_wordings_meet_at_their_core():
    places = ["咸宁市", "咸宁"]
    assert normalise("市邮政管理部门", places) == normalise("咸宁市邮政管理局", places) == "邮政管理"
    assert normalise("住房城乡建设等相关部门") == "住房城乡建设"
    assert normalise("县市场监督管理局") == normalise("市场监督管理局")


def test_seed_000_imported_postal_wording_linked_once_and_it_sticks(db, data_dir):
    build_xianning(db)
    preview, count = import_seed_000(db, data_dir)
    assert count == 14
    warned = [str(w) for w in preview.warnings if w.column == "配合部门"]
    assert any("市邮政管理部门" in w and "事项 12" in w for w in warned)
    with db.session() as s:
        # the roster's units became departments when the plan came in
        assert {d.name for d in s.scalars(select(Department))} == {"治安支队", POSTAL_UNIT}
        gaps = {u.wording: u.items for u in unmatched_wordings(s, YEAR)}
        assert gaps["市邮政管理部门"] == ["12"] and gaps["市委网信办"] == ["1"]
        assert match_department(s, "市邮政管理部门") is None

    with db.session() as s:
        link_department(s, "市邮政管理部门", POSTAL_UNIT, "李文书")
    with db.session() as s:
        assert match_department(s, "市邮政管理部门") == POSTAL_UNIT
        assert "市邮政管理部门" not in {u.wording for u in unmatched_wordings(s, YEAR)}
        listed = {d.name: d for d in list_departments(s)}
        assert listed[POSTAL_UNIT].aliases == ["市邮政管理部门"] and listed[POSTAL_UNIT].officers == 2
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "department.link")).one()
        assert json.loads(entry.detail) == {"alias": "市邮政管理部门", "department": POSTAL_UNIT}
        prep = prepare_draw(s, YEAR, "12")
        assert prep.partner_units == [POSTAL_UNIT] and prep.ready, prep.problems

    # next year's table (the same file again, replacing the items): the wording is matched without asking
    preview, count = import_seed_000(db, data_dir, replace=True)
    assert count == 14
    assert not any("市邮政管理部门" in str(w) for w in preview.warnings)


def test_a_link_names_what_is_wrong(db, data_dir):
    build_xianning(db)
    with db.session() as s:
        with pytest.raises(DepartmentError, match="“关联到”：“市邮政管理处”不是检查人员名录中的单位"):
            link_department(s, "市邮政管理部门", "市邮政管理处", "李文书")
        with pytest.raises(DepartmentError, match="“名称”：请填写"):
            link_department(s, "  ", POSTAL_UNIT, "李文书")
        link_department(s, "市邮政部门", POSTAL_UNIT, "李文书")
    with db.session() as s:
        with pytest.raises(DepartmentError, match="已关联到“咸宁市邮政局”"):
            link_department(s, "市邮政部门", "治安支队", "李文书")
        assert s.scalars(select(DepartmentAlias.alias)).all() == ["市邮政部门"]


def test_joint_item_without_partner_officers_refused_then_drawn_with_a_sealed_reason(db, data_dir):
    build_xianning(db, postal=0)
    import_seed_000(db, data_dir)
    with db.session() as s:
        refused = prepare_draw(s, YEAR, "12")
    assert not refused.ready
    assert any("部门联合抽查不能只由公安人员进行" in p and "市邮政管理部门" in p for p in refused.problems)

    with db.session() as s:
        prep = prepare_draw(s, YEAR, "12", partner_gap_reason=REASON)
    assert prep.ready, prep.problems
    assert prep.partner_units == [] and prep.partner_gap_reason == REASON
    assert is_full_coverage(prep) and prep.total_size == 5   # 每半年1次，全市寄递物流经营场所
    saved = sealed_draw(db, prep)
    record = saved.record
    assert record["announcement"]["partner_gap_reason"] == REASON
    assert verify_record(record, saved.record_hash).ok
    tampered = json.loads(json.dumps(record))
    tampered["announcement"]["partner_gap_reason"] = "无"
    assert not verify_record(tampered).ok
    blank = json.loads(json.dumps(record))
    blank["announcement"]["partner_gap_reason"] = ""
    assert "出现时不能为空" in verify_record(blank).message


def test_blasting_item_draws_every_unit_each_half_year_with_an_even_load(db, data_dir):
    ids = build_xianning(db, blasting=7, police=6)
    import_seed_000(db, data_dir)
    for round_ in (1, 2):
        with db.session() as s:
            prep = prepare_draw(s, YEAR, "5", round=round_)
        assert prep.ready, prep.problems
        assert is_full_coverage(prep) and prep.total_size == prep.total_eligible == 7
        note = coverage_note(prep)
        assert "全部 7 户" in note and f"每年 2 轮，本轮为第 {round_} 轮" in note and "每人约 2～3 户" in note
        saved = sealed_draw(db, prep)
        assert sorted(p["id"] for p in saved.record["picks"]) == sorted(ids["blasting"])
        assert verify_record(saved.record, saved.record_hash).ok
        assert load_summary(saved.record) == "检查人员负担：6 人，每人 2～3 户（均衡）"


def test_task_publicity_names_the_sealed_partner_gap_reason(db, data_dir, tmp_path):
    from docx import Document

    from reports.publicity import export_tasks, tasks_table

    build_xianning(db, postal=0)
    import_seed_000(db, data_dir)
    with db.session() as s:
        prep = prepare_draw(s, YEAR, "12", partner_gap_reason=REASON)
    sealed_draw(db, prep)
    with db.session() as s:
        sealed_draw(db, prepare_draw(s, YEAR, "5"))   # a full draw with its partners: no such remark
    table = tasks_table(db, YEAR)
    remarks = {row[1]: row[-1] for row in table.rows}
    assert f"部门联合抽查缺少配合部门人员，原因：{REASON}" in remarks["寄递物流行业安全监管"]
    assert "配合部门" not in next(r for k, r in remarks.items() if k.startswith("民爆物品"))
    path = tmp_path / "抽查任务公示.docx"
    export_tasks(db, YEAR, path)
    text = "\n".join(c.text for t in Document(path).tables for row in t.rows for c in row.cells)
    assert REASON in text


def test_partner_gap_reason_cases_verify_as_the_protocol_says(db):
    """The verifier corpus's section-11 cases (also run through the verifier page) give these answers."""
    from tests.reports.verify_corpus import PARTNER_GAP_REASON, db_records, partner_gap_cases

    honest, announcements = db_records(db)
    sealed = honest["部门联合缺员原因随公告封存"]
    assert sealed["announcement"]["partner_gap_reason"] == PARTNER_GAP_REASON
    assert sealed["inspection"]["partner_units"] == []
    assert "partner_gap_reason" not in honest["封存后抽取"]["announcement"]   # absent, not "", without a gap
    cases = {c.label: c for c in partner_gap_cases(sealed, announcements["部门联合缺员原因随公告封存"])}

    def answer(label):
        c = cases[label]
        ann = json.loads(c.announcement) if c.announcement else None
        return verify_record(json.loads(c.data), c.hash or None, announcement=ann)

    assert answer("缺员原因随公告封存").ok
    assert not answer("缺员原因被删（公告仍有）").ok
    assert "随机种子不一致" in answer("缺员原因被改（承诺值未重算）").message or \
        "承诺值" in answer("缺员原因被改（承诺值未重算）").message
    assert not answer("缺员原因被改（承诺值也重算）").ok     # the commitment is in the seed: the picks change
    assert "字段「announcement.partner_gap_reason」出现时不能为空" in answer("缺员原因为空").message
    assert "含有制表符或换行符" in answer("缺员原因含换行").message
    assert "字段「announcement.partner_gap_reason」应为" in answer("缺员原因不是文字").message


def test_signed_papers_print_the_partner_gap_reason(db, data_dir, tmp_path):
    from docx import Document

    from models.draw_announcement import from_record
    from reports.draw_docs import write_draw_record_docx
    from reports.seal_docs import write_announcement_docx

    build_xianning(db, postal=0)
    import_seed_000(db, data_dir)
    with db.session() as s:
        saved = sealed_draw(db, prepare_draw(s, YEAR, "12", partner_gap_reason=REASON))

    def cells(path):
        return [[c.text for c in row.cells] for t in Document(path).tables for row in t.rows]

    record = write_draw_record_docx(saved.record, "有效", tmp_path / "抽取结果记录表.docx")
    announcement = write_announcement_docx(from_record(saved.record), saved.record["commitment"],
                                           tmp_path / "抽取公告.docx")
    for path in (record, announcement):
        assert ["配合部门缺员原因", REASON] in cells(path)


@pytest.mark.parametrize(("text", "rounds"), [
    ("对本市所有民爆物品从业单位，每半年至少1次", 2),
    ("全市寄递物流经营场所每年1次", 1),
    ("每季度1次，100%", 4),
    ("对本市所有剧毒、易制爆从业单位，每半年至少1次", 2),
])
def test_all_units_wordings_read_as_full_coverage_with_rounds(text, rounds):
    from models.plan_rules import parse_rule

    rule = parse_rule(text)
    assert rule.full_coverage and rule.rounds_per_year() == rounds


@pytest.mark.parametrize("text", ["每半年1次，全市10%", "抽查比例不超过100%", "每年2次", "全市3户"])
def test_a_share_or_count_is_not_full_coverage(text):
    from models.plan_rules import parse_rule

    assert not parse_rule(text).full_coverage
