"""Reads of the customer workspace: what a link holder sees (already narrowed to their
invitation), the invitations of an account, and the satisfaction results of the joint
reviews (over time, per stakeholder, per buying-centre role)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, FloatField, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import KeyAccount
from common.formats import half_up, number
from common.rows import first_rows
from delivery.models import Meeting
from discovery.models import Stakeholder
from planning.models import AccountPlan, Action, PlanVersion
from planning.snapshot import customer_version, hydrate

from .models import (
    AlignmentQuestion,
    CustomerProposal,
    Invitation,
    JointReview,
    PlanAcceptance,
    ReviewAnswer,
    ReviewResponse,
    WorkspaceComment,
)

RESULTS_RULE = _(
    "Recommend score: the share of answers of 9 or 10 minus the share of 0 to 6, in points "
    "(−100 to 100). Average rating: the mean of every 1–5 answer."
)


def recommend_score(scores: list[int]) -> int | None:
    """NPS style: % of 9–10 minus % of 0–6, rounded; None without answers."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return int(half_up(Decimal(100 * (promoters - detractors)) / len(scores)))


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass
class Scores:
    """The results of a group of answers (a review, a stakeholder, a role)."""

    label: str
    recommend_answers: list[int] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    responses: int = 0
    joint_review_id: int | None = None
    on: date | None = None

    @property
    def recommend(self) -> int | None:
        return recommend_score(self.recommend_answers)

    @property
    def average(self) -> float | None:
        return _mean(self.ratings)

    @property
    def average_text(self) -> str:
        # One decimal, rounded once from the exact mean as the portfolio's Satisfaction column
        # rounds it (3.25: 3.3), not from `average`, which is already rounded to 2 places.
        if not self.ratings:
            return "—"
        return number(half_up(Decimal(sum(self.ratings)) / len(self.ratings), 1), 1)

    @property
    def recommend_text(self) -> str:
        # −100…100: a negative score with the minus sign, as pages write numbers.
        return "—" if self.recommend is None else number(self.recommend)

    def add(self, answer: ReviewAnswer) -> None:
        if answer.kind == AlignmentQuestion.Kind.RECOMMEND:
            self.recommend_answers.append(answer.score)
        else:
            self.ratings.append(answer.score)


def _answers(account_ids):
    return (
        ReviewAnswer.objects.filter(
            response__joint_review__review__plan__key_account_id__in=account_ids
        )
        .select_related("response__joint_review__review", "response__stakeholder")
        .order_by("response__joint_review__review__opened_on", "response_id", "pk")
    )


def latest_satisfaction(account_ref: OuterRef) -> Subquery:
    """For an account query (the portfolio table): the average 1–5 rating of the account's
    latest joint review that has answers; None without one."""
    # Nested one level below the account query: the account is the outer query's outer ref
    # (a bare `account_ref` named the rating answer's own id, so the column was "—" or showed
    # another account's review).
    latest = (
        JointReview.objects.filter(
            review__plan__key_account=OuterRef(account_ref), responses__isnull=False
        )
        .order_by("-review__opened_on", "-pk")
        .values("pk")[:1]
    )
    average = (
        ReviewAnswer.objects.filter(
            response__joint_review=Subquery(latest), kind=AlignmentQuestion.Kind.RATING
        )
        .order_by()
        .values("kind")
        .annotate(average=Avg("score"))
        .values("average")[:1]
    )
    return Subquery(average, output_field=FloatField())


def review_scores(*, account_id: int) -> list[Scores]:
    """One row per answered joint review of the account, oldest first (one query)."""
    return reviews_by_account(account_ids=[account_id]).get(account_id, [])


def reviews_by_account(*, account_ids) -> dict[int, list[Scores]]:
    by_review: dict[int, Scores] = {}
    seen_responses: set[int] = set()
    for answer in _answers(account_ids):
        joint = answer.response.joint_review
        review = joint.review
        row = by_review.setdefault(
            joint.pk,
            Scores(label=review.quarter, joint_review_id=joint.pk, on=review.opened_on),
        )
        if answer.response_id not in seen_responses:
            seen_responses.add(answer.response_id)
            row.responses += 1
        row.add(answer)
    plans = dict(
        JointReview.objects.filter(pk__in=by_review).values_list(
            "pk", "review__plan__key_account_id"
        )
    )
    result: dict[int, list[Scores]] = defaultdict(list)
    for joint_id, row in by_review.items():
        result[plans[joint_id]].append(row)
    for rows in result.values():
        rows.sort(key=lambda r: (r.on, r.joint_review_id))
    return dict(result)


