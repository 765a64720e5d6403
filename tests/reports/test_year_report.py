"""Story: the leader gets one .docx for the year — summary, tables and charts — made in one click."""
from __future__ import annotations

from datetime import date

import pytest
from docx import Document

from reports.year_report import FIGURE_HEADERS, export_report
from tests.reports.publicity_world import publicity_world

pytestmark = pytest.mark.filterwarnings("error:.*[Gg]lyph.*missing")


@pytest.fixture
def world(db, tmp_path):
    return publicity_world(db, tmp_path)


def test_year_report_has_summary_tables_and_charts(db, world, tmp_path):
    seen = []
    path = export_report(db, 2024, tmp_path / "年度报告.docx", as_of=date(2024, 7, 1),
                         progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (100, 100)
    doc = Document(str(path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "测试县公安局2024年度“双随机、一公开”抽查工作统计报告"
    text = "\n".join(paragraphs)
    assert "统计截至2024年7月1日" in text
    assert "实际抽取检查对象5户，已完成检查3户" in text
    assert "制作责令限期整改治安隐患通知书2份：按期整改1份，逾期整改0份，整改中0份，逾期未整改1份" in text
    assert "2022—2024年，名录库在册检查对象46户，其中43户三年内未被检查" in text
    for heading in ("一、总体情况", "二、各抽查事项完成情况", "五、隐患整改情况", "六、执法检查人员工作量"):
        assert heading in paragraphs
    items = doc.tables[0]
    assert [c.text for c in items.rows[0].cells] == FIGURE_HEADERS
    hotel = [c.text for c in items.rows[1].cells]
    assert hotel[0] == "1 对旅馆的监督检查" and hotel[2:8] == ["44", "41", "比例≥5%，每年1次", "3", "3", "2"]
    assert hotel[9] == "未达到"
    # Problems found, by national category: hotel B's hazards were filed 待后续处理.
    col = FIGURE_HEADERS.index
    assert [hotel[col("发现问题")], hotel[col("已责令改正")], hotel[col("待后续处理")]] == ["1", "0", "1"]
    assert [c.text for c in items.rows[-1].cells][0] == "合计"
    # The 合计 row never stands alone at the top of a page: the row above it keeps with it.
    assert all(p.paragraph_format.keep_with_next for c in items.rows[-2].cells for p in c.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for c in items.rows[1].cells for p in c.paragraphs)
    # Four charts, as pictures.
    assert len(doc.inline_shapes) == 4
    xml = "\n".join(t._tbl.xml for t in doc.tables)
    assert not any(phone in xml or phone in text for phone in world["phones"])


def test_report_refuses_other_formats(db, world, tmp_path):
    with pytest.raises(ValueError, match=r"请使用 \.docx"):
        export_report(db, 2024, tmp_path / "年度报告.xlsx")


def test_a_plan_with_many_items_still_fits_its_chart_on_the_page(db, tmp_path):
    """The demo plan's 12 items make a tall chart: it is scaled to the landscape page instead of running off it."""
    from docx.shared import Mm

    from usecases.demo import load_demo
    from reports.year_report import CHART_MAX_HEIGHT_MM

    load_demo(db)
    path = export_report(db, date.today().year, tmp_path / "年度报告.docx")
    doc = Document(str(path))
    section = doc.sections[0]
    room = section.page_height - section.top_margin - section.bottom_margin
    heights = [shape.height for shape in doc.inline_shapes]
    assert len(heights) == 4
    assert max(heights) == Mm(CHART_MAX_HEIGHT_MM), "the plan chart was the one scaled down"
    assert all(h < room for h in heights)
    assert all(shape.width <= section.page_width - section.left_margin - section.right_margin
               for shape in doc.inline_shapes)


def test_an_even_workload_is_said_once(db, world):
    """Every officer checked twice: the report says 每人检查2次, not 每人检查2至2次."""
    import dataclasses

    from models.statistics import InspectorLoad, year_stats
    from reports.year_report import summary_lines

    with db.session() as s:
        stats = year_stats(s, 2024, as_of=date(2024, 7, 1))
    even = dataclasses.replace(stats, inspectors=[InspectorLoad("李娜", "治安大队", 2, 2),
                                                  InspectorLoad("王强", "治安大队", 2, 2)])
    uneven = dataclasses.replace(stats, inspectors=[InspectorLoad("李娜", "治安大队", 2, 1),
                                                    InspectorLoad("王强", "治安大队", 3, 3)])
    assert "参加检查的执法检查人员2名，每人检查2次，平均2.0次。" in summary_lines(even)
    assert "参加检查的执法检查人员2名，每人检查1至3次，平均2.0次。" in summary_lines(uneven)
