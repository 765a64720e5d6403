"""Build the default Word templates with python-docx, laid out per GB/T 9704: 责令限期整改治安隐患通知书,
复查意见书, 抄告函 and 现场检查记录.

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
RECORD_FILE = "现场检查记录.docx"
LETTER_FILE = "抄告函.docx"
JOINT_RECORD_FILE = "联合检查现场检查记录.docx"

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


# --- 现场检查记录 (检查笔录): a form printed before the visit, filled in and signed on site -----------------

FORM_SIZE = Pt(14)        # 四号: the form's tables
FORM_LINE = Pt(22)
SMALL_SIZE = Pt(12)       # 小四: the checklist, so a long one stays readable on few pages
SMALL_LINE = Pt(18)
BOX = "☐"
SIGN_DATE = "年　　月　　日"
SIGN_LINE = Pt(30)


def _cell_para(cell, *parts: str, align=WD_ALIGN_PARAGRAPH.LEFT, size: Pt = FORM_SIZE, line: Pt = FORM_LINE,
               bold: bool = False, keep_with_next: bool = False, first: bool = False):
    """A paragraph in ``cell`` (its first, empty one when ``first``), each part its own run."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    _spacing(paragraph, line)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    for part in parts:
        _set_fonts(paragraph.add_run(part), BODY_FONT, size, bold=bold or None)
    return paragraph


def _widths(table, widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid width, which LibreOffice honours
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width  # the cell width, which Word honours


def _row_props(row, *, cant_split: bool = True, header: bool = False, min_height: Mm | None = None) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if cant_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated on every page the table runs onto
    if min_height is not None:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(min_height.twips))
        height.set(qn("w:hRule"), "atLeast")
        tr_pr.append(height)


def _table(doc, rows: int, widths):
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    return table


