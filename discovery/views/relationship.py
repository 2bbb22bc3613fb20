"""The relationship page: stage, buy–sell position and service level, with their history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import RelationshipStage
from accounts.permissions import EDIT, VIEW, get_account_for_user
from common.conflicts import EditConflict, describe_conflict
from common.rows import first_rows

from .. import services
from ..forms import (
    RelationshipForm,
)
from ..models import (
    RelationshipChange,
)
from .common import _apply_errors, _context

HISTORY_ROWS = 50
HISTORY_ALL_ROWS = 500


def _relationship_page(request, account, form, status=200, conflict=None):
    history = RelationshipChange.objects.filter(key_account=account).select_related("changed_by")
    return render(
        request,
        "discovery/relationship.html",
        _context(
            request,
            account,
            form=form,
            # The latest changes; ?all=history: every one (up to HISTORY_ALL_ROWS).
            history=first_rows(
                history,
                HISTORY_ALL_ROWS if request.GET.get("all") == "history" else HISTORY_ROWS,
            ),
            listed_all=request.GET.get("all", ""),
            service_too_high=services.service_exceeds_stage(account),
            stages=RelationshipStage.choices,
            conflict=conflict,
        ),
        status=conflict.status if conflict else status,
    )


@login_required
@require_GET
def relationship(request, account_id: int):
    account = get_account_for_user(request.user, account_id, VIEW)
    form = RelationshipForm(
        initial={
            "relationship_stage": account.relationship_stage,
            "buy_sell_position": account.buy_sell_position,
            "service_level": account.service_level,
            "changed_on": timezone.localdate(),
            "revision": account.revision,
        }
    )
    return _relationship_page(request, account, form)


@login_required
@require_POST
def relationship_update(request, account_id: int):
    account = get_account_for_user(request.user, account_id, EDIT)
    form = RelationshipForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes = services.relationship_update(
                account=account,
                stage=data["relationship_stage"],
                position=data["buy_sell_position"],
                service_level=data["service_level"],
                reason=data["reason"],
                changed_on=data["changed_on"],
                acting_user=request.user,
                revision=data["revision"],
            )
        except EditConflict as exc:
            current = exc.current
            saved_form = RelationshipForm(
                initial={
                    "relationship_stage": current.relationship_stage,
                    "buy_sell_position": current.buy_sell_position,
                    "service_level": current.service_level,
                    "revision": current.revision,
                }
            )
            conflict = describe_conflict(exc, form=form, saved=saved_form)
            return _relationship_page(request, account, form, conflict=conflict)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            changed = ", ".join(str(c.get_field_display()).lower() for c in changes)
            messages.success(request, _("Recorded the new %(changed)s.") % {"changed": changed})
            return redirect("discovery:relationship", account.pk)
    return _relationship_page(request, account, form)
