import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cso.accounts import services
from cso.accounts.choices import Role
from cso.accounts.models import User
from cso.regions.models import Division

URL = reverse("accounts:user_create")


def form(**overrides):
    data = {
        "username": "new_clerk", "full_name": "新办事员", "role": Role.STREET, "division": "450102002000",
        "phone": "0771-5551234", "title": "民政办", "password1": "", "password2": "",
    }
    data.update(overrides)
    return data


def test_a_county_manager_creates_a_street_account_in_its_county(cast, login):
    client = login(cast["county"])
    response = client.post(URL, form())
    user = User.objects.get(username="new_clerk")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.division_id == "450102002000"
    assert user.role == Role.STREET
    assert user.must_change_password is True
    assert user.created_by == cast["county"]
    record = user.history.get()
    assert record.history_user == cast["county"]
    assert record.history_change_reason == "新建账号"


def test_a_generated_temporary_password_is_shown_once_and_works(cast, login):
    client = login(cast["county"])
    response = client.post(URL, form(), follow=True)
    temp = response.context["temp_password"]
    assert temp and temp in response.content.decode()
    assert User.objects.get(username="new_clerk").check_password(temp)
    again = client.get(reverse("accounts:user_detail", args=[User.objects.get(username="new_clerk").pk]))
    assert temp not in again.content.decode()


def test_a_typed_temporary_password_is_used(cast, login):
    client = login(cast["county"])
    client.post(URL, form(password1="Typed-pass-88", password2="Typed-pass-88"))
    assert User.objects.get(username="new_clerk").check_password("Typed-pass-88")


def test_the_sibling_county_is_not_allowed(cast, login):
    client = login(cast["county"])
    response = client.post(URL, form(division="450103001000"))
    assert response.status_code == 200
    assert "不在您的管辖范围内" in response.content.decode()
    assert not User.objects.filter(username="new_clerk").exists()


@pytest.mark.parametrize("code", ["450100000000", "450000000000"])
def test_a_county_manager_cannot_create_a_city_or_province_account(cast, login, code):
    client = login(cast["county"])
    response = client.post(URL, form(role=Role.CIVIL_AFFAIRS, division=code))
    assert response.status_code == 200
    assert not User.objects.filter(username="new_clerk").exists()


def test_a_street_manager_cannot_create_a_civil_affairs_account(cast, login):
    client = login(cast["street"])
    response = client.post(URL, form(role=Role.CIVIL_AFFAIRS, division="450102001000"))
    assert response.status_code == 200
    assert not User.objects.filter(username="new_clerk").exists()
    assert (Role.CIVIL_AFFAIRS, Role.CIVIL_AFFAIRS.label) not in services.assignable_roles(cast["street"])


def test_a_street_role_on_a_community_division_is_a_level_error(cast, login):
    client = login(cast["county"])
    response = client.post(URL, form(role=Role.STREET, division="450102001003"))
    assert response.status_code == 200
    assert "只能绑定在街道（乡镇）一级" in response.content.decode()
    assert not User.objects.filter(username="new_clerk").exists()


def test_only_a_superuser_creates_system_administrators(cast, login):
    client = login(cast["province"])
    response = client.post(URL, form(role=Role.ADMIN, division="450102000000"))
    assert response.status_code == 200
    assert not User.objects.filter(username="new_clerk").exists()
    client = login(cast["superuser"])
    response = client.post(URL, form(role=Role.ADMIN, division="450102000000"))
    assert response.status_code == 302
    assert User.objects.get(username="new_clerk").role == Role.ADMIN


def test_a_taken_user_name_is_refused(cast, login):
    client = login(cast["county"])
    response = client.post(URL, form(username="STREET"))
    assert response.status_code == 200
    assert "该用户名已被使用" in response.content.decode()


def test_an_unknown_code_is_refused(cast, login):
    client = login(cast["county"])
    response = client.post(URL, form(division="450102999000"))
    assert "不存在或不在您的管辖范围内" in response.content.decode()


# --- the same rules in the service layer --------------------------------------------------


def test_the_service_refuses_a_division_outside_the_subtree(cast):
    foreign = Division.objects.get(code="450103001000")
    with pytest.raises(ValidationError) as error:
        services.create_user(cast["county"], username="x1", role=Role.STREET, division=foreign)
    assert "division" in error.value.error_dict
    assert not User.objects.filter(username="x1").exists()


def test_the_service_refuses_a_role_above_the_manager(cast):
    county = Division.objects.get(code="450102000000")
    with pytest.raises(ValidationError) as error:
        services.create_user(cast["street"], username="x2", role=Role.CIVIL_AFFAIRS, division=county)
    assert "division" in error.value.error_dict or "role" in error.value.error_dict
    street = Division.objects.get(code="450102001000")
    assert services.create_user(cast["street"], username="x3", role=Role.STREET, division=street).user.pk


def test_the_service_refuses_a_role_at_the_wrong_level(cast):
    community = Division.objects.get(code="450102001003")
    with pytest.raises(ValidationError) as error:
        services.create_user(cast["county"], username="x4", role=Role.STREET, division=community)
    assert "role" in error.value.error_dict


def test_the_service_refuses_rank_above_the_manager_inside_the_subtree(cast):
    # A county manager binding a civil-affairs account to its own county is fine (same rank) …
    county = Division.objects.get(code="450102000000")
    assert services.create_user(cast["county"], username="peer", role=Role.CIVIL_AFFAIRS, division=county)
    # … but a county-level system administrator ranks above it.
    with pytest.raises(ValidationError):
        services.create_user(cast["county"], username="boss", role=Role.ADMIN, division=county)


def test_the_service_refuses_weak_typed_passwords(cast):
    street = Division.objects.get(code="450102001000")
    with pytest.raises(ValidationError):
        services.create_user(cast["county"], username="x5", role=Role.STREET, division=street, password="12345678")
