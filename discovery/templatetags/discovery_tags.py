from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def cents(value, currency: str = "EUR") -> str:
    """1234567.8 -> 'EUR 1,234,567.80': exact amounts where a reader checks the arithmetic."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "−" if amount < 0 else ""
    return f"{sign}{currency} {abs(amount):,.2f}"


@register.filter
def percent(value) -> str:
    """-3.5 -> '−3.5 %' (a true minus, as the money beside it); None -> '—'."""
    if value is None or value == "":
        return "—"
    sign = "−" if value < 0 else ""
    return f"{sign}{abs(value)} %"
