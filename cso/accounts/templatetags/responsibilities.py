"""``{% my_duties user as duties %}``: what this account may do, from the responsibilities table (home pages)."""

from django import template

from cso.accounts import responsibilities as r

register = template.Library()


@register.simple_tag
def my_duties(user) -> list[dict]:
    """One line per action the account may do anywhere, with where (the reach and the tracks of its rows)."""
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for action in r.ACTIONS.values():
        if not r.can(user, action.code):
            continue
        if user.is_superuser:
            out.append({"code": action.code, "label": action.label, "where": "全国"})
            continue
        rows = r.duties_for(user, action.code)
        reaches = "；".join(dict.fromkeys(
            r.REACHES[d.reach] + (f"（{r.TRACKS[d.track]}）" if d.track else "") for d in rows))
        out.append({"code": action.code, "label": action.label, "where": reaches})
    return out
