"""A 废旧金属 round that draws individuals (issue 19 item 6): the persons stand in the sealed announcement, the
record and the result document masked (张*, 身份证:1101**********002X), never with the full 身份证号, and the
record still verifies from the file alone; a substitute of a drawn person links to the record as published."""
from __future__ import annotations

import json

from docx import Document

from models.draw_verify import verify_record
from models.identifiers import draw_code
from models.plan import Plan, PlanItem
from models.roster import InspectedObject, Inspector, ObjectType
from ui.cli import run

DRAW = ["--witness", "王监督", "--witness", "李见证", "--entropy", "12 34 56", "--entropy", "骰子 3 5 6"]
SOURCE = ["--entropy-source", "见证人王监督、李见证在会议室现场报数和掷骰子"]
PERSONS = [  # name, kind, number, country, reason
    ("王建国", "身份证", "11010519491231002X", "", ""),
    ("李秀英", "身份证", "370323198001011234", "", ""),
    ("张三丰", "身份证", "370323197502023457", "", ""),
    ("John Smith", "护照", "E12345678", "美国", ""),
    ("赵记废品站", "无", None, "", "流动摊贩，未办照"),
]
UNIT = ("沂源县恒达再生资源回收有限公司", "统一社会信用代码", "91370000MA00000017", "", "")


def _fix_check_digits():
    from models.identifiers import resident_check
    out = []
    for name, kind, number, country, reason in PERSONS:
        if kind == "身份证":
            number = number[:17] + resident_check(number[:17])
        out.append((name, kind, number, country, reason))
    return out


def build_scrap_world(db) -> list[tuple]:
    people = _fix_check_digits() + [UNIT]
    with db.session() as s:
        scrap = ObjectType(name="废旧金属收购")
        s.add(scrap)
        s.flush()
        for name, kind, number, country, reason in people:
            s.add(InspectedObject(name=name, id_kind=kind, credit_code=number, id_country=country,
                                  no_id_reason=reason, object_type_id=scrap.id, jurisdiction="城关派出所"))
        s.add_all([Inspector(name=f"民警{n}", badge_no=f"0{n:05d}", unit="治安大队") for n in range(4)])
        plan = Plan(year=2024, bureau="测试县公安局", title="2024年度抽查计划")
        plan.items.append(PlanItem(number="1", item="对废旧金属收购业的监督检查", mode="公安内部", ratio_text="6户",
                                   responsible_unit="治安大队", object_types=[scrap]))
        s.add(plan)
    return people


def test_persons_are_drawn_masked_and_the_record_verifies(db, db_target, tmp_path, capsys):
    people = build_scrap_world(db)
    announcement, record, docx = tmp_path / "公告.json", tmp_path / "记录.json", tmp_path / "结果.docx"
    assert run(["--db", db_target, "seal", "--year", "2024", "--item", "1", *SOURCE, "--json", str(announcement),
                "--docx", str(tmp_path / "公告.docx")]) == 0
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "1", "--place", "会议室", *DRAW,
                "--record", str(record), "--docx", str(docx)]) == 0
    out = capsys.readouterr().out
    saved = json.loads(record.read_text(encoding="utf-8"))
    published = "\n".join([announcement.read_text(encoding="utf-8"), record.read_text(encoding="utf-8"), out,
                           *(p.text for p in Document(str(docx)).paragraphs),
                           *(c.text for t in Document(str(docx)).tables for r in t.rows for c in r.cells),
                           *(p.text for p in Document(str(tmp_path / "公告.docx")).paragraphs),
                           *(c.text for t in Document(str(tmp_path / "公告.docx")).tables
                             for r in t.rows for c in r.cells)])
    for name, _kind, number, _country, _reason in people[:-1]:
        assert name not in published, name          # 王建国 → 王*
        assert not number or number not in published, number
    by_code = {c["code"]: c for c in saved["candidates"]}
    wang = draw_code("身份证", people[0][2])
    assert wang == "身份证:1101**********002X" and by_code[wang]["name"] == "王*"
    assert by_code["护照:美国:E1*****78"]["name"] == "J*"
    assert by_code["无:"]["name"] == "赵*"
    assert by_code[UNIT[2]]["name"] == UNIT[0]           # the unit in full, as always
    assert len(saved["picks"]) == 6
    assert verify_record(saved).ok
    assert run(["--db", db_target, "verify-draw", str(record), "--announcement", str(announcement)]) == 0
    assert "一致" in capsys.readouterr().out


