"""Persons and individual businesses on the objects roster (issue 19 item 6): a 废旧金属 个人 by 身份证号, a
foreigner by passport, a 个体 stall without a licence — added on the command line and through the service."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models.credit_code import make_code
from models.roster import InspectedObject
from models.roster_service import ObjectData, RosterError, add_object, get_object, list_objects, update_object
from ui.cli import run

ID_WANG = "11010519491231002X"          # GB 11643's own example
ID_WANG_15 = "110105491231002"          # the same person's legacy 15-digit number
ID_BAD = "110105194912310021"           # check digit should be X


def cli(target, *args):
    return run(["--db", str(target), *args])


def test_a_clerk_adds_a_scrap_metal_dealer_by_his_id_card_and_the_legacy_form_is_the_same_person(db):
    with db.session() as s:
        oid = add_object(s, ObjectData("王建国", ID_WANG_15, "废旧金属收购", id_kind="身份证"), "录入员")
        assert get_object(s, oid).credit_code == ID_WANG   # stored upgraded to 18 digits
        with pytest.raises(RosterError, match="证件号码：11010519491231002X 已被“王建国”使用"):
            add_object(s, ObjectData("王建国", ID_WANG, "废旧金属收购", id_kind="身份证"), "录入员")
        row = list_objects(s)[0]
        assert (row.id_kind, row.credit_code) == ("身份证", ID_WANG)


def test_a_wrong_check_digit_is_refused_naming_the_field(db):
    with db.session() as s, pytest.raises(RosterError, match=r"证件号码：校验位错误（校验位应为 X，实为 1）"):
        add_object(s, ObjectData("王建国", ID_BAD, "废旧金属收购", id_kind="身份证"), "录入员")


def test_a_passport_without_country_is_refused_and_one_number_may_exist_in_two_countries(db):
    with db.session() as s:
        with pytest.raises(RosterError, match="国籍/签发国：护照须填写国籍/签发国"):
            add_object(s, ObjectData("John Smith", "E12345678", "出入境人员", id_kind="护照"), "录入员")
        add_object(s, ObjectData("John Smith", "E12345678", "出入境人员", id_kind="护照", id_country="美国"), "a")
        add_object(s, ObjectData("Jan Smit", "E12345678", "出入境人员", id_kind="护照", id_country="荷兰"), "a")
        with pytest.raises(RosterError, match="已被“John Smith”使用"):
            add_object(s, ObjectData("J. Smith", "e1234 5678", "出入境人员", id_kind="护照", id_country="美国"), "a")


def test_an_unlicensed_stall_has_no_number_but_a_reason(db):
    with db.session() as s:
        with pytest.raises(RosterError, match="无证件原因：证件类型为“无”时须填写无证件的原因"):
            add_object(s, ObjectData("李记废品站", "", "废旧金属收购", id_kind="无"), "a")
        a = add_object(s, ObjectData("李记废品站", "", "废旧金属收购", id_kind="无", no_id_reason="未办照"), "a")
        b = add_object(s, ObjectData("赵记废品站", "", "废旧金属收购", id_kind="无", no_id_reason="流动摊贩"), "a")
        stored = s.execute(select(InspectedObject.credit_code).where(InspectedObject.id.in_([a, b]))).scalars().all()
        assert stored == [None, None]
        assert get_object(s, a).credit_code == ""   # never None on a form
        assert {r.credit_code for r in list_objects(s)} == {""}


def test_a_unit_can_be_turned_into_a_person_and_back(db):
    with db.session() as s:
        oid = add_object(s, ObjectData("王建国废品收购站", make_code(5), "废旧金属收购"), "a")
        d = get_object(s, oid)
        d.id_kind, d.credit_code, d.name = "身份证", ID_WANG, "王建国"
        update_object(s, oid, d, "b")
        assert get_object(s, oid).id_kind == "身份证"


def test_the_command_line_adds_and_edits_persons(db, db_target, capsys):
    assert cli(db_target, "add-object", "--name", "王建国", "--type", "废旧金属收购", "--id-kind", "身份证",
               "--code", ID_WANG, "--jurisdiction", "城关派出所") == 0
    assert f"身份证 {ID_WANG}" in capsys.readouterr().out
    assert cli(db_target, "add-object", "--name", "王建国", "--type", "废旧金属收购", "--id-kind", "身份证",
               "--code", ID_BAD) == 1
    assert "证件号码：校验位错误" in capsys.readouterr().err
    assert cli(db_target, "add-object", "--name", "John Smith", "--type", "出入境人员", "--id-kind", "护照",
               "--code", "E12345678") == 1
    assert "护照须填写国籍/签发国" in capsys.readouterr().err
    assert cli(db_target, "add-object", "--name", "John Smith", "--type", "出入境人员", "--id-kind", "护照",
               "--code", "E12345678", "--country", "美国") == 0
    assert cli(db_target, "add-object", "--name", "李记废品站", "--type", "废旧金属收购", "--id-kind", "无",
               "--no-id-reason", "流动摊贩，未办照") == 0
    out = capsys.readouterr().out
    assert "护照（美国） E12345678" in out and "无证件" in out and "None" not in out
    with db.session() as s:
        oid = s.scalar(select(InspectedObject.id).where(InspectedObject.name == "李记废品站"))
    assert cli(db_target, "edit-object", str(oid), "--id-kind", "身份证", "--code", ID_WANG) == 1
    assert "已被“王建国”使用" in capsys.readouterr().err
    assert cli(db_target, "edit-object", str(oid), "--no-id-reason", "已歇业前的流动摊贩") == 0
    with db.session() as s:
        assert get_object(s, oid).no_id_reason == "已歇业前的流动摊贩"