# The satisfaction page's lists of the customer's acceptances and comments show this many rows
# (the latest), and say when there are more; ?all=<list> shows up to ALL_ROWS of that one.
ACCEPTANCE_ROWS = 20
COMMENT_ROWS = 50
ALL_ROWS = 500


def satisfaction_results(*, account, listed_all: str = "") -> dict:
    """The account page: over time, per stakeholder, per role, and each response's comments.
    `listed_all`: the list of acceptances or comments the reader asked to see whole."""
    over_time: dict[int, Scores] = {}
    per_stakeholder: dict[int, Scores] = {}
    per_role: dict[str, Scores] = {}
    comments = []
    roles = dict(Stakeholder.BuyingRole.choices)
    seen: set[tuple[int, str]] = set()
    for answer in _answers([account.pk]):
        response = answer.response
        review = response.joint_review.review
        rows = (
            over_time.setdefault(
                response.joint_review_id,
                Scores(
                    label=review.quarter,
                    joint_review_id=response.joint_review_id,
                    on=review.opened_on,
                ),
            ),
            per_stakeholder.setdefault(
                response.stakeholder_id, Scores(label=response.stakeholder.name)
            ),
            per_role.setdefault(
                response.buying_role, Scores(label=roles.get(response.buying_role, "—"))
            ),
        )
        for row in rows:
            if (response.pk, row.label) not in seen:
                seen.add((response.pk, row.label))
                row.responses += 1
            row.add(answer)
        if answer.comment:
            comments.append(
                {
                    "quarter": review.quarter,
                    "who": response.stakeholder.name,
                    "question": answer.shown_question_text,
                    "score": answer.score,
                    "comment": answer.comment,
                }
            )
    timeline = sorted(over_time.values(), key=lambda r: (r.on, r.joint_review_id))
    return {
        "over_time": timeline,
        "per_stakeholder": sorted(per_stakeholder.values(), key=lambda r: r.label),
        "per_role": sorted(per_role.values(), key=lambda r: r.label),
        "comments": comments,
        "rule": RESULTS_RULE,
        "joint_reviews": JointReview.objects.filter(review__plan__key_account=account)
        .select_related("review", "followup_action")
        .prefetch_related("participants"),
        "acceptances": first_rows(
            PlanAcceptance.objects.filter(key_account=account).select_related(
                "stakeholder", "plan_version"
            ),
            ALL_ROWS if listed_all == "acceptances" else ACCEPTANCE_ROWS,
        ),
        "customer_comments": first_rows(
            WorkspaceComment.objects.filter(key_account=account).select_related(
                "stakeholder", "action", "plan_version"
            ),
            ALL_ROWS if listed_all == "comments" else COMMENT_ROWS,
        ),
    }


def is_invited(*, account, stakeholder) -> bool:
    """Whether the stakeholder holds an invitation that was not revoked (inviting them again
    replaces its link)."""
    return Invitation.objects.filter(
        key_account=account, stakeholder=stakeholder, revoked_at__isnull=True
    ).exists()


def invitations_of(*, account) -> list[Invitation]:
    return list(
        Invitation.objects.filter(key_account=account).select_related(
            "stakeholder", "created_by", "revoked_by"
        )
    )


# ---- what a link holder sees ----------------------------------------------------------------


