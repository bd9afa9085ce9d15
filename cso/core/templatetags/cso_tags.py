from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def number(value, digits: int = 0):
    """Chinese-style thousands separators; '—' for missing values."""
    if value is None or value == "":
        return "—"
    try:
        if digits:
            return f"{float(value):,.{int(digits)}f}"
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value
