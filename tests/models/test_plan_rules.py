"""The 抽查比例和频次 texts of real plans become sampling rules, and rules size the draw."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.plan_rules import SamplingRule, parse_rule, sample_size

# text, ratio, ratio_kind, count, rounds_min, rounds_max, per_event
DOMAIN_STRINGS = [
    ("全年抽查比例不低于5%，每年抽查1次", 0.05, "min", None, 1, 1, False),
    ("全年抽查比例 100%", 1.0, "exact", None, None, None, False),
    ("随机抽取20%", 0.2, "exact", None, None, None, False),
    ("每年2次", None, None, None, 2, 2, False),
    ("每半年至少1次", None, None, None, 2, None, False),
    ("每半年1-2次", None, None, None, 2, 4, False),
    ("每年1次…的10%", 0.1, "exact", None, 1, 1, False),
    ("8%", 0.08, "exact", None, None, None, False),
    ("1%", 0.01, "exact", None, None, None, False),
    ("30%/3户", 0.3, "exact", 3, None, None, False),
    ("10户", None, None, 10, None, None, False),
    ("2户", None, None, 2, None, None, False),
    ("按大型群众性活动实际执行", None, None, None, None, None, True),
    ("专项督察：每年不少于4次，抽查面每次不少于30%", 0.3, "min", None, 4, None, False),
    ("抽查面不超过5%/年", 0.05, "max", None, None, None, False),
]

# Found in the seeds: the 抽查比例 columns of 002 and 004 and the prose of 000, 001 and 003.
SEED_STRINGS = [
    ("按焰火晚会以及其他大型焰火燃放活动实际执行", None, None, None, None, None, True),
    ("按排放偶发性强烈噪声实际执行", None, None, None, None, None, True),
    ("按重大安保任务实际执行", None, None, None, None, None, True),
    ("3户", None, None, 3, None, None, False),
    ("25户", None, None, 25, None, None, False),
    ("5户", None, None, 5, None, None, False),
    ("20%", 0.2, "exact", None, None, None, False),
    ("10%", 0.1, "exact", None, None, None, False),
    ("全年抽查比例不低于 5%，每年抽查 1 次", 0.05, "min", None, 1, 1, False),
    ("全年抽查比例不低于 5%，抽查频次根据工作需要确定", 0.05, "min", None, None, None, False),
    ("全年抽查比例 100%，每年抽查 1 次", 1.0, "exact", None, 1, 1, False),
    ("每年2次对本市所有机动车驾驶人考场随机抽取20%", 0.2, "exact", None, 2, 2, False),
    ("每年1次对金融机构营业场所、金库的安全防范设施建设、制度、措施、人员的10%", 0.1, "exact", None, 1, 1, False),
    ("每半年1次对全市10%的加油站、油库、输油管道等企业单位", 0.1, "exact", None, 2, 2, False),
    ("每半年1次联合市人社局、市场监管局、住新局，对全市8%保安培训学校", 0.08, "exact", None, 2, 2, False),
    ("每半年至少“双随机”抽查一次", None, None, None, 2, None, False),
    ("对本市所有民爆物品从业单位，每半年至少1次检查及特定检查", 1.0, "exact", None, 2, None, False),
    ("对本市所有没有违法违规的旅店业每年抽查1次", 1.0, "exact", None, 1, 1, False),
    ("专项督察：每年不少于2次，检查面每次不少于20%。", 0.2, "min", None, 2, None, False),
    ("全面检查：每年不少于1次", 1.0, "exact", None, 1, None, False),
    ("每月至少检查一次", None, None, None, 12, None, False),
    ("每两个月检查一次", None, None, None, 6, 6, False),
    ("每季度至少检查一次", None, None, None, 4, None, False),
    ("印章、典当业每季度不少于1次", None, None, None, 4, None, False),
    ("巡查频次每年不少于1次", None, None, None, 1, None, False),
    ("抽查面不超过5 %/年", 0.05, "max", None, None, None, False),
]

# Full-width signs and digits, Chinese numerals, other range dashes, 家/个.
VARIANTS = [
    ("全年抽查比例不低于５％，每年抽查１次", 0.05, "min", None, 1, 1, False),
    ("每半年1～2次", None, None, None, 2, 4, False),
    ("每半年1—2次", None, None, None, 2, 4, False),
    ("每年两次", None, None, None, 2, 2, False),
    ("三户", None, None, 3, None, None, False),
    ("5家", None, None, 5, None, None, False),
    ("十二个", None, None, 12, None, None, False),
    ("最多每年3次", None, None, None, None, 3, False),
    ("12.5%", 0.125, "exact", None, None, None, False),
    ("百分之十", 0.1, "exact", None, None, None, False),
    ("随机抽取5%以上", 0.05, "min", None, None, None, False),
    # A qualifier belongs to the number right after it, not to the next one.
    ("不低于5%每年1次", 0.05, "min", None, 1, 1, False),
    ("每年至少1次抽查10%", 0.1, "exact", None, 1, None, False),
]


@pytest.mark.parametrize(
    "text, ratio, kind, count, rmin, rmax, per_event", DOMAIN_STRINGS + SEED_STRINGS + VARIANTS
)
def test_every_real_ratio_text_is_understood(text, ratio, kind, count, rmin, rmax, per_event):
    rule = parse_rule(text)
    assert rule.parsed, rule.problem
    assert rule.problem is None
    assert rule.ratio == pytest.approx(ratio) if ratio is not None else rule.ratio is None
    assert rule.ratio_kind == kind
    assert rule.count == count
    assert (rule.rounds_min, rule.rounds_max) == (rmin, rmax)
    assert rule.per_event is per_event
    assert rule.rounds_per_year() == rmin


@pytest.mark.parametrize(
    "text",
    ["视情况而定", "abc%", "", "   ", "根据工作需要确定", "200%", "0%", "5%或10%", "3户或5户", "每两年1次"],
)
def test_a_text_we_cannot_read_is_reported_never_guessed(text):
    rule = parse_rule(text)
    assert not rule.parsed
    assert rule.problem and any("\u4e00" <= ch <= "\u9fff" for ch in rule.problem)
    assert rule.ratio is None and rule.count is None and rule.rounds_min is None
    with pytest.raises(ValueError, match=rule.problem[:4]):
        sample_size(rule, 10)


@pytest.mark.parametrize(
    "text, summary",
    [
        ("全年抽查比例不低于5%，每年抽查1次", "比例≥5%，每年1次"),
        ("30%/3户", "比例30%且不少于3户"),
        ("10户", "固定10户"),
        ("5家", "固定5家"),
        ("按大型群众性活动实际执行", "按实际活动执行"),
        ("每半年1-2次", "每年2-4次"),
        ("专项督察：每年不少于4次，抽查面每次不少于30%", "比例≥30%，每年至少4次"),
        ("抽查面不超过5%/年", "比例≤5%"),
        ("12.5%", "比例12.5%"),
    ],
)
def test_the_clerk_sees_a_short_chinese_summary(text, summary):
    assert parse_rule(text).describe() == summary


def test_an_unreadable_rule_says_so_in_its_summary():
    assert parse_rule("视情况而定").describe().startswith("无法识别")


@pytest.mark.parametrize(
    "text, eligible, expected",
    [
        ("全年抽查比例不低于5%，每年抽查1次", 41, 3),   # rounded up
        ("全年抽查比例不低于5%，每年抽查1次", 100, 5),  # exact, not 6 from float error
        ("全年抽查比例不低于5%，每年抽查1次", 3, 1),    # at least one
        ("全年抽查比例不低于5%，每年抽查1次", 0, 0),
        ("随机抽取20%", 7, 2),
        ("1%", 300, 3),
        ("全年抽查比例 100%", 17, 17),
        ("10户", 25, 10),
        ("10户", 4, 4),                                # never more than eligible
        ("30%/3户", 5, 3),                             # the count is the floor
        ("30%/3户", 20, 6),                            # the ratio wins on larger rosters
        ("30%/3户", 2, 2),
        ("抽查面不超过5%/年", 100, 5),
        ("抽查面不超过5%/年", 59, 2),                  # floor for an upper bound
        ("抽查面不超过5%/年", 10, 1),                  # but at least one
        ("按大型群众性活动实际执行", 30, 0),            # the clerk sets it per event
        ("每年2次", 30, 1),                            # frequency only: the least a draw takes
    ],
)
def test_sample_size_follows_the_plan(text, eligible, expected):
    assert sample_size(parse_rule(text), eligible) == expected


def test_only_ratio_or_count_rules_fix_the_size_themselves():
    assert parse_rule("8%").fixes_size()
    assert parse_rule("2户").fixes_size()
    assert not parse_rule("每年2次").fixes_size()
    assert not parse_rule("按大型群众性活动实际执行").fixes_size()


@given(
    percent=st.integers(min_value=1, max_value=100),
    kind=st.sampled_from(["", "不低于", "不超过"]),
    count=st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
    eligible=st.integers(min_value=0, max_value=5000),
)
def test_sample_size_is_bounded_and_exact(percent, kind, count, eligible):
    text = f"抽查比例{kind}{percent}%" + (f"/{count}户" if count else "")
    rule = parse_rule(text)
    assert rule.parsed, text
    size = sample_size(rule, eligible)
    if eligible == 0:
        assert size == 0
        return
    exact = Fraction(percent, 100) * eligible
    by_ratio = math.floor(exact) if kind == "不超过" else math.ceil(exact)
    assert size == min(eligible, max(1, by_ratio, count or 0))


def test_a_rule_can_be_built_by_hand_for_a_clerk_override():
    rule = SamplingRule(ratio=0.1, ratio_kind="min", parsed=True)
    assert sample_size(rule, 11) == 2


def test_a_ratio_per_risk_level_is_read_as_differentiated_sampling():
    """差异化抽查 written as shares per risk level (issue 19 item 7): each level keeps its own ratio."""
    rule = parse_rule("差异化抽查：高风险企业30%、中风险企业10%、中低风险5%、低风险3%，每年1次")
    assert rule.parsed and rule.fixes_size()
    assert rule.risk_ratios == (("高风险", 0.3), ("中风险", 0.1), ("中低风险", 0.05), ("低风险", 0.03))
    assert rule.ratio is None and rule.rounds_min == 1
    assert rule.describe() == "高风险30%、中风险10%、中低风险5%、低风险3%，每年1次"
    assert parse_rule("随机抽取5%").risk_ratios == ()
    twice = parse_rule("高风险30%，高风险20%")
    assert not twice.parsed and twice.problem == "高风险有两个不同的抽查比例，无法确定以哪个为准"
