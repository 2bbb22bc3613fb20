"""What outcomes does when its own rows change, and what it answers planning's questions with."""

from planning.models import AccountPlan
from planning.services import plan_health_invalidate

from . import selectors


def health_facts(sender, *, account_ids, today, **kwargs) -> dict[int, dict]:
    """planning.signals.health_facts_requested: value delivered and open issues per account."""
    return selectors.health_facts(account_ids=account_ids, today=today)


def health_changed_for_account(sender, instance, **kwargs) -> None:
    """A value or issue row changed: the account's current plan health is stale."""
    plan_health_invalidate(
        plans=AccountPlan.objects.filter(key_account_id=instance.key_account_id, is_current=True)
    )


def plan_print_lines(sender, *, account_id, today, **kwargs) -> list[str]:
    """planning.signals.plan_print_lines_requested: the plan PDF's one line on value."""
    figures = selectors.value_by_account(account_ids=[account_id], year=today.year).get(
        account_id, selectors.ValueYear(today.year)
    )
    return [figures.summary]
