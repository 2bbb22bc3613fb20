"""Answers to the earlier stages' questions (they never import rhythm)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from planning.models import Review
from planning.selectors import open_selection_proposals
from strategy.signals import SelectionProposal


def review_proposals(sender, *, account, **kwargs) -> list[SelectionProposal]:
    """strategy.signals.selection_proposals_requested: the quarterly review of the account's
    plan that proposes a class change or its de-selection, while nothing has answered it
    (planning.selectors.open_selection_proposals), with its comments as the reasons."""
    return [
        SelectionProposal(
            deselect=review.decision == Review.Decision.DESELECT,
            proposed_class=review.proposed_class,
            source=gettext("the %(quarter)s quarterly review") % {"quarter": review.quarter},
            proposed_by=str(review.completed_by) if review.completed_by else "",
            proposed_at=review.completed_at,
            reasons=review.comments,
            url=reverse("rhythm:review", args=[account.pk, review.pk]),
        )
        for review in open_selection_proposals([account.pk])
    ]
