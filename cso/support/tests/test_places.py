"""Support places (载体): staff create and edit them on pages, the registry's references are kept (a base is an
``orgs.IncubationBase``, every place an ``orgs.Venue``), the list filters, searches and exports, photos are checked by
content and served privately, an operator edits its own base only, and outsiders get 404s."""



import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cso.core.tests.test_filetypes import PNG
from cso.orgs.models import IncubationBase, Venue
from cso.orgs.tests.factories import make_filed
from cso.support.models import Place, PlacePhoto

from .helpers import COUNTY, STREET, link_base, make_base, make_place


def form(**extra):
    data = {"kind": "base", "level": "3", "name": "兴宁区社会组织孵化基地", "division": COUNTY, "address": "兴宁路1号",
            "area": "1200", "opening_hours": "周一至周五 9:00-17:30", "offers": ["office", "custody", "party"],
            "capacity": "20", "facility_type": ""}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_the_bureau_registers_a_county_base_kept_in_the_registry(cast, login):
    client = login(cast["county"])
    response = client.post(reverse("support:place_new"), form())
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Place.objects.get()
    assert place.offer_codes == ["office", "custody", "party"]
    assert IncubationBase.objects.get(pk=place.base_id).level == 3
    assert Venue.objects.get(pk=place.venue_id).name == "兴宁区社会组织孵化基地"
    page = client.get(reverse("support:place", args=[place.pk])).content.decode()
    assert "财务代管" in page and "孵化成效" in page
    # a base stays a base: the registry refers to it
    client.post(reverse("support:place_edit", args=[place.pk]), form(kind="facility", name="改名"))
    place.refresh_from_db()
    assert place.kind == "base" and place.name == "兴宁区社会组织孵化基地"


@pytest.mark.django_db
def test_a_base_needs_a_level(cast, login):
    response = login(cast["county"]).post(reverse("support:place_new"), form(level=""))
    assert response.status_code == 200 and not Place.objects.exists()
    assert "层级" in response.content.decode()


@pytest.mark.django_db
def test_the_list_filters_searches_pages_and_exports(cast, login):
    make_base(cast["superuser"], COUNTY, level=3, name="兴宁区孵化基地")
    make_place(cast["superuser"], STREET, kind="idle", name="原粮所闲置用房", free_of_charge=True, offers=",office,")
    make_place(cast["superuser"], "450102001003", kind="facility", facility_type="party", name="兴宁社区党群服务中心",
               offers=",activity,party,")
    make_place(cast["superuser"], "450103001005", kind="facility", name="新竹社区文化活动中心")
    client = login(cast["county"])
    body = client.get(reverse("support:places")).content.decode()
    assert body.count('data-testid="place-row"') == 3 and "新竹" not in body
    body = client.get(reverse("support:places"), {"offer": "party"}).content.decode()
    assert body.count('data-testid="place-row"') == 1
    body = client.get(reverse("support:places"), {"offer": "office"}).content.decode()
    assert body.count('data-testid="place-row"') == 2
    body = client.get(reverse("support:places"), {"kind": "base", "level": "3"}).content.decode()
    assert "兴宁区孵化基地" in body and body.count('data-testid="place-row"') == 1
    body = client.get(reverse("support:places"), {"q": "粮所"}).content.decode()
    assert "原粮所闲置用房" in body and body.count('data-testid="place-row"') == 1
    body = client.get(reverse("support:places"), {"division": STREET}).content.decode()
    assert body.count('data-testid="place-row"') == 2
    export = b"".join(client.get(reverse("support:places"), {"format": "csv", "kind": "idle"}).streaming_content)
    text = export.decode("utf-8-sig")
    assert "原粮所闲置用房" in text and "兴宁区孵化基地" not in text and "是" in text
    # a community clerk sees only its community; the organization account too, and cannot export
    body = login(cast["community"]).get(reverse("support:places")).content.decode()
    assert body.count('data-testid="place-row"') == 1
    assert login(cast["organization"]).get(reverse("support:places"), {"format": "csv"}).status_code == 403


