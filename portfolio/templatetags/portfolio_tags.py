"""The dashboard's repeated list items drawn in Python: a "Why" list on 25 rows and 40 matrix
marks with their list. As template loops they cost a `{% blocktranslate %}` (a catalogue
walk), a context push and a dozen variable lookups per item, ~40 % of the page's rendering
(bench/README.md, finding 26). The text, its translations and its escaping are the same as
the templates': each message is translated once per call, each value is localized and escaped
as `{{ value }}` would be."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from common.formats import money

register = template.Library()

DAY = "j M Y"


def _show(value, *, l10n: bool = True) -> str:
    """`value` as `{{ value }}` (or a `{% blocktranslate %}` variable) renders it."""
    return conditional_escape(localize(value, use_l10n=None if l10n else False))


def _safe(html: str) -> SafeString:
    # Every value in `html` went through _show; the rest is this module's markup and the
    # catalogue's messages, trusted as a template's {% blocktranslate %} trusts them.
    return mark_safe(html)  # noqa: S308


def _day(value) -> str:
    return _show(date_filter(value, DAY))


@register.simple_tag
def why_targets(targets) -> SafeString:
    """The `<li>` of each off-track target: KPI (objective): progress, due date."""
    way = gettext("%(progress)s %% of the way, %(expected)s %% expected")
    due = gettext("due %(date)s")
    items = []
    for target in targets:
        status = target.status
        progress = (
            ""
            if status.progress_percent is None
            else way
            % {
                "progress": _show(status.progress_percent),
                "expected": _show(status.expected_percent),
            }
        )
        items.append(
            f"<li>{_show(target.kpi)} ({_show(target.objective.title)}): {progress}, "
            f"{due % {'date': _day(target.due_on)}}</li>"
        )
    return _safe("".join(items))


@register.simple_tag
def why_actions(actions) -> SafeString:
    """The `<li>` of each overdue action: title, due date (owner)."""
    due = gettext("due %(date)s")
    items = []
    for action in actions:
        owner = f" ({_show(action.owner)})" if action.owner else ""
        items.append(
            f"<li>{_show(action.title)}, {due % {'date': _day(action.due_on)}}{owner}</li>"
        )
    return _safe("".join(items))


def _measure(point: dict, bubble: str, currency: str) -> str:
    if bubble == "profit":
        return gettext("net profit %(value)s") % {"value": _show(money(point["value"], currency))}
    return gettext("revenue %(value)s") % {"value": _show(money(point["value"], currency))}


@register.simple_tag
def matrix_list_items(matrix: dict, currency: str) -> SafeString:
    """The `<li>` of each plotted account under the matrix: name, class, size, health, and
    its class a year ago or less."""
    health = gettext("health %(score)s")
    no_plan = gettext("health no plan")
    was = gettext("was %(old)s until %(date)s")
    bubble = matrix["bubble"]
    items = []
    for p in matrix["points"]:
        account = p["account"]
        size = _measure(p, bubble, currency)
        if bubble == "profit" and account.latest_profit_year:
            size += f" ({_show(account.latest_profit_year)})"
        score = no_plan if p["score"] is None else health % {"score": _show(p["score"])}
        change = ""
        if p.get("change"):
            change = "; " + was % {
                "old": _show(p["old_label"]),
                "date": _day(p["change"].occurred_at),
            }
        items.append(
            f'<li><a href="{_show(account.get_absolute_url())}">{_show(account.name)}</a> — '
            f"{_show(p['class_label'])}, {size}, {score}{change}</li>"
        )
    return _safe("".join(items))


@register.simple_tag
def matrix_mark_title(point: dict, bubble: str, currency: str) -> SafeString:
    """The `<title>` text of one mark of the matrix (inside `{% localize off %}`)."""
    account = point["account"]
    customer = account.customer
    text = gettext(
        "%(number)s. %(name)s — %(class)s; attractiveness %(attractiveness)s, strength "
        "%(strength)s;"
    ) % {
        "number": _show(point["number"], l10n=False),
        "name": _show(account.name, l10n=False),
        "class": _show(point["class_label"], l10n=False),
        "attractiveness": _show(floatformat(customer.attractiveness_score, 0), l10n=False),
        "strength": _show(floatformat(customer.strength_score, 0), l10n=False),
    }
    value = _show(money(point["value"], currency), l10n=False)
    if bubble == "profit":
        size = gettext("net profit %(value)s") % {"value": value}
    else:
        size = gettext("revenue %(value)s") % {"value": value}
    if point["score"] is None:
        health = gettext("plan health no current plan")
    else:
        health = gettext("plan health %(score)s") % {"score": _show(point["score"], l10n=False)}
    return _safe(f"{text} {size}; {health}")
