import base64
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

from accounts import permissions
from common import formats
from common.addresses import address as reversed_address

register = template.Library()

# Pages of one key account, in stage order (labels translated when drawn). Pages whose app
# is not installed are left out.
ACCOUNT_TABS = [
    (gettext_noop("Overview"), "accounts:account_detail"),
    (gettext_noop("Profile"), "discovery:profile"),
    (gettext_noop("Stakeholders"), "discovery:stakeholders"),
    (gettext_noop("Profitability"), "discovery:profitability"),
    (gettext_noop("Opportunities"), "opportunities:account_opportunities"),
    (gettext_noop("Plan"), "planning:plan"),
    (gettext_noop("Meetings"), "delivery:account_meetings"),
    (gettext_noop("Quotes"), "delivery:account_quotes"),
    (gettext_noop("Value"), "outcomes:value_list"),
    (gettext_noop("Issues"), "outcomes:issue_list"),
    (gettext_noop("Timeline"), "delivery:timeline"),
    (gettext_noop("Customer"), "workspace_team:satisfaction"),
    (gettext_noop("Team"), "organisation:team"),
    (gettext_noop("History"), "audit:account_history"),
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
        # `active` is the English label the page names itself by; the tab shows it translated.
        tabs.append({"label": gettext(label), "url": url, "active": label == active})
    return {"tabs": tabs, "account": account}


@register.simple_tag(name="address")
def address_tag(name: str, pk) -> str:
    """`{% url name pk %}` for a pattern taking one integer id, reversed once per process
    (common.addresses): for addresses drawn once per row."""
    return reversed_address(name, pk)


@register.filter
def unit_price(value) -> str:
    """A price per unit, 2 to 4 decimals, in the reader's number format (common.formats)."""
    return formats.unit_price(value)


@register.filter
def quantity(value) -> str:
    """A number of units as many decimals as it has: '5,200', '2.5' (common.formats)."""
    return formats.quantity(value)


@register.filter
def figure(value) -> str:
    """A snapshot's number ("6472000.00", kept as text) in the reader's number format:
    '6,472,000.00' in English, '6 472 000,00' in French; empty stays empty."""
    if value is None or value == "":
        return ""
    try:
        return formats.number(Decimal(str(value)))
    except InvalidOperation:
        return str(value)


@register.filter
def number(value, decimal_pos=None) -> str:
    """A number that can be negative, as pages write it: '−5' with the minus sign (Django's
    own `{{ value }}` writes a hyphen), the reader's separators; empty stays empty."""
    if value is None or value == "":
        return ""
    return formats.number(value, decimal_pos)


@register.filter
def signed(value, decimal_pos=None) -> str:
    """A change: '+5', '−3', '0' (common.formats.signed); empty stays empty."""
    if value is None or value == "":
        return ""
    return formats.signed(value, decimal_pos)


@register.filter
def money(value, currency: str = "EUR") -> str:
    """A sum in whole units: 'EUR 1,234,568' in English, '1 234 568 €' in French."""
    return formats.money(value, currency)


@register.filter
def svg_data_uri(svg: str) -> str:
    """An SVG drawing as a `data:` URL for an `<img>` of a print template. WeasyPrint then
    parses it as XML alone, instead of taking every node of it through the HTML parser and
    the document's cascade as it does for inline `<svg>` (bench/README.md, Findings)."""
    encoded = base64.b64encode(str(svg).strip().encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"  # base64: nothing for autoescape to change


@register.simple_tag
def list_separator() -> str:
    """The "; " between the items of a list drawn in a template, as the language writes it (a
    no-break space before it in French): planning.rules' lists use the same message."""
    return formats.listed(["", ""])


@register.simple_tag
def colon() -> str:
    """The colon between a label and what follows it, as the language writes it (": " in
    English, a no-break space before it in French), where one side is markup and so cannot be
    a value of the catalogue's "%(name)s: %(value)s" (a bold figure, a list of codes): the
    separator that message puts between its two values."""
    return formats.labelled("", "")
