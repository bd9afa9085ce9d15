"""Browsing starts at the account's own division; national accounts start at the provinces."""

from django.urls import reverse


def test_browse_takes_a_county_clerk_to_their_county(cast, login):
    response = login(cast["county"]).get(reverse("regions:browse"))
    assert response.status_code == 302
    assert response.url == reverse("regions:detail", args=["450102000000"])


def test_browse_takes_a_community_clerk_to_their_community(cast, login):
    response = login(cast["community"]).get(reverse("regions:browse"))
    assert response.url == reverse("regions:detail", args=["450102001003"])


def test_browse_takes_an_organization_account_to_its_division(cast, login):
    response = login(cast["organization"]).get(reverse("regions:browse"), follow=True)
    assert response.status_code == 200
    assert "兴宁社区居委会" in response.content.decode()


def test_browse_shows_the_provinces_to_a_superuser(cast, login):
    response = login(cast["superuser"]).get(reverse("regions:browse"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "全国行政区划" in body
    assert 'data-code="450000000000"' in body
    assert "广西壮族自治区" in body


def test_browse_asks_anonymous_visitors_to_sign_in(tree, client):
    response = client.get(reverse("regions:browse"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
