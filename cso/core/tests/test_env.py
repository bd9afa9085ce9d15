"""Settings read from the environment."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cso.env import env_quarter_days

DEFAULT = {1: "03-20", 2: "06-20", 3: "09-20", 4: "12-20"}


def test_quarter_days_default_when_unset(monkeypatch):
    monkeypatch.delenv("CSO_X", raising=False)
    assert env_quarter_days("CSO_X", DEFAULT) == DEFAULT


def test_quarter_days_override_only_the_quarters_given(monkeypatch):
    monkeypatch.setenv("CSO_X", "1:4-5, 4:12-31")
    assert env_quarter_days("CSO_X", DEFAULT) == {1: "04-05", 2: "06-20", 3: "09-20", 4: "12-31"}


@pytest.mark.parametrize("value", ["5:06-20", "2:0620", "2:13-01", "2:06-32", "q2:06-20", "2:06-x"])
def test_quarter_days_refuse_what_is_not_a_quarter_and_a_day(monkeypatch, value):
    monkeypatch.setenv("CSO_X", value)
    with pytest.raises(ValueError, match="CSO_X"):
        env_quarter_days("CSO_X", DEFAULT)


@given(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20))
def test_quarter_days_either_parse_to_valid_days_or_name_the_setting(value):
    import os

    os.environ["CSO_Y"] = value
    try:
        days = env_quarter_days("CSO_Y", DEFAULT)
    except ValueError as exc:
        assert "CSO_Y" in str(exc)
    else:
        assert set(days) == {1, 2, 3, 4}
        assert all(len(day) == 5 and day[2] == "-" for day in days.values())
    finally:
        del os.environ["CSO_Y"]
