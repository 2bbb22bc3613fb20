"""Demo data for the programme rhythm: quarterly reviews in every state, digest preferences
for the demo users and a few job runs.

Idempotent: reviews are found by (plan, quarter), preferences by user, job runs by
(job, trigger). Works without plans (then only preferences and job runs are seeded).
"""

import uuid
from datetime import timedelta
from functools import partial

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.event_text import EventText
from accounts.models import AccountEvent, Classification, Membership, Role
from accounts.services import event_fields
from common.dates import at_hour
from notifications.models import Notification
from notifications.services import Message, notify_many
from planning.models import AccountPlan, HealthRecord, PlanVersion, Review
from planning.services import plan_health_refresh, review_completed_text

from . import jobs
from .models import DigestPreference, JobRun, ReviewNotice
from .services import (
    REVIEW_DUE_DAYS,
    _proposal_text,
    _review_escalated_text,
    quarter_label,
    quarter_start,
)

# A fixed batch id marks the notices the demo itself wrote.
DEMO_BATCH = uuid.UUID("00000000-0000-4000-8000-000000002027")

PREFERENCES = {
    "director": {"frequency": DigestPreference.Frequency.WEEKLY},
    "director2": {"frequency": DigestPreference.Frequency.WEEKLY},
    "manager": {},
    "manager2": {"stale_plans": False},
    "coordinator": {"actions": True, "reviews": False, "stale_plans": False},
    "teammember": {
        "meetings_without_agenda": False,
        "reviews": False,
        "stale_plans": False,
        "engagements": False,
    },
    "executive": {"frequency": DigestPreference.Frequency.WEEKLY, "actions": False},
}

COMPLETED_COMMENTS = (
    "Two quarters of growth above plan, a second sponsor at board level and joint planning "
    "with their supply chain team: the account behaves like a strategic partner now. "
    "Proposing to move it up so that it gets the investment that goes with it."
)


def _leaders(account) -> dict[str, list]:
    team: dict[str, list] = {}
    for membership in Membership.objects.filter(
        key_account=account, role__in=[Role.DIRECTOR, Role.MANAGER]
    ).select_related("user"):
        team.setdefault(membership.role, []).append(membership.user)
    return team


def _open_review(plan, quarter, opened_on) -> tuple[Review, bool]:
    review, created = Review.objects.get_or_create(
        plan=plan,
        quarter=quarter,
        defaults={"opened_on": opened_on, "due_on": opened_on + timedelta(days=REVIEW_DUE_DAYS)},
    )
    ReviewNotice.objects.get_or_create(
        review=review, defaults={"batch": DEMO_BATCH, "notified_at": at_hour(opened_on, 1)}
    )
    return review, created


def _reviews(ctx) -> int:
    today = ctx.today
    plans = list(
        AccountPlan.objects.filter(
            is_current=True, key_account__in=[a for a in ctx.accounts[:12] if a.is_active]
        )
        .exclude(status=AccountPlan.Status.ARCHIVED)
        .select_related("key_account__customer")
        .order_by("key_account__customer__name")
    )
    if not plans:
        return 0
    quarter = quarter_label(today)
    start = quarter_start(today)
    # Open reviews of this quarter on a few plans, still within their 30 days.
    for plan in plans[:4]:
        _open_review(plan, quarter, max(start, today - timedelta(days=12)))
    # One review left open for 40 days: escalated to the director.
    overdue_plan = plans[4] if len(plans) > 4 else plans[-1]
    opened = today - timedelta(days=40)
    review, created = _open_review(overdue_plan, quarter_label(opened), opened)
    if created:
        review.escalated_at = at_hour(review.due_on + timedelta(days=1), 7)
        review.save(update_fields=["escalated_at"])
        # What the job writes (its words, in each director's language), without the e-mail.
        days = (review.due_on + timedelta(days=1) - opened).days
        link = reverse("rhythm:review", args=[overdue_plan.key_account_id, review.pk])
        notify_many(
            messages=[
                Message(director, partial(_review_escalated_text, review, days), link, email=False)
                for director in _leaders(overdue_plan.key_account).get(Role.DIRECTOR, [])
            ]
        )
    # A completed review with a class-change proposal (on a plan that is not approved, so the
    # approved versions of the plans demo stay as they are).
    candidates = [p for p in plans[5:] if p.status != AccountPlan.Status.APPROVED] or plans
    _completed_review(candidates[0], today)
    return len(plans)


def _completed_review(plan, today) -> None:
    previous = quarter_start(today) - timedelta(days=1)
    opened = quarter_start(previous)
    review, created = _open_review(plan, quarter_label(previous), opened)
    if not created:
        return
    account = plan.key_account
    leaders = _leaders(account)
    author = (leaders.get(Role.MANAGER) or leaders.get(Role.DIRECTOR) or [None])[0]
    proposed = (
        Classification.STRATEGIC
        if account.classification != Classification.STRATEGIC
        else Classification.STATUS
    )
    completed_at = at_hour(opened + timedelta(days=18), 15)
    review.decision = Review.Decision.CHANGE_CLASS
    review.proposed_class = proposed
    review.comments = COMPLETED_COMMENTS
    review.completed_at = completed_at
    review.completed_by = author
    review.save()
    from planning.snapshot import load_plan, plan_to_dict

    number = (plan.versions.review_snapshots().aggregate(n=Max("number"))["n"] or 0) + 1
    snapshot = plan_to_dict(
        load_plan(plan),
        version={
            "kind": PlanVersion.Kind.REVIEW,
            "number": number,
            "created_at": completed_at.isoformat(),
            "created_by": str(author),
            "comment": COMPLETED_COMMENTS,
            "quarter": review.quarter,
            "plan_status": plan.status,
            "plan_status_label": plan.get_status_display(),
        },
    )
    version = PlanVersion.objects.create(
        plan=plan, kind=PlanVersion.Kind.REVIEW, number=number, snapshot=snapshot, created_by=author
    )
    # Frozen on the review's day (created_at is set on insert), as the snapshot says.
    PlanVersion.objects.filter(pk=version.pk).update(created_at=completed_at)
    link = f"/accounts/{account.pk}/reviews/{review.pk}/"
    AccountEvent.objects.create(
        key_account=account,
        kind=AccountEvent.Kind.REVIEW,
        **event_fields(
            review_completed_text(
                quarter=review.quarter,
                decision=Review.Decision.CHANGE_CLASS,
                number=number,
                proposed_class=proposed,
            ),
            COMPLETED_COMMENTS,
        ),
        old_value=account.classification,
        new_value=proposed,
        actor=author,
        occurred_at=completed_at,
        link=link,
    )
    notify_many(
        messages=[
            Message(
                director,
                partial(_proposal_text, author, review, account, proposed),
                link,
                email=False,
            )
            for director in leaders.get(Role.DIRECTOR, [])
        ]
    )


