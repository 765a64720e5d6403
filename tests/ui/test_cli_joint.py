"""Command-line stories of 综合查一次: propose, create, record the visit once, print the record, the one notice and
the 联合检查汇总表; cancel frees the picks."""
from __future__ import annotations

import json

import openpyxl

from models import settings as app_settings
from models.inspection import Inspection
from tests.helpers import docx_text
from tests.models.joint_fixtures import HOTEL, joint_world
from ui.cli import run


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_a_clerk_groups_the_hotel_and_records_its_joint_visit(db, db_target, tmp_path, capsys):
    joint_world(db)
    with db.session() as s:
        app_settings.set(s, "bureau_name", "测试县公安局", "张文书")
    assert cli(db_target, "joint-tasks", "--year", "2024", "--period", "H1", "--propose") == 0
    out = capsys.readouterr().out
    assert "这 1 个单位2024年上半年被 2 个以上事项抽中" in out and HOTEL in out and "事项 1、2、3" in out
    assert cli(db_target, "joint-tasks", "--year", "2024", "--period", "H1", "--create") == 0
    assert "已生成 1 个联合检查任务：#1" in capsys.readouterr().out
    assert cli(db_target, "joint-tasks", "--year", "2024", "--json") == 0
    [task] = json.loads(capsys.readouterr().out)
    assert task["items"] == "1、2、3" and task["status"] == "待检查" and task["lead_unit"] == "治安大队"

    assert cli(db_target, "joint-record", "--task", "1", str(tmp_path / "记录.docx")) == 0
    assert "对消防安全的监督检查" in docx_text(tmp_path / "记录.docx")

    # A verdict left out is named, and nothing is recorded.
    base = ["joint-visit", "--task", "1", "--date", "2024-05-06", "--result", "1=未发现问题",
            "--result", "2=发现问题已责令改正", "--result", "3=未发现问题",
            "--check", "1:1=符合", "--check", "1:2=符合", "--check", "2:1=不符合", "--check", "2:2=符合",
            "--hazard", "2:消防通道堆放杂物|《中华人民共和国消防法》第二十八条"]
    capsys.readouterr()
    assert cli(db_target, *base) == 1
    assert "抽查事项 3．对内部治安保卫工作的检查：检查内容第1项未填" in capsys.readouterr().err
    with db.session() as s:
        assert s.query(Inspection).count() == 0
    assert cli(db_target, *base, "--check", "3:1=符合") == 0
    assert "3 个事项" in capsys.readouterr().out
    with db.session() as s:
        results = sorted(i.result_category for i in s.query(Inspection))
        assert results == ["发现问题已责令改正", "未发现问题", "未发现问题"]

    notice = tmp_path / "通知书.docx"
    assert cli(db_target, "joint-notice", "--task", "1", "--out", str(notice), "--issue-date", "2024-05-07") == 0
    assert "消防通道堆放杂物" in docx_text(notice)
    summary = tmp_path / "汇总.xlsx"
    assert cli(db_target, "joint-summary", "--task", "1", str(summary)) == 0
    cells = [c.value for row in openpyxl.load_workbook(summary).active.iter_rows() for c in row]
    assert HOTEL in cells and "发现问题已责令改正" in cells
    assert cli(db_target, "joint-summary", str(tmp_path / "x.pdf"), "--year", "2024") == 1
    assert "不支持的导出格式" in capsys.readouterr().err
    assert cli(db_target, "joint-tasks", "--year", "2024", "--cancel", "1", "--reason", "误建") == 1
    assert "已录入检查结果，不能撤销" in capsys.readouterr().err


def test_cancel_frees_the_picks_for_a_new_task(db, db_target, capsys):
    joint_world(db)
    assert cli(db_target, "joint-tasks", "--year", "2024", "--create", "--object", HOTEL) == 0
    assert cli(db_target, "joint-tasks", "--year", "2024", "--cancel", "1") == 1
    assert "必须填写原因" in capsys.readouterr().err
    assert cli(db_target, "joint-tasks", "--year", "2024", "--cancel", "1", "--reason", "改为分别检查") == 0
    capsys.readouterr()
    assert cli(db_target, "joint-tasks", "--year", "2024", "--propose", "--json") == 0
    assert [p["object"] for p in json.loads(capsys.readouterr().out)] == [HOTEL]
    assert cli(db_target, "joint-tasks", "--year", "2024", "--period", "H3") == 1
    assert "期间“H3”无效" in capsys.readouterr().err


def test_items_marked_as_a_group_are_grouped_as_they_are_drawn(db, db_target, capsys):
    from models.draw_service import prepare_draw
    from tests.models.draw_fixtures import sealed_draw
    from tests.models.joint_fixtures import DRAWN_AT

    joint_world(db, items=())
    assert cli(db_target, "joint-group", "--year", "2024", "--items", "1,2,3", "--name", "旅馆综合查一次") == 0
    assert "此后抽中同一单位时自动编为联合检查任务" in capsys.readouterr().out
    for number in ("1", "2", "3"):
        with db.session() as s:
            prep = prepare_draw(s, 2024, number)
        sealed_draw(db, prep, clock=lambda: DRAWN_AT)
    assert cli(db_target, "joint-tasks", "--year", "2024", "--json") == 0
    [task] = json.loads(capsys.readouterr().out)
    assert task["items"] == "1、2、3" and task["object"] == HOTEL
    assert cli(db_target, "joint-group", "--year", "2024", "--items", "1", "--name", "单独") == 1
    assert "至少选择两个" in capsys.readouterr().err
