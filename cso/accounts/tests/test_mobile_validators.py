"""validate_mobile accepts exactly the mainland mobile numbers (11 digits, 1[3-9]…); mask_mobile shows 138****5678."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cso.accounts.validators import mask_mobile, validate_mobile

mobiles = st.builds(lambda second, rest: f"1{second}{rest}", st.sampled_from("3456789"),
                    st.text("0123456789", min_size=9, max_size=9))


@given(mobiles)
def test_every_mainland_mobile_number_is_accepted_and_masked_keeping_its_ends(number):
    assert validate_mobile(number) == number
    assert validate_mobile(f"+86 {number[:3]}-{number[3:7]}-{number[7:]}") == number
    masked = mask_mobile(number)
    assert masked == f"{number[:3]}****{number[7:]}" and len(masked) == 11


@given(st.text(max_size=15))
def test_anything_else_is_refused_with_a_chinese_message(text):
    from cso.accounts.validators import MOBILE_RE, normalize_mobile

    if MOBILE_RE.match(normalize_mobile(text)):
        return
    with pytest.raises(ValidationError) as caught:
        validate_mobile(text)
    assert "手机号码" in caught.value.messages[0]


@pytest.mark.parametrize("bad", ["12812345678", "1381234567", "138123456789", "10012345678", "abcdefghijk", ""])
def test_known_bad_numbers(bad):
    with pytest.raises(ValidationError):
        validate_mobile(bad)


def test_mask_mobile_example():
    assert mask_mobile("13812345678") == "138****5678"
