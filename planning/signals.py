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
# measurement: the Measurement recorded against a target (from the plan page, or an import of
# actuals).
measurement_recorded = Signal()


def send_after_commit(signal: Signal, *, sender, **kwargs) -> None:
    """Send `signal` when the current transaction commits (at once outside one). `robust`: a
    failing receiver is logged by Django and does not turn a committed step into an error."""
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs), robust=True)
