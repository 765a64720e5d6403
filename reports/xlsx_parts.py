"""The fixed parts of an .xlsx package around the streamed sheets: content types, relationships, properties, styles."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr


@dataclass(frozen=True)
class Style:
    """A cell's look; each distinct one becomes one entry of styles.xml (and a quote-prefixed twin for text)."""

    bold: bool = False
    font_name: str = ""
    size: float = 0           # 0: the workbook default (11)
    fill: str = ""            # RGB such as "DDEBF7"
    border: str = ""          # an RGB for thin borders all round, e.g. "808080"
    horizontal: str = ""      # left / center / right
    vertical: str = ""        # top / center / bottom
    wrap: bool = False



def content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                     for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>")


ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="xl/workbook.xml"/>'
              '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
              'core-properties" Target="docProps/core.xml"/>'
              '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'extended-properties" Target="docProps/app.xml"/></Relationships>')

APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>双随机 desk</Application></Properties>")


def core_xml() -> str:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>')


def workbook_rels(n: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/></Relationships>')


def styles_xml(styles: list[tuple[Style, bool]]) -> str:
    """Fonts, fills, borders and one cellXfs entry per (style, quoted) pair, in the order the sheets asked for them."""
    fonts, fills, borders = ["<font><sz val=\"11\"/><name val=\"Calibri\"/></font>"], [
        '<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'], [
        "<border><left/><right/><top/><bottom/><diagonal/></border>"]

    def index_of(items: list[str], xml: str) -> int:
        if xml not in items:
            items.append(xml)
        return items.index(xml)

    xfs = []
    for style, quoted in styles:
        font = "<font>" + ("<b/>" if style.bold else "") + f'<sz val="{style.size or 11:g}"/>' \
               f'<name val={quoteattr(style.font_name or "Calibri")}/></font>'
        font_id = index_of(fonts, font)
        fill_id = index_of(fills, f'<fill><patternFill patternType="solid"><fgColor rgb="FF{style.fill}"/>'
                                  "</patternFill></fill>") if style.fill else 0
        if style.border:
            side = f'style="thin"><color rgb="FF{style.border}"/>'
            border_id = index_of(borders, f"<border><left {side}</left><right {side}</right><top {side}</top>"
                                          f"<bottom {side}</bottom><diagonal/></border>")
        else:
            border_id = 0
        align_attrs = "".join(f' {k}="{v}"' for k, v in (("horizontal", style.horizontal),
                                                          ("vertical", style.vertical),
                                                          ("wrapText", "1" if style.wrap else "")) if v)
        align = f"<alignment{align_attrs}/>" if align_attrs else ""
        applied = "".join(f' {k}="1"' for k, on in (("applyFont", font_id), ("applyFill", fill_id),
                                                    ("applyBorder", border_id), ("applyAlignment", align)) if on)
        quote = ' quotePrefix="1"' if quoted else ""
        xfs.append(f'<xf numFmtId="0" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" xfId="0"'
                   f"{applied}{quote}>{align}</xf>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>")
