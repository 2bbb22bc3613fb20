"""What Stage 3 tells later and cross-cutting apps; they connect, opportunities never imports
them (README "Architecture"). Sent after the step commits."""

from dataclasses import dataclass

from django.dispatch import Signal

# Sent once a pursue / hold / drop decision has committed. Keyword arguments: opportunity
# (Opportunity, as saved), decision (str), reason (str), acting_user (User).
opportunity_decided = Signal()

# Asked (not announced): what later apps know about where an opportunity came from (the
# customer workspace: "proposed by the customer", with their words). Sent with opportunity;
# each receiver answers a list of `Origin` (or nothing). Sent by its page.
opportunity_origin_requested = Signal()

# Asked: what waits for the account team on an account's opportunities page (the customer
# workspace: proposals to accept or decline). Sent with account_id; each receiver answers a
# list of `Waiting` (or nothing).
opportunities_waiting_requested = Signal()


@dataclass(frozen=True)
class Origin:
    text: str  # "Proposed by the customer: Anna Weber, 3/12/2026"
    words: str = ""  # what they wrote, shown under it
    link: str = ""  # where the team reads the rest
    link_text: str = ""


@dataclass(frozen=True)
class Waiting:
    text: str  # "2 customer proposals wait for a decision"; empty: nothing waits, a link only
    link: str
    link_text: str


def origins_of(opportunity) -> list[Origin]:
    found: list[Origin] = []
    for _receiver, answer in opportunity_origin_requested.send(
        sender=None, opportunity=opportunity
    ):
        found.extend(answer or [])
    return found


def waiting_on(account_id: int) -> list[Waiting]:
    found: list[Waiting] = []
    for _receiver, answer in opportunities_waiting_requested.send(
        sender=None, account_id=account_id
    ):
        found.extend(answer or [])
    return found
