"""Demo data for the portfolio dashboard: a few class changes within the last year, so the
matrix shows where those accounts stood before (ghost marks with arrows); one account that has
already entered this year's profitability while the others have not (the dashboard compares
last year, the complete one, and shows this year's coverage); and the programme's net profit
target for last year (the executive's profit against target).

Only the timeline entry is written (through accounts.services.account_event_record); the
accounts' current classes are the ones Stage 1's demo data gave them. An account that already
has a class change on its timeline (from Stage 1's own data or an earlier run) is left alone,
so running seed_demo twice changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_noop

from accounts.event_text import EventText, term
from accounts.models import AccountEvent, Classification, KeyAccount, Programme
from accounts.services import account_event_record
from common.dates import at_hour
from discovery.models import ProfitabilityYear
from discovery.selectors import NET_PROFIT
from discovery.services import PROFITABILITY_FIELDS, profitability_year_save
from strategy.demo_data import FIRST_CLASS
from strategy.services import programme_update

# (customer reference, class before, days ago, reason)
CLASS_CHANGES = [
    (
        "C-1008",
        FIRST_CLASS["C-1008"],
        120,
        "Annual review: their premium range doubled our volume; attractiveness now above the "
        "threshold, but we are still a second-source supplier.",
    ),
    (
        "C-1004",
        FIRST_CLASS["C-1004"],
        210,
        "Their new five-year dairy strategy cut the categories we serve; attractiveness fell "
        "below the threshold while the relationship stays strong.",
    ),
]


# The account ahead of the others: its manager entered this year's figures early (a forecast
# at this year's pace); everybody else reports after the year closes.
AHEAD = ("C-1003", Decimal("1.10"))
# The programme's net profit target for last year: the key accounts' profit of the year
# before, plus the growth the programme's objectives ask for (rounded to 10,000).
TARGET_GROWTH = Decimal("1.12")


def _year_ahead(ctx) -> str:
    reference, pace = AHEAD
    account = KeyAccount.objects.filter(customer__reference=reference).first()
    if account is None:
        return ""
    rows = {r.year: r for r in ProfitabilityYear.objects.filter(key_account=account)}
    last = rows.get(ctx.today.year - 1)
    if last is None or ctx.today.year in rows:
        return ""
    fields = {
        name: (getattr(last, name) * pace).quantize(Decimal("1")) for name in PROFITABILITY_FIELDS
    }
    fields["year"] = ctx.today.year
    profitability_year_save(
        account=account, row=None, fields=fields, acting_user=ctx.users.get("manager")
    )
    return f"{account.name} entered {ctx.today.year} ahead of the others"


def _programme_target(ctx) -> str:
    programme = Programme.current()
    if programme.pk is None or programme.net_profit_target is not None:
        return ""
    year = ctx.today.year - 1
    before = ProfitabilityYear.objects.filter(
        key_account__in=KeyAccount.objects.active(), year=year - 1
    ).aggregate(net=Sum(NET_PROFIT))["net"]
    if not before:
        return ""
    target = (before * TARGET_GROWTH / 10_000).quantize(Decimal("1")) * 10_000
    programme_update(
        programme=programme,
        data={"net_profit_target": target, "net_profit_target_year": year},
        acting_user=ctx.users.get("progadmin"),
    )
    return f"a {year} net profit target of {programme.currency} {target:,.0f}"


def seed(ctx) -> None:
    extras = [text for text in (_year_ahead(ctx), _programme_target(ctx)) if text]
    if extras:
        ctx.say(f"Portfolio: {'; '.join(extras)}.")
    director = ctx.users.get("director")
    recorded = 0
    for reference, before, days_ago, reason in CLASS_CHANGES:
        account = (
            KeyAccount.objects.filter(customer__reference=reference)
            .select_related("customer")
            .first()
        )
        if account is None or account.classification == before:
            continue
        if AccountEvent.objects.filter(
            key_account=account, kind=AccountEvent.Kind.CLASS_CHANGED
        ).exists():
            continue
        when = at_hour(ctx.today - timedelta(days=days_ago), 10)
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.CLASS_CHANGED,
            summary=EventText(
                gettext_noop("Classification changed from %(old)s to %(new)s"),
                old=term(before.label),
                new=term(Classification(account.classification).label),
            ),
            acting_user=director,
            reason=reason,
            old_value=before,
            new_value=account.classification,
            occurred_at=when,
        )
        recorded += 1
    ctx.say(f"Portfolio: {recorded} class change{'s' if recorded != 1 else ''} on the timeline.")
