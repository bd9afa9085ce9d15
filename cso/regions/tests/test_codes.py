"""Properties of the pure code rules in cso.regions.codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cso.regions import codes

SEGMENTS = {codes.PROVINCE: 2, codes.CITY: 2, codes.COUNTY: 2, codes.STREET: 3, codes.COMMUNITY: 3}


@st.composite
def division_codes(draw, level=None):
    """A well-formed 12-digit code: every segment down to ``level`` non-zero, the rest zeros."""
    level = level or draw(st.sampled_from(codes.LEVELS))
    parts = []
    for lv in codes.LEVELS:
        width = SEGMENTS[lv]
        if lv <= level:
            parts.append(str(draw(st.integers(1, 10**width - 1))).zfill(width))
        else:
            parts.append("0" * width)
    return "".join(parts)


@given(division_codes())
def test_a_code_is_valid_and_its_level_is_read_from_its_shape(code):
    assert codes.is_valid_code(code)
    level = codes.level_of(code)
    assert level in codes.LEVELS
    assert code[codes.PREFIX_LENGTH[level] :] == "0" * (12 - codes.PREFIX_LENGTH[level])


@given(division_codes())
def test_padding_a_code_s_own_prefix_gives_the_code_back(code):
    level = codes.level_of(code)
    assert codes.pad_code(codes.prefix_of(code, level)) == code


@given(division_codes())
def test_every_code_lies_inside_the_bounds_of_each_of_its_ancestors_prefixes(code):
    level = codes.level_of(code)
    for ancestor_level in codes.LEVELS[:level]:
        prefix = codes.prefix_of(code, ancestor_level)
        low, high = codes.subtree_bounds(prefix)
        assert low <= code <= high
        assert low == codes.pad_code(prefix)
        assert codes.level_of(low) == ancestor_level


@given(division_codes(), division_codes())
def test_a_code_is_inside_a_prefix_s_bounds_exactly_when_it_starts_with_the_prefix(code, other):
    level = codes.level_of(other)
    prefix = codes.prefix_of(other, level)
    low, high = codes.subtree_bounds(prefix)
    assert (low <= code <= high) == code.startswith(prefix)


@given(st.text(alphabet="0123456789", min_size=1, max_size=12))
def test_pad_code_keeps_the_digits_and_always_gives_twelve(digits):
    padded = codes.pad_code(digits)
    assert len(padded) == 12 and padded.startswith(digits) and codes.is_valid_code(padded)


@given(st.text(min_size=1, max_size=14).filter(lambda s: not s.strip().isdigit() or len(s.strip()) > 12))
def test_pad_code_refuses_anything_but_up_to_twelve_digits(text):
    with pytest.raises(codes.CodeError):
        codes.pad_code(text)


@given(st.text(max_size=14).filter(lambda s: not (len(s) == 12 and s.isascii() and s.isdigit())))
def test_level_of_refuses_malformed_codes(text):
    with pytest.raises(codes.CodeError):
        codes.level_of(text)


@pytest.mark.parametrize("text", ["450102001003\n", "٤٥٠١٠٢٠٠١٠٠٣"])
def test_only_twelve_ascii_digits_make_a_valid_code(text):
    assert not codes.is_valid_code(text)


def test_level_of_refuses_all_zeros():
    with pytest.raises(codes.CodeError):
        codes.level_of("000000000000")


@given(division_codes(level=codes.STREET))
def test_street_unit_types_follow_digits_seven_to_nine(code):
    n = int(code[6:9])
    expected = "street" if n < 100 else "town" if n < 200 else "township" if n < 400 else "other"
    assert codes.unit_type_of(code, codes.STREET) == expected


@given(division_codes(level=codes.COMMUNITY))
def test_committee_type_and_urban_reading_follow_digits_ten_to_twelve(code):
    n = int(code[9:12])
    unit_type = codes.unit_type_of(code, codes.COMMUNITY)
    if n < 200:
        assert unit_type == "residents" and codes.is_urban_by_committee(code) is True
    elif n < 400:
        assert unit_type == "villagers" and codes.is_urban_by_committee(code) is False
    else:
        assert unit_type == "other" and codes.is_urban_by_committee(code) is None


@given(st.sampled_from(codes.LEVELS))
def test_a_parent_is_always_of_a_higher_level(level):
    assert all(parent < level for parent in codes.expected_parent_levels(level))


def test_towns_may_hang_under_a_county_or_a_prefecture_city():
    assert set(codes.expected_parent_levels(codes.STREET)) == {codes.COUNTY, codes.CITY}
    assert codes.level_of("441900003000") == codes.STREET  # 东莞 东城街道: county digits 00


@given(st.sampled_from(sorted(codes.URBAN_RURAL_CODES)))
def test_urban_rural_codes_read_1xx_as_urban_and_2xx_as_rural(code):
    assert codes.is_urban_by_urban_rural_code(code) is code.startswith("1")
