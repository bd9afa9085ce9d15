"""Domain operations of the statistics app: setting and clearing targets, and the province's urban
rule — with the permission checks, so that pages and the API share them. Every change is kept by
simple-history with the user who made it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cso.accounts.responsibilities import can, require
from cso.core.scoping import Scope
from cso.regions import codes
from cso.regions.models import Division

from .choices import BaseLevels, TargetKey, UrbanRule
from .forms import validate_target_value
from .models import ProvinceSetting, Target
from .targets import effective_targets

TARGET_ROLES = ("admin", "civil_affairs")


def can_set_targets(user, division: Division | None) -> bool:
    """Civil-affairs and administrator accounts, for their own division and its subtree."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if getattr(user, "role", None) not in TARGET_ROLES or division is None:
        return False
    return Scope.for_user(user).contains(division.code)


def can_set_urban_rule(user, province: Division | None) -> bool:
    """The province's own civil-affairs (or administrator) accounts, or a superuser: the responsibilities
    table's ``stats.settings`` (the urban rule and the incubation bases' levels)."""
    if province is None or province.level != codes.PROVINCE:
        return False
    return can(user, "stats.settings", ProvinceSetting(division=province))


@transaction.atomic
def set_target(user, division: Division, year: int, key: str, value: Decimal, note: str = "") -> Target:
    if not can_set_targets(user, division):
        raise PermissionDenied("您的账号无权设置该区划的目标值。")
    key = TargetKey(key)
    errors = validate_target_value(key, value)
    if not errors and key in (TargetKey.INCUBATION_BASES_MIN, TargetKey.INCUBATION_BASES_MAX):
        current = effective_targets(division.code, year)
        low = value if key == TargetKey.INCUBATION_BASES_MIN else current[TargetKey.INCUBATION_BASES_MIN].value
        high = value if key == TargetKey.INCUBATION_BASES_MAX else current[TargetKey.INCUBATION_BASES_MAX].value
        if low > high:
            errors.append(f"孵化基地数下限（{low}）不能大于上限（{high}）。")
    if errors:
        raise ValidationError({"value": errors})
    target = Target.objects.select_for_update().filter(division=division, year=year, key=key).first()
    if target is None:
        target = Target(division=division, year=year, key=key)
    target.value = value
    target.note = (note or "").strip()
    target.updated_by = user
    target._history_user = user
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def clear_target(user, division: Division, year: int, key: str) -> bool:
    """Remove the division's own value (it inherits again). True if there was one."""
    if not can_set_targets(user, division):
        raise PermissionDenied("您的账号无权设置该区划的目标值。")
    target = Target.objects.filter(division=division, year=year, key=TargetKey(key)).first()
    if target is None:
        return False
    target._history_user = user
    target.delete()
    return True


@transaction.atomic
def set_urban_rule(user, province: Division, rule: str) -> ProvinceSetting:
    if not can_set_urban_rule(user, province):
        raise PermissionDenied("只有省级民政部门工作人员或系统管理员可以设置本省的城市社区口径。")
    setting = ProvinceSetting.objects.select_for_update().filter(division=province).first()
    if setting is None:
        setting = ProvinceSetting(division=province)
    setting.urban_rule = UrbanRule(rule)
    setting.updated_by = user
    setting._history_user = user
    setting.save()
    return setting


@transaction.atomic
def set_base_levels(user, province: Division, levels: str) -> ProvinceSetting:
    """Which incubation bases count toward seed 000's 1–2 per county in this province."""
    setting = ProvinceSetting.objects.select_for_update().filter(division=province).first()
    if setting is None:
        setting = ProvinceSetting(division=province)
    if province.level != codes.PROVINCE:
        raise PermissionDenied("孵化基地计数口径按省设置。")
    require(user, "stats.settings", setting)
    setting.base_levels = BaseLevels(levels)
    setting.updated_by = user
    setting._history_user = user
    setting.save()
    return setting
