"""Build the default Word templates (责令限期整改治安隐患通知书, 复查意见书, 抄告函) with python-docx, per GB/T 9704.

Run ``python resources/templates/make_templates.py [out_dir]`` to regenerate them.
Each Jinja tag is written as its own run so Word never splits it, which keeps the
templates working after a clerk edits the wording in Word.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

NOTICE_FILE = "责令限期整改治安隐患通知书.docx"
REVIEW_FILE = "复查意见书.docx"
LETTER_FILE = "抄告函.docx"

# GB/T 9704-2012: title 二号小标宋, body 三号仿宋_GB2312, 22 lines of 28 characters per page.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
TITLE_SIZE = Pt(22)
BODY_SIZE = Pt(16)
RECEIPT_TITLE_SIZE = Pt(18)
LINE_SPACING = Pt(28.95)
TITLE_LINE_SPACING = Pt(36)
INDENT_2_CHARS = Pt(32)
# Where these fonts are missing (most Windows PCs lack 仿宋_GB2312), Word takes the
# font table's altName; LibreOffice substitutes on its own.
FONT_FALLBACKS = {BODY_FONT: ("仿宋", "modern", "fixed"), TITLE_FONT: ("宋体", "auto", "variable")}

# Listed items end with "；", the last one with "。", as in official documents.
_ITEM_END = ("{% if loop.last %}", "。", "{% else %}", "；", "{% endif %}")
CUT_LINE = "------------------ 裁 剪 线 ------------------"
BLANK_DATE = "　　　　年　　月　　日"


def _set_fonts(rpr_owner, font: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """Name ``font`` for Latin and East-Asian text; python-docx's font.name sets Latin only."""
    rpr_owner.font.name = font
    if size is not None:
        rpr_owner.font.size = size
    if bold is not None:
        rpr_owner.font.bold = bold
    rfonts = rpr_owner.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.set(qn("w:hint"), "eastAsia")


def _spacing(paragraph, line: Pt = LINE_SPACING) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _para(doc_or_cell, *parts: str, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False,
          font: str = BODY_FONT, size: Pt = BODY_SIZE, line: Pt = LINE_SPACING,
          right_indent: Pt | None = None, keep_with_next: bool = False):
    """A paragraph whose every part (plain text or one Jinja tag) is its own run."""
    paragraph = doc_or_cell.add_paragraph()
    paragraph.alignment = align
    _spacing(paragraph, line)
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = INDENT_2_CHARS
    if right_indent is not None:
        fmt.right_indent = right_indent
    fmt.keep_with_next = keep_with_next
    for part in parts:
        _set_fonts(paragraph.add_run(part), font, size)
    return paragraph


def _title(doc, *parts: str, size: Pt = TITLE_SIZE, keep_with_next: bool = True):
    return _para(doc, *parts, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=size,
                 line=TITLE_LINE_SPACING, keep_with_next=keep_with_next)


def _tag_para(doc, tag: str):
    """A paragraph holding only a docxtpl ``{%p ... %}`` tag; docxtpl removes it on rendering."""
    return _para(doc, tag, align=WD_ALIGN_PARAGRAPH.LEFT)


def _new_document(title: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)

    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT, BODY_SIZE)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_SPACING
    normal.paragraph_format.space_after = Pt(0)
    table_grid = doc.styles["Table Grid"]
    _set_fonts(table_grid, BODY_FONT, BODY_SIZE)

    props = doc.core_properties
    props.title = title
    props.author = "双随机 desk"
    # No braces here: docxtpl renders document properties as templates too.
    props.comments = "由 make_templates.py 生成；双花括号中的字段由程序填写，可在 Word 中修改其他文字。"
    _add_font_fallbacks(doc)
    return doc


def _add_font_fallbacks(doc) -> None:
    """Declare the official fonts in the font table with an altName Word uses when they are missing."""
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (alt, family, pitch) in FONT_FALLBACKS.items()
    )
    part._blob = re.sub(r"</w:fonts>\s*$", entries + "</w:fonts>", xml).encode("utf-8")


