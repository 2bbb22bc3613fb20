"""Demo data for value delivered and customer issues, on the first hand-written key account
with a customer stakeholder who has an e-mail address (the account whose customer workspace
the demo opens): value delivered this year (one entry confirmed by the customer, one waiting),
one from last year confirmed by e-mail, an open high-severity issue the customer sees and a
resolved one. Written through the services (timeline included); rows already there (same
account and title) are left alone, so running seed_demo twice changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.services import events_dated
from common.dates import at_hour
from discovery.models import Stakeholder

from .models import CustomerIssue, ValueDelivered
from .services import confirm_value_delivered, customer_issue_save, value_delivered_save


def _account_and_contact(ctx):
    for account in ctx.accounts[:12]:
        contact = (
            Stakeholder.objects.filter(key_account=account, archived_at__isnull=True)
            .exclude(email="")
            .order_by("pk")
            .first()
        )
        if account.is_active and contact is not None:
            return account, contact
    return None, None


def _manager(account):
    membership = account.memberships.filter(role="manager").select_related("user").first()
    return membership.user if membership else None


def seed(ctx) -> None:
    account, contact = _account_and_contact(ctx)
    if account is None:
        return
    manager = _manager(account)
    today = ctx.today
    this_year = max(date(today.year, 1, 1), today - timedelta(days=45))
    values = [
        (
            "Stock-outs on chilled salads down from 4.1 % to 1.7 %",
            this_year,
            ValueDelivered.Measure.MONEY,
            Decimal("185000"),
            "",
            "Recovered sales at their shelf price, from their own weekly availability report.",
            # Confirmed two days ago: "today at 11" is still to come when the demo is seeded
            # in the morning, and was then written at the seeding minute.
            (contact, max(this_year, today - timedelta(days=2)), "workspace"),
        ),
        (
            "Packaging line changeover cut from 50 to 30 minutes",
            max(this_year, today - timedelta(days=10)),
            ValueDelivered.Measure.OTHER,
            Decimal("420"),
            "production hours a year",
            "Measured over four weeks by their plant engineering team.",
            None,
        ),
        (
            "Joint waste programme: 310 t less food waste",
            date(today.year - 1, 11, 15),
            ValueDelivered.Measure.MONEY,
            Decimal("96000"),
            "",
            "Disposal and raw material cost avoided, from their sustainability report.",
            (contact, date(today.year - 1, 12, 2), "email"),
        ),
    ]
    made = 0
    for title, on, measure, amount, unit, evidence, confirmation in values:
        if ValueDelivered.objects.filter(key_account=account, title=title).exists():
            continue
        # Each step on the timeline on its day: recorded three days after delivery, confirmed
        # on the confirmation's date.
        with events_dated(at_hour(on + timedelta(days=3), 10)):
            entry = value_delivered_save(
                account=account,
                entry=None,
                fields={
                    "title": title,
                    "delivered_on": on,
                    "measure": measure,
                    "amount": amount,
                    "unit": unit,
                    "evidence": evidence,
                },
                acting_user=manager,
            )
        if confirmation:
            who, when, via = confirmation
            with events_dated(at_hour(when, 11)):
                confirm_value_delivered(
                    entry,
                    stakeholder=who,
                    confirmed_on=when,
                    via=via,
                    note="" if via == "workspace" else "Their e-mail to the account manager",
                    acting_user=None if via == "workspace" else manager,
                )
        made += 1
    issues = [
        (
            "Late deliveries to the Erfurt plant",
            CustomerIssue.Severity.HIGH,
            today - timedelta(days=6),
            today + timedelta(days=8),
            CustomerIssue.Status.IN_PROGRESS,
            "",
            True,
        ),
        (
            "Invoice sent twice for the March deliveries",
            CustomerIssue.Severity.LOW,
            today - timedelta(days=40),
            today - timedelta(days=30),
            CustomerIssue.Status.RESOLVED,
            "Credit note issued; billing fixed the duplicate run.",
            False,
        ),
    ]
    for title, severity, raised, due, status, resolution, visible in issues:
        if (
            manager is None
            or CustomerIssue.objects.filter(key_account=account, title=title).exists()
        ):
            continue
        with events_dated(at_hour(raised, 9)):
            customer_issue_save(
                account=account,
                issue=None,
                fields={
                    "title": title,
                    "severity": severity,
                    "owner": manager,
                    "raised_on": raised,
                    "due_on": due,
                    "status": status,
                    "resolution": resolution,
                    "customer_visible": visible,
                    "description": "",
                },
                acting_user=manager,
            )
        made += 1
    ctx.say(f"Outcomes: value delivered and customer issues on {account.name} ({made} new).")
