"""Stories about document numbers (文号): the default patterns and a clerk editing the pattern in settings."""
from __future__ import annotations

import pytest

from models.doc_numbers import (
    DEFAULT_NOTICE_PATTERN, DEFAULT_REVIEW_PATTERN, format_doc_number, validate_pattern,
)


def test_default_notice_number():
    assert format_doc_number(DEFAULT_NOTICE_PATTERN, 2024, 12) == "X公(治)限改字〔2024〕第012号"
    assert format_doc_number(DEFAULT_NOTICE_PATTERN, 2025, 1234) == "X公(治)限改字〔2025〕第1234号"


def test_default_review_number():
    assert format_doc_number(DEFAULT_REVIEW_PATTERN, 2024, 3) == "X公(治)复查字〔2024〕第003号"


def test_bureau_own_pattern():
    pattern = "旺公(治)限字〔{year}〕{seq}号"
    assert validate_pattern(pattern) is None
    assert format_doc_number(pattern, 2024, 7) == "旺公(治)限字〔2024〕7号"


def test_extra_fields_when_the_caller_supplies_them():
    pattern = "{unit}限改字〔{year}〕第{seq:03d}号"
    assert "未知字段" in validate_pattern(pattern)
    assert validate_pattern(pattern, allowed_extra=["unit"]) is None
    assert format_doc_number(pattern, 2024, 5, unit="鹿公(治)") == "鹿公(治)限改字〔2024〕第005号"


@pytest.mark.parametrize("pattern, words", [
    ("", "不能为空"),
    ("X公限改字〔{year}〕第号", "{seq}（序号）"),
    ("X公限改字第{seq:03d}号", "{year}（年份）"),
    ("X公限改字〔{year}〕第{seq:03d}号{serial}", "未知字段“{serial}”"),
    ("X公限改字〔{year〕第{seq}号", "花括号不配对"),
    ("X公限改字〔{}〕第{seq}号", "未命名的字段"),
    ("X公限改字〔{year.real}〕第{seq}号", "写法不正确"),
    ("X公限改字〔{year}〕第{seq:abc}号", "无法生成文号"),
])
def test_bad_patterns_are_explained_in_chinese(pattern, words):
    problem = validate_pattern(pattern)
    assert problem is not None and words in problem


def test_formatting_a_bad_pattern_raises_the_chinese_problem():
    with pytest.raises(ValueError, match="未知字段"):
        format_doc_number("〔{year}〕{seq}{x}", 2024, 1)
