from cso.accounts.models import User
from cso.core.scoping import CHANGE, Scope
from cso.regions.models import Division


def test_a_county_user_sees_only_its_county(cast):
    visible = set(Division.objects.visible_to(cast["county"]).values_list("code", flat=True))
    assert "450102001003" in visible
    assert "450102000000" in visible
    assert "450103000000" not in visible
    assert "450103001005" not in visible
    assert all(code.startswith("450102") for code in visible)


def test_a_superuser_sees_the_whole_country(cast):
    assert Division.objects.visible_to(cast["superuser"]).count() == Division.objects.count()


def test_an_inactive_user_sees_nothing(cast):
    user = cast["county"]
    user.is_active = False
    assert Division.objects.visible_to(user).count() == 0


def test_an_organization_account_cannot_change_divisions(cast):
    assert Division.objects.visible_to(cast["organization"], CHANGE).count() == 0
    assert Division.objects.visible_to(cast["street"], CHANGE).filter(code="450102001003").exists()


def test_users_are_scoped_by_their_division(cast):
    visible = set(User.objects.visible_to(cast["county"]).values_list("username", flat=True))
    assert "street" in visible
    assert "outsider_county" not in visible
    assert "outsider_community" not in visible
    assert "superuser" not in visible


def test_scope_contains_uses_the_prefix(cast):
    scope = Scope.for_user(cast["street"])
    assert scope.prefix == "450102001"
    assert scope.contains("450102001201")
    assert not scope.contains("450102002001")
