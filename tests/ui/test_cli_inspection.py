"""Stories about the inspection command: nothing is pre-decided on the command line either."""
from __future__ import annotations

from models.inspection import Inspection
from tests.models.inspection_fixtures import drawn_world
from ui.cli import run


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_an_inspection_without_result_or_verdicts_is_refused_and_nothing_is_stored(db, db_target, capsys):
    world = drawn_world(db)
    pick = world["picks"][0]
    where = ["inspection", "--object", pick.credit_code, "--draw", str(world["draw_id"]), "--date", "2024-05-06"]
    assert cli(db_target, *where) == 1
    assert "检查结果未填" in capsys.readouterr().err
    assert cli(db_target, *where, "--result", "未发现问题", "--check", "1=符合", "--check", "3=符合") == 1
    assert "检查内容第2项未填" in capsys.readouterr().err
    with db.session() as s:
        assert s.query(Inspection).count() == 0

    # With every entry decided, the hazard is stored with the clause the clerk gave, and no other.
    assert cli(db_target, *where, "--result", "发现问题待后续处理", "--subkind", "违反公安部门相关规定",
               "--check", "1=符合", "--check", "2=符合", "--check", "3=不符合",
               "--hazard", "消防通道堆放杂物|《中华人民共和国消防法》第二十八条") == 0
    assert "已录入" in capsys.readouterr().out
    with db.session() as s:
        insp = s.query(Inspection).one()
        assert insp.result_category == "发现问题待后续处理"
        assert [(h.text, h.clause) for h in insp.hazards] == [
            ("消防通道堆放杂物", "《中华人民共和国消防法》第二十八条")]
        assert sorted(c.verdict for c in insp.checks) == ["不符合", "符合", "符合"]
