"""Styling shared by the generated Word documents.

The landscape page, Chinese official fonts with their fallbacks, repeated header rows.
"""
from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

TITLE_FONTS = ("方正小标宋简体", "黑体")   # the title font, then the one Word uses when it is missing
BODY_FONTS = ("仿宋_GB2312", "仿宋")


def landscape_document() -> Document:
    """A4 landscape with the Chinese official fonts declared (and their fallbacks)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(18)
    declare_font_fallbacks(doc)
    return doc


def set_run_fonts(run, fonts: tuple[str, ...], size: float, bold: bool = False) -> None:
    """Latin and East-Asian font of a run; Word ignores font.name for Chinese without w:eastAsia."""
    run.font.name = fonts[0]
    run.font.size = Pt(size)
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), fonts[0])


def declare_font_fallbacks(doc) -> None:
    """Tell Word which installed font stands in when 方正小标宋简体 or 仿宋_GB2312 is missing."""
    font_part = next((p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml"), None)
    if font_part is None:
        return
    root = parse_xml(font_part.blob)
    for name, alt in ((TITLE_FONTS[0], TITLE_FONTS[1]), (BODY_FONTS[0], BODY_FONTS[1])):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            font.append(el)
        root.append(font)
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def repeat_header_row(row) -> None:
    """Print a table's first row again at the top of every page, and never split it across pages."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    trpr.append(OxmlElement("w:cantSplit"))
