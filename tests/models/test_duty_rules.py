"""The bureau's routine duties are read from seed 003's own sentences (鹿泉 事中事后监督管理制度), never guessed."""
from __future__ import annotations

import pytest

from models.duty_rules import DutyRuleError, ParsedDuty, parse_duties, parse_period, parse_share


def read(text, type_name=None):
    return [(d.type_name, d.period, d.times, d.share_percent) for d in parse_duties(text, type_name)]


def test_hotels_every_month_all_of_them():
    assert read("旅馆业要求每月对辖区所有旅馆进行1次监督检查") == [("旅馆", "每月", 1, 100)]


def test_seals_and_pawnshops_each_quarter_are_two_duties():
    assert read("印章、典当业每季度不少于1次") == [("公章刻制", "每季度", 1, 100), ("典当行", "每季度", 1, 100)]


def test_the_whole_special_trades_sentence_gives_three_duties():
    text = ("1、日常巡查：各公安派出所落实对印章、旅馆、典当等特种行业从业单位的日常监督检查。"
            "其中旅馆业要求每月对辖区所有旅馆进行1次监督检查，印章、典当业每季度不少于1次；")
    # The opening sentence lists the trades; the frequencies of the next one say who gets which.
    assert read(text) == [("旅馆", "每月", 1, 100), ("公章刻制", "每季度", 1, 100), ("典当行", "每季度", 1, 100)]
    assert read("其中旅馆业要求每月对辖区所有旅馆进行1次监督检查，印章、典当业每季度不少于1次；") == [
        ("旅馆", "每月", 1, 100), ("公章刻制", "每季度", 1, 100), ("典当行", "每季度", 1, 100)]


def test_scrap_metal_each_season_one_full_check():
    whole = "日常巡查：各公安派出所落实对各自辖区的收购废旧金属企业和个人的日常监督检查，每季不少于1次全面检查。"
    assert read(whole) == [("废旧金属收购", "每季度", 1, 100)]
    assert read("每季不少于1次全面检查", "废旧金属收购") == [("废旧金属收购", "每季度", 1, 100)]


def test_traffic_police_sentences():
    assert read("对“两客一危”（旅游包车、三类以上班线客车和危险物品运输车）企业、公共交通运输企业和校车服务机构"
                "每月至少检查一次。") == [("两客一危企业", "每月", 1, 100), ("公共交通运输企业", "每月", 1, 100),
                                  ("校车服务机构", "每月", 1, 100)]
    assert read("每月至少检查一次", "两客一危企业") == [("两客一危企业", "每月", 1, 100)]
    assert read("对使用校车（含接送学生车辆）的学校或幼儿园每两个月检查一次。") == [
        ("使用校车的学校或幼儿园", "每两个月", 1, 100)]
    assert read("对其他重点车辆单位和公路客运场站制定检查计划，采取随机抽查和暗访检查的形式，每季度至少检查一次。") == [
        ("重点车辆单位", "每季度", 1, 100), ("公路客运场站", "每季度", 1, 100)]


def test_banks_once_a_year():
    assert read("公安机关对辖区内银行业金融机构的巡查频次每年不少于1次。") == [("金融机构营业场所", "每年", 1, 100)]
    assert read("每年不少于1次", "金融机构营业场所") == [("金融机构营业场所", "每年", 1, 100)]


def test_special_supervision_four_rounds_a_year_over_thirty_percent_each():
    # "每年不少于4次，抽查面每次不少于30%": a round each quarter over 30% of the objects.
    assert read("专项督察：每年不少于4次，抽查面每次不少于30%", "旅馆") == [("旅馆", "每季度", 1, 30)]
    assert read("专项督察：每年不少于2次，检查面每次不少于20%。", "废旧金属收购") == [("废旧金属收购", "每半年", 1, 20)]


def test_the_yearly_full_check_of_the_special_trades():
    assert read("全面检查：会同上级管理部门对印章、旅馆、典当等特种行业从业单位进行全面检查，每年不少于1次；") == [
        ("公章刻制", "每年", 1, 100), ("旅馆", "每年", 1, 100), ("典当行", "每年", 1, 100)]


@pytest.mark.parametrize("text, type_name, words", [
    ("对举报投诉的随报随查", None, "没有可识别的检查频次"),
    ("旅馆每月检查", None, "未写明每期检查几次"),
    ("专项督察：每年不少于2次，检查面每次不少于20%。", None, "“专项督察”中没有可识别的检查对象类型"),
    ("抽查面不超过5 %/年", "金融机构营业场所", "没有可识别的检查频次"),
    ("每月不超过2次", "旅馆", "是上限"),
    ("旅馆每月1次，每季度1次", "旅馆", "包含2个频次"),
    ("旅馆业每月1次，典当业", None, "“典当行”之后没有写明检查频次"),
    ("对网吧进行检查。旅馆业每月1次", None, "“网吧”之后没有写明检查频次"),
    ("", None, "巡查要求为空"),
])
def test_what_is_not_understood_is_named(text, type_name, words):
    with pytest.raises(DutyRuleError) as e:
        parse_duties(text, type_name)
    assert words in str(e.value)


def test_a_type_the_roster_knows_is_read_by_its_name():
    assert parse_duties("加油站每半年1次", known_types=("加油站",)) == [ParsedDuty("加油站", "每半年", 1, 100)]
    assert parse_duties("小区物业每半年1次", known_types=("小区物业",)) == [ParsedDuty("小区物业", "每半年", 1, 100)]


def test_cells_of_an_import():
    assert [parse_period(t) for t in ("每月", "每季", "季度", "每两个月", "半年", "每年至少一次")] == [
        "每月", "每季度", "每季度", "每两个月", "每半年", "每年"]
    assert [parse_share(t) for t in ("", "全部", "30%", "30", "不少于20%", "100%")] == [100, 100, 30, 30, 20, 100]
    for bad in ("每周", "随时"):
        with pytest.raises(DutyRuleError, match="频次"):
            parse_period(bad)
    for bad in ("0%", "120%", "三成", "12.5%"):
        with pytest.raises(DutyRuleError, match="比例"):
            parse_share(bad)
