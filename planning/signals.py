"""What planning tells later stages about its workflow. Later stages connect to these signals;
planning never imports them (the dependency rule in README "Architecture").

Every signal is sent once per workflow step, after the step's transaction has committed
(`send_after_commit`), so a receiver never reacts to a step that was rolled back and may write
in its own transaction. Arguments are keyword-only and always include `acting_user`.
"""

from django.db import transaction
from django.dispatch import Signal

# plan: the submitted AccountPlan.
plan_submitted = Signal()
# plan: the returned AccountPlan; comment: what the director asks to change.
plan_returned = Signal()
# plan: the approved AccountPlan; version: the PlanVersion it was frozen as.
plan_approved = Signal()
# plan: a submitted AccountPlan edited before the director decided (now back in draft).
plan_withdrawn = Signal()
# action: the Action that got a new owner (created with one, or re-assigned); its owner is set.
action_assigned = Signal()

# Asked (not announced): plan health reads facts that later stages own (value delivered and
# customer issues: outcomes). Sent with account_ids (a set) and today; each receiver answers
# {account id: {PlanFacts field: value}} for the accounts it knows something about. Sent
# synchronously by planning.selectors whenever it computes health.
health_facts_requested = Signal()


def health_facts_from_later_stages(*, account_ids, today) -> dict[int, dict]:
    """What the receivers of health_facts_requested answer, merged per account."""
    facts: dict[int, dict] = {}
    for _receiver, answer in health_facts_requested.send(
        sender=None, account_ids=set(account_ids), today=today
    ):
        for account_id, values in (answer or {}).items():
            facts.setdefault(account_id, {}).update(values)
    return facts


# Asked: one-line facts later stages print in the internal plan PDF's header ("Value delivered
# this year: …", outcomes). Sent with account_id and today; each receiver answers a list of
# short lines. Never for the customer version (it prints no money figure).
plan_print_lines_requested = Signal()


def plan_print_lines(*, account_id: int, today) -> list[str]:
    lines: list[str] = []
    for _receiver, answer in plan_print_lines_requested.send(
        sender=None, account_id=account_id, today=today
    ):
        lines.extend(answer or [])
    return lines


def send_after_commit(signal: Signal, *, sender, **kwargs) -> None:
    """Send `signal` when the current transaction commits (at once outside one). `robust`: a
    failing receiver is logged by Django and does not turn a committed step into an error."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), robust=True)
