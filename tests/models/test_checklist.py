"""An item's 抽查内容 becomes one checklist entry per point, as the inspection form needs."""
from __future__ import annotations

import pytest

from models.checklist import split_checklist

SEED_004_ITEM_7 = (
    "1. 等级保护工作组织开展、实施情况 2. 安全责任落实情况，信息系统安全岗位和安全管理 人员设置情况 "
    "3. 信息系统定级备案情况，信息系统变化及定级备案变动情况 "
    "4. 聘请测评机构按规范要求开展技术测评工作情况，根据测评结果开展整改情况"
)


def test_seed_004_item_7_gives_four_points_and_mends_the_broken_word():
    assert split_checklist(SEED_004_ITEM_7) == [
        "等级保护工作组织开展、实施情况",
        "安全责任落实情况，信息系统安全岗位和安全管理人员设置情况",
        "信息系统定级备案情况，信息系统变化及定级备案变动情况",
        "聘请测评机构按规范要求开展技术测评工作情况，根据测评结果开展整改情况",
    ]


def test_semicolon_separated_questions_of_seed_002_are_separate_points():
    text = ("是否取得特种行业许可证，开展农村旅馆业特种行业许可证复核工作；是否落实旅客信息登记情况；"
            "是否建立安全管理制度，治安保卫组织或者指定安全保卫人员")
    assert split_checklist(text) == [
        "是否取得特种行业许可证，开展农村旅馆业特种行业许可证复核工作",
        "是否落实旅客信息登记情况",
        "是否建立安全管理制度，治安保卫组织或者指定安全保卫人员",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1、开业备案； 2、责任落实； 3、其他事项", ["开业备案", "责任落实", "其他事项"]),
        ("1. 枪支配备情况；2. 保管设施情况", ["枪支配备情况", "保管设施情况"]),
        ("（1）台账记录（2）证件保存", ["台账记录", "证件保存"]),
        ("(1)台账记录 (2)证件保存", ["台账记录", "证件保存"]),
        ("①台账②证件③制度", ["台账", "证件", "制度"]),
        ("一、检查台账。二、检查证件。", ["检查台账", "检查证件"]),
        ("１、台账 ２、证件", ["台账", "证件"]),
        ("联网备案情况;管理制度情况;技术支持情况", ["联网备案情况", "管理制度情况", "技术支持情况"]),
        ("开展检查：1.台账；2.证件", ["台账", "证件"]),
        ("10%的单位：1.台账；2.证件", ["台账", "证件"]),
    ],
)
def test_every_numbering_style_splits_and_loses_its_numbers(text, expected):
    assert split_checklist(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "依据《条例》第19条检查",
        "出入库比例不得低于1.5倍",
        "对第二、三类易制毒化学品购买备案的检查",
        "依据《GA38-2021银行安全防范要求》检查",
        "对环境噪声污染进行检查，依法对违法行为进行查处",
    ],
)
def test_a_single_sentence_stays_one_point(text):
    assert split_checklist(text) == [text]


def test_numbered_points_keep_their_inner_semicolons():
    assert split_checklist("1. 查台账；查证件 2. 查制度") == ["查台账；查证件", "查制度"]


def test_numbers_inside_a_point_do_not_split_it():
    text = "1. 依据第19条检查 2. 比例不低于1.5倍 3. 落实三个100%制度"
    assert split_checklist(text) == ["依据第19条检查", "比例不低于1.5倍", "落实三个100%制度"]


def test_a_stray_number_out_of_sequence_is_text_not_a_new_point():
    assert split_checklist("1、检查台账 5、6月份数据 2、检查证件") == ["检查台账 5、6月份数据", "检查证件"]


def test_thirteen_points_of_seed_002_item_11():
    text = " ".join(f"{i}. 第{i}项检查内容" for i in range(1, 14))
    entries = split_checklist(text)
    assert len(entries) == 13
    assert entries[9] == "第10项检查内容"


@pytest.mark.parametrize("text", ["", "   ", "；；", "\n"])
def test_empty_text_gives_no_points(text):
    assert split_checklist(text) == []
