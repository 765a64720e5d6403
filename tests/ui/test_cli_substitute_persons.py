"""A 废旧金属 round drew two unlicensed stalls both called 赵记废品站 (证件类型 无: no number to type). The clerk
replaces one that has moved away: the command line names it by the object 编号 the screen uses, or by name when
the record holds only one object of that name; an ambiguous name is refused with each object's 编号 listed."""
from __future__ import annotations

import json
import re

from models.plan import PlanItem
from models.roster import InspectedObject, ObjectType
from tests.models.test_draw_persons import DRAW, SOURCE, build_scrap_world
from ui.cli import run

STALL = "赵记废品站"


def cli(target, *args) -> int:
    return run(["--db", str(target), *args])


def draw_everyone(db, target, tmp_path, *, second_stall: bool) -> dict:
    build_scrap_world(db)
    with db.session() as s:
        scrap = s.query(ObjectType).filter_by(name="废旧金属收购").one()
        if second_stall:   # the same trade name at another market: both 无, told apart by the 编号 only
            s.add(InspectedObject(name=STALL, id_kind="无", credit_code=None, no_id_reason="集市临时摊位",
                                  object_type_id=scrap.id, jurisdiction="东城派出所", address="东关集市"))
        s.query(PlanItem).one().ratio_text = "100%"
    record = tmp_path / "记录.json"
    assert cli(target, "seal", "--year", "2024", "--item", "1", *SOURCE) == 0
    assert cli(target, "draw", "--year", "2024", "--seal", "1", *DRAW, "--record", str(record)) == 0
    with db.session() as s:   # a collector registered after the draw: the one a 替补 can draw
        s.add(InspectedObject(name="沂源县新兴再生资源回收站", credit_code="91370000MA00000025",
                              object_type_id=scrap.id, jurisdiction="城关派出所"))
    return json.loads(record.read_text(encoding="utf-8"))


def test_a_stall_sharing_its_name_is_replaced_by_its_object_number(db, db_target, tmp_path, capsys):
    saved = draw_everyone(db, db_target, tmp_path, second_stall=True)
    with db.read_session() as s:
        stalls = sorted(o.id for o in s.query(InspectedObject).filter_by(name=STALL))
    assert len(stalls) == 2 and {p["id"] for p in saved["picks"]} >= set(stalls)
    capsys.readouterr()

    assert cli(db_target, "substitute", "--record-id", "1", "--object", STALL, "--reason", "已迁走", *SOURCE) == 1
    err = capsys.readouterr().err
    assert "请用对象编号指定" in err and "Traceback" not in err
    assert {int(n) for n in re.findall(r"编号 (\d+)：" + STALL, err)} == set(stalls)

    assert cli(db_target, "substitute", "--record-id", "1", "--object-id", str(stalls[1]), "--reason", "已迁走",
               *SOURCE) == 0, capsys.readouterr().err
    assert f"已为 {STALL}（无证件，对象编号 {stalls[1]}） 封存替补公告" in capsys.readouterr().out
    new = tmp_path / "替补.json"
    assert cli(db_target, "draw", "--year", "2024", "--seal", "2", *DRAW, "--record", str(new)) == 0
    replacement = json.loads(new.read_text(encoding="utf-8"))
    assert [p["name"] for p in replacement["picks"]] == ["沂源县新兴再生资源回收站"]
    assert replacement["meta"]["replaced_object"]["id"] == stalls[1]
    assert cli(db_target, "verify-draw", str(new), "--replaces", str(tmp_path / "记录.json")) == 0


def test_a_unique_name_or_a_full_passport_number_names_the_object(db, db_target, tmp_path, capsys):
    draw_everyone(db, db_target, tmp_path, second_stall=False)
    assert cli(db_target, "substitute", "--record-id", "1", "--object", STALL, "--reason", "已迁走", *SOURCE) == 0
    assert f"已为 {STALL}（无证件，对象编号" in capsys.readouterr().out
    assert cli(db_target, "void-seal", "--year", "2024", "--number", "2", "--reason", "改为替换护照持有人") == 0
    assert cli(db_target, "substitute", "--record-id", "1", "--object", "e1234 5678", "--reason", "已离境",
               *SOURCE) == 0, capsys.readouterr().err
    assert "John Smith（E12345678，" in capsys.readouterr().out   # internal: the full number, as typed in
    assert cli(db_target, "substitute", "--record-id", "1", "--object-id", "99999", "--reason", "x", *SOURCE) == 1
    err = capsys.readouterr().err
    assert "没有编号为 99999 的对象" in err and STALL in err