def _preferences(ctx) -> None:
    for username, choices in PREFERENCES.items():
        user = ctx.users.get(username)
        if user is not None:
            DigestPreference.objects.get_or_create(user=user, defaults=choices)


def _job_runs(ctx) -> None:
    now = timezone.now()
    rows = [
        (
            JobRun.Job.OPEN_REVIEWS,
            JobRun.Outcome.OK,
            {"plans": 12, "opened": 4, "notified": 8},
            "",
            timedelta(days=2, hours=13, minutes=30),
        ),
        (
            JobRun.Job.DIGESTS,
            JobRun.Outcome.OK,
            {"users": 10, "due": 8, "with_items": 5, "sent": 5},
            "",
            timedelta(hours=3, minutes=55),
        ),
        # A worker killed mid-run (a deploy restarted it): the run is marked failed and the
        # task, delivered again, finished the work without sending any digest twice.
        (
            JobRun.Job.DIGESTS,
            JobRun.Outcome.FAILED,
            {},
            jobs.interrupted(EventText(jobs.REDELIVERED)),
            timedelta(days=1, hours=3, minutes=55),
        ),
        (
            JobRun.Job.CLEANUP_EXPORTS,
            JobRun.Outcome.FAILED,
            {},
            "OperationalError: could not connect to server: Connection refused "
            "(retried with back-off; the next run succeeded)",
            timedelta(days=1, hours=5, minutes=15),
        ),
    ]
    for job, outcome, counts, error, ago in rows:
        JobRun.objects.get_or_create(
            job=job,
            trigger="seed_demo",
            outcome=outcome,
            defaults={
                "started_at": now - ago,
                "finished_at": now - ago + timedelta(seconds=2),
                "outcome": outcome,
                "counts": counts,
                # What the app writes, kept for each reader's language (rhythm.jobs).
                "error": error.english(10**6) if isinstance(error, EventText) else error,
                "error_text": error.stored() if isinstance(error, EventText) else {},
            },
        )


def _given_up_email(ctx) -> None:
    """One e-mail the mail server kept refusing, listed on /jobs/ under "E-mails not sent"."""
    user = ctx.users.get("coordinator")
    if user is None:
        return
    text = "Reminder: the Q3 category review meeting has no agenda yet."
    Notification.objects.get_or_create(
        user=user,
        text=text,
        defaults={
            "link": "/reminders/",
            "email_status": Notification.Email.FAILED,
            "email_subject": f"KAM Programme: {text}"[:150],
            "email_body": f"{text}\n",
            "email_attempts": 5,
            "email_error": "SMTPRecipientsRefused: 550 mailbox unavailable",
        },
    )


def seed(ctx) -> None:
    plans = _reviews(ctx)
    _preferences(ctx)
    _job_runs(ctx)
    _given_up_email(ctx)
    # The nightly job's work, done now: bulk-created plans and actions carry no stored score.
    scored = plan_health_refresh(today=ctx.today)
    recorded = _health_history(ctx)
    ctx.say(
        f"Rhythm: quarterly reviews on {min(plans, 6)} of {plans} plans (one escalated, one "
        "completed with a class-change proposal), digest preferences, job runs; "
        f"{scored} plan health scores stored for today, {recorded} earlier daily scores."
    )


TREND_SHAPES = [-25, -12, -5, 0, 0, 5, 10, 20]  # score then minus score now, 90 days ago


def _health_history(ctx) -> int:
    """What the nightly job would have recorded over the last 90 days, so the dashboard's
    30-day change has something to show: hand-written plans daily, generated ones every 30
    days. Each plan drifts in a straight line from an earlier score to today's (a plan that
    got worse, one that improved, several that held). Idempotent: one record per plan and
    day."""
    records = []
    plans = AccountPlan.objects.filter(is_current=True, health_score__isnull=False).order_by("pk")
    hand_written = {a.pk for a in ctx.accounts[:12]}
    for plan_id, account_id, score in plans.values_list("pk", "key_account_id", "health_score"):
        shape = TREND_SHAPES[plan_id % len(TREND_SHAPES)]
        step = 1 if account_id in hand_written else 30
        for days in range(step, 91, step):
            then = max(0, min(100, score + round(shape * days / 90)))
            records.append(
                HealthRecord(
                    plan_id=plan_id, recorded_on=ctx.today - timedelta(days=days), score=then
                )
            )
    before = HealthRecord.objects.count()
    HealthRecord.objects.bulk_create(records, ignore_conflicts=True, batch_size=2000)
    return HealthRecord.objects.count() - before
