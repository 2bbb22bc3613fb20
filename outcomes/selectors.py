"""Reads of value delivered and customer issues. Views pass an account they loaded through
accounts.permissions; lists across accounts start from the accounts the user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from accounts.models import KeyAccount
from common import formats
from common.compiled import CompiledPerKey
from common.rows import FirstRows, first_rows

from .models import CustomerIssue, ValueDelivered

VALUE_RULE = gettext_lazy(
    "Value delivered this year: the entries delivered this calendar year, money summed per "
    "currency; confirmed: those the customer confirmed."
)


def value_list(*, account: KeyAccount) -> QuerySet[ValueDelivered]:
    return ValueDelivered.objects.filter(key_account=account).select_related(
        "opportunity", "objective", "confirmed_by", "confirmation_recorded_by"
    )


def issue_list(*, account: KeyAccount, show: str = "open") -> QuerySet[CustomerIssue]:
    issues = CustomerIssue.objects.filter(key_account=account).select_related("owner")
    if show == "open":
        issues = issues.filter(status__in=CustomerIssue.OPEN_STATUSES)
    return issues


def issues_owned_by(*, user) -> QuerySet[CustomerIssue]:
    """My work: the open issues `user` follows up, on accounts they are still on the team of."""
    return (
        CustomerIssue.objects.filter(
            owner=user,
            status__in=CustomerIssue.OPEN_STATUSES,
            key_account__memberships__user=user,
        )
        .select_related("key_account__customer")
        .order_by("due_on", "pk")
    )


WORKSPACE_VALUE_SHOWN = 20


def value_for_customer(*, account_id: int, limit: int | None = None) -> FirstRows:
    """What the customer workspace shows of value delivered: what was delivered, when, how
    much and the evidence (to confirm them); not which opportunity or objective of ours they
    count for. The entries waiting for the customer's confirmation first (an older one is
    still theirs to confirm), then the latest; WORKSPACE_VALUE_SHOWN of them unless `limit`
    says otherwise, the list knowing whether it left any out."""
    waiting_first = Case(When(status=ValueDelivered.Status.RECORDED, then=0), default=1)
    return first_rows(
        ValueDelivered.objects.filter(key_account_id=account_id)
        .select_related("confirmed_by")
        .order_by(waiting_first, "-delivered_on", "-pk"),
        limit or WORKSPACE_VALUE_SHOWN,
    )


def customer_visible_issues(*, account: KeyAccount | int) -> QuerySet[CustomerIssue]:
    """What the customer workspace shows: issues marked visible, newest first."""
    return CustomerIssue.objects.filter(key_account=account, customer_visible=True).order_by(
        "-raised_on", "-pk"
    )


def shown_quantity(entry: ValueDelivered) -> str:
    """The quantity in the reader's number format: "EUR 12,500" / "12 500 €", "340 hours saved"."""
    if entry.is_money:
        return formats.money(entry.amount, entry.currency)
    amount = entry.amount.normalize() if entry.amount is not None else 0
    return f"{formats.number(amount)} {entry.unit}".strip()


@dataclass
class ValueYear:
    """Value delivered in one calendar year for one account (or a portfolio)."""

    year: int
    recorded: int = 0  # entries (any unit)
    confirmed: int = 0
    # The entries in money, which the sums count; the others are in units of their own
    # ("420 production hours a year") and add to `recorded`, never to a sum.
    money_recorded: int = 0
    money_confirmed_count: int = 0
    money: dict[str, Decimal] = field(default_factory=dict)  # currency -> amount
    money_confirmed: dict[str, Decimal] = field(default_factory=dict)

    def add(self, other: ValueYear) -> None:
        self.recorded += other.recorded
        self.confirmed += other.confirmed
        self.money_recorded += other.money_recorded
        self.money_confirmed_count += other.money_confirmed_count
        for mine, theirs in (
            (self.money, other.money),
            (self.money_confirmed, other.money_confirmed),
        ):
            for currency, amount in theirs.items():
                mine[currency] = mine.get(currency, Decimal("0")) + amount

    @staticmethod
    def _text(amounts: dict[str, Decimal]) -> str:
        if not amounts:
            return ""
        # In the reader's format, like every other sum of money: "EUR 185,000" / "185 000 €".
        return ", ".join(formats.money(a, c) for c, a in sorted(amounts.items()))

    @property
    def money_text(self) -> str:
        return self._text(self.money) or "—"

    @property
    def confirmed_text(self) -> str:
        return self._text(self.money_confirmed) or (
            "—" if not self.money else self._text({c: Decimal("0") for c in self.money})
        )

    @property
    def other_recorded(self) -> int:
        """Entries in units other than money (never in a sum)."""
        return self.recorded - self.money_recorded

    @property
    def other_confirmed(self) -> int:
        return self.confirmed - self.money_confirmed_count

    @property
    def summary(self) -> str:
        """One line: "Value delivered this year: EUR 120,000 (3 entries), of which confirmed
        EUR 80,000 (2)", the entries counted being those the sums add up; entries in other
        units follow ("; 1 in other units (0 confirmed)"): "EUR 185,000 (2 entries)" read
        as if both made the sum when one was 420 production hours."""
        if not self.recorded:
            return gettext("Value delivered this year: none recorded")
        others, others_confirmed = self.other_recorded, self.other_confirmed
        if not self.money_recorded:
            return ngettext(
                "Value delivered this year: %(count)s entry in other units than money, "
                "%(confirmed)s confirmed",
                "Value delivered this year: %(count)s entries in other units than money, "
                "%(confirmed)s confirmed",
                others,
            ) % {"count": others, "confirmed": others_confirmed}
        line = ngettext(
            "Value delivered this year: %(money)s (%(count)s entry), of which confirmed "
            "%(confirmed_money)s (%(confirmed)s)",
            "Value delivered this year: %(money)s (%(count)s entries), of which confirmed "
            "%(confirmed_money)s (%(confirmed)s)",
            self.money_recorded,
        ) % {
            "money": self.money_text,
            "count": self.money_recorded,
            "confirmed_money": self.confirmed_text,
            "confirmed": self.money_confirmed_count,
        }
        if others:
            # Short: the plan PDF's header has one line for it.
            line += pgettext("between the items of a list", "; ") + ngettext(
                "%(count)s in other units (%(confirmed)s confirmed)",
                "%(count)s in other units (%(confirmed)s confirmed)",
                others,
            ) % {"count": others, "confirmed": others_confirmed}
        return line


