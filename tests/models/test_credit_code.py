"""统一社会信用代码: the GB 32100-2015 check digit, normalising and the clerk-facing messages."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from models.credit_code import ALPHABET, all_valid, check_digit, is_valid, make_code, normalise, validate

# Published codes: the standard's own example, and codes of well-known companies
# (国家电网, 腾讯, 华为, 上海浦东发展银行 …) as shown on the national credit-publicity system.
REAL_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91440300708461136T",
    "914403001922038216",
    "91310000775785552L",
    "91110108551385082Q",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert validate(code) is None
    assert check_digit(code[:17]) == code[17]


def test_a_wrong_check_digit_names_the_right_one():
    assert validate("91350100M000100Y44") == "校验位错误（校验位应为 3，实为 4）"


def test_wrong_length_says_how_long_it_is():
    assert validate("91350100M000100Y4") == "应为18位，实为17位"
    assert validate("91350100M000100Y433") == "应为18位，实为19位"
    assert validate("") == "不能为空"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_the_standard_leaves_out_are_refused(letter):
    code = "91350100M000100Y43"
    bad = code[:8] + letter + code[9:]
    message = validate(bad)
    assert message.startswith(f"第9位“{letter}”不是合法字符")
    assert "I、O、S、V、Z" in message


def test_lower_case_and_punctuation_are_illegal_until_normalised():
    assert "第16位“y”" in validate("91350100M000100y43")
    assert validate(normalise("91350100M000100y43")) is None
    assert "第5位“-”" in validate("9135-100M000100Y43")


def test_normalise_trims_upper_cases_and_turns_full_width_into_half_width():
    assert normalise("  ９１３５０１００ｍ０００１００ｙ４３\t") == "91350100M000100Y43"
    assert normalise(None) == ""
    assert is_valid(" 91350100m000100y43 ")


def test_demo_codes_are_valid_distinct_and_deterministic():
    codes = [make_code(n) for n in range(2000)]
    assert all(validate(c) is None for c in codes)
    assert len(set(codes)) == 2000
    assert make_code(7) == make_code(7)
    assert make_code(7, kind="92").startswith("92370323")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_any_single_character_change_is_caught(first17):
    code = first17 + check_digit(first17)
    assert validate(code) is None
    # Changing any one character to another legal one always breaks the check (mod-31 weights).
    for pos in range(18):
        for ch in "0A":
            if code[pos] != ch:
                assert validate(code[:pos] + ch + code[pos + 1:]) is not None


def test_a_whole_column_of_published_and_demo_codes_passes_at_once():
    codes = REAL_CODES + [make_code(n) for n in range(2000)]
    assert all_valid(codes)
    assert all_valid([])


# A code as a clerk's sheet may hold it: mostly legal characters, sometimes a wrong one or a wrong length.
_cells = st.text(alphabet=ALPHABET + "abIOSVZ-  é", min_size=16, max_size=19)


@given(st.lists(_cells, min_size=1, max_size=40), st.integers(min_value=0, max_value=2000))
def test_the_column_check_agrees_with_checking_each_code(cells, seed):
    """all_valid() (the import's fast path) is True exactly when validate() finds no problem in any code."""
    column = [make_code(seed + n) for n in range(5)] + cells
    assert all_valid(column) == all(validate(c) is None for c in column)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=17),
       st.sampled_from(ALPHABET))
def test_one_changed_character_in_a_long_column_fails_the_column(seed, position, ch):
    column = [make_code(seed + n) for n in range(300)]
    code = column[150]
    column[150] = code[:position] + ch + code[position + 1:]
    assert all_valid(column) == (ch == code[position])
