"""Exact sums and shares on the Discovery pages, in the reader's number format
(common.formats: '1 234 567,80 €' and '32,0 %' in French)."""

from django import template

from common import formats

register = template.Library()


@register.filter
def cents(value, currency: str = "EUR") -> str:
    """1234567.8 -> 'EUR 1,234,567.80': exact amounts where a reader checks the arithmetic."""
    return formats.money_cents(value, currency)


@register.filter
def percent(value) -> str:
    """-3.5 -> '−3.5 %' (a true minus, as the money beside it); None -> '—'."""
    return formats.percent(value)
