"""出入境管理大队's clerk imports the officers with their 回避 sheet: an officer who is the landlord of a foreigner
(by passport, with the issuing country) and the nephew of a 废旧金属 collector (by 身份证号) must never be drawn
to check them. The sheet names a person as the objects import does — 证件类型 beside the number — and a
bare number of a person, a 无 object or an unknown passport is refused naming the row and column."""
from __future__ import annotations

from sqlalchemy import select

from models.credit_code import make_code
from models.identifiers import resident_check
from models.roster import InspectedObject, Inspector, ObjectType, Recusal
from reports.roster_export import export_inspectors, export_objects
from tests.helpers import workbook
from ui.cli import run
from usecases.roster_import import apply_import, preview_inspectors_import, preview_objects_import

LIU = "37132619680312451" + resident_check("37132619680312451")
OFFICERS = [["姓名", "警号", "所在单位"], ["赵出入境", "371326101", "出入境管理大队"],
            ["钱治安", "371326001", "治安大队"]]
RECUSAL_HEADER = ["警号", "证件号码", "证件类型", "国籍/签发国", "回避原因"]


def build_roster(db) -> None:
    with db.session() as s:
        foreigners, scrap = ObjectType(name="境外人员"), ObjectType(name="废旧金属收购")
        s.add_all([foreigners, scrap])
        s.flush()
        s.add_all([
            InspectedObject(name="Michael Brown", id_kind="护照", credit_code="545123987", id_country="美国",
                            object_type_id=foreigners.id),
            # The same number on another country's passport: the country tells them apart.
            InspectedObject(name="Liu Wei", id_kind="护照", credit_code="545123987", id_country="新加坡",
                            object_type_id=foreigners.id),
            InspectedObject(name="刘长顺", id_kind="身份证", credit_code=LIU, object_type_id=scrap.id),
            InspectedObject(name="王记废品摊", id_kind="无", credit_code=None, no_id_reason="流动摊贩",
                            object_type_id=scrap.id),
            InspectedObject(name="平邑县恒达再生资源回收有限公司", credit_code=make_code(1, "371326"),
                            object_type_id=scrap.id),
        ])


def pairs(db) -> set[tuple[str, str, str]]:
    with db.read_session() as s:
        return set(s.execute(select(Inspector.badge_no, InspectedObject.name, Recusal.reason)
                             .join(Recusal, Recusal.inspector_id == Inspector.id)
                             .join(InspectedObject, InspectedObject.id == Recusal.object_id)).all())


def test_persons_in_the_recusal_sheet_are_named_by_kind_country_and_number(db, tmp_path):
    build_roster(db)
    path = workbook(tmp_path / "检查人员.xlsx", {"执法检查人员": OFFICERS, "回避": [
        RECUSAL_HEADER,
        ["371326101", "5451 23987", "护照", "美国", "系其房东"],
        ["371326001", LIU[:6] + LIU[8:17], "居民身份证", "", "其舅父"],        # the 15-digit legacy number
        ["371326001", make_code(1, "371326"), "", "", "曾在该公司任职"],       # a unit as always: no kind
    ]})
    preview = preview_inspectors_import(db, path)
    assert preview.ok, preview.problem_lines()
    assert preview.recusals_new == 3
    apply_import(db, preview, "孙文书")
    assert pairs(db) == {("371326101", "Michael Brown", "系其房东"), ("371326001", "刘长顺", "其舅父"),
                         ("371326001", "平邑县恒达再生资源回收有限公司", "曾在该公司任职")}
    again = preview_inspectors_import(db, path)
    assert again.ok and again.recusals_new == 0

    # Exported with 证件类型 and 国籍/签发国, both rosters come back whole in a fresh database.
    from models.db import open_database
    objects, officers = tmp_path / "对象.xlsx", tmp_path / "人员.xlsx"
    export_objects(db, objects)
    export_inspectors(db, officers)
    fresh = open_database(tmp_path / "新.sqlite3")
    try:
        apply_import(fresh, preview_objects_import(fresh, objects), "a")
        back = preview_inspectors_import(fresh, officers)
        assert back.ok, back.problem_lines()
        apply_import(fresh, back, "a")
        assert pairs(fresh) == pairs(db)
    finally:
        fresh.dispose()


def test_a_bare_person_number_a_stall_and_an_unknown_passport_are_refused(db, db_target, tmp_path, capsys):
    build_roster(db)
    path = workbook(tmp_path / "有误.xlsx", {"执法检查人员": OFFICERS, "回避": [
        RECUSAL_HEADER,
        ["371326001", LIU, "", "", "其舅父"],                     # a 身份证号 read as a 统一社会信用代码
        ["371326001", "", "无", "", "亲属"],
        ["371326101", "545123987", "护照", "日本", "系其房东"],     # no Japanese passport with that number
        ["371326101", "545123987", "护照", "", "系其房东"],
    ]})
    assert run(["--db", db_target, "import-inspectors", str(path)]) == 1
    err = capsys.readouterr().err
    assert "工作表“回避”，第 2 行，“证件号码”列：统一社会信用代码 " + LIU in err
    assert "个人请在“证件类型”列写明身份证、护照等" in err
    assert "第 3 行，“证件类型”列：证件类型为“无”的对象没有证件号码" in err
    assert "第 4 行，“证件号码”列：护照（日本） 545123987 既不在检查对象名录库中，也不在本文件中" in err
    assert "第 5 行，“国籍/签发国”列：护照须填写国籍/签发国" in err
    assert "Traceback" not in err
    with db.read_session() as s:
        assert s.query(Inspector).count() == 0 and s.query(Recusal).count() == 0   # all or nothing


def test_an_objects_file_names_its_own_persons_in_its_recusal_sheet(db, tmp_path):
    with db.session() as s:
        s.add(Inspector(name="赵出入境", badge_no="371326101", unit="出入境管理大队"))
    path = workbook(tmp_path / "外国人.xlsx", {
        "检查对象": [["姓名", "证件类型", "证件号码", "国籍/签发国", "对象类型"],
                 ["Tanaka Hiroshi", "护照", "TK8765432", "日本", "境外人员"]],
        "回避": [RECUSAL_HEADER, ["371326101", "TK8765432", "护照", "日本", "同住一楼"]],
    })
    preview = preview_objects_import(db, path)
    assert preview.ok, preview.problem_lines()
    apply_import(db, preview, "孙文书")
    assert pairs(db) == {("371326101", "Tanaka Hiroshi", "同住一楼")}
