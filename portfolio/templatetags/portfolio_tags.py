"""The dashboard's repeated parts drawn in Python: the health table's 25 rows with their "Why"
lists, and 40 matrix marks with their list. As templates they cost a `{% blocktranslate %}`
(a catalogue walk), a context push and a dozen variable lookups per item: ~40 % of the page's
rendering for the lists (bench/README.md, finding 26), ~60 nodes and three includes a row for
the table (finding 29). The text, its translations and its escaping are the same as the
templates': each message is translated once per call, each value is localized and escaped as
`{{ value }}` would be."""

from datetime import date
from decimal import Decimal
from functools import lru_cache
from html import escape as html_escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext, pgettext

from common import formats
from common.addresses import address
from common.formats import money
from planning import rules as planning_rules

register = template.Library()

DAY = "SHORT_DATE_FORMAT"


def _show(value, *, l10n: bool = True) -> str:
    """`value` as `{{ value }}` (or a `{% blocktranslate %}` variable) renders it."""
    if type(value) is str:
        # What conditional_escape(localize(value)) gives for a plain string (localize leaves
        # it as it is), without `escape`'s lazy-argument wrapper: ~1 µs, not ~4, for ~1,500
        # names, labels and figures a page (bench/README.md, finding 37).
        return SafeString(html_escape(value))
    if type(value) is int:
        return _shown_int(value, l10n, get_language())
    return conditional_escape(localize(value, use_l10n=None if l10n else False))


# A page shows ~800 counts and ~250 days, mostly the same few values; localizing one costs
# ~8 µs (an int: three format look-ups) or ~30 µs (a day: a DateFormat, three month-name
# translations). Keyed by the active language, the only thing their text depends on here
# (dates, not moments: those depend on the time zone and are converted before).
@lru_cache(maxsize=4096)
def _shown_int(value: int, l10n: bool, language: str | None) -> str:
    return conditional_escape(localize(value, use_l10n=None if l10n else False))


@lru_cache(maxsize=4096)
def _shown_day(value: date, language: str | None) -> str:
    return _show(date_filter(value, DAY))


def _safe(html: str) -> SafeString:
    # Every value in `html` went through _show; the rest is this module's markup and the
    # catalogue's messages, trusted as a template's {% blocktranslate %} trusts them.
    return mark_safe(html)  # noqa: S308


def _day(value) -> str:
    """`{{ value|date:"SHORT_DATE_FORMAT" }}`: a date, or a moment's day in the current time
    zone (the template's filter converts a moment before formatting it; called from Python it
    does not, so a class change at 23:30 UTC showed the UTC day)."""
    if type(value) is date:
        return _shown_day(value, get_language())
    return _show(date_filter(template_localtime(value), DAY))


def _translated(text: str) -> str:
    """`{% translate %}`'s output for a text already translated (the caller writes
    `gettext("…")` itself, so that makemessages finds the message): escaped."""
    return conditional_escape(text)


@register.simple_tag
def filter_options(options, chosen) -> SafeString:
    """The `<option>`s of a filter's (value, label) pairs, `chosen` selected: as a template
    loop, ~7 nodes for each of ~200 people (bench/README.md, finding 37)."""
    return _safe(
        "".join(
            f'<option value="{_show(value)}"{" selected" if value == chosen else ""}>'
            f"{_show(label)}</option>"
            for value, label in options
        )
    )


@register.simple_tag
def why_list(why, account_id: int) -> SafeString:
    """A row's "Why": its off-track targets and overdue actions (portfolio/_why.html), each a
    link to what the director acts on: the target on the plan page, the action's own page."""
    off_track = overdue = ""
    if why.off_track:
        heading = _translated(gettext("Targets off track:"))
        targets = why_targets(why.off_track, account_id)
        off_track = f'<p class="mb-0">{heading}</p>\n<ul class="mb-1">{targets}</ul>'
    if why.overdue:
        heading = _translated(gettext("Overdue actions:"))
        actions = why_actions(why.overdue, account_id)
        overdue = f'<p class="mb-0">{heading}</p>\n<ul class="mb-1">{actions}</ul>'
    return _safe(f"{off_track}\n{overdue}")


