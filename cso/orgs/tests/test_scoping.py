from datetime import date

from cso.core.scoping import CHANGE
from cso.orgs import services
from cso.orgs.models import Leader, Organization, OrgStateSpan, StatusChange

from .factories import FOREIGN_COMMUNITY, id_number, make_filed, make_registered


def build(cast):
    home = make_filed(cast["street"], leaders=[{"name": "李四", "id_number": id_number()}])
    county_level = make_registered(cast["registrar"], division="450102000000")
    foreign = make_filed(cast["superuser"], division=FOREIGN_COMMUNITY, leaders=[{"name": "外区负责人"}])
    services.change_status(foreign, "abnormal", date(2024, 1, 1), "未报年报", cast["superuser"])
    return home, county_level, foreign


def test_an_outsider_never_sees_foreign_organizations_or_their_rows(cast):
    home, _county_level, foreign = build(cast)
    for name in ("county", "street", "community", "organization", "operator"):
        user = cast[name]
        assert foreign not in Organization.objects.visible_to(user)
        assert not OrgStateSpan.objects.visible_to(user).filter(organization=foreign).exists()
        assert not StatusChange.objects.visible_to(user).filter(organization=foreign).exists()
        assert not Leader.objects.visible_to(user).filter(organization=foreign).exists()
    for name in ("outsider_county", "outsider_street", "outsider_community"):
        assert home not in Organization.objects.visible_to(cast[name])
        assert not Leader.objects.visible_to(cast[name]).filter(organization=home).exists()


def test_each_level_sees_its_subtree(cast):
    home, county_level, foreign = build(cast)
    assert set(Organization.objects.visible_to(cast["county"])) == {home, county_level}
    assert set(Organization.objects.visible_to(cast["street"])) == {home}
    assert set(Organization.objects.visible_to(cast["city"])) == {home, county_level, foreign}
    assert set(Organization.objects.visible_to(cast["outsider_street"])) == set()
    assert set(Organization.objects.within("450103")) == {foreign}


def test_only_staff_may_change_organizations(cast):
    home, _, _ = build(cast)
    assert home in Organization.objects.visible_to(cast["community"], CHANGE)
    assert not Organization.objects.visible_to(cast["organization"], CHANGE).exists()
    assert not OrgStateSpan.objects.visible_to(cast["superuser"], CHANGE).exists()


def test_moving_an_organization_out_of_ones_subtree_is_refused(cast):
    home, _, _ = build(cast)
    from django.core.exceptions import PermissionDenied

    try:
        services.update_organization(home, {"division": FOREIGN_COMMUNITY}, cast["street"])
    except PermissionDenied as exc:
        assert "不在您的管辖范围内" in str(exc)
    else:
        raise AssertionError("a street clerk moved an organization into a foreign county")
    home.refresh_from_db()
    assert home.division_id != FOREIGN_COMMUNITY