def _seal_and_date(doc) -> None:
    # GB/T 9704: the date sits right, four characters in from the margin; the seal covers it.
    # The block is kept together (and with the text before it, see keep_with_next there), so
    # the seal never stands on a page of its own and the date never drifts away from it.
    _para(doc, "", keep_with_next=True)
    _para(doc, "", keep_with_next=True)
    _para(doc, "{{ bureau_name }}", "（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(32),
          keep_with_next=True)
    _para(doc, "{{ issue_date_text }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(48))


def _heading(doc, title: str) -> None:
    _title(doc, "{{ bureau_name }}")
    _title(doc, title)
    _para(doc, "{{ doc_number }}", align=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True)
    _para(doc, "")


def build_notice_template(path: Path) -> Path:
    """Write the 责令限期整改治安隐患通知书 template (with its 送达回执) to ``path``."""
    doc = _new_document("责令限期整改治安隐患通知书")
    _heading(doc, "责令限期整改治安隐患通知书")
    _para(doc, "{{ unit_name }}", "：", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "{{ inspect_date_text }}", "，我局民警对你单位（", "{{ unit_address }}",
          "）进行了治安检查，发现你单位存在下列治安隐患：", indent=True)
    _tag_para(doc, "{%p for h in hazards %}")
    _para(doc, "{{ loop.index }}", ". ", "{{ h.text }}", "{% if h.clause %}", "（违反",
          "{{ h.clause }}", "）", "{% endif %}", *_ITEM_END, indent=True)
    _tag_para(doc, "{%p endfor %}")
    _para(doc, "根据", "{{ legal_basis }}", "的规定，现责令你单位于", "{{ deadline_text }}",
          "前整改完毕。", indent=True)
    _para(doc, "整改期间，你单位应当采取必要的防范措施，确保安全。整改完毕后，应当及时将整改情况书面报告我局，"
          "我局将对整改情况进行复查。", indent=True)
    _para(doc, "逾期不整改或者整改不合格的，我局将依法予以处理。", indent=True, keep_with_next=True)
    _seal_and_date(doc)
    _para(doc, "")
    _para(doc, "本通知书一式两份，一份送达被检查单位，一份附卷。", indent=True, size=Pt(14))

    _para(doc, CUT_LINE, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
    _title(doc, "送达回执", size=RECEIPT_TITLE_SIZE)
    rows = [
        ("文书名称", ["责令限期整改治安隐患通知书"]),
        ("文    号", ["{{ doc_number }}"]),
        ("受送达单位", ["{{ unit_name }}"]),
        ("送达地点", ["{{ unit_address }}"]),
        ("送达时间", ["{{ served_text }}"]),
        ("受送达人签名", ["", BLANK_DATE]),
        ("送达人签名", ["", BLANK_DATE]),
        ("备    注", [""]),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Mm(42), Mm(114))
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid width, which LibreOffice honours
    for row, (label, lines) in zip(table.rows, rows):
        for cell, width in zip(row.cells, widths):
            cell.width = width  # the cell width, which Word honours
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill_cell(row.cells[0], [label], WD_ALIGN_PARAGRAPH.CENTER)
        _fill_cell(row.cells[1], lines, WD_ALIGN_PARAGRAPH.LEFT, date_right=True)
        # The receipt is cut off and returned: its rows stay on one page with the cut line and title.
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = row is not table.rows[-1]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _fill_cell(cell, lines: list[str], align, date_right: bool = False) -> None:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    for line in lines:
        line_align = WD_ALIGN_PARAGRAPH.RIGHT if date_right and line == BLANK_DATE else align
        _para(cell, line, align=line_align)


def build_review_template(path: Path) -> Path:
    """Write the 复查意见书 template to ``path``."""
    doc = _new_document("复查意见书")
    _heading(doc, "复查意见书")
    _para(doc, "{{ unit_name }}", "：", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "我局于", "{{ notice_date_text }}", "向你单位送达《责令限期整改治安隐患通知书》（",
          "{{ notice_number }}", "）。", "{{ review_date_text }}", "，我局民警", "{{ inspectors }}",
          "对你单位治安隐患整改情况进行了复查，复查情况如下：", indent=True)
    _tag_para(doc, "{%p for h in hazards %}")
    _para(doc, "{{ loop.index }}", ". ", "{{ h.text }}", "：", "{{ h.outcome }}", "{% if h.note %}",
          "（", "{{ h.note }}", "）", "{% endif %}", *_ITEM_END, indent=True)
    _tag_para(doc, "{%p endfor %}")
    _para(doc, "复查意见：", "{{ conclusion }}", indent=True)
    _para(doc, "")
    _para(doc, "复查民警（签名）：", align=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True)
    _para(doc, "被复查单位负责人（签名）：", align=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True)
    _seal_and_date(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_letter_template(path: Path) -> Path:
    """Write the 抄告函 template (a failed 复查 told to another department) to ``path``."""
    doc = _new_document("抄告函")
    _heading(doc, "抄告函")
    _para(doc, "{{ department }}", "：", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "{{ inspect_date_text }}", "，我局民警对", "{{ unit_name }}", "{% if unit_address %}", "（",
          "{{ unit_address }}", "）", "{% endif %}", "进行治安检查，发现该单位存在下列治安隐患：", indent=True)
    _tag_para(doc, "{%p for h in hazards %}")
    _para(doc, "{{ loop.index }}", ". ", "{{ h.text }}", "{% if h.clause %}", "（违反",
          "{{ h.clause }}", "）", "{% endif %}", *_ITEM_END, indent=True)
    _tag_para(doc, "{%p endfor %}")
    _para(doc, "我局已于", "{{ notice_date_text }}", "向该单位送达《责令限期整改治安隐患通知书》（",
          "{{ notice_number }}", "），责令其于", "{{ deadline_text }}", "前整改完毕。", "{{ review_date_text }}",
          "，我局对其整改情况进行复查", "{% if review_number %}", "（", "{{ review_number }}", "）", "{% endif %}",
          "，上述治安隐患仍未整改", "{% if review_note %}", "（", "{{ review_note }}", "）", "{% endif %}", "。",
          indent=True)
    _para(doc, "鉴于上述情况涉及贵单位的监管职责，根据有关规定，现予抄告。", "{{ request }}", indent=True)
    _para(doc, "特此函告。（联系人：　　　，电话：　　　　　）", indent=True, keep_with_next=True)
    _seal_and_date(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_all(out_dir: Path) -> list[Path]:
    """Build every default template into ``out_dir``."""
    return [build_notice_template(out_dir / NOTICE_FILE), build_review_template(out_dir / REVIEW_FILE),
            build_letter_template(out_dir / LETTER_FILE)]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for built in build_all(target):
        print(f"已生成模板：{built}")
