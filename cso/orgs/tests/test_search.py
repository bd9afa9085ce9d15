"""Search on the list page: name substring, pinyin and initials, credit code, leader name."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from .factories import FOREIGN_COMMUNITY, id_number, make_filed, make_registered

LIST = reverse("orgs:list")


@pytest.fixture
def orgs(cast):
    county = cast["superuser"]  # setting up: the registering and filing bodies act through the superuser
    return {
        "elderly": make_registered(county, name="兴宁区老年协会",
                                   leaders=[{"name": "王建国", "id_number": id_number(), "role": "legal_rep"}]),
        "dance": make_filed(county, name="北宁社区广场舞队", leaders=[{"name": "欧阳娜娜"}]),
        "foreign": make_filed(cast["superuser"], name="新竹社区老年协会", division=FOREIGN_COMMUNITY,
                              leaders=[{"name": "王建国"}]),
    }


def found(client, q) -> set[str]:
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    return {o.name for o in response.context["page"].rows}


def test_a_name_substring_finds_the_organization(orgs, cast, login):
    assert found(login(cast["county"]), "老年") == {"兴宁区老年协会"}


@pytest.mark.parametrize("q", ["laonian", "lnxh", "LNXH", "laonianxiehui", "xnq"])
def test_pinyin_and_initials_find_the_elderly_association(orgs, cast, login, q):
    assert "兴宁区老年协会" in found(login(cast["county"]), q)


def test_pinyin_does_not_match_unrelated_names(orgs, cast, login):
    assert found(login(cast["county"]), "guangchangwu") == {"北宁社区广场舞队"}
    assert found(login(cast["county"]), "zzzz") == set()


def test_a_full_credit_code_or_a_prefix_finds_the_organization(orgs, cast, login):
    code = orgs["elderly"].credit_code
    client = login(cast["county"])
    assert found(client, code) == {"兴宁区老年协会"}
    assert found(client, code.lower()) == {"兴宁区老年协会"}
    assert found(client, code[:8]) == {"兴宁区老年协会"}


def test_the_uid_finds_a_filed_group(orgs, cast, login):
    assert found(login(cast["county"]), orgs["dance"].uid) == {"北宁社区广场舞队"}


def test_a_leader_name_or_its_beginning_finds_the_organization(orgs, cast, login):
    client = login(cast["county"])
    assert found(client, "王建国") == {"兴宁区老年协会"}
    assert found(client, "欧阳") == {"北宁社区广场舞队"}


def test_search_never_reaches_outside_the_users_division(orgs, cast, login):
    client = login(cast["county"])
    for q in ("新竹", "laonian", "xzsq", orgs["foreign"].uid, "王建国"):
        body = client.get(LIST, {"q": q}).content.decode()
        assert "新竹社区老年协会" not in body
    outsider = login(cast["outsider_county"])
    assert found(outsider, "王建国") == {"新竹社区老年协会"}
    assert found(outsider, orgs["elderly"].credit_code) == set()


@pytest.mark.parametrize("q", ["ＬＮＸＨ", "ｌａｏｎｉａｎ", " 老 年 ", "老　年", "\t老年\n", "兴宁区 老年协会"])
def test_full_width_letters_and_stray_spaces_search_as_the_plain_ones(orgs, cast, login, q):
    assert "兴宁区老年协会" in found(login(cast["county"]), q)


def test_a_full_width_or_spaced_credit_code_finds_the_organization(orgs, cast, login):
    code = orgs["elderly"].credit_code
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)
    spaced = f" {code[:6]} {code[6:12]}-{code[12:]} "
    client = login(cast["county"])
    assert found(client, wide) == {"兴宁区老年协会"}
    assert found(client, spaced) == {"兴宁区老年协会"}
    assert found(client, wide[:8]) == {"兴宁区老年协会"}


def test_the_too_short_national_search_gives_one_hint_that_does_not_contradict_itself(orgs, cast, login):
    from cso.orgs import queries

    client = login(cast["superuser"])
    for q in ("老年", " 老 年 ", "ＬＮ"):  # spaces and full width do not make a term longer
        response = client.get(LIST, {"q": q})
        html = response.content.decode()
        assert response.context["page"].rows == []
        assert html.count('data-testid="search-needs-division"') == 1 and queries.NATIONAL_TERM_NOTICE in html
        assert "一两个字" not in html and "没有符合条件" not in html
    # the htmx refresh of the results shows the same hint
    fragment = client.get(LIST, {"q": "老年"}, headers={"HX-Request": "true", "HX-Target": "org-results"})
    assert queries.NATIONAL_TERM_NOTICE in fragment.content.decode()
    assert "兴宁区老年协会" in {o.name for o in client.get(LIST, {"q": "老年协"}).context["page"].rows}


@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789老年协会社区 "),
               max_size=20))
def test_a_term_typed_full_width_or_with_extra_spaces_normalises_like_the_plain_one(text):
    from cso.orgs.search import normalize_term

    wide = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else "\u3000" if c == " " else c for c in text)
    assert normalize_term(wide) == normalize_term(text) == normalize_term(f"  {text} ")
    assert normalize_term(normalize_term(text)) == normalize_term(text)
    assert "  " not in normalize_term(text) and normalize_term(text) == normalize_term(text).strip()
