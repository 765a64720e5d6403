"""A 派出所 clerk's object sheets are checked column by column when every row is a sound unit (issue 17), and row
by row otherwise: both ways must leave the very same rows and name the very same problems, whatever the sheet
holds — lower-case codes, empty 风险等级/经营状态/是否启用 cells, a 证件类型 column written out as 统一社会信用代码,
full-width characters, a repeated code, a person among the units."""
from __future__ import annotations

import pytest

from models.credit_code import make_code
from models.roster_bulk import Checkpoints
from reports import roster_sheets
from reports.roster_sheets import parse_objects

UNIT_HEADER = ["单位名称", "统一社会信用代码", "对象类型", "风险等级", "经营状态", "是否启用"]
TYPED_HEADER = ["单位名称", "证件类型", "统一社会信用代码", "国籍/签发国", "无证件原因", "对象类型", "风险等级"]


def parse_both(monkeypatch, rows: list[list]) -> tuple:
    """parse_objects as it runs, and with the column-wise path switched off (every row checked one by one)."""
    taken = []
    real = roster_sheets._units_at_once
    with monkeypatch.context() as m:
        m.setattr(roster_sheets, "_units_at_once", lambda *a: taken.append(real(*a)) or taken[-1])
        fast = parse_objects("检查对象", [list(r) for r in rows], Checkpoints(len(rows), None, None))
    fast.column_wise = taken == [True]
    with monkeypatch.context() as m:
        m.setattr(roster_sheets, "_units_at_once", lambda *a: False)
        slow = parse_objects("检查对象", [list(r) for r in rows], Checkpoints(len(rows), None, None))
    return fast, slow


def same(fast, slow) -> None:
    assert fast.rows == slow.rows
    assert [p.line() for p in fast.problems] == [p.line() for p in slow.problems]


def test_a_sound_sheet_of_units_reads_the_same_column_wise(monkeypatch):
    rows = [UNIT_HEADER,
            ["沂源县鑫源宾馆", make_code(1).lower(), "旅馆", "", "在营", "是"],
            ["沂源县顺达网吧", make_code(2), "网吧", "中风险", "", ""],
            ["沂源县平安典当行", " " + make_code(3) + " ", "典当", "高风险", "停业", "停用"]]
    fast, slow = parse_both(monkeypatch, rows)
    same(fast, slow)
    assert fast.column_wise and not fast.problems
    assert fast.rows[0][1] == {"name": "沂源县鑫源宾馆", "credit_code": make_code(1), "type_name": "旅馆",
                               "status": "在营", "active": True}
    assert fast.rows[1][1] == {"name": "沂源县顺达网吧", "credit_code": make_code(2), "type_name": "网吧",
                               "risk_level": "中风险"}
    assert fast.rows[2][1]["active"] is False


def test_an_export_re_imported_with_its_kind_column_written_out_reads_the_same(monkeypatch):
    rows = [TYPED_HEADER,
            ["沂源县鑫源宾馆", "统一社会信用代码", make_code(1), "", "", "旅馆", "低风险"],
            ["沂源县顺达网吧", "", make_code(2), "", "", "网吧", ""],
            ["沂源县平安典当行", "单位", make_code(3), "", "", "典当", "中风险"]]
    fast, slow = parse_both(monkeypatch, rows)
    same(fast, slow)
    assert fast.column_wise and not fast.problems
    assert {v["id_kind"] for _, v in fast.rows} == {"统一社会信用代码"}

BAD_CHECK = make_code(1)[:17] + ("1" if make_code(1)[17] == "0" else "0")
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in make_code(1))


@pytest.mark.parametrize("change", [
    ("repeated code", lambda r: r[2].__setitem__(1, r[1][1])),
    ("bad check character", lambda r: r[1].__setitem__(1, BAD_CHECK)),
    ("empty name", lambda r: r[1].__setitem__(0, "")),
    ("empty type", lambda r: r[2].__setitem__(2, "")),
    ("unknown risk", lambda r: r[1].__setitem__(3, "极高")),
    ("unknown status", lambda r: r[2].__setitem__(4, "歇业中")),
    ("unknown active", lambda r: r[1].__setitem__(5, "也许")),
    ("full-width code (read as half-width, no problem)", lambda r: r[1].__setitem__(1, FULL_WIDTH)),
    ("code too short", lambda r: r[2].__setitem__(1, make_code(2)[:16])),
    ("long name", lambda r: r[1].__setitem__(0, "宾" * 300)),
])
def test_a_sheet_with_one_thing_wrong_names_the_same_problem_both_ways(monkeypatch, change):
    rows = [UNIT_HEADER, ["沂源县鑫源宾馆", make_code(1), "旅馆", "低风险", "在营", "是"],
            ["沂源县顺达网吧", make_code(2), "网吧", "", "", ""]]
    change[1](rows)
    fast, slow = parse_both(monkeypatch, rows)
    same(fast, slow)
    assert not fast.column_wise
    assert bool(fast.problems) != change[0].endswith("no problem)")


def test_persons_among_units_take_the_row_by_row_path_and_read_the_same(monkeypatch):
    rows = [TYPED_HEADER,
            ["沂源县鑫源宾馆", "", make_code(1), "", "", "旅馆", ""],
            ["王建国", "身份证", "11010519491231002X", "", "", "废旧金属收购", ""],
            ["John Smith", "护照", "E12345678", "美国", "", "出入境人员", ""],
            ["李记废品站", "无", "", "", "流动摊贩", "废旧金属收购", ""],
            ["沂源县顺达网吧", "统一社会信用代码", make_code(2), "美国", "", "网吧", ""]]
    fast, slow = parse_both(monkeypatch, rows)
    same(fast, slow)
    assert [p.column for p in fast.problems] == ["国籍/签发国"]
