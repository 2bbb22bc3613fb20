"""Why an account is off track: its current plan's off-track targets and overdue actions, by
name. Planning's rules decide both (`rules.target_status`, `overdue_actions_q`); this module
only reads them for many plans at once, in two queries however many plans there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from common.compiled import CompiledPerKey
from planning import rules
from planning.models import Action, Target
from planning.selectors import overdue_actions_q, targets_with_status

WHY_RULE = _(
    "Why: the current plan's targets off track by the target rule and its overdue actions "
    "(still open and due before today)."
)


@dataclass
class Why:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    off_track: list[Target] = field(default_factory=list)
    overdue: list[Action] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.off_track or self.overdue)


def targets_by_status(plan_ids, today: date) -> dict[int, Why]:
    """Each plan's live targets counted by status, the off-track ones kept (one query)."""
    found: dict[int, Why] = defaultdict(Why)
    for target in targets_with_status(plan_ids, today=today):
        why = found[target.objective.plan_id]
        why.counts[target.status.status] += 1
        if target.status.status == rules.OFF_TRACK:
            why.off_track.append(target)
    return found


def why_off_track(plan_ids, today: date) -> dict[int, Why]:
    """Plan id -> its target counts, off-track targets and overdue actions (two queries)."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return {}
    found = targets_by_status(plan_ids, today)
    for action in _OVERDUE.rows(
        today,
        lambda ids: (
            Action.objects.filter(overdue_actions_q(today), plan_id__in=ids)
            .select_related("owner")
            # What a "Why" list shows of an action: its title, due date and owner's name (not
            # its notes, nor the owner's password hash and other columns).
            .only(
                "plan_id",
                "title",
                "due_on",
                "owner__first_name",
                "owner__last_name",
                "owner__username",
            )
            .order_by("due_on", "pk")
        ),
        plan_ids,
    ):
        found[action.plan_id].overdue.append(action)
    return dict(found)


# Compiled once per day and number of plans (bench/README.md, finding 52).
_OVERDUE = CompiledPerKey(maxsize=32)
