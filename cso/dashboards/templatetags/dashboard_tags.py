from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value):
    """A statistic as shown on the dashboard: thousands separators, the engine's own decimals,
    '—' when it cannot be computed (for example a ratio over no population)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def compact(value):
    """A target or gap without trailing zeros (10.00 → 10, 4.50 → 4.5)."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return figure(value)
