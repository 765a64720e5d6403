"""Stories about printing the 责令限期整改治安隐患通知书 and the 复查意见书 from Word templates."""
from __future__ import annotations

import runpy
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.docx_render import TemplateRenderError, check_template, render_docx, required_fields
from reports.notice_docs import (
    DEFAULT_LEGAL_BASIS, NOTICE_FIELDS, NOTICE_TEMPLATE, REVIEW_FIELDS, REVIEW_TEMPLATE,
    check_notice_template, check_review_template, default_template_dir, find_template,
    notice_context, render_notice, render_review, review_context, sample_notice_context,
)
from tests.helpers import docx_text

ROOT = Path(__file__).resolve().parents[2]
NOTICE = default_template_dir() / NOTICE_TEMPLATE
REVIEW = default_template_dir() / REVIEW_TEMPLATE


def all_runs(doc):
    for paragraph in doc.paragraphs:
        yield from paragraph.runs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def edited_copy(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """What a clerk does in Word: change one piece of the template's wording."""
    doc = Document(str(source))
    changed = 0
    for run in all_runs(doc):
        if old in run.text:
            run.text = run.text.replace(old, new)
            changed += 1
    assert changed, f"{old!r} not in template"
    out = tmp_path / f"edited_{source.name}"
    doc.save(str(out))
    return out


def hotel_notice(**changes):
    values = dict(
        bureau_name="石家庄市公安局鹿泉分局", doc_number="鹿公(治)限改字〔2024〕第012号",
        unit_name="A&B<酒店>", unit_address="鹿泉区振头大街1号", inspect_date=date(2024, 9, 27),
        hazards=[("监控录像保存不足30天。", "《企业事业单位内部治安保卫条例》第十三条"),
                 ("未建立值班巡查制度", "")],
        deadline=date(2024, 12, 31), issue_date=date(2024, 9, 29))
    values.update(changes)
    return notice_context(**values)


def test_notice_for_a_hotel_with_special_characters(tmp_path):
    out = render_notice(None, hotel_notice(), tmp_path / "通知书.docx")
    text = docx_text(out)
    assert "A&B<酒店>：" in text
    assert "1. 监控录像保存不足30天（违反《企业事业单位内部治安保卫条例》第十三条）；" in text
    # No clause: no empty "（违反）" left behind.
    assert "2. 未建立值班巡查制度。" in text
    assert "（违反）" not in text
    assert "鹿公(治)限改字〔2024〕第012号" in text
    assert "现责令你单位于2024年12月31日前整改完毕" in text
    assert f"根据{DEFAULT_LEGAL_BASIS}的规定" in text
    assert "2024年9月27日，我局民警对你单位（鹿泉区振头大街1号）进行了治安检查" in text
    assert "整改期间，你单位应当采取必要的防范措施，确保安全。" in text
    assert "逾期不整改或者整改不合格的，我局将依法予以处理。" in text
    assert "石家庄市公安局鹿泉分局（印章）" in text and "2024年9月29日" in text
    assert "裁 剪 线" in text and "送达回执" in text
    assert "{{" not in text and "{%" not in text
    # The receipt repeats the number and unit; unserved, its date is left for handwriting.
    receipt = Document(str(out)).tables[0]
    cells = {row.cells[0].text.replace(" ", ""): row.cells[1].text for row in receipt.rows}
    assert cells["文号"] == "鹿公(治)限改字〔2024〕第012号"
    assert cells["受送达单位"] == "A&B<酒店>"
    assert "年" in cells["送达时间"] and "2024" not in cells["送达时间"]
    assert "受送达人签名" in cells and "送达人签名" in cells


def test_served_date_fills_the_receipt(tmp_path):
    out = render_notice(None, hotel_notice(served=date(2024, 10, 8)), tmp_path / "n.docx")
    assert "2024年10月8日" in Document(str(out)).tables[0].rows[4].cells[1].text


def test_notice_needs_at_least_one_hazard():
    with pytest.raises(ValueError, match="至少要列出一项治安隐患"):
        hotel_notice(hazards=[])
    with pytest.raises(ValueError, match="第2项治安隐患的内容为空"):
        hotel_notice(hazards=[("隐患", ""), ("  ", "条款")])


def test_review_lists_each_outcome_and_the_conclusion(tmp_path):
    ctx = review_context(
        bureau_name="石家庄市公安局鹿泉分局", doc_number="鹿公(治)复查字〔2025〕第003号",
        notice_number="鹿公(治)限改字〔2024〕第012号", unit_name="A&B<酒店>",
        notice_date=date(2024, 10, 8), review_date=date(2025, 1, 3), inspectors=["张三", "李四"],
        hazards=[("监控录像保存不足30天", True), ("未建立值班巡查制度", False, "制度草稿未印发")],
        issue_date=date(2025, 1, 3))
    text = docx_text(render_review(None, ctx, tmp_path / "复查.docx"))
    assert "复查意见书" in text and "鹿公(治)复查字〔2025〕第003号" in text
    assert "（鹿公(治)限改字〔2024〕第012号）" in text
    assert "A&B<酒店>：" in text and "张三、李四" in text and "2025年1月3日" in text
    assert "1. 监控录像保存不足30天：已整改；" in text
    assert "2. 未建立值班巡查制度：未整改（制度草稿未印发）。" in text
    assert "尚有1项治安隐患未整改完毕，复查不合格" in text


def test_review_all_rectified_conclusion():
    ctx = review_context(
        bureau_name="局", doc_number="1", notice_number="2", unit_name="单位",
        notice_date=date(2024, 10, 8), review_date=date(2025, 1, 3), inspectors="张三、李四",
        hazards=[("隐患", "已整改")], issue_date=date(2025, 1, 3))
    assert "全部整改完毕" in ctx["conclusion"]


def test_default_templates_are_valid_and_use_the_declared_fields():
    assert check_notice_template(NOTICE) == []
    assert check_review_template(REVIEW) == []
    assert required_fields(NOTICE) >= NOTICE_FIELDS
    assert required_fields(REVIEW) >= REVIEW_FIELDS


def test_template_missing_a_required_field_is_reported_in_chinese(tmp_path):
    edited = edited_copy(tmp_path, NOTICE, "{{ doc_number }}", "第    号")
    problems = check_notice_template(edited)
    assert len(problems) == 1
    assert "缺少必需字段" in problems[0] and "doc_number" in problems[0]
    assert edited.name in problems[0]


def test_template_with_an_unknown_field_is_reported(tmp_path):
    edited = edited_copy(tmp_path, NOTICE, "{{ unit_address }}", "{{ unit_adress }}")
    problems = check_notice_template(edited)
    assert any("程序不认识的字段" in p and "unit_adress" in p for p in problems)


def test_template_with_a_jinja_syntax_error_is_rejected(tmp_path):
    edited = edited_copy(tmp_path, NOTICE, "{{ unit_name }}", "{{ unit_name }")
    problems = check_template(edited, set(NOTICE_FIELDS), sample_notice_context())
    assert len(problems) == 1 and "语法错误" in problems[0]
    with pytest.raises(TemplateRenderError, match="语法错误"):
        render_notice(edited, hotel_notice(), tmp_path / "out.docx")


def test_a_file_that_is_not_a_word_document_is_rejected(tmp_path):
    fake = tmp_path / "模板.docx"
    fake.write_text("不是 Word 文件", encoding="utf-8")
    problems = check_notice_template(fake)
    assert len(problems) == 1 and "不是有效的 Word" in problems[0]
    assert "找不到模板文件" in check_notice_template(tmp_path / "missing.docx")[0]


def test_missing_field_raises_naming_it_and_leaves_no_file(tmp_path):
    ctx = hotel_notice()
    del ctx["legal_basis"]
    out = tmp_path / "通知书.docx"
    with pytest.raises(TemplateRenderError) as caught:
        render_notice(None, ctx, out)
    assert caught.value.field == "legal_basis"
    assert "缺少字段“legal_basis”" in str(caught.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_missing_attribute_inside_the_loop_is_named(tmp_path):
    ctx = hotel_notice()
    ctx["hazards"] = [{"text": "只有内容"}]
    with pytest.raises(TemplateRenderError, match="clause"):
        render_docx(NOTICE, ctx, tmp_path / "x.docx")


def test_failed_rerender_keeps_the_previous_document(tmp_path):
    out = render_notice(None, hotel_notice(), tmp_path / "通知书.docx")
    before = out.read_bytes()
    broken = hotel_notice()
    del broken["unit_name"]
    with pytest.raises(TemplateRenderError):
        render_notice(None, broken, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通知书.docx"]


def test_template_is_an_a4_official_document_form():
    doc = Document(str(NOTICE))
    section = doc.sections[0]
    # Word stores lengths in twips, so compare to a tenth of a millimetre.
    mm = [round(length.mm, 1) for length in (section.page_width, section.page_height,
                                               section.top_margin, section.bottom_margin,
                                               section.left_margin, section.right_margin)]
    assert mm == [210, 297, 37, 35, 28, 26]
    title = next(p for p in doc.paragraphs if p.text == "责令限期整改治安隐患通知书")
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("整改期间"))
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert Pt(28) <= body.paragraph_format.line_spacing <= Pt(29)


@pytest.mark.parametrize("template", [NOTICE, REVIEW])
def test_every_jinja_tag_sits_in_one_run(template):
    # A tag split over runs is what breaks when Word re-saves a template.
    for run in all_runs(Document(str(template))):
        for opening, closing in (("{{", "}}"), ("{%", "%}")):
            assert run.text.count(opening) == run.text.count(closing), run.text


def test_templates_can_be_regenerated(tmp_path):
    script = ROOT / "resources" / "templates" / "make_templates.py"
    module = runpy.run_path(str(script))
    built = module["build_all"](tmp_path)
    assert [p.name for p in built][:2] == [NOTICE_TEMPLATE, REVIEW_TEMPLATE]  # then the others (抄告函 …)
    assert required_fields(built[0]) == required_fields(NOTICE)
    assert required_fields(built[1]) == required_fields(REVIEW)
    assert docx_text(built[0]) == docx_text(NOTICE)


def test_template_dir_inside_a_frozen_build(monkeypatch, tmp_path):
    assert default_template_dir() == ROOT / "resources" / "templates"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert default_template_dir() == tmp_path / "resources" / "templates"


def test_clerk_edited_template_is_preferred(tmp_path):
    assert find_template(NOTICE_TEMPLATE, tmp_path) == NOTICE
    shutil.copy(NOTICE, tmp_path / NOTICE_TEMPLATE)
    assert find_template(NOTICE_TEMPLATE, tmp_path) == tmp_path / NOTICE_TEMPLATE


def test_the_seal_and_date_stay_with_the_closing_text_and_the_receipt_stays_whole():
    # Printed with several hazards, the date must not drift onto a page away from the seal.
    doc = Document(str(NOTICE))
    paragraphs = doc.paragraphs
    seal = next(i for i, p in enumerate(paragraphs) if "（印章）" in p.text)
    closing = next(i for i, p in enumerate(paragraphs) if p.text.startswith("逾期不整改"))
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[closing:seal + 1])
    receipt = doc.tables[-1]
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
               for row in receipt.rows)