def _flagged(count) -> str:
    """A count drawn in the overdue colour unless it is zero."""
    return f'<span class="text-overdue">{_show(count)}</span>' if count else "0"


def _to_plan(shown: str, count, plan: str, section: str, where: str) -> str:
    """A count the plan page lists (`section`: its actions, its objectives and targets) as a
    link there, unless it is zero: one click from the figure to what it counts. `where` names
    the account for a screen reader, for whom the column's many "1" links were alike."""
    if not count or not plan:
        return shown
    return f'<a href="{plan}#{section}">{shown}<span class="visually-hidden"> {where}</span></a>'


def _health_change(row) -> str:
    change = row.health_change
    if change is None:
        text = "—"
    elif change < 0:
        text = (
            f'<span class="text-overdue"><span aria-hidden="true">▼</span> '
            f"{_show(formats.signed(change))}</span>"
        )
    elif change > 0:
        text = f'<span aria-hidden="true">▲</span> {_show(formats.signed(change))}'
    else:
        text = "±0"
    if row.health_before is not None:
        was = gettext("(was %(before)s on %(date)s)") % {
            "before": _show(row.health_before),
            "date": _day(row.health_before_on),
        }
        text += f'<span class="visually-hidden"> {was}</span>'
    return text


@lru_cache(maxsize=64)
def _class_badge(classification: str, label: str, language: str | None) -> str:
    """includes/class_badge.html for a class and its label (and, for "Not classified", the
    language), drawn once per process rather than once per row (bench/README.md,
    finding 37): four classes, 25 rows a page."""
    return get_template("includes/class_badge.html").render(
        {"classification": classification, "label": label}
    )


def _when(value, today: date) -> str:
    """A moment's or date's day, short: `7 Dec` in `today`'s year, `7 Dec 2025` before it; the
    whole date stays readable by machines (`<time datetime>`)."""
    if type(value) is not date:
        value = template_localtime(value).date()
    if value.year == today.year:
        shown = _shown_month_day(value, get_language())
    else:
        shown = _shown_day(value, get_language())
    return f'<time datetime="{value.isoformat()}">{shown}</time>'


@lru_cache(maxsize=4096)
def _shown_month_day(value: date, language: str | None) -> str:
    return _show(date_filter(value, "MONTH_DAY_FORMAT"))


def _lines(*lines: str) -> str:
    """The lines of a cell that holds several of the table's figures (its heading has a sort
    link for each, in the same order)."""
    return "<br>".join(lines)


def _labelled(label: str, value: str) -> str:
    """`Director: Dana` with the label muted; "Directeur : Dana" in French."""
    name = f'<span class="text-body-secondary">{_translated(label)}</span>'
    return formats.labelled(name, value)


def _plan(row, plan_url: str, today: date) -> str:
    """The current plan (its period, a link to it, and its status), when it was last approved
    and when last reviewed."""
    if not row.plan_id:
        no_plan = _translated(gettext("No plan"))
        return f'<span class="text-body-secondary">{no_plan}</span>'
    plan = f'<a href="{plan_url}">{_show(row.plan_period)}</a> · {_show(row.plan_status_label)}'
    if row.last_approved_at:
        approved = pgettext("plan health table", "approved %(date)s") % {
            "date": _when(row.last_approved_at, today)
        }
    else:
        approved = _translated(pgettext("plan health table", "not approved yet"))
    if row.last_review_at:
        reviewed = pgettext("plan health table", "reviewed %(date)s") % {
            "date": _when(row.last_review_at, today)
        }
    else:
        reviewed = _translated(pgettext("plan health table", "not reviewed yet"))
    return _lines(
        plan, *(f'<span class="text-nowrap">{line}</span>' for line in (approved, reviewed))
    )