def _page_number_footer(doc) -> None:
    """"— 1 —" centred at the foot (GB/T 9704 page numbers), restarting for every record of a combined file."""
    section = doc.sections[0]
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    section._sectPr.append(pg)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(paragraph.add_run("— "), "宋体", Pt(14))
    run = paragraph.add_run()
    _set_fonts(run, "宋体", Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    _set_fonts(paragraph.add_run(" —"), "宋体", Pt(14))


def _blank_box(table, row_index: int, label: str, height_mm: int, hint: str = "") -> None:
    """A merged full-width row: a label at the top and room to write below it."""
    row = table.rows[row_index]
    cell = row.cells[0].merge(row.cells[-1])
    _cell_para(cell, label, *((hint,) if hint else ()), first=True, bold=False)
    _row_props(row, cant_split=False, min_height=Mm(height_mm))


def build_record_template(path: Path) -> Path:
    """Write the 现场检查记录 template to ``path``: printed per object before the visit, filled in by hand."""
    doc = _new_document("现场检查记录")
    _page_number_footer(doc)
    _title(doc, "{{ bureau_name }}")
    _title(doc, "现场检查记录")
    _para(doc, "{% if record_number %}", "编号：", "{{ record_number }}", "{% endif %}",
          align=WD_ALIGN_PARAGRAPH.RIGHT, size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)

    # Who and what is checked, why, when and by whom.
    info = [
        ("被检查单位", ["{{ unit_name }}"]),
        ("统一社会信用代码", ["{{ credit_code }}"]),
        ("地　　址", ["{{ unit_address }}"]),
        ("法定代表人/负责人", ["{{ legal_rep }}"]),
        ("联系电话", ["{{ phone }}"]),
        ("检查来源", ["{{ source_text }}"]),
        ("检查事项", ["{{ item_text }}"]),
        ("检查时间", ["{{ date_text }}"]),
        ("检查地点", ["{{ place_text }}"]),
    ]
    widths = (Mm(46), Mm(110))
    table = _table(doc, len(info) + 1, widths)
    for row, (label, parts) in zip(table.rows, info):
        _cell_para(row.cells[0], label, align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
        _cell_para(row.cells[1], *parts, first=True)
        if label == "检查时间":  # the hours on their own line: a blank date and hours do not fit one
            _cell_para(row.cells[1], "　　时　　分至　　时　　分")
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _row_props(row)
    row = table.rows[-1]
    _cell_para(row.cells[0], "检查人员", align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
    row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    officers = row.cells[1]
    _cell_para(officers, "{%p for o in officers %}", first=True)
    _cell_para(officers, "{{ o.name }}", "　执法证号：", "{{ o.cert_no }}")
    _cell_para(officers, "{%p endfor %}")
    _row_props(row)

    _para(doc, "检查人员出示执法证件，表明身份，告知被检查单位应当依法接受检查、如实提供有关情况和资料。",
          indent=True, size=FORM_SIZE, line=FORM_LINE)

    # The checklist: one row per entry, ☐ to tick under 符合 / 不符合 / 不适用; the table runs over pages
    # between rows, its header repeated.
    _para(doc, "一、检查内容", size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)
    widths = (Mm(14), Mm(88), Mm(18), Mm(18), Mm(18))
    table = _table(doc, 4, widths)
    header = table.rows[0]
    for cell, text in zip(header.cells, ("序号", "检查内容", "符合", "不符合", "不适用")):
        _cell_para(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL_SIZE, line=SMALL_LINE, bold=True,
                   first=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _row_props(header, header=True)
    # docxtpl's {%tr %} rows: the first and last rows vanish, the middle one repeats per entry.
    loop_start, entry, loop_end = table.rows[1], table.rows[2], table.rows[3]
    _cell_para(loop_start.cells[0], "{%tr for c in checklist %}", size=SMALL_SIZE, line=SMALL_LINE, first=True)
    _cell_para(entry.cells[0], "{{ c.seq }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL_SIZE, line=SMALL_LINE,
               first=True)
    _cell_para(entry.cells[1], "{{ c.text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=SMALL_SIZE,
               line=SMALL_LINE, first=True)
    for cell in entry.cells[2:]:
        _cell_para(cell, BOX, align=WD_ALIGN_PARAGRAPH.CENTER, size=FORM_SIZE, line=SMALL_LINE, first=True)
    for cell in entry.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _row_props(entry)
    _cell_para(loop_end.cells[0], "{%tr endfor %}", size=SMALL_SIZE, line=SMALL_LINE, first=True)

    # Room to write: what was found, what was decided, and what the unit says.
    _para(doc, "二、检查情况和处理意见", size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)
    table = _table(doc, 3, (Mm(156),))
    _blank_box(table, 0, "检查情况（发现的问题）：", 60)
    _blank_box(table, 1, "处理意见：", 25)
    _blank_box(table, 2, "被检查单位意见：", 25)

    # The signatures, kept together on one page (each paragraph keeps with the next).
    _para(doc, "", keep_with_next=True, size=FORM_SIZE, line=FORM_LINE)
    sign = [
        "检查人员（签名）：　　　　　　　　　　　　" + SIGN_DATE,
        "检查人员（签名）：　　　　　　　　　　　　" + SIGN_DATE,
        "被检查单位负责人（签名）：　　　　　　　　" + SIGN_DATE,
    ]
    for line in sign:
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.LEFT, size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "被检查单位负责人拒绝签字的，由检查人员在此注明：", align=WD_ALIGN_PARAGRAPH.LEFT,
          size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "＿" * 22, align=WD_ALIGN_PARAGRAPH.LEFT, size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "注明人（签名）：　　　　　　　　　　　　　" + SIGN_DATE, align=WD_ALIGN_PARAGRAPH.LEFT,
          size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "本记录如实记录监督检查情况和处理意见，由检查人员和被检查单位有关负责人签字；被检查单位负责人"
          "拒绝签字的，检查人员应当在本记录上注明。本记录一式两份，一份交被检查单位，一份附卷。",
          indent=True, size=SMALL_SIZE, line=SMALL_LINE)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_joint_record_template(path: Path) -> Path:
    """Write the 综合查一次 record: one visit of one unit by a joint team, each item's checklist its own section."""
    doc = _new_document("联合检查现场检查记录")
    _page_number_footer(doc)
    _title(doc, "{{ bureau_name }}")
    _title(doc, "联合检查现场检查记录")
    _para(doc, "（综合查一次）", align=WD_ALIGN_PARAGRAPH.CENTER, size=FORM_SIZE, line=FORM_LINE,
          keep_with_next=True)
    _para(doc, "{% if record_number %}", "编号：", "{{ record_number }}", "{% endif %}",
          align=WD_ALIGN_PARAGRAPH.RIGHT, size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)
    info = [
        ("被检查单位", ["{{ unit_name }}"]),
        ("统一社会信用代码", ["{{ credit_code }}"]),
        ("地　　址", ["{{ unit_address }}"]),
        ("法定代表人/负责人", ["{{ legal_rep }}"]),
        ("联系电话", ["{{ phone }}"]),
        ("检查来源", ["{{ source_text }}"]),
        ("牵头部门", ["{{ lead_unit }}"]),
        ("参加部门", ["{{ units_text }}"]),
        ("检查事项", ["{{ items_text }}"]),
        ("检查时间", ["{{ date_text }}"]),
        ("检查地点", ["{{ place_text }}"]),
    ]
    widths = (Mm(46), Mm(110))
    table = _table(doc, len(info) + 1, widths)
    for row, (label, parts) in zip(table.rows, info):
        _cell_para(row.cells[0], label, align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
        _cell_para(row.cells[1], *parts, first=True)
        if label == "检查时间":
            _cell_para(row.cells[1], "　　时　　分至　　时　　分")
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _row_props(row)
    row = table.rows[-1]
    _cell_para(row.cells[0], "联合检查组", align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
    row.cells[0].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    officers = row.cells[1]
    _cell_para(officers, "{%p for o in officers %}", first=True)
    _cell_para(officers, "{{ o.name }}", "（", "{{ o.unit }}", "）　执法证号：", "{{ o.cert_no }}")
    _cell_para(officers, "{%p endfor %}")
    _row_props(row)

    _para(doc, "联合检查组出示执法证件，表明身份，告知被检查单位本次为多个部门、多个抽查事项的一次联合检查，"
          "应当依法接受检查、如实提供有关情况和资料。", indent=True, size=FORM_SIZE, line=FORM_LINE)

    # One section per grouped item: its heading, its own checklist and its own result (each item's publicity
    # row keeps its own result).
    _para(doc, "一、检查内容（按抽查事项分节）", size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)
    _para(doc, "{%p for sec in sections %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "{{ sec.heading }}", size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)
    _para(doc, "{{ sec.source }}", size=SMALL_SIZE, line=SMALL_LINE, keep_with_next=True)
    widths = (Mm(14), Mm(88), Mm(18), Mm(18), Mm(18))
    table = _table(doc, 4, widths)
    header = table.rows[0]
    for cell, text in zip(header.cells, ("序号", "检查内容", "符合", "不符合", "不适用")):
        _cell_para(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL_SIZE, line=SMALL_LINE, bold=True,
                   first=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _row_props(header, header=True)
    loop_start, entry, loop_end = table.rows[1], table.rows[2], table.rows[3]
    _cell_para(loop_start.cells[0], "{%tr for c in sec.checklist %}", size=SMALL_SIZE, line=SMALL_LINE, first=True)
    _cell_para(entry.cells[0], "{{ c.seq }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=SMALL_SIZE, line=SMALL_LINE,
               first=True)
    _cell_para(entry.cells[1], "{{ c.text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=SMALL_SIZE,
               line=SMALL_LINE, first=True)
    for cell, tag in zip(entry.cells[2:], ("{{ c.yes }}", "{{ c.no }}", "{{ c.na }}")):  # ☐, or ☑ once recorded
        _cell_para(cell, tag, align=WD_ALIGN_PARAGRAPH.CENTER, size=FORM_SIZE, line=SMALL_LINE, first=True)
    for cell in entry.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _row_props(entry)
    _cell_para(loop_end.cells[0], "{%tr endfor %}", size=SMALL_SIZE, line=SMALL_LINE, first=True)
    _para(doc, "本事项检查结果：", "{{ sec.result_text }}", size=SMALL_SIZE, line=SMALL_LINE)
    _para(doc, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)

    _para(doc, "二、检查情况和处理意见", size=FORM_SIZE, line=FORM_LINE, keep_with_next=True)
    table = _table(doc, 3, (Mm(156),))
    _blank_box(table, 0, "检查情况（发现的问题，注明所属事项）：", 60)
    _blank_box(table, 1, "处理意见（发现的隐患合并制作一份整改通知书）：", 25)
    _blank_box(table, 2, "被检查单位意见：", 25)

    _para(doc, "", keep_with_next=True, size=FORM_SIZE, line=FORM_LINE)
    _para(doc, "{%p for o in officers %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "{{ o.unit }}", "检查人员（签名）：　　　　　　　　" + SIGN_DATE, align=WD_ALIGN_PARAGRAPH.LEFT,
          size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "{%p endfor %}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "被检查单位负责人（签名）：　　　　　　　　" + SIGN_DATE, align=WD_ALIGN_PARAGRAPH.LEFT,
          size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "被检查单位负责人拒绝签字的，由检查人员在此注明：", align=WD_ALIGN_PARAGRAPH.LEFT,
          size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "＿" * 22, align=WD_ALIGN_PARAGRAPH.LEFT, size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "注明人（签名）：　　　　　　　　　　　　　" + SIGN_DATE, align=WD_ALIGN_PARAGRAPH.LEFT,
          size=FORM_SIZE, line=SIGN_LINE, keep_with_next=True)
    _para(doc, "本记录为一次联合检查的记录，各抽查事项的检查结果分别记录、分别公示；由联合检查组各部门检查人员和"
          "被检查单位有关负责人签字。本记录一式两份，一份交被检查单位，一份由牵头部门附卷。",
          indent=True, size=SMALL_SIZE, line=SMALL_LINE)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_all(out_dir: Path) -> list[Path]:
    """Build every default template into ``out_dir``."""
    return [build_notice_template(out_dir / NOTICE_FILE), build_review_template(out_dir / REVIEW_FILE),
            build_letter_template(out_dir / LETTER_FILE), build_record_template(out_dir / RECORD_FILE),
            build_joint_record_template(out_dir / JOINT_RECORD_FILE)]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for built in build_all(target):
        print(f"已生成模板：{built}")
