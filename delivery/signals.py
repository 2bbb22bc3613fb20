"""What My work asks later and cross-cutting apps; they connect, delivery never imports them
(README "Architecture")."""

from dataclasses import dataclass

from django.dispatch import Signal

# Asked (not announced): what waits for a person's answer that a later app owns (the customer
# workspace: proposals to accept or decline). Sent with user; each receiver answers a list of
# `WorkItem` (or nothing). Sent by My work.
work_waiting_requested = Signal()


@dataclass(frozen=True)
class WorkItem:
    kind: str  # the section's heading: "Customer proposals to answer"
    title: str  # what waits, linked
    link: str
    account: str  # the account's name
    detail: str  # "Proposed by Katrin Vogel on 3 Dec 2026"


def work_waiting(user) -> list[WorkItem]:
    found: list[WorkItem] = []
    for _receiver, answer in work_waiting_requested.send(sender=None, user=user):
        found.extend(answer or [])
    return found
