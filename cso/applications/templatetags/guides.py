"""``{% guide_box kind_code %}``: the collapsible 办事指南 of a kind on its application form (the signed-in
account's province)."""

from django import template

from cso.applications.guides import guide_for

register = template.Library()


@register.inclusion_tag("applications/includes/guide_box.html", takes_context=True)
def guide_box(context, kind_code):
    user = context.get("user")
    province = getattr(user, "division_id", None) if getattr(user, "is_authenticated", False) else None
    return {"guide": guide_for(kind_code, province)}