def _targets(row, plan_url: str, where: str) -> str:
    """The plan's targets on track, at risk and off track, one count a line; the counts the
    director acts on link to the plan's objectives."""
    on_track = _translated(pgettext("targets in a count", "on track"))
    at_risk = _translated(pgettext("targets in a count", "at risk"))
    off_track = _translated(pgettext("targets in a count", "off track"))
    lines = (
        f"{_show(row.on_track)} {on_track}",
        _to_plan(f"{_show(row.at_risk)} {at_risk}", row.at_risk, plan_url, "objectives", where),
        _to_plan(
            f"{_flagged(row.off_track)} {off_track}", row.off_track, plan_url, "objectives", where
        ),
    )
    return _lines(*(f'<span class="text-nowrap">{line}</span>' for line in lines))


@register.simple_tag
def health_row(row, currency: str, today: date) -> SafeString:
    """One `<tr>` of the health table (selectors.table's rows). As a template it cost ~60 nodes
    a row, five of them translations, plus three includes (bench/README.md, finding 29). Its
    cells follow selectors.dashboard.TABLE_COLUMNS: some hold several figures, one a line."""
    why = ""
    if row.why:
        off = gettext("%(name)s is off track") % {"name": _show(row.name)}
        summary = _translated(gettext("Why"))
        why = (
            f'\n    <details class="portfolio-why"><summary>{summary}'
            f'<span class="visually-hidden"> {off}</span></summary>{why_list(row.why, row.pk)}\n'
            "</details>"
        )
    badge = _class_badge(row.classification, row.classification_label, get_language())
    plan_url = _show(address("planning:plan", row.pk)) if row.plan_id else ""
    cadence = "—" if row.cadence_kept is None else f"{_show(floatformat(row.cadence_kept, 0))} %"
    on_time = ngettext(
        "of %(total)s engagement activity on time",
        "of %(total)s engagement activities on time",
        row.engagement_total or 0,
    ) % {"total": _show(row.engagement_total)}
    if row.satisfaction is None:
        satisfaction = "—"
    else:
        of_five = _translated(gettext("of 5"))
        satisfaction = (
            f"{_show(floatformat(row.satisfaction, 1))}"
            f'<span class="text-body-secondary"> {of_five}</span>'
        )
    score = "" if row.health_score is None else f"{_show(row.health_score)} · "
    value = _show(money(row.value_confirmed_year, currency)) if row.value_confirmed_year else "—"
    if row.value_delivered_year:
        of = gettext("of %(value)s") % {"value": _show(money(row.value_delivered_year, currency))}
        value += f'<br><span class="text-body-secondary">{of}</span>'
    where = _translated(gettext("in the plan of %(name)s") % {"name": row.name})
    team = _lines(
        _labelled(gettext("Director"), _show(row.director_name or "—")),
        _labelled(gettext("Manager"), _show(row.manager_name or "—")),
    )
    cells = [
        (
            "",
            f'<a href="{_show(row.get_absolute_url())}">{_show(row.name)}</a><br>'
            f'<span class="small text-body-secondary">{_show(row.customer.sector)}</span>{why}',
        ),
        ("portfolio-team", team),
        ("", _lines(badge, _show(row.stage_label))),
        ("", _plan(row, plan_url, today)),
        (
            "text-end",
            _to_plan(
                _flagged(row.overdue_actions), row.overdue_actions, plan_url, "actions", where
            ),
        ),
        ("", _targets(row, plan_url, where)),
        (
            "text-end",
            _lines(f'{cadence}<span class="visually-hidden"> {on_time}</span>', satisfaction),
        ),
        (
            "text-end",
            _lines(
                f'<span class="badge portfolio-health-{_show(row.health_bucket)}">{score}'
                f"{_show(row.health_bucket_label)}</span>",
                _health_change(row),
            ),
        ),
        ("text-end", value),
        ("text-end", _flagged(row.issues_open_high)),
    ]
    html = "".join(
        f'\n  <td class="{css}">{cell}</td>' if css else f"\n  <td>{cell}</td>"
        for css, cell in cells
    )
    return _safe(f"<tr>{html}\n</tr>\n")


