"""What an organization's own account keeps up to date itself: how to reach it and when and where it
meets. Registered facts (name, leaders, scope, categories) change only by a 变更 application."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cso.accounts.responsibilities import require
from cso.core.validators import validate_phone

from .models import Organization

CONTACT_FIELDS = ("contact_name", "contact_phone", "address", "activity_schedule", "activity_place", "description")
REASON = "组织账号修改联系方式和活动信息"


@transaction.atomic
def update_contact(org: Organization, data: dict, user) -> list[str]:
    """Save the contact and activity fields of ``org`` (``orgs.edit_contact``), with a history record naming
    the account. Returns the labels of the fields changed (none: nothing is written)."""
    require(user, "orgs.edit_contact", org)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    values = {name: (data.get(name) or "").strip() for name in CONTACT_FIELDS if name in data}
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = validate_phone(values["contact_phone"])
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.messages}) from exc
    changed = [name for name, value in values.items() if getattr(org, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(org, name, values[name])
    org._history_user = user
    org._change_reason = REASON
    org.save(update_fields=[*changed, "updated_at"])
    return [str(Organization._meta.get_field(name).verbose_name) for name in changed]
