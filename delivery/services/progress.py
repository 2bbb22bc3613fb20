"""Action progress: a progress update writes one `planning.ActionUpdate` history row and moves
the action's status/percent; "done" means 100 % and stamps the completion date."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.event_text import EventText
from accounts.models import AccountEvent
from accounts.services import account_event_record
from common.conflicts import bump_revision, check_revision
from planning.models import (
    Action,
    ActionUpdate,
)

from .shared import _is_quick_win

PROGRESS_STATUSES = (
    Action.Status.OPEN,
    Action.Status.IN_PROGRESS,
    Action.Status.WAITING,
    Action.Status.DONE,
)


@transaction.atomic
def action_progress_update(
    *,
    action: Action,
    status: str,
    progress_percent: int,
    note: str,
    revision: int | None,
    acting_user,
    customer_name: str = "",
) -> ActionUpdate:
    """Record one progress update: history row + the action's new status and percent.
    `customer_name`: the customer stakeholder who made it in the workspace (no user).

    "Done" sets 100 % and the completion date; leaving "done" clears the date. An update that
    changes nothing and says nothing is refused. Permission (own actions for team members) is
    the view's job via `permissions.can_update_action`.
    """
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("opportunity", "plan")
        .get(pk=action.pk)
    )
    check_revision(
        action,
        revision,
        message=lambda saved: (
            _(
                "Someone else updated this action while you were typing: it is "
                "now %(status)s, %(percent)s %%."
            )
            % {"status": saved.get_status_display(), "percent": saved.progress_percent}
        ),
    )
    if action.status == Action.Status.CANCELLED:
        raise ValidationError(_("This action was cancelled in the plan; it takes no more updates."))
    if not action.plan.is_current:
        raise ValidationError(_("This action belongs to an archived plan."))
    if status not in PROGRESS_STATUSES:
        raise ValidationError({"status": _("Choose open, in progress, waiting on others or done.")})
    if not 0 <= progress_percent <= 100:
        raise ValidationError({"progress_percent": _("Progress is a percentage from 0 to 100.")})
    if status == Action.Status.DONE:
        progress_percent = 100
    note = note.strip()
    if status == action.status and progress_percent == action.progress_percent and not note:
        raise ValidationError(_("Nothing changed: change the status or percent, or add a note."))
    was_done = action.status == Action.Status.DONE
    action.status = status
    action.progress_percent = progress_percent
    if status == Action.Status.DONE and not was_done:
        action.completed_on = timezone.localdate()
    elif status != Action.Status.DONE:
        action.completed_on = None
    bump_revision(action)
    action.full_clean()
    action.save(update_fields=["status", "progress_percent", "completed_on", "revision"])
    update = ActionUpdate(
        action=action,
        status=status,
        progress_percent=progress_percent,
        # Who made it, where no user did (the customer, in the workspace): their name leads the
        # note, and is the note when they wrote none (the history said "—" and nothing else).
        note=f"{customer_name}: {note}" if customer_name and note else customer_name or note,
        updated_by=acting_user,
    )
    update.full_clean()
    update.save()
    if status == Action.Status.DONE and not was_done:
        account_event_record(
            account=action.plan.key_account,
            kind=AccountEvent.Kind.ACTION,
            summary=_done_text(action, customer_name),
            reason=note,
            acting_user=acting_user,
            link=reverse("delivery:action_detail", args=[action.plan.key_account_id, action.pk]),
        )
    return update


def _done_text(action: Action, customer_name: str) -> EventText:
    """The timeline's one entry for an action done: a quick win says so; the customer's own
    tick in the workspace names them."""
    quick_win = _is_quick_win(action.opportunity)
    if customer_name:
        return EventText(
            gettext_noop("Quick win delivered: %(title)s (marked done by customer %(name)s)")
            if quick_win
            else gettext_noop("Customer %(name)s marked “%(title)s” done"),
            title=action.title,
            name=customer_name,
        )
    return EventText(
        gettext_noop("Quick win delivered: %(title)s")
        if quick_win
        else gettext_noop("Action done: %(title)s"),
        title=action.title,
    )