@register.simple_tag
def why_targets(targets, account_id: int) -> SafeString:
    """The `<li>` of each off-track target: KPI (a link to its row on the plan page)
    (objective): progress, due date."""
    plan = address("planning:plan", account_id)
    way = gettext("%(progress)s %% of the way, %(expected)s %% expected")
    # Off track without a measurement: past its due date and never measured.
    not_measured = _translated(gettext("never measured"))
    # A level to keep has no share of the way: its latest value against the level.
    kept = gettext("latest %(actual)s against %(target)s (%(aim)s)")
    due = gettext("due %(date)s")
    items = []
    for target in targets:
        status = target.status
        if status.progress_percent is not None:
            progress = way % {
                "progress": _show(formats.number(status.progress_percent)),
                "expected": _show(status.expected_percent),
            }
        elif target.latest_actual is not None:
            progress = kept % {
                "actual": _show(formats.number(target.latest_actual)),
                "target": _show(formats.number(target.target_value)),
                "aim": _show(str(target.get_aim_display()).lower()),
            }
        else:
            progress = not_measured
        again = ""
        if status.measure_again:  # as the plan page words it beside the status
            days = status.measure_again
            if target.latest_actual is not None:
                words = ngettext(
                    "Last measured %(days)s day ago: measure again",
                    "Last measured %(days)s days ago: measure again",
                    days,
                )
            else:
                words = ngettext(
                    "Not measured in the %(days)s day since its start: measure it",
                    "Not measured in the %(days)s days since its start: measure it",
                    days,
                )
            again = f" ({_translated(words % {'days': formats.number(days)})})"
        items.append(
            f'<li><a href="{_show(plan)}#target-{int(target.pk)}">{_show(target.kpi)}</a> '
            f"({_show(target.objective.title)}): {progress}, "
            f"{due % {'date': _day(target.due_on)}}{again}</li>"
        )
    return _safe("".join(items))


