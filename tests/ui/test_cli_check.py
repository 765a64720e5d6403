"""Command-line stories: a 派出所 records a complaint check and the hotel round; the 双随机 publicity never sees
them."""
from __future__ import annotations

import json

from openpyxl import load_workbook

from models.inspection import Inspection
from tests.helpers import docx_text
from tests.models.draw_fixtures import code
from tests.models.inspection_fixtures import drawn_world, record
from ui.cli import run


def cli(target, *args):
    return run(["--db", str(target), *args])


def cells(path) -> list[list]:
    book = load_workbook(path, read_only=True)
    try:
        return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _undrawn(world) -> str:
    drawn = {p.credit_code for p in world["picks"]}
    return next(code(n) for n in range(41) if code(n) not in drawn)


def test_a_complaint_check_with_its_notice_is_in_the_ledger_not_in_the_publicity(db, db_target, tmp_path, capsys):
    world = drawn_world(db)
    record(db, world["picks"][0].pick_id)        # one drawn result, the publicity's only inspected row
    hotel = _undrawn(world)
    assert cli(db_target, "check", "--object", hotel, "--source", "举报投诉", "--ref", "城关举〔2024〕12号",
               "--source-date", "2024-05-20", "--date", "2024-05-21", "--inspector", "000000", "000001",
               "--item", "2024:1", "--check", "1=符合", "--check", "2=符合", "--check", "3=不符合",
               "--result", "发现问题待后续处理", "--subkind", "违反公安部门相关规定",
               "--hazard", "消防通道堆放杂物::《中华人民共和国消防法》第二十八条") == 0
    out = capsys.readouterr().out
    assert "已登记" in out and "举报投诉" in out and "答复期限 2024-06-11" in out
    with db.session() as s:
        insp = s.query(Inspection).filter(Inspection.pick_id.is_(None)).one()
        iid, name = insp.id, insp.inspected_object.name
        hazards = [(h.text, h.clause) for h in insp.hazards]
        assert hazards == [("消防通道堆放杂物", "《中华人民共和国消防法》第二十八条")]

    # The notice follows as for a drawn object.
    notice = tmp_path / "通知书.docx"
    assert cli(db_target, "notice", "--inspection", str(iid), "--out", str(notice), "--issue-date", "2024-05-22",
               "--deadline", "2024-06-21") == 0
    text = docx_text(notice)
    assert name in text and "消防通道堆放杂物" in text and "第001号" in text

    # The complaint waits for its reply on the to-do list, then leaves it.
    capsys.readouterr()
    assert cli(db_target, "todo", "--date", "2024-06-12", "--json") == 0
    kinds = {e["kind"]: e for e in json.loads(capsys.readouterr().out)}
    assert kinds["举报投诉答复逾期"]["inspection_id"] == iid and kinds["举报投诉答复逾期"]["overdue"]
    assert cli(db_target, "check-reply", "--inspection", str(iid), "--date", "2024-06-12",
               "--note", "已电话告知举报人") == 0
    capsys.readouterr()
    assert cli(db_target, "todo", "--date", "2024-06-12", "--json") == 0
    assert "举报投诉答复逾期" not in {e["kind"] for e in json.loads(capsys.readouterr().out)}

    # 双随机 publicity: the three drawn objects only. The ledger: both checks, each with its source.
    published = tmp_path / "公示.xlsx"
    assert cli(db_target, "export-results", "--year", "2024", "--as-of", "2024-06-30", str(published)) == 0
    names = [r[2] for r in cells(published)[3:] if r[0] and str(r[0]).isdigit()]
    assert len(names) == 3 and name not in names
    ledger = tmp_path / "台账.xlsx"
    assert cli(db_target, "export-checks", "--year", "2024", "--as-of", "2024-06-30", str(ledger)) == 0
    rows = cells(ledger)
    header = rows[2]
    body = [dict(zip(header, r)) for r in rows[3:] if r[0] and str(r[0]).isdigit()]
    assert {(b["检查来源"], b["检查对象名称"]) for b in body} == {
        ("双随机抽查", world["picks"][0].object_name), ("举报投诉", name)}
    complaint = next(b for b in body if b["检查来源"] == "举报投诉")
    assert complaint["来源编号"] == "城关举〔2024〕12号" and complaint["答复日期"] == "2024-06-12"
    assert complaint["整改通知书"].endswith("第001号") and complaint["抽取记录"] in (None, "")
    assert "内部检查台账" in " ".join(str(c) for r in rows for c in r if c)


def test_refusals_print_chinese_and_store_nothing(db, db_target, capsys):
    world = drawn_world(db)
    hotel = _undrawn(world)
    base = ["check", "--object", hotel, "--date", "2024-05-21", "--result", "未发现问题"]
    assert cli(db_target, *base, "--source", "举报投诉", "--source-date", "2024-05-20",
               "--inspector", "000000", "000001") == 1
    assert "检查来源为“举报投诉”时，请填写举报投诉编号" in capsys.readouterr().err
    assert cli(db_target, *base, "--source", "日常巡查", "--inspector", "000000") == 1
    assert "检查民警不得少于两人" in capsys.readouterr().err
    assert cli(db_target, "check", "--object", "91370000MA99999999", "--date", "2024-05-21", "--source", "日常巡查",
               "--inspector", "000000", "000001", "--result", "未发现问题") == 1
    assert "名录库中没有统一社会信用代码或名称为“91370000MA99999999”的检查对象" in capsys.readouterr().err
    assert cli(db_target, *base, "--source", "日常巡查", "--inspector", "000000", "ZZZ") == 1
    assert "没有警号为“ZZZ”" in capsys.readouterr().err
    assert cli(db_target, *base[:-2], "--source", "日常巡查", "--inspector", "000000", "000001") == 1
    assert "检查结果未填" in capsys.readouterr().err
    with db.session() as s:
        assert s.query(Inspection).count() == 0
    # The hotel round needs no item: two officers, a result.
    assert cli(db_target, *base, "--source", "日常巡查", "--inspector", "000002", "--inspector", "000003") == 0
    with db.session() as s:
        insp = s.query(Inspection).one()
        assert insp.source == "日常巡查" and insp.pick_id is None and insp.reply_due is None and not insp.checks
