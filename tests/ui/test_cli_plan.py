"""Command-line stories for the plan: import it, read it back as JSON, link an item, export it for publicity."""
from __future__ import annotations

import json

import pytest
from docx import Document
from openpyxl import load_workbook

from models.db import open_database
from models.plan import PlanItem
from models.roster import DEFAULT_OBJECT_TYPES, ObjectType
from ui.cli import run


@pytest.fixture
def typed(db, db_target):
    with db.session() as s:
        s.add_all(ObjectType(name=n) for n in DEFAULT_OBJECT_TYPES)
    return db_target


def _run(db_path, *argv) -> int:
    return run(["--db", str(db_path), *argv])


def _show(db_path, year, capsys) -> list[dict]:
    capsys.readouterr()
    assert _run(db_path, "show-plan", "--year", str(year), "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_import_then_show_plan_as_json(typed, data_dir, capsys):
    assert _run(typed, "import-plan", str(data_dir / "seed_004_kunming_2024.tsv"), "--year", "2024") == 0
    out = capsys.readouterr().out
    assert "已导入 12 个抽查事项" in out and "昆明市公安局" in out
    assert "1、11" in out                       # the two items no type could be linked to

    items = _show(typed, 2024, capsys)
    assert [i["number"] for i in items] == [str(n) for n in range(1, 13)]
    third = items[2]
    assert third["field"] == "工业大麻加工种植监督检查"
    assert third["item"] == "对被许可从事工业大麻科学研究种植、繁种植活动进行监督检查"
    assert third["object_types"] == ["工业大麻种植加工单位"]
    assert (third["ratio_text"], third["ratio"], third["ratio_kind"], third["count"]) == ("30%/3户", 0.3, "exact", 3)
    assert third["rounds_per_year"] is None and third["per_event"] is False
    assert third["months"] == [2, 8] and third["methods"] == ["现场检查"]
    assert third["basis"] == "《云南省工业大麻种植加工许可规定》" and third["partner_departments"] == []
    assert isinstance(third["checklist"], list) and third["checklist"] == [third["item"]]
    assert items[0]["object_types"] == [] and "未关联对象类型" in items[0]["problems"]


def test_yiyuan_json_has_rounds_per_event_and_partners(typed, data_dir, capsys):
    assert _run(typed, "import-plan", str(data_dir / "seed_002_yiyuan_2022.tsv"), "--year", "2022",
                "--bureau", "沂源县公安局") == 0
    items = _show(typed, 2022, capsys)
    first, fifth = items[0], items[4]
    assert first["rounds_per_year"] == 1 and first["ratio"] == 0.05 and first["ratio_kind"] == "min"
    assert first["partner_departments"] == ["住房城乡建设等相关部门"] and first["responsible_unit"] == "治安大队"
    assert len(first["checklist"]) == 3
    assert fifth["per_event"] is True and fifth["ratio"] is None and fifth["count"] is None


def test_a_bad_file_prints_problems_by_row_and_writes_nothing(typed, data_dir, tmp_path, capsys):
    lines = (data_dir / "seed_002_yiyuan_2022.tsv").read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("\t6\t"))
    cells = lines[i].split("\t")
    cells[2] = ""
    lines[i] = "\t".join(cells)
    bad = tmp_path / "bad.tsv"
    bad.write_text("\n".join(lines), encoding="utf-8")
    assert _run(typed, "import-plan", str(bad), "--year", "2022") == 1
    err = capsys.readouterr().err
    assert f"第 {i + 1} 行" in err and "抽查事项" in err and "未作任何修改" in err
    db = open_database(typed)
    with db.session() as s:
        assert s.query(PlanItem).count() == 0
    db.dispose()
    assert _run(typed, "show-plan", "--year", "2022", "--json") == 1
    assert "没有2022年度的抽查计划" in capsys.readouterr().err


def test_importing_twice_needs_replace(typed, data_dir, capsys):
    path = str(data_dir / "seed_004_kunming_2024.tsv")
    assert _run(typed, "import-plan", path, "--year", "2024") == 0
    assert _run(typed, "import-plan", path, "--year", "2024") == 1
    assert "--replace" in capsys.readouterr().err
    assert _run(typed, "import-plan", path, "--year", "2024", "--replace") == 0


def test_link_item_then_show_plan_reflects_it(typed, data_dir, capsys):
    _run(typed, "import-plan", str(data_dir / "seed_004_kunming_2024.tsv"), "--year", "2024")
    assert _run(typed, "link-item", "--year", "2024", "--item", "11", "--type", "民用枪支弹药单位",
                "--type", "保安服务公司") == 0
    assert "民用枪支弹药单位" in capsys.readouterr().out
    items = _show(typed, 2024, capsys)
    assert items[10]["object_types"] == ["保安服务公司", "民用枪支弹药单位"]
    assert items[10]["problems"] == []
    assert _run(typed, "link-item", "--year", "2024", "--item", "11", "--type", "不存在的类型") == 1
    assert "不存在的类型" in capsys.readouterr().err
    assert _run(typed, "link-item", "--year", "2024", "--item", "99", "--type", "旅馆") == 1
    assert "没有编号为“99”" in capsys.readouterr().err


def test_export_plan_and_list_plans(typed, data_dir, tmp_path, capsys):
    _run(typed, "import-plan", str(data_dir / "seed_002_yiyuan_2022.tsv"), "--year", "2022")
    xlsx, docx = tmp_path / "公示.xlsx", tmp_path / "公示.docx"
    assert _run(typed, "export-plan", "--year", "2022", str(xlsx)) == 0
    assert _run(typed, "export-plan", "--year", "2022", str(docx)) == 0
    title = "沂源县公安局2022年度“双随机、一公开”抽查计划"
    assert load_workbook(xlsx).active["A1"].value == title
    assert Document(docx).paragraphs[0].text == title
    assert _run(typed, "export-plan", "--year", "2022", str(tmp_path / "x.csv")) == 1
    capsys.readouterr()
    assert _run(typed, "list-plans") == 0
    assert "2022\t沂源县公安局\t12 项" in capsys.readouterr().out
    assert _run(typed, "show-plan", "--year", "2022") == 0
    text = capsys.readouterr().out
    assert "[1] 对宾馆、旅店取得许可证及治安安全情况的检查" in text and "比例≥5%，每年1次" in text


def test_next_years_plan_starts_as_a_copy_of_this_years(typed, data_dir, capsys):
    assert _run(typed, "import-plan", str(data_dir / "seed_002_yiyuan_2022.tsv"), "--year", "2022") == 0
    assert _run(typed, "copy-plan", "--from", "2022", "--to", "2023") == 0
    copied, original = _show(typed, 2023, capsys), _show(typed, 2022, capsys)
    assert len(copied) == len(original) == 12
    assert [(i["number"], i["item"], i["ratio_text"]) for i in copied] == [
        (i["number"], i["item"], i["ratio_text"]) for i in original]
    assert _run(typed, "copy-plan", "--from", "2022", "--to", "2023") == 1  # the year has its plan already
    assert "2023" in capsys.readouterr().err
