from datetime import timedelta

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from notifications.models import Notification
from planning.models import AccountPlan, HealthRecord, PlanVersion, Review
from rhythm import services
from rhythm.models import DigestPreference, JobRun
from rhythm.services import quarter_label


# Seeding again changes none of these: tests/kam/test_seed_demo.py counts every model of the
# demo's apps before and after a second seed.
def test_demo_has_reviews_in_every_state(demo):
    open_reviews = Review.objects.filter(completed_at__isnull=True)
    assert open_reviews.filter(escalated_at__isnull=True).count() >= 3
    escalated = Review.objects.get(escalated_at__isnull=False)
    assert (escalated.escalated_at.date() - escalated.opened_on).days > 30
    # Its directors were told in the job's own words: open 40 days ago, due 30 days later,
    # escalated the day after (31 days open), with what to do and a link that opens it.
    account = escalated.plan.key_account
    told = Notification.objects.filter(text__startswith="Escalated:")
    assert told.exists()
    for notification in told:
        assert notification.text == (
            f"Escalated: the {escalated.quarter} review of the {account.name} plan has been open "
            f"for 31 days (due {date_format(escalated.due_on, 'PADDED_DATE_FORMAT')}): see that "
            "it is completed."
        )
        assert notification.link == reverse("rhythm:review", args=[account.pk, escalated.pk])
    completed = Review.objects.get(completed_at__isnull=False, decision="change_class")
    assert completed.proposed_class
    # The two reviews held with the customer (workspace demo) were completed, class kept.
    assert Review.objects.filter(completed_at__isnull=False, decision="keep").count() == 2
    assert PlanVersion.objects.filter(kind="review", plan=completed.plan).exists()
    assert DigestPreference.objects.filter(user__username="director", frequency="weekly").exists()
    assert JobRun.objects.filter(outcome="failed").exists()
    assert JobRun.objects.filter(error__startswith="Interrupted:").exists()
    assert Notification.objects.filter(email_status="failed").exists()  # listed on /jobs/
    # Every current plan has today's health score, so the dashboard's first view is fast.
    current = AccountPlan.objects.filter(is_current=True)
    assert current.exists()
    assert not current.exclude(health_on=timezone.localdate()).exists()
    # ... and 90 days of recorded scores, so the dashboard's 30-day change shows movement.
    month_ago = timezone.localdate() - timedelta(days=30)
    moved = HealthRecord.objects.filter(recorded_on=month_ago).exclude(
        score=F("plan__health_score")
    )
    assert moved.exists()
    # The job opens reviews only for the plans the demo left without one this quarter.
    quarter = quarter_label(timezone.localdate())
    had_review = Review.objects.filter(quarter=quarter).count()
    plans = len(services.active_plans())
    counts = services.reviews_open_for_quarter()
    assert counts["opened"] == plans - had_review
    assert Review.objects.filter(quarter=quarter).count() == plans


def test_a_fresh_demo_gives_the_quote_expiry_job_one_quote_and_shows_one_it_expired(demo):
    from accounts.models import AccountEvent
    from delivery.models import Quote
    from delivery.services.expiry import quotes_expire_lapsed

    shown = Quote.objects.get(number="Q-DEMO-06")
    assert shown.status == "expired"
    assert shown.expired_on == shown.valid_until + timedelta(days=1)
    event = AccountEvent.objects.get(link=shown.get_absolute_url(), kind="quote")
    assert event.actor is None and "expired unanswered" in event.shown_summary
    # Q-DEMO-08 was sent and its validity has ended: the job's work on a fresh demo, its author
    # (the coordinator) and the account's manager told once each.
    assert quotes_expire_lapsed() == {"expired": 1, "notified": 2}
    assert Quote.objects.get(number="Q-DEMO-08").status == "expired"
    assert quotes_expire_lapsed() == {"expired": 0, "notified": 0}
