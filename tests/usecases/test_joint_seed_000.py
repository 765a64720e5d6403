"""Seed 000 end to end (咸宁 综合查一次): the clerk imports the plan typed from the seed, a 民爆 company that also
holds 易制爆 chemicals and wholesales fireworks is drawn for items 5, 6 and 7 this half-year, and the 治安支队
visits it once — one task, three inspections with their own results, one record, one notice."""
from __future__ import annotations

import json
from datetime import datetime

from models.credit_code import make_code
from models.draw_service import prepare_draw
from models.inspection import Inspection, RectificationNotice
from models.plan import PlanItem
from models.roster import InspectedObject, ObjectType
from tests.helpers import docx_text
from tests.models.departments_world import YEAR, build_xianning, import_seed_000
from tests.models.draw_fixtures import sealed_draw
from ui.cli import run

COMPANY = "咸宁鑫安民爆化工有限公司"
DRAWN = datetime(YEAR, 3, 3, 9, 30)


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_seed_000_unit_drawn_for_three_items_is_visited_once(db, db_target, data_dir, tmp_path, capsys):
    build_xianning(db, blasting=0, couriers=0)
    with db.session() as s:
        types = {n: s.query(ObjectType).filter_by(name=n).one_or_none() or ObjectType(name=n)
                 for n in ("爆破作业单位", "危险化学品单位", "烟花爆竹经营单位")}
        s.add_all(types.values())
        s.flush()
        s.add(InspectedObject(name=COMPANY, credit_code=make_code(7, "421200"), object_type_id=types["爆破作业单位"].id,
                              jurisdiction="咸安区", address="咸安区横沟桥镇工业园1号"))
        s.add(InspectedObject(name="咸宁市化工原料经营部", credit_code=make_code(8, "421200"),
                              object_type_id=types["危险化学品单位"].id, jurisdiction="咸安区"))
        s.add(InspectedObject(name="咸宁市鸿运烟花批发部", credit_code=make_code(9, "421200"),
                              object_type_id=types["烟花爆竹经营单位"].id, jurisdiction="咸安区"))
    preview, count = import_seed_000(db, data_dir)
    assert count == 14
    # The company holds 易制爆 chemicals and wholesales fireworks too: items 6 and 7 cover it as well.
    assert cli(db_target, "link-item", "--year", str(YEAR), "--item", "5", "--type", "爆破作业单位") == 0
    assert cli(db_target, "link-item", "--year", str(YEAR), "--item", "6", "--type", "危险化学品单位",
               "--type", "爆破作业单位") == 0
    assert cli(db_target, "link-item", "--year", str(YEAR), "--item", "7", "--type", "烟花爆竹经营单位",
               "--type", "爆破作业单位") == 0
    for number in ("5", "6", "7"):  # 所有…每半年至少1次: every unit of the item, each half-year
        with db.session() as s:
            prep = prepare_draw(s, YEAR, number)
        assert not prep.problems, prep.problems
        sealed_draw(db, prep, clock=lambda: DRAWN)
    capsys.readouterr()

    assert cli(db_target, "joint-tasks", "--year", str(YEAR), "--period", "H1", "--propose", "--json") == 0
    [proposal] = json.loads(capsys.readouterr().out)
    assert proposal["object"] == COMPANY and proposal["items"] == ["5", "6", "7"]
    assert cli(db_target, "joint-tasks", "--year", str(YEAR), "--period", "H1", "--create") == 0
    capsys.readouterr()
    assert cli(db_target, "joint-tasks", "--year", str(YEAR), "--json") == 0
    [task] = json.loads(capsys.readouterr().out)
    assert task["lead_unit"] == "市公安局" and task["team"].count("治安民警") >= 2
    with db.session() as s:
        items = s.query(PlanItem).filter(PlanItem.number.in_(["5", "6", "7"]))
        checklists = {i.number: len(i.checklist) for i in items}
    visit = ["joint-visit", "--task", str(task["task"]), "--date", f"{YEAR}-03-10",
             "--result", "5=发现问题已责令改正", "--result", "6=未发现问题", "--result", "7=发现问题已责令改正",
             "--hazard", "5:储存库视频监控存在盲区|《民用爆炸物品安全管理条例》第四十一条",
             "--hazard", "7:批发仓库未设置防雷设施|《烟花爆竹安全管理条例》第九条"]
    for number, n in checklists.items():
        verdict = "符合" if number == "6" else "不符合"
        visit += [arg for seq in range(1, n + 1) for arg in ("--check", f"{number}:{seq}={verdict}")]
    assert cli(db_target, *visit) == 0, capsys.readouterr().err
    with db.session() as s:
        results = {i.pick.draw.plan_item_id: i.result_category for i in s.query(Inspection)}
        assert sorted(results.values()) == ["发现问题已责令改正", "发现问题已责令改正", "未发现问题"]
        assert {i.joint_task_id for i in s.query(Inspection)} == {task["task"]}

    record = tmp_path / "联合检查记录.docx"
    assert cli(db_target, "joint-record", "--task", str(task["task"]), str(record)) == 0
    text = docx_text(record)
    assert COMPANY in text and all(f"{YEAR}年度抽查事项 {n}．" in text for n in ("5", "6", "7"))
    notice = tmp_path / "通知书.docx"
    assert cli(db_target, "joint-notice", "--task", str(task["task"]), "--out", str(notice),
               "--issue-date", f"{YEAR}-03-11") == 0
    text = docx_text(notice)
    assert "储存库视频监控存在盲区" in text and "批发仓库未设置防雷设施" in text
    with db.session() as s:
        assert s.query(RectificationNotice).count() == 1
