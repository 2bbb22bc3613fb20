"""Signals that let later stages react to Stage 1 events without Stage 1 importing them."""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal

from accounts.models import Classification

# Sent by the de-selection service after a key account is de-selected.
# Keyword arguments: account (KeyAccount), acting_user (User), reason (str).
# planning connects a receiver that archives the account's current plan.
key_account_deselected = Signal()

# Sent by the selection service once a customer's selection as key account (or its selection
# again) has committed. Keyword arguments: account (KeyAccount), acting_user (User).
key_account_selected = Signal()


@dataclass(frozen=True)
class SelectionProposal:
    """Why a later stage proposes to re-classify or de-select an account, as the re-classify
    and de-select pages show it beside their form (strategy never reads the later stage)."""

    deselect: bool
    proposed_class: str  # a Classification value; "" for a de-selection
    source: str  # what proposed it, in the reader's language ("the 2026-Q4 quarterly review")
    proposed_by: str  # "" when nobody is known
    proposed_at: datetime
    reasons: str  # as written, "" when none were
    url: str  # where the proposal can be read in full

    @property
    def proposed_class_label(self) -> str:
        return Classification(self.proposed_class).label if self.proposed_class else ""


# Asked (not announced): the open proposals to re-classify or de-select `account` (rhythm: the
# latest completed quarterly review of its plan proposing it, until the account is
# re-classified or de-selected or a later review answers it). Sent with account; each receiver
# answers a list of SelectionProposal.
selection_proposals_requested = Signal()


def selection_proposals(*, account) -> list[SelectionProposal]:
    """What the receivers of selection_proposals_requested answer, oldest first."""
    found: list[SelectionProposal] = []
    for _receiver, answer in selection_proposals_requested.send(sender=None, account=account):
        found.extend(answer or [])
    return sorted(found, key=lambda proposal: proposal.proposed_at)
