"""The audit log's tab of account links and invitations (账号关联): who linked or unlinked which account to which
organization or base — by staff, by an accepted invitation or an approved application — and the invitations
sent and revoked, in the viewer's subtree."""

from __future__ import annotations

from django.core.paginator import Paginator

from cso.accounts.validators import mask_mobile
from cso.core.scoping import Scope

from .models import AccountInvitation, AccountLink

PAGE_SIZE = 50
TYPES = {"+": "建立", "~": "修改", "-": "解除"}


def _related(record, name: str, attr: str = ""):
    """A related object of a history record (or its attribute); "" when it was deleted since."""
    if getattr(record, f"{name}_id", None) is None:
        return ""
    try:
        obj = getattr(record, name)
    except Exception:  # the row is gone (historical foreign keys have no constraint)
        return "（已删除）"
    return getattr(obj, attr) if attr else obj


def build(request):
    scope = Scope.for_user(request.user)
    links = (AccountLink.history.filter(scope.q("division_id"))
             .select_related("history_user", "user", "organization", "base").order_by("-history_date", "-history_id"))
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"when": r.history_date, "what": f"账号关联{TYPES.get(r.history_type, '')}",
             "account": _related(r, "user", "username"), "target": _related(r, "organization") or _related(r, "base"),
             "role": r.get_role_display(), "reason": r.history_change_reason or "", "who": r.history_user}
            for r in page.object_list]
    invitations = (AccountInvitation.objects.visible_to(request.user).select_related("organization", "invited_by")
                   .order_by("-created_at", "-id")[:20])
    return "orgs/includes/audit_links.html", {
        "page_obj": page, "rows": rows,
        "invitations": [{"i": i, "phone": mask_mobile(i.phone)} for i in invitations],
    }


def register() -> None:
    from cso.accounts import audit

    audit.register("links", "账号关联", build)
