"""Demo data for the portfolio dashboard: a few class changes within the last year, so the
matrix shows where those accounts stood before (ghost marks with arrows).

Only the timeline entry is written (through accounts.services.account_event_record); the
accounts' current classes are the ones Stage 1's demo data gave them. An account that already
has a class change on its timeline (from Stage 1's own data or an earlier run) is left alone,
so running seed_demo twice changes nothing.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import AccountEvent, Classification, KeyAccount
from accounts.services import account_event_record

# (customer reference, class before, days ago, reason)
CLASS_CHANGES = [
    (
        "C-1008",
        Classification.STREAMLINE,
        120,
        "Annual review: their premium range doubled our volume; attractiveness now above the "
        "threshold, but we are still a second-source supplier.",
    ),
    (
        "C-1004",
        Classification.STRATEGIC,
        210,
        "Their new five-year dairy strategy cut the categories we serve; attractiveness fell "
        "below the threshold while the relationship stays strong.",
    ),
]


def seed(ctx) -> None:
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
        when = timezone.make_aware(datetime.combine(ctx.today - timedelta(days=days_ago), time(10)))
        account_event_record(
            account=account,
            kind=AccountEvent.Kind.CLASS_CHANGED,
            summary=f"Class changed from {before.label} to {account.get_classification_display()}",
            acting_user=director,
            reason=reason,
            old_value=before,
            new_value=account.classification,
            occurred_at=when,
        )
        recorded += 1
    ctx.say(f"Portfolio: {recorded} class change{'s' if recorded != 1 else ''} on the timeline.")
