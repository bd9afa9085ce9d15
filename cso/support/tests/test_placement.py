"""Placement by the street (issue 12: intake into a base is "application by the group or placement by the street"):
a street officer places an organization or a would-be group of its own street into any incubation base serving it —
its county's county-level base, its own street's base, a community base of its street — recorded as 街道安排 with
who and when; the base's operator and the county see the intake. A street cannot place into another county's (or
another street's) base, nor place an organization of another street."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cso.demo.testing import make_user
from cso.orgs.tests.factories import make_filed
from cso.support import services
from cso.support.models import Intake, Place

from .helpers import COMMUNITY, COUNTY, STREET, link_base, make_base

pytestmark = pytest.mark.django_db


def _form(base, **extra):
    data = {"base": base.pk, "division": COMMUNITY, "group_name": "兴宁社区手工编织队", "contact_name": "韦丽华",
            "contact_phone": "13800000031", "planned_track": "filed", "member_count": "9", "activity": "编织义卖"}
    data.update(extra)
    return data


def test_the_street_places_a_group_into_its_countys_base_seen_by_the_operator_and_the_county(cast, login):
    county_base = make_base(cast["superuser"], COUNTY, level=3, name="兴宁区社会组织孵化基地")
    own_base = make_base(cast["superuser"], STREET, level=4, name="民生街道孵化基地")
    community_base = make_base(cast["superuser"], COMMUNITY, level=5, name="兴宁社区孵化点")
    make_base(cast["superuser"], "450102002000", level=4, name="另一街道孵化基地")
    make_base(cast["superuser"], "450103000000", level=3, name="青秀区孵化基地")

    street = login(cast["street"])
    form = street.get(reverse("support:intake_place")).content.decode()
    for name in ("兴宁区社会组织孵化基地", "民生街道孵化基地", "兴宁社区孵化点"):
        assert name in form
    assert "另一街道孵化基地" not in form and "青秀区孵化基地" not in form
    assert set(Place.placeable_by(cast["street"])) == {county_base, own_base, community_base}

    response = street.post(reverse("support:intake_place"), _form(county_base))
    assert response.status_code == 302, response.content.decode()[:3000]
    intake = Intake.objects.get()
    assert (intake.base, intake.source, intake.state, intake.created_by) == (
        county_base, "placed", "incubating", cast["street"])
    assert intake.applied_on == intake.started_on == date.today()
    history = intake.history.get()
    assert history.history_user == cast["street"] and "街道安排" in history.history_change_reason
    page = street.get(reverse("support:intake", args=[intake.pk])).content.decode()
    assert "街道安排" in page and 'data-testid="intake-by"' in page and cast["street"].display_name in page
    # the street reads the page of the county base serving it (read-only), not another county's nor another street's
    assert reverse("support:place", args=[county_base.pk]) in page
    base_page = street.get(reverse("support:place", args=[county_base.pk])).content.decode()
    edit = reverse("support:place_edit", args=[county_base.pk])
    assert "兴宁区社会组织孵化基地" in base_page and edit not in base_page
    assert street.get(reverse("support:place_edit", args=[county_base.pk])).status_code == 404
    for other in Place.objects.filter(name__in=("另一街道孵化基地", "青秀区孵化基地")):
        assert street.get(reverse("support:place", args=[other.pk])).status_code == 404

    # the base's operator (a county-level operator linked to the base) and the county see the intake
    operator = make_user("county_base_operator", "operator", COUNTY)
    link_base(operator, county_base)
    for account in (operator, cast["county"]):
        client = login(account)
        assert "兴宁社区手工编织队" in client.get(reverse("support:intakes")).content.decode()
        assert client.get(reverse("support:intake", args=[intake.pk])).status_code == 200
        assert "兴宁社区手工编织队" in client.get(reverse("support:place", args=[county_base.pk])).content.decode()
    # the operator keeps the plan of its base's intake
    login(operator).post(reverse("support:milestone_add", args=[intake.pk]), {"title": "完成章程",
                                                                              "due_on": "2027-03-01"})
    assert intake.milestones.count() == 1


def test_the_street_places_an_organization_of_its_street_and_takes_an_applicant_into_the_county_base(cast, login):
    county_base = make_base(cast["superuser"], COUNTY, level=3, name="兴宁区社会组织孵化基地")
    org = make_filed(cast["superuser"], name="兴宁社区书画队", division=COMMUNITY)
    street = login(cast["street"])
    response = street.post(reverse("support:intake_place"), _form(county_base, group_name=org.name,
                                                                  organization=org.pk))
    assert response.status_code == 302
    assert Intake.objects.get(organization=org).base == county_base

    applied = Intake.objects.create(division_id=COMMUNITY, group_name="兴宁社区合唱队", contact_name="李",
                                    contact_phone="1", source="applied", state="applied", applied_on=date.today())
    street.post(reverse("support:intake_decide", args=[applied.pk]), {"decision": "accept", "base": county_base.pk})
    applied.refresh_from_db()
    assert applied.state == "incubating" and applied.base == county_base


def test_a_street_cannot_place_into_another_countys_or_streets_base_nor_an_organization_of_another_street(
        cast, login):
    foreign_base = make_base(cast["superuser"], "450103000000", level=3, name="青秀区孵化基地")
    other_street_base = make_base(cast["superuser"], "450102002000", level=4, name="另一街道孵化基地")
    county_base = make_base(cast["superuser"], COUNTY, level=3, name="兴宁区社会组织孵化基地")
    elsewhere = make_filed(cast["superuser"], name="另一街道舞蹈队", division="450102002001")
    street = login(cast["street"])
    for base in (foreign_base, other_street_base):
        assert street.post(reverse("support:intake_place"), _form(base)).status_code == 404
    response = street.post(reverse("support:intake_place"), _form(county_base, organization=elsewhere.pk))
    assert response.status_code == 200 and "组织" in response.content.decode()
    # a group of another street (its division outside the street) is refused too
    response = street.post(reverse("support:intake_place"), _form(county_base, division="450102002001"))
    assert response.status_code == 200
    assert not Intake.objects.exists()

    # the service refuses the same, whatever the form offered
    data = {"base": county_base, "group_name": "绕过表单", "contact_name": "x",
            "contact_phone": "1", "planned_track": "filed"}
    from cso.regions.models import Division

    with pytest.raises(ValidationError):
        services.place_intake(cast["street"], {**data, "division": Division.objects.get(code=COMMUNITY),
                                               "organization": elsewhere})
    with pytest.raises(ValidationError):
        services.place_intake(cast["street"], {**data, "division": Division.objects.get(code=COMMUNITY),
                                               "base": foreign_base})
    # another county's officer cannot place into this county's base, nor a community clerk at all
    assert login(cast["outsider_county"]).post(reverse("support:intake_place"), _form(county_base)).status_code == 404
    assert login(cast["community"]).post(reverse("support:intake_place"), _form(county_base)).status_code == 403
    assert not Intake.objects.exists()
