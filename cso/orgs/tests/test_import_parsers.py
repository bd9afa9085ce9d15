"""Property tests for the cell parsers of the import."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cso.orgs.importing import normalize_name, parse_date, parse_int, parse_money, split_multi

dates = st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))


@given(dates)
def test_dates_parse_in_every_documented_form(day):
    forms = [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日",
             f"{day.year}-{day.month}-{day.day}", day.strftime("%Y%m%d"), datetime(day.year, day.month, day.day),
             day, (day - date(1899, 12, 30)).days, f"{day.year}．{day.month}．{day.day}"]
    for form in forms:
        assert parse_date(form) == day


@given(st.text(max_size=20))
def test_a_date_parser_never_fails_with_anything_but_a_chinese_message(text):
    try:
        parse_date(text)
    except ValueError as exc:
        assert "日期" in str(exc)


def test_impossible_dates_are_named():
    with pytest.raises(ValueError, match="不存在"):
        parse_date("2023-02-29")
    assert parse_date(" ") is None


separators = st.sampled_from(["、", ",", "，", ";", "；", "/", "／", " 、 "])
terms = st.lists(st.text(alphabet="老年人儿童妇女残疾", min_size=1, max_size=5), min_size=1, max_size=6, unique=True)


@given(terms, separators)
def test_multi_values_split_on_any_separator_without_repeats(items, sep):
    assert split_multi(sep.join(items + items)) == items


@given(st.integers(min_value=0, max_value=2_000_000_000))
def test_integers_parse_from_numbers_and_text(n):
    assert parse_int(n) == n
    assert parse_int(float(n)) == n
    assert parse_int(str(n)) == n
    assert parse_int(f"{n:,}") == n
    assert parse_int(f"{n}人") == n


@given(st.integers(min_value=-10**6, max_value=-1))
def test_negative_integers_are_refused(n):
    with pytest.raises(ValueError, match="负数"):
        parse_int(n)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
def test_fractions_are_not_integers(x):
    with pytest.raises(ValueError):
        parse_int(x)


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_money_parses_with_commas_and_yuan(amount):
    assert parse_money(f"{amount:,}元") == amount
    assert parse_money(str(amount)) == amount


def test_money_in_ten_thousands():
    assert parse_money("0.5万") == Decimal("5000.00")


@given(st.text(max_size=30))
def test_name_normalisation_is_idempotent(name):
    assert normalize_name(normalize_name(name)) == normalize_name(name)


def test_excel_serial_dates():
    assert parse_date(45413) == date(2024, 5, 1)
    assert parse_date(45413.0) == date(2024, 5, 1)
    assert parse_date(1) == date(1899, 12, 30) + timedelta(days=1)
