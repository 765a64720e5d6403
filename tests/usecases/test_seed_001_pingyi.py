"""Seed 001 end to end (平邑县公安局 2023): the clerk imports the plan typed from the seed; 治安大队's 枪支管理 item
("全年抽查比例 100%") covers every 民用枪支弹药单位 in a sealed, verifiable draw, and 出入境管理大队's 外国人 item
("不低于 5%") draws at least one foreigner, who stands masked (姓 + *, passport partly hidden) in everything published
and in full on the papers the officers take to the visit."""
from __future__ import annotations

import json

import openpyxl
from docx import Document

from models.inspection_service import inspection_form, list_picks
from models.plan_types import auto_link_types
from models.plan import PlanItem
from models.roster import InspectedObject, Inspector, ObjectType
from ui.cli import run

YEAR = 2023
PLAN = "seed_001_pingyi.tsv"
GUN_UNITS = ("平邑县金盾保安押运有限公司", "平邑县蒙山射击运动俱乐部",
             "平邑县国有林场护林队", "平邑县体育运动学校射击队")
FOREIGNERS = (  # name, passport, issuing country
    ("Michael Brown", "545123987", "美国"), ("Tanaka Hiroshi", "TK8765432", "日本"),
    ("Nguyen Van An", "C4567891", "越南"), ("Kim Minsu", "M12345678", "韩国"),
    ("Olga Ivanova", "753214689", "俄罗斯"), ("Hans Müller", "C01X00T47", "德国"),
    ("Somchai Dee", "AA1234567", "泰国"), ("Maria Garcia", "PAB123456", "西班牙"),
)
SOURCE = ["--entropy-source", "见证人刘监督、陈见证在县局三楼会议室现场掷骰子"]
DRAW = ["--witness", "刘监督", "--witness", "陈见证", "--entropy", "3 5 6 1", "--entropy", "骰子 2 4 4",
        "--place", "县局三楼会议室"]


def cli(target, *args) -> int:
    return run(["--db", str(target), *args])


def build_pingyi(db) -> None:
    """平邑's roster for the two items: units keeping guns, foreigners by passport, and the two brigades' officers."""
    with db.session() as s:
        guns, foreigners = ObjectType(name="民用枪支弹药单位"), ObjectType(name="境外人员")
        s.add_all([guns, foreigners])
        s.flush()
        s.add_all(InspectedObject(name=name, credit_code=f"91371326MA{n:07d}", object_type_id=guns.id,
                                  jurisdiction="城关派出所", address=f"平邑县浚河路{n + 1}号")
                  for n, name in enumerate(GUN_UNITS))
        s.add_all(InspectedObject(name=name, id_kind="护照", credit_code=number, id_country=country,
                                  object_type_id=foreigners.id, jurisdiction="城关派出所",
                                  address="平邑县金花路某小区")
                  for name, number, country in FOREIGNERS)
        s.add_all(Inspector(name=f"治安民警{n}", badge_no=f"371326{n:03d}", unit="治安大队") for n in range(4))
        s.add_all(Inspector(name=f"出入境民警{n}", badge_no=f"371326{100 + n:03d}", unit="出入境管理大队")
                  for n in range(3))


def _fix_codes(db) -> None:
    """The gun units' codes get their real check character (the roster service would refuse a wrong one)."""
    from models.credit_code import make_code
    with db.session() as s:
        for n, obj in enumerate(s.query(InspectedObject).filter(InspectedObject.id_kind == "统一社会信用代码")
                                .order_by(InspectedObject.id)):
            obj.credit_code = make_code(300 + n, "371326")


def seal_and_draw(target, item: str, tmp_path, capsys) -> tuple[dict, str]:
    announcement, record = tmp_path / f"公告{item}.json", tmp_path / f"记录{item}.json"
    assert cli(target, "seal", "--year", str(YEAR), "--item", item, *SOURCE, "--json", str(announcement)) == 0, \
        capsys.readouterr().err
    sealed = capsys.readouterr().out
    number = json.loads(announcement.read_text(encoding="utf-8"))["number"]
    assert cli(target, "draw", "--year", str(YEAR), "--seal", str(number), *DRAW, "--record", str(record)) == 0, \
        capsys.readouterr().err
    drawn = sealed + capsys.readouterr().out
    assert cli(target, "verify-draw", str(record), "--announcement", str(announcement)) == 0
    assert "一致" in capsys.readouterr().out
    published = announcement.read_text(encoding="utf-8") + record.read_text(encoding="utf-8") + drawn
    return json.loads(record.read_text(encoding="utf-8")), published


