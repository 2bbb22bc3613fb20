from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse

from accounts import permissions

register = template.Library()

# Pages of one key account, in stage order. Pages whose app is not installed are left out.
ACCOUNT_TABS = [
    ("Overview", "accounts:account_detail"),
    ("Profile", "discovery:profile"),
    ("Stakeholders", "discovery:stakeholders"),
    ("Profitability", "discovery:profitability"),
    ("Opportunities", "opportunities:account_opportunities"),
    ("Plan", "planning:plan"),
    ("Meetings", "delivery:account_meetings"),
    ("Quotes", "delivery:account_quotes"),
    ("Value", "outcomes:value_list"),
    ("Issues", "outcomes:issue_list"),
    ("Timeline", "delivery:timeline"),
    ("Customer", "workspace_team:satisfaction"),
    ("Team", "organisation:team"),
    ("History", "audit:account_history"),
]


def _can_view_account(user, account) -> bool:
    return permissions.can(user, permissions.VIEW, account)


# Tabs are shown only to those who may open them (a programme admin outside the team reads
# the team and history pages, not the account's own pages); the views refuse the others.
TAB_RULES = {
    "organisation:team": permissions.can_view_team,
    "audit:account_history": permissions.can_view_history,
}


@register.inclusion_tag("includes/account_tabs.html", takes_context=True)
def account_tabs(context, account, active: str = ""):
    request = context.get("request")
    user = getattr(request, "user", None)
    tabs = []
    for label, name in ACCOUNT_TABS:
        rule = TAB_RULES.get(name, _can_view_account)
        if user is None or not rule(user, account):
            continue
        try:
            url = reverse(name, args=[account.pk])
        except NoReverseMatch:
            continue
        tabs.append({"label": label, "url": url, "active": label == active})
    return {"tabs": tabs, "account": account}


@register.filter
def unit_price(value) -> str:
    """A price per unit: grouped, at least 2 and at most 4 decimals (12.5 -> '12.50',
    0.4375 -> '0.4375', 1234 -> '1,234.00'); empty -> '—'."""
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value).quantize(Decimal('0.0001')):,.4f}"
    for _ in range(2):
        if text.endswith("0"):
            text = text[:-1]
    return text


@register.filter
def money(value, currency: str = "EUR") -> str:
    """1234567.8 -> 'EUR 1,234,568' (whole units; the pages show sums, not cents)."""
    if value is None or value == "":
        return "—"
    try:
        amount = round(float(value))
    except (TypeError, ValueError):
        return str(value)
    sign = "−" if amount < 0 else ""
    return f"{sign}{currency} {abs(amount):,}"
