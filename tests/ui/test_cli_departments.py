"""Command-line stories for partner departments: 咸宁's clerk lists what the plan could not match, links the
postal wording once, and seals the 寄递 item; without postal officers the seal is refused until a reason is given."""
from __future__ import annotations

import json

from tests.models.departments_world import POSTAL_UNIT, build_xianning
from ui.cli import run

SOURCE = ["--entropy-source", "见证人王监督、李见证在局三楼会议室现场报数"]


def _run(db_target, *argv) -> int:
    return run(["--db", str(db_target), *argv])


def test_departments_listed_then_postal_wording_linked_once(db, db_target, data_dir, capsys):
    build_xianning(db)
    assert _run(db_target, "import-plan", str(data_dir / "seed_000_xianning.tsv"), "--year", "2025") == 0
    err = capsys.readouterr().err   # the import warns about the wording that matches nothing
    assert "提示：第 16 行，“配合部门”列：事项 12 的配合部门“市邮政管理部门”在部门名录中找不到对应单位" in err

    assert _run(db_target, "departments", "--year", "2025", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"wording": "市邮政管理部门", "items": ["12"]} in listed["unmatched"]
    assert {d["name"] for d in listed["departments"]} == {"治安支队", POSTAL_UNIT}

    assert _run(db_target, "link-department", "市邮政管理部门", "--to", POSTAL_UNIT) == 0
    assert "已关联：“市邮政管理部门”即“咸宁市邮政局”" in capsys.readouterr().out
    assert _run(db_target, "departments", "--year", "2025") == 0
    out = capsys.readouterr().out
    assert "咸宁市邮政局（配合部门）　在岗检查人员 2 人　别名：市邮政管理部门" in out
    assert "  市邮政管理部门" not in out

    assert _run(db_target, "link-department", "市邮政部门", "--to", "市邮政管理处") == 1
    assert "“关联到”：“市邮政管理处”不是检查人员名录中的单位" in capsys.readouterr().err


def test_seal_refused_without_postal_officers_until_a_reason_is_given(db, db_target, data_dir, capsys):
    build_xianning(db, postal=0)
    assert _run(db_target, "import-plan", str(data_dir / "seed_000_xianning.tsv"), "--year", "2025") == 0
    capsys.readouterr()
    assert _run(db_target, "seal", "--year", "2025", "--item", "12", *SOURCE) == 1
    err = capsys.readouterr().err
    assert "部门联合抽查不能只由公安人员进行" in err and "--partner-gap-reason" in err

    assert _run(db_target, "seal", "--year", "2025", "--item", "12", *SOURCE,
                "--partner-gap-reason", "邮政管理局本月无人可派") == 0
    out = capsys.readouterr().out
    assert "抽取数量：全部 5 户" in out and "配合部门缺员原因（随公告封存）：邮政管理局本月无人可派" in out
    assert _run(db_target, "draw", "--year", "2025", "--seal", "1", "--witness", "王监督",
                "--entropy", "12 34 56") == 0
    out = capsys.readouterr().out
    assert "配合部门缺员原因：邮政管理局本月无人可派" in out and "检查人员负担：6 人" in out