def test_pingyi_guns_draw_every_unit_and_foreigners_are_drawn_masked(db, db_target, data_dir, tmp_path, capsys):
    build_pingyi(db)
    _fix_codes(db)
    assert cli(db_target, "import-plan", str(data_dir / PLAN), "--year", str(YEAR)) == 0, capsys.readouterr().err
    capsys.readouterr()
    with db.read_session() as s:
        items = {i.number: i for i in s.query(PlanItem)}
        assert len(items) == 10
        assert [t.name for t in items["6"].object_types] == ["民用枪支弹药单位"]
        assert [t.name for t in items["10"].object_types] == ["境外人员"]
        assert items["6"].responsible_unit == "治安大队" and items["10"].responsible_unit == "出入境管理大队"

    # 枪支管理: 全年抽查比例 100% — every unit, still sealed, drawn in witnesses' presence and verifiable.
    guns, guns_text = seal_and_draw(db_target, "6", tmp_path, capsys)
    assert "全部 4 户" in guns_text
    assert sorted(p["name"] for p in guns["picks"]) == sorted(GUN_UNITS)
    teams = [{i["unit"] for i in a["inspectors"]} for a in guns["assignments"]]
    assert len(teams) == 4 and all(team == {"治安大队"} for team in teams)

    # 外国人: 全年抽查比例不低于 5% of 8 foreigners — at least one, masked wherever it is published.
    persons, persons_text = seal_and_draw(db_target, "10", tmp_path, capsys)
    assert len(persons["picks"]) == 1          # 5% of 8 is 0.4: rounded up to one person
    assert all(p["code"].startswith("护照:") and p["name"].endswith("*") for p in persons["picks"])
    for name, number, _country in FOREIGNERS:
        assert name not in persons_text and number not in persons_text, name

    results, tasks = tmp_path / "结果公示.xlsx", tmp_path / "任务公示.xlsx"
    assert cli(db_target, "export-results", "--year", str(YEAR), str(results)) == 0
    assert cli(db_target, "export-tasks", "--year", str(YEAR), str(tasks)) == 0
    cells = [str(v) for path in (results, tasks) for row in openpyxl.load_workbook(path).active.iter_rows(
        values_only=True) for v in row if v is not None]
    everything = "\n".join(cells)
    for name, number, _country in FOREIGNERS:
        assert name not in everything and number not in everything, name
    assert all(unit in everything for unit in GUN_UNITS)          # units in full, as always
    with db.read_session() as s:
        drawn_people = [(o.name, o.credit_code, o.id_country) for o in s.query(InspectedObject).filter(
            InspectedObject.id.in_([p["id"] for p in persons["picks"]]))]
    for name, number, country in drawn_people:                    # 姓 + *, passport masked, country named
        assert f"{name[0]}*" in cells
        assert f"护照（{country}） {number[:2]}{'*' * (len(number) - 4)}{number[-2:]}" in cells

    # The officers' own papers show the person in full: the 检查记录 form and the on-site record.
    with db.read_session() as s:
        rows = [r for r in list_picks(s, YEAR) if r.item_number == "10"]
        forms = [inspection_form(s, r.pick_id) for r in rows]
        draw_id = rows[0].draw_id
    assert sorted((f.object_name, f.credit_code) for f in forms) == sorted((n, c) for n, c, _ in drawn_people)
    assert all(unit.startswith("出入境管理大队") for f in forms for _i, _n, unit in f.drawn)
    out_dir = tmp_path / "检查记录"
    assert cli(db_target, "record-sheet", "--draw", str(draw_id), "--out-dir", str(out_dir)) == 0
    sheets = "\n".join(c.text for path in out_dir.glob("*.docx") for t in Document(str(path)).tables
                       for r in t.rows for c in r.cells)
    sheets += "\n".join(p.text for path in out_dir.glob("*.docx") for p in Document(str(path)).paragraphs)
    for name, number, _country in drawn_people:
        assert name in sheets and number in sheets


def test_the_seed_wordings_for_guns_and_foreigners_link_their_roster_types():
    types = ("旅馆", "民用枪支弹药单位", "境外人员", "保安服务公司")
    assert auto_link_types("配备、配置枪支的单位（枪弹库、室）", types) == ["民用枪支弹药单位"]
    assert auto_link_types("外国人（持有护照或者其他国际旅行证件）", types) == ["境外人员"]
    assert auto_link_types("宾馆、旅店", types) == ["旅馆"]          # no 外国人 in a hotel item's wording
    assert auto_link_types("外国人", ("旅馆",)) == []                 # only a type the roster has
