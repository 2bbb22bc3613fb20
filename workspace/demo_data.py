"""Demo data for the customer workspace: on the first demo account with an approved plan, one
customer stakeholder is invited, owns a joint action (done, with a note), commented, accepted
the plan and answered two joint reviews in their quarters, the later one worse (so the follow-up
action for the manager exists); the manager completed both reviews. They proposed two value
opportunities: the manager accepted one (an opportunity, not scored yet), one waits.
`python manage.py workspace_link <e-mail>` prints a link to open it.

Idempotent: the stakeholder's invitation, action, comment, acceptance and answers are found
before they are made.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, Membership, Role
from accounts.services import event_fields, events_dated
from common.dates import at_hour
from planning.models import AccountPlan, Action, PlanVersion, Review
from planning.services import plan_review_snapshot_record, review_completed_text

from . import selectors, services
from .models import (
    CustomerProposal,
    Invitation,
    JointReview,
    PlanAcceptance,
    ReviewResponse,
    WorkspaceComment,
)
from .services import proposals as proposal_services

DEMO_EMAIL_DOMAIN = "customer.example"
REVIEW_DUE_DAYS = 30  # as the quarterly review job opens them


def quarter_start(day):
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def quarter_label(day) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


# (recommend 0–10, then one 1–5 score per default rating question), older review first.
ANSWERS = ((9, 5, 4, 5), (6, 3, 3, 4))


def _demo_plan(ctx):
    for account in ctx.accounts:
        plan = (
            AccountPlan.objects.filter(key_account=account, is_current=True)
            .prefetch_related("versions")
            .first()
        )
        if (
            plan
            and plan.versions.approvals().exists()
            and account.memberships.filter(role=Role.MANAGER).exists()
            and account.stakeholders.filter(archived_at__isnull=True).exists()
        ):
            return plan
    return None


def _stakeholder(account):
    person = account.stakeholders.filter(archived_at__isnull=True).order_by("pk").first()
    if not person.email:
        local = person.name.lower().replace(" ", ".").replace("'", "")
        person.email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        person.save(update_fields=["email"])
    return person


def _reviews(plan, today) -> list[Review]:
    """The plan's two latest quarterly reviews, opened where the rhythm demo left none."""
    reviews = []
    start = quarter_start(today)
    for back in (2, 1):
        day = start
        for _ in range(back):
            day = quarter_start(day - timedelta(days=1))
        review, _created = Review.objects.get_or_create(
            plan=plan,
            quarter=quarter_label(day),
            defaults={"opened_on": day, "due_on": day + timedelta(days=REVIEW_DUE_DAYS)},
        )
        reviews.append(review)
    return reviews


REVIEW_COMMENT = (
    "Went through the plan and the customer's answers with the team: on course, class kept."
)

# (title, need, benefit, rough size, timing, days ago, accepted with this note or waiting)
PROPOSALS = (
    (
        "Vendor-managed stock for the Erfurt plant",
        "Our planners reorder packaging by hand every week and we still run short twice a quarter.",
        "No more line stops for missing trays; two planners back on forecasting.",
        "About 40 pallets a week",
        CustomerProposal.Timing.HALF_YEAR,
        20,
        "Good idea: we will propose reorder points at our next meeting.",
    ),
    (
        "Recyclable trays for the organic range",
        "Our retail customers ask for packaging they can recycle by 2028.",
        "Keep our listings with the two largest retailers.",
        "",
        CustomerProposal.Timing.YEAR,
        4,
        None,
    ),
)


def _proposals(ctx, invitation, account) -> None:
    manager = (
        Membership.objects.filter(key_account=account, role=Role.MANAGER)
        .select_related("user")
        .first()
        .user
    )
    for title, need, benefit, size, timing, days_ago, note in PROPOSALS:
        if CustomerProposal.objects.filter(key_account=account, title=title).exists():
            continue
        sent = at_hour(ctx.today - timedelta(days=days_ago), 11)
        with events_dated(sent):
            proposal = proposal_services.proposal_submit(
                invitation=invitation,
                title=title,
                need=need,
                benefit=benefit,
                rough_size=size,
                timing=timing,
            )
        CustomerProposal.objects.filter(pk=proposal.pk).update(submitted_at=sent)
        proposal.refresh_from_db()
        if note is not None:
            decided = sent + timedelta(days=2)
            with events_dated(decided):
                proposal = proposal_services.proposal_decide(
                    proposal=proposal,
                    decision=proposal_services.ACCEPT,
                    reply=note,
                    acting_user=manager,
                    revision=proposal.revision,
                )
            CustomerProposal.objects.filter(pk=proposal.pk).update(decided_at=decided)


