from django.urls import reverse

URL = reverse("accounts:division_lookup")


def test_it_finds_divisions_of_the_subtree_by_name(cast, login):
    body = login(cast["county"]).get(URL + "?q=社区").content.decode()
    assert "450102001003" in body
    assert "兴宁社区居委会" in body
    assert "450103001005" not in body


def test_it_finds_divisions_by_code_prefix(cast, login):
    body = login(cast["county"]).get(URL + "?q=450102002").content.decode()
    assert "450102002000" in body and "450102002201" in body
    assert "450102001000" not in body


def test_foreign_codes_are_not_found(cast, login):
    body = login(cast["county"]).get(URL + "?q=450103").content.decode()
    assert "<option" not in body


def test_the_create_form_uses_the_lookup(cast, login):
    body = login(cast["county"]).get(reverse("accounts:user_create")).content.decode()
    assert 'list="division-options"' in body
    assert "cso/accounts.js" in body
    assert "<script>" not in body