@pytest.mark.django_db
def test_outsiders_get_404_and_operators_only_their_base(cast, login):
    base = make_base(cast["superuser"], STREET, level=4, name="民生街道孵化基地")
    other = make_base(cast["superuser"], STREET, level=4, name="另一基地")
    for name in ("outsider_county", "outsider_street", "outsider_community"):
        client = login(cast[name])
        assert client.get(reverse("support:place", args=[base.pk])).status_code == 404
        assert client.post(reverse("support:place_edit", args=[base.pk]), form(level="4")).status_code == 404
    operator = login(cast["operator"])
    assert operator.get(reverse("support:place", args=[base.pk])).status_code == 404
    link_base(cast["operator"], base)
    assert operator.get(reverse("support:place", args=[base.pk])).status_code == 200
    assert operator.get(reverse("support:place", args=[other.pk])).status_code == 404
    response = operator.post(reverse("support:place_edit", args=[base.pk]),
                             form(level="4", division=STREET, name="民生街道孵化基地", opening_hours="每天 8:00-20:00"))
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.opening_hours == "每天 8:00-20:00"
    assert operator.get(reverse("support:place_new")).status_code == 403
    body = operator.get(reverse("support:places")).content.decode()
    assert "民生街道孵化基地" in body and "另一基地" not in body


@pytest.mark.django_db
def test_photos_are_checked_by_content_and_served_only_to_who_may_see(cast, login):
    place = make_place(cast["superuser"], STREET, kind="centre", name="民生街道社会组织服务中心")
    client = login(cast["street"])
    fake = SimpleUploadedFile("photo.png", b"MZ this is a program", content_type="image/png")
    client.post(reverse("support:photo_add", args=[place.pk]), {"photo": fake})
    assert not PlacePhoto.objects.exists()
    client.post(reverse("support:photo_add", args=[place.pk]),
                {"photo": SimpleUploadedFile("门口.png", PNG, content_type="image/png"), "caption": "门口"})
    photo = PlacePhoto.objects.get()
    assert photo.content_type == "image/png"
    response = client.get(reverse("support:photo", args=[place.pk, photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert login(cast["outsider_street"]).get(reverse("support:photo", args=[place.pk, photo.pk])).status_code == 404
    login(cast["street"]).post(reverse("support:photo_remove", args=[place.pk, photo.pk]))
    assert not PlacePhoto.objects.exists()



@pytest.mark.django_db
def test_the_place_page_shows_the_organizations_registered_at_its_venue_in_scope(cast, login):
    place = make_place(cast["superuser"], "450102001003", kind="facility", name="兴宁社区党群服务中心")
    mine = make_filed(cast["superuser"], name="兴宁社区太极队", venue=place.venue)
    elsewhere = make_filed(cast["superuser"], name="新竹社区舞蹈队", division="450103001005", venue=place.venue)
    page = login(cast["street"]).get(reverse("support:place", args=[place.pk])).content.decode()
    assert mine.name in page and elsewhere.name not in page


@pytest.mark.django_db
def test_the_target_page_flags_counties_without_a_county_base(cast, login, settings):
    make_base(cast["superuser"], COUNTY, level=3, name="兴宁区孵化基地")
    make_base(cast["superuser"], "450102001000", level=4, name="街道级基地不计")
    body = login(cast["city"]).get(reverse("support:targets")).content.decode()
    assert body.count('data-testid="target-row"') == 2
    assert body.count('data-testid="target-missing"') == 1  # 青秀区 has none
    assert "1</strong> 个尚无县级孵化基地" in body
    settings.CSO_SUPPORT_BASE_TARGETS = {"": {"min": 1, "max": 2}, "45": {"min": 2, "max": 3}}
    body = login(cast["county"]).get(reverse("support:targets")).content.decode()
    assert body.count('data-testid="target-row"') == 1 and body.count('data-testid="target-missing"') == 1
    assert login(cast["street"]).get(reverse("support:targets")).status_code == 403


@pytest.mark.django_db
def test_the_home_page_of_a_bureau_names_the_counties_without_a_base(cast, login):
    make_base(cast["superuser"], COUNTY, level=3, name="兴宁区孵化基地")
    body = login(cast["city"]).get("/").content.decode()
    assert 'data-testid="panel-base-targets"' in body and "青秀区" in body
    assert 'data-testid="panel-base-targets"' not in login(cast["street"]).get("/").content.decode()