def _held_in_its_quarter(review: Review, joint: JointReview) -> None:
    """Each review as it happened in its quarter: held with the customer ten days after it
    opened, answered two days later, completed by the manager (class kept, a review snapshot)
    three days after that, well before it was due. Else the timeline told of both reviews as
    held today while the manager's work listed them open and overdue since spring."""
    account = review.plan.key_account
    held = at_hour(review.opened_on + timedelta(days=10), 10)
    answered = held + timedelta(days=2)
    completed = answered + timedelta(days=3)
    JointReview.objects.filter(pk=joint.pk).update(opened_at=held)
    ReviewResponse.objects.filter(joint_review=joint).update(submitted_at=answered)
    steps = AccountEvent.objects.filter(key_account=account, kind=AccountEvent.Kind.REVIEW)
    steps.filter(summary__startswith=f"Quarterly review {review.quarter} held with").update(
        occurred_at=held
    )
    steps.filter(summary__endswith=f"answered the joint review {review.quarter}").update(
        occurred_at=answered
    )
    if review.completed_at is not None:
        return
    manager = (
        Membership.objects.filter(key_account=account, role=Role.MANAGER)
        .select_related("user")
        .first()
        .user
    )
    version = plan_review_snapshot_record(
        plan=review.plan, quarter=review.quarter, acting_user=manager, comment=REVIEW_COMMENT
    )
    # Frozen on the review's day: the row and the snapshot's own date (what the PDF prints).
    snapshot = {**version.snapshot, "version": {**version.snapshot["version"]}}
    snapshot["version"]["created_at"] = completed.isoformat()
    PlanVersion.objects.filter(pk=version.pk).update(created_at=completed, snapshot=snapshot)
    Review.objects.filter(pk=review.pk).update(
        decision=Review.Decision.KEEP,
        comments=REVIEW_COMMENT,
        completed_at=completed,
        completed_by=manager,
    )
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.REVIEW,
        **event_fields(
            review_completed_text(
                quarter=review.quarter, decision=Review.Decision.KEEP, number=version.number
            ),
            REVIEW_COMMENT,
        ),
        actor=manager,
        occurred_at=completed,
        link=reverse("rhythm:review", args=[account.pk, review.pk]),
    )


def seed(ctx) -> None:
    plan = _demo_plan(ctx)
    if plan is None:
        return
    account = plan.key_account
    person = _stakeholder(account)
    services.questions_ensure_defaults()
    invitation = Invitation.objects.filter(stakeholder=person, revoked_at__isnull=True).first()
    if invitation is None:
        invited_at = at_hour(ctx.today - timedelta(days=40), 9)
        with events_dated(invited_at):
            invitation, _token = services.invitation_create(
                account=account, stakeholder=person, acting_user=None, send=False
            )
        # Sent 40 days ago, as its timeline entry says (the row took today's date: its list
        # read "invited today" beside visits from before).
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=invited_at,
            expires_at=invited_at + timedelta(days=settings.WORKSPACE_LINK_DAYS),
        )
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        last_visit_at=now - timedelta(days=2), visits=7
    )
    invitation.refresh_from_db()

    action, created = Action.objects.get_or_create(
        plan=plan,
        title="Share the weekly shelf-availability data",
        defaults={"customer_owner": person, "due_on": ctx.today + timedelta(days=14)},
    )
    if created or action.status != Action.Status.DONE:
        with events_dated(at_hour(ctx.today - timedelta(days=3), 16)):
            services.customer_action_tick(
                invitation=invitation,
                action=action,
                done=True,
                note="Sent to your planning team.",
                revision=None,  # demo data: not from a page
            )
    Action.objects.get_or_create(
        plan=plan,
        title="Name a contact for the joint forecast",
        defaults={"customer_owner": person, "due_on": ctx.today + timedelta(days=21)},
    )
    version = selectors.last_approved_version(account.pk)
    if not WorkspaceComment.objects.filter(stakeholder=person).exists():
        with events_dated(at_hour(ctx.today - timedelta(days=6), 14)):
            services.customer_comment(
                invitation=invitation,
                text="The winter objectives match what our board asked for.",
                plan_version=version,
            )
    if not PlanAcceptance.objects.filter(stakeholder=person, plan_version=version).exists():
        with events_dated(at_hour(ctx.today - timedelta(days=5), 10)):
            services.customer_accept_plan(invitation=invitation, plan_version=version)

    questions = [q for q in services.questions_ensure_defaults() if q.is_active]
    for review, scores in zip(_reviews(plan, ctx.today), ANSWERS, strict=True):
        joint = JointReview.objects.filter(review=review).first()
        held = at_hour(review.opened_on + timedelta(days=10), 10)
        if joint is None:
            with events_dated(held):
                joint = services.joint_review_open(
                    review=review, participants=[person], acting_user=None, send=False
                )
        if not ReviewResponse.objects.filter(joint_review=joint, stakeholder=person).exists():
            answers = {
                q.pk: (score, "Deliveries were late twice in December." if score <= 3 else "")
                for q, score in zip(questions, scores, strict=False)
            }
            with events_dated(held + timedelta(days=2)):
                services.review_answer(invitation=invitation, joint_review=joint, answers=answers)
        _held_in_its_quarter(review, joint)
    _proposals(ctx, invitation, account)
    ctx.say(
        f"Customer workspace: {person.name} of {account.name} accepted the plan, answered "
        f"two joint reviews and proposed two opportunities (one accepted, one waiting). "
        f"Open it with: python manage.py workspace_link {person.email}"
    )
