import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from cso.orgs import validators
from cso.orgs.validators import USCC_ALPHABET

DATA = Path(__file__).resolve().parents[3] / "data" / "orgs"

type_digits = st.sampled_from("1239")
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
bodies = st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9)


def with_check(partial: str) -> str:
    return partial + uscc.calc_check_digit(partial)


@given(type_digits, regions, bodies)
def test_every_code_with_a_correct_check_character_passes(type_digit, region, body):
    code = with_check(f"5{type_digit}{region}{body}")
    assert validators.validate_credit_code(code) == code


@given(type_digits, regions, bodies, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_changing_one_character_of_a_code_makes_it_fail(type_digit, region, body, position, replacement):
    code = with_check(f"5{type_digit}{region}{body}")
    assume(code[position] != replacement)
    broken = code[:position] + replacement + code[position + 1:]
    with pytest.raises(ValidationError):
        validators.validate_credit_code(broken)


@given(bodies)
def test_a_code_from_another_registering_department_is_refused(body):
    code = with_check(f"91450102{body}")  # 9 = market regulation (companies)
    with pytest.raises(ValidationError, match="第1位应为“5”"):
        validators.validate_credit_code(code)


def test_the_type_digit_must_match_the_organization_type():
    code = with_check("52450102MJ0000001")
    assert validators.validate_credit_code(code, "social_service") == code
    with pytest.raises(ValidationError, match="与组织类型“社会团体”应有的“1”不符"):
        validators.validate_credit_code(code, "social_group")
    with pytest.raises(ValidationError, match="没有统一社会信用代码"):
        validators.validate_credit_code(code, "activity_team")


def test_an_unknown_type_digit_is_refused():
    with pytest.raises(ValidationError, match="不是民政部门的机构类别"):
        validators.validate_credit_code(with_check("54450102MJ0000001"))


def test_codes_are_normalised_before_checking():
    code = with_check("51450102MJ000000A")
    messy = " " + code[:6].lower() + "-" + "".join(chr(ord(c) + 0xFEE0) for c in code[6:]) + " "
    assert validators.validate_credit_code(messy) == code


def test_length_and_alphabet_errors_are_explained():
    with pytest.raises(ValidationError, match="应为18位，当前为5位"):
        validators.validate_credit_code("51450")
    with pytest.raises(ValidationError, match="不含I、O、Z、S、V"):
        validators.validate_credit_code("51450102MJ00000O0X")


def test_every_real_foundation_code_in_the_data_passes_as_a_foundation():
    with (DATA / "foundations_ricf_2017.csv").open(encoding="utf-8") as f:
        codes = [row["uscc"] for row in csv.DictReader(f)]
    assert len(codes) == 200
    for code in codes:
        assert validators.validate_credit_code(code, "foundation") == code
        assert validators.org_type_from_credit_code(code) == "foundation"


# --- resident ID numbers ---------------------------------------------------------------------
# Place codes valid for every birth year (stdnum checks the code against the year it existed).
places = st.sampled_from(["110101", "110105", "310101", "450100"])
birthdays = st.dates(min_value=__import__("datetime").date(1930, 1, 1),
                     max_value=__import__("datetime").date(2005, 12, 31))
sequences = st.text(alphabet="0123456789", min_size=3, max_size=3)


def make_id(place, born, seq) -> str:
    partial = f"{place}{born:%Y%m%d}{seq}"
    return partial + ric.calc_check_digit(partial + "0")


@given(places, birthdays, sequences)
def test_every_id_number_with_a_correct_check_character_passes(place, born, seq):
    number = make_id(place, born, seq)
    assert validators.validate_id_number(number.lower()) == number


@given(places, birthdays, sequences, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_changing_one_character_of_an_id_number_makes_it_fail(place, born, seq, position, replacement):
    number = make_id(place, born, seq)
    assume(number[position] != replacement)
    broken = number[:position] + replacement + number[position + 1:]
    with pytest.raises(ValidationError):
        validators.validate_id_number(broken)


def test_id_number_errors_are_explained():
    with pytest.raises(ValidationError, match="应为18位"):
        validators.validate_id_number("45010219850312")
    with pytest.raises(ValidationError, match="校验位不正确"):
        validators.validate_id_number("450102198503121230")


def test_id_numbers_are_masked_keeping_four_characters_at_each_end():
    assert validators.mask_id_number("11010519491231002X") == "1101**********002X"
    assert validators.mask_id_number("") == ""


# --- phone numbers ---------------------------------------------------------------------------
@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_mainland_mobile_number_passes(second, rest):
    number = f"1{second}{rest}"
    assert validators.validate_phone(f"+86 {number[:3]} {number[3:7]} {number[7:]}") == number


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("0771-5551234", "0771-5551234"), ("(0771)5551234", "0771-5551234"), ("010-87654321转123", "010-87654321-123"),
     ("400-810-8888", "400-810-8888")],
)
def test_landlines_are_accepted_and_normalised(raw, clean):
    assert validators.validate_phone(raw) == clean


@pytest.mark.parametrize("raw", ["12345678901", "1381234567", "5551234", "0771-0551234", "电话"])
def test_malformed_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError, match="格式不正确"):
        validators.validate_phone(raw)


# --- the registry's own identifier -----------------------------------------------------------
def test_generated_identifiers_have_the_documented_shape_and_do_not_repeat():
    uids = {validators.generate_uid(2025) for _ in range(2000)}
    assert len(uids) == 2000
    for uid in uids:
        validators.validate_uid(uid)
        assert uid.startswith("ZZ2025") and len(uid) == 16
