"""The portfolio dashboard for key account directors and executives: page, CSV and PDF.

Who sees what (decided here, documented on the page): a director sees the active key
accounts they direct; an executive every active key account; a programme admin without a
director role gets 403 (the dashboard is for the people who run accounts, and the programme
settings pages are theirs); managers, coordinators and team members get 403.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from accounts import permissions
from accounts.models import Programme, Role
from accounts.selectors import account_team, user_today
from common.csv_export import csv_response
from common.formats import half_up
from common.pdf import render_pdf
from planning import rules as planning_rules

from . import selectors
from .selectors import PortfolioFilters
from .selectors.decisions import decisions_waiting
from .selectors.overview import account_overview as account_overview_data

EVENTS_SHOWN = 8
CENT = Decimal("0.01")


@login_required
@require_GET
def account_overview(request, account_id: int):
    """A key account's overview (`accounts:account_detail`): the page a director opens
    before a call. Everyone who sees the account reads it."""
    account = permissions.get_account_for_user(request.user, account_id)
    role = permissions.role_on(request.user, account)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "team": account_team(account=account),
            "events": account.events.select_related("actor")[:EVENTS_SHOWN],
            "my_role_label": Role(role).label if role else "",
            "overview": account_overview_data(account=account, today=user_today(request.user)),
            "currency": Programme.current().currency,
            **permissions.account_flags(request.user, account),
        },
    )


@login_required
@require_GET
def dashboard(request):
    filters = PortfolioFilters.from_query(request.GET)
    context = selectors.dashboard(
        user=request.user, filters=filters, page_number=request.GET.get("page")
    )
    # A director's decisions come first on the page; an executive decides none.
    if permissions.decision_account_ids(request.user):
        context["decisions"] = decisions_waiting(user=request.user)
    return render(request, "portfolio/dashboard.html", context)


CSV_HEADER = [
    gettext_lazy("Account"),
    gettext_lazy("Customer reference"),
    gettext_lazy("Sector"),
    gettext_lazy("Director"),
    gettext_lazy("Manager"),
    gettext_lazy("Class"),
    gettext_lazy("Relationship stage"),
    gettext_lazy("Plan period"),
    gettext_lazy("Plan status"),
    gettext_lazy("Last approved"),
    gettext_lazy("Last review"),
    gettext_lazy("Overdue actions"),
    gettext_lazy("Targets on track"),
    gettext_lazy("Targets at risk"),
    gettext_lazy("Targets off track"),
    gettext_lazy("Engagement activities"),
    gettext_lazy("Engagement cadence kept (%)"),
    gettext_lazy("Satisfaction (1-5, latest joint review)"),
    gettext_lazy("Health score"),
    gettext_lazy("Health"),
    gettext_lazy("Health score 30 days earlier"),
    gettext_lazy("Health change (30 days)"),
    gettext_lazy("Value delivered this year"),
    gettext_lazy("Value confirmed by the customer this year"),
    gettext_lazy("Open high or critical customer issues"),
    gettext_lazy("Link"),
    # Last, so that a reader that counts columns still finds the others where they were.
    gettext_lazy("Currency"),
]


def _date(value) -> str:
    return timezone.localdate(value).isoformat() if value else ""


@login_required
@require_GET
def health_csv(request):
    filters = PortfolioFilters.from_query(request.GET)
    rows = selectors.health_export(user=request.user, filters=filters)
    # The value columns count money in the programme's currency only (selectors.table).
    currency = Programme.current().currency
    return csv_response(
        f"portfolio-health-{timezone.localdate().isoformat()}.csv",
        CSV_HEADER,
        (
            [
                row.name,
                row.customer.reference,
                row.customer.sector,
                row.director_name or "",
                row.manager_name or "",
                row.classification_label,
                row.stage_label,
                row.plan_period or "",
                row.plan_status_label,
                _date(row.last_approved_at),
                _date(row.last_review_at),
                row.overdue_actions,
                row.on_track,
                row.at_risk,
                row.off_track,
                row.engagement_total,
                # Rounded as the page rounds them (halves up): 62.5 % is 63 on both.
                "" if row.cadence_kept is None else half_up(row.cadence_kept),
                "" if row.satisfaction is None else half_up(row.satisfaction, 1),
                "" if row.health_score is None else row.health_score,
                row.health_bucket_label,
                "" if row.health_before is None else row.health_before,
                "" if row.health_change is None else row.health_change,
                row.value_delivered_year,
                row.value_confirmed_year,
                row.issues_open_high,
                request.build_absolute_uri(row.get_absolute_url()),
                currency,
            ]
            for row in rows
        ),
    )


def _blank_if_none(value):
    return "" if value is None else value


def _cents(value):
    """A sum of money to the cent on every database: SQLite gives an expression's decimal back
    without its trailing zero (a net profit of 2,500.50 was the cell "2500.5")."""
    return "" if value is None else Decimal(value).quantize(CENT)


def performance_header(year: int) -> list[str]:
    before = year - 1
    return [
        _("Account"),
        _("Customer reference"),
        _("Reported %(year)s") % {"year": year},
        _("Revenue %(year)s") % {"year": year},
        _("Revenue %(year)s") % {"year": before},
        _("Revenue change (%)"),
        _("Net profit %(year)s") % {"year": year},
        _("Net profit %(year)s") % {"year": before},
        _("Net profit change (%)"),
        # Added after the columns above, which keep their names and places: the currency of
        # the revenue and net profit columns (the programme's), then each account's targets
        # with the year they cover, compared only with that year (TARGET_RULE).
        _("Currency"),
        _("Revenue target"),
        _("Revenue target currency"),
        _("Revenue target year"),
        _("Revenue in the target's year"),
        _("Revenue target reached (%)"),
        _("Net profit target"),
        _("Net profit target currency"),
        _("Net profit target year"),
        _("Net profit in the target's year"),
        _("Net profit target reached (%)"),
    ]


def _target_columns(row, kind: str, currency: str) -> list:
    """Per planning's rules.target_year: the target, its currency, the year it covers, what the
    account made that year (empty while it has no figures, or in another currency) and the
    share reached."""
    value = getattr(row, f"{kind}_target")
    if value is None:
        return ["", "", "", "", ""]
    code, made = getattr(row, f"{kind}_target_currency"), getattr(row, f"{kind}_target_made")
    # To the cent on every database (a subquery's decimal comes back from SQLite as a float).
    value = Decimal(value).quantize(CENT)
    made = None if made is None or code != currency else Decimal(made).quantize(CENT)
    reached = planning_rules.target_reached_percent(value, made)
    return [
        value,
        code,
        getattr(row, f"{kind}_target_year"),
        _blank_if_none(made),
        _blank_if_none(reached),
    ]


@login_required
@require_GET
def performance_csv(request):
    """Revenue and net profit per account for the dashboard's performance year (same year rule
    and coverage as the page), then the total over the accounts in view."""
    filters = PortfolioFilters.from_query(request.GET)
    perf = selectors.performance_export(user=request.user, filters=filters)
    year, t = perf["year"], perf["totals"]
    currency = Programme.current().currency
    rows = [
        [
            a.name,
            a.customer.reference,
            _("yes") if a.sales_now is not None else _("no"),
            _cents(a.sales_now),
            _cents(a.sales_before),
            _blank_if_none(a.sales_change),
            _cents(a.profit_now),
            _cents(a.profit_before),
            _blank_if_none(a.profit_change),
            currency,
            *_target_columns(a, "revenue", currency),
            *_target_columns(a, "profit", currency),
        ]
        for a in perf["rows"]
    ]
    if t["like_for_like"]:
        total_label = ngettext(
            "The %(accounts)s account in view (change like for like over %(compared)s)",
            "All %(accounts)s accounts in view (change like for like over %(compared)s)",
            t["accounts"],
        ) % {"accounts": t["accounts"], "compared": t["compared"]}
    else:
        total_label = ngettext(
            "The %(accounts)s account in view", "All %(accounts)s accounts in view", t["accounts"]
        ) % {"accounts": t["accounts"]}
    rows.append(
        [
            total_label,
            "",
            _("%(reported)s of %(accounts)s")
            % {"reported": t["with_figures"], "accounts": t["accounts"]},
            _cents(t["sales_now"]),
            _cents(t["sales_before"]),
            _blank_if_none(t["sales_change"]),
            _cents(t["profit_now"]),
            _cents(t["profit_before"]),
            _blank_if_none(t["profit_change"]),
            currency,
            # Targets of several years or currencies do not add up to one cell: the page and
            # the PDF give their sums per year and currency.
            *[""] * 10,
        ]
    )
    return csv_response(
        f"portfolio-performance-{year}-{timezone.localdate().isoformat()}.csv",
        performance_header(year),
        rows,
    )


TARGETS_CSV_HEADER = [
    gettext_lazy("Manager"),
    gettext_lazy("Director"),
    gettext_lazy("Account"),
    gettext_lazy("Plan period"),
    gettext_lazy("Objective"),
    gettext_lazy("KPI"),
    gettext_lazy("Kind"),
    gettext_lazy("Unit type"),
    gettext_lazy("Currency"),
    gettext_lazy("Unit"),
    gettext_lazy("Baseline"),
    gettext_lazy("Baseline date"),
    gettext_lazy("Target"),
    gettext_lazy("Due"),
    gettext_lazy("Latest actual"),
    gettext_lazy("Measured on"),
    gettext_lazy("Progress (%)"),
    gettext_lazy("Expected by then (%)"),
    gettext_lazy("Status"),
    # Last, so that the columns before it keep their places for the tools that read them.
    gettext_lazy("Aim"),
]


@login_required
@require_GET
def targets_csv(request):
    """Target attainment per account team, for bonus reviews (status rule on the dashboard)."""
    filters = PortfolioFilters.from_query(request.GET)
    rows = selectors.target_attainment(user=request.user, filters=filters)
    return csv_response(
        f"portfolio-targets-{timezone.localdate().isoformat()}.csv",
        TARGETS_CSV_HEADER,
        (
            [
                t.manager_name or "",
                t.director_name or "",
                t.objective.plan.key_account.name,
                t.objective.plan.period,
                t.objective.title,
                t.kpi,
                t.get_kind_display(),
                t.get_measure_display(),
                t.currency,
                t.unit,
                t.baseline,
                t.baseline_on.isoformat(),
                t.target_value,
                t.due_on.isoformat(),
                "" if t.latest_actual is None else t.latest_actual,
                t.latest_on.isoformat() if t.latest_on else "",
                "" if t.status.progress_percent is None else t.status.progress_percent,
                "" if t.status.expected_percent is None else t.status.expected_percent,
                t.status.label,
                t.get_aim_display(),
            ]
            for t in rows
        ),
    )


@login_required
@require_GET
def dashboard_pdf(request):
    """The dashboard on two A4 landscape pages: the first page of the table in its order."""
    filters = PortfolioFilters.from_query(request.GET)
    context = selectors.dashboard(user=request.user, filters=filters, page_number=1)
    context["user"] = request.user
    pdf = render_pdf("portfolio/dashboard_print.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"portfolio-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