def workspace_for(*, invitation: Invitation, today: date | None = None) -> dict:
    """Everything the workspace page shows, narrowed to the invitation's stakeholder: the
    customer version of the last approved plan (nothing internal), their own joint actions,
    the meetings they attend, their own comments, the reviews they are asked to answer."""
    today = today or timezone.localdate()
    stakeholder = invitation.stakeholder
    version = last_approved_version(invitation.key_account_id)
    doc = hydrate(customer_version(version.snapshot)) if version else None
    actions = list(
        Action.objects.filter(
            plan__key_account_id=invitation.key_account_id,
            plan__is_current=True,
            customer_owner=stakeholder,
            is_internal=False,
        )
        .exclude(status=Action.Status.CANCELLED)
        .prefetch_related(
            Prefetch(
                "customer_comments",
                queryset=WorkspaceComment.objects.filter(stakeholder=stakeholder),
                to_attr="my_comments",
            )
        )
        .order_by("status", "due_on", "pk")
    )
    meetings = list(
        Meeting.objects.filter(
            key_account_id=invitation.key_account_id,
            stakeholders=stakeholder,
            cancelled_at__isnull=True,
            starts_at__date__gte=today,
        )
        .order_by("starts_at", "pk")
        .only("title", "starts_at", "ends_at", "location", "time_zone")[:20]
    )
    answered = set(
        ReviewResponse.objects.filter(stakeholder=stakeholder).values_list(
            "joint_review_id", flat=True
        )
    )
    reviews = [
        {"joint": joint, "answered": joint.pk in answered}
        for joint in JointReview.objects.filter(
            review__plan__key_account_id=invitation.key_account_id,
            participants=stakeholder,
        ).select_related("review")
    ]
    accepted = (
        version is not None
        and PlanAcceptance.objects.filter(plan_version=version, stakeholder=stakeholder).exists()
    )
    plan_comments = (
        list(
            WorkspaceComment.objects.filter(
                stakeholder=stakeholder, plan_version=version, action__isnull=True
            )
        )
        if version
        else []
    )
    return {
        "version": version,
        "doc": doc,
        **plan_actions_by_opportunity(doc),
        "accepted": accepted,
        "actions": actions,
        "meetings": meetings,
        "reviews": reviews,
        "plan_comments": plan_comments,
    }


def plan_actions_by_opportunity(doc: dict | None) -> dict:
    """The customer version's actions as its PDF lays them out: under each opportunity we
    pursue together (in priority order), then the others."""
    if doc is None:
        return {"plan_opportunities": [], "other_plan_actions": []}
    shown = {o["id"] for o in doc["opportunities"]}
    return {
        "plan_opportunities": [
            {**o, "actions": [a for a in doc["actions"] if a.get("opportunity_id") == o["id"]]}
            for o in doc["opportunities"]
        ],
        "other_plan_actions": [a for a in doc["actions"] if a.get("opportunity_id") not in shown],
    }


def last_approved_version(account_id: int) -> PlanVersion | None:
    """The current plan's latest approved version (what the customer's workspace shows)."""
    plan = AccountPlan.objects.filter(key_account_id=account_id, is_current=True).first()
    if plan is None:
        return None
    return plan.versions.approvals().order_by("-number").first()


# ---- customer proposals ---------------------------------------------------------------------


def proposals_of(*, invitation: Invitation) -> list[CustomerProposal]:
    """The link holder's own proposals (their stakeholder's, on their account), newest first."""
    return list(
        CustomerProposal.objects.filter(
            key_account_id=invitation.key_account_id, stakeholder_id=invitation.stakeholder_id
        ).select_related("opportunity")
    )


def proposals_for_account(*, account) -> dict:
    """The account's proposals for its team: those waiting for a decision (oldest first: the
    longest waiting on top) and the others (newest first)."""
    rows = list(
        CustomerProposal.objects.filter(key_account=account).select_related(
            "stakeholder", "decided_by", "opportunity"
        )
    )
    waiting = [p for p in rows if p.is_open]
    waiting.reverse()
    return {"waiting": waiting, "done": [p for p in rows if not p.is_open]}


def proposals_waiting_on(*, account_ids) -> list[CustomerProposal]:
    """Proposals still waiting for a decision on active accounts among `account_ids`, the
    longest waiting first (one query)."""
    return list(
        CustomerProposal.objects.filter(
            key_account_id__in=account_ids,
            key_account__status=KeyAccount.Status.ACTIVE,
            status=CustomerProposal.Status.RECEIVED,
        )
        .select_related("key_account__customer", "stakeholder")
        .order_by("submitted_at", "pk")
    )


def proposal_counts(*, account_id: int) -> dict[str, int]:
    """How many proposals the account's customer made, and how many wait (one query)."""
    return CustomerProposal.objects.filter(key_account_id=account_id).aggregate(
        proposed=Count("pk"),
        waiting=Count("pk", filter=Q(status=CustomerProposal.Status.RECEIVED)),
    )


def proposal_for_opportunity(*, opportunity_id: int) -> CustomerProposal | None:
    return (
        CustomerProposal.objects.filter(opportunity_id=opportunity_id)
        .select_related("stakeholder")
        .first()
    )
