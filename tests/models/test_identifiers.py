"""证件类型 rules: the 居民身份证号码 check digit (GB 11643, ISO 7064 MOD 11-2), travel documents, 无, masking."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from models import identifiers as ids
from models.roster import ID_KIND_CREDIT, ID_KIND_NONE, ID_KIND_OTHER_TRAVEL, ID_KIND_PASSPORT, ID_KIND_RESIDENT

# The standard's own example (GB 11643-1999 appendix) and its 15-digit ancestor.
STANDARD_EXAMPLE = "11010519491231002X"

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
regions = st.integers(min_value=110000, max_value=659999).map(str)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


def _number(region: str, born: date, seq: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + ids.resident_check(first17)


def test_the_standards_example_is_valid():
    assert ids.resident_problem(STANDARD_EXAMPLE) is None
    assert ids.resident_check(STANDARD_EXAMPLE[:17]) == "X"


@given(regions, births, sequences)
def test_every_number_with_its_check_character_is_valid(region, born, seq):
    assert ids.resident_problem(_number(region, born, seq)) is None


@given(regions, births, sequences, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_changed_digit_is_caught(region, born, seq, pos, delta):
    number = _number(region, born, seq)
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    # MOD 11-2 detects every single-digit error; a changed birth digit may also make the date invalid.
    assert ids.resident_problem(changed) is not None


@given(regions, births, sequences, st.integers(min_value=0, max_value=15))
def test_two_swapped_neighbours_are_caught(region, born, seq, pos):
    number = _number(region, born, seq)
    if number[pos] == number[pos + 1]:
        return
    swapped = number[:pos] + number[pos + 1] + number[pos] + number[pos + 2:]
    assert ids.resident_problem(swapped) is not None


def test_a_wrong_check_digit_names_the_right_one():
    assert ids.resident_problem("110105194912310021") == "校验位错误（校验位应为 X，实为 1）"


def test_impossible_birth_dates_are_refused():
    first17 = "11010519490231002"   # 31 February
    assert "不是有效日期" in ids.resident_problem(first17 + ids.resident_check(first17))
    tomorrow = date.today() + timedelta(days=1)
    first17 = f"110105{tomorrow:%Y%m%d}002"
    assert "不合理" in ids.resident_problem(first17 + ids.resident_check(first17))


def test_wrong_length_and_characters():
    assert ids.resident_problem("1101051949123") == "应为18位（或旧式15位），实为13位"
    assert ids.resident_problem("11010519491231002A") == "第18位“A”应为数字或 X"
    assert ids.resident_problem("") == "不能为空"


@given(regions, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_the_legacy_15_digit_form_is_accepted_and_stored_as_18_digits(region, born, seq):
    legacy = f"{region}{born:%y%m%d}{seq}"
    assert ids.resident_problem(legacy) is None
    stored = ids.normalise_number(ID_KIND_RESIDENT, legacy)
    assert stored == _number(region, born, seq)
    assert ids.resident_problem(stored) is None


def test_the_standards_example_from_15_digits():
    assert ids.normalise_number(ID_KIND_RESIDENT, "110105491231002") == STANDARD_EXAMPLE
    assert ids.normalise_number(ID_KIND_RESIDENT, " 11010519491231002x ") == STANDARD_EXAMPLE


def test_a_passport_needs_a_country_and_a_plain_number():
    assert ids.problems(ID_KIND_PASSPORT, "E12345678", "美国") == []
    assert ids.problems(ID_KIND_PASSPORT, "E12345678", "") == [("id_country", "护照须填写国籍/签发国")]
    assert ids.problems(ID_KIND_PASSPORT, "E12", "美国") == [("credit_code", "“E12”应为5至20位字母或数字")]
    assert ids.normalise_number(ID_KIND_PASSPORT, "e 1234-5678") == "E12345678"
    assert ids.problems(ID_KIND_OTHER_TRAVEL, "", "中国香港") == [("credit_code", "不能为空")]


def test_none_needs_a_reason_and_no_number():
    assert ids.problems(ID_KIND_NONE, "", "", "流动摊贩，未办理营业执照") == []
    assert ids.problems(ID_KIND_NONE, "", "", "") == [("no_id_reason", "证件类型为“无”时须填写无证件的原因")]
    assert ids.problems(ID_KIND_NONE, "123", "", "x")[0][0] == "credit_code"


def test_units_keep_the_credit_code_rule():
    assert ids.problems(ID_KIND_CREDIT, "91350100M000100Y43") == []
    assert ids.problems(ID_KIND_CREDIT, "91350100M000100Y44") == [
        ("credit_code", "校验位错误（校验位应为 3，实为 4）")]
    assert ids.problems("驾驶证", "1")[0][0] == "id_kind"


def test_kind_aliases_and_old_sheets():
    assert ids.normalise_kind("") == ID_KIND_CREDIT
    assert ids.normalise_kind(None) == ID_KIND_CREDIT
    assert ids.normalise_kind("居民身份证") == ID_KIND_RESIDENT
    assert ids.normalise_kind("港澳通行证") == ID_KIND_OTHER_TRAVEL
    assert ids.normalise_kind("驾驶证") is None


def test_masks_keep_a_persons_first_character_and_hide_the_middle_of_the_number():
    assert ids.mask_name("张三丰") == "张*"
    assert ids.public_name(ID_KIND_RESIDENT, "张三丰") == "张*"
    assert ids.public_name(ID_KIND_CREDIT, "沂源县宾馆") == "沂源县宾馆"
    assert ids.mask_number(ID_KIND_RESIDENT, STANDARD_EXAMPLE) == "1101**********002X"
    assert ids.public_number(ID_KIND_PASSPORT, "E12345678", "美国") == "护照（美国） E1*****78"
    assert ids.public_number(ID_KIND_CREDIT, "91350100M000100Y43") == "91350100M000100Y43"
    assert ids.public_number(ID_KIND_NONE, None) == "无证件"


def test_draw_codes_publish_only_the_masked_number():
    assert ids.draw_code(ID_KIND_CREDIT, "91350100M000100Y43") == "91350100M000100Y43"
    assert ids.draw_code(ID_KIND_RESIDENT, STANDARD_EXAMPLE) == "身份证:1101**********002X"
    assert ids.draw_code(ID_KIND_PASSPORT, "E12345678", "美国") == "护照:美国:E1*****78"
    assert ids.draw_code(ID_KIND_NONE, None) == "无:"


@pytest.mark.parametrize("kind", [ID_KIND_RESIDENT, ID_KIND_PASSPORT, ID_KIND_OTHER_TRAVEL, ID_KIND_NONE])
def test_shown_never_says_none(kind):
    assert "None" not in ids.shown(kind, None, "")
    assert "None" not in ids.public_number(kind, None, "")
