from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from planning.models import AccountPlan, Action, PlanVersion

from .test_pdf import pdf_text

User = get_user_model()


def test_demo_gives_every_hand_written_account_a_plan_with_spread_statuses(demo):
    plans = AccountPlan.objects.filter(is_current=True)
    assert plans.count() == 12
    assert set(plans.values_list("status", flat=True)) == {
        "approved",
        "submitted",
        "draft",
        "returned",
    }
    # One approval each (the workspace demo adds review snapshots to one of them).
    assert PlanVersion.objects.filter(plan__status="approved", kind="approval").count() == 3
    for username in ("manager", "teammember", "coordinator"):
        assert Action.objects.filter(
            owner__username=username, status__in=Action.OPEN_STATUSES
        ).exists()
    assert Action.objects.filter(status="done").exists()


def test_every_demo_record_prints_the_day_it_was_frozen(demo, client_for):
    """A review snapshot's PDF printed 'Review snapshot 2 (2026-Q3 review) of <the day the demo
    was seeded>' while its page said the review was completed in July: the snapshot's own date
    must be its row's."""
    from datetime import datetime

    records = PlanVersion.objects.all()
    assert records.filter(kind="review").exists()
    for record in records:
        frozen = datetime.fromisoformat(record.snapshot["version"]["created_at"])
        assert frozen == record.created_at, (record.label, frozen, record.created_at)
    # Read where the director reads it: the review snapshot's PDF and the versions page.
    review = records.filter(kind="review", plan__key_account__customer__name="Northwind Foods")
    review = review.select_related("plan").latest("created_at")
    account_id = review.plan.key_account_id
    client = client_for(User.objects.get(username="director"))
    day = date_format(timezone.localtime(review.created_at).date(), "SHORT_DATE_FORMAT")
    url = reverse("planning:plan_pdf", args=[account_id])
    _pages, text = pdf_text(client.get(url, {"review": review.number}))
    assert (
        f"Review snapshot {review.number} ({review.snapshot['version']['quarter']} review) of {day}"
        in text
    )
    versions = client.get(reverse("planning:versions", args=[account_id])).content.decode()
    assert day in versions
