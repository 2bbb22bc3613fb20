"""Pure rules of opportunities: no database, and their text is shown to the user.

The decision on an opportunity (pursue / hold / drop) is a state machine over its status:
`DECISIONS[status][decision]` is the status the decision leaves, and a decision missing from
the table is refused with `decision_refusal`'s sentence. Status and decision always agree:
an opportunity is dropped exactly when its decision is "drop" (`decision_for_status`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import formats

from .models import Opportunity

Status = Opportunity.Status
Decision = Opportunity.Decision

DECISIONS: dict[str, dict[str, str]] = {
    Status.IDEA: {Decision.PURSUE: Status.PURSUING, Decision.HOLD: Status.IDEA,
                  Decision.DROP: Status.DROPPED},
    Status.QUALIFIED: {Decision.PURSUE: Status.PURSUING, Decision.HOLD: Status.QUALIFIED,
                       Decision.DROP: Status.DROPPED},
    Status.PURSUING: {Decision.PURSUE: Status.PURSUING, Decision.HOLD: Status.PURSUING,
                      Decision.DROP: Status.DROPPED},
    # Pursuing a dropped opportunity again reopens it (with the reason, like any decision).
    Status.DROPPED: {Decision.PURSUE: Status.PURSUING},
    # The customer has decided: nothing is left for the team to decide.
    Status.WON: {},
    Status.LOST: {},
}  # fmt: skip


def decision_allowed(status: str, decision: str) -> bool:
    return decision in DECISIONS.get(status, {})


def status_after(status: str, decision: str) -> str:
    return DECISIONS[status][decision]


def decision_refusal(status: str, decision: str) -> str:
    """Why `decision` cannot be taken on an opportunity that is `status`."""
    label = Status(status).label.lower()
    if status in (Status.WON, Status.LOST):
        return _(
            "The customer has decided: this opportunity is %(status)s, so there is nothing left "
            "to pursue, hold or drop."
        ) % {"status": label}
    if status == Status.DROPPED and decision == Decision.DROP:
        return _("This opportunity is already dropped.")
    allowed = ", ".join(Decision(d).label.lower() for d in DECISIONS.get(status, {}))
    return _(
        "A %(status)s opportunity cannot be given the decision “%(decision)s”; "
        "open decisions: %(allowed)s."
    ) % {
        "status": label,
        "decision": Decision(decision).label.lower(),
        "allowed": allowed or _("none"),
    }


def decision_for_status(status: str, decision: str) -> str:
    """The decision that agrees with `status`: "drop" when dropped; a "drop" left on an
    opportunity no longer dropped (reopened by an edit or a check-in) is cleared."""
    if status == Status.DROPPED:
        return Decision.DROP
    if decision == Decision.DROP:
        return ""
    return decision


# What a page deciding on an opportunity shows of it (a stale decision lists those that
# changed, as the page showed them beside what is stored now).
DECISION_SHOWN = (
    (gettext_lazy("Status"), lambda opportunity: opportunity.get_status_display()),
    (gettext_lazy("Decision"), lambda opportunity: opportunity.get_decision_display()),
    (gettext_lazy("Reason"), lambda opportunity: opportunity.decision_reason),
    (gettext_lazy("Title"), lambda opportunity: opportunity.title),
    # In whole units and the reader's number format, as the page writes it (it read the
    # stored "150000.00"); the currency is the page's (the programme's), beside it there.
    (
        gettext_lazy("Estimated annual value"),
        lambda opportunity: formats.number(formats.half_up(opportunity.annual_value), 0),
    ),
    (gettext_lazy("Last change"), lambda opportunity: opportunity.updated_at),
)