def test_a_drawn_person_is_substituted_and_the_link_checks(db, db_target, tmp_path, capsys):
    people = build_scrap_world(db)
    with db.session() as s:
        item = s.query(PlanItem).one()
        item.ratio_text = "5户"   # of 6: at least three of the picks are persons with a number
    record, new = tmp_path / "记录.json", tmp_path / "替补.json"
    assert run(["--db", db_target, "seal", "--year", "2024", "--item", "1", *SOURCE]) == 0
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "1", *DRAW, "--record", str(record)]) == 0
    saved = json.loads(record.read_text(encoding="utf-8"))
    person = next((p for p in saved["picks"] if p["code"].startswith(("身份证:", "护照:"))), None)
    if person is None:
        raise AssertionError("this entropy drew no person")
    with db.read_session() as s:
        number = s.get(InspectedObject, person["id"]).credit_code   # the clerk types the person's full number
    if number is None:
        raise AssertionError("drew the 无 object")
    assert run(["--db", db_target, "substitute", "--record-id", str(saved_id(db)), "--object", number,
                "--reason", "已离开本地", *SOURCE]) == 0, capsys.readouterr().err
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "2", *DRAW, "--record", str(new)]) == 0
    assert run(["--db", db_target, "verify-draw", str(new), "--replaces", str(record)]) == 0
    assert "一致" in capsys.readouterr().out
    assert people  # the world was built


def saved_id(db) -> int:
    from sqlalchemy import func, select

    from models.draw import DrawRecord
    with db.read_session() as s:
        return s.scalar(select(func.max(DrawRecord.id)))


def test_the_publicity_export_masks_persons_and_shows_the_unit_in_full(db, db_target, tmp_path, capsys):
    import openpyxl

    people = build_scrap_world(db)
    assert run(["--db", db_target, "seal", "--year", "2024", "--item", "1", *SOURCE]) == 0
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "1", *DRAW]) == 0
    results, tasks = tmp_path / "结果公示.xlsx", tmp_path / "任务公示.xlsx"
    assert run(["--db", db_target, "export-results", "--year", "2024", str(results)]) == 0
    assert run(["--db", db_target, "export-tasks", "--year", "2024", str(tasks)]) == 0
    cells = [[("" if v is None else str(v)) for v in row]
             for row in openpyxl.load_workbook(results).active.iter_rows(values_only=True)]
    names = {row[2]: row[3] for row in cells if len(row) > 3}
    wang_code = people[0][2]
    assert names["王*"] == f"身份证 {wang_code[:4]}**********{wang_code[-4:]}"
    assert names["J*"] == "护照（美国） E1*****78"
    assert names["赵*"] == "无证件"
    assert names[UNIT[0]] == UNIT[2]                     # the unit as today
    task_text = "\n".join(str(v) for row in openpyxl.load_workbook(tasks).active.iter_rows(values_only=True)
                          for v in row if v is not None)
    everything = "\n".join("\t".join(r) for r in cells) + task_text
    for name, _kind, number, _country, _reason in people[:-1]:
        assert name not in everything and (not number or number not in everything)
    assert UNIT[0] in task_text and "王*" in task_text


def test_a_drawn_stall_without_any_number_never_shows_none(db, db_target, capsys):
    from models.draw_history import effective_picks
    from models.inspection_service import list_picks

    build_scrap_world(db)
    assert run(["--db", db_target, "seal", "--year", "2024", "--item", "1", *SOURCE]) == 0
    assert run(["--db", db_target, "draw", "--year", "2024", "--seal", "1", *DRAW]) == 0   # all six
    assert "None" not in capsys.readouterr().out
    with db.read_session() as s:
        picks = effective_picks(s, 2024)
        assert {p.object_name: p.credit_code for p in picks}["赵记废品站"] == ""
        rows = list_picks(s, 2024)
    assert all(r.credit_code is not None for r in rows)
