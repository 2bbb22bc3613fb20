import base64
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import formats as django_formats
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop

from accounts import permissions
from accounts.selectors import reader_time as reader_clock
from accounts.selectors import reader_zone_differs, user_time_zone
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


@register.simple_tag
def scroll_region(labelled_by: str, *suffix) -> str:
    """The attributes of a box that scrolls sideways inside the page (`.table-responsive`,
    `.chart-scroll`): `<div class="table-responsive" {% scroll_region "clv-caption" %}>`. A
    keyboard reaches it (tabindex 0) and scrolls it with the arrow keys, and a screen reader
    names it (a region labelled by the element with that id, usually the table's caption;
    WCAG 2.1.1, axe's scrollable-region-focusable). `suffix` values tell apart the boxes of a
    loop or of a repeated include: `{% scroll_region "targets" objective.pk %}` is labelled
    by id `targets-12`."""
    target = "-".join([labelled_by, *(str(part) for part in suffix)])
    return format_html('tabindex="0" role="region" aria-labelledby="{}"', target)


def _reader(context):
    """Who reads the page: the signed-in user of the request, else the template's `reader`
    (an e-mail or a PDF drawn for someone); None when nobody is known."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return context.get("reader")


@register.simple_tag(takes_context=True)
def reader_time(context, value, format_name: str = "SHORT_DATE_COMMA_TIME_FORMAT", named=False):
    """A recorded moment (`occurred_at`, `history_date`, `created_at`…) as the reader's clock
    read it, in `format_name`; with `named`, followed by their zone when it is not the
    programme's ("7 Dec 2026, 13:55 (Pacific/Auckland)"). The one way pages show such times:
    the `date` filter alone shows the server's (programme's) time, unnamed."""
    if not value:
        return ""
    if not isinstance(value, datetime) or timezone.is_naive(value):
        return django_formats.date_format(value, format_name)  # a day: no clock to convert
    reader = _reader(context)
    if reader is None:
        return django_formats.date_format(timezone.localtime(value), format_name)
    shown = django_formats.date_format(reader_clock(value, reader), format_name)
    if named and reader_zone_differs(reader):
        return f"{shown} ({user_time_zone(reader).key})"
    return shown


@register.simple_tag(takes_context=True)
def reader_zone_note(context) -> str:
    """Above a list of recorded times: which zone they are in, when the reader's is not the
    programme's (otherwise nothing: the pages' times are the programme's, as everywhere)."""
    reader = _reader(context)
    if reader is None or not reader_zone_differs(reader):
        return ""
    return gettext("Times are in your time zone (%(zone)s).") % {"zone": user_time_zone(reader).key}
