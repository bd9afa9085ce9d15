from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cso.orgs import services
from cso.orgs.models import StatusChange

from .factories import make_filed, make_registered


def test_a_status_change_is_a_row_with_who_when_why_and_effective_date(cast):
    org = make_registered(cast["registrar"])
    change = services.change_status(org, "abnormal", date(2024, 6, 1), "未按时报送年度报告", cast["registrar"])
    org.refresh_from_db()
    assert org.status == "abnormal"
    assert (change.from_status, change.to_status, change.effective_date) == ("active", "abnormal", date(2024, 6, 1))
    assert change.reason == "未按时报送年度报告"
    assert change.recorded_by == cast["registrar"]
    assert change.recorded_at is not None


@pytest.mark.parametrize(
    "path",
    [
        ["abnormal", "active"],
        ["abnormal", "suspended", "active"],
        ["suspended", "deregistered"],
        ["abnormal", "revoked"],
        ["cleared"],
    ],
)
def test_allowed_transitions_go_through(cast, path):
    org = make_registered(cast["registrar"])
    for i, status in enumerate(path):
        services.change_status(org, status, date(2024, 1, 1) + timedelta(days=i), "依规办理", cast["registrar"])
    org.refresh_from_db()
    assert org.status == path[-1]
    assert StatusChange.objects.filter(organization=org).count() == len(path) + 1


def test_a_final_status_cannot_be_left(cast):
    org = make_registered(cast["registrar"])
    services.change_status(org, "deregistered", date(2024, 1, 1), "自行注销", cast["registrar"])
    with pytest.raises(ValidationError, match="该组织已注销，状态不能再变更"):
        services.change_status(org, "active", date(2024, 2, 1), "恢复", cast["registrar"])


def test_suspended_cannot_become_abnormal_directly(cast):
    org = make_registered(cast["registrar"])
    services.change_status(org, "suspended", date(2024, 1, 1), "责令停止活动", cast["registrar"])
    with pytest.raises(ValidationError, match="不能从“停止活动”变更为“活动异常”"):
        services.change_status(org, "abnormal", date(2024, 2, 1), "列入异常", cast["registrar"])


def test_a_filed_group_has_no_registration_to_revoke(cast):
    org = make_filed(cast["street"])
    with pytest.raises(ValidationError, match="备案类组织没有登记可撤销"):
        services.change_status(org, "revoked", date(2024, 1, 1), "撤销", cast["superuser"])
    services.change_status(org, "cleared", date(2024, 1, 1), "长期不开展活动，予以清理", cast["street"])


def test_a_reason_is_required(cast):
    org = make_registered(cast["registrar"])
    with pytest.raises(ValidationError, match="请填写状态变更的原因"):
        services.change_status(org, "abnormal", date(2024, 1, 1), " ", cast["registrar"])


def test_the_effective_date_lies_between_the_start_and_today(cast):
    org = make_registered(cast["registrar"], registered_on=date(2020, 5, 1))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.change_status(org, "abnormal", date.today() + timedelta(days=1), "原因", cast["registrar"])
    with pytest.raises(ValidationError, match="不能早于该组织的登记（备案）日期2020-05-01"):
        services.change_status(org, "abnormal", date(2020, 4, 30), "原因", cast["registrar"])


def test_a_status_change_cannot_be_slipped_in_before_a_later_one(cast):
    org = make_registered(cast["registrar"])
    services.change_status(org, "abnormal", date(2024, 6, 1), "未报年报", cast["registrar"])
    with pytest.raises(ValidationError, match="在2024-06-01已有一次状态变更"):
        services.change_status(org, "suspended", date(2024, 3, 1), "倒签", cast["registrar"])


def test_only_staff_in_scope_change_a_status(cast):
    org = make_registered(cast["registrar"])
    for name in ("organization", "outsider_county", "outsider_street"):
        with pytest.raises(PermissionDenied):
            services.change_status(org, "abnormal", date(2024, 1, 1), "原因", cast[name])
    org.refresh_from_db()
    assert org.status == "active"


def test_a_deregistered_organization_cannot_be_edited(cast):
    org = make_registered(cast["registrar"])
    services.change_status(org, "deregistered", date(2024, 1, 1), "自行注销", cast["registrar"])
    with pytest.raises(ValidationError, match="已注销，其信息不能再修改"):
        services.update_organization(org, {"address": "新地址"}, cast["registrar"])


def test_status_and_track_are_not_edited_directly(cast):
    org = make_registered(cast["registrar"])
    with pytest.raises(ValidationError, match="须通过专门的办理流程变更"):
        services.update_organization(org, {"status": "deregistered"}, cast["registrar"])