@register.simple_tag
def why_actions(actions, account_id: int) -> SafeString:
    """The `<li>` of each overdue action: title (a link to the action's page, where its
    progress is updated), due date (owner)."""
    due = gettext("due %(date)s")
    items = []
    for action in actions:
        owner = f" ({_show(action.owner)})" if action.owner else ""
        link = address("delivery:action_detail", account_id, action.pk)
        items.append(
            f'<li><a href="{_show(link)}">{_show(action.title)}</a>, '
            f"{due % {'date': _day(action.due_on)}}{owner}</li>"
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
            change = pgettext("between the items of a list", "; ") + was % {
                "old": _show(p["old_label"]),
                "date": _day(p["change"].occurred_at),
            }
        items.append(
            f'<li><a href="{_show(account.get_absolute_url())}">{_show(account.name)}</a> — '
            f"{_show(p['class_label'])}, {size}, {score}{change}</li>"
        )
    return _safe("".join(items))


def _change_cell(change) -> str:
    if change is None:
        return "—"
    return f"{_show(formats.signed(change))} %"


def _target_cell(row, kind: str, currency: str) -> str:
    """A revenue or net profit target with the year it covers and what that year brought
    (planning's rules.target_year): never set beside another year's figure unnamed."""
    value = getattr(row, f"{kind}_target")
    if value is None:
        return f'<span class="text-body-secondary">{_translated(gettext("no target"))}</span>'
    code, year = getattr(row, f"{kind}_target_currency"), getattr(row, f"{kind}_target_year")
    made = getattr(row, f"{kind}_target_made")
    # As `{% blocktranslate %}` would: the values escaped, the catalogue's message not (a
    # `{% translate %}` message is escaped: _translated).
    head = gettext("%(target)s for %(year)s") % {"target": _show(money(value, code)), "year": year}
    if code != currency:
        note = _translated(gettext("not compared: another currency"))
    elif made is None:
        note = (
            gettext("no %(year)s revenue recorded yet")
            if kind == "revenue"
            else gettext("no %(year)s net profit recorded yet")
        ) % {"year": year}
    else:
        reached = planning_rules.target_reached_percent(value, Decimal(made))
        note = gettext("%(made)s in %(year)s") % {
            "made": f'<span class="text-nowrap">{_show(money(made, currency))}</span>',
            "year": year,
        }
        if reached is not None:
            share = gettext("(%(percent)s %% reached)") % {"percent": _show(reached)}
            note += f' <span class="text-nowrap">{share}</span>'
    # The note wraps (the cell's `portfolio-target`), its sums and share do not: unbroken, the
    # French "aucun chiffre d'affaires 2026 enregistré pour l'instant" made the table wider than
    # a 1280 px screen.
    return (
        f'<span class="text-nowrap">{head}</span><br>'
        f'<span class="text-body-secondary">{note}</span>'
    )


@register.simple_tag
def performance_rows(rows, currency: str) -> SafeString:
    """The `<tr>` of each account of the performance table (selectors.performance's rows). As
    a template loop, ~40 nodes a row, six of them money (bench/README.md, finding 37)."""
    html = []
    for a in rows:
        loss = " text-overdue" if a.profit_now is not None and a.profit_now < 0 else ""
        link = _show(address("discovery:profitability", a.pk))
        html.append(
            f'\n      <tr><td><a href="{link}">{_show(a.name)}</a></td>\n'
            f'        <td class="text-end">{_show(money(a.sales_now, currency))}</td>'
            f'<td class="text-end">{_show(money(a.sales_before, currency))}</td>'
            f'<td class="text-end">{_change_cell(a.sales_change)}</td>\n'
            f'        <td class="text-end portfolio-target">{_target_cell(a, "revenue", currency)}'
            "</td>\n"
            f'        <td class="text-end{loss}">{_show(money(a.profit_now, currency))}</td>'
            f'<td class="text-end">{_show(money(a.profit_before, currency))}</td>'
            f'<td class="text-end">{_change_cell(a.profit_change)}</td>\n'
            f'        <td class="text-end portfolio-target">{_target_cell(a, "profit", currency)}'
            "</td></tr>\n    "
        )
    return _safe("".join(html))


@register.simple_tag
def matrix_marks(matrix: dict, currency: str) -> SafeString:
    """The matrix's marks, a linked circle and its number each (inside `{% localize off %}`:
    SVG coordinates). As a template loop, ~15 nodes a mark (bench/README.md, finding 37)."""
    bubble = matrix["bubble"]
    marks = []
    for p in matrix["points"]:
        x, y = _show(p["x"], l10n=False), _show(p["y"], l10n=False)
        stroke = "#212529" if p["loss"] else "#fff"
        dashed = ' stroke-dasharray="3 2"' if p["loss"] else ""
        marks.append(
            f'\n  <a href="{_show(p["account"].get_absolute_url(), l10n=False)}" '
            'text-decoration="none">\n'
            f'    <circle cx="{x}" cy="{y}" r="{_show(p["r"], l10n=False)}" '
            f'fill="{_show(p["colour"], l10n=False)}" fill-opacity="0.9" stroke="{stroke}" '
            f'stroke-width="2"{dashed}><title>{matrix_mark_title(p, bubble, currency)}</title>'
            "</circle>\n"
            f'    <text x="{x}" y="{y}" font-size="11" font-weight="bold" text-anchor="middle" '
            'dominant-baseline="central" fill="#fff">'
            f"{_show(p['number'], l10n=False)}</text>\n  </a>\n  "
        )
    return _safe("".join(marks))


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
        # As the strategy pages write them (two decimals, the reader's separators): rounded
        # to a whole number, 49.50 read '50' in the low half of a matrix split at 50.
        "attractiveness": _show(formats.number(customer.attractiveness_score, 2), l10n=False),
        "strength": _show(formats.number(customer.strength_score, 2), l10n=False),
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
    separator = pgettext("between the items of a list", "; ")
    return _safe(f"{text} {size}{separator}{health}")