def value_by_account(*, account_ids, year: int) -> dict[int, ValueYear]:
    """Per account, value delivered in `year` and what the customer confirmed: one query."""
    result: dict[int, ValueYear] = {}
    rows = (
        ValueDelivered.objects.filter(key_account_id__in=list(account_ids), delivered_on__year=year)
        .values_list("key_account_id", "measure", "currency", "status")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    for account_id, measure, currency, status, n, total in rows:
        figures = result.setdefault(account_id, ValueYear(year))
        confirmed = status == ValueDelivered.Status.CONFIRMED
        figures.recorded += n
        figures.confirmed += n if confirmed else 0
        if measure == ValueDelivered.Measure.MONEY:
            figures.money_recorded += n
            figures.money_confirmed_count += n if confirmed else 0
            figures.money[currency] = figures.money.get(currency, Decimal("0")) + total
            if confirmed:
                figures.money_confirmed[currency] = (
                    figures.money_confirmed.get(currency, Decimal("0")) + total
                )
    return result


def value_of_accounts(
    *, accounts: QuerySet[KeyAccount], year: int, scope_key: Hashable | None = None
) -> ValueYear:
    """Value delivered in `year` across `accounts` (a portfolio), money per currency: one
    query (the accounts are a subquery). `scope_key`: something that fixes the accounts' SQL
    and parameters (the dashboard's own key); with it the statement is compiled once per key
    and year (bench/README.md, finding 52)."""
    total = ValueYear(year)

    def build(_ids):
        return (
            ValueDelivered.objects.filter(
                key_account__in=accounts.values("pk"), delivered_on__year=year
            )
            .values_list("measure", "currency", "status")
            .annotate(n=Count("pk"), total=Sum("amount"))
            .order_by()
        )

    rows = build(()) if scope_key is None else _VALUE_YEAR.rows((scope_key, year), build)
    for measure, currency, status, n, amount in rows:
        confirmed = status == ValueDelivered.Status.CONFIRMED
        total.recorded += n
        total.confirmed += n if confirmed else 0
        if measure == ValueDelivered.Measure.MONEY:
            total.money_recorded += n
            total.money_confirmed_count += n if confirmed else 0
            total.money[currency] = total.money.get(currency, Decimal("0")) + amount
            if confirmed:
                total.money_confirmed[currency] = (
                    total.money_confirmed.get(currency, Decimal("0")) + amount
                )
    return total


_VALUE_YEAR = CompiledPerKey(maxsize=16)


def health_facts(*, account_ids, today: date) -> dict[int, dict]:
    """What plan health reads (planning.rules.PlanFacts' value_* and issues_* fields), for
    every account in `account_ids`: one query."""
    ids = list(account_ids)
    if not ids:
        return {}

    def count(queryset):
        return Coalesce(
            Subquery(
                queryset.filter(key_account=OuterRef("pk"))
                .order_by()
                .values("key_account")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    this_year = ValueDelivered.objects.filter(delivered_on__year=today.year)
    open_issues = CustomerIssue.objects.filter(status__in=CustomerIssue.OPEN_STATUSES)
    rows = KeyAccount.objects.filter(pk__in=ids).annotate(
        key_account_since=F("selected_on"),
        value_recorded_this_year=count(this_year),
        value_confirmed_this_year=count(this_year.filter(status=ValueDelivered.Status.CONFIRMED)),
        issues_open_high=count(open_issues.filter(severity=CustomerIssue.Severity.HIGH)),
        issues_open_critical=count(open_issues.filter(severity=CustomerIssue.Severity.CRITICAL)),
    )
    names = (
        "key_account_since",
        "value_recorded_this_year",
        "value_confirmed_this_year",
        "issues_open_high",
        "issues_open_critical",
    )
    return {
        pk: dict(zip(names, values, strict=True)) for pk, *values in rows.values_list("pk", *names)
    }


def open_issue_counts(*, account_ids) -> dict[int, dict[str, int]]:
    """Per account, open issues by severity (one query)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for account_id, severity, n in (
        CustomerIssue.objects.filter(
            key_account_id__in=list(account_ids), status__in=CustomerIssue.OPEN_STATUSES
        )
        .values_list("key_account_id", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[account_id][severity] = n
    return counts


def overdue_issues_q(today: date) -> Q:
    return Q(status__in=CustomerIssue.OPEN_STATUSES, due_on__lt=today)
